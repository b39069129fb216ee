/* servers/jit/cg/fpclass.c: llvm.is.fpclass.f32/f64 (clang-19 emits it
 * at -O0 for isnan, isinf, isfinite, isnormal, fpclassify, ...): whether
 * the value's class is one of the mask's (LangRef bit k: 0 snan, 1 qnan,
 * 2 -inf, 3 -normal, 4 -subnormal, 5 -zero, 6 +zero, 7 +subnormal,
 * 8 +normal, 9 +inf).
 *
 * Lowered here, to integer code on the value's bits, and not elsewhere:
 *  - not as an IR rewrite (bitcast, and, icmp, or) in mid/: tiers 0 and 1
 *    compile the module's own IR, which never changes (mid/mid.h); a
 *    rewrite would need a clone of every function that tests a class, at
 *    every tier;
 *  - not as a runtime call: isnan(x) at -O0 would cost a call, its
 *    argument pushes and the caller-saved registers, for what is a
 *    compare or two;
 *  - not in isel_fp.c: the test needs no XMM register (the bits come in
 *    EAX or EDX:EAX, like copysign's), so it does not depend on how FP
 *    values are kept in registers.
 *
 * Method: the magnitude's bits |x| order the classes (0 zero, below the
 * smallest normal subnormal, below the infinity normal, the infinity,
 * above it NaN; quiet when the significand's top bit is set).  For a
 * double only the high word is compared: the low word, when not zero, is
 * folded in as bit 0 of it, which moves no value across a class boundary
 * (every boundary's high word is even and its low word 0) but makes a
 * zero with a non-zero low word a subnormal and an infinity a NaN, as
 * they are.  The mask is a constant (an immarg), so each class's answer
 * is known here: one branch per class range, then the answer, or the
 * sign bit (or its complement) when the answer depends on the sign.
 *
 * requires: load_value/load_pair (the value's bits), store_result
 * provides: emit_is_fpclass */
#include "servers/jit/cg/isel.h"

/* EAX = the answer for a class whose answers are `neg` (x < 0) and `pos`
 * (x > 0); the sign (0 or 1) is in EDX */
static void answer(struct codegen *c, bool neg, bool pos)
{
	if (neg == pos) {
		x86_mov_ri(&c->b, 32, EAX, neg);
		return;
	}
	x86_mov_rr(&c->b, 32, EAX, EDX);
	if (pos)
		x86_alu_ri(&c->b, X_XOR, 32, EAX, 1);
}

void emit_is_fpclass(struct codegen *c, struct ir_inst *in)
{
	struct ir_value *a = in->nops > 1 ? ir_op(in, 1) : NULL;
	uint64_t m;
	if (!a || in->nops < 3 || !known_const(c, ir_op(in, 2), &m)) {
		isel_fail(c, "malformed llvm.is.fpclass");
		return;
	}
	if (!fp_type_ok(a->type)) {
		isel_fail(c, a->type->kind == IR_TY_VECTOR ? "vectors are not supported" :
			  "llvm.is.fpclass: only float and double are supported");
		return;
	}
	bool dbl = a->type->kind == IR_TY_DOUBLE;
	/* class boundaries of the high word of |x|: smallest normal,
	 * infinity, smallest quiet NaN */
	uint32_t norm = dbl ? 0x00100000u : 0x00800000u;
	uint32_t inf = dbl ? 0x7ff00000u : 0x7f800000u;
	uint32_t quiet = dbl ? 0x7ff80000u : 0x7fc00000u;
	x86_buf *b = &c->b;
	if (dbl) {
		load_pair(c, EAX, EDX, a);
		x86_mov_rr(b, 32, ECX, EDX);
		x86_test_rr(b, 32, EAX, EAX);		/* low word folded in as bit 0 */
		x86_setcc(b, X_NE, EAX);
		x86_movzx_rr(b, 8, EAX, EAX);
		x86_alu_rr(b, X_OR, 32, ECX, EAX);
	} else {
		load_value(c, EDX, a);
		x86_mov_rr(b, 32, ECX, EDX);
	}
	x86_shift_ri(b, X_SHR, 32, EDX, 31);		/* the sign */
	x86_alu_ri(b, X_AND, 32, ECX, 0x7fffffff);	/* |x| */
	bool bit[10];
	for (int k = 0; k < 10; k++)
		bit[k] = (m >> k) & 1;
	x86_label l_nan, l_inf, l_norm, l_sub, l_qnan, done;
	x86_label_init(&l_nan);
	x86_label_init(&l_inf);
	x86_label_init(&l_norm);
	x86_label_init(&l_sub);
	x86_label_init(&l_qnan);
	x86_label_init(&done);
	x86_alu_ri(b, X_CMP, 32, ECX, (int32_t)inf);
	x86_jcc(b, X_A, &l_nan);
	x86_jcc(b, X_E, &l_inf);
	x86_alu_ri(b, X_CMP, 32, ECX, (int32_t)norm);
	x86_jcc(b, X_AE, &l_norm);
	x86_test_rr(b, 32, ECX, ECX);
	x86_jcc(b, X_NE, &l_sub);
	answer(c, bit[5], bit[6]);			/* zero */
	x86_jmp(b, &done);
	x86_bind(b, &l_sub);
	answer(c, bit[4], bit[7]);
	x86_jmp(b, &done);
	x86_bind(b, &l_norm);
	answer(c, bit[3], bit[8]);
	x86_jmp(b, &done);
	x86_bind(b, &l_inf);
	answer(c, bit[2], bit[9]);
	x86_jmp(b, &done);
	x86_bind(b, &l_nan);
	x86_alu_ri(b, X_CMP, 32, ECX, (int32_t)quiet);
	x86_jcc(b, X_AE, &l_qnan);
	x86_mov_ri(b, 32, EAX, bit[0]);
	x86_jmp(b, &done);
	x86_bind(b, &l_qnan);
	x86_mov_ri(b, 32, EAX, bit[1]);
	x86_bind(b, &done);
	store_result(c, &in->v, EAX);
}
