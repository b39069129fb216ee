/* servers/jit/cg/intrin.c: the intrinsics, by ir_func.intrinsic (the
 * reader recognised them, ir.h enum ir_intrinsic): no-ops, pass-through
 * values, traps, stack save/restore, memcpy/memmove/memset (small
 * constant lengths inline), min/max, saturating and overflow-checked
 * arithmetic, abs, funnel shifts and rotates, bswap, bitreverse,
 * ctpop, ctlz, cttz; is.fpclass in fpclass.c, frexp in frexp.c.
 * Anything else is a compile error naming it.
 *
 * requires: the locations (rega.c, stack.c); an aggregate's slot for
 *           *.with.overflow
 * provides: emit_intrinsic */
#include <string.h>
#include "servers/jit/cg/isel.h"

/* Inline copy for small constant-length memcpy/memmove/memset. */
static bool small_mem(struct codegen *c, struct ir_inst *in, bool set)
{
	uint64_t n;
	if (!known_const(c, ir_op(in, 3), &n) || n > 32)
		return false;
	if (set) {
		uint64_t v;
		load_value(c, ECX, ir_op(in, 1));
		if (known_const(c, ir_op(in, 2), &v)) {
			uint32_t b8 = (uint32_t)v & 0xff;
			load_imm(c, EAX, b8 * 0x01010101u);
		} else {
			load_extended(c, EAX, ir_op(in, 2), false);
			x86_imul_rri(&c->b, EAX, EAX, 0x01010101);
		}
		uint32_t i = 0;
		for (; i + 4 <= n; i += 4)
			x86_mov_mr(&c->b, 32, x86_m(ECX, (int32_t)i), EAX);
		for (; i < n; i++)
			x86_mov_mr(&c->b, 8, x86_m(ECX, (int32_t)i), EAX);
		return true;
	}
	/* memmove semantics too: load everything first when it fits the
	 * registers, else only for memcpy */
	load_value(c, ECX, ir_op(in, 1));
	load_value(c, EDX, ir_op(in, 2));
	if (n <= 4) {
		if (n == 4) {
			x86_mov_rm(&c->b, 32, EAX, x86_m(EDX, 0));
			x86_mov_mr(&c->b, 32, x86_m(ECX, 0), EAX);
			return true;
		}
		if (n == 0)
			return true;
		if (n == 2) {
			x86_movzx_rm(&c->b, 16, EAX, x86_m(EDX, 0));
			x86_mov_mr(&c->b, 16, x86_m(ECX, 0), EAX);
			return true;
		}
		if (n == 1) {
			x86_movzx_rm(&c->b, 8, EAX, x86_m(EDX, 0));
			x86_mov_mr(&c->b, 8, x86_m(ECX, 0), EAX);
			return true;
		}
	}
	copy_mem(c, x86_m(ECX, 0), x86_m(EDX, 0), (uint32_t)n);
	return true;
}

static void popcount32(struct codegen *c)
{
	x86_buf *b = &c->b;
	x86_mov_rr(b, 32, ECX, EAX);
	x86_shift_ri(b, X_SHR, 32, ECX, 1);
	x86_alu_ri(b, X_AND, 32, ECX, 0x55555555);
	x86_alu_rr(b, X_SUB, 32, EAX, ECX);
	x86_mov_rr(b, 32, ECX, EAX);
	x86_alu_ri(b, X_AND, 32, EAX, 0x33333333);
	x86_shift_ri(b, X_SHR, 32, ECX, 2);
	x86_alu_ri(b, X_AND, 32, ECX, 0x33333333);
	x86_alu_rr(b, X_ADD, 32, EAX, ECX);
	x86_mov_rr(b, 32, ECX, EAX);
	x86_shift_ri(b, X_SHR, 32, ECX, 4);
	x86_alu_rr(b, X_ADD, 32, EAX, ECX);
	x86_alu_ri(b, X_AND, 32, EAX, 0x0f0f0f0f);
	x86_imul_rri(b, EAX, EAX, 0x01010101);
	x86_shift_ri(b, X_SHR, 32, EAX, 24);
}

/* EAX = bit-reversed EAX (ECX scratch). */
static void bitrev32(struct codegen *c)
{
	static const int32_t m[3] = { 0x55555555, 0x33333333, 0x0f0f0f0f };
	x86_buf *b = &c->b;
	for (int i = 0; i < 3; i++) {
		uint8_t sh = (uint8_t)(1 << i);
		x86_mov_rr(b, 32, ECX, EAX);
		x86_shift_ri(b, X_SHR, 32, ECX, sh);
		x86_alu_ri(b, X_AND, 32, ECX, m[i]);
		x86_alu_ri(b, X_AND, 32, EAX, m[i]);
		x86_shift_ri(b, X_SHL, 32, EAX, sh);
		x86_alu_rr(b, X_OR, 32, EAX, ECX);
	}
	x86_bswap(b, EAX);
}

/* *.with.overflow: k is 'a' (add), 's' (sub) or 'm' (mul), sg signed */
static void emit_overflow(struct codegen *c, struct ir_inst *in, char k, bool sg)
{
	struct ir_value *a = ir_op(in, 1), *bv = ir_op(in, 2);
	uint32_t w = cg_type_bits(a->type);
	int32_t so;
	if (!agg_slot(c, &in->v, &so) || in->v.type->kind != IR_TY_STRUCT ||
	    in->v.type->nmembers != 2) {
		isel_fail(c, "internal: overflow result without a slot");
		return;
	}
	int32_t fo = so + (int32_t)ir_struct_offset(in->v.type, 1);
	if (w == 64) {
		if (k == 'm') {
			/* the runtime's __bf_{u,s}mulo64(a, b, &result) -> flag
			 * (lib/mulo64.c): cdecl, the last argument first */
			x86_lea(&c->b, ECX, slot_mem(so));
			x86_push_r(&c->b, ECX);
			push_arg(c, bv, NULL);
			push_arg(c, a, NULL);
			call_import(c, sg ? "__bf_smulo64" : "__bf_umulo64");
			x86_alu_ri(&c->b, X_ADD, 32, ESP, 20);
			x86_mov_mr(&c->b, 8, slot_mem(fo), EAX);
			return;
		}
		x86_mem bm = pair_mem(c, bv, 1);
		load_pair(c, EAX, EDX, a);
		x86_alu_rm(&c->b, k == 'a' ? X_ADD : X_SUB, 32, EAX, bm);
		x86_alu_rm(&c->b, k == 'a' ? X_ADC : X_SBB, 32, EDX, high_word(bm));
		x86_setcc(&c->b, sg ? X_O : X_B, ECX);
		x86_mov_mr(&c->b, 32, slot_mem(so), EAX);
		x86_mov_mr(&c->b, 32, slot_mem(so + 4), EDX);
		x86_mov_mr(&c->b, 8, slot_mem(fo), ECX);
		return;
	}
	if (w == 0 || w > 32) {
		isel_fail(c, "unsupported overflow intrinsic width");
		return;
	}
	if (w == 32) {
		load_value(c, EAX, a);
		if (k == 'm' && !sg) {
			load_value(c, ECX, bv);
			x86_unary_r(&c->b, X_MUL, 32, ECX);
		} else {
			struct operand o = operand_of(c, bv, ECX);
			if (k == 'm') {
				if (o.k == O_IMM) x86_imul_rri(&c->b, EAX, EAX, o.imm);
				else if (o.k == O_REG) x86_imul_rr(&c->b, EAX, o.r);
				else x86_imul_rm(&c->b, EAX, o.m);
			} else {
				emit_alu(c, k == 'a' ? X_ADD : X_SUB, EAX, o);
			}
		}
		x86_setcc(&c->b, sg || k == 'm' ? X_O : X_B, ECX);
	} else {
		load_extended(c, EAX, a, sg);
		load_extended(c, ECX, bv, sg);
		if (k == 'm')
			x86_imul_rr(&c->b, EAX, ECX);
		else
			x86_alu_rr(&c->b, k == 'a' ? X_ADD : X_SUB, 32, EAX, ECX);
		x86_mov_rr(&c->b, 32, EDX, EAX);
		extend_reg(c, EDX, w, sg);
		x86_alu_rr(&c->b, X_CMP, 32, EDX, EAX);
		x86_setcc(&c->b, X_NE, ECX);
	}
	x86_mov_mr(&c->b, 32, slot_mem(so), EAX);
	x86_mov_mr(&c->b, 8, slot_mem(fo), ECX);
}

/* i64 saturating add/sub (w == 64): add/adc or sub/sbb, then on carry
 * (unsigned) all ones or zero, on overflow (signed) the bound on a's
 * side: lo = ~sign(a), hi = lo ^ 0x80000000. */
static void sat64(struct codegen *c, struct ir_inst *in, bool sg, bool add)
{
	x86_mem bm = pair_mem(c, ir_op(in, 2), 1);
	load_pair(c, EAX, EDX, ir_op(in, 1));
	if (sg) {
		x86_mov_rr(&c->b, 32, ECX, EDX);
		x86_shift_ri(&c->b, X_SAR, 32, ECX, 31);
		x86_unary_r(&c->b, X_NOT, 32, ECX);
	}
	x86_alu_rm(&c->b, add ? X_ADD : X_SUB, 32, EAX, bm);
	x86_alu_rm(&c->b, add ? X_ADC : X_SBB, 32, EDX, high_word(bm));
	if (!sg) {
		x86_mov_ri(&c->b, 32, ECX, add ? -1 : 0); /* mov keeps the flags */
		x86_cmov_rr(&c->b, X_B, EAX, ECX);
		x86_cmov_rr(&c->b, X_B, EDX, ECX);
	} else {
		x86_label ok;
		x86_label_init(&ok);
		x86_jcc(&c->b, X_NO, &ok);
		x86_mov_rr(&c->b, 32, EAX, ECX);
		x86_mov_rr(&c->b, 32, EDX, ECX);
		x86_alu_ri(&c->b, X_XOR, 32, EDX, (int32_t)0x80000000u);
		x86_bind(&c->b, &ok);
	}
	store_pair(c, &in->v, EAX, EDX);
}

/* i64 funnel shift by a variable amount s (mod 64).  fshl: the high 64
 * bits of a:b << s, fshr: the low 64 bits of a:b >> s.  Of the four
 * words a.hi a.lo b.hi b.lo, three take part, chosen by s & 32; shld/
 * shrd by CL (which the CPU takes mod 32) combine them pairwise; the
 * first result waits on the stack while EDX/EAX load the next word. */
static void funnel64(struct codegen *c, struct ir_inst *in, bool left)
{
	x86_mem am = pair_mem(c, ir_op(in, 1), 0), bm = pair_mem(c, ir_op(in, 2), 1);
	load_value(c, ECX, ir_op(in, 3));
	x86_label big, done;
	x86_label_init(&big);
	x86_label_init(&done);
	x86_test_ri(&c->b, 8, ECX, 32);
	x86_jcc(&c->b, X_NE, &big);
	/* fshl: EDX = shld(x, y), EAX = shld(y, z) with x y z = a.hi a.lo
	 * b.hi (s < 32) or a.lo b.hi b.lo; fshr: EAX = shrd(x, y), EDX =
	 * shrd(y, z) with x y z = b.lo b.hi a.lo (s < 32) or b.hi a.lo a.hi.
	 * r: the register of the first result, q the other one */
	void (*sh)(x86_buf *, int, int) = left ? x86_shld_rcl : x86_shrd_rcl;
	int r = left ? EDX : EAX, q = left ? EAX : EDX;
	for (int k = 0; k < 2; k++) {
		x86_mem x, y, z;
		if (left) {
			x = k ? am : high_word(am);
			y = k ? high_word(bm) : am;
			z = k ? bm : high_word(bm);
		} else {
			x = k ? high_word(bm) : bm;
			y = k ? am : high_word(bm);
			z = k ? high_word(am) : am;
		}
		if (k)
			x86_bind(&c->b, &big);
		x86_mov_rm(&c->b, 32, r, x);
		x86_mov_rm(&c->b, 32, q, y);
		sh(&c->b, r, q);
		x86_push_r(&c->b, r);
		x86_mov_rm(&c->b, 32, r, z);
		sh(&c->b, q, r);
		x86_pop_r(&c->b, r);
		if (!k)
			x86_jmp(&c->b, &done);
	}
	x86_bind(&c->b, &done);
	store_pair(c, &in->v, EAX, EDX);
}

void emit_intrinsic(struct codegen *c, struct ir_inst *in, const struct ir_func *callee)
{
	enum ir_intrinsic id = callee->intrinsic;
	struct ir_value *a1 = in->nops > 1 ? ir_op(in, 1) : NULL;
	struct ir_value *a2 = in->nops > 2 ? ir_op(in, 2) : NULL;
	uint32_t w = a1 ? cg_type_bits(a1->type) : 0;
	if (w > 64 || cg_type_bits(in->v.type) > 64) {
		wide_refuse(c); /* no intrinsic on i65..i128 */
		return;
	}
	switch (id) {
	case IR_INTR_NOP:
		if (in->v.type->kind != IR_TY_VOID)
			isel_fail(c, "unsupported intrinsic with a result");
		return;
	case IR_INTR_EXPECT: case IR_INTR_PASS:
		emit_copy(c, &in->v, a1);
		return;
	case IR_INTR_TRAP:
		x86_ud2(&c->b);
		return;
	case IR_INTR_STACKSAVE:
		x86_mov_rr(&c->b, 32, EAX, ESP);
		store_result(c, &in->v, EAX);
		return;
	case IR_INTR_STACKRESTORE:
		load_value(c, EAX, a1);
		x86_mov_rr(&c->b, 32, ESP, EAX);
		return;
	case IR_INTR_MEMCPY: case IR_INTR_MEMMOVE: case IR_INTR_MEMSET: {
		bool mset = id == IR_INTR_MEMSET;
		if (in->nops < 4) {
			isel_fail(c, "malformed memory intrinsic");
			return;
		}
		if (id != IR_INTR_MEMMOVE && small_mem(c, in, mset))
			return;
		/* push len (low word), src/value, dst */
		struct ir_value *len = ir_op(in, 3);
		load_value(c, EAX, len);
		x86_push_r(&c->b, EAX);
		if (mset) {
			load_extended(c, EAX, ir_op(in, 2), false);
			x86_push_r(&c->b, EAX);
		} else {
			push_arg(c, ir_op(in, 2), NULL);
		}
		push_arg(c, a1, NULL);
		call_import(c, mset ? "memset" : id == IR_INTR_MEMMOVE ? "memmove" : "memcpy");
		x86_alu_ri(&c->b, X_ADD, 32, ESP, 12);
		return;
	}
	case IR_INTR_SMAX: case IR_INTR_SMIN: case IR_INTR_UMAX: case IR_INTR_UMIN: {
		bool sg = id == IR_INTR_SMAX || id == IR_INTR_SMIN;
		bool mx = id == IR_INTR_SMAX || id == IR_INTR_UMAX;
		if (w > 32) {
			x86_mem bm = pair_mem(c, a2, 1);
			load_pair(c, EAX, EDX, a1);
			x86_alu_rm(&c->b, X_CMP, 32, EAX, bm);
			x86_mov_rr(&c->b, 32, ECX, EDX);
			x86_alu_rm(&c->b, X_SBB, 32, ECX, high_word(bm));
			/* flags: a < b */
			int cc = mx ? (sg ? X_L : X_B) : (sg ? X_GE : X_AE);
			x86_cmov_rm(&c->b, cc, EAX, bm);
			x86_cmov_rm(&c->b, cc, EDX, high_word(bm));
			store_pair(c, &in->v, EAX, EDX);
			return;
		}
		load_extended(c, EAX, a1, sg);
		load_extended(c, ECX, a2, sg);
		x86_alu_rr(&c->b, X_CMP, 32, EAX, ECX);
		int cc = mx ? (sg ? X_L : X_B) : (sg ? X_G : X_A);
		x86_cmov_rr(&c->b, cc, EAX, ECX);
		store_result(c, &in->v, EAX);
		return;
	}
	case IR_INTR_SADD_SAT: case IR_INTR_UADD_SAT: case IR_INTR_SSUB_SAT: case IR_INTR_USUB_SAT: {
		/* saturating add/sub: on extended operands, then clamped */
		bool sg = id == IR_INTR_SADD_SAT || id == IR_INTR_SSUB_SAT;
		bool add = id == IR_INTR_SADD_SAT || id == IR_INTR_UADD_SAT;
		if (w == 64) {
			sat64(c, in, sg, add);
			return;
		}
		if (w == 0 || w > 32) {
			isel_fail(c, "saturating arithmetic on i33..i63 is not supported");
			return;
		}
		load_extended(c, EAX, a1, sg);
		load_extended(c, ECX, a2, sg);
		if (sg && w == 32) {
			/* overflow goes towards a's sign: INT_MAX or INT_MIN */
			x86_mov_rr(&c->b, 32, EDX, EAX);
			x86_shift_ri(&c->b, X_SAR, 32, EDX, 31);
			x86_alu_ri(&c->b, X_XOR, 32, EDX, 0x7fffffff);
			x86_alu_rr(&c->b, add ? X_ADD : X_SUB, 32, EAX, ECX);
			x86_cmov_rr(&c->b, X_O, EAX, EDX);
		} else if (sg) {
			/* no 32-bit overflow from w-bit operands */
			int32_t hi = (int32_t)((1u << (w - 1)) - 1);
			x86_alu_rr(&c->b, add ? X_ADD : X_SUB, 32, EAX, ECX);
			x86_mov_ri(&c->b, 32, ECX, hi);
			x86_alu_rr(&c->b, X_CMP, 32, EAX, ECX);
			x86_cmov_rr(&c->b, X_G, EAX, ECX);
			x86_mov_ri(&c->b, 32, ECX, -hi - 1);
			x86_alu_rr(&c->b, X_CMP, 32, EAX, ECX);
			x86_cmov_rr(&c->b, X_L, EAX, ECX);
		} else if (add) {
			x86_alu_rr(&c->b, X_ADD, 32, EAX, ECX);
			if (w == 32) {
				x86_mov_ri(&c->b, 32, ECX, -1); /* mov leaves the carry */
				x86_cmov_rr(&c->b, X_B, EAX, ECX);
			} else {
				x86_mov_ri(&c->b, 32, ECX, (int32_t)((1u << w) - 1));
				x86_alu_rr(&c->b, X_CMP, 32, EAX, ECX);
				x86_cmov_rr(&c->b, X_A, EAX, ECX);
			}
		} else {
			/* zero-extended operands: borrow exactly when a < b */
			x86_alu_rr(&c->b, X_SUB, 32, EAX, ECX);
			x86_mov_ri(&c->b, 32, ECX, 0);
			x86_cmov_rr(&c->b, X_B, EAX, ECX);
		}
		store_result(c, &in->v, EAX);
		return;
	}
	case IR_INTR_ABS: {
		if (w > 32) {
			load_pair(c, EAX, EDX, a1);
			x86_mov_rr(&c->b, 32, ECX, EDX);
			x86_shift_ri(&c->b, X_SAR, 32, ECX, 31);
			x86_alu_rr(&c->b, X_XOR, 32, EAX, ECX);
			x86_alu_rr(&c->b, X_XOR, 32, EDX, ECX);
			x86_alu_rr(&c->b, X_SUB, 32, EAX, ECX);
			x86_alu_rr(&c->b, X_SBB, 32, EDX, ECX);
			store_pair(c, &in->v, EAX, EDX);
			return;
		}
		load_extended(c, EAX, a1, true);
		x86_mov_rr(&c->b, 32, ECX, EAX);
		x86_unary_r(&c->b, X_NEG, 32, ECX);
		x86_cmov_rr(&c->b, X_NS, EAX, ECX);
		store_result(c, &in->v, EAX);
		return;
	}
	case IR_INTR_FSHL: case IR_INTR_FSHR: {
		bool left = id == IR_INTR_FSHL;
		struct ir_value *a3 = ir_op(in, 3);
		if (w == 64) {
			uint64_t k;
			if (!known_const(c, a3, &k)) {
				funnel64(c, in, left);
				return;
			}
			uint32_t s = (uint32_t)(k & 63);
			if (!left)
				s = s ? 64 - s : 0;
			if (s == 0) {
				emit_copy(c, &in->v, left ? a1 : a2);
				return;
			}
			/* result = (a:b << s) high 64 bits */
			x86_mem am_ = pair_mem(c, a1, 0), bm = pair_mem(c, a2, 1);
			if (s < 32) {
				x86_mov_rm(&c->b, 32, EDX, high_word(am_));
				x86_mov_rm(&c->b, 32, EAX, am_);
				x86_shld_ri(&c->b, EDX, EAX, (uint8_t)s);
				x86_mov_rm(&c->b, 32, ECX, high_word(bm));
				x86_shld_ri(&c->b, EAX, ECX, (uint8_t)s);
			} else if (s == 32) {
				x86_mov_rm(&c->b, 32, EDX, am_);
				x86_mov_rm(&c->b, 32, EAX, high_word(bm));
			} else {
				x86_mov_rm(&c->b, 32, EDX, am_);
				x86_mov_rm(&c->b, 32, EAX, high_word(bm));
				x86_shld_ri(&c->b, EDX, EAX, (uint8_t)(s - 32));
				x86_mov_rm(&c->b, 32, ECX, bm);
				x86_shld_ri(&c->b, EAX, ECX, (uint8_t)(s - 32));
			}
			store_pair(c, &in->v, EAX, EDX);
			return;
		}
		uint64_t ks;
		if (w == 32 && c->tier > 0 && known_const(c, a3, &ks)) {
			/* constant amount: a rotate when both halves are one
			 * value, else shld/shrd with an immediate, in the
			 * destination register */
			uint8_t sh = (uint8_t)(ks & 31);
			if (sh == 0) {
				emit_copy(c, &in->v, left ? a1 : a2);
				return;
			}
			int r = dest_reg(c, &in->v);
			if (cg_canon(c, a1) == cg_canon(c, a2)) {
				/* a rotate: straight into a destination in ECX/EDX */
				int own = simple_opnd(c, a1) ? own_reg(c, &in->v) : -1;
				uint8_t wm = c->b.wmask;
				if (own >= 0)
					r = own;
				load_value(c, r, a1);
				x86_shift_ri(&c->b, left ? X_ROL : X_ROR, 32, r, sh);
				store_result(c, &in->v, r);
				def_write(c, wm, own);
				return;
			}
			/* fshl: a1:a2 << sh, high word; fshr: a1:a2 >> sh, low word */
			struct ir_value *into = left ? a1 : a2, *from = left ? a2 : a1;
			if (in_reg(c, from, r))
				r = EAX;
			load_value(c, r, into);
			int src = reg_of(c, from);
			if (src < 0 || src == r) {
				load_value(c, EDX, from);
				src = EDX;
			}
			if (left)
				x86_shld_ri(&c->b, r, src, sh);
			else
				x86_shrd_ri(&c->b, r, src, sh);
			store_result(c, &in->v, r);
			return;
		}
		if (w == 32) {
			load_value(c, EAX, a1);
			load_value(c, EDX, a2);
			load_value(c, ECX, a3);
			if (left) {
				x86_shld_rcl(&c->b, EAX, EDX);
				store_result(c, &in->v, EAX);
			} else {
				x86_shrd_rcl(&c->b, EDX, EAX);
				store_result(c, &in->v, EDX);
			}
			return;
		}
		if (w != 8 && w != 16) {
			isel_fail(c, "unsupported funnel shift width");
			return;
		}
		load_extended(c, EAX, a1, false);
		x86_shift_ri(&c->b, X_SHL, 32, EAX, (uint8_t)w);
		load_extended(c, EDX, a2, false);
		x86_alu_rr(&c->b, X_OR, 32, EAX, EDX);
		load_value(c, ECX, a3);
		x86_alu_ri(&c->b, X_AND, 32, ECX, (int32_t)(w - 1));
		if (left) {
			x86_shift_rcl(&c->b, X_SHL, 32, EAX);
			x86_shift_ri(&c->b, X_SHR, 32, EAX, (uint8_t)w);
		} else {
			x86_shift_rcl(&c->b, X_SHR, 32, EAX);
		}
		store_result(c, &in->v, EAX);
		return;
	}
	case IR_INTR_BSWAP: {
		if (w == 64) {
			load_pair(c, EAX, EDX, a1);
			x86_bswap(&c->b, EAX);
			x86_bswap(&c->b, EDX);
			store_pair(c, &in->v, EDX, EAX);
		} else if (w == 32) {
			load_value(c, EAX, a1);
			x86_bswap(&c->b, EAX);
			store_result(c, &in->v, EAX);
		} else if (w == 16) {
			load_value(c, EAX, a1);
			x86_shift_ri(&c->b, X_ROL, 16, EAX, 8);
			store_result(c, &in->v, EAX);
		} else {
			isel_fail(c, "unsupported bswap width");
		}
		return;
	}
	case IR_INTR_BITREVERSE: {
		if (w == 64) {
			x86_mem m = pair_mem(c, a1, 0);
			x86_mov_rm(&c->b, 32, EAX, m);
			bitrev32(c);
			x86_mov_rr(&c->b, 32, EDX, EAX);
			x86_mov_rm(&c->b, 32, EAX, high_word(m));
			bitrev32(c);
			store_pair(c, &in->v, EAX, EDX);
			return;
		}
		if (w == 0 || w > 32) {
			isel_fail(c, "unsupported bitreverse width");
			return;
		}
		load_value(c, EAX, a1);
		bitrev32(c);
		if (w < 32)
			x86_shift_ri(&c->b, X_SHR, 32, EAX, (uint8_t)(32 - w));
		store_result(c, &in->v, EAX);
		return;
	}
	case IR_INTR_CTPOP: {
		if (w == 64) {
			x86_mem m = pair_mem(c, a1, 0);
			x86_mov_rm(&c->b, 32, EAX, high_word(m));
			popcount32(c);
			x86_mov_rr(&c->b, 32, EDX, EAX);
			x86_mov_rm(&c->b, 32, EAX, m);
			popcount32(c);
			x86_alu_rr(&c->b, X_ADD, 32, EAX, EDX);
			x86_alu_rr(&c->b, X_XOR, 32, EDX, EDX);
			store_pair(c, &in->v, EAX, EDX);
			return;
		}
		load_extended(c, EAX, a1, false);
		popcount32(c);
		store_result(c, &in->v, EAX);
		return;
	}
	case IR_INTR_CTLZ: {
		if (w == 64) {
			x86_label l1, done;
			x86_label_init(&l1);
			x86_label_init(&done);
			load_pair(c, EAX, EDX, a1);
			x86_bsr_rr(&c->b, ECX, EDX);
			x86_jcc(&c->b, X_E, &l1);
			x86_mov_ri(&c->b, 32, EAX, 31);
			x86_alu_rr(&c->b, X_SUB, 32, EAX, ECX);
			x86_jmp(&c->b, &done);
			x86_bind(&c->b, &l1);
			x86_bsr_rr(&c->b, ECX, EAX);
			x86_mov_ri(&c->b, 32, EAX, -1);
			x86_cmov_rr(&c->b, X_E, ECX, EAX);
			x86_mov_ri(&c->b, 32, EAX, 63);
			x86_alu_rr(&c->b, X_SUB, 32, EAX, ECX);
			x86_bind(&c->b, &done);
			x86_alu_rr(&c->b, X_XOR, 32, EDX, EDX);
			store_pair(c, &in->v, EAX, EDX);
			return;
		}
		load_extended(c, EAX, a1, false);
		x86_bsr_rr(&c->b, EAX, EAX);
		x86_mov_ri(&c->b, 32, ECX, -1);
		x86_cmov_rr(&c->b, X_E, EAX, ECX);
		x86_unary_r(&c->b, X_NEG, 32, EAX);
		x86_alu_ri(&c->b, X_ADD, 32, EAX, (int32_t)w - 1);
		store_result(c, &in->v, EAX);
		return;
	}
	case IR_INTR_CTTZ: {
		if (w == 64) {
			x86_label done;
			x86_label_init(&done);
			load_pair(c, EAX, EDX, a1);
			x86_bsf_rr(&c->b, ECX, EAX);
			x86_jcc(&c->b, X_NE, &done);
			x86_bsf_rr(&c->b, ECX, EDX);
			x86_mov_ri(&c->b, 32, EAX, 32);
			x86_cmov_rr(&c->b, X_E, ECX, EAX);
			x86_alu_ri(&c->b, X_ADD, 32, ECX, 32);
			x86_bind(&c->b, &done);
			x86_mov_rr(&c->b, 32, EAX, ECX);
			x86_alu_rr(&c->b, X_XOR, 32, EDX, EDX);
			store_pair(c, &in->v, EAX, EDX);
			return;
		}
		load_value(c, EAX, a1);
		if (w < 32) {
			x86_alu_ri(&c->b, X_OR, 32, EAX, (int32_t)(1u << w));
			x86_bsf_rr(&c->b, EAX, EAX);
		} else {
			x86_bsf_rr(&c->b, EAX, EAX);
			x86_mov_ri(&c->b, 32, ECX, 32);
			x86_cmov_rr(&c->b, X_E, EAX, ECX);
		}
		store_result(c, &in->v, EAX);
		return;
	}
	case IR_INTR_VA: /* va_start(ap): ap = the first variadic argument */
		if (!a1)
			break;
		if (!c->f->fn_type || !c->f->fn_type->vararg) {
			isel_fail(c, "va_start outside a variadic function");
			return;
		}
		x86_lea(&c->b, EAX, slot_mem(c->va_off));
		load_value(c, ECX, a1);
		x86_mov_mr(&c->b, 32, x86_m(ECX, 0), EAX);
		return;
	case IR_INTR_VA_END:
		return; /* i386's va_list is a plain pointer: nothing to free */
	case IR_INTR_VA_COPY: /* *dst = *src */
		if (!a2)
			break;
		load_value(c, ECX, a2);
		x86_mov_rm(&c->b, 32, EAX, x86_m(ECX, 0));
		load_value(c, ECX, a1);
		x86_mov_mr(&c->b, 32, x86_m(ECX, 0), EAX);
		return;
	case IR_INTR_SADD_OV: case IR_INTR_UADD_OV:
		emit_overflow(c, in, 'a', id == IR_INTR_SADD_OV);
		return;
	case IR_INTR_SSUB_OV: case IR_INTR_USUB_OV:
		emit_overflow(c, in, 's', id == IR_INTR_SSUB_OV);
		return;
	case IR_INTR_SMUL_OV: case IR_INTR_UMUL_OV:
		emit_overflow(c, in, 'm', id == IR_INTR_SMUL_OV);
		return;
	case IR_INTR_IS_FPCLASS: /* integer code on the bits: fpclass.c */
		emit_is_fpclass(c, in);
		return;
	case IR_INTR_FREXP: /* the runtime's frexp into the result's slot: frexp.c */
		emit_frexp(c, in);
		return;
	default:
		if (emit_fp_intrinsic(c, in, callee))
			return;
		break;
	}
	cg_fail(c, c->cur, "unsupported intrinsic %s", callee->v.name ? callee->v.name : "llvm.?");
}
