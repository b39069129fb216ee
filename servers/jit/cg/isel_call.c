/* servers/jit/cg/isel_call.c: calls — arguments pushed right to left
 * (cdecl; byval copies, sign/zero extension, a fused load pushed from
 * memory), the first two in ECX/EDX for module functions conv.c allows,
 * direct calls through the dispatch table, indirect calls, the result
 * from EAX / EDX:EAX.  Intrinsics go to intrin.c.
 *
 * requires: the locations (rega.c, stack.c); c->regp (conv.c)
 * provides: emit_call, push_arg, call_import */
#include "servers/jit/cg/isel.h"

uint32_t push_arg(struct codegen *c, struct ir_value *v, const struct ir_attrs *at)
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
		if (rs >= PROBE_PAGE)
			stack_alloc(c, rs, false); /* 16 pages at most: in line */
		else
			x86_alu_ri(&c->b, X_SUB, 32, ESP, (int32_t)rs);
		load_value(c, ECX, v);
		copy_mem(c, x86_m(ESP, 0), x86_m(ECX, 0), (uint32_t)sz);
		return rs;
	}
	uint32_t fb = fp_push_arg(c, v); /* from an XMM register */
	if (fb)
		return fb;
	if (at && w < 32 && w > 0 && (at->flags & (IR_ATTR_SEXT | IR_ATTR_ZEXT))) {
		load_extended(c, EAX, v, (at->flags & IR_ATTR_SEXT) != 0);
		x86_push_r(&c->b, EAX);
		return 4;
	}
	if (w == 0 || w > 64) {
		isel_fail(c, w > 64 ? "argument wider than 64 bits" : ir_type_is_fp(v->type) ?
			  "floating point other than float and double is not supported" :
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

void call_import(struct codegen *c, const char *name)
{
	uint32_t at = x86_call_rel32(&c->b);
	cg_reloc(c, JIT_R_IMPORT, false, cg_import(c, name), at);
}

static void set_result(struct codegen *c, struct ir_inst *in)
{
	uint32_t w = cg_type_bits(in->v.type);
	if (in->v.type->kind == IR_TY_VOID)
		return;
	if (ir_type_is_fp(in->v.type) && w)
		fp_call_result(c, in); /* ST0 (i386 ABI) */
	else if (w == 0 || w > 64)
		isel_fail(c, "unsupported return type");
	else if (w > 32)
		store_pair(c, &in->v, EAX, EDX);
	else
		store_result(c, &in->v, EAX);
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

void emit_call(struct codegen *c, struct ir_inst *in)
{
	struct ir_func *callee = ir_call_target(in);
	if (ir_op(in, 0)->kind == IR_VAL_ASM_BARRIER) {
		/* an empty asm (bc/constants.c asm_barrier): no code; the
		 * output is its tied input, else undefined */
		uint64_t t = ((struct ir_const *)ir_op(in, 0))->i;
		if (t && t < in->nops && in->v.type->kind != IR_TY_VOID)
			emit_copy(c, &in->v, ir_op(in, (uint32_t)t));
		return;
	}
	if (callee && callee->intrinsic) {
		emit_intrinsic(c, in, callee);
		return;
	}
	/* a variadic callee: cdecl, every argument pushed (clang promoted
	 * float to double and small integers to int); conv.c never gives
	 * such a function register parameters */
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
		 * nothing, and a value computed in ECX/EDX for them (rega.c
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
		} else if (cg_is_var(cv) && loc_of(c, cv)->kind == L_SLOT &&
			   (!c->sandbox || (c->opt->sandbox_faults & JIT_SBX_MEM))) {
			x86_call_m(&c->b, slot_mem(loc_of(c, cv)->off));
		} else {
			/* sandboxed, also a pointer in a slot: the masked call
			 * takes a register (EAX: free at a call, cdecl) */
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
