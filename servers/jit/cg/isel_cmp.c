/* servers/jit/cg/isel_cmp.c: compares — icmp as flags for a branch,
 * a select or a setcc (the narrowest form the operands allow: test,
 * cmp with a memory operand or an immediate, byte/word compares, 64-bit
 * pairs), the condition of a br/select, and select.
 *
 * requires: the locations (rega.c, stack.c); opt.c's F_FUSED (a
 *           compare or load emitted at its user)
 * provides: emit_cmp's condition code, emit_icmp, emit_select */
#include "servers/jit/cg/isel.h"

int pred_cc(uint32_t p)
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

uint32_t swap_pred(uint32_t p)
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
struct ir_inst *fused_load(struct codegen *c, struct ir_value *v)
{
	struct ir_inst *l = ir_as_inst(cg_canon(c, v));
	return l && l->op == IR_OP_LOAD && (c->fl[l->v.id] & F_FUSED) ? l : NULL;
}

/* Emits the comparison of an icmp; returns the condition code. */
int emit_cmp(struct codegen *c, struct ir_inst *in)
{
	struct ir_value *a = ir_op(in, 0), *b = ir_op(in, 1);
	uint32_t p = in->pred;
	uint32_t w = cg_type_bits(a->type);
	if (in->op == IR_OP_FCMP)
		return fcmp_flags(c, in); /* fused into a br/select (isel_fp.c) */
	if (p < IR_ICMP_EQ || p > IR_ICMP_SLE) {
		isel_fail(c, "malformed compare");
		return X_E;
	}
	if (w == 0 || w > 64) {
		isel_fail(c, w > 64 ? "compare of integers wider than 64 bits" : "compare of unsupported type");
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
int cond_cc(struct codegen *c, struct ir_value *cond)
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

void emit_select(struct codegen *c, struct ir_inst *in)
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
	if (w == 0 || w > 64) {
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

/* An icmp materialised: setcc, and from tier 1 on zero-extended to its
 * whole container (see zero_extended). */
void emit_icmp(struct codegen *c, struct ir_inst *in)
{
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
}
