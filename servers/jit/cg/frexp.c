/* servers/jit/cg/frexp.c: llvm.frexp.f32.i32 / llvm.frexp.f64.i32
 * (clang emits it for __builtin_frexp): { fraction, exponent } from the
 * runtime's frexp/frexpf (lib/rt/math/scale.c), called with a pointer to
 * the exponent's field of the result's own aggregate slot; the fraction
 * comes back in ST0 and is stored straight into the first field.  No XMM
 * register is involved (the value is pushed as bits, the result goes
 * from ST0 to memory), so this stays out of isel_fp.c.
 *
 * requires: the result's aggregate slot (stack.c), push_arg, call_import
 * provides: emit_frexp */
#include "servers/jit/cg/isel.h"
#include "servers/jit/x86/sse.h"

void emit_frexp(struct codegen *c, struct ir_inst *in)
{
	struct ir_value *a = in->nops > 1 ? ir_op(in, 1) : NULL;
	const struct ir_type *t = in->v.type;
	int32_t so;
	if (!a || !fp_type_ok(a->type) || t->kind != IR_TY_STRUCT || t->nmembers != 2 ||
	    cg_type_bits(t->members[1]) != 32) {
		isel_fail(c, "llvm.frexp: only float or double with an i32 exponent is supported");
		return;
	}
	if (!agg_slot(c, &in->v, &so)) {
		isel_fail(c, "llvm.frexp: the result has no slot");
		return;
	}
	bool dbl = a->type->kind == IR_TY_DOUBLE;
	x86_lea(&c->b, EAX, slot_mem(so + (int32_t)ir_struct_offset(t, 1)));
	x86_push_r(&c->b, EAX);
	uint32_t bytes = 4 + push_arg(c, a, NULL);
	call_import(c, dbl ? "frexp" : "frexpf");
	x86_alu_ri(&c->b, X_ADD, 32, ESP, (int32_t)bytes);
	x86_fstp_m(&c->b, dbl ? 64 : 32, slot_mem(so + (int32_t)ir_struct_offset(t, 0)));
}
