/* Instruction selection and emission for one function, all tiers.
 *
 * Conventions.  EAX, ECX and EDX are scratch: every instruction loads its
 * operands into them (or uses them in place when they live in an
 * allocated register, EBX/ESI/EDI at tier >= 1), computes, and stores the
 * result into its location.  Values narrower than 32 bits live in 32-bit
 * containers whose upper bits are undefined: consumers that depend on
 * them (compares, division, right shifts, extensions) extend first.  i64
 * values are pairs (lo at +0, hi at +4) kept in stack slots and computed
 * in EDX:EAX.  First-class aggregates (the {iN, i1} of *.with.overflow,
 * insertvalue) live in slots.
 *
 * Frame: push ebp; mov ebp, esp; push the callee-saved registers used;
 * sub esp, N (patched at the end).  Slots are ebp-relative.  Calls push
 * their arguments (cdecl) and pop them after the call. */
#include <string.h>
#include "servers/jit/cg/cg.h"

#define EAX X_EAX
#define ECX X_ECX
#define EDX X_EDX
#define EBX X_EBX
#define ESP X_ESP
#define EBP X_EBP

struct address {
	x86_mem m;
	uint8_t rk;
	uint16_t sym;
};

enum { O_REG, O_MEM, O_IMM };
struct operand {
	int k;
	int r;
	x86_mem m;
	int32_t imm;
};


static struct cg_loc *loc_of(struct codegen *c, const struct ir_value *v)
{
	return &c->loc[v->id];
}

static x86_mem slot_mem(int32_t off) { return x86_m(X_FP, off); }

static bool isel_fail(struct codegen *c, const char *msg)
{
	return cg_fail(c, c->cur, "%s", msg);
}

/* After emitting an instruction whose memory operand may be absolute
 * with a relocation (always the last four bytes: no immediate follows). */
static void addr_reloc(struct codegen *c, const struct address *a)
{
	if (a->rk != RK_NONE)
		cg_reloc(c, a->rk, false, a->sym, c->b.len - 4);
}

static void load_imm(struct codegen *c, int r, uint32_t v)
{
	if (v == 0 && !c->keep_flags)
		x86_alu_rr(&c->b, X_XOR, 32, r, r);
	else
		x86_mov_ri(&c->b, 32, r, (int32_t)v);
}

static void load_const(struct codegen *c, int r, struct ir_value *v, bool hi)
{
	struct cg_const k;
	if (!cg_const(c, v, &k)) {
		if (v->kind == IR_VAL_CONST_FP || ir_type_is_fp(v->type))
			isel_fail(c, "floating point is not supported");
		else
			isel_fail(c, "unsupported constant operand");
		return;
	}
	if (k.rk != RK_NONE && !hi) {
		uint32_t at = x86_mov_ri32_reloc(&c->b, r, (uint32_t)k.v);
		cg_reloc(c, k.rk, false, k.sym, at);
		return;
	}
	load_imm(c, r, hi ? (uint32_t)(k.v >> 32) : (uint32_t)k.v);
}

/* Load vreg `i` (32-bit container, or the low word of a pair). */
static void load_vreg(struct codegen *c, int r, uint32_t i)
{
	struct cg_loc *l = &c->loc[i];
	switch (l->kind) {
	case L_REG:
		if (l->reg != r)
			x86_mov_rr(&c->b, 32, r, l->reg);
		return;
	case L_SLOT:
		/* EAX not written since it was stored there: EAX still holds
		 * it (and the store may end up dead, jit.c dead_slot_words) */
		if (c->eax_id == i && c->eax_gen == c->b.eax_gen) {
			if (r != EAX)
				x86_mov_rr(&c->b, 32, r, EAX);
			return;
		}
		x86_mov_rm(&c->b, 32, r, slot_mem(l->off));
		return;
	case L_FRAME:
		x86_lea(&c->b, r, slot_mem(l->off));
		return;
	case L_CONST:
		load_imm(c, r, (uint32_t)l->k);
		return;
	default:
		isel_fail(c, "internal: value without a location");
	}
}

/* Since wmask was `before`, the code wrote register r with the value it
 * defines: that write is not a scratch use (live.c range_free), so it
 * is taken back out of the record.  r < 0: nothing to take back. */
static void def_write(struct codegen *c, uint8_t before, int r)
{
	if (r >= 0)
		c->b.wmask = (uint8_t)(before | (c->b.wmask & ~(1u << r)));
}

static void store_vreg(struct codegen *c, uint32_t i, int r)
{
	struct cg_loc *l = &c->loc[i];
	if (l->kind == L_REG) {
		/* the write of a result into ECX/EDX is its definition, not a
		 * scratch use: not recorded (cg_scratch_verify) */
		uint8_t wm = c->b.wmask;
		if (l->reg != r)
			x86_mov_rr(&c->b, 32, l->reg, r);
		if (l->reg == X_ECX || l->reg == X_EDX)
			def_write(c, wm, l->reg);
	} else if (l->kind == L_SLOT) {
		x86_mov_mr(&c->b, 32, slot_mem(l->off), r);
		if (r == EAX && c->tier > 0) {
			c->eax_id = i;
			c->eax_pair = false;
			c->eax_pos = c->b.len;
			c->eax_gen = c->b.eax_gen;
		}
	} else if (l->kind != L_NONE) {
		isel_fail(c, "internal: store to a constant location");
	}
}

/* Value v into r (32-bit container; for i64 values the low word). */
static void load_value(struct codegen *c, int r, struct ir_value *v)
{
	v = cg_canon(c, v);
	if (cg_is_var(v))
		load_vreg(c, r, v->id);
	else
		load_const(c, r, v, false);
}

/* Extend the low `w` bits of r in place. */
static void extend_reg(struct codegen *c, int r, uint32_t w, bool sign)
{
	if (w >= 32)
		return;
	if (w == 8 && r < 4) {
		if (sign) x86_movsx_rr(&c->b, 8, r, r);
		else x86_movzx_rr(&c->b, 8, r, r);
	} else if (w == 16) {
		if (sign) x86_movsx_rr(&c->b, 16, r, r);
		else x86_movzx_rr(&c->b, 16, r, r);
	} else if (!sign) {
		x86_alu_ri(&c->b, X_AND, 32, r, (int32_t)((1u << w) - 1));
	} else {
		x86_shift_ri(&c->b, X_SHL, 32, r, (uint8_t)(32 - w));
		x86_shift_ri(&c->b, X_SAR, 32, r, (uint8_t)(32 - w));
	}
}

static uint32_t extend_const(uint64_t v, uint32_t w, bool sign)
{
	if (w >= 32)
		return (uint32_t)v;
	uint32_t x = (uint32_t)v & ((1u << w) - 1);
	if (sign && (x >> (w - 1)) & 1)
		x |= ~((1u << w) - 1);
	return x;
}

/* Known constant (no relocation) value of v, if any. */
static bool known_const(struct codegen *c, struct ir_value *v, uint64_t *out)
{
	v = cg_canon(c, v);
	if (cg_is_var(v)) {
		if (loc_of(c, v)->kind == L_CONST) {
			*out = loc_of(c, v)->k;
			return true;
		}
		return false;
	}
	struct cg_const k;
	if (!cg_const(c, v, &k) || k.rk != RK_NONE)
		return false;
	*out = k.v;
	return true;
}

/* The 32-bit container of v, narrower than 32 bits, is known to hold
 * zeros above its width: constants loaded that way, loads (movzx), zero
 * extensions, unsigned divisions and right shifts (their operands are
 * zero-extended first), materialised compares (setcc + movzx), and ands,
 * ors, xors, selects and phis of such values (containers are combined or
 * copied whole). */
static bool zero_extended(struct codegen *c, struct ir_value *v, int depth)
{
	uint32_t w = cg_type_bits(v->type);
	uint64_t k;
	if (w == 0 || w >= 32 || depth > 6)
		return false;
	if (known_const(c, v, &k))
		return (uint32_t)k == extend_const(k, w, false);
	v = cg_canon(c, v);
	/* a copy (alias) of a wider value, e.g. a truncation: its container
	 * is that value's */
	if (v->kind != IR_VAL_INST || (c->fl[v->id] & F_CONST) || cg_type_bits(v->type) != w)
		return false;
	struct ir_inst *in = (struct ir_inst *)v;
	switch (in->op) {
	case IR_OP_LOAD: {
		struct ir_inst *pi = ir_as_inst(cg_canon(c, ir_op(in, 0)));
		return (w == 8 || w == 16) && !(pi && (c->fl[pi->v.id] & F_PROMOTED));
	}
	case IR_OP_ZEXT:
	case IR_OP_UDIV: case IR_OP_UREM: case IR_OP_LSHR:
		/* computed from zero-extended operands, never larger */
		return true;
	case IR_OP_AND:
		return zero_extended(c, ir_op(in, 0), depth + 1) || zero_extended(c, ir_op(in, 1), depth + 1);
	case IR_OP_OR: case IR_OP_XOR:
		return zero_extended(c, ir_op(in, 0), depth + 1) && zero_extended(c, ir_op(in, 1), depth + 1);
	case IR_OP_SELECT:
		return zero_extended(c, ir_op(in, 1), depth + 1) && zero_extended(c, ir_op(in, 2), depth + 1);
	case IR_OP_ICMP:
		return !(c->fl[v->id] & F_FUSED);
	case IR_OP_PHI:
		if (depth >= 4)
			return false;
		for (uint32_t i = 0; i < in->nops; i += 2)
			if (cg_canon(c, ir_op(in, i)) != v && !zero_extended(c, ir_op(in, i), depth + 1))
				return false;
		return true;
	default:
		return false;
	}
}

static void load_extended(struct codegen *c, int r, struct ir_value *v, bool sign)
{
	uint32_t w = cg_type_bits(v->type);
	uint64_t k;
	if (known_const(c, v, &k)) {
		load_imm(c, r, extend_const(k, w, sign));
		return;
	}
	load_value(c, r, v);
	if (!sign && c->tier > 0 && zero_extended(c, v, 0))
		return;
	extend_reg(c, r, w, sign);
}

/* Operand form of v for an ALU source; `s` is the scratch register used
 * when v must be materialised. */
static struct operand operand_of(struct codegen *c, struct ir_value *v, int s)
{
	struct operand o = { O_REG, s, x86_m(X_FP, 0), 0 };
	uint64_t k;
	if (known_const(c, v, &k)) {
		o.k = O_IMM;
		o.imm = (int32_t)(uint32_t)k;
		return o;
	}
	v = cg_canon(c, v);
	if (cg_is_var(v)) {
		struct cg_loc *l = loc_of(c, v);
		if (l->kind == L_REG) {
			o.r = l->reg;
			return o;
		}
		if (l->kind == L_SLOT && c->eax_id == v->id &&
		    c->eax_gen == c->b.eax_gen) {
			o.r = EAX; /* still there since its store (load_vreg) */
			return o;
		}
		if (l->kind == L_SLOT) {
			o.k = O_MEM;
			o.m = slot_mem(l->off);
			return o;
		}
	}
	load_value(c, s, v);
	return o;
}

static void emit_alu(struct codegen *c, int op, int r, struct operand o)
{
	if (o.k == O_REG)
		x86_alu_rr(&c->b, op, 32, r, o.r);
	else if (o.k == O_MEM)
		x86_alu_rm(&c->b, op, 32, r, o.m);
	else
		x86_alu_ri(&c->b, op, 32, r, o.imm);
}

/* Register v's value is computed in: its own when allocated, else EAX. */
static int dest_reg(struct codegen *c, struct ir_value *v)
{
	struct cg_loc *l = loc_of(c, v);
	/* values in ECX/EDX (see cg_regalloc_wide) are computed in EAX and
	 * moved last: instruction selection may use ECX/EDX as scratch
	 * (except where an operation writes its own ECX/EDX directly, see
	 * direct_reg) */
	return l->kind == L_REG && l->reg >= X_EBX ? l->reg : EAX;
}

static void store_result(struct codegen *c, struct ir_value *v, int r)
{
	store_vreg(c, v->id, r);
}

/* v is currently held in register r (allocated register of a var)? */
static bool in_reg(struct codegen *c, struct ir_value *v, int r)
{
	v = cg_canon(c, v);
	return cg_is_var(v) && loc_of(c, v)->kind == L_REG && loc_of(c, v)->reg == r;
}

/* ---- i64 ---- */

static void load_pair(struct codegen *c, int lo, int hi, struct ir_value *v)
{
	v = cg_canon(c, v);
	if (cg_is_var(v)) {
		struct cg_loc *l = loc_of(c, v);
		/* nothing emitted since EDX:EAX was stored there */
		if (l->kind == L_SLOT && lo == EAX && hi == EDX && c->eax_id == v->id &&
		    c->eax_pos == c->b.len && c->eax_gen == c->b.eax_gen && c->eax_pair)
			return;
		if (l->kind == L_SLOT) {
			x86_mov_rm(&c->b, 32, lo, slot_mem(l->off));
			x86_mov_rm(&c->b, 32, hi, slot_mem(l->off + 4));
		} else if (l->kind == L_CONST) {
			load_imm(c, lo, (uint32_t)l->k);
			load_imm(c, hi, (uint32_t)(l->k >> 32));
		} else {
			isel_fail(c, "internal: i64 value without a slot");
		}
		return;
	}
	load_const(c, lo, v, false);
	load_const(c, hi, v, true);
}

static void store_pair_vreg(struct codegen *c, uint32_t i, int lo, int hi)
{
	struct cg_loc *l = &c->loc[i];
	if (l->kind == L_SLOT) {
		x86_mov_mr(&c->b, 32, slot_mem(l->off), lo);
		x86_mov_mr(&c->b, 32, slot_mem(l->off + 4), hi);
		if (lo == EAX && hi == EDX && c->tier > 0) {
			c->eax_id = i;
			c->eax_pair = true;
			c->eax_pos = c->b.len;
			c->eax_gen = c->b.eax_gen;
		}
	} else if (l->kind != L_NONE) {
		isel_fail(c, "internal: i64 value without a slot");
	}
}

static void store_pair(struct codegen *c, struct ir_value *v, int lo, int hi)
{
	store_pair_vreg(c, v->id, lo, hi);
}

/* Memory operand holding the pair v (constants go to scratch slot n). */
static x86_mem pair_mem(struct codegen *c, struct ir_value *v, int n)
{
	uint64_t k;
	struct ir_value *cv = cg_canon(c, v);
	if (cg_is_var(cv) && loc_of(c, cv)->kind == L_SLOT)
		return slot_mem(loc_of(c, cv)->off);
	if (!known_const(c, v, &k)) {
		isel_fail(c, "unsupported 64-bit operand");
		return slot_mem(c->scratch);
	}
	x86_mem m = slot_mem(c->scratch + 8 * n);
	x86_mov_mi(&c->b, 32, m, (int32_t)(uint32_t)k);
	x86_mov_mi(&c->b, 32, slot_mem(c->scratch + 8 * n + 4), (int32_t)(uint32_t)(k >> 32));
	return m;
}

static x86_mem high_word(x86_mem m)
{
	m.disp += 4;
	return m;
}

/* Like pair_mem, but the pair extended from width w (33..64) into scratch
 * slot n when w < 64 (upper bits of narrow containers are undefined). */
static x86_mem pair_mem_ext(struct codegen *c, struct ir_value *v, int n, uint32_t w, bool sign)
{
	uint64_t k;
	if (w >= 64)
		return pair_mem(c, v, n);
	x86_mem d = slot_mem(c->scratch + 8 * n);
	if (known_const(c, v, &k)) {
		uint64_t x = k & ((1ull << w) - 1);
		if (sign && (x >> (w - 1)) & 1)
			x |= ~((1ull << w) - 1);
		x86_mov_mi(&c->b, 32, d, (int32_t)(uint32_t)x);
		x86_mov_mi(&c->b, 32, high_word(d), (int32_t)(uint32_t)(x >> 32));
		return d;
	}
	x86_mem s = pair_mem(c, v, n);
	x86_mov_rm(&c->b, 32, ECX, high_word(s));
	extend_reg(c, ECX, w - 32, sign);
	x86_mov_mr(&c->b, 32, high_word(d), ECX);
	if (s.disp != d.disp) {
		x86_mov_rm(&c->b, 32, ECX, s);
		x86_mov_mr(&c->b, 32, d, ECX);
	}
	return d;
}

static void extend_pair(struct codegen *c, uint32_t w, bool sign)
{
	if (w < 64)
		extend_reg(c, EDX, w - 32, sign);
}

/* ---- addresses ---- */

static bool is_pow2(uint32_t x) { return x && !(x & (x - 1)); }
static uint8_t log2u(uint32_t x)
{
	uint8_t n = 0;
	while (x > 1) { x >>= 1; n++; }
	return n;
}

static struct address address_of(struct codegen *c, struct ir_value *p, int sb, int si)
{
	struct address a = { x86_m(sb, 0), RK_NONE, 0 };
	p = cg_canon(c, p);
	if (!cg_is_var(p)) {
		struct cg_const k;
		if (!cg_const(c, p, &k)) {
			isel_fail(c, "unsupported pointer constant");
			return a;
		}
		a.m = x86_m(X_NOREG, (int32_t)(uint32_t)k.v);
		a.rk = k.rk;
		a.sym = k.sym;
		a.m.disp32 = k.rk != RK_NONE;
		return a;
	}
	struct cg_loc *l = loc_of(c, p);
	struct ir_inst *in = ir_as_inst(p);
	if (l->kind == L_FRAME) {
		a.m = slot_mem(l->off);
		return a;
	}
	if (in && (c->fl[in->v.id] & F_FOLDADDR)) {
		/* base + one variable index * {1,2,4,8} + constant; with a
		 * constant base, also a second index times its element size,
		 * computed into sb (opt.c fold_addr) */
		struct ir_type *t = in->src_type;
		int64_t off = 0;
		int idx = X_NOREG, scale = 1, mul = X_NOREG;
		for (uint32_t i = 1; i < in->nops; i++) {
			struct ir_value *x = ir_op(in, i);
			uint64_t k;
			uint64_t esz;
			struct ir_type *nt = t;
			if (i == 1) {
				esz = ir_type_size(t);
			} else if (t->kind == IR_TY_STRUCT) {
				if (!known_const(c, x, &k) || k >= t->nmembers) {
					isel_fail(c, "bad struct index");
					return a;
				}
				off += (int64_t)ir_struct_offset(t, (uint32_t)k);
				t = t->members[k];
				continue;
			} else {
				nt = t->elem;
				esz = ir_type_size(nt);
			}
			if (i > 1)
				t = nt;
			struct ir_inst *xi = ir_as_inst(cg_canon(c, x));
			if (xi && (xi->op == IR_OP_ADD || xi->op == IR_OP_SUB) &&
			    (c->fl[xi->v.id] & F_FUSED) && known_const(c, ir_op(xi, 1), &k)) {
				/* index y +/- C (opt.c fold_addr): C into the
				 * displacement, y the index */
				int64_t d = (int64_t)(int32_t)(uint32_t)k;
				off += (xi->op == IR_OP_ADD ? d : -d) * (int64_t)esz;
				x = ir_op(xi, 0);
			}
			if (known_const(c, x, &k)) {
				off += (int64_t)extend_const(k, cg_type_bits(x->type), true) * (int64_t)esz;
				if (cg_type_bits(x->type) > 32)
					off = off; /* low word used: pointer width */
			} else if (mul == X_NOREG && (idx != X_NOREG || (esz != 1 && esz != 2 &&
								  esz != 4 && esz != 8))) {
				mul = sb;
				int src = sb;
				struct ir_value *cx = cg_canon(c, x);
				if (cg_type_bits(x->type) == 32 && !is_pow2((uint32_t)esz) && cg_is_var(cx) &&
				    loc_of(c, cx)->kind == L_SLOT) {
					x86_imul_rmi(&c->b, sb, slot_mem(loc_of(c, cx)->off), (int32_t)esz);
					continue;
				}
				if (cg_type_bits(x->type) < 32)
					load_extended(c, sb, x, true);
				else if (cg_is_var(cx) && loc_of(c, cx)->kind == L_REG)
					src = loc_of(c, cx)->reg;
				else
					load_value(c, sb, x);
				if (is_pow2((uint32_t)esz)) {
					if (src != sb)
						x86_mov_rr(&c->b, 32, sb, src);
					x86_shift_ri(&c->b, X_SHL, 32, sb, log2u((uint32_t)esz));
				} else {
					x86_imul_rri(&c->b, sb, src, (int32_t)esz);
				}
			} else {
				idx = si;
				scale = (int)esz;
				uint32_t w = cg_type_bits(x->type);
				struct ir_value *cx = cg_canon(c, x);
				if (w < 32)
					load_extended(c, si, x, true);
				else if (cg_is_var(cx) && loc_of(c, cx)->kind == L_REG)
					idx = loc_of(c, cx)->reg;
				else
					load_value(c, si, x);
			}
		}
		struct address b = address_of(c, ir_op(in, 0), sb, X_NOREG);
		if ((idx != X_NOREG && b.m.index != X_NOREG) || (mul != X_NOREG && b.m.base != X_NOREG))
			isel_fail(c, "internal: folded address too complex");
		if (mul != X_NOREG)
			b.m.base = (int8_t)mul;
		b.m.disp += (int32_t)off;
		if (idx != X_NOREG) {
			b.m.index = (int8_t)idx;
			b.m.scale = (uint8_t)scale;
		}
		return b;
	}
	if (l->kind == L_REG) {
		a.m = x86_m(l->reg, 0);
		return a;
	}
	load_value(c, sb, p);
	return a;
}

static void lea_address(struct codegen *c, int r, struct address a)
{
	if (a.rk != RK_NONE && a.m.base == X_NOREG && a.m.index == X_NOREG) {
		uint32_t at = x86_mov_ri32_reloc(&c->b, r, (uint32_t)a.m.disp);
		cg_reloc(c, a.rk, false, a.sym, at);
		return;
	}
	x86_lea(&c->b, r, a.m);
	addr_reloc(c, &a);
}

/* ---- compares ---- */

static int pred_cc(uint32_t p)
{
	switch (p) {
	case IR_ICMP_EQ: return X_E;
	case IR_ICMP_NE: return X_NE;
	case IR_ICMP_UGT: return X_A;
	case IR_ICMP_UGE: return X_AE;
	case IR_ICMP_ULT: return X_B;
	case IR_ICMP_ULE: return X_BE;
	case IR_ICMP_SGT: return X_G;
	case IR_ICMP_SGE: return X_GE;
	case IR_ICMP_SLT: return X_L;
	default: return X_LE;
	}
}

static uint32_t swap_pred(uint32_t p)
{
	switch (p) {
	case IR_ICMP_UGT: return IR_ICMP_ULT;
	case IR_ICMP_UGE: return IR_ICMP_ULE;
	case IR_ICMP_ULT: return IR_ICMP_UGT;
	case IR_ICMP_ULE: return IR_ICMP_UGE;
	case IR_ICMP_SGT: return IR_ICMP_SLT;
	case IR_ICMP_SGE: return IR_ICMP_SLE;
	case IR_ICMP_SLT: return IR_ICMP_SGT;
	case IR_ICMP_SLE: return IR_ICMP_SGE;
	default: return p;
	}
}

static bool pred_signed(uint32_t p)
{
	return p >= IR_ICMP_SGT && p <= IR_ICMP_SLE;
}

/* v is a load fused into its user (opt.c): the load instruction. */
static struct ir_inst *fused_load(struct codegen *c, struct ir_value *v)
{
	struct ir_inst *l = ir_as_inst(cg_canon(c, v));
	return l && l->op == IR_OP_LOAD && (c->fl[l->v.id] & F_FUSED) ? l : NULL;
}

/* Emits the comparison of an icmp; returns the condition code. */
static int emit_cmp(struct codegen *c, struct ir_inst *in)
{
	struct ir_value *a = ir_op(in, 0), *b = ir_op(in, 1);
	uint32_t p = in->pred;
	uint32_t w = cg_type_bits(a->type);
	if (p < IR_ICMP_EQ || p > IR_ICMP_SLE) {
		isel_fail(c, "floating point compare is not supported");
		return X_E;
	}
	if (w == 0) {
		isel_fail(c, "compare of unsupported type");
		return X_E;
	}
	if (w > 32) {
		if (p == IR_ICMP_EQ || p == IR_ICMP_NE) {
			x86_mem bm = pair_mem_ext(c, b, 1, w, false);
			load_pair(c, EAX, EDX, a);
			extend_pair(c, w, false);
			x86_alu_rm(&c->b, X_XOR, 32, EAX, bm);
			x86_alu_rm(&c->b, X_XOR, 32, EDX, high_word(bm));
			x86_alu_rr(&c->b, X_OR, 32, EAX, EDX);
			return pred_cc(p);
		}
		bool sw = p == IR_ICMP_UGT || p == IR_ICMP_ULE || p == IR_ICMP_SGT || p == IR_ICMP_SLE;
		struct ir_value *x = sw ? b : a, *y = sw ? a : b;
		x86_mem ym = pair_mem_ext(c, y, 1, w, pred_signed(p));
		load_pair(c, EAX, EDX, x);
		extend_pair(c, w, pred_signed(p));
		x86_alu_rm(&c->b, X_CMP, 32, EAX, ym);
		x86_alu_rm(&c->b, X_SBB, 32, EDX, high_word(ym));
		bool sg = pred_signed(p);
		bool lt = p == IR_ICMP_ULT || p == IR_ICMP_SLT || p == IR_ICMP_UGT || p == IR_ICMP_SGT;
		if (sg)
			return lt ? X_L : X_GE;
		return lt ? X_B : X_AE;
	}
	uint64_t k;
	if (known_const(c, a, &k) && !known_const(c, b, &k)) {
		struct ir_value *t = a;
		a = b;
		b = t;
		p = swap_pred(p);
	}
	if (fused_load(c, a)) {
		struct ir_value *t = a;
		a = b;
		b = t;
		p = swap_pred(p);
	}
	struct ir_inst *lb = fused_load(c, b);
	if (lb) {
		/* cmp r, [m] (opt.c fuse_cmp_load): the flags of the w-bit
		 * values, right for every predicate; r is a's register when it
		 * has a w-bit form, else EAX, and the address takes scratch
		 * registers other than r */
		struct ir_value *ca = cg_canon(c, a);
		int ra = -1;
		if (cg_is_var(ca) && loc_of(c, ca)->kind == L_REG && (w != 8 || loc_of(c, ca)->reg < 4))
			ra = loc_of(c, ca)->reg;
		struct address m = ra == X_ECX ? address_of(c, ir_op(lb, 0), EAX, EDX) :
			      ra >= 0 ? address_of(c, ir_op(lb, 0), EAX, ECX) : address_of(c, ir_op(lb, 0), ECX, EDX);
		if (ra < 0) {
			load_value(c, EAX, a);
			ra = EAX;
		}
		x86_alu_rm(&c->b, X_CMP, (int)w, ra, m.m);
		addr_reloc(c, &m);
		return pred_cc(p);
	}
	struct ir_inst *ai = ir_as_inst(cg_canon(c, a));
	if (ai && ai->op == IR_OP_AND && (c->fl[ai->v.id] & F_FUSED)) {
		/* (x & m) ==/!= 0 (opt.c fuse_test): test x, m */
		struct ir_value *x = ir_op(ai, 0), *mv = ir_op(ai, 1);
		uint64_t m;
		if (!known_const(c, mv, &m)) {
			x = mv;
			known_const(c, ir_op(ai, 0), &m);
		}
		int32_t imm = (int32_t)(uint32_t)extend_const(m, w, false);
		struct ir_value *cx = cg_canon(c, x);
		if (cg_is_var(cx) && loc_of(c, cx)->kind == L_REG) {
			x86_test_ri(&c->b, 32, loc_of(c, cx)->reg, imm);
		} else if (cg_is_var(cx) && loc_of(c, cx)->kind == L_SLOT) {
			x86_test_mi(&c->b, 32, slot_mem(loc_of(c, cx)->off), imm);
		} else {
			load_value(c, EAX, x);
			x86_test_ri(&c->b, 32, EAX, imm);
		}
		return pred_cc(p);
	}
	bool sg = pred_signed(p);
	if ((w == 8 || w == 16) && !sg && c->tier > 0 && zero_extended(c, a, 0) &&
	    (known_const(c, b, &k) || zero_extended(c, b, 0))) {
		/* both containers zero-extended: comparing them whole is the
		 * narrow unsigned (or equality) compare, in any register */
		struct ir_value *ca = cg_canon(c, a);
		int r = EAX;
		if (cg_is_var(ca) && loc_of(c, ca)->kind == L_REG)
			r = loc_of(c, ca)->reg;
		else
			load_value(c, EAX, a);
		if (known_const(c, b, &k))
			x86_alu_ri(&c->b, X_CMP, 32, r, (int32_t)extend_const(k, w, false));
		else
			emit_alu(c, X_CMP, r, operand_of(c, b, ECX));
		return pred_cc(p);
	}
	if (w == 8 || w == 16) {
		/* byte/word compare: the flags are those of the narrow values,
		 * for signed and unsigned predicates alike; no extension */
		struct ir_value *ca = cg_canon(c, a), *cb = cg_canon(c, b);
		int ra = -1;
		if (cg_is_var(ca) && loc_of(c, ca)->kind == L_REG && (w == 16 || loc_of(c, ca)->reg < 4))
			ra = loc_of(c, ca)->reg;
		bool amem = cg_is_var(ca) && loc_of(c, ca)->kind == L_SLOT;
		if (known_const(c, b, &k)) {
			int32_t imm = (int32_t)extend_const(k, w, true);
			if (ra >= 0) {
				x86_alu_ri(&c->b, X_CMP, (int)w, ra, imm);
			} else if (amem) {
				x86_alu_mi(&c->b, X_CMP, (int)w, slot_mem(loc_of(c, ca)->off), imm);
			} else {
				load_value(c, EAX, a);
				x86_alu_ri(&c->b, X_CMP, (int)w, EAX, imm);
			}
			return pred_cc(p);
		}
		int rb = -1;
		if (cg_is_var(cb) && loc_of(c, cb)->kind == L_REG && (w == 16 || loc_of(c, cb)->reg < 4))
			rb = loc_of(c, cb)->reg;
		if (rb < 0) {
			load_value(c, ECX, b);
			rb = ECX;
		}
		if (ra >= 0) {
			x86_alu_rr(&c->b, X_CMP, (int)w, ra, rb);
		} else if (amem) {
			/* cmp m, r: flags of m - r */
			x86_alu_mr(&c->b, X_CMP, (int)w, slot_mem(loc_of(c, ca)->off), rb);
		} else {
			load_value(c, EAX, a);
			x86_alu_rr(&c->b, X_CMP, (int)w, EAX, rb);
		}
		return pred_cc(p);
	}
	if (w < 32) {
		load_extended(c, EAX, a, sg);
		if (known_const(c, b, &k)) {
			x86_alu_ri(&c->b, X_CMP, 32, EAX, (int32_t)extend_const(k, w, sg));
		} else {
			load_extended(c, ECX, b, sg);
			x86_alu_rr(&c->b, X_CMP, 32, EAX, ECX);
		}
		return pred_cc(p);
	}
	int r = EAX;
	struct ir_value *ca = cg_canon(c, a);
	if (cg_is_var(ca) && loc_of(c, ca)->kind == L_SLOT) {
		/* cmp [slot], imm / reg */
		struct operand ob = operand_of(c, b, ECX);
		if (ob.k == O_IMM) {
			x86_alu_mi(&c->b, X_CMP, 32, slot_mem(loc_of(c, ca)->off), ob.imm);
			return pred_cc(p);
		}
		if (ob.k == O_REG) {
			x86_alu_mr(&c->b, X_CMP, 32, slot_mem(loc_of(c, ca)->off), ob.r);
			return pred_cc(p);
		}
	}
	if (cg_is_var(ca) && loc_of(c, ca)->kind == L_REG)
		r = loc_of(c, ca)->reg;
	else
		load_value(c, EAX, a);
	struct operand o = operand_of(c, b, ECX);
	if (o.k == O_IMM && o.imm == 0 && (p == IR_ICMP_EQ || p == IR_ICMP_NE)) {
		/* ZF may already say it: and/add/... into r just before */
		if (!x86_zf_of(&c->b, r))
			x86_test_rr(&c->b, 32, r, r);
	} else {
		emit_alu(c, X_CMP, r, o);
	}
	return pred_cc(p);
}

/* Condition of a br/select: fused compare or test of the i1. */
static int cond_cc(struct codegen *c, struct ir_value *cond)
{
	struct ir_value *cv = cg_canon(c, cond);
	struct ir_inst *ci = ir_as_inst(cv);
	if (ci && (c->fl[ci->v.id] & F_FUSED))
		return emit_cmp(c, ci);
	if (cg_is_var(cv) && loc_of(c, cv)->kind == L_REG) {
		int r = loc_of(c, cv)->reg;
		if (r < 4)
			x86_test_ri(&c->b, 8, r, 1);
		else
			x86_test_ri(&c->b, 32, r, 1);
		return X_NE;
	}
	if (cg_is_var(cv) && loc_of(c, cv)->kind == L_SLOT) {
		x86_test_mi(&c->b, 8, slot_mem(loc_of(c, cv)->off), 1);
		return X_NE;
	}
	load_value(c, ECX, cond);
	x86_test_ri(&c->b, 8, ECX, 1);
	return X_NE;
}

/* ---- slots of aggregates ---- */

static bool agg_slot(struct codegen *c, struct ir_value *v, int32_t *off)
{
	v = cg_canon(c, v);
	if (!cg_is_var(v) || loc_of(c, v)->kind != L_SLOT)
		return false;
	*off = loc_of(c, v)->off;
	return true;
}

/* Copy n bytes between two memory operands through EAX (n small). */
static void copy_mem(struct codegen *c, x86_mem d, x86_mem s, uint32_t n)
{
	uint32_t i = 0;
	for (; i + 4 <= n; i += 4) {
		x86_mov_rm(&c->b, 32, EAX, x86_mx(s.base, s.index, s.scale, s.disp + (int32_t)i));
		x86_mov_mr(&c->b, 32, x86_mx(d.base, d.index, d.scale, d.disp + (int32_t)i), EAX);
	}
	for (; i < n; i++) {
		x86_movzx_rm(&c->b, 8, EAX, x86_mx(s.base, s.index, s.scale, s.disp + (int32_t)i));
		x86_mov_mr(&c->b, 8, x86_mx(d.base, d.index, d.scale, d.disp + (int32_t)i), EAX);
	}
}

/* ---- instructions ---- */

static void emit_copy(struct codegen *c, struct ir_value *dst, struct ir_value *src)
{
	uint32_t w = cg_type_bits(dst->type);
	if (w > 32) {
		if (cg_type_bits(src->type) <= 32) {
			isel_fail(c, "internal: copy width mismatch");
			return;
		}
		load_pair(c, EAX, EDX, src);
		store_pair(c, dst, EAX, EDX);
		return;
	}
	if (w == 0) {
		int32_t so, dof;
		if (!agg_slot(c, dst, &dof)) {
			isel_fail(c, "unsupported value type");
			return;
		}
		if (agg_slot(c, src, &so))
			copy_mem(c, slot_mem(dof), slot_mem(so), (uint32_t)ir_type_size(dst->type));
		return;
	}
	int r = dest_reg(c, dst);
	load_value(c, r, src);
	store_result(c, dst, r);
}

/* For an i64 operand whose high word is known zero (a zext from at most
 * 32 bits, or a small constant): the operand; else NULL. */
static struct ir_value *zext32_src(struct codegen *c, struct ir_value *v)
{
	uint64_t k;
	if (known_const(c, v, &k))
		return (k >> 32) == 0 && cg_type_bits(v->type) == 64 ? v : NULL;
	struct ir_inst *in = ir_as_inst(cg_canon(c, v));
	/* a fused zext (opt.c fuse_zext) is its 32-bit source; else the
	 * zext's own (live) value, whose low word is the source: its
	 * operand may be dead here */
	if (in && in->op == IR_OP_ZEXT && (c->fl[in->v.id] & F_FUSED))
		return ir_op(in, 0);
	if (in && in->op == IR_OP_ZEXT && cg_type_bits(ir_op(in, 0)->type) <= 32 &&
	    cg_type_bits(in->v.type) == 64)
		return v;
	return NULL;
}

/* The x86 ALU operation of add/sub/and/or/xor. */
static int alu_of(enum ir_opcode op)
{
	return op == IR_OP_ADD ? X_ADD : op == IR_OP_SUB ? X_SUB : op == IR_OP_AND ? X_AND :
	       op == IR_OP_OR ? X_OR : X_XOR;
}

static void emit_binop64(struct codegen *c, struct ir_inst *in)
{
	struct ir_value *a = ir_op(in, 0), *b = ir_op(in, 1);
	uint64_t k;
	switch (in->op) {
	case IR_OP_ADD: case IR_OP_SUB: case IR_OP_AND: case IR_OP_OR: case IR_OP_XOR: {
		int lo = alu_of(in->op);
		int hi = lo == X_ADD ? X_ADC : lo == X_SUB ? X_SBB : lo;
		load_pair(c, EAX, EDX, a);
		if (known_const(c, b, &k)) {
			x86_alu_ri(&c->b, lo, 32, EAX, (int32_t)(uint32_t)k);
			x86_alu_ri(&c->b, hi, 32, EDX, (int32_t)(uint32_t)(k >> 32));
		} else {
			x86_mem bm = pair_mem(c, b, 1);
			x86_alu_rm(&c->b, lo, 32, EAX, bm);
			x86_alu_rm(&c->b, hi, 32, EDX, high_word(bm));
		}
		store_pair(c, &in->v, EAX, EDX);
		return;
	}
	case IR_OP_MUL: {
		struct ir_value *za = zext32_src(c, a), *zb = zext32_src(c, b);
		if (za && zb) {
			/* both high words zero: one 32x32->64 multiply, of the
			 * second source where it is when that is a register */
			load_value(c, EAX, za); /* low words */
			struct ir_value *cb = cg_canon(c, zb);
			int rb = cg_is_var(cb) && cg_type_bits(cb->type) == 32 && loc_of(c, cb)->kind == L_REG ?
				loc_of(c, cb)->reg : -1;
			if (rb < 0) {
				load_value(c, ECX, zb);
				rb = ECX;
			}
			x86_unary_r(&c->b, X_MUL, 32, rb);
			store_pair(c, &in->v, EAX, EDX);
			return;
		}
		x86_mem am_ = pair_mem(c, a, 0), bm = pair_mem(c, b, 1);
		x86_mov_rm(&c->b, 32, ECX, am_);
		x86_imul_rm(&c->b, ECX, high_word(bm));
		x86_mov_rm(&c->b, 32, EAX, high_word(am_));
		x86_imul_rm(&c->b, EAX, bm);
		x86_alu_rr(&c->b, X_ADD, 32, ECX, EAX);
		x86_mov_rm(&c->b, 32, EAX, am_);
		x86_unary_m(&c->b, X_MUL, 32, bm);
		x86_alu_rr(&c->b, X_ADD, 32, EDX, ECX);
		store_pair(c, &in->v, EAX, EDX);
		return;
	}
	case IR_OP_SHL: case IR_OP_LSHR: case IR_OP_ASHR: {
		load_pair(c, EAX, EDX, a);
		if (in->op != IR_OP_SHL)
			extend_pair(c, cg_type_bits(in->v.type), in->op == IR_OP_ASHR);
		if (known_const(c, b, &k)) {
			uint8_t n = (uint8_t)(k & 63);
			if (n == 0) {
			} else if (in->op == IR_OP_SHL) {
				if (n < 32) {
					x86_shld_ri(&c->b, EDX, EAX, n);
					x86_shift_ri(&c->b, X_SHL, 32, EAX, n);
				} else {
					x86_mov_rr(&c->b, 32, EDX, EAX);
					if (n > 32) x86_shift_ri(&c->b, X_SHL, 32, EDX, (uint8_t)(n - 32));
					x86_alu_rr(&c->b, X_XOR, 32, EAX, EAX);
				}
			} else if (n < 32) {
				x86_shrd_ri(&c->b, EAX, EDX, n);
				x86_shift_ri(&c->b, in->op == IR_OP_LSHR ? X_SHR : X_SAR, 32, EDX, n);
			} else {
				x86_mov_rr(&c->b, 32, EAX, EDX);
				if (n > 32)
					x86_shift_ri(&c->b, in->op == IR_OP_LSHR ? X_SHR : X_SAR, 32, EAX, (uint8_t)(n - 32));
				if (in->op == IR_OP_LSHR)
					x86_alu_rr(&c->b, X_XOR, 32, EDX, EDX);
				else
					x86_shift_ri(&c->b, X_SAR, 32, EDX, 31);
			}
			store_pair(c, &in->v, EAX, EDX);
			return;
		}
		load_value(c, ECX, b);
		x86_label done;
		x86_label_init(&done);
		if (in->op == IR_OP_SHL) {
			x86_shld_rcl(&c->b, EDX, EAX);
			x86_shift_rcl(&c->b, X_SHL, 32, EAX);
		} else {
			x86_shrd_rcl(&c->b, EAX, EDX);
			x86_shift_rcl(&c->b, in->op == IR_OP_LSHR ? X_SHR : X_SAR, 32, EDX);
		}
		x86_test_ri(&c->b, 8, ECX, 32);
		x86_jcc(&c->b, X_E, &done);
		if (in->op == IR_OP_SHL) {
			x86_mov_rr(&c->b, 32, EDX, EAX);
			x86_alu_rr(&c->b, X_XOR, 32, EAX, EAX);
		} else {
			x86_mov_rr(&c->b, 32, EAX, EDX);
			if (in->op == IR_OP_LSHR)
				x86_alu_rr(&c->b, X_XOR, 32, EDX, EDX);
			else
				x86_shift_ri(&c->b, X_SAR, 32, EDX, 31);
		}
		x86_bind(&c->b, &done);
		store_pair(c, &in->v, EAX, EDX);
		return;
	}
	case IR_OP_UDIV: case IR_OP_SDIV: case IR_OP_UREM: case IR_OP_SREM: {
		const char *fn = in->op == IR_OP_UDIV ? "__udivdi3" : in->op == IR_OP_SDIV ? "__divdi3" :
				 in->op == IR_OP_UREM ? "__umoddi3" : "__moddi3";
		uint32_t w = cg_type_bits(in->v.type);
		bool sg = in->op == IR_OP_SDIV || in->op == IR_OP_SREM;
		x86_mem am_ = pair_mem_ext(c, a, 0, w, sg), bm = pair_mem_ext(c, b, 1, w, sg);
		x86_push_m(&c->b, high_word(bm));
		x86_push_m(&c->b, bm);
		x86_push_m(&c->b, high_word(am_));
		x86_push_m(&c->b, am_);
		uint32_t at = x86_call_rel32(&c->b);
		cg_reloc(c, JIT_R_IMPORT, false, cg_import(c, fn), at);
		x86_alu_ri(&c->b, X_ADD, 32, ESP, 16);
		store_pair(c, &in->v, EAX, EDX);
		return;
	}
	default:
		isel_fail(c, "unsupported 64-bit operation");
	}
}

static int reg_of(struct codegen *c, struct ir_value *v);
static int reg_any(struct codegen *c, struct ir_value *v);
static int own_reg(struct codegen *c, struct ir_value *v);
static bool agg_copy(struct codegen *c, struct ir_inst *p, struct cg_loc dst, struct ir_value *v);


/* add, sub, and, or, xor, mul (32 bits) into register r */
static void emit_arith(struct codegen *c, struct ir_inst *in, int r)
{
	struct ir_value *a = ir_op(in, 0), *b = ir_op(in, 1);
	uint64_t k;
	bool comm = in->op != IR_OP_SUB;
	if (comm && (known_const(c, a, &k) || (r != EAX && in_reg(c, b, r)) || fused_load(c, a))) {
		struct ir_value *t = a;
		a = b;
		b = t;
	}
	struct ir_inst *lb = fused_load(c, b);
	if (lb) {
		/* op r, [m] (opt.c fuse_alu_load).  r: a result in ECX/EDX is
		 * computed there, the address taking EAX and the other one as
		 * scratch (the writes of r are its definition); otherwise r is
		 * dest_reg's, EAX or a callee-saved register, and the address
		 * takes ECX/EDX.  A register of the address may be r itself (a
		 * value dying here): then a cannot go into r first. */
		int own = own_reg(c, &in->v);
		uint8_t wm = c->b.wmask;
		if (own >= 0)
			r = own;
		struct address m;
		if (r == EAX) {
			load_value(c, EAX, a);
			m = address_of(c, ir_op(lb, 0), ECX, EDX);
		} else {
			bool there = in_reg(c, a, r);
			m = own < 0 ? address_of(c, ir_op(lb, 0), ECX, EDX) :
			    address_of(c, ir_op(lb, 0), EAX, own == X_ECX ? EDX : ECX);
			bool into_r = m.m.base == r || m.m.index == r;
			if (!there && into_r) {
				/* load into r, then combine with a (for sub:
				 * a - r in EAX, which the address no longer needs) */
				x86_mov_rm(&c->b, 32, r, m.m);
				addr_reloc(c, &m);
				if (comm) {
					int op = alu_of(in->op);
					struct operand o = operand_of(c, a, EAX);
					if (in->op == IR_OP_MUL && o.k == O_REG)
						x86_imul_rr(&c->b, r, o.r);
					else if (in->op == IR_OP_MUL)
						x86_imul_rm(&c->b, r, o.m);
					else
						emit_alu(c, op, r, o);
				} else {
					load_value(c, EAX, a);
					x86_alu_rr(&c->b, X_SUB, 32, EAX, r);
					r = EAX;
				}
				store_result(c, &in->v, r);
				def_write(c, wm, own);
				return;
			}
			if (!there)
				load_value(c, r, a);
		}
		if (in->op == IR_OP_MUL)
			x86_imul_rm(&c->b, r, m.m);
		else
			x86_alu_rm(&c->b, alu_of(in->op), 32, r, m.m);
		addr_reloc(c, &m);
		store_result(c, &in->v, r);
		def_write(c, wm, own);
		return;
	}
	if (r != EAX && in_reg(c, b, r))
		r = EAX;
	if (in->op == IR_OP_MUL && known_const(c, b, &k)) {
		int32_t imm = (int32_t)(uint32_t)k;
		struct ir_value *ca = cg_canon(c, a);
		int src = r;
		if (!is_pow2((uint32_t)imm) && cg_is_var(ca) && loc_of(c, ca)->kind == L_SLOT && c->tier > 0) {
			x86_imul_rmi(&c->b, r, slot_mem(loc_of(c, ca)->off), imm);
			store_result(c, &in->v, r);
			return;
		}
		if (cg_is_var(ca) && loc_of(c, ca)->kind == L_REG)
			src = loc_of(c, ca)->reg;
		else
			load_value(c, r, a);
		if (is_pow2((uint32_t)imm) && c->tier > 0) {
			if (src != r)
				x86_mov_rr(&c->b, 32, r, src);
			if (imm != 1)
				x86_shift_ri(&c->b, X_SHL, 32, r, log2u((uint32_t)imm));
		} else {
			x86_imul_rri(&c->b, r, src, imm);
		}
		store_result(c, &in->v, r);
		return;
	}
	if ((in->op == IR_OP_ADD || in->op == IR_OP_SUB) && r != EAX) {
		/* three-address add via lea: r = a + b / a + imm (a narrow
		 * value's low bits are right whatever the register's upper
		 * bits hold) */
		int ra = reg_any(c, a), rb = reg_any(c, b);
		uint64_t kb;
		if (ra >= 0 && ra != r && known_const(c, b, &kb)) {
			int32_t d = (int32_t)(uint32_t)kb;
			x86_lea(&c->b, r, x86_m(ra, in->op == IR_OP_ADD ? d : -d));
			return;
		}
		if (in->op == IR_OP_ADD && ra >= 0 && rb >= 0 && ra != r && rb != r) {
			x86_lea(&c->b, r, x86_mx(ra, rb, 1, 0));
			return;
		}
	}
	load_value(c, r, a);
	struct operand o = operand_of(c, b, ECX);
	if (in->op == IR_OP_MUL) {
		if (o.k == O_REG)
			x86_imul_rr(&c->b, r, o.r);
		else
			x86_imul_rm(&c->b, r, o.m);
	} else {
		int op = alu_of(in->op);
		int z = x86_zf_reg(&c->b);
		if ((op == X_ADD || op == X_SUB) && o.k == O_IMM && c->tier > 0 && z >= 0 && z != r)
			/* ZF describes another register, which a test may
			 * still want: lea leaves the flags alone */
			x86_lea(&c->b, r, x86_m(r, op == X_ADD ? o.imm : (int32_t)(0u - (uint32_t)o.imm)));
		else if (op == X_ADD && o.k == O_IMM && o.imm == 1 && c->tier > 0)
			x86_inc_r(&c->b, r);
		else
			emit_alu(c, op, r, o);
	}
	store_result(c, &in->v, r);
}

/* The ECX/EDX register value v lives in (tier >= 1), else -1. */
static int own_reg(struct codegen *c, struct ir_value *v)
{
	struct cg_loc *l = loc_of(c, v);
	if (c->tier == 0 || l->kind != L_REG || (l->reg != X_ECX && l->reg != X_EDX))
		return -1;
	return l->reg;
}

/* v is a constant or a value in a register or slot: loading it takes no
 * scratch register. */
static bool simple_opnd(struct codegen *c, struct ir_value *v)
{
	uint64_t k;
	v = cg_canon(c, v);
	if (known_const(c, v, &k))
		return true;
	if (!cg_is_var(v) || (loc_of(c, v)->kind != L_REG && loc_of(c, v)->kind != L_SLOT))
		return false;
	return v->kind != IR_VAL_INST || !(c->fl[v->id] & (F_FUSED | F_FOLDADDR));
}

/* The ECX/EDX register of in's result when the arithmetic (or a cast or
 * shift by a constant) can be done in it directly: its operands need no
 * scratch register (emit_arith, emit_cast, emit_binop), else -1.  The
 * caller does not record that write (it is the definition, see live.c
 * range_free, def_write). */
static int direct_reg(struct codegen *c, struct ir_inst *in)
{
	int r = own_reg(c, &in->v);
	for (uint32_t i = 0; r >= 0 && i < in->nops; i++)
		if (!simple_opnd(c, ir_op(in, i)))
			return -1;
	return r;
}

static void emit_binop(struct codegen *c, struct ir_inst *in)
{
	struct ir_value *a = ir_op(in, 0), *b = ir_op(in, 1);
	uint32_t w = cg_type_bits(in->v.type);
	if (w == 0) {
		isel_fail(c, ir_type_is_fp(in->v.type) ? "floating point is not supported" :
			"vector or unsupported operand type");
		return;
	}
	if (w > 64) {
		isel_fail(c, "integers wider than 64 bits are not supported");
		return;
	}
	if (w > 32) {
		emit_binop64(c, in);
		return;
	}
	uint64_t k;
	int r = dest_reg(c, &in->v);
	switch (in->op) {
	case IR_OP_ADD: case IR_OP_SUB: case IR_OP_AND: case IR_OP_OR:
	case IR_OP_XOR: case IR_OP_MUL: {
		int dr = direct_reg(c, in);
		if (dr < 0) {
			emit_arith(c, in, r);
			return;
		}
		/* computed in its own ECX/EDX: that write is the definition,
		 * not a scratch use (live.c range_free) */
		uint8_t wm = c->b.wmask;
		emit_arith(c, in, dr);
		def_write(c, wm, dr);
		return;
	}
	case IR_OP_SHL: case IR_OP_LSHR: case IR_OP_ASHR: {
		int op = in->op == IR_OP_SHL ? X_SHL : in->op == IR_OP_LSHR ? X_SHR : X_SAR;
		/* by a constant: straight into a destination in ECX/EDX */
		int own = known_const(c, b, &k) ? direct_reg(c, in) : -1;
		uint8_t wm = c->b.wmask;
		if (own >= 0)
			r = own;
		if (in_reg(c, b, r))
			r = EAX;
		if (in->op == IR_OP_SHL)
			load_value(c, r, a);
		else
			load_extended(c, r, a, in->op == IR_OP_ASHR);
		if (known_const(c, b, &k)) {
			uint8_t n = (uint8_t)(k & 31);
			if (n)
				x86_shift_ri(&c->b, op, 32, r, n);
		} else {
			load_value(c, ECX, b);
			x86_shift_rcl(&c->b, op, 32, r);
		}
		store_result(c, &in->v, r);
		def_write(c, wm, own);
		return;
	}
	case IR_OP_UDIV: case IR_OP_UREM: case IR_OP_SDIV: case IR_OP_SREM: {
		bool sg = in->op == IR_OP_SDIV || in->op == IR_OP_SREM;
		bool rem = in->op == IR_OP_UREM || in->op == IR_OP_SREM;
		if (!sg && known_const(c, b, &k) && is_pow2(extend_const(k, w, false)) && c->tier > 0) {
			uint32_t d = extend_const(k, w, false);
			if (in_reg(c, a, r) || !in_reg(c, b, r)) {
				load_extended(c, r, a, false);
				if (rem)
					x86_alu_ri(&c->b, X_AND, 32, r, (int32_t)(d - 1));
				else if (d > 1)
					x86_shift_ri(&c->b, X_SHR, 32, r, log2u(d));
				store_result(c, &in->v, r);
				return;
			}
		}
		load_extended(c, EAX, a, sg);
		load_extended(c, ECX, b, sg);
		if (sg) {
			x86_cdq(&c->b);
			x86_unary_r(&c->b, X_IDIV, 32, ECX);
		} else {
			x86_alu_rr(&c->b, X_XOR, 32, EDX, EDX);
			x86_unary_r(&c->b, X_DIV, 32, ECX);
		}
		store_result(c, &in->v, rem ? EDX : EAX);
		return;
	}
	default:
		isel_fail(c, "unsupported binary operation");
	}
}

static void emit_cast(struct codegen *c, struct ir_inst *in)
{
	struct ir_value *a = ir_op(in, 0);
	uint32_t sw = cg_type_bits(a->type), dw = cg_type_bits(in->v.type);
	if (in->op == IR_OP_BITCAST || in->op == IR_OP_ADDRSPACECAST || in->op == IR_OP_FREEZE) {
		if (ir_type_is_fp(a->type) || ir_type_is_fp(in->v.type)) {
			isel_fail(c, "floating point is not supported");
			return;
		}
		if (in->v.type->kind == IR_TY_VECTOR || a->type->kind == IR_TY_VECTOR) {
			isel_fail(c, "vectors are not supported");
			return;
		}
		emit_copy(c, &in->v, a);
		return;
	}
	if (in->op != IR_OP_TRUNC && in->op != IR_OP_ZEXT && in->op != IR_OP_SEXT &&
	    in->op != IR_OP_PTRTOINT && in->op != IR_OP_INTTOPTR) {
		isel_fail(c, "floating point conversion is not supported");
		return;
	}
	if (sw == 0 || dw == 0 || sw > 64 || dw > 64) {
		isel_fail(c, "unsupported integer width in conversion");
		return;
	}
	bool sg = in->op == IR_OP_SEXT;
	if (dw <= 32) {
		int r = dest_reg(c, &in->v), own = sw <= 32 ? direct_reg(c, in) : -1;
		uint8_t wm = c->b.wmask;
		if (own >= 0)
			r = own;
		if (dw <= sw || in->op == IR_OP_TRUNC)
			load_value(c, r, a); /* low word */
		else
			load_extended(c, r, a, sg);
		store_result(c, &in->v, r);
		def_write(c, wm, own);
		return;
	}
	if (sw > 32) {
		load_pair(c, EAX, EDX, a);
		if (in->op != IR_OP_TRUNC && sw < 64)
			extend_pair(c, sw, sg);
		store_pair(c, &in->v, EAX, EDX);
		return;
	}
	load_extended(c, EAX, a, sg);
	if (sg) {
		x86_mov_rr(&c->b, 32, EDX, EAX);
		x86_shift_ri(&c->b, X_SAR, 32, EDX, 31);
	} else {
		x86_alu_rr(&c->b, X_XOR, 32, EDX, EDX);
	}
	store_pair(c, &in->v, EAX, EDX);
}

static void emit_select(struct codegen *c, struct ir_inst *in)
{
	struct ir_value *t = ir_op(in, 1), *f = ir_op(in, 2);
	uint32_t w = cg_type_bits(in->v.type);
	if (w == 0 && ir_type_is_aggregate(in->v.type)) {
		/* a first-class aggregate in its slot: copy one arm */
		int cc = cond_cc(c, ir_op(in, 0));
		x86_label lf, done;
		x86_label_init(&lf);
		x86_label_init(&done);
		x86_jcc(&c->b, cc ^ 1, &lf);
		if (!agg_copy(c, in, *loc_of(c, &in->v), t))
			return;
		x86_jmp(&c->b, &done);
		x86_bind(&c->b, &lf);
		if (!agg_copy(c, in, *loc_of(c, &in->v), f))
			return;
		x86_bind(&c->b, &done);
		return;
	}
	if (w == 0) {
		isel_fail(c, "select of an unsupported type");
		return;
	}
	int cc = cond_cc(c, ir_op(in, 0));
	c->keep_flags = true;
	if (w > 32) {
		x86_mem tm = pair_mem(c, t, 1);
		load_pair(c, EAX, EDX, f);
		x86_cmov_rm(&c->b, cc, EAX, tm);
		x86_cmov_rm(&c->b, cc, EDX, high_word(tm));
		c->keep_flags = false;
		store_pair(c, &in->v, EAX, EDX);
		return;
	}
	int r = dest_reg(c, &in->v);
	if (r != EAX && in_reg(c, t, r)) {
		/* the destination already holds t: move f in where the
		 * condition is false */
		t = f;
		cc ^= 1;
	} else {
		if (in_reg(c, t, r))
			r = EAX;
		load_value(c, r, f);
	}
	struct operand o = operand_of(c, t, ECX);
	if (o.k == O_IMM) {
		x86_mov_ri(&c->b, 32, ECX, o.imm);
		o.k = O_REG;
		o.r = ECX;
	}
	if (o.k == O_REG)
		x86_cmov_rr(&c->b, cc, r, o.r);
	else
		x86_cmov_rm(&c->b, cc, r, o.m);
	c->keep_flags = false;
	store_result(c, &in->v, r);
}

/* Register holding v when it is allocated one (32-bit values), else -1. */
static int reg_of(struct codegen *c, struct ir_value *v)
{
	v = cg_canon(c, v);
	if (cg_is_var(v) && loc_of(c, v)->kind == L_REG && cg_type_bits(v->type) >= 32)
		return loc_of(c, v)->reg;
	return -1;
}

/* Register holding v when it is allocated one, of any width up to 32. */
static int reg_any(struct codegen *c, struct ir_value *v)
{
	v = cg_canon(c, v);
	if (cg_is_var(v) && loc_of(c, v)->kind == L_REG && cg_type_bits(v->type) <= 32)
		return loc_of(c, v)->reg;
	return -1;
}

static bool valid_scale(uint64_t s) { return s == 1 || s == 2 || s == 4 || s == 8; }

/* v (an index, sign-extended to 32 bits) in a register: its own or s. */
static int idx_reg(struct codegen *c, struct ir_value *x, int s)
{
	int r = reg_of(c, x);
	if (r >= 0)
		return r;
	if (cg_type_bits(x->type) < 32)
		load_extended(c, s, x, true);
	else
		load_value(c, s, x);
	return s;
}

static void emit_gep(struct codegen *c, struct ir_inst *in)
{
	struct ir_type *t = in->src_type;
	int64_t off = 0;
	int r = dest_reg(c, &in->v);
	struct ir_value *vx[16];
	uint64_t vs[16];
	uint32_t nvar = 0;
	for (uint32_t i = 1; i < in->nops; i++) {
		struct ir_value *x = ir_op(in, i);
		uint64_t k;
		uint64_t esz;
		if (i == 1) {
			esz = ir_type_size(t);
		} else if (t->kind == IR_TY_STRUCT) {
			if (!known_const(c, x, &k) || k >= t->nmembers) {
				isel_fail(c, "bad struct index");
				return;
			}
			off += (int64_t)ir_struct_offset(t, (uint32_t)k);
			t = t->members[k];
			continue;
		} else if (t->kind == IR_TY_ARRAY) {
			t = t->elem;
			esz = ir_type_size(t);
		} else {
			isel_fail(c, "getelementptr into a vector is not supported");
			return;
		}
		if (known_const(c, x, &k)) {
			off += (int64_t)(int32_t)extend_const(k, cg_type_bits(x->type) > 32 ? 32 : cg_type_bits(x->type), true) *
			       (int64_t)esz;
			continue;
		}
		if (esz == 0)
			continue;
		if (nvar >= 16) {
			isel_fail(c, "getelementptr with too many indices");
			return;
		}
		vx[nvar] = x;
		vs[nvar++] = esz;
	}
	/* all but the last variable index summed into EDX */
	bool acc = false;
	for (uint32_t i = 0; i + 1 < nvar; i++) {
		int xr = idx_reg(c, vx[i], ECX);
		if (valid_scale(vs[i])) {
			if (!acc && vs[i] == 1)
				x86_mov_rr(&c->b, 32, EDX, xr);
			else
				x86_lea(&c->b, EDX, acc ? x86_mx(EDX, xr, (int)vs[i], 0) :
							 x86_mx(X_NOREG, xr, (int)vs[i], 0));
		} else if (!acc) {
			x86_imul_rri(&c->b, EDX, xr, (int32_t)vs[i]);
		} else {
			x86_imul_rri(&c->b, ECX, xr, (int32_t)vs[i]);
			x86_alu_rr(&c->b, X_ADD, 32, EDX, ECX);
		}
		acc = true;
	}
	/* with at most one variable index (no sum in EDX) a result in
	 * ECX/EDX is written there by the final lea, its scratch registers
	 * being EAX and the other one (see emit_load) */
	int own = nvar <= 1 ? own_reg(c, &in->v) : -1, sx = own == X_ECX ? EDX : ECX;
	uint8_t wm = c->b.wmask;
	if (own >= 0)
		r = own;
	int ix = X_NOREG, sc = 1;
	if (nvar) {
		ix = idx_reg(c, vx[nvar - 1], sx);
		sc = (int)vs[nvar - 1];
		if (!valid_scale(vs[nvar - 1])) {
			x86_imul_rri(&c->b, sx, ix, (int32_t)vs[nvar - 1]);
			ix = sx;
			sc = 1;
		}
	}
	struct address base = address_of(c, ir_op(in, 0), EAX, X_NOREG);
	if (base.m.index != X_NOREG) {
		lea_address(c, EAX, base);
		base.m = x86_m(EAX, 0);
		base.rk = RK_NONE;
	}
	if (acc) {
		if (base.m.base == X_FP) {
			/* a frame object: X_FP is a pseudo-register that only
			 * memory operands translate (to ESP + bias or EBP) */
			x86_lea(&c->b, EDX, x86_mx(X_FP, EDX, 1, base.m.disp));
			base.m.disp = 0;
		} else if (base.m.base != X_NOREG) {
			x86_alu_rr(&c->b, X_ADD, 32, EDX, base.m.base);
		}
		base.m.base = EDX;
	}
	base.m.disp += (int32_t)off;
	if (ix != X_NOREG) {
		if (base.m.base == X_NOREG && sc == 1) {
			base.m.base = (int8_t)ix;
		} else {
			base.m.index = (int8_t)ix;
			base.m.scale = (uint8_t)sc;
		}
	}
	if (base.m.base == X_NOREG && base.m.index == X_NOREG) {
		lea_address(c, r, base);
	} else if (base.m.disp == 0 && base.m.index == X_NOREG && base.rk == RK_NONE &&
		   base.m.base != X_FP) {
		if (base.m.base != r)
			x86_mov_rr(&c->b, 32, r, base.m.base);
	} else {
		x86_lea(&c->b, r, base.m);
		addr_reloc(c, &base);
	}
	store_result(c, &in->v, r);
	def_write(c, wm, own);
}

static void emit_load(struct codegen *c, struct ir_inst *in)
{
	struct ir_value *p = ir_op(in, 0);
	struct ir_value *pc = cg_canon(c, p);
	struct ir_inst *pi = ir_as_inst(pc);
	struct ir_type *t = in->v.type;
	uint32_t w = cg_type_bits(t);
	if (pi && (c->fl[pi->v.id] & F_PROMOTED)) {
		int r = dest_reg(c, &in->v);
		load_vreg(c, r, pi->v.id);
		store_result(c, &in->v, r);
		return;
	}
	if (ir_type_is_fp(t)) {
		isel_fail(c, "floating point is not supported");
		return;
	}
	if (w == 0) {
		int32_t so;
		uint64_t sz = ir_type_size(t);
		if (!ir_type_is_aggregate(t) || sz > 256 || !agg_slot(c, &in->v, &so)) {
			isel_fail(c, "load of an unsupported type");
			return;
		}
		struct address a = address_of(c, p, ECX, EDX);
		lea_address(c, ECX, a);
		copy_mem(c, slot_mem(so), x86_m(ECX, 0), (uint32_t)sz);
		return;
	}
	uint32_t nb = (w + 7) / 8;
	if (nb == 3 || (nb >= 5 && nb <= 7)) {
		/* odd sizes (bit-field storage units): byte/word pieces */
		struct address a = address_of(c, p, ECX, EDX);
		lea_address(c, EDX, a);
		if (nb == 3) {
			x86_movzx_rm(&c->b, 16, EAX, x86_m(EDX, 0));
			x86_movzx_rm(&c->b, 8, ECX, x86_m(EDX, 2));
			x86_shift_ri(&c->b, X_SHL, 32, ECX, 16);
			x86_alu_rr(&c->b, X_OR, 32, EAX, ECX);
			store_result(c, &in->v, EAX);
			return;
		}
		x86_mov_rm(&c->b, 32, EAX, x86_m(EDX, 0));
		if (nb == 5) {
			x86_movzx_rm(&c->b, 8, ECX, x86_m(EDX, 4));
		} else {
			x86_movzx_rm(&c->b, 16, ECX, x86_m(EDX, 4));
			if (nb == 7) {
				x86_movzx_rm(&c->b, 8, EDX, x86_m(EDX, 6));
				x86_shift_ri(&c->b, X_SHL, 32, EDX, 16);
				x86_alu_rr(&c->b, X_OR, 32, ECX, EDX);
			}
		}
		store_pair(c, &in->v, EAX, ECX);
		return;
	}
	if (w > 64) {
		isel_fail(c, "unsupported load width");
		return;
	}
	if (w > 32) {
		/* i57..i64: 8 bytes (the bits above the width are don't-care in
		 * a container, as in any narrower value) */
		struct address a = address_of(c, p, ECX, EDX);
		if (a.rk != RK_NONE) {
			lea_address(c, ECX, a);
			a.m = x86_m(ECX, 0);
			a.rk = RK_NONE;
		}
		x86_mov_rm(&c->b, 32, EAX, a.m);
		x86_mov_rm(&c->b, 32, EDX, high_word(a.m));
		store_pair(c, &in->v, EAX, EDX);
		return;
	}
	/* i25..i31: 4 bytes (i17..i24 are 3-byte pieces above) */
	int r = dest_reg(c, &in->v);
	/* EAX as the address scratch when it is the destination anyway: the
	 * load then leaves ECX/EDX alone; a value in ECX/EDX is loaded
	 * straight into it, EAX and the other one the address scratch (the
	 * write is its definition: not recorded, see live.c range_free) */
	int own = own_reg(c, &in->v);
	uint8_t wm = c->b.wmask;
	if (own >= 0)
		r = own;
	struct address a = r == EAX ? address_of(c, p, EAX, ECX) : own >= 0 ? address_of(c, p, EAX, own == X_ECX ? EDX : ECX) :
		address_of(c, p, ECX, EDX);
	if (w <= 8)
		x86_movzx_rm(&c->b, 8, r, a.m);
	else if (w <= 16)
		x86_movzx_rm(&c->b, 16, r, a.m);
	else
		x86_mov_rm(&c->b, 32, r, a.m);
	addr_reloc(c, &a);
	store_result(c, &in->v, r);
	def_write(c, wm, own);
}

static void emit_store(struct codegen *c, struct ir_inst *in)
{
	struct ir_value *v = ir_op(in, 0), *p = ir_op(in, 1);
	struct ir_value *pc = cg_canon(c, p);
	struct ir_inst *pi = ir_as_inst(pc);
	uint32_t w = cg_type_bits(v->type);
	if (pi && (c->fl[pi->v.id] & F_PROMOTED)) {
		struct cg_loc *l = &c->loc[pi->v.id];
		int r = l->kind == L_REG ? l->reg : EAX;
		if (!(l->kind == L_REG && in_reg(c, v, r)))
			load_value(c, r, v); /* a plain move: fine for ECX/EDX too */
		store_vreg(c, pi->v.id, r);
		return;
	}
	if (ir_type_is_fp(v->type)) {
		isel_fail(c, "floating point is not supported");
		return;
	}
	if (w == 0) {
		int32_t so;
		uint64_t sz = ir_type_size(v->type);
		if (!ir_type_is_aggregate(v->type) || sz > 256) {
			isel_fail(c, "store of an unsupported type");
			return;
		}
		struct address a = address_of(c, p, ECX, EDX);
		lea_address(c, ECX, a);
		if (agg_slot(c, v, &so)) {
			copy_mem(c, x86_m(ECX, 0), slot_mem(so), (uint32_t)sz);
		} else {
			uint64_t k;
			struct ir_value *cv = cg_canon(c, v);
			if (cv->kind != IR_VAL_CONST_NULL && cv->kind != IR_VAL_CONST_UNDEF &&
			    cv->kind != IR_VAL_CONST_POISON) {
				(void)k;
				isel_fail(c, "store of an unsupported aggregate constant");
				return;
			}
			x86_alu_rr(&c->b, X_XOR, 32, EAX, EAX);
			uint32_t i = 0;
			for (; i + 4 <= sz; i += 4)
				x86_mov_mr(&c->b, 32, x86_m(ECX, (int32_t)i), EAX);
			for (; i < sz; i++)
				x86_mov_mr(&c->b, 8, x86_m(ECX, (int32_t)i), EAX);
		}
		return;
	}
	uint32_t nb = (w + 7) / 8;
	if (nb == 3 || (nb >= 5 && nb <= 7)) {
		struct address a = address_of(c, p, ECX, EDX);
		lea_address(c, EDX, a);
		if (nb == 3) {
			load_value(c, EAX, v);
			x86_mov_mr(&c->b, 16, x86_m(EDX, 0), EAX);
			x86_shift_ri(&c->b, X_SHR, 32, EAX, 16);
			x86_mov_mr(&c->b, 8, x86_m(EDX, 2), EAX);
			return;
		}
		load_pair(c, EAX, ECX, v);
		x86_mov_mr(&c->b, 32, x86_m(EDX, 0), EAX);
		if (nb == 5) {
			x86_mov_mr(&c->b, 8, x86_m(EDX, 4), ECX);
		} else {
			x86_mov_mr(&c->b, 16, x86_m(EDX, 4), ECX);
			if (nb == 7) {
				x86_shift_ri(&c->b, X_SHR, 32, ECX, 16);
				x86_mov_mr(&c->b, 8, x86_m(EDX, 6), ECX);
			}
		}
		return;
	}
	if (w > 64) {
		isel_fail(c, "unsupported store width");
		return;
	}
	if (w > 32) {
		/* i57..i64: 8 bytes */
		struct address a = address_of(c, p, ECX, EDX);
		lea_address(c, ECX, a);
		uint64_t k;
		if (known_const(c, v, &k)) {
			x86_mov_mi(&c->b, 32, x86_m(ECX, 0), (int32_t)(uint32_t)k);
			x86_mov_mi(&c->b, 32, x86_m(ECX, 4), (int32_t)(uint32_t)(k >> 32));
			return;
		}
		x86_mem vm = pair_mem(c, v, 0);
		x86_mov_rm(&c->b, 32, EAX, vm);
		x86_mov_mr(&c->b, 32, x86_m(ECX, 0), EAX);
		x86_mov_rm(&c->b, 32, EAX, high_word(vm));
		x86_mov_mr(&c->b, 32, x86_m(ECX, 4), EAX);
		return;
	}
	int size = w <= 8 ? 8 : w <= 16 ? 16 : 32;
	/* i25..i31: 4 bytes */
	uint64_t k;
	int r = EAX;
	bool imm = known_const(c, v, &k);
	if (!imm) {
		struct ir_value *cv = cg_canon(c, v);
		/* a value in a register is stored from there (ESI/EDI have no
		 * byte form) */
		if (cg_is_var(cv) && loc_of(c, cv)->kind == L_REG && (size > 8 || loc_of(c, cv)->reg < 4))
			r = loc_of(c, cv)->reg;
		else
			load_value(c, EAX, v);
	}
	/* address scratch: EAX and one of ECX/EDX the value is not in */
	struct address a = (imm || r != EAX) ? address_of(c, p, EAX, r == X_ECX ? EDX : ECX) : address_of(c, p, ECX, EDX);
	if (imm) {
		x86_mov_mi(&c->b, size, a.m, (int32_t)(uint32_t)k);
		if (a.rk != RK_NONE)
			cg_reloc(c, a.rk, false, a.sym, c->b.len - 4 - (uint32_t)size / 8);
		return;
	}
	if (imm)
		load_imm(c, EAX, (uint32_t)k);
	x86_mov_mr(&c->b, size, a.m, r);
	addr_reloc(c, &a);
}

/* ---- calls and intrinsics ---- */

static uint32_t push_arg(struct codegen *c, struct ir_value *v, const struct ir_attrs *at)
{
	uint32_t w = cg_type_bits(v->type);
	if (at && (at->flags & IR_ATTR_BYVAL) && at->type) {
		/* the callee gets a copy of the object on the stack */
		uint64_t sz = ir_type_size(at->type);
		if (sz > 65536) {
			isel_fail(c, "byval argument too large");
			return 0;
		}
		uint32_t rs = ((uint32_t)sz + 3) & ~3u;
		x86_alu_ri(&c->b, X_SUB, 32, ESP, (int32_t)rs);
		load_value(c, ECX, v);
		copy_mem(c, x86_m(ESP, 0), x86_m(ECX, 0), (uint32_t)sz);
		return rs;
	}
	if (at && w < 32 && w > 0 && (at->flags & (IR_ATTR_SEXT | IR_ATTR_ZEXT))) {
		load_extended(c, EAX, v, (at->flags & IR_ATTR_SEXT) != 0);
		x86_push_r(&c->b, EAX);
		return 4;
	}
	if (w == 0) {
		isel_fail(c, ir_type_is_fp(v->type) ? "floating point is not supported" :
			"unsupported argument type (aggregate or vector)");
		return 0;
	}
	if (w > 32) {
		uint64_t k;
		if (known_const(c, v, &k)) {
			x86_push_i(&c->b, (int32_t)(uint32_t)(k >> 32));
			x86_push_i(&c->b, (int32_t)(uint32_t)k);
			return 8;
		}
		x86_mem m = pair_mem(c, v, 0);
		x86_push_m(&c->b, high_word(m));
		x86_push_m(&c->b, m);
		return 8;
	}
	if (w == 1) {
		load_extended(c, EAX, v, false);
		x86_push_r(&c->b, EAX);
		return 4;
	}
	struct ir_inst *li = fused_load(c, v);
	if (li) {
		/* opt.c fuse_push */
		struct address a = address_of(c, ir_op(li, 0), EAX, ECX);
		x86_push_m(&c->b, a.m);
		addr_reloc(c, &a);
		return 4;
	}
	struct operand o = operand_of(c, v, EAX);
	if (o.k == O_IMM)
		x86_push_i(&c->b, o.imm);
	else if (o.k == O_REG)
		x86_push_r(&c->b, o.r);
	else
		x86_push_m(&c->b, o.m);
	return 4;
}

static void call_import(struct codegen *c, const char *name)
{
	uint32_t at = x86_call_rel32(&c->b);
	cg_reloc(c, JIT_R_IMPORT, false, cg_import(c, name), at);
}

static void set_result(struct codegen *c, struct ir_inst *in)
{
	uint32_t w = cg_type_bits(in->v.type);
	if (in->v.type->kind == IR_TY_VOID)
		return;
	if (w == 0)
		isel_fail(c, "unsupported return type");
	else if (w > 32)
		store_pair(c, &in->v, EAX, EDX);
	else
		store_result(c, &in->v, EAX);
}

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

static void emit_intrinsic(struct codegen *c, struct ir_inst *in, const struct ir_func *callee)
{
	enum ir_intrinsic id = callee->intrinsic;
	struct ir_value *a1 = in->nops > 1 ? ir_op(in, 1) : NULL;
	struct ir_value *a2 = in->nops > 2 ? ir_op(in, 2) : NULL;
	uint32_t w = a1 ? cg_type_bits(a1->type) : 0;
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
	case IR_INTR_SADD_OV: case IR_INTR_UADD_OV:
		emit_overflow(c, in, 'a', id == IR_INTR_SADD_OV);
		return;
	case IR_INTR_SSUB_OV: case IR_INTR_USUB_OV:
		emit_overflow(c, in, 's', id == IR_INTR_SSUB_OV);
		return;
	case IR_INTR_SMUL_OV: case IR_INTR_UMUL_OV:
		emit_overflow(c, in, 'm', id == IR_INTR_SMUL_OV);
		return;
	default:
		break;
	}
	cg_fail(c, c->cur, "unsupported intrinsic %s", callee->v.name ? callee->v.name : "llvm.?");
}

static void move_pair(struct codegen *c, int src0, int src1, struct ir_value *v0, struct ir_value *v1);

static void emit_call(struct codegen *c, struct ir_inst *in)
{
	struct ir_func *callee = ir_call_target(in);
	if (callee && callee->intrinsic) {
		emit_intrinsic(c, in, callee);
		return;
	}
	if (in->fn_type && in->fn_type->vararg) {
		isel_fail(c, "calls to variadic functions are not supported");
		return;
	}
	if (in->v.type->kind != IR_TY_VOID && cg_type_bits(in->v.type) == 0) {
		isel_fail(c, ir_type_is_fp(in->v.type) ? "floating point is not supported" :
			"unsupported return type");
		return;
	}
	uint32_t bytes = 0;
	bool sret = false;
	/* the callee's leading parameters in ECX/EDX (conv.c), loaded
	 * after the pushes of the others */
	uint32_t nreg = callee ? c->regp[callee->v.id] : 0;
	for (uint32_t i = in->nops; i-- > 1 + nreg;) {
		const struct ir_attrs *at = cg_arg_attrs(in, i);
		if (i == 1 && at && (at->flags & IR_ATTR_SRET))
			sret = true;
		bytes += push_arg(c, ir_op(in, i), at);
	}
	if (nreg) {
		/* after every read of the values dying here (the pushes, and
		 * move_pair orders its own reads first): these writes clobber
		 * nothing, and a value computed in ECX/EDX for them (live.c
		 * reg_hint) must not look clobbered to the dry run */
		uint8_t wm = c->b.wmask;
		move_pair(c, reg_any(c, ir_op(in, 1)), nreg > 1 ? reg_any(c, ir_op(in, 2)) : -1,
			  ir_op(in, 1), nreg > 1 ? ir_op(in, 2) : NULL);
		c->b.wmask = (uint8_t)(wm | (c->b.wmask & ~(1u << X_ECX | 1u << X_EDX)));
	}
	if (callee) {
		x86_call_m(&c->b, x86_m(X_NOREG, (int32_t)(4 * callee->v.id)));
		cg_reloc(c, JIT_R_TABLE, false, 0, c->b.len - 4);
	} else {
		struct ir_value *cv = cg_canon(c, ir_op(in, 0));
		if (cg_is_var(cv) && loc_of(c, cv)->kind == L_REG) {
			x86_call_r(&c->b, loc_of(c, cv)->reg);
		} else if (cg_is_var(cv) && loc_of(c, cv)->kind == L_SLOT) {
			x86_call_m(&c->b, slot_mem(loc_of(c, cv)->off));
		} else {
			load_value(c, EAX, ir_op(in, 0));
			x86_call_r(&c->b, EAX);
		}
	}
	if (sret) { /* the callee popped the hidden pointer (i386 SysV) */
		bytes -= 4;
		c->b.depth -= 4;
	}
	if (bytes)
		x86_alu_ri(&c->b, X_ADD, 32, ESP, (int32_t)bytes);
	set_result(c, in);
}

static void emit_alloca(struct codegen *c, struct ir_inst *in)
{
	uint64_t esz = ir_type_size(in->alloc_type);
	uint32_t al = in->align > 4 ? in->align : 4;
	if (al > 4096) al = 4096;
	load_value(c, EAX, ir_op(in, 0));
	if (esz != 1)
		x86_imul_rri(&c->b, EAX, EAX, (int32_t)esz);
	x86_alu_ri(&c->b, X_ADD, 32, EAX, (int32_t)(al - 1));
	x86_alu_ri(&c->b, X_AND, 32, EAX, -(int32_t)al);
	x86_alu_rr(&c->b, X_SUB, 32, ESP, EAX);
	x86_mov_rr(&c->b, 32, EAX, ESP);
	store_result(c, &in->v, EAX);
}

/* The member an extractvalue/insertvalue index list names: its type, with
 * its byte offset added to *off; NULL for an index that does not fit. */
static struct ir_type *agg_member(struct ir_type *t, const struct ir_inst *in, int32_t *off)
{
	for (uint32_t i = 0; i < in->nidx; i++) {
		if (t->kind == IR_TY_STRUCT && in->idx[i] < t->nmembers) {
			*off += (int32_t)ir_struct_offset(t, in->idx[i]);
			t = t->members[in->idx[i]];
		} else if (t->kind == IR_TY_ARRAY) {
			t = t->elem;
			*off += (int32_t)(in->idx[i] * ir_type_size(t));
		} else {
			return NULL;
		}
	}
	return t;
}

static void emit_extract(struct codegen *c, struct ir_inst *in)
{
	int32_t so;
	struct ir_value *agg = ir_op(in, 0);
	if (!agg_slot(c, agg, &so)) {
		isel_fail(c, "extractvalue from a constant or unsupported aggregate");
		return;
	}
	struct ir_type *t = agg->type;
	int32_t off = so;
	if (!(t = agg_member(t, in, &off))) {
		isel_fail(c, "bad extractvalue index");
		return;
	}
	uint32_t w = cg_type_bits(t);
	if (w == 0) {
		int32_t d;
		if (!agg_slot(c, &in->v, &d)) {
			isel_fail(c, "unsupported extractvalue type");
			return;
		}
		copy_mem(c, slot_mem(d), slot_mem(off), (uint32_t)ir_type_size(t));
		return;
	}
	if (w > 32) {
		x86_mov_rm(&c->b, 32, EAX, slot_mem(off));
		x86_mov_rm(&c->b, 32, EDX, slot_mem(off + 4));
		store_pair(c, &in->v, EAX, EDX);
		return;
	}
	int r = dest_reg(c, &in->v);
	if (w <= 8)
		x86_movzx_rm(&c->b, 8, r, slot_mem(off));
	else if (w <= 16)
		x86_movzx_rm(&c->b, 16, r, slot_mem(off));
	else
		x86_mov_rm(&c->b, 32, r, slot_mem(off));
	store_result(c, &in->v, r);
}

static void emit_insert(struct codegen *c, struct ir_inst *in)
{
	int32_t d, so;
	struct ir_value *agg = ir_op(in, 0), *e = ir_op(in, 1);
	if (!agg_slot(c, &in->v, &d)) {
		isel_fail(c, "unsupported insertvalue");
		return;
	}
	uint32_t sz = (uint32_t)ir_type_size(in->v.type);
	if (agg_slot(c, agg, &so)) {
		copy_mem(c, slot_mem(d), slot_mem(so), sz);
	} else {
		struct ir_value *cv = cg_canon(c, agg);
		if (cv->kind != IR_VAL_CONST_UNDEF && cv->kind != IR_VAL_CONST_POISON &&
		    cv->kind != IR_VAL_CONST_NULL) {
			isel_fail(c, "insertvalue into a constant aggregate");
			return;
		}
		for (uint32_t i = 0; i + 4 <= sz; i += 4)
			x86_mov_mi(&c->b, 32, slot_mem(d + (int32_t)i), 0);
	}
	struct ir_type *t = in->v.type;
	int32_t off = d;
	if (!(t = agg_member(t, in, &off))) {
		isel_fail(c, "bad insertvalue index");
		return;
	}
	uint32_t w = cg_type_bits(t);
	if (w == 0 || w > 64) {
		isel_fail(c, "unsupported insertvalue element");
		return;
	}
	if (w > 32) {
		load_pair(c, EAX, EDX, e);
		x86_mov_mr(&c->b, 32, slot_mem(off), EAX);
		x86_mov_mr(&c->b, 32, slot_mem(off + 4), EDX);
		return;
	}
	load_value(c, EAX, e);
	x86_mov_mr(&c->b, w <= 8 ? 8 : w <= 16 ? 16 : 32, slot_mem(off), EAX);
}

/* ---- control flow ---- */

/* vregs a and b live in the same place (one vreg, the same register or
 * a shared stack slot, see live.c coalesce_slots): a copy is a no-op */
static bool same_loc(struct codegen *c, uint32_t a, uint32_t b)
{
	struct cg_loc *x = &c->loc[a], *y = &c->loc[b];
	if (a == b)
		return true;
	if (x->kind != y->kind)
		return false;
	return (x->kind == L_SLOT && x->off == y->off) || (x->kind == L_REG && x->reg == y->reg);
}

/* A phi or select of a first-class aggregate ({iN, i1} of
 * *.with.overflow, small structs): its value lives in a slot of its
 * size; copied through EAX. */
static bool agg_copy_from(struct codegen *c, struct ir_inst *p, struct cg_loc dst, x86_mem src)
{
	uint64_t sz = ir_type_size(p->v.type);
	if (!ir_type_is_aggregate(p->v.type) || sz == 0 || sz > 256 || dst.kind != L_SLOT) {
		cg_fail(c, p, p->op == IR_OP_PHI ? "phi of an unsupported type" : "select of an unsupported type");
		return false;
	}
	copy_mem(c, slot_mem(dst.off), src, (uint32_t)sz);
	return true;
}

/* ... from value v: an aggregate in a slot, undef/poison (nothing to
 * copy) or zeroinitializer. */
static bool agg_copy(struct codegen *c, struct ir_inst *p, struct cg_loc dst, struct ir_value *v)
{
	int32_t so;
	struct ir_value *cv = cg_canon(c, v);
	if (agg_slot(c, v, &so))
		return agg_copy_from(c, p, dst, slot_mem(so));
	if (cv->kind == IR_VAL_CONST_UNDEF || cv->kind == IR_VAL_CONST_POISON)
		return true;
	uint64_t sz = ir_type_size(p->v.type);
	if (cv->kind != IR_VAL_CONST_NULL || dst.kind != L_SLOT || sz > 256) {
		cg_fail(c, p, "a constant aggregate other than zeroinitializer");
		return false;
	}
	uint32_t i = 0;
	for (; i + 4 <= sz; i += 4)
		x86_mov_mi(&c->b, 32, slot_mem(dst.off + (int32_t)i), 0);
	for (; i < sz; i++)
		x86_mov_mi(&c->b, 8, slot_mem(dst.off + (int32_t)i), 0);
	return true;
}

/* Copies for the edges from `b` into the phis of its successors.  The
 * phi scheme guarantees that no copy destination is read by another copy
 * of the same group (see live.c), so sequential moves are exact. */
static void edge_copies(struct codegen *c, struct ir_block *b, struct ir_block **succ, uint32_t nsucc)
{
	/* phis of different successors may share a register when they get
	 * the same value here (live.c sibling_copies): one copy does */
	uint32_t done_dst[8], ndone = 0;
	struct ir_value *done_src[8];
	for (uint32_t s = 0; s < nsucc; s++) {
		bool dup = false;
		for (uint32_t t = 0; t < s; t++)
			dup |= succ[t] == succ[s];
		if (dup)
			continue;
		for (struct ir_inst *p = succ[s]->first; p && p->op == IR_OP_PHI; p = p->next) {
			if (c->fl[p->v.id] & (F_DEAD | F_CONST | F_ALIAS))
				continue;
			struct ir_value *v = ir_phi_incoming(p, b);
			if (!v) {
				cg_fail(c, p, "phi without an incoming value for a predecessor");
				return;
			}
			uint32_t dst = cg_phi_dst(c, p);
			uint32_t w = cg_type_bits(p->v.type);
			struct ir_value *cv = cg_canon(c, v);
			if (cg_is_var(cv) && same_loc(c, cv->id, dst))
				continue;
			bool again = false;
			for (uint32_t d = 0; d < ndone && !again; d++)
				again = done_src[d] == cv && same_loc(c, done_dst[d], dst);
			if (again)
				continue;
			if (ndone < 8 && w <= 32) {
				done_dst[ndone] = dst;
				done_src[ndone++] = cv;
			}
			if (w > 32) {
				load_pair(c, EAX, EDX, v);
				store_pair_vreg(c, dst, EAX, EDX);
			} else if (w == 0) {
				if (!agg_copy(c, p, c->loc[dst], v))
					return;
			} else {
				struct cg_loc *l = &c->loc[dst];
				uint64_t k;
				if (l->kind == L_SLOT && known_const(c, v, &k)) {
					x86_mov_mi(&c->b, 32, slot_mem(l->off), (int32_t)(uint32_t)k);
				} else if (l->kind == L_SLOT && cg_is_var(cv) && loc_of(c, cv)->kind == L_REG) {
					x86_mov_mr(&c->b, 32, slot_mem(l->off), loc_of(c, cv)->reg);
				} else {
					/* the write of a phi destination in ECX/EDX is its
					 * definition, not a scratch use (live.c range_free) */
					uint8_t wm = c->b.wmask;
					int r = l->kind == L_REG ? l->reg : EAX;
					load_value(c, r, v);
					store_vreg(c, dst, r);
					if (r == X_ECX || r == X_EDX)
						def_write(c, wm, r);
				}
			}
		}
	}
}

static bool phi_needs_edges(struct ir_block **succ, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++)
		if (succ[i]->first && succ[i]->first->op == IR_OP_PHI)
			return true;
	return false;
}

static uint32_t live_phis(struct codegen *c, struct ir_block *b)
{
	uint32_t n = 0;
	for (struct ir_inst *p = b->first; p && p->op == IR_OP_PHI; p = p->next)
		if (!(c->fl[p->v.id] & (F_DEAD | F_CONST | F_ALIAS)))
			n++;
	return n;
}

static void jump_to(struct codegen *c, struct ir_block *from, struct ir_block *to)
{
	(void)from;
	x86_jmp(&c->b, &c->blab[to->index]);
}

/* Index of the next reachable block after b in layout, or nblocks. */
static uint32_t next_block(struct codegen *c, uint32_t i)
{
	for (uint32_t j = i + 1; j < c->f->nblocks; j++)
		if (!c->reach || c->reach[j])
			return j;
	return c->f->nblocks;
}

/* br on a fused `or`/`and` of two compares (opt.c fuse_chain): the
 * first compare decides alone when it can, the second decides the rest.
 * An edge with phi copies gets them after all the compares. */
static void emit_br_chain(struct codegen *c, struct ir_block *b, struct ir_inst *ci,
			  struct ir_block *t, struct ir_block *f)
{
	uint32_t nx = next_block(c, b->index);
	bool tc = phi_needs_edges(&t, 1), fc = phi_needs_edges(&f, 1);
	x86_label lt, lf;
	x86_label_init(&lt);
	x86_label_init(&lf);
	x86_label *to_t = tc ? &lt : &c->blab[t->index];
	x86_label *to_f = fc ? &lf : &c->blab[f->index];
	int cc = emit_cmp(c, ir_as_inst(ir_op(ci, 0)));
	if (ci->op == IR_OP_OR)
		x86_jcc(&c->b, cc, to_t);
	else
		x86_jcc(&c->b, cc ^ 1, to_f);
	cc = emit_cmp(c, ir_as_inst(ir_op(ci, 1)));
	if (!tc && !fc) {
		if (t->index == nx) {
			x86_jcc(&c->b, cc ^ 1, to_f);
		} else {
			x86_jcc(&c->b, cc, to_t);
			if (f->index != nx)
				jump_to(c, b, f);
		}
		return;
	}
	/* the true edge falls through, the false one jumps */
	x86_jcc(&c->b, cc ^ 1, to_f);
	x86_bind(&c->b, &lt);
	if (tc)
		edge_copies(c, b, &t, 1);
	if (fc || t->index != nx)
		jump_to(c, b, t);
	x86_bind(&c->b, &lf);
	if (fc) {
		edge_copies(c, b, &f, 1);
		if (f->index != nx)
			jump_to(c, b, f);
	}
}

static void emit_br(struct codegen *c, struct ir_block *b, struct ir_inst *in)
{
	uint32_t nx = next_block(c, b->index);
	if (in->nops == 1) {
		struct ir_block *d = ir_as_block(ir_op(in, 0));
		edge_copies(c, b, &d, 1);
		if (d->index != nx)
			jump_to(c, b, d);
		return;
	}
	struct ir_block *t = ir_as_block(ir_op(in, 1)), *f = ir_as_block(ir_op(in, 2));
	uint64_t k;
	bool known = known_const(c, ir_op(in, 0), &k);
	if (c->fast_next && b == c->f->blocks[0]) {
		/* the other way was taken before the prologue (fast_exit) */
		known = true;
		k = c->fast_next == t;
	}
	if (known) {
		struct ir_block *d = (k & 1) ? t : f;
		edge_copies(c, b, &d, 1);
		if (d->index != nx)
			jump_to(c, b, d);
		return;
	}
	struct ir_inst *chain = ir_as_inst(cg_canon(c, ir_op(in, 0)));
	if (chain && (chain->op == IR_OP_OR || chain->op == IR_OP_AND) &&
	    (c->fl[chain->v.id] & F_FUSED)) {
		emit_br_chain(c, b, chain, t, f);
		return;
	}
	struct ir_block *succ[2] = { t, f };
	int cc = cond_cc(c, ir_op(in, 0));
	bool tback = t->index <= b->index, fback = f->index <= b->index;
	if (t != f && c->tier > 0 && tback != fback && phi_needs_edges(succ, 2)) {
		/* Copies on both edges, one of them a loop back edge (hot).
		 * The liveness model lets both sets of copies run on either
		 * edge (the other edge's phi destinations are dead here), so:
		 * the back edge's copies, a jcc taking the back edge, then the
		 * exit's copies, which only the exit runs.  The back edge is
		 * never the fall-through (it goes to an earlier block). */
		struct ir_block *hot = tback ? t : f, *cold = tback ? f : t;
		c->keep_flags = true;
		edge_copies(c, b, &hot, 1);
		c->keep_flags = false;
		x86_jcc(&c->b, tback ? cc : cc ^ 1, &c->blab[hot->index]);
		edge_copies(c, b, &cold, 1);
		if (cold->index != nx)
			x86_jmp(&c->b, &c->blab[cold->index]);
		return;
	}
	if (t != f && c->tier > 0 && live_phis(c, t) >= 2 && live_phis(c, f) >= 2) {
		/* copies on each edge separately (the ones of the edge not taken
		 * are dead writes; see live.c): saves them in loops whose exit
		 * has phis too */
		x86_label lf;
		x86_label_init(&lf);
		x86_jcc(&c->b, cc ^ 1, &lf);
		edge_copies(c, b, &t, 1);
		x86_jmp(&c->b, &c->blab[t->index]);
		x86_bind(&c->b, &lf);
		edge_copies(c, b, &f, 1);
		if (f->index != nx)
			x86_jmp(&c->b, &c->blab[f->index]);
		return;
	}
	if (phi_needs_edges(succ, 2)) {
		c->keep_flags = true;
		edge_copies(c, b, succ, 2);
		c->keep_flags = false;
	}
	if (t->index == nx) {
		x86_jcc(&c->b, cc ^ 1, &c->blab[f->index]);
	} else {
		x86_jcc(&c->b, cc, &c->blab[t->index]);
		if (f->index != nx)
			x86_jmp(&c->b, &c->blab[f->index]);
	}
}

/* Registers the edge copies from b into succ may write: phi registers,
 * EAX (their scratch) and EDX (for 64-bit phis). */
static uint32_t copies_write(struct codegen *c, struct ir_block *b, struct ir_block **succ, uint32_t n)
{
	uint32_t m = 1u << EAX;
	(void)b;
	for (uint32_t s = 0; s < n; s++)
		for (struct ir_inst *p = succ[s]->first; p && p->op == IR_OP_PHI; p = p->next) {
			if (c->fl[p->v.id] & (F_DEAD | F_CONST | F_ALIAS))
				continue;
			struct cg_loc *l = &c->loc[cg_phi_dst(c, p)];
			if (cg_type_bits(p->v.type) > 32)
				m |= 1u << EDX;
			else if (l->kind == L_REG)
				m |= 1u << l->reg;
		}
	return m;
}

static void emit_switch(struct codegen *c, struct ir_block *b, struct ir_inst *in)
{
	struct ir_value *v = ir_op(in, 0);
	struct ir_block *def = ir_as_block(ir_op(in, 1));
	uint32_t ncase = (in->nops - 2) / 2;
	uint32_t w = cg_type_bits(v->type);
	if (w == 0 || w > 64 || (w > 32 && w != 64)) {
		isel_fail(c, "switch on an unsupported type");
		return;
	}
	/* successors for the edge copies */
	struct ir_block *succ[1 + 256];
	uint32_t ns = 0;
	succ[ns++] = def;
	for (uint32_t i = 0; i < ncase; i++) {
		struct ir_block *t = ir_as_block(ir_op(in, 3 + 2 * i));
		bool seen = false;
		for (uint32_t j = 0; j < ns; j++)
			seen |= succ[j] == t;
		if (!seen) {
			if (ns >= 257) {
				isel_fail(c, "switch with too many distinct targets");
				return;
			}
			succ[ns++] = t;
		}
	}
	uint64_t kv;
	if (known_const(c, v, &kv)) {
		struct ir_block *d = def;
		for (uint32_t i = 0; i < ncase; i++) {
			uint64_t cv;
			known_const(c, ir_op(in, 2 + 2 * i), &cv);
			if (cv == (w >= 64 ? kv : kv & ((1ull << w) - 1)))
				d = ir_as_block(ir_op(in, 3 + 2 * i));
		}
		edge_copies(c, b, &d, 1);
		if (d->index != next_block(c, b->index))
			jump_to(c, b, d);
		return;
	}
	if (w > 32) {
		/* compare chain on the pair in its slot (never clobbered by the
		 * copies: i64 phis always use temporaries) */
		x86_mem m = pair_mem(c, v, 0);
		if (m.disp == c->scratch) {
			isel_fail(c, "internal: constant 64-bit switch");
			return;
		}
		edge_copies(c, b, succ, ns);
		for (uint32_t i = 0; i < ncase; i++) {
			uint64_t cv;
			known_const(c, ir_op(in, 2 + 2 * i), &cv);
			x86_label no;
			x86_label_init(&no);
			x86_alu_mi(&c->b, X_CMP, 32, m, (int32_t)(uint32_t)cv);
			x86_jcc(&c->b, X_NE, &no);
			x86_alu_mi(&c->b, X_CMP, 32, high_word(m), (int32_t)(uint32_t)(cv >> 32));
			x86_jcc(&c->b, X_E, &c->blab[ir_as_block(ir_op(in, 3 + 2 * i))->index]);
			x86_bind(&c->b, &no);
		}
		jump_to(c, b, def);
		return;
	}
	/* The switch value's register: its own when it has one the edge
	 * copies leave alone (a 32-bit value), else EDX, saved around the
	 * copies when they write it. */
	bool copies = phi_needs_edges(succ, ns);
	uint32_t clob = copies ? copies_write(c, b, succ, ns) : 0;
	bool dead_def = def->first && def->first->op == IR_OP_UNREACHABLE;
	int64_t lo = 0, hi = 0;
	for (uint32_t i = 0; i < ncase; i++) {
		uint64_t cv;
		known_const(c, ir_op(in, 2 + 2 * i), &cv);
		int64_t x = (int64_t)(uint32_t)extend_const(cv, w, false);
		if (i == 0 || x < lo) lo = x;
		if (i == 0 || x > hi) hi = x;
	}
	uint64_t range = ncase ? (uint64_t)(hi - lo) + 1 : 0;
	bool table = ncase >= 4 && range <= 3ull * ncase && range <= 1024 && c->nswitch < 64;
	/* a table with a reachable default subtracts lo in place */
	int r = reg_of(c, v);
	if (r < 0 || (clob & (1u << r)) || (table && !dead_def && lo))
		r = -1;
	if (r < 0) {
		load_extended(c, EDX, v, false);
		r = EDX;
	}
	if (copies) {
		if (r == EDX && (clob & (1u << EDX)))
			x86_push_r(&c->b, EDX);
		edge_copies(c, b, succ, ns);
		if (r == EDX && (clob & (1u << EDX)))
			x86_pop_r(&c->b, EDX);
	}
	if (table) {
		/* an unreachable default (every value is a case) needs no
		 * bounds check: lo goes into the table's displacement */
		int64_t bias = lo;
		if (!dead_def) {
			if (lo)
				x86_alu_ri(&c->b, X_SUB, 32, r, (int32_t)lo);
			x86_alu_ri(&c->b, X_CMP, 32, r, (int32_t)(range - 1));
			x86_jcc(&c->b, X_A, &c->blab[def->index]);
			bias = 0;
		}
		x86_jmp_m(&c->b, x86_mx(X_NOREG, r, 4, 0));
		struct cg_jt *jt = &c->jt[c->nswitch++];
		jt->at = c->b.len - 4;
		jt->sw = in;
		jt->lo = lo;
		jt->bias = bias;
		jt->n = (uint32_t)range;
		return;
	}
	for (uint32_t i = 0; i < ncase; i++) {
		uint64_t cv;
		known_const(c, ir_op(in, 2 + 2 * i), &cv);
		struct ir_block *t = ir_as_block(ir_op(in, 3 + 2 * i));
		if (dead_def && i + 1 == ncase) {
			/* the last case is the only value left */
			if (t->index != next_block(c, b->index))
				jump_to(c, b, t);
			return;
		}
		x86_alu_ri(&c->b, X_CMP, 32, r, (int32_t)extend_const(cv, w, false));
		x86_jcc(&c->b, X_E, &c->blab[t->index]);
	}
	if (def->index != next_block(c, b->index))
		jump_to(c, b, def);
}

static void epilogue(struct codegen *c);

static void emit_ret(struct codegen *c, struct ir_block *b, struct ir_inst *in)
{
	if (in->nops == 1) {
		struct ir_value *v = ir_op(in, 0);
		uint32_t w = cg_type_bits(v->type);
		if (w == 0) {
			isel_fail(c, ir_type_is_fp(v->type) ? "floating point is not supported" :
				"unsupported return type");
			return;
		}
		if (w > 32) {
			load_pair(c, EAX, EDX, v);
		} else {
			load_value(c, EAX, v);
			uint32_t rf = c->f->ret_attrs.flags;
			if (w < 32 && (rf & (IR_ATTR_SEXT | IR_ATTR_ZEXT)))
				extend_reg(c, EAX, w, (rf & IR_ATTR_SEXT) != 0);
		}
	} else if (c->f->nparams && (c->f->params[0].attrs.flags & IR_ATTR_SRET)) {
		load_value(c, EAX, &c->f->params[0].v); /* sret: return the pointer */
	}
	if (c->tier > 0 && !c->cycles)
		epilogue(c);
	else if (next_block(c, b->index) != c->f->nblocks)
		x86_jmp(&c->b, &c->epi);
}

static void emit_inst(struct codegen *c, struct ir_block *b, struct ir_inst *in)
{
	c->cur = in;
	uint8_t fl = c->fl[in->v.id];
	if (fl & (F_DEAD | F_FUSED | F_FOLDADDR | F_ALIAS | F_CONST))
		return;
	switch (in->op) {
	case IR_OP_ADD: case IR_OP_SUB: case IR_OP_MUL: case IR_OP_UDIV: case IR_OP_SDIV:
	case IR_OP_UREM: case IR_OP_SREM: case IR_OP_SHL: case IR_OP_LSHR: case IR_OP_ASHR:
	case IR_OP_AND: case IR_OP_OR: case IR_OP_XOR:
		emit_binop(c, in);
		return;
	case IR_OP_TRUNC: case IR_OP_ZEXT: case IR_OP_SEXT: case IR_OP_PTRTOINT:
	case IR_OP_INTTOPTR: case IR_OP_BITCAST: case IR_OP_ADDRSPACECAST: case IR_OP_FREEZE:
	case IR_OP_FPTOUI: case IR_OP_FPTOSI: case IR_OP_UITOFP: case IR_OP_SITOFP:
	case IR_OP_FPTRUNC: case IR_OP_FPEXT:
		emit_cast(c, in);
		return;
	case IR_OP_ICMP: {
		/* tier >= 1: 0 or 1 in the whole container (see zero_extended) */
		int cc = emit_cmp(c, in);
		int r = c->tier > 0 ? dest_reg(c, &in->v) : EAX;
		/* a result in ECX/EDX is written there last (after the
		 * compare's scratch use): its definition, not recorded */
		int own = own_reg(c, &in->v);
		uint8_t wm = c->b.wmask;
		if (own >= 0)
			r = own;
		x86_setcc(&c->b, cc, EAX);
		if (c->tier > 0)
			x86_movzx_rr(&c->b, 8, r, EAX);
		store_result(c, &in->v, r);
		def_write(c, wm, own);
		return;
	}
	case IR_OP_SELECT: emit_select(c, in); return;
	case IR_OP_PHI: return; /* copies at the block head / predecessor ends */
	case IR_OP_ALLOCA:
		if (fl & (F_STATIC | F_PROMOTED))
			return;
		emit_alloca(c, in);
		return;
	case IR_OP_LOAD: emit_load(c, in); return;
	case IR_OP_STORE: emit_store(c, in); return;
	case IR_OP_GEP: emit_gep(c, in); return;
	case IR_OP_CALL: emit_call(c, in); return;
	case IR_OP_EXTRACTVALUE: emit_extract(c, in); return;
	case IR_OP_INSERTVALUE: emit_insert(c, in); return;
	case IR_OP_RET: emit_ret(c, b, in); return;
	case IR_OP_BR: emit_br(c, b, in); return;
	case IR_OP_SWITCH: emit_switch(c, b, in); return;
	case IR_OP_UNREACHABLE: x86_ud2(&c->b); return;
	case IR_OP_FADD: case IR_OP_FSUB: case IR_OP_FMUL: case IR_OP_FDIV: case IR_OP_FREM:
	case IR_OP_FNEG: case IR_OP_FCMP:
		isel_fail(c, "floating point is not supported");
		return;
	case IR_OP_VAARG:
		isel_fail(c, "variadic functions are not supported");
		return;
	case IR_OP_EXTRACTELEMENT: case IR_OP_INSERTELEMENT: case IR_OP_SHUFFLEVECTOR:
		isel_fail(c, "vectors are not supported");
		return;
	default:
		cg_fail(c, in, "unsupported instruction");
	}
}

/* Block head: phi temporaries into the phis. */
static void block_head(struct codegen *c, struct ir_block *b)
{
	for (struct ir_inst *p = b->first; p && p->op == IR_OP_PHI; p = p->next) {
		c->cur = p;
		if (c->fl[p->v.id] & (F_DEAD | F_PHIDIRECT | F_CONST | F_ALIAS))
			continue;
		uint32_t t = c->phitmp[p->v.id];
		uint32_t w = cg_type_bits(p->v.type);
		if (same_loc(c, t, p->v.id))
			continue;
		if (w > 32) {
			struct cg_loc *l = &c->loc[t];
			if (l->kind != L_SLOT) {
				isel_fail(c, "internal: i64 phi temp");
				return;
			}
			x86_mov_rm(&c->b, 32, EAX, slot_mem(l->off));
			x86_mov_rm(&c->b, 32, EDX, slot_mem(l->off + 4));
			store_pair(c, &p->v, EAX, EDX);
		} else if (w == 0) {
			struct cg_loc *tl = &c->loc[t];
			if (tl->kind != L_SLOT) {
				cg_fail(c, p, "internal: aggregate phi temp");
				return;
			}
			if (!agg_copy_from(c, p, *loc_of(c, &p->v), slot_mem(tl->off)))
				return;
		} else {
			struct cg_loc *tl = &c->loc[t], *pl = loc_of(c, &p->v);
			if (pl->kind == L_SLOT && tl->kind == L_REG) {
				x86_mov_mr(&c->b, 32, slot_mem(pl->off), tl->reg);
			} else {
				int r = dest_reg(c, &p->v);
				load_vreg(c, r, t);
				store_result(c, &p->v, r);
			}
		}
	}
}

/* Frees the frame, restores the saved registers and returns (the value
 * is in EAX / EDX:EAX).  Emitted once at the end of the function, and at
 * tier >= 1 in place of the jump to it at every return. */
static void epilogue(struct codegen *c)
{
	x86_buf *b = &c->b;
	bool espf = b->espf;
	int32_t depth = b->depth; /* the pops count as stack motion */
	b->espf = false;
	if (espf) {
		if (c->epi_sub)
			x86_alu_ri(b, X_ADD, 32, ESP, c->epi_sub);
		for (int i = c->nsaved; i-- > 0;)
			x86_pop_r(b, c->saved[i]);
	} else if (c->nsaved) {
		x86_lea(b, ESP, x86_m(EBP, -4 * c->nsaved));
		for (int i = c->nsaved; i-- > 0;)
			x86_pop_r(b, c->saved[i]);
	} else {
		x86_mov_rr(b, 32, ESP, EBP);
	}
	if (!c->epi_keep_ebp)
		x86_pop_r(b, EBP);
	if (c->f->nparams && (c->f->params[0].attrs.flags & IR_ATTR_SRET))
		x86_ret_i(b, 4); /* i386 SysV: the callee pops the sret pointer */
	else
		x86_ret(b);
	b->espf = espf;
	b->depth = depth;
}

static const uint8_t callee_saved[3] = { X_EBX, X_ESI, X_EDI };

/* Where 32-bit parameter v is at entry, before any push: ECX/EDX for
 * the register convention's parameters (conv.c), else [esp + offset].
 * False for other parameters. */
static bool entry_arg(struct codegen *c, struct ir_value *v, struct operand *o)
{
	struct ir_func *f = c->f;
	uint32_t nreg = c->regp[f->v.id];
	int32_t off = 4;
	for (uint32_t j = 0; j < f->nparams; j++) {
		const struct ir_arg *pj = &f->params[j];
		uint32_t w = cg_type_bits(pj->v.type);
		if (j < nreg) {
			if (&pj->v == v) {
				o->k = O_REG;
				o->r = j == 0 ? X_ECX : X_EDX;
				return true;
			}
			continue;
		}
		if ((pj->attrs.flags & (IR_ATTR_BYVAL | IR_ATTR_SRET | IR_ATTR_INREG)) || w == 0 || w > 64)
			return false;
		if (&pj->v == v) {
			o->k = O_MEM;
			o->m = x86_m(ESP, off);
			return w == 32;
		}
		off += w > 32 ? 8 : 4;
	}
	return false;
}

/* add, sub, or, xor, and, mul: what an early-return block may compute */
static bool exit_arith(enum ir_opcode op)
{
	return op == IR_OP_ADD || op == IR_OP_SUB || op == IR_OP_OR || op == IR_OP_XOR ||
		op == IR_OP_AND || op == IR_OP_MUL;
}

/* What v is when block r is entered from `from`, as a constant (*k) or
 * a 32-bit argument (*arg): through r's phis and through add, sub, or,
 * xor, and, mul of r whose other operand makes them the identity or
 * which fold.  False when it is anything else. */
static bool exit_value(struct codegen *c, struct ir_block *r, struct ir_block *from, struct ir_value *v,
		       uint64_t *k, struct ir_value **arg, int depth)
{
	/* the width of the value as the IR has it: canonicalization goes
	 * through truncations to the wider value they alias */
	struct cg_const kc;
	*arg = NULL;
	if (depth > 8 || cg_type_bits(v->type) != 32)
		return false;
	v = cg_canon(c, v);
	if (cg_type_bits(v->type) != 32)
		return false;
	if (known_const(c, v, k))
		return true;
	if (!cg_is_var(v)) {
		if (!cg_const(c, v, &kc) || kc.rk != RK_NONE)
			return false;
		*k = kc.v;
		return true;
	}
	if (v->kind == IR_VAL_ARG) {
		*arg = v;
		return entry_arg(c, v, &(struct operand){ 0 });
	}
	struct ir_inst *in = ir_as_inst(v);
	if (!in || in->parent != r)
		return false;
	if (in->op == IR_OP_PHI) {
		struct ir_value *x = ir_phi_incoming(in, from);
		return x && exit_value(c, r, from, x, k, arg, depth + 1);
	}
	if (!exit_arith(in->op))
		return false;
	uint64_t ka, kb;
	struct ir_value *xa, *xb;
	if (!exit_value(c, r, from, ir_op(in, 0), &ka, &xa, depth + 1) ||
	    !exit_value(c, r, from, ir_op(in, 1), &kb, &xb, depth + 1))
		return false;
	uint32_t A = (uint32_t)ka, B = (uint32_t)kb;
	if (!xa && !xb) {
		*k = in->op == IR_OP_ADD ? A + B : in->op == IR_OP_SUB ? A - B : in->op == IR_OP_OR ? (A | B) :
		     in->op == IR_OP_XOR ? (A ^ B) : in->op == IR_OP_AND ? (A & B) : A * B;
		return true;
	}
	if (xa && xb)
		return false;
	uint32_t kk = xa ? B : A;
	bool ident = kk == 0 ? in->op == IR_OP_ADD || in->op == IR_OP_OR || in->op == IR_OP_XOR ||
			       (in->op == IR_OP_SUB && xa) :
		     kk == 1 ? in->op == IR_OP_MUL : kk == 0xffffffffu && in->op == IR_OP_AND;
	*arg = xa ? xa : xb;
	return ident;
}

/* A block that only computes its return value (no memory, no calls)
 * and returns it, a constant or an argument when entered from `from`. */
static bool trivial_exit(struct codegen *c, struct ir_block *r, struct ir_block *from, bool *has,
			 uint64_t *k, struct ir_value **arg)
{
	struct ir_inst *t = r->last;
	if (!t || t->op != IR_OP_RET)
		return false;
	for (struct ir_inst *in = r->first; in != t; in = in->next) {
		if (in->op == IR_OP_PHI || (c->fl[in->v.id] & (F_DEAD | F_CONST | F_ALIAS)))
			continue;
		if (!exit_arith(in->op))
			return false;
	}
	*has = t->nops != 0;
	*arg = NULL;
	return !*has || exit_value(c, r, from, ir_op(t, 0), k, arg, 0);
}

/* Before the prologue (tier 3, no call counter): when the entry block
 * only compares a 32-bit argument with a constant and branches, one way
 * to a block that then returns a constant or an argument, that way is
 * taken without saving registers or setting up a frame: cmp [esp+a], k;
 * jcc over; mov eax, v; ret.  Past the prologue the entry block then
 * goes the other way without comparing again (emit_br, c->fast_next).
 * Recursive functions return this way at their leaves. */
static void fast_exit(struct codegen *c)
{
	struct ir_func *f = c->f;
	if (c->tier < 2 || c->cycles || (c->opt->tier < JIT_MAX_TIER && !c->opt->no_counters) ||
	    !f->nblocks || !f->nparams)
		return;
	struct ir_block *e = f->blocks[0];
	struct ir_inst *cmp = NULL, *br = NULL;
	for (struct ir_inst *in = e->first; in; in = in->next) {
		if (c->fl[in->v.id] & (F_DEAD | F_CONST | F_ALIAS))
			continue;
		if (in->op == IR_OP_ICMP && !cmp && (c->fl[in->v.id] & F_FUSED))
			cmp = in;
		else if (in == e->last && in->op == IR_OP_BR && in->nops == 3)
			br = in;
		else
			return;
	}
	/* a 32-bit compare as the IR has it (a narrower one's operands
	 * canonicalize to the wider values they truncate) */
	if (!cmp || !br || cg_canon(c, ir_op(br, 0)) != &cmp->v || cg_type_bits(ir_op(cmp, 0)->type) != 32)
		return;
	struct ir_value *a = cg_canon(c, ir_op(cmp, 0)), *bv = cg_canon(c, ir_op(cmp, 1));
	uint32_t p = cmp->pred;
	uint64_t k;
	if (known_const(c, a, &k)) {
		struct ir_value *t = a;
		a = bv;
		bv = t;
		p = swap_pred(p);
	}
	if (p < IR_ICMP_EQ || p > IR_ICMP_SLE || a->kind != IR_VAL_ARG || !known_const(c, bv, &k))
		return;
	struct operand ao;
	if (!entry_arg(c, a, &ao))
		return;
	struct ir_block *t = ir_as_block(ir_op(br, 1)), *fb = ir_as_block(ir_op(br, 2));
	struct ir_value *rarg;
	uint64_t rk;
	bool has;
	int cc = pred_cc(p);
	if (t == fb || t == e || fb == e)
		return;
	struct ir_block *next = fb;
	if (!trivial_exit(c, t, e, &has, &rk, &rarg)) {
		if (!trivial_exit(c, fb, e, &has, &rk, &rarg))
			return;
		cc ^= 1;
		next = t;
	}
	if (!has && f->fn_type && f->fn_type->ret && f->fn_type->ret->kind != IR_TY_VOID)
		return;
	x86_buf *b = &c->b;
	x86_label over;
	x86_label_init(&over);
	if (ao.k == O_REG)
		x86_alu_ri(b, X_CMP, 32, ao.r, (int32_t)(uint32_t)k);
	else
		x86_alu_mi(b, X_CMP, 32, ao.m, (int32_t)(uint32_t)k);
	x86_jcc(b, cc ^ 1, &over);
	struct operand ro;
	if (has && rarg && entry_arg(c, rarg, &ro) && ro.k == O_REG)
		x86_mov_rr(b, 32, EAX, ro.r);
	else if (has && rarg)
		x86_mov_rm(b, 32, EAX, ro.m);
	else if (has)
		load_imm(c, EAX, (uint32_t)rk);
	x86_ret(b);
	x86_bind(b, &over);
	c->fast_next = next;
}

/* Two words into ECX and EDX at once: src0/src1 are where they are
 * (a register, or -1: load0/load1 fetch them without touching ECX or
 * EDX).  Handles the swap and either order. */
static void move_pair(struct codegen *c, int src0, int src1, struct ir_value *v0, struct ir_value *v1)
{
	if (src0 == X_EDX && src1 == X_ECX) {
		x86_xchg_rr(&c->b, X_ECX, X_EDX);
		return;
	}
	if (src1 == X_ECX) {
		/* the second one first, before ECX is overwritten */
		if (v1)
			load_value(c, X_EDX, v1);
		if (v0)
			load_value(c, X_ECX, v0);
		return;
	}
	if (v0)
		load_value(c, X_ECX, v0);
	if (v1)
		load_value(c, X_EDX, v1);
}

/* The prologue's part of the register convention (conv.c): parameters
 * 0 and 1 arrive in ECX and EDX; each goes to its register or frame
 * slot.  Stores first (they only read), then the register moves in an
 * order that overwrites nothing still to be read. */
static void reg_params_in(struct codegen *c)
{
	struct ir_func *f = c->f;
	uint32_t n = c->regp[f->v.id];
	int dst[2] = { -1, -1 };
	for (uint32_t i = 0; i < n; i++) {
		struct cg_loc *l = &c->loc[f->params[i].v.id];
		int src = i == 0 ? X_ECX : X_EDX;
		if (l->kind == L_REG)
			dst[i] = l->reg;
		else if (l->kind == L_SLOT)
			x86_mov_mr(&c->b, 32, slot_mem(l->off), src);
	}
	/* a destination's old content is nothing: only ECX/EDX matter */
	int d0 = dst[0], d1 = dst[1];
	if (d0 == X_EDX && d1 == X_ECX) {
		x86_xchg_rr(&c->b, X_ECX, X_EDX);
		return;
	}
	if (d0 == X_EDX) {
		if (d1 >= 0 && d1 != X_EDX)
			x86_mov_rr(&c->b, 32, d1, X_EDX);
		x86_mov_rr(&c->b, 32, X_EDX, X_ECX);
		return;
	}
	if (d0 >= 0 && d0 != X_ECX)
		x86_mov_rr(&c->b, 32, d0, X_ECX);
	if (d1 >= 0 && d1 != X_EDX)
		x86_mov_rr(&c->b, 32, d1, X_EDX);
}

int cg_emit_func(struct codegen *c)
{
	struct ir_func *f = c->f;
	x86_buf *b = &c->b;
	x86_label_init(&c->epi);
	for (uint32_t i = 0; i < f->nblocks; i++)
		x86_label_init(&c->blab[i]);
	c->nswitch = 0;
	c->eax_id = 0xffffffffu;
	c->cost = 0;
	uint32_t code_start = b->len;
	c->fast_next = NULL;
	fast_exit(c);
	/* prologue */
	int32_t frame = (c->frame + 3) & ~3;
	b->espf = false;
	/* an ESP frame that does not allocate EBP leaves it alone; the frame
	 * pseudo-register stays "where EBP would have been pushed" */
	bool keep_ebp = c->espf && !c->ebp_used;
	if (!keep_ebp)
		x86_push_r(b, EBP);
	if (!c->espf)
		x86_mov_rr(b, 32, EBP, ESP);
	for (int i = 0; i < c->nsaved; i++)
		x86_push_r(b, c->saved[i]);
	/* without the EBP push the frame takes those 4 bytes instead, so the
	 * layout relative to the frame pseudo-register is the same; code
	 * that uses no frame word (see jit.c) allocates nothing and only
	 * addresses its arguments, 4 bytes closer without the pad */
	int32_t sub = frame + (keep_ebp ? 4 : 0);
	int32_t bias = frame + 4 * c->nsaved;
	if (c->noframe && c->espf) {
		sub = 0;
		bias = 4 * c->nsaved - (keep_ebp ? 4 : 0);
	}
	if (sub) {
		x86_u8(b, 0x81); /* sub esp, imm32 */
		x86_u8(b, 0xec);
		x86_u32(b, (uint32_t)sub);
	}
	b->espf = c->espf;
	b->bias = bias;
	c->epi_sub = sub;
	c->epi_keep_ebp = keep_ebp;
	b->depth = 0;
	/* parameters in ECX/EDX (conv.c), before rdtsc takes EDX */
	reg_params_in(c);
	if (c->opt->tier < JIT_MAX_TIER && !c->opt->no_counters) {
		x86_u8(b, 0xff); /* inc dword [counter] */
		x86_u8(b, 0x05);
		x86_u32(b, c->o->funcs[f->v.id].counter_off);
		cg_reloc(c, JIT_R_DATA, false, 0, b->len - 4);
	}
	if (c->cycles) {
		/* tier 0: start time; EAX/EDX hold nothing at entry (cdecl,
		 * arguments on the stack) */
		x86_u8(b, 0x0f); /* rdtsc */
		x86_u8(b, 0x31);
		x86_mov_mr(b, 32, slot_mem(c->cycles), EAX);
		x86_mov_mr(b, 32, slot_mem(c->cycles + 4), EDX);
	}
	/* arguments living in registers */
	for (uint32_t i = c->regp[f->v.id]; i < f->nparams; i++) {
		struct cg_loc *l = &c->loc[f->params[i].v.id];
		if (l->kind == L_REG)
			x86_mov_rm(b, 32, l->reg, slot_mem(l->off));
	}
	for (uint32_t bi = 0; bi < f->nblocks && !c->failed; bi++) {
		if (c->reach && !c->reach[bi])
			continue;
		struct ir_block *blk = f->blocks[bi];
		x86_bind(b, &c->blab[bi]);
		c->eax_id = 0xffffffffu; /* a jump target: registers unknown */
		b->wmask = b->cmask = 0;
		uint32_t from = b->len;
		block_head(c, blk);
		for (struct ir_inst *in = blk->first; in && !c->failed; in = in->next) {
			emit_inst(c, blk, in);
			if (c->wm)
				c->wm[in->v.id] |= (uint16_t)(b->wmask | b->cmask << 8);
			b->wmask = b->cmask = 0;
		}
		if (c->bdepth)
			c->cost += (uint64_t)(b->len - from) * (cg_loop_weight(c, bi) - 1);
	}
	if (c->failed)
		return -1;
	x86_bind(b, &c->epi);
	if (c->cycles) {
		/* every return comes here with its value in EAX (EDX:EAX for
		 * i64): keep it, add rdtsc - start to the function's 64-bit
		 * accumulator (inclusive of callees), restore it */
		uint32_t acc = c->o->funcs[f->v.id].cycles_off;
		x86_mov_mr(b, 32, slot_mem(c->cycles + 8), EAX);
		x86_mov_mr(b, 32, slot_mem(c->cycles + 12), EDX);
		x86_u8(b, 0x0f); /* rdtsc */
		x86_u8(b, 0x31);
		x86_alu_rm(b, X_SUB, 32, EAX, slot_mem(c->cycles));
		x86_alu_rm(b, X_SBB, 32, EDX, slot_mem(c->cycles + 4));
		x86_u8(b, 0x01); /* add [acc], eax */
		x86_u8(b, 0x05);
		x86_u32(b, acc);
		cg_reloc(c, JIT_R_DATA, false, 0, b->len - 4);
		x86_u8(b, 0x11); /* adc [acc + 4], edx */
		x86_u8(b, 0x15);
		x86_u32(b, acc + 4);
		cg_reloc(c, JIT_R_DATA, false, 0, b->len - 4);
		x86_mov_rm(b, 32, EAX, slot_mem(c->cycles + 8));
		x86_mov_rm(b, 32, EDX, slot_mem(c->cycles + 12));
	}
	/* at tier >= 1 without cycle accounting every return has its own
	 * epilogue (emit_ret): nothing jumps here */
	if (c->tier == 0 || c->cycles)
		epilogue(c);
	/* jump tables */
	for (uint32_t t = 0; t < c->nswitch; t++) {
		while (b->len & 3)
			x86_int3(b);
		struct cg_jt *jt = &c->jt[t];
		struct ir_inst *sw = jt->sw;
		uint32_t w = cg_type_bits(ir_op(sw, 0)->type);
		x86_patch32(b, jt->at, b->len - (uint32_t)(jt->bias * 4));
		cg_reloc(c, JIT_R_CODE, false, 0, jt->at);
		struct ir_block *def = ir_as_block(ir_op(sw, 1));
		for (uint32_t i = 0; i < jt->n; i++) {
			struct ir_block *d = def;
			uint32_t ncase = (sw->nops - 2) / 2;
			for (uint32_t k = 0; k < ncase; k++) {
				uint64_t cv;
				known_const(c, ir_op(sw, 2 + 2 * k), &cv);
				if ((int64_t)(uint32_t)extend_const(cv, w, false) == jt->lo + (int64_t)i)
					d = ir_as_block(ir_op(sw, 3 + 2 * k));
			}
			cg_reloc(c, JIT_R_CODE, false, 0, b->len);
			x86_u32(b, (uint32_t)c->blab[d->index].pos);
		}
	}
	if (b->full)
		return cg_fail(c, NULL, "code area full"), -1;
	c->cost += b->len - code_start;
	return c->failed ? -1 : 0;
}

const uint8_t *cg_callee_saved(void) { return callee_saved; }
