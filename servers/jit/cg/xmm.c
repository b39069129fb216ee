/* servers/jit/cg/xmm.c: the XMM register class (tier >= 1) — which
 * float and double values may live in XMM1..XMM6 instead of a general
 * register or a stack slot, and where the code may call.
 *
 * XMM0 and XMM7 stay instruction selection's scratch (isel_fp.c); every
 * XMM register is caller-saved (i386 cdecl), so a value that is live
 * across an instruction whose code may call is not a candidate at all
 * (it keeps a slot: one store before the loop, a load per use).  That
 * is exact for the loops that matter (nbody, mandel, spectral: no calls
 * inside), and keeps the allocator free of split intervals.  Whether an
 * instruction may call is decided here from the IR (xmm_may_call); the
 * emission checks every call it emits against that (emit.c emit_block:
 * a call the map did not expect is a compile error, never a value
 * silently lost).
 *
 * A candidate is defined and used only by instructions whose emission
 * reads and writes XMM locations (isel_fp.c fp_load/fp_op/fp_store,
 * loads, stores, phi copies, call arguments and returns); anything else
 * (select, bitcast to an integer, promoted allocas, arguments) keeps
 * the value where every other pass expects its IEEE bits.
 *
 * The FP constants that instructions in loops read are pooled
 * (xmm_pool): the prologue stores each once into a frame slot and the
 * loop reads it as a memory operand (`mulsd xmm3, [esp+8]`) instead of
 * building it at every use (mov eax, k; movd xmm7, eax; cvtss2sd).
 *
 * requires: opt.c's flags and aliases, the intervals (ranges.c),
 *           c->bdepth (xmm_pool)
 * provides: xmm_may_call, xmm_candidate, c->xclob, c->fpk */
#include <string.h>
#include "servers/jit/cg/live.h"

/* The intrinsics whose code never calls (isel and intrin.c emit them
 * in line, or nothing at all); every other one may. */
static bool inline_intrinsic(enum ir_intrinsic id)
{
	switch (id) {
	case IR_INTR_NOP: case IR_INTR_EXPECT: case IR_INTR_PASS: case IR_INTR_TRAP:
	case IR_INTR_SMAX: case IR_INTR_SMIN: case IR_INTR_UMAX: case IR_INTR_UMIN:
	case IR_INTR_SADD_SAT: case IR_INTR_UADD_SAT: case IR_INTR_SSUB_SAT: case IR_INTR_USUB_SAT:
	case IR_INTR_ABS: case IR_INTR_FSHL: case IR_INTR_FSHR: case IR_INTR_BSWAP:
	case IR_INTR_BITREVERSE: case IR_INTR_CTPOP: case IR_INTR_CTLZ: case IR_INTR_CTTZ:
	case IR_INTR_SADD_OV: case IR_INTR_UADD_OV: case IR_INTR_SSUB_OV: case IR_INTR_USUB_OV:
	case IR_INTR_FMULADD: case IR_INTR_SQRT: case IR_INTR_FABS: case IR_INTR_COPYSIGN:
	case IR_INTR_MINNUM: case IR_INTR_MAXNUM:
		return true;
	default:
		return false;
	}
}

/* Whether the code of `in` may contain a call (and so clobber every XMM
 * register): calls but the in-line intrinsics, frem, the conversions
 * the runtime does (64-bit integers, float to u32), 64-bit divisions.
 * Conservative: a false "may" only costs a register. */
bool xmm_may_call(struct codegen *c, struct ir_inst *in)
{
	if (c->fl[in->v.id] & (F_DEAD | F_ALIAS | F_CONST))
		return false;
	switch (in->op) {
	case IR_OP_CALL: {
		struct ir_func *t = ir_call_target(in);
		return !t || !t->intrinsic || !inline_intrinsic(t->intrinsic);
	}
	case IR_OP_FREM:
		return true;
	case IR_OP_SITOFP: case IR_OP_UITOFP:
		return cg_type_bits(ir_op(in, 0)->type) > 32;
	case IR_OP_FPTOSI:
		return cg_type_bits(in->v.type) > 32;
	case IR_OP_FPTOUI:
		return cg_type_bits(in->v.type) >= 32;
	case IR_OP_UDIV: case IR_OP_SDIV: case IR_OP_UREM: case IR_OP_SREM:
		return cg_type_bits(in->v.type) > 32;
	default:
		return false;
	}
}

static bool fp_kind(const struct ir_type *t)
{
	return t && (t->kind == IR_TY_FLOAT || t->kind == IR_TY_DOUBLE);
}

/* p points at a promoted alloca (its loads and stores are copies of a
 * variable, emitted through general registers). */
static bool promoted(struct codegen *c, struct ir_value *p)
{
	struct ir_inst *pi = ir_as_inst(cg_canon(c, p));
	return pi && (c->fl[pi->v.id] & F_PROMOTED);
}

/* The intrinsics that read their FP operands with fp_load/fp_op or
 * push them (push_arg): not fabs, copysign or is.fpclass, which work on
 * the bits in general registers (isel_fp.c, fpclass.c). */
static bool fp_operand_intrinsic(enum ir_intrinsic id)
{
	switch (id) {
	case IR_INTR_FMULADD: case IR_INTR_FMA: case IR_INTR_SQRT: case IR_INTR_MINNUM:
	case IR_INTR_MAXNUM: case IR_INTR_FLOOR: case IR_INTR_CEIL: case IR_INTR_TRUNC:
	case IR_INTR_ROUND: case IR_INTR_ROUNDEVEN: case IR_INTR_RINT: case IR_INTR_NEARBYINT:
	case IR_INTR_LROUND: case IR_INTR_LLROUND: case IR_INTR_LRINT: case IR_INTR_LLRINT:
	case IR_INTR_FREXP: case IR_INTR_LIBM:
		return true;
	default:
		return false;
	}
}

/* Every use of v (through its aliases of the same type) reads it
 * where an XMM location is understood. */
static bool uses_ok(struct codegen *c, struct ir_value *v, int depth)
{
	for (struct ir_use *u = v->uses; u; u = u->next) {
		struct ir_inst *in = u->user;
		if (!in)
			return false;
		uint8_t fl = c->fl[in->v.id];
		if (fl & F_DEAD)
			continue;
		if (fl & F_ALIAS) {
			/* freeze, a bitcast float to float: the same value */
			if (depth > 4 || in->v.type->kind != v->type->kind || !uses_ok(c, &in->v, depth + 1))
				return false;
			continue;
		}
		switch (in->op) {
		case IR_OP_FADD: case IR_OP_FSUB: case IR_OP_FMUL: case IR_OP_FDIV: case IR_OP_FREM:
		case IR_OP_FNEG: case IR_OP_FCMP: case IR_OP_FPEXT: case IR_OP_FPTRUNC:
		case IR_OP_FPTOSI: case IR_OP_FPTOUI: case IR_OP_PHI: case IR_OP_RET:
			break;
		case IR_OP_STORE:
			if (u->index != 0 || promoted(c, ir_op(in, 1)))
				return false;
			break;
		case IR_OP_CALL: {
			/* an argument (pushed, isel_call.c push_arg), or an FP
			 * intrinsic's operand (isel_fp.c); not the callee */
			struct ir_func *t = ir_call_target(in);
			if (u->index == 0 || (t && t->intrinsic && !fp_operand_intrinsic(t->intrinsic)))
				return false;
			if (in->call_attrs && u->index < in->ncall_attrs &&
			    (in->call_attrs[u->index].flags & IR_ATTR_BYVAL))
				return false;
			break;
		}
		default:
			return false;
		}
	}
	return true;
}

/* The definition of instruction `in` writes its result where an XMM
 * location is understood. */
static bool def_ok(struct codegen *c, struct ir_inst *in)
{
	switch (in->op) {
	case IR_OP_FADD: case IR_OP_FSUB: case IR_OP_FMUL: case IR_OP_FDIV: case IR_OP_FREM:
	case IR_OP_FNEG: case IR_OP_FPEXT: case IR_OP_FPTRUNC: case IR_OP_SITOFP: case IR_OP_UITOFP:
	case IR_OP_PHI:
		return true;
	case IR_OP_LOAD:
		return !promoted(c, ir_op(in, 0));
	case IR_OP_CALL: {
		/* a call's result (ST0, isel_fp.c fp_call_result) or an FP
		 * intrinsic's computed in XMM (fabs and copysign work on the
		 * bits in general registers) */
		struct ir_func *t = ir_call_target(in);
		if (!t || !t->intrinsic)
			return true;
		switch (t->intrinsic) {
		case IR_INTR_FMULADD: case IR_INTR_FMA: case IR_INTR_SQRT: case IR_INTR_MINNUM:
		case IR_INTR_MAXNUM: case IR_INTR_FLOOR: case IR_INTR_CEIL: case IR_INTR_TRUNC: case IR_INTR_ROUND:
		case IR_INTR_ROUNDEVEN: case IR_INTR_RINT: case IR_INTR_NEARBYINT: case IR_INTR_LIBM:
			return true;
		default:
			return false;
		}
	}
	default:
		return false;
	}
}

/* No instruction whose code may call lies inside v's ranges (the one
 * defining v, and the one reading v last as an operand, do not count:
 * the call comes before the result, after the operands). */
static bool no_call_across(struct codegen *c, uint32_t v)
{
	const struct live_ranges *rl = &c->ra->rl;
	for (uint32_t i = rl->off[v]; i < rl->off[v] + rl->n[v]; i++) {
		int32_t s = rl->s[i], e = rl->e[i];
		uint32_t ks = s < 0 ? 0 : (uint32_t)s / 4, ke = e < 0 ? 0 : (uint32_t)e / 4;
		if (ke >= c->nk)
			ke = c->nk ? c->nk - 1 : 0;
		for (uint32_t k = ks; k <= ke && k < c->nk; k++) {
			cg_fuel(c, 1);
			if (!c->xclob[c->kinst[k]])
				continue;
			if (k == ks && s >= 0 && s % 4 == 2)
				continue;       /* its definition: the call comes first */
			if (k == ke && e % 4 == 1)
				continue;       /* read as an operand before the call */
			return false;
		}
	}
	return true;
}

bool xmm_clobber_map(struct codegen *c)
{
	struct ir_func *f = c->f;
	c->xclob = ir_arena_alloc(c->a, f->nvalues + 1, 1);
	if (!c->xclob)
		return false;
	memset(c->xclob, 0, f->nvalues + 1);
	for (uint32_t bi = 0; bi < f->nblocks; bi++)
		for (struct ir_inst *in = f->blocks[bi]->first; in; in = in->next) {
			cg_fuel(c, 1);
			c->xclob[in->v.id] = xmm_may_call(c, in);
		}
	return true;
}

bool xmm_candidate(struct codegen *c, uint32_t v, const struct ir_type *ty)
{
	struct ir_func *f = c->f;
	struct ir_inst *in = c->ra->vi[v];
	if (!fp_kind(ty) || !in || !c->xclob)
		return false;
	if (v < f->nvalues) {
		if (in->v.id != v || !def_ok(c, in) || !uses_ok(c, &in->v, 0))
			return false;
	} else if (in->op != IR_OP_PHI || !uses_ok(c, &in->v, 0)) {
		return false;   /* a phi temporary: as its phi */
	}
	return no_call_across(c, v);
}

/* Operand v of an FP instruction: a constant (a folded value too) of
 * float or double type into the pool, when there is room. */
static void pool_const(struct codegen *c, struct ir_value *v)
{
	uint64_t k;
	struct ir_value *cv = cg_canon(c, v);
	if (!fp_kind(v->type))
		return;
	if (cg_is_var(cv)) {
		if (!(c->fl[cv->id] & F_CONST))
			return;
		k = c->loc[cv->id].k;
	} else {
		struct cg_const kc;
		if (!cg_const(c, cv, &kc) || kc.rk != RK_NONE)
			return;
		k = kc.v;
	}
	bool dbl = v->type->kind == IR_TY_DOUBLE;
	if (!dbl)
		k = (uint32_t)k;
	for (uint32_t i = 0; i < c->nfpk; i++)
		if (c->fpk[i].bits == k && c->fpk[i].dbl == dbl)
			return;
	if (c->nfpk < sizeof c->fpk / sizeof c->fpk[0]) {
		c->fpk[c->nfpk].bits = k;
		c->fpk[c->nfpk].dbl = dbl;
		c->fpk[c->nfpk++].off = 0;
	}
}

void xmm_pool(struct codegen *c)
{
	struct ir_func *f = c->f;
	c->nfpk = 0;
	if (!c->bdepth)
		return;
	for (uint32_t bi = 0; bi < f->nblocks; bi++) {
		if (!c->reach[bi] || !c->bdepth[bi])
			continue;
		for (struct ir_inst *in = f->blocks[bi]->first; in; in = in->next) {
			cg_fuel(c, 1 + in->nops);
			if (c->fl[in->v.id] & (F_DEAD | F_ALIAS | F_CONST))
				continue;
			struct ir_func *t = ir_call_target(in);
			switch (in->op) {
			case IR_OP_FADD: case IR_OP_FSUB: case IR_OP_FMUL: case IR_OP_FDIV:
			case IR_OP_FCMP: case IR_OP_FPEXT: case IR_OP_FPTRUNC:
				for (uint32_t i = 0; i < in->nops; i++)
					pool_const(c, ir_op(in, i));
				break;
			case IR_OP_CALL:
				if (t && (t->intrinsic == IR_INTR_FMULADD || t->intrinsic == IR_INTR_SQRT ||
					  t->intrinsic == IR_INTR_MINNUM || t->intrinsic == IR_INTR_MAXNUM))
					for (uint32_t i = 1; i < in->nops; i++)
						pool_const(c, ir_op(in, i));
				break;
			default:
				break;
			}
		}
	}
}
