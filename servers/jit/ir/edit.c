/* servers/jit/ir/edit.c: the only code that changes IR once it is made —
 * operands and use lists, instruction lists, new instructions and
 * blocks, block splits and clones, renumbering.
 *
 * Use lists follow one of two disciplines (see ir.h, "editing"):
 *   a module being read (bc/): every operand is linked into its value's
 *     use list, constants, globals and functions included (ir_set_op,
 *     ir_replace_all_uses);
 *   a clone being compiled (mid/): it lives in scratch memory that dies
 *     with the compile, so only its own values (arguments, instructions,
 *     blocks) have uses linked; module-level values are shared with the
 *     module and never point into scratch memory (the ir_clone_*
 *     functions).  The code generator only reads use lists of
 *     instructions.
 * The order of a use list is part of the result (passes walk it): each
 * function below documents where a use goes. */
#include <string.h>
#include "servers/jit/ir/ir.h"

/* ------------------------------------------------------------ use lists */

/* u leaves its value's use list (u->value is left as it is). */
static void unlist_use(struct ir_use *u)
{
	struct ir_value *v = u->value;
	for (struct ir_use **pp = &v->uses; *pp; pp = &(*pp)->next) {
		if (*pp == u) {
			*pp = u->next;
			v->nuses--;
			break;
		}
	}
}

/* u goes to the front of v's use list. */
static void list_use(struct ir_use *u, struct ir_value *v)
{
	u->next = v->uses;
	v->uses = u;
	v->nuses++;
}

void ir_set_op(struct ir_inst *in, uint32_t i, struct ir_value *v)
{
	struct ir_use *u = &in->ops[i];
	if (u->value == v)
		return;
	if (u->value) {
		unlist_use(u);
		u->next = NULL;
		u->value = NULL;
	}
	u->user = in;
	u->index = i;
	u->value = v;
	if (v)
		list_use(u, v);
}

void ir_replace_all_uses(struct ir_value *from, struct ir_value *to)
{
	if (from == to || !from->uses)
		return;
	struct ir_use *last = NULL;
	for (struct ir_use *u = from->uses; u; u = u->next) {
		u->value = to;
		last = u;
	}
	last->next = to->uses;
	to->uses = from->uses;
	to->nuses += from->nuses;
	from->uses = NULL;
	from->nuses = 0;
}

/* A value of the function itself: its uses are linked in a clone. */
static bool is_local(const struct ir_value *v)
{
	return v && (v->kind == IR_VAL_ARG || v->kind == IR_VAL_INST || v->kind == IR_VAL_BLOCK);
}

void ir_clone_set_op(struct ir_inst *in, uint32_t i, struct ir_value *v)
{
	struct ir_use *u = &in->ops[i];
	u->user = in;
	u->index = i;
	u->value = v;
	u->next = NULL;
	if (is_local(v))
		list_use(u, v);
}

void ir_clone_unlink_op(struct ir_inst *in, uint32_t i)
{
	struct ir_use *u = &in->ops[i];
	if (is_local(u->value))
		unlist_use(u);
	u->next = NULL;
	u->value = NULL;
}

void ir_clone_change_op(struct ir_inst *in, uint32_t i, struct ir_value *v)
{
	ir_clone_unlink_op(in, i);
	ir_clone_set_op(in, i, v);
}

void ir_clone_replace_uses(struct ir_value *from, struct ir_value *to)
{
	while (from->uses) {
		struct ir_use *u = from->uses;
		ir_clone_change_op(u->user, u->index, to);
	}
}

void ir_clone_retarget_phis(struct ir_block *s, struct ir_block *from, struct ir_block *to)
{
	for (struct ir_inst *p = s->first; p && p->op == IR_OP_PHI; p = p->next)
		for (uint32_t k = 1; k < p->nops; k += 2)
			if (ir_op(p, k) == &from->v)
				ir_clone_change_op(p, k, &to->v);
}

/* --------------------------------------------------- instruction lists */

void ir_append_inst(struct ir_block *b, struct ir_inst *in)
{
	in->parent = b;
	in->prev = b->last;
	in->next = NULL;
	if (b->last)
		b->last->next = in;
	else
		b->first = in;
	b->last = in;
}

void ir_prepend_inst(struct ir_block *b, struct ir_inst *in)
{
	in->parent = b;
	in->prev = NULL;
	in->next = b->first;
	if (b->first)
		b->first->prev = in;
	else
		b->last = in;
	b->first = in;
}

void ir_unlink_inst(struct ir_inst *in)
{
	struct ir_block *b = in->parent;
	if (in->prev)
		in->prev->next = in->next;
	else
		b->first = in->next;
	if (in->next)
		in->next->prev = in->prev;
	else
		b->last = in->prev;
	in->prev = in->next = NULL;
}

void ir_replace_inst(struct ir_inst *old, struct ir_inst *nw)
{
	struct ir_block *b = old->parent;
	nw->parent = b;
	nw->prev = old->prev;
	nw->next = old->next;
	if (old->prev)
		old->prev->next = nw;
	else
		b->first = nw;
	if (old->next)
		old->next->prev = nw;
	else
		b->last = nw;
	old->prev = old->next = NULL;
}

/* ------------------------------------------------------- new objects */

struct ir_inst *ir_copy_inst(struct ir_arena *a, const struct ir_inst *src, uint32_t nops)
{
	struct ir_inst *n = ir_arena_alloc(a, sizeof *n, 8);
	if (!n)
		return NULL;
	*n = *src;
	n->v.uses = NULL;
	n->v.nuses = 0;
	n->prev = n->next = NULL;
	n->parent = NULL;
	n->nops = nops;
	n->ops = NULL;
	if (nops) {
		n->ops = ir_arena_alloc(a, sizeof(struct ir_use) * nops, 8);
		if (!n->ops)
			return NULL;
	}
	return n;
}

struct ir_inst *ir_new_phi(struct ir_arena *a, struct ir_type *ty, uint32_t nops)
{
	struct ir_inst *p = ir_arena_alloc(a, sizeof *p, 8);
	if (!p)
		return NULL;
	p->v.kind = IR_VAL_INST;
	p->v.type = ty;
	p->op = IR_OP_PHI;
	p->nops = nops;
	p->ops = ir_arena_alloc(a, sizeof(struct ir_use) * nops, 8);
	return p->ops ? p : NULL;
}

struct ir_block *ir_new_block(struct ir_arena *a, struct ir_func *f, const struct ir_block *like)
{
	struct ir_block *b = ir_arena_alloc(a, sizeof *b, 8);
	if (!b)
		return NULL;
	b->v.kind = IR_VAL_BLOCK;
	b->v.type = like->v.type;
	b->parent = f;
	return b;
}

/* ------------------------------------------------- splits and clones */

void ir_clone_split_block(struct ir_inst *at, struct ir_block *tail)
{
	struct ir_block *b = at->parent;
	while (at->next) {
		struct ir_inst *x = at->next;
		ir_unlink_inst(x);
		ir_append_inst(tail, x);
	}
	struct ir_inst *t = tail->last;
	for (uint32_t i = 0; t && i < t->nops; i++) {
		struct ir_block *s = ir_as_block(ir_op(t, i));
		if (s)
			ir_clone_retarget_phis(s, b, tail);
	}
}

/* The image of v under map: values of map->src map, others stay. */
static struct ir_value *map_value(struct ir_clone_map *m, struct ir_value *v)
{
	if (!v)
		return v;
	if (v->kind == IR_VAL_ARG && ((struct ir_arg *)v)->parent == m->src)
		return m->v[v->id];
	if (v->kind == IR_VAL_INST && ((struct ir_inst *)v)->parent &&
	    ((struct ir_inst *)v)->parent->parent == m->src)
		return m->v[v->id];
	if (v->kind == IR_VAL_BLOCK && ((struct ir_block *)v)->parent == m->src)
		return &m->b[v->id]->v;
	return v;
}

bool ir_clone_blocks(struct ir_arena *a, struct ir_clone_map *m, struct ir_func *dst)
{
	struct ir_func *s = m->src;
	for (uint32_t bi = 0; bi < s->nblocks; bi++) {
		struct ir_block *nb = ir_new_block(a, dst, s->blocks[bi]);
		if (!nb)
			return false;
		nb->v.name = s->blocks[bi]->v.name;
		m->b[bi] = nb;
		for (struct ir_inst *in = s->blocks[bi]->first; in; in = in->next) {
			if (in->v.id >= s->nvalues)
				return false;
			struct ir_inst *n = ir_copy_inst(a, in, in->nops);
			if (!n)
				return false;
			ir_append_inst(nb, n);
			m->v[in->v.id] = &n->v;
		}
	}
	for (uint32_t bi = 0; bi < s->nblocks; bi++) {
		struct ir_inst *n = m->b[bi]->first;
		for (struct ir_inst *in = s->blocks[bi]->first; in; in = in->next, n = n->next)
			for (uint32_t i = 0; i < in->nops; i++)
				ir_clone_set_op(n, i, map_value(m, ir_op(in, i)));
	}
	return true;
}

/* ---------------------------------------------------- blocks, numbers */

void ir_set_blocks(struct ir_func *f, struct ir_block **blocks, uint32_t n)
{
	f->blocks = blocks;
	f->nblocks = n;
	ir_renumber(f);
}

void ir_renumber(struct ir_func *f)
{
	uint32_t id = f->nparams, total = 0;
	for (uint32_t i = 0; i < f->nparams; i++)
		f->params[i].v.id = i;
	for (uint32_t b = 0; b < f->nblocks; b++) {
		struct ir_block *bb = f->blocks[b];
		uint32_t n = 0;
		bb->index = b;
		bb->v.id = b;
		for (struct ir_inst *in = bb->first; in; in = in->next) {
			in->v.id = id++;
			in->parent = bb;
			n++;
		}
		bb->ninsts = n;
		total += n;
	}
	f->ninsts = total;
	f->nvalues = id;
}
