/* servers/jit/cg/live.c: liveness and the phi copy scheme (tier >= 1).
 *
 * A phi is normally implemented with a temporary: predecessors write the
 * temporary at their end, the block head copies it into the phi.  When
 * it is safe the phi is written directly by the predecessors
 * (F_PHIDIRECT): safe when its old value is dead on every other edge
 * leaving those predecessors and no other copy of the same parallel
 * group reads it (then the sequential copies of a group are exact).
 * Vregs and positions: live.h.
 *
 * requires: opt.c's flags and reachability, c->phitmp
 * provides: live-in/live-out sets per block, F_PHIDIRECT; the walk of a
 *           block (scan_block) the interval and slot passes reuse */
#include <string.h>
#include "servers/jit/cg/live.h"

static void note_use(struct liveness *l, uint32_t v, int32_t p)
{
	if (l->live) {
		if (set_has(l->member, v))
			set_add(l->live, v);
		return;
	}
	if (l->intervals) {
		extend_interval(l, v, p);
		l->weight[v] += l->curw;
	}
	else if (!set_has(l->cur_def, v))
		set_add(l->cur_use, v);
}

static void note_def(struct liveness *l, uint32_t v, int32_t p)
{
	if (l->intervals) {
		/* a (re)definition ends the block's earlier segment of v at
		 * its last use: a phi written at the end of the block it is
		 * read at the start of, a promoted alloca stored again */
		if (l->stamp && l->stamp[v] == l->curstamp && l->be[v] < p) {
			flush_range(l, v);
			l->bs[v] = l->be[v] = p;
		}
		extend_interval(l, v, p);
		l->weight[v] += l->curw;
	}
	else
		set_add(l->cur_def, v);
}

void use_val(struct liveness *l, struct ir_value *v, int32_t p, int depth)
{
	struct codegen *c = l->c;
	v = cg_canon(c, v);
	if (!cg_is_var(v) || depth > 8)
		return;
	uint8_t fl = c->fl[v->id];
	if (v->kind == IR_VAL_INST) {
		struct ir_inst *in = (struct ir_inst *)v;
		if (fl & F_CONST)
			return;
		if (fl & (F_FUSED | F_FOLDADDR)) {
			for (uint32_t i = 0; i < in->nops; i++)
				use_val(l, ir_op(in, i), p, depth + 1);
			return;
		}
		if (in->op == IR_OP_ALLOCA && (fl & F_STATIC) && !(fl & F_PROMOTED))
			return;
	}
	note_use(l, v->id, p);
}

bool no_code(struct codegen *c, struct ir_inst *in)
{
	return (c->fl[in->v.id] & (F_DEAD | F_ALIAS | F_CONST | F_FUSED | F_FOLDADDR)) != 0;
}

bool promoted_ptr(struct codegen *c, struct ir_value *p, uint32_t *id)
{
	p = cg_canon(c, p);
	struct ir_inst *pi = ir_as_inst(p);
	if (pi && (c->fl[pi->v.id] & F_PROMOTED)) {
		*id = pi->v.id;
		return true;
	}
	return false;
}

/* Successors of b after branch folding (distinct). */
uint32_t succs(struct codegen *c, struct ir_block *b, struct ir_block **out)
{
	struct ir_inst *t = b->last;
	uint32_t n = 0;
	if (!t)
		return 0;
	struct cg_const k;
	struct ir_value *cv = t->nops ? cg_canon(c, ir_op(t, 0)) : NULL;
	bool known = false;
	uint64_t kv = 0;
	if (cv && (t->op == IR_OP_BR || t->op == IR_OP_SWITCH)) {
		if (cg_is_var(cv)) {
			if (cv->kind == IR_VAL_INST && (c->fl[cv->id] & F_CONST)) {
				known = true;
				kv = c->loc[cv->id].k;
			}
		} else if (cg_const(c, cv, &k) && k.rk == RK_NONE) {
			known = true;
			kv = k.v;
		}
	}
	for (uint32_t i = 0; i < t->nops; i++) {
		struct ir_block *s = ir_as_block(ir_op(t, i));
		cg_fuel(c, 1 + n);
		if (!s)
			continue;
		if (known && t->op == IR_OP_BR && t->nops == 3 && i != ((kv & 1) ? 1u : 2u))
			continue;
		if (known && t->op == IR_OP_SWITCH) {
			cg_fuel(c, t->nops);
			uint32_t w = cg_type_bits(ir_op(t, 0)->type);
			uint64_t m = w >= 64 ? ~0ull : (1ull << w) - 1;
			uint32_t taken = 1;
			for (uint32_t j = 2; j + 1 < t->nops; j += 2)
				if (cg_const(c, ir_op(t, j), &k) && (k.v & m) == (kv & m))
					taken = j + 1;
			if (i != taken)
				continue;
		}
		bool dup = false;
		for (uint32_t j = 0; j < n; j++)
			dup |= out[j] == s;
		if (!dup)
			out[n++] = s;
	}
	return n;
}

bool live_phi(struct codegen *c, struct ir_inst *p)
{
	return p->op == IR_OP_PHI && !(c->fl[p->v.id] & (F_DEAD | F_CONST | F_ALIAS));
}

void scan_block(struct liveness *l, struct ir_block *b)
{
	struct codegen *c = l->c;
	int32_t head = b->first ? 4 * (int32_t)l->pos[b->first->v.id] : 0;
	cg_fuel(c, b->ninsts);
	for (struct ir_inst *in = b->first; in; in = in->next) {
		if (in->op == IR_OP_PHI) {
			if (!live_phi(c, in) || (c->fl[in->v.id] & F_PHIDIRECT))
				continue;
			note_use(l, c->phitmp[in->v.id], head);
			note_def(l, in->v.id, head);
			continue;
		}
		if (no_code(c, in))
			continue;
		int32_t p = 4 * (int32_t)l->pos[in->v.id] + 1;
		uint32_t var;
		if (in->op == IR_OP_LOAD && promoted_ptr(c, ir_op(in, 0), &var)) {
			note_use(l, var, p);
			note_def(l, in->v.id, p + 1);
			continue;
		}
		if (in->op == IR_OP_STORE && promoted_ptr(c, ir_op(in, 1), &var)) {
			use_val(l, ir_op(in, 0), p, 0);
			note_def(l, var, p + 1);
			continue;
		}
		if (in->op == IR_OP_ALLOCA && (c->fl[in->v.id] & (F_STATIC | F_PROMOTED)))
			continue;
		for (uint32_t i = 0; i < in->nops; i++)
			use_val(l, ir_op(in, i), p, 0);
		if (in->v.type->kind != IR_TY_VOID)
			note_def(l, in->v.id, p + 1);
		if (in == b->last) {
			uint32_t n = succs(c, b, l->succ);
			for (uint32_t s = 0; s < n; s++)
				for (struct ir_inst *ph = l->succ[s]->first; ph && ph->op == IR_OP_PHI; ph = ph->next) {
					cg_fuel(c, 1 + ph->nops);
					if (!live_phi(c, ph))
						continue;
					struct ir_value *v = ir_phi_incoming(ph, b);
					if (v)
						use_val(l, v, p + 1, 0);
					note_def(l, cg_phi_dst(c, ph), p + 1);
				}
		}
	}
}

bool live_init(struct codegen *c, struct liveness *l)
{
	struct ir_func *f = c->f;
	struct ir_arena *a = c->a;
	uint32_t nv = c->nv;
	uint32_t W = (nv + 31) / 32;
	uint64_t need = 4ull * W * f->nblocks * 4 + 8ull * nv + 4ull * f->nvalues;
	if (need > (a->size - a->used) / 2 || f->nblocks > 100000)
		return false;
	memset(l, 0, sizeof *l);
	l->c = c;
	l->W = W;
	l->use = ir_arena_alloc(a, 4ull * W * f->nblocks + 4, 4);
	l->def = ir_arena_alloc(a, 4ull * W * f->nblocks + 4, 4);
	l->in = ir_arena_alloc(a, 4ull * W * f->nblocks + 4, 4);
	l->out = ir_arena_alloc(a, 4ull * W * f->nblocks + 4, 4);
	l->start = ir_arena_alloc(a, 4ull * nv + 4, 4);
	l->end = ir_arena_alloc(a, 4ull * nv + 4, 4);
	l->pos = ir_arena_alloc(a, 4ull * f->nvalues + 4, 4);
	l->succ = ir_arena_alloc(a, sizeof(void *) * (f->nblocks + 1), sizeof(void *));
	l->weight = ir_arena_alloc(a, 4ull * nv + 4, 4);
	l->depth = ir_arena_alloc(a, 4ull * f->nblocks + 4, 4);
	if (!l->use || !l->def || !l->in || !l->out || !l->start || !l->end || !l->pos || !l->succ ||
	    !l->weight || !l->depth)
		return false;
	uint32_t k = 0;
	for (uint32_t bi = 0; bi < f->nblocks; bi++)
		for (struct ir_inst *in = f->blocks[bi]->first; in; in = in->next)
			l->pos[in->v.id] = k++;
	l->npos = k;
	return true;
}

void live_sets(struct liveness *l)
{
	struct codegen *c = l->c;
	struct ir_func *f = c->f;
	uint32_t W = l->W;
	cg_fuel(c, (uint64_t)W * f->nblocks);
	memset(l->use, 0, 4ull * W * f->nblocks);
	memset(l->def, 0, 4ull * W * f->nblocks);
	memset(l->in, 0, 4ull * W * f->nblocks);
	memset(l->out, 0, 4ull * W * f->nblocks);
	l->intervals = false;
	for (uint32_t bi = 0; bi < f->nblocks; bi++) {
		if (!c->reach[bi])
			continue;
		l->cur_use = l->use + (size_t)bi * W;
		l->cur_def = l->def + (size_t)bi * W;
		scan_block(l, f->blocks[bi]);
	}
	bool changed = true;
	for (int iter = 0; changed && iter < 1000; iter++) {
		changed = false;
		for (uint32_t bi = f->nblocks; bi-- > 0;) {
			if (!c->reach[bi])
				continue;
			uint32_t *out = l->out + (size_t)bi * W, *in = l->in + (size_t)bi * W;
			uint32_t n = succs(c, f->blocks[bi], l->succ);
			cg_fuel(c, (uint64_t)W * (n + 1));
			for (uint32_t s = 0; s < n; s++) {
				uint32_t *sin = l->in + (size_t)l->succ[s]->index * W;
				for (uint32_t w = 0; w < W; w++)
					out[w] |= sin[w];
			}
			uint32_t *u = l->use + (size_t)bi * W, *d = l->def + (size_t)bi * W;
			for (uint32_t w = 0; w < W; w++) {
				uint32_t x = u[w] | (out[w] & ~d[w]);
				if (x != in[w]) {
					in[w] = x;
					changed = true;
				}
			}
		}
	}
}

/* Decide which phis are written directly by their predecessors. */
void choose_direct(struct liveness *l)
{
	struct codegen *c = l->c;
	struct ir_func *f = c->f;
	struct ir_block **ss = l->succ; /* nblocks + 1 entries: a switch has
					   as many distinct targets as that */
	for (uint32_t si = 0; si < f->nblocks; si++) {
		if (!c->reach[si])
			continue;
		struct ir_block *S = f->blocks[si];
		for (struct ir_inst *P = S->first; P && P->op == IR_OP_PHI; P = P->next) {
			uint32_t w = cg_type_bits(P->v.type);
			if (!live_phi(c, P) || w == 0 || w > 32)
				continue;
			bool ok = true;
			/* read by another phi of S */
			for (struct ir_inst *Q = S->first; Q && Q->op == IR_OP_PHI && ok; Q = Q->next) {
				cg_fuel(c, 1 + Q->nops);
				if (Q == P || !live_phi(c, Q))
					continue;
				for (uint32_t i = 0; i < Q->nops; i += 2)
					if (cg_canon(c, ir_op(Q, i)) == &P->v)
						ok = false;
			}
			/* every predecessor X: P dead on X's other edges */
			for (uint32_t xi = 0; xi < f->nblocks && ok; xi++) {
				cg_fuel(c, 1);
				if (!c->reach[xi])
					continue;
				struct ir_block *X = f->blocks[xi];
				uint32_t n = succs(c, X, ss);
				bool pred = false;
				for (uint32_t s = 0; s < n; s++)
					pred |= ss[s] == S;
				if (!pred)
					continue;
				for (uint32_t s = 0; s < n && ok; s++) {
					struct ir_block *T = ss[s];
					if (T == S)
						continue;
					if (set_has(l->in + (size_t)T->index * l->W, P->v.id))
						ok = false;
					for (struct ir_inst *Q = T->first; Q && Q->op == IR_OP_PHI && ok; Q = Q->next) {
						struct ir_value *v = ir_phi_incoming(Q, X);
						if (live_phi(c, Q) && v && cg_canon(c, v) == &P->v)
							ok = false;
					}
				}
			}
			if (ok)
				c->fl[P->v.id] |= F_PHIDIRECT;
		}
	}
}

bool eligible(struct codegen *c, uint32_t v)
{
	struct ir_func *f = c->f;
	if (v >= f->nvalues)
		return true; /* phi temporaries: only created for eligible phis, see below */
	uint8_t fl = c->fl[v];
	if (fl & (F_DEAD | F_ALIAS | F_CONST | F_FUSED | F_FOLDADDR))
		return false;
	return true;
}
