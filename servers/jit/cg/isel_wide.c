/* servers/jit/cg/isel_wide.c: *emission* of integers of 65..128 bits —
 * what clang makes of packed bit-fields (a storage unit loaded as i72 or
 * i128, shifted, masked and truncated; or merged and stored back).
 *
 * Such a value lives in a 16-byte stack slot (stack.c), four words, the
 * bits above its width undefined like any narrower container.  Supported:
 * load and store (its ceil(w/8) bytes), shl/lshr/ashr by a constant,
 * and/or/xor/add/sub, trunc to <= 64 bits, zext/sext from <= 64 bits, freeze and
 * same-width bitcasts.  Everything else on them -- phis, selects,
 * compares, arithmetic, calls, returns -- is a clear compile error
 * ("integer wider than 64 bits"), never wrong code.
 *
 * requires: the locations (stack.c: 16-byte slots for them)
 * provides: wide_type, wide_load, wide_store, wide_binop, wide_cast */
#include "servers/jit/cg/isel.h"

#define WIDE_WORDS 4

bool wide_type(const struct ir_type *t)
{
	return t->kind == IR_TY_INT && t->bits > 64;
}

bool wide_refuse(struct codegen *c)
{
	return isel_fail(c, "this use of an integer wider than 64 bits is not supported");
}

/* Word k of the constant v (a CONST_INT of any width, null, undef). */
static bool wide_const_word(struct ir_value *v, uint32_t k, uint32_t *out)
{
	*out = 0;
	if (v->kind == IR_VAL_CONST_NULL || v->kind == IR_VAL_CONST_UNDEF || v->kind == IR_VAL_CONST_POISON)
		return true;
	if (v->kind != IR_VAL_CONST_INT)
		return false;
	const struct ir_const *k64 = (const struct ir_const *)v;
	uint64_t w = k64->wide ? ((k / 2) < (v->type->bits + 63) / 64 ? k64->wide[k / 2] : 0) : (k < 2 ? k64->i : 0);
	*out = (uint32_t)(w >> (32 * (k & 1)));
	return true;
}

/* The slot of a wide variable, or -1 (then v is a constant). */
static bool wide_slot(struct codegen *c, struct ir_value *v, int32_t *off)
{
	v = cg_canon(c, v);
	if (cg_is_var(v) && loc_of(c, v)->kind == L_SLOT) {
		*off = loc_of(c, v)->off;
		return true;
	}
	return false;
}

/* v (w bits) into the scratch slot as a 128-bit value, extended (zero or
 * sign) from its width: the words operations read. */
static bool wide_to_scratch(struct codegen *c, struct ir_value *v, uint32_t w, bool sign)
{
	int32_t off;
	if (wide_slot(c, v, &off)) {
		copy_mem(c, slot_mem(c->scratch), slot_mem(off), 16);
	} else {
		for (uint32_t k = 0; k < WIDE_WORDS; k++) {
			uint32_t x;
			if (!wide_const_word(cg_canon(c, v), k, &x))
				return wide_refuse(c);
			x86_mov_mi(&c->b, 32, slot_mem(c->scratch + 4 * (int32_t)k), (int32_t)x);
		}
	}
	uint32_t top = (w - 1) / 32, tb = w - 32 * top;
	x86_mov_rm(&c->b, 32, EAX, slot_mem(c->scratch + 4 * (int32_t)top));
	if (tb < 32)
		extend_reg(c, EAX, tb, sign);
	x86_mov_mr(&c->b, 32, slot_mem(c->scratch + 4 * (int32_t)top), EAX);
	if (top + 1 < WIDE_WORDS) {
		if (sign)
			x86_shift_ri(&c->b, X_SAR, 32, EAX, 31);
		else
			x86_alu_rr(&c->b, X_XOR, 32, EAX, EAX);
		for (uint32_t k = top + 1; k < WIDE_WORDS; k++)
			x86_mov_mr(&c->b, 32, slot_mem(c->scratch + 4 * (int32_t)k), EAX);
	}
	return true;
}

static bool dest_slot(struct codegen *c, struct ir_inst *in, int32_t *off)
{
	struct cg_loc *l = loc_of(c, &in->v);
	if (l->kind == L_NONE)
		return false;
	if (l->kind != L_SLOT)
		return wide_refuse(c), false;
	*off = l->off;
	return true;
}

void wide_load(struct codegen *c, struct ir_inst *in)
{
	uint32_t w = in->v.type->bits;
	int32_t d;
	if (w > 128)
		return (void)wide_refuse(c);
	if (!dest_slot(c, in, &d))
		return;
	struct address a = address_of(c, ir_op(in, 0), ECX, EDX);
	if (a.rk != RK_NONE || a.m.base != ECX || a.m.index >= 0 || a.m.disp) {
		x86_lea(&c->b, ECX, a.m);
		addr_reloc(c, &a);
	}
	copy_mem(c, slot_mem(d), x86_m(ECX, 0), (w + 7) / 8);
}

void wide_store(struct codegen *c, struct ir_inst *in)
{
	struct ir_value *v = ir_op(in, 0);
	uint32_t w = v->type->bits;
	if (w > 128)
		return (void)wide_refuse(c);
	int32_t s;
	if (!wide_slot(c, v, &s)) {
		/* a constant: through the scratch slot */
		if (!wide_to_scratch(c, v, w, false))
			return;
		s = c->scratch;
	}
	struct address a = address_of(c, ir_op(in, 1), ECX, EDX);
	if (a.rk != RK_NONE || a.m.base != ECX || a.m.index >= 0 || a.m.disp) {
		x86_lea(&c->b, ECX, a.m);
		addr_reloc(c, &a);
	}
	copy_mem(c, x86_m(ECX, 0), slot_mem(s), (w + 7) / 8);
}

/* word k of the extended value in scratch, or its fill beyond */
static void scratch_word(struct codegen *c, int r, int32_t k, bool sign)
{
	if (k >= WIDE_WORDS) {
		x86_mov_rm(&c->b, 32, r, slot_mem(c->scratch + 4 * (WIDE_WORDS - 1)));
		if (sign)
			x86_shift_ri(&c->b, X_SAR, 32, r, 31);
		else
			x86_alu_rr(&c->b, X_XOR, 32, r, r);
	} else if (k < 0) {
		x86_alu_rr(&c->b, X_XOR, 32, r, r);
	} else {
		x86_mov_rm(&c->b, 32, r, slot_mem(c->scratch + 4 * k));
	}
}

void wide_binop(struct codegen *c, struct ir_inst *in)
{
	uint32_t w = in->v.type->bits;
	struct ir_value *a = ir_op(in, 0), *b = ir_op(in, 1);
	int32_t d;
	if (w > 128)
		return (void)wide_refuse(c);
	switch (in->op) {
	case IR_OP_SHL: case IR_OP_LSHR: case IR_OP_ASHR: {
		uint32_t kw;
		struct ir_value *cb = cg_canon(c, b);
		if (!wide_const_word(cb, 0, &kw) || cb->kind != IR_VAL_CONST_INT)
			return (void)wide_refuse(c); /* by a variable amount */
		if (kw >= w)
			return; /* poison */
		bool sign = in->op == IR_OP_ASHR;
		if (!dest_slot(c, in, &d) || !wide_to_scratch(c, a, w, sign))
			return;
		int32_t q = (int32_t)(kw / 32);
		uint8_t r = (uint8_t)(kw % 32);
		for (int32_t i = 0; i < WIDE_WORDS; i++) {
			if (in->op == IR_OP_SHL) {
				/* word i = words i-q (high) and i-q-1 (low) */
				scratch_word(c, EAX, i - q, false);
				if (r) {
					scratch_word(c, EDX, i - q - 1, false);
					x86_shld_ri(&c->b, EAX, EDX, r);
				}
			} else {
				/* word i = words i+q (low) and i+q+1 (high) */
				scratch_word(c, EAX, i + q, sign);
				if (r) {
					scratch_word(c, EDX, i + q + 1, sign);
					x86_shrd_ri(&c->b, EAX, EDX, r);
				}
			}
			x86_mov_mr(&c->b, 32, slot_mem(d + 4 * i), EAX);
		}
		return;
	}
	case IR_OP_AND: case IR_OP_OR: case IR_OP_XOR: case IR_OP_ADD: case IR_OP_SUB: {
		/* word by word (add/sub: the carry goes on through adc/sbb;
		 * only mov between, which keeps it); the bits above the width
		 * are don't-care and do not reach the ones below */
		int op = in->op == IR_OP_AND ? X_AND : in->op == IR_OP_OR ? X_OR : in->op == IR_OP_XOR ? X_XOR :
			 in->op == IR_OP_ADD ? X_ADD : X_SUB;
		if (!dest_slot(c, in, &d))
			return;
		if (in->op == IR_OP_SUB) {
			/* a - b: a's words into EAX, b from memory or a constant */
			int32_t sa, sb2;
			bool ka = !wide_slot(c, a, &sa), kb = !wide_slot(c, b, &sb2);
			if (ka) {
				if (!wide_to_scratch(c, a, w, false))
					return;
				sa = c->scratch;
			}
			for (int32_t i = 0; i < WIDE_WORDS; i++) {
				x86_mov_rm(&c->b, 32, EAX, slot_mem(sa + 4 * i));
				if (kb) {
					uint32_t x;
					if (!wide_const_word(cg_canon(c, b), (uint32_t)i, &x))
						return (void)wide_refuse(c);
					x86_alu_ri(&c->b, i ? X_SBB : X_SUB, 32, EAX, (int32_t)x);
				} else {
					x86_alu_rm(&c->b, i ? X_SBB : X_SUB, 32, EAX, slot_mem(sb2 + 4 * i));
				}
				x86_mov_mr(&c->b, 32, slot_mem(d + 4 * i), EAX);
			}
			return;
		}
		/* b's words from its slot, or a as the constant side */
		int32_t sb;
		if (!wide_slot(c, b, &sb)) {
			struct ir_value *t = a;
			a = b;
			b = t;
		}
		if (!wide_slot(c, b, &sb)) {
			/* both constant: opt.c folds nothing this wide */
			if (!wide_to_scratch(c, b, w, false))
				return;
			sb = c->scratch;
		}
		int32_t sa;
		bool ka = !wide_slot(c, a, &sa);
		for (int32_t i = 0; i < WIDE_WORDS; i++) {
			int o = op == X_ADD && i ? X_ADC : op;
			x86_mov_rm(&c->b, 32, EAX, slot_mem(sb + 4 * i));
			if (ka) {
				uint32_t x;
				if (!wide_const_word(cg_canon(c, a), (uint32_t)i, &x))
					return (void)wide_refuse(c);
				x86_alu_ri(&c->b, o, 32, EAX, (int32_t)x);
			} else {
				x86_alu_rm(&c->b, o, 32, EAX, slot_mem(sa + 4 * i));
			}
			x86_mov_mr(&c->b, 32, slot_mem(d + 4 * i), EAX);
		}
		return;
	}
	default:
		wide_refuse(c);
	}
}

/* trunc from, zext/sext to, freeze/bitcast of a wide integer */
void wide_cast(struct codegen *c, struct ir_inst *in)
{
	struct ir_value *a = ir_op(in, 0);
	uint32_t sw = cg_type_bits(a->type), dw = cg_type_bits(in->v.type);
	int32_t d, s;
	if (sw > 128 || dw > 128 || a->type->kind != IR_TY_INT || in->v.type->kind != IR_TY_INT)
		return (void)wide_refuse(c);
	if (in->op == IR_OP_TRUNC && dw <= 64) {
		/* the low words of the container */
		if (!wide_slot(c, a, &s)) {
			if (!wide_to_scratch(c, a, sw, false))
				return;
			s = c->scratch;
		}
		if (dw > 32) {
			x86_mov_rm(&c->b, 32, EAX, slot_mem(s));
			x86_mov_rm(&c->b, 32, EDX, slot_mem(s + 4));
			store_pair(c, &in->v, EAX, EDX);
		} else {
			int r = dest_reg(c, &in->v);
			x86_mov_rm(&c->b, 32, r, slot_mem(s));
			store_result(c, &in->v, r);
		}
		return;
	}
	if (!dest_slot(c, in, &d))
		return;
	if ((in->op == IR_OP_ZEXT || in->op == IR_OP_SEXT) && sw <= 64) {
		bool sg = in->op == IR_OP_SEXT;
		load_extended_pair(c, a, sw, sg);
		x86_mov_mr(&c->b, 32, slot_mem(d), EAX);
		x86_mov_mr(&c->b, 32, slot_mem(d + 4), EDX);
		if (sg)
			x86_shift_ri(&c->b, X_SAR, 32, EDX, 31);
		else
			x86_alu_rr(&c->b, X_XOR, 32, EDX, EDX);
		x86_mov_mr(&c->b, 32, slot_mem(d + 8), EDX);
		x86_mov_mr(&c->b, 32, slot_mem(d + 12), EDX);
		return;
	}
	/* wide to wide: trunc, zext, sext, freeze, bitcast */
	if (sw <= 64 || dw <= 64)
		return (void)wide_refuse(c);
	if (!wide_to_scratch(c, a, sw, in->op == IR_OP_SEXT))
		return;
	copy_mem(c, slot_mem(d), slot_mem(c->scratch), 16);
}
