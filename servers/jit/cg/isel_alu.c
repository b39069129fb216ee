/* servers/jit/cg/isel_alu.c: arithmetic and casts — add, sub, and,
 * or, xor, mul (three-address lea, a load or an immediate read in
 * place, strength reduction), shifts, divisions, their 64-bit forms on
 * EDX:EAX pairs, and integer casts.
 *
 * requires: the locations (rega.c, stack.c); opt.c's F_FUSED (loads
 *           and zexts read by their user)
 * provides: emit_binop, emit_cast */
#include "servers/jit/cg/isel.h"

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
	/* `or disjoint` (no bit set in both: LLVM 19's flag) is an add */
	bool add = in->op == IR_OP_ADD || (in->op == IR_OP_OR && (in->flags & IR_FL_DISJOINT));
	if ((add || in->op == IR_OP_SUB) && r != EAX) {
		/* three-address add via lea: r = a + b / a + imm (a narrow
		 * value's low bits are right whatever the register's upper
		 * bits hold) */
		int ra = reg_any(c, a), rb = reg_any(c, b);
		uint64_t kb;
		if (ra >= 0 && ra != r && known_const(c, b, &kb)) {
			int32_t d = (int32_t)(uint32_t)kb;
			x86_lea(&c->b, r, x86_m(ra, add ? d : -d));
			return;
		}
		if (add && ra >= 0 && rb >= 0 && ra != r && rb != r) {
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

void emit_binop(struct codegen *c, struct ir_inst *in)
{
	if (cg_type_bits(in->v.type) > 64) {
		wide_binop(c, in); /* isel_wide.c */
		return;
	}
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
		 * not a scratch use (ranges.c range_free) */
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

void emit_cast(struct codegen *c, struct ir_inst *in)
{
	struct ir_value *a = ir_op(in, 0);
	uint32_t sw = cg_type_bits(a->type), dw = cg_type_bits(in->v.type);
	if (sw > 64 || dw > 64) {
		wide_cast(c, in); /* isel_wide.c */
		return;
	}
	if (in->op == IR_OP_BITCAST || in->op == IR_OP_ADDRSPACECAST || in->op == IR_OP_FREEZE) {
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
	if (in->op == IR_OP_TRUNC)	/* i33..i64 to a narrower pair: the low words */
		load_pair(c, EAX, EDX, a);
	else
		load_extended_pair(c, a, sw, sg);
	store_pair(c, &in->v, EAX, EDX);
}
