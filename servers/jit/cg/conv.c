/* servers/jit/cg/conv.c: the calling convention between module functions.
 *
 * Every call goes through the dispatch table, and every function keeps
 * cdecl (arguments on the stack, the caller pops them, EAX/EDX:EAX for
 * the result, EBX/ESI/EDI/EBP preserved) — except a function that only
 * module code can reach by a direct call.  Such a function takes its
 * first two 32-bit integer or pointer parameters in ECX and EDX (as
 * gcc's regparm/fastcall do): no push, no `add esp` for them, and the
 * callee finds them in registers.
 *
 * "Only module code, only direct calls": the function has a body and
 * internal or private linkage; every use of it is the callee of a call
 * with its own function type; no global initialiser is its address and
 * no constant refers to it (the reader notes that, ir_func.in_const:
 * walking constants here would repeat shared operands, which a hostile
 * module can nest so that the walk takes forever).  Then no function
 * pointer, no native caller and no stub (`jmp [table]`, what function
 * pointers point to) ever calls it.
 * The answer depends on the module alone, not on the tier, so code of
 * every tier agrees on it and tier replacement keeps calls valid.
 *
 * requires: the module's IR with its use lists
 * provides: c->regp, per function how many parameters arrive in
 *           ECX/EDX (a module pass, cg_conv) */
#include "servers/jit/cg/cg.h"

/* The leading parameters of f that qualify (32-bit integers or pointers
 * without byval/sret/inreg/signext/zeroext), at most 2. */
static uint8_t leading_words(const struct ir_func *f)
{
	uint8_t n = 0;
	while (n < 2 && n < f->nparams) {
		const struct ir_arg *p = &f->params[n];
		struct ir_type *t = p->v.type;
		bool word = (t->kind == IR_TY_INT && t->bits == 32) || t->kind == IR_TY_PTR;
		if (!word || (p->attrs.flags & (IR_ATTR_BYVAL | IR_ATTR_SRET | IR_ATTR_INREG |
						IR_ATTR_SEXT | IR_ATTR_ZEXT)))
			break;
		n++;
	}
	return n;
}

void cg_conv(const struct ir_module *m, uint8_t *regp)
{
	uint8_t *taken = regp; /* first the marks, then the counts */
	for (uint32_t i = 0; i < m->nfuncs; i++)
		taken[i] = m->funcs[i]->in_const;
	for (uint32_t g = 0; g < m->nglobals; g++) {
		struct ir_func *t = ir_as_func(m->globals[g]->init);
		if (t)
			taken[t->v.id] = 1;
	}
	for (uint32_t i = 0; i < m->nfuncs; i++) {
		struct ir_func *f = m->funcs[i];
		for (uint32_t bi = 0; bi < f->nblocks; bi++)
			for (struct ir_inst *in = f->blocks[bi]->first; in; in = in->next)
				for (uint32_t k = 0; k < in->nops; k++) {
					struct ir_func *t = ir_as_func(ir_op(in, k));
					if (t && !(in->op == IR_OP_CALL && k == 0 && in->fn_type == t->fn_type))
						taken[t->v.id] = 1;
				}
	}
	for (uint32_t i = 0; i < m->nfuncs; i++) {
		struct ir_func *f = m->funcs[i];
		bool local = f->linkage == IR_LINK_INTERNAL || f->linkage == IR_LINK_PRIVATE;
		bool ok = !taken[i] && local && !f->is_decl && !f->intrinsic && f->fn_type &&
			  !f->fn_type->vararg;
		regp[i] = ok ? leading_words(f) : 0;
	}
}

uint32_t jit_reg_params(const struct ir_module *m, const struct ir_func *f, uint8_t *tmp)
{
	cg_conv(m, tmp);
	return tmp[f->v.id];
}
