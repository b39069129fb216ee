/* servers/jit/cg/isel_fp.c: *emission* of floating point — float and
 * double arithmetic, fcmp, conversions, FP intrinsics, and the i386
 * boundary (results in x87 ST0) — with SSE2 scalar code, every tier.
 *
 * The scheme: cg_type_bits says 32 for float and 64 for double, so every
 * other pass treats a float as an i32 and a double as an i64 of the same
 * bits — locations (a float may live in EBX/ESI/EDI, a double in a
 * slot), phis, selects, loads, stores, stack arguments (cdecl passes
 * them as the same words), constants (their IEEE bits), bitcasts
 * (aliases).  Only the operations that look at the value as a number
 * come here: they move their operands into XMM0 (and XMM7, the second
 * scratch), compute, and move the result back to its location.
 *
 * At tier >= 1 a float or double may instead live in XMM1..XMM6
 * (L_XMM, chosen by xmm.c, which sees that no call lies inside its
 * ranges and that every instruction defining or using it is one that
 * understands the location): the arithmetic then works on it in place
 * and computes into the result's register (`addsd xmm3, xmm5`), and
 * loads, stores, phi copies (fp_copy), call arguments (fp_push_arg),
 * returns and call results move it with movss/movsd/movaps.
 *
 * Calls to compiled-elsewhere code return float/double in ST0 (i386
 * SysV): fstp into memory right after the call, fld before a ret.  That
 * and nothing else is x87 here.  Conversions from/to 64-bit integers
 * (and unsigned 32-bit ones) call the runtime's compiler-rt helpers
 * (lib/rt/math/conv.c); frem calls fmod/fmodf.
 *
 * requires: the locations (rega.c, stack.c)
 * provides: emit_fp (fadd..frem, fneg, fcmp), emit_fp_cast,
 *           emit_fp_intrinsic, fp_call_result, fp_ret */
#include "servers/jit/cg/isel.h"
#include "servers/jit/x86/sse.h"

static bool is_dbl(const struct ir_type *t) { return t->kind == IR_TY_DOUBLE; }

/* Only float and double: half, bfloat, x86_fp80 are refused (their
 * cg_type_bits is 0). */
bool fp_type_ok(const struct ir_type *t)
{
	return t->kind == IR_TY_FLOAT || t->kind == IR_TY_DOUBLE;
}

/* The slot of v when it is a variable kept in one, else NULL. */
static const struct cg_loc *slot_of(struct codegen *c, struct ir_value *v)
{
	v = cg_canon(c, v);
	if (cg_is_var(v) && loc_of(c, v)->kind == L_SLOT)
		return loc_of(c, v);
	return NULL;
}

/* The second scratch register (the first is XMM0). */
#define XS 7

/* The XMM register v lives in (L_XMM), else -1. */
int xmm_of(struct codegen *c, struct ir_value *v)
{
	v = cg_canon(c, v);
	if (cg_is_var(v) && loc_of(c, v)->kind == L_XMM)
		return loc_of(c, v)->reg;
	return -1;
}

/* EDX:EAX (or EAX) into XMM x; XMM7 helps join the two words (into
 * XMM7 itself: through the stack). */
static void gpr_to_xmm(struct codegen *c, int x, bool dbl)
{
	if (dbl && x == XS) {
		x86_push_r(&c->b, EDX);
		x86_push_r(&c->b, EAX);
		x86_sse_rm(&c->b, X_MOVSD, x, x86_m(ESP, 0));
		x86_alu_ri(&c->b, X_ADD, 32, ESP, 8);
		return;
	}
	x86_movd_xr(&c->b, x, EAX);
	if (dbl) {
		x86_movd_xr(&c->b, XS, EDX);
		x86_sse_rr(&c->b, X_UNPCKLPS, x, XS);
	}
}

/* The frame slot of constant v when the pool holds it (xmm.c
 * xmm_pool: the loops' FP constants, stored by the prologue), else
 * NULL. */
static const struct cg_fpk *pooled(struct codegen *c, struct ir_value *v)
{
	uint64_t k;
	if (!c->nfpk || !fp_type_ok(v->type) || !known_const(c, v, &k))
		return NULL;
	bool dbl = is_dbl(v->type);
	if (!dbl)
		k = (uint32_t)k;
	for (uint32_t i = 0; i < c->nfpk; i++)
		if (c->fpk[i].bits == k && c->fpk[i].dbl == dbl && c->fpk[i].off)
			return &c->fpk[i];
	return NULL;
}

/* The XMM register that still holds v: it was stored from there by the
 * code just before, in the same block (no label between: a jump may not
 * bring it); -1 when none. */
static int held_in(struct codegen *c, struct ir_value *v)
{
	v = cg_canon(c, v);
	return cg_is_var(v) && c->held_blk && c->cur && c->cur->parent == c->held_blk &&
	       c->held_id == v->id && c->held_pos == c->b.len ? c->held_reg : -1;
}

static bool in_xmm0(struct codegen *c, struct ir_value *v) { return held_in(c, v) == 0; }

/* The float with exactly the value of the double of bits k (a normal
 * float: exponent in range, the 29 low mantissa bits zero), else false.
 * Integer arithmetic: the JIT itself is built without floating point. */
static bool dbl_as_flt(uint64_t k, uint32_t *f)
{
	uint32_t e = (uint32_t)(k >> 52) & 0x7ff;
	uint64_t m = k & ((1ull << 52) - 1);
	if ((m & ((1ull << 29) - 1)) || e < 1023 - 126 || e > 1023 + 127)
		return false;
	*f = (uint32_t)(k >> 63) << 31 | (e - 1023 + 127) << 23 | (uint32_t)(m >> 29);
	return true;
}

/* v (float or double) into XMM x. */
static void fp_load(struct codegen *c, int x, struct ir_value *v)
{
	bool dbl = is_dbl(v->type);
	int xr = xmm_of(c, v);
	if (xr >= 0) {
		if (xr != x)
			x86_sse_rr(&c->b, X_MOVAPS, x, xr);
		return;
	}
	int held = held_in(c, v);
	if (held >= 0) {
		if (held != x)
			x86_sse_rr(&c->b, X_MOVAPS, x, held);
		return;
	}
	const struct cg_loc *l = slot_of(c, v);
	if (l) {
		x86_sse_rm(&c->b, dbl ? X_MOVSD : X_MOVSS, x, slot_mem(l->off));
		return;
	}
	uint64_t k;
	uint32_t f;
	if (known_const(c, v, &k)) {
		/* +0: xorps; a double a float holds exactly: the float's bits
		 * and cvtss2sd (3 instructions instead of 5) */
		if ((dbl ? k : (uint32_t)k) == 0) {
			x86_sse_rr(&c->b, X_XORPS, x, x);
			return;
		}
		const struct cg_fpk *p = pooled(c, v);
		if (p) {
			x86_sse_rm(&c->b, dbl ? X_MOVSD : X_MOVSS, x, slot_mem(p->off));
			return;
		}
		if (dbl && dbl_as_flt(k, &f)) {
			x86_mov_ri(&c->b, 32, EAX, (int32_t)f);
			x86_movd_xr(&c->b, x, EAX);
			x86_sse_rr(&c->b, X_CVTSS2SD, x, x);
			return;
		}
	}
	if (dbl) {
		load_pair(c, EAX, EDX, v);
	} else {
		int r = reg_of(c, v);
		if (r >= 0) {
			x86_movd_xr(&c->b, x, r);
			return;
		}
		load_value(c, EAX, v);
	}
	gpr_to_xmm(c, x, dbl);
}

/* XMM x was just stored into v's slot: x still holds v */
static void note_held(struct codegen *c, struct ir_value *v, int x)
{
	if (!c->cur)
		return;
	c->held_id = v->id;
	c->held_reg = (uint8_t)x;
	c->held_pos = c->b.len;
	c->held_blk = c->cur->parent;
}

/* XMM x into v's location (x is left changed for doubles). */
static void fp_store(struct codegen *c, struct ir_value *v, int x)
{
	bool dbl = is_dbl(v->type);
	struct cg_loc *l = loc_of(c, v);
	if (l->kind == L_NONE)
		return;
	if (l->kind == L_XMM) {
		if (l->reg != x)
			x86_sse_rr(&c->b, X_MOVAPS, l->reg, x);
		return;
	}
	if (dbl) {
		if (l->kind == L_SLOT) {
			x86_sse_mr(&c->b, X_MOVSD_ST, slot_mem(l->off), x);
			note_held(c, v, x);
			return;
		}
		x86_movd_rx(&c->b, EAX, x);
		x86_psrlq(&c->b, x, 32);
		x86_movd_rx(&c->b, EDX, x);
		store_pair(c, v, EAX, EDX);
		return;
	}
	if (l->kind == L_SLOT) {
		x86_sse_mr(&c->b, X_MOVSS_ST, slot_mem(l->off), x);
		note_held(c, v, x);
		return;
	}
	/* a float in a register: movd straight into it (ECX/EDX too: nothing
	 * else is written after, so that write is its definition) */
	int own = own_reg(c, v);
	if (own >= 0) {
		uint8_t wm = c->b.wmask;
		x86_movd_rx(&c->b, own, x);
		def_write(c, wm, own);
	} else {
		int r = dest_reg(c, v);
		x86_movd_rx(&c->b, r, x);
		store_result(c, v, r);
	}
	note_held(c, v, x);
}

/* op xmm x, v: v's XMM register or slot when it has one, else v
 * through XMM7 */
static void fp_op(struct codegen *c, int op, int x, struct ir_value *v)
{
	struct ir_inst *ld = fused_load(c, v);
	if (ld) {
		/* a load only this operation reads (opt.c fuse_fp_load) */
		struct address a = address_of(c, ir_op(ld, 0), ECX, EDX);
		x86_sse_rm(&c->b, op, x, a.m);
		addr_reloc(c, &a);
		return;
	}
	int xr = xmm_of(c, v);
	if (xr >= 0) {
		x86_sse_rr(&c->b, op, x, xr);
		return;
	}
	const struct cg_loc *l = slot_of(c, v);
	if (l) {
		x86_sse_rm(&c->b, op, x, slot_mem(l->off));
		return;
	}
	const struct cg_fpk *p = pooled(c, v);
	if (p) {
		x86_sse_rm(&c->b, op, x, slot_mem(p->off));
		return;
	}
	fp_load(c, XS, v);
	x86_sse_rr(&c->b, op, x, XS);
}

/* The register to compute in's result in: its own XMM register when
 * none of in's operands first+1..first+n-1 lives there (the operand
 * `first` is loaded into it before the others are read), else XMM0. */
static int fp_res(struct codegen *c, struct ir_inst *in, uint32_t first, uint32_t n)
{
	struct cg_loc *l = loc_of(c, &in->v);
	if (l->kind != L_XMM)
		return 0;
	for (uint32_t i = first + 1; i < first + n && i < in->nops; i++)
		if (xmm_of(c, ir_op(in, i)) == l->reg && cg_canon(c, ir_op(in, i)) != cg_canon(c, ir_op(in, first)))
			return 0;
	return l->reg;
}

/* A load of a double into its slot: one movsd through XMM0 (which then
 * still holds it for the next FP instruction) instead of the pair's two
 * loads and two stores.  False when not such a load. */
bool fp_emit_load(struct codegen *c, struct ir_inst *in)
{
	struct cg_loc *l = loc_of(c, &in->v);
	if (l->kind == L_XMM) {
		/* straight into its register */
		struct address a = address_of(c, ir_op(in, 0), ECX, EDX);
		x86_sse_rm(&c->b, is_dbl(in->v.type) ? X_MOVSD : X_MOVSS, l->reg, a.m);
		addr_reloc(c, &a);
		return true;
	}
	if (in->v.type->kind != IR_TY_DOUBLE || l->kind != L_SLOT)
		return false;
	struct address a = address_of(c, ir_op(in, 0), ECX, EDX);
	x86_sse_rm(&c->b, X_MOVSD, 0, a.m);
	addr_reloc(c, &a);
	x86_sse_mr(&c->b, X_MOVSD_ST, slot_mem(l->off), 0);
	note_held(c, &in->v, 0);
	return true;
}

/* A store of a double in a slot or in XMM0: into XMM0 first, then the
 * address (ECX/EDX), one movsd.  False otherwise (a constant is two
 * immediate stores). */
bool fp_emit_store(struct codegen *c, struct ir_inst *in)
{
	struct ir_value *v = ir_op(in, 0);
	int xr = xmm_of(c, v);
	if (xr >= 0) {
		/* straight from its register */
		struct address a = address_of(c, ir_op(in, 1), ECX, EDX);
		x86_sse_mr(&c->b, is_dbl(v->type) ? X_MOVSD_ST : X_MOVSS_ST, a.m, xr);
		addr_reloc(c, &a);
		return true;
	}
	int held = held_in(c, v);
	if (v->type->kind != IR_TY_DOUBLE || (!slot_of(c, v) && held < 0))
		return false;
	if (held < 0)
		fp_load(c, 0, v);
	struct address a = address_of(c, ir_op(in, 1), ECX, EDX);
	x86_sse_mr(&c->b, X_MOVSD_ST, a.m, held < 0 ? 0 : held);
	addr_reloc(c, &a);
	return true;
}

/* A phi copy of a double from src (a value) or from the slot at src_off
 * (src NULL) into the slot at dst_off: movsd through XMM7 instead of the
 * pair's four moves.  False when not a double in a slot. */
bool fp_copy_slot(struct codegen *c, const struct ir_type *t, int32_t dst_off, struct ir_value *src,
		  int32_t src_off)
{
	if (t->kind != IR_TY_DOUBLE)
		return false;
	if (src) {
		const struct cg_loc *l = slot_of(c, src);
		if (!l)
			return false;
		src_off = l->off;
	}
	x86_sse_rm(&c->b, X_MOVSD, 7, slot_mem(src_off));
	x86_sse_mr(&c->b, X_MOVSD_ST, slot_mem(dst_off), 7);
	return true;
}

/* Vreg i (float or double) into XMM x. */
static void xmm_from_vreg(struct codegen *c, int x, uint32_t i, bool dbl)
{
	struct cg_loc *l = &c->loc[i];
	if (l->kind == L_XMM) {
		if (l->reg != x)
			x86_sse_rr(&c->b, X_MOVAPS, x, l->reg);
	} else if (l->kind == L_SLOT) {
		x86_sse_rm(&c->b, dbl ? X_MOVSD : X_MOVSS, x, slot_mem(l->off));
	} else if (!dbl) {
		load_vreg(c, EAX, i);
		x86_movd_xr(&c->b, x, EAX);
	} else {
		isel_fail(c, "internal: a double without a slot or an XMM register");
	}
}

/* XMM x into vreg i (float or double). */
static void xmm_to_vreg(struct codegen *c, uint32_t i, int x, bool dbl)
{
	struct cg_loc *l = &c->loc[i];
	if (l->kind == L_XMM) {
		if (l->reg != x)
			x86_sse_rr(&c->b, X_MOVAPS, l->reg, x);
	} else if (l->kind == L_SLOT) {
		x86_sse_mr(&c->b, dbl ? X_MOVSD_ST : X_MOVSS_ST, slot_mem(l->off), x);
	} else if (!dbl && l->kind == L_REG) {
		/* a phi copy writing ECX/EDX: its definition (flow.c) */
		uint8_t wm = c->b.wmask;
		x86_movd_rx(&c->b, l->reg, x);
		if (l->reg == X_ECX || l->reg == X_EDX)
			def_write(c, wm, l->reg);
	} else if (l->kind != L_NONE) {
		isel_fail(c, "internal: an XMM value copied to an unknown location");
	}
}

/* A phi copy of type t into vreg dst from src (a value) or from vreg
 * src_vreg (src NULL), when either lives in an XMM register: one
 * movaps / movss / movsd / movd (a constant: fp_load).  False when
 * neither does (the copy is then the integer one of the same bits).
 * Flags are kept (edge copies may sit between a compare and its jcc). */
bool fp_copy(struct codegen *c, const struct ir_type *t, uint32_t dst, struct ir_value *src,
	     uint32_t src_vreg)
{
	if (!fp_type_ok(t))
		return false;
	bool dbl = is_dbl(t);
	if (src) {
		struct ir_value *cv = cg_canon(c, src);
		if (!cg_is_var(cv)) {
			if (c->loc[dst].kind != L_XMM)
				return false;
			fp_load(c, c->loc[dst].reg, src);
			return true;
		}
		src_vreg = cv->id;
	}
	struct cg_loc *d = &c->loc[dst], *sl = &c->loc[src_vreg];
	if (d->kind == L_XMM)
		xmm_from_vreg(c, d->reg, src_vreg, dbl);
	else if (sl->kind == L_XMM)
		xmm_to_vreg(c, dst, sl->reg, dbl);
	else
		return false;
	return true;
}

/* A float/double argument in an XMM register onto the stack (cdecl:
 * its words); the bytes pushed, 0 when v is not in one. */
uint32_t fp_push_arg(struct codegen *c, struct ir_value *v)
{
	int xr = xmm_of(c, v);
	if (xr < 0)
		return 0;
	bool dbl = is_dbl(v->type);
	x86_alu_ri(&c->b, X_SUB, 32, ESP, dbl ? 8 : 4);
	x86_sse_mr(&c->b, dbl ? X_MOVSD_ST : X_MOVSS_ST, x86_m(ESP, 0), xr);
	return dbl ? 8 : 4;
}

/* ST0 popped into XMM x (a call's result), through the stack. */
static void st0_to_xmm(struct codegen *c, int x, bool dbl)
{
	x86_alu_ri(&c->b, X_SUB, 32, ESP, 8);
	x86_fstp_m(&c->b, dbl ? 64 : 32, x86_m(ESP, 0));
	x86_sse_rm(&c->b, dbl ? X_MOVSD : X_MOVSS, x, x86_m(ESP, 0));
	x86_alu_ri(&c->b, X_ADD, 32, ESP, 8);
}

/* The result of a call returning float/double (in ST0) into its location;
 * ST0 is popped even when the result is unused (the x87 stack must stay
 * empty across calls). */
void fp_call_result(struct codegen *c, struct ir_inst *in)
{
	bool dbl = is_dbl(in->v.type);
	struct cg_loc *l = loc_of(c, &in->v);
	if (l->kind == L_SLOT) {
		x86_fstp_m(&c->b, dbl ? 64 : 32, slot_mem(l->off));
		return;
	}
	if (l->kind == L_XMM) {
		st0_to_xmm(c, l->reg, dbl);
		return;
	}
	if (l->kind != L_REG || dbl) {
		x86_fstp_st0(&c->b);
		return;
	}
	st0_to_xmm(c, 0, false);
	fp_store(c, &in->v, 0);
}

/* ret of a float/double: the value into ST0. */
void fp_ret(struct codegen *c, struct ir_value *v)
{
	bool dbl = is_dbl(v->type);
	const struct cg_loc *l = slot_of(c, v);
	if (l) {
		x86_fld_m(&c->b, dbl ? 64 : 32, slot_mem(l->off));
		return;
	}
	int xr = xmm_of(c, v);
	if (xr >= 0) {
		x86_alu_ri(&c->b, X_SUB, 32, ESP, 8);
		x86_sse_mr(&c->b, dbl ? X_MOVSD_ST : X_MOVSS_ST, x86_m(ESP, 0), xr);
		x86_fld_m(&c->b, dbl ? 64 : 32, x86_m(ESP, 0));
		x86_alu_ri(&c->b, X_ADD, 32, ESP, 8);
		return;
	}
	if (dbl) {
		load_pair(c, EAX, EDX, v);
		x86_push_r(&c->b, EDX);
	} else {
		load_value(c, EAX, v);
	}
	x86_push_r(&c->b, EAX);
	x86_fld_m(&c->b, dbl ? 64 : 32, x86_m(ESP, 0));
	x86_alu_ri(&c->b, X_ADD, 32, ESP, dbl ? 8 : 4);
}

/* A runtime function called with args (pushed right to left, cdecl). */
static void rt_call(struct codegen *c, const char *name, struct ir_value **args, int n)
{
	uint32_t bytes = 0;
	for (int i = n; i-- > 0;)
		bytes += push_arg(c, args[i], NULL);
	call_import(c, name);
	if (bytes)
		x86_alu_ri(&c->b, X_ADD, 32, ESP, (int32_t)bytes);
}

/* A runtime function of FP arguments with an FP result (ST0). */
static void rt_fp_call(struct codegen *c, struct ir_inst *in, const char *name, struct ir_value **args, int n)
{
	rt_call(c, name, args, n);
	int x = loc_of(c, &in->v)->kind == L_XMM ? loc_of(c, &in->v)->reg : 0;
	st0_to_xmm(c, x, is_dbl(in->v.type));
	fp_store(c, &in->v, x);
}

/* XMM x = the sign bit mask of the type (float: bit 31, double: bit 63). */
static void sign_mask(struct codegen *c, int x, bool dbl)
{
	x86_mov_ri(&c->b, 32, EAX, (int32_t)0x80000000u);
	x86_movd_xr(&c->b, x, EAX);
	if (dbl)
		x86_psllq(&c->b, x, 32);
}

/* fcmp as flags: the condition code that holds when the predicate does.
 * ucomis sets ZF,PF,CF = 1,1,1 when unordered, 0,0,0 for a > b, 0,0,1 for
 * a < b, 1,0,0 for a == b: each predicate is one condition of (a, b) or
 * (b, a), except oeq / une, which need two (combined in AL by setcc). */
int fcmp_flags(struct codegen *c, struct ir_inst *in)
{
	struct ir_value *a = ir_op(in, 0), *b = ir_op(in, 1);
	if (!fp_type_ok(a->type)) {
		isel_fail(c, a->type->kind == IR_TY_VECTOR ? "vectors are not supported" :
			  "floating point other than float and double is not supported");
		return X_E;
	}
	bool dbl = is_dbl(a->type);
	uint32_t p = in->pred;
	if (p == IR_FCMP_FALSE || p == IR_FCMP_TRUE) {
		x86_alu_rr(&c->b, X_XOR, 32, EAX, EAX); /* ZF = 1 */
		return p == IR_FCMP_TRUE ? X_E : X_NE;
	}
	/* the predicates that read "b above a" compare the other way */
	bool swap = p == IR_FCMP_OLT || p == IR_FCMP_OLE || p == IR_FCMP_UGT || p == IR_FCMP_UGE;
	int x = xmm_of(c, swap ? b : a);
	if (x < 0)
		fp_load(c, x = 0, swap ? b : a);
	fp_op(c, dbl ? X_UCOMISD : X_UCOMISS, x, swap ? a : b);
	switch (p) {
	case IR_FCMP_OGT: case IR_FCMP_OLT: return X_A;   /* CF=0, ZF=0 */
	case IR_FCMP_OGE: case IR_FCMP_OLE: return X_AE;  /* CF=0 */
	case IR_FCMP_ULT: case IR_FCMP_UGT: return X_B;   /* CF=1 */
	case IR_FCMP_ULE: case IR_FCMP_UGE: return X_BE;  /* CF=1 or ZF=1 */
	case IR_FCMP_ONE: return X_NE;                    /* ZF=0 (unordered: ZF=1) */
	case IR_FCMP_UEQ: return X_E;
	case IR_FCMP_ORD: return X_NP;
	case IR_FCMP_UNO: return X_P;
	case IR_FCMP_OEQ: case IR_FCMP_UNE: {
		/* oeq = ZF and not PF; une = not ZF or PF: AL, whose and/or
		 * leaves ZF clear exactly when the predicate holds */
		bool eq = p == IR_FCMP_OEQ;
		x86_setcc(&c->b, eq ? X_E : X_NE, EAX);
		x86_setcc(&c->b, eq ? X_NP : X_P, ECX);
		x86_alu_rr(&c->b, eq ? X_AND : X_OR, 8, EAX, ECX);
		return X_NE;
	}
	default:
		isel_fail(c, "unknown fcmp predicate");
		return X_E;
	}
}

/* fcmp materialised: the i1 result (0/1 in the whole container). */
static void emit_fcmp(struct codegen *c, struct ir_inst *in)
{
	int r = dest_reg(c, &in->v);
	int cc = fcmp_flags(c, in);
	x86_setcc(&c->b, cc, EAX);
	x86_movzx_rr(&c->b, 8, r, EAX);
	store_result(c, &in->v, r);
}

void emit_fp(struct codegen *c, struct ir_inst *in)
{
	if (!fp_type_ok(in->op == IR_OP_FCMP ? ir_op(in, 0)->type : in->v.type)) {
		isel_fail(c, in->v.type->kind == IR_TY_VECTOR || ir_op(in, 0)->type->kind == IR_TY_VECTOR ?
			  "vectors are not supported" : "floating point other than float and double is not supported");
		return;
	}
	bool dbl = is_dbl(in->op == IR_OP_FCMP ? ir_op(in, 0)->type : in->v.type);
	int op;
	switch (in->op) {
	case IR_OP_FCMP:
		emit_fcmp(c, in);
		return;
	case IR_OP_FNEG: {
		int x = fp_res(c, in, 0, 1);
		fp_load(c, x, ir_op(in, 0));
		sign_mask(c, XS, dbl);
		x86_sse_rr(&c->b, X_XORPS, x, XS);
		fp_store(c, &in->v, x);
		return;
	}
	case IR_OP_FREM: {
		struct ir_value *args[2] = { ir_op(in, 0), ir_op(in, 1) };
		rt_fp_call(c, in, dbl ? "fmod" : "fmodf", args, 2);
		return;
	}
	case IR_OP_FADD: op = dbl ? X_ADDSD : X_ADDSS; break;
	case IR_OP_FSUB: op = dbl ? X_SUBSD : X_SUBSS; break;
	case IR_OP_FMUL: op = dbl ? X_MULSD : X_MULSS; break;
	default: op = dbl ? X_DIVSD : X_DIVSS; break;
	}
	struct ir_value *a = ir_op(in, 0), *b = ir_op(in, 1);
	bool comm = in->op == IR_OP_FADD || in->op == IR_OP_FMUL;
	if (fused_load(c, a)) {
		/* the memory operand second (fused into a commutative one
		 * only: opt.c fuse_fp_load) */
		struct ir_value *t = a;
		a = b;
		b = t;
	}
	int d = loc_of(c, &in->v)->kind == L_XMM ? loc_of(c, &in->v)->reg : -1;
	if (d >= 0 && comm && xmm_of(c, b) == d && cg_canon(c, a) != cg_canon(c, b)) {
		/* b dies into the result's register: d op= a */
		fp_op(c, op, d, a);
		return;
	}
	if (d >= 0 && (xmm_of(c, b) != d || cg_canon(c, a) == cg_canon(c, b))) {
		/* in the result's register: movaps d, a (none when a dies
		 * there); op d, b */
		fp_load(c, d, a);
		if (cg_canon(c, a) == cg_canon(c, b) && cg_is_var(cg_canon(c, a)))
			x86_sse_rr(&c->b, op, d, d);
		else
			fp_op(c, op, d, b);
		return;
	}
	int bx = xmm_of(c, b);
	if (d < 0 && comm && bx > 0 && cg_canon(c, a) != cg_canon(c, b) && cg_dies_at(c, in, b)) {
		/* the result in a slot, b dying in its register: b op= a
		 * there, stored from there (one load fewer) */
		fp_op(c, op, bx, a);
		fp_store(c, &in->v, bx);
		return;
	}
	if (comm && in_xmm0(c, b) && !in_xmm0(c, a)) {
		/* commutative, and XMM0 already holds b (just loaded or
		 * computed): b op a (which NaN comes out of two is not
		 * specified) */
		fp_op(c, op, 0, a);
		fp_store(c, &in->v, 0);
		return;
	}
	fp_load(c, 0, a);
	if (cg_canon(c, a) == cg_canon(c, b) && cg_is_var(cg_canon(c, a)))
		x86_sse_rr(&c->b, op, 0, 0); /* x*x, x+x: XMM0 has it */
	else
		fp_op(c, op, 0, b);
	fp_store(c, &in->v, 0);
}

/* Integer result of w bits from EAX (EDX:EAX when w > 32). */
static void int_result(struct codegen *c, struct ir_inst *in, uint32_t w)
{
	if (w > 32)
		store_pair(c, &in->v, EAX, EDX);
	else
		store_result(c, &in->v, EAX);
}

void emit_fp_cast(struct codegen *c, struct ir_inst *in)
{
	struct ir_value *a = ir_op(in, 0);
	struct ir_type *st = a->type, *dt = in->v.type;
	uint32_t sw = cg_type_bits(st), dw = cg_type_bits(dt);
	bool from_fp = in->op == IR_OP_FPTOSI || in->op == IR_OP_FPTOUI || in->op == IR_OP_FPTRUNC ||
		       in->op == IR_OP_FPEXT;
	bool to_fp = in->op != IR_OP_FPTOSI && in->op != IR_OP_FPTOUI;
	if ((from_fp && !fp_type_ok(st)) || (to_fp && !fp_type_ok(dt)) ||
	    (!from_fp && (sw == 0 || sw > 64)) || (!to_fp && (dw == 0 || dw > 64))) {
		isel_fail(c, st->kind == IR_TY_VECTOR || dt->kind == IR_TY_VECTOR ? "vectors are not supported" :
			  "floating point other than float and double is not supported");
		return;
	}
	switch (in->op) {
	case IR_OP_FPEXT: case IR_OP_FPTRUNC: {
		int x = fp_res(c, in, 0, 1), xa = xmm_of(c, a);
		if (is_dbl(st) != is_dbl(dt) && xa >= 0) {
			x86_sse_rr(&c->b, is_dbl(st) ? X_CVTSD2SS : X_CVTSS2SD, x, xa);
		} else {
			fp_load(c, x, a);
			if (is_dbl(st) != is_dbl(dt))
				x86_sse_rr(&c->b, is_dbl(st) ? X_CVTSD2SS : X_CVTSS2SD, x, x);
		}
		fp_store(c, &in->v, x);
		return;
	}
	case IR_OP_SITOFP: case IR_OP_UITOFP: {
		bool sg = in->op == IR_OP_SITOFP;
		int x = fp_res(c, in, 0, 1);
		if (sw < 32 || (sw == 32 && sg)) {
			/* fits a signed 32-bit integer exactly: cvtsi2s, from
			 * the register an i32 lives in */
			int r = sw == 32 ? reg_of(c, a) : -1;
			if (r < 0)
				load_extended(c, r = EAX, a, sg);
			x86_cvtsi2s_rr(&c->b, is_dbl(dt) ? X_CVTSI2SD : X_CVTSI2SS, x, r);
			fp_store(c, &in->v, x);
			return;
		}
		if (sw == 32 && (in->flags & IR_FL_NNEG)) {
			/* uitofp nneg: the operand is known not negative, the
			 * signed conversion gives the same */
			load_value(c, EAX, a);
			x86_cvtsi2s_rr(&c->b, is_dbl(dt) ? X_CVTSI2SD : X_CVTSI2SS, x, EAX);
			fp_store(c, &in->v, x);
			return;
		}
		if (sw == 32) {
			/* u32 -> double exactly: (double)(int32_t)(x ^ 2^31) + 2^31;
			 * then one rounding to float */
			load_value(c, EAX, a);
			x86_alu_ri(&c->b, X_XOR, 32, EAX, (int32_t)0x80000000u);
			x86_cvtsi2s_rr(&c->b, X_CVTSI2SD, x, EAX);
			x86_mov_ri(&c->b, 32, EAX, 0x4f000000); /* 2^31 as a float */
			x86_movd_xr(&c->b, XS, EAX);
			x86_sse_rr(&c->b, X_CVTSS2SD, XS, XS);
			x86_sse_rr(&c->b, X_ADDSD, x, XS);
			if (!is_dbl(dt))
				x86_sse_rr(&c->b, X_CVTSD2SS, x, x);
			fp_store(c, &in->v, x);
			return;
		}
		if (sw < 64) {
			isel_fail(c, "conversion from an integer of 33..63 bits");
			return;
		}
		const char *fn = is_dbl(dt) ? (sg ? "__floatdidf" : "__floatundidf") :
			(sg ? "__floatdisf" : "__floatundisf");
		rt_fp_call(c, in, fn, &a, 1);
		return;
	}
	default: { /* FPTOSI, FPTOUI; out of range is poison: any result */
		bool sg = in->op == IR_OP_FPTOSI, dbl = is_dbl(st);
		if (dw < 32 || (dw == 32 && sg)) {
			int xa = xmm_of(c, a);
			if (xa < 0)
				fp_load(c, xa = 0, a);
			x86_cvts2si_rr(&c->b, dbl ? X_CVTTSD2SI : X_CVTTSS2SI, EAX, xa);
			store_result(c, &in->v, EAX);
			return;
		}
		if (dw < 64 && dw != 32) {
			isel_fail(c, "conversion to an integer of 33..63 bits");
			return;
		}
		const char *fn = dw == 32 ? (dbl ? "__fixunsdfsi" : "__fixunssfsi") :
			dbl ? (sg ? "__fixdfdi" : "__fixunsdfdi") : (sg ? "__fixsfdi" : "__fixunssfdi");
		rt_call(c, fn, &a, 1);
		int_result(c, in, dw);
		return;
	}
	}
}

/* llvm.* floating-point intrinsics; false when `id` is none of them. */
bool emit_fp_intrinsic(struct codegen *c, struct ir_inst *in, const struct ir_func *callee)
{
	enum ir_intrinsic id = callee->intrinsic;
	struct ir_value *a1 = in->nops > 1 ? ir_op(in, 1) : NULL;
	struct ir_value *a2 = in->nops > 2 ? ir_op(in, 2) : NULL;
	switch (id) {
	case IR_INTR_FMULADD: case IR_INTR_FMA: case IR_INTR_SQRT: case IR_INTR_FABS:
	case IR_INTR_COPYSIGN: case IR_INTR_MINNUM: case IR_INTR_MAXNUM: case IR_INTR_FLOOR:
	case IR_INTR_CEIL: case IR_INTR_TRUNC: case IR_INTR_LIBM: case IR_INTR_ROUND:
	case IR_INTR_ROUNDEVEN: case IR_INTR_RINT: case IR_INTR_NEARBYINT:
		break;
	case IR_INTR_LROUND: case IR_INTR_LLROUND: case IR_INTR_LRINT: case IR_INTR_LLRINT: {
		/* the runtime's lround/llround/...: the result width picks the
		 * function (i32 = long, i64 = long long on i386), the integer
		 * comes back in EAX or EDX:EAX like the __fix* conversions' */
		uint32_t w = cg_type_bits(in->v.type);
		if (!a1 || !fp_type_ok(a1->type) || in->v.type->kind != IR_TY_INT || (w != 32 && w != 64)) {
			isel_fail(c, "lround/lrint: only float or double to i32 or i64 are supported");
			return true;
		}
		bool rnd = id == IR_INTR_LROUND || id == IR_INTR_LLROUND, dbl = is_dbl(a1->type);
		static const char *const nm[2][2][2] = {
			{ { "lrintf", "lrint" }, { "llrintf", "llrint" } },
			{ { "lroundf", "lround" }, { "llroundf", "llround" } } };
		rt_call(c, nm[rnd][w == 64][dbl], &a1, 1);
		int_result(c, in, w);
		return true;
	}
	case IR_INTR_IS_FPCLASS:
		cg_fail(c, c->cur, "unsupported floating-point intrinsic %s",
			callee->v.name ? callee->v.name : "llvm.?");
		return true;
	default:
		return false;
	}
	if (!a1 || !fp_type_ok(in->v.type) || !fp_type_ok(a1->type)) {
		isel_fail(c, in->v.type->kind == IR_TY_VECTOR ? "vectors are not supported" :
			  "floating point other than float and double is not supported");
		return true;
	}
	bool dbl = is_dbl(in->v.type);
	switch (id) {
	case IR_INTR_SQRT: {
		int x = fp_res(c, in, 1, 1), xa = xmm_of(c, a1);
		if (xa < 0)
			fp_load(c, xa = x, a1);
		x86_sse_rr(&c->b, dbl ? X_SQRTSD : X_SQRTSS, x, xa);
		fp_store(c, &in->v, x);
		return true;
	}
	case IR_INTR_FABS: case IR_INTR_COPYSIGN: {
		/* bit operations on the sign bit (bit 31 of the high word) */
		if (id == IR_INTR_COPYSIGN) {
			if (!a2)
				return isel_fail(c, "malformed copysign"), true;
			if (dbl)
				load_pair(c, EAX, ECX, a2);
			else
				load_value(c, ECX, a2);
			x86_alu_ri(&c->b, X_AND, 32, ECX, (int32_t)0x80000000u);
		}
		int hi = dbl ? EDX : EAX;
		if (dbl)
			load_pair(c, EAX, EDX, a1);
		else
			load_value(c, EAX, a1);
		x86_alu_ri(&c->b, X_AND, 32, hi, 0x7fffffff);
		if (id == IR_INTR_COPYSIGN)
			x86_alu_rr(&c->b, X_OR, 32, hi, ECX);
		if (dbl)
			store_pair(c, &in->v, EAX, EDX);
		else
			store_result(c, &in->v, EAX);
		return true;
	}
	case IR_INTR_MINNUM: case IR_INTR_MAXNUM: {
		/* minsd gives the second operand when either is NaN: right
		 * when a is NaN; when b is NaN the result is a */
		if (!a2)
			return isel_fail(c, "malformed minnum/maxnum"), true;
		x86_label done;
		x86_label_init(&done);
		int x = fp_res(c, in, 1, 2);   /* a2 does not live in x */
		fp_load(c, x, a1);
		fp_load(c, XS, a2);
		x86_sse_rr(&c->b, dbl ? X_UCOMISD : X_UCOMISS, XS, XS);
		x86_jcc(&c->b, X_P, &done);
		x86_sse_rr(&c->b, id == IR_INTR_MINNUM ? (dbl ? X_MINSD : X_MINSS) : (dbl ? X_MAXSD : X_MAXSS), x, XS);
		x86_bind(&c->b, &done);
		fp_store(c, &in->v, x);
		return true;
	}
	case IR_INTR_FMULADD:
		/* may be fused or not (LangRef): two roundings, as gcc's
		 * -ffp-contract=off */
		if (in->nops < 4)
			return isel_fail(c, "malformed fmuladd"), true;
		{
			int x = fp_res(c, in, 1, 3);
			fp_load(c, x, a1);
			fp_op(c, dbl ? X_MULSD : X_MULSS, x, a2);
			fp_op(c, dbl ? X_ADDSD : X_ADDSS, x, ir_op(in, 3));
			fp_store(c, &in->v, x);
		}
		return true;
	case IR_INTR_FMA: {
		/* one rounding: the runtime's fma/fmaf (exact integer arithmetic,
		 * lib/rt/math/fma.c); no FMA instruction assumed */
		struct ir_value *args[3] = { a1, a2, in->nops > 3 ? ir_op(in, 3) : NULL };
		if (!a2 || !args[2])
			return isel_fail(c, "malformed fma"), true;
		rt_fp_call(c, in, dbl ? "fma" : "fmaf", args, 3);
		return true;
	}
	case IR_INTR_FLOOR: case IR_INTR_CEIL: case IR_INTR_TRUNC: case IR_INTR_ROUND:
	case IR_INTR_ROUNDEVEN: case IR_INTR_RINT: case IR_INTR_NEARBYINT: {
		/* the runtime's bit-exact libm (no SSE4.1 roundsd assumed); rint
		 * and nearbyint round to nearest even: a module cannot change
		 * the rounding mode */
		static const char *const nm[7][2] = { { "floorf", "floor" }, { "ceilf", "ceil" },
						      { "truncf", "trunc" }, { "roundf", "round" },
						      { "roundevenf", "roundeven" }, { "rintf", "rint" },
						      { "nearbyintf", "nearbyint" } };
		int k = id == IR_INTR_FLOOR ? 0 : id == IR_INTR_CEIL ? 1 : id == IR_INTR_TRUNC ? 2 :
			id == IR_INTR_ROUND ? 3 : id == IR_INTR_ROUNDEVEN ? 4 : id == IR_INTR_RINT ? 5 : 6;
		rt_fp_call(c, in, nm[k][dbl], &a1, 1);
		return true;
	}
	default: { /* IR_INTR_LIBM */
		const char *fn = ir_libm_name(callee->v.name);
		if (!fn) {
			cg_fail(c, c->cur, "unsupported floating-point intrinsic %s",
				callee->v.name ? callee->v.name : "llvm.?");
			return true;
		}
		struct ir_value *args[3];
		int n = 0;
		for (uint32_t i = 1; i < in->nops && n < 3; i++)
			args[n++] = ir_op(in, i);
		rt_fp_call(c, in, fn, args, n);
		return true;
	}
	}
}
