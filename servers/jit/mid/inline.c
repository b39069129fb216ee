/* servers/jit/mid/inline.c: inlining of small functions (tier >= 2).
 *
 * The module's IR is never modified: the function being compiled is
 * cloned into the compile scratch arena, and the clone receives copies
 * of the bodies of small callees in place of their direct calls.  The
 * clone keeps the original's function id, so its call counter and code
 * offset are the original's; the callee's own counter is not touched by
 * an inlined copy (other callers keep calling it through the dispatch
 * table).
 *
 * Use lists: values of the clone (arguments, instructions, blocks) get
 * proper use lists.  Module-level values (constants, globals, functions)
 * are shared with the module and must not be linked to arena memory that
 * dies with the compile, so uses of them are left out of their lists
 * (the code generator only consults use lists of instructions).
 *
 * A call is inlined when the callee is defined, is not the function
 * being compiled, does not call itself, has at most INL_MAX instructions,
 * no varargs, no byval/sret/inreg parameters, no alloca outside its entry
 * block or with a variable count, no stack save/restore, and at least one
 * ret, and is not marked noinline (except the blanket noinline+optnone of
 * clang -O0).  Only calls of the original body are inlined (no nested inlining),
 * so mutual recursion cannot expand without bound.
 *
 * requires: the module's IR, verified (use lists, ids)
 * provides: a clone of the function in the scratch arena, renumbered,
 *           its own values' use lists linked (ir/edit.c) */
#include <string.h>
#include "servers/jit/mid/mid.h"

enum {
	INL_MAX = 40,           /* callee size, IR instructions */
	INL_BUDGET = 800,       /* instructions added to one function */
	INL_SITES = 64,         /* call sites inlined in one function */
};

static bool inlinable(const struct ir_func *orig, const struct ir_inst *call)
{
	struct ir_func *g = ir_call_target(call);
	if (!g || g->is_decl || g->intrinsic || g == orig || !g->fn_type || g->fn_type->vararg)
		return false;
	if (g->ninsts > INL_MAX || g->nblocks == 0)
		return false;
	/* clang -O0 marks every function noinline+optnone: that blanket
	 * marking is ignored; noinline without optnone is the programmer's */
	if ((g->attrs & (IR_FN_NOINLINE | IR_FN_OPTNONE)) == IR_FN_NOINLINE ||
	    (call->call_fn_attrs & IR_FN_NOINLINE))
		return false;
	if (call->flags & IR_FL_MUSTTAIL)
		return false;
	if (call->fn_type != g->fn_type || call->nops != g->nparams + 1)
		return false;
	if (g->fn_type->ret != call->v.type)
		return false;
	for (uint32_t i = 0; i < g->nparams; i++) {
		if (g->params[i].attrs.flags & (IR_ATTR_BYVAL | IR_ATTR_SRET | IR_ATTR_INREG))
			return false;
		if (g->params[i].v.type != ir_op(call, i + 1)->type)
			return false;
		if (call->call_attrs && i + 1 < call->ncall_attrs &&
		    (call->call_attrs[i + 1].flags & (IR_ATTR_BYVAL | IR_ATTR_SRET | IR_ATTR_INREG)))
			return false;
	}
	uint32_t nret = 0;
	for (uint32_t bi = 0; bi < g->nblocks; bi++)
		for (struct ir_inst *in = g->blocks[bi]->first; in; in = in->next) {
			switch (in->op) {
			case IR_OP_RET:
				nret++;
				break;
			case IR_OP_ALLOCA: {
				struct ir_const *k = ir_as_const(ir_op(in, 0));
				if (bi != 0 || !k || k->v.kind != IR_VAL_CONST_INT)
					return false;
				break;
			}
			case IR_OP_CALL: {
				struct ir_func *t = ir_call_target(in);
				if (t == g || (in->flags & IR_FL_MUSTTAIL))
					return false;
				if (t && (ir_intrinsic_stack(t->intrinsic) || t->intrinsic == IR_INTR_VA))
					return false;
				break;
			}
			case IR_OP_VAARG: case IR_OP_INDIRECTBR: case IR_OP_INVOKE:
			case IR_OP_RESUME: case IR_OP_CALLBR: case IR_OP_LANDINGPAD:
				return false;
			default:
				break;
			}
		}
	/* several returns meet in a phi: only of types phis support */
	if (nret > 1 && g->fn_type->ret->kind != IR_TY_VOID && cg_type_bits(g->fn_type->ret) == 0)
		return false;
	return nret > 0;
}

/* Replace `call` (in block `cur` of `f`) by a copy of its callee; the
 * blocks are added to out[*n..] and the continuation block returned. */
static struct ir_block *inline_call(struct ir_arena *a, struct ir_func *f, struct ir_block *cur,
				    struct ir_inst *call, struct ir_block **out, uint32_t *n)
{
	struct ir_func *g = ir_call_target(call);
	struct ir_clone_map m = { g, NULL, NULL };
	m.v = ir_arena_alloc(a, sizeof(void *) * (g->nvalues + 1), sizeof(void *));
	m.b = ir_arena_alloc(a, sizeof(void *) * g->nblocks, sizeof(void *));
	struct ir_block *cont = ir_new_block(a, f, cur);
	if (!m.v || !m.b || !cont)
		return NULL;
	for (uint32_t i = 0; i < g->nparams; i++)
		m.v[g->params[i].v.id] = ir_op(call, i + 1);
	if (!ir_clone_blocks(a, &m, f))
		return NULL;
	struct ir_inst *term = cur->last;
	/* the new branch instructions: void like any terminator */
	struct ir_inst *hbr = ir_copy_inst(a, term, 1);
	if (!hbr)
		return NULL;
	hbr->op = IR_OP_BR;
	hbr->flags = 0;
	hbr->v.name = NULL;
	/* count the rets, make their branches */
	uint32_t nret = 0;
	for (uint32_t bi = 0; bi < g->nblocks; bi++)
		if (m.b[bi]->last && m.b[bi]->last->op == IR_OP_RET)
			nret++;
	bool val = call->v.type->kind != IR_TY_VOID && call->v.nuses > 0;
	struct ir_inst *phi = NULL;
	if (val && nret > 1) {
		phi = ir_copy_inst(a, call, 2 * nret);
		if (!phi)
			return NULL;
		phi->op = IR_OP_PHI;
		phi->flags = 0;
		phi->fn_type = NULL;
		phi->call_attrs = NULL;
		phi->ncall_attrs = 0;
		phi->call_fn_attrs = 0;
		phi->callconv = 0;
		phi->v.name = NULL;
	}
	/* split: everything after the call moves to `cont` */
	ir_clone_split_block(call, cont);
	struct ir_value *result = NULL;
	uint32_t k = 0;
	for (uint32_t bi = 0; bi < g->nblocks; bi++) {
		struct ir_inst *r = m.b[bi]->last;
		if (!r || r->op != IR_OP_RET)
			continue;
		struct ir_value *rv = r->nops ? ir_op(r, 0) : NULL;
		if (phi && rv) {
			ir_clone_set_op(phi, 2 * k, rv);
			ir_clone_set_op(phi, 2 * k + 1, &m.b[bi]->v);
			k++;
		} else if (val) {
			result = rv;
		}
		if (r->nops)
			ir_clone_unlink_op(r, 0);
		ir_unlink_inst(r);
		struct ir_inst *br = ir_copy_inst(a, r, 1);
		if (!br)
			return NULL;
		br->op = IR_OP_BR;
		ir_append_inst(m.b[bi], br);
		ir_clone_set_op(br, 0, &cont->v);
	}
	if (phi) {
		ir_prepend_inst(cont, phi);
		result = &phi->v;
	}
	if (val) {
		if (!result)
			return NULL;
		ir_clone_replace_uses(&call->v, result);
	}
	for (uint32_t i = 0; i < call->nops; i++)
		ir_clone_unlink_op(call, i);
	ir_unlink_inst(call);
	ir_append_inst(cur, hbr);
	ir_clone_set_op(hbr, 0, &m.b[0]->v);
	/* the callee's (constant-count) allocas go to the entry block */
	struct ir_block *entry = f->blocks[0];
	struct ir_inst *x = m.b[0]->first;
	while (x) {
		struct ir_inst *nx = x->next;
		if (x->op == IR_OP_ALLOCA) {
			ir_unlink_inst(x);
			ir_prepend_inst(entry, x);
		}
		x = nx;
	}
	for (uint32_t bi = 0; bi < g->nblocks; bi++)
		out[(*n)++] = m.b[bi];
	return cont;
}

/* The calls of f to inline, in order, within INL_SITES and INL_BUDGET:
 * marked in sel[call id] when sel is given; their number, and the
 * blocks (*extra_b) they add. */
static uint32_t pick_sites(const struct ir_func *f, bool *sel, uint32_t *extra_b)
{
	uint32_t nsites = 0, extra_i = 0;
	*extra_b = 0;
	for (uint32_t bi = 0; bi < f->nblocks; bi++)
		for (struct ir_inst *in = f->blocks[bi]->first; in; in = in->next)
			if (in->op == IR_OP_CALL && nsites < INL_SITES && inlinable(f, in)) {
				struct ir_func *g = ir_call_target(in);
				if (extra_i + g->ninsts > INL_BUDGET)
					continue;
				nsites++;
				*extra_b += g->nblocks + 1;
				extra_i += g->ninsts;
				if (sel)
					sel[in->v.id] = true;
			}
	return nsites;
}

struct ir_func *mid_inline(struct codegen *c, struct ir_func *f, bool clone)
{
	struct ir_arena *a = c->a;
	size_t mark = a->used;
	/* which calls, and how much room */
	uint32_t extra_b;
	/* two looks for the sites (each callee looked at is at most INL_MAX
	 * instructions), the clone, the inlined copies */
	cg_fuel(c, 4ull * (f->ninsts + f->nblocks) + 2ull * INL_BUDGET);
	uint32_t nsites = pick_sites(f, NULL, &extra_b);
	if (nsites == 0 && !clone)
		return f;
	bool *sel = ir_arena_alloc(a, f->nvalues + 1, 1);
	struct ir_func *nf = ir_arena_alloc(a, sizeof *nf, 8);
	struct ir_clone_map m = { f, NULL, NULL };
	m.v = ir_arena_alloc(a, sizeof(void *) * (f->nvalues + 1), sizeof(void *));
	m.b = ir_arena_alloc(a, sizeof(void *) * f->nblocks, sizeof(void *));
	if (!sel || !nf || !m.v || !m.b)
		goto fail;
	pick_sites(f, sel, &extra_b);
	*nf = *f;
	nf->params = NULL;
	if (f->nparams) {
		nf->params = ir_arena_alloc(a, sizeof(struct ir_arg) * f->nparams, 8);
		if (!nf->params)
			goto fail;
	}
	for (uint32_t i = 0; i < f->nparams; i++) {
		nf->params[i] = f->params[i];
		nf->params[i].parent = nf;
		nf->params[i].v.uses = NULL;
		nf->params[i].v.nuses = 0;
		m.v[f->params[i].v.id] = &nf->params[i].v;
	}
	if (!ir_clone_blocks(a, &m, nf))
		goto fail;
	struct ir_block **out = ir_arena_alloc(a, sizeof(void *) * (f->nblocks + extra_b), sizeof(void *));
	if (!out)
		goto fail;
	nf->blocks = m.b; /* entry block for alloca hoisting */
	uint32_t n = 0;
	for (uint32_t bi = 0; bi < f->nblocks; bi++) {
		struct ir_block *cur = m.b[bi];
		/* walk the original block: sel[] is indexed by original ids */
		struct ir_inst *oin = f->blocks[bi]->first;
		struct ir_inst *nin = cur->first;
		while (oin) {
			struct ir_inst *onext = oin->next, *nnext = nin->next;
			if (sel[oin->v.id]) {
				struct ir_block *slot = cur;
				uint32_t at = n++;
				struct ir_block *cont = inline_call(a, nf, cur, nin, out, &n);
				if (!cont)
					goto fail;
				out[at] = slot;
				cur = cont;
			}
			oin = onext;
			nin = nnext;
		}
		out[n++] = cur;
	}
	ir_set_blocks(nf, out, n);
	return nf;
fail:
	ir_arena_reset(a, mark);
	return f;
}
