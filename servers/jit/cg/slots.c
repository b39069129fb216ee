/* servers/jit/cg/slots.c: phi webs sharing stack slots (tier >= 1).
 *
 * The values of a phi web (the phi, its temporary and its incoming
 * values) that did not get a register share one stack slot when no two
 * of them interfere: the copies between them then copy a slot onto
 * itself and are not emitted (edge_copies, block_head).  This matters
 * most for values that never get a register (i64) and for counters
 * carried around a loop through several phis.
 *
 * Interference is exact (Chaitin): walking each block backwards from its
 * live-out set, a definition interferes with everything live after it,
 * except that a copy's destination does not interfere with its source
 * (they hold the same value).  Only the phi copies count as copies.  An
 * ordinary instruction's result interferes with its operands even when
 * they die there, so the instruction may write its result before it has
 * read all of its operands — except where its code is known to read
 * every operand first (reads_first below).  The copies at the end of a
 * block and at a block head are modelled as happening together: each
 * destination interferes with every other destination and with every
 * other copy's source, so the order they are emitted in does not
 * matter.  A phi with a register still has its temporary and incoming
 * values in the web: they may share a slot without it.
 *
 * requires: the live-out sets (live.c), the allocation (rega.c: who
 *           has a register), c->phitmp, F_PHIDIRECT
 * provides: c->srep, the vreg whose slot each spilled vreg shares
 *           (stack.c gives the class one slot) */
#include <string.h>
#include "servers/jit/cg/live.h"

struct slot_coalesce {
	struct liveness *l;
	uint32_t m, MW;
	uint32_t *mi;           /* vreg -> member index (UINT32_MAX: none) */
	uint32_t *mv;           /* member index -> vreg */
	uint32_t *row;          /* m x MW interference (per class after merges) */
	uint32_t *par, *nxt;    /* union-find parent, class member list */
	uint32_t *tmp;          /* W words: uses of the current instruction */
	uint32_t *ed, *es;      /* edge copies: destinations, sources */
	uint32_t nalloc;        /* capacity of ed/es */
};

static void sc_pair(struct slot_coalesce *s, uint32_t a, uint32_t b)
{
	uint32_t x = s->mi[a], y = s->mi[b];
	if (x == VREG_NONE || y == VREG_NONE || x == y)
		return;
	set_add(s->row + (size_t)x * s->MW, y);
	set_add(s->row + (size_t)y * s->MW, x);
}

/* d is defined while `a` and `b` (vreg bitsets; b may be NULL) are live:
 * d interferes with all of them but itself and `except` */
static void sc_def(struct slot_coalesce *s, uint32_t d, const uint32_t *a, const uint32_t *b, uint32_t except)
{
	if (s->mi[d] == VREG_NONE)
		return;
	for (uint32_t w = 0; w < s->l->W; w++)
		for (uint32_t x = a[w] | (b ? b[w] : 0); x; x &= x - 1) {
			uint32_t v = 32 * w + (uint32_t)__builtin_ctz(x);
			if (v != d && v != except)
				sc_pair(s, d, v);
		}
}

/* The code of `in` reads all of its operands before it writes its
 * result's slot, so the result may share a slot with an operand that
 * dies there (the operand's last read comes before the store; one that
 * lives on is in the live set and interferes anyway).  Members are
 * spilled values: the result has no register (an FP value in an XMM
 * register is no member).  Only these, as isel_fp.c emit_fp emits them:
 *   fadd, fsub, fmul, fdiv of float or double: the first operand goes
 *   into XMM0 (fp_load: a movss/movsd from its slot, a pooled constant,
 *   or built through EAX/EDX), the second is read by the SSE operation
 *   (its XMM register, its slot, a pooled constant, a load fused into
 *   it, or through XMM7), or XMM0 already holds the second and the first
 *   is read by the operation; then fp_store writes XMM0 into the result's
 *   slot, one movss/movsd, the last instruction;
 *   fneg: fp_load into XMM0, the mask built in XMM7 through EAX, xorps,
 *   then the same fp_store.
 * Not frem (a runtime call), not casts, selects, loads, integer
 * arithmetic or 64-bit pairs: not checked to read everything first (an
 * i64 is written a word at a time). */
static bool reads_first(struct ir_inst *in)
{
	switch (in->op) {
	case IR_OP_FADD: case IR_OP_FSUB: case IR_OP_FMUL: case IR_OP_FDIV: case IR_OP_FNEG:
		return in->v.type->kind == IR_TY_FLOAT || in->v.type->kind == IR_TY_DOUBLE;
	default:
		return false;
	}
}

/* the member vars read by v (fused values read their operands) into
 * s->tmp */
static void sc_uses(struct slot_coalesce *s, struct ir_value *v)
{
	struct liveness *l = s->l;
	uint32_t *keep = l->live;
	l->live = s->tmp;
	use_val(l, v, 0, 0);
	l->live = keep;
}

static void sc_block(struct slot_coalesce *s, struct ir_block *b)
{
	struct liveness *l = s->l;
	struct codegen *c = l->c;
	uint32_t W = l->W, *live = l->live, *tmp = s->tmp;
	const uint32_t *out = l->out + (size_t)b->index * W;
	cg_fuel(c, 4ull * W);
	for (uint32_t w = 0; w < W; w++)
		live[w] = out[w] & l->member[w];
	/* the copies into the successors' phis */
	memset(tmp, 0, 4ull * W);
	uint32_t ne = 0, n = succs(c, b, l->succ);
	for (uint32_t k = 0; k < n; k++)
		for (struct ir_inst *ph = l->succ[k]->first; ph && ph->op == IR_OP_PHI; ph = ph->next) {
			cg_fuel(c, 1 + ph->nops);
			if (!live_phi(c, ph) || ne >= s->nalloc)
				continue;
			struct ir_value *v = ir_phi_incoming(ph, b);
			struct ir_value *cv = v ? cg_canon(c, v) : NULL;
			s->ed[ne] = cg_phi_dst(c, ph);
			s->es[ne] = cv && cg_is_var(cv) ? cv->id : VREG_NONE;
			ne++;
			if (v)
				sc_uses(s, v);
		}
	cg_fuel(c, (uint64_t)ne * (ne + W));
	for (uint32_t i = 0; i < ne; i++) {
		sc_def(s, s->ed[i], live, tmp, s->es[i]);
		for (uint32_t j = 0; j < ne; j++)
			if (s->ed[j] != s->ed[i])
				sc_pair(s, s->ed[i], s->ed[j]);
	}
	for (uint32_t i = 0; i < ne; i++)
		live[s->ed[i] >> 5] &= ~(1u << (s->ed[i] & 31));
	for (uint32_t w = 0; w < W; w++)
		live[w] |= tmp[w];
	/* the instructions, last first */
	for (struct ir_inst *in = b->last; in && in->op != IR_OP_PHI; in = in->prev) {
		if (no_code(c, in))
			continue;
		if (in->op == IR_OP_ALLOCA && (c->fl[in->v.id] & (F_STATIC | F_PROMOTED)))
			continue;
		uint32_t var;
		cg_fuel(c, 3ull * W + in->nops);
		memset(tmp, 0, 4ull * W);
		bool defines = in->v.type->kind != IR_TY_VOID;
		if (in->op == IR_OP_LOAD && promoted_ptr(c, ir_op(in, 0), &var)) {
			/* reads the promoted variable, which is never a member */
		} else if (in->op == IR_OP_STORE && promoted_ptr(c, ir_op(in, 1), &var)) {
			sc_uses(s, ir_op(in, 0));
		} else {
			for (uint32_t i = 0; i < in->nops; i++)
				sc_uses(s, ir_op(in, i));
		}
		if (defines) {
			sc_def(s, in->v.id, live, reads_first(in) ? NULL : tmp, VREG_NONE);
			live[in->v.id >> 5] &= ~(1u << (in->v.id & 31));
		}
		for (uint32_t w = 0; w < W; w++)
			live[w] |= tmp[w];
	}
	/* the head: each phi from its temporary, together */
	memset(tmp, 0, 4ull * W);
	for (struct ir_inst *p = b->first; p && p->op == IR_OP_PHI; p = p->next)
		if (live_phi(c, p) && !(c->fl[p->v.id] & F_PHIDIRECT)) {
			uint32_t t = c->phitmp[p->v.id];
			if (set_has(l->member, t))
				set_add(tmp, t);
			if (set_has(l->member, p->v.id))
				set_add(tmp, p->v.id);
		}
	for (struct ir_inst *p = b->first; p && p->op == IR_OP_PHI; p = p->next)
		if (live_phi(c, p) && !(c->fl[p->v.id] & F_PHIDIRECT)) {
			cg_fuel(c, W);
			sc_def(s, p->v.id, live, tmp, c->phitmp[p->v.id]);
		}
}

static uint32_t sc_find(struct slot_coalesce *s, uint32_t x)
{
	while (s->par[x] != x)
		x = s->par[x] = s->par[s->par[x]];
	return x;
}

/* merge the classes of vregs a and b when no members interfere */
static void sc_merge(struct slot_coalesce *s, uint32_t a, uint32_t b)
{
	if (s->mi[a] == VREG_NONE || s->mi[b] == VREG_NONE)
		return;
	uint32_t A = sc_find(s, s->mi[a]), B = sc_find(s, s->mi[b]);
	if (A == B)
		return;
	cg_fuel(s->l->c, 2ull * s->m + s->MW);  /* the two member lists, a row */
	uint32_t *ra = s->row + (size_t)A * s->MW, *rb = s->row + (size_t)B * s->MW;
	for (uint32_t x = B; x != VREG_NONE; x = s->nxt[x])
		if (set_has(ra, x))
			return;
	for (uint32_t w = 0; w < s->MW; w++)
		ra[w] |= rb[w];
	uint32_t last = A;
	while (s->nxt[last] != VREG_NONE)
		last = s->nxt[last];
	s->nxt[last] = B;
	s->par[B] = A;
}

/* slot size class of a member: 4 (up to 32 bits) or 8 */
static uint32_t sc_size(struct ir_type *t)
{
	uint32_t w = t ? cg_type_bits(t) : 0;
	return w == 0 ? 0 : w <= 32 ? 4 : 8;
}

void coalesce_slots(struct liveness *l, struct ir_type **ty)
{
	struct codegen *c = l->c;
	struct ir_func *f = c->f;
	struct ir_arena *a = c->a;
	uint32_t W = l->W, nv = c->nv;
	size_t mark = a->used;
	struct slot_coalesce s;
	memset(&s, 0, sizeof s);
	s.l = l;
	s.mi = ir_arena_alloc(a, 4ull * nv + 4, 4); /* kept: becomes c->srep */
	size_t work = a->used;
	uint32_t *member = ir_arena_alloc(a, 4ull * W + 4, 4);
	if (!member || !s.mi)
		goto fail;
	memset(member, 0, 4ull * W + 4);
	cg_fuel(c, 4ull * nv);
	uint32_t nphi = 0;
	/* members: spilled phis, their temporaries and incoming values of
	 * the same slot size (never arguments: theirs is the caller's) */
	for (uint32_t bi = 0; bi < f->nblocks; bi++) {
		if (!c->reach[bi])
			continue;
		for (struct ir_inst *p = f->blocks[bi]->first; p && p->op == IR_OP_PHI; p = p->next) {
			if (!live_phi(c, p))
				continue;
			uint32_t sz = sc_size(p->v.type);
			if (!sz)
				continue;
			nphi++;
			uint32_t cand[2] = { p->v.id, cg_phi_dst(c, p) };
			for (int k = 0; k < 2; k++)
				if (cand[k] < nv && c->loc[cand[k]].kind != L_REG && c->loc[cand[k]].kind != L_XMM)
					set_add(member, cand[k]);
			for (uint32_t i = 0; i < p->nops; i += 2) {
				struct ir_value *v = cg_canon(c, ir_op(p, i));
				if (v->kind != IR_VAL_INST || v->id >= f->nvalues || !eligible(c, v->id) ||
				    c->loc[v->id].kind == L_REG || c->loc[v->id].kind == L_XMM ||
				    sc_size(ty[v->id]) != sz)
					continue;
				struct ir_inst *vi = (struct ir_inst *)v;
				if (vi->op == IR_OP_ALLOCA)
					continue;
				set_add(member, v->id);
			}
		}
	}
	uint32_t m = 0;
	for (uint32_t v = 0; v < nv; v++) {
		s.mi[v] = VREG_NONE;
		if (set_has(member, v))
			m++;
	}
	if (m < 2 || m > 2048)
		goto fail;
	s.m = m;
	s.MW = (m + 31) / 32;
	s.mv = ir_arena_alloc(a, 4ull * m, 4);
	s.par = ir_arena_alloc(a, 4ull * m, 4);
	s.nxt = ir_arena_alloc(a, 4ull * m, 4);
	s.tmp = ir_arena_alloc(a, 4ull * W + 4, 4);
	s.nalloc = nphi + 1;
	s.ed = ir_arena_alloc(a, 4ull * s.nalloc, 4);
	s.es = ir_arena_alloc(a, 4ull * s.nalloc, 4);
	l->live = ir_arena_alloc(a, 4ull * W + 4, 4);
	if ((uint64_t)m * s.MW * 4 > (a->size - a->used) / 2)
		goto fail;
	s.row = ir_arena_alloc(a, 4ull * m * s.MW, 4);
	if (!s.mv || !s.par || !s.nxt || !s.tmp || !s.ed || !s.es || !l->live || !s.row)
		goto fail;
	memset(s.row, 0, 4ull * m * s.MW);
	m = 0;
	for (uint32_t v = 0; v < nv; v++)
		if (set_has(member, v)) {
			s.mv[m] = v;
			s.par[m] = m;
			s.nxt[m] = VREG_NONE;
			s.mi[v] = m++;
		}
	l->member = member;
	for (uint32_t bi = 0; bi < f->nblocks; bi++)
		if (c->reach[bi])
			sc_block(&s, f->blocks[bi]);
	/* a slot size per class: members of different sizes never merge */
	cg_fuel(c, (uint64_t)m * m);
	for (uint32_t i = 0; i < m; i++)
		for (uint32_t j = 0; j < m; j++)
			if (i != j && sc_size(ty[s.mv[i]]) != sc_size(ty[s.mv[j]]))
				set_add(s.row + (size_t)i * s.MW, j);
	/* merge: innermost loops first, the phi with its temporary, then
	 * with each incoming value */
	for (int d = 4; d >= 0; d--)
		for (uint32_t bi = 0; bi < f->nblocks; bi++) {
			uint32_t bd = l->depth[bi] > 4 ? 4 : l->depth[bi];
			if (!c->reach[bi] || (int)bd != d)
				continue;
			for (struct ir_inst *p = f->blocks[bi]->first; p && p->op == IR_OP_PHI; p = p->next) {
				if (!live_phi(c, p))
					continue;
				/* a phi with a register: its temporary (in a slot)
				 * with the incoming values, whose copies into it
				 * then vanish; only the head's copy from it stays */
				uint32_t hub = p->v.id;
				if (s.mi[hub] == VREG_NONE) {
					hub = (c->fl[p->v.id] & F_PHIDIRECT) ? VREG_NONE : c->phitmp[p->v.id];
					if (hub == VREG_NONE || hub >= nv || s.mi[hub] == VREG_NONE)
						continue;
				} else if (!(c->fl[p->v.id] & F_PHIDIRECT)) {
					sc_merge(&s, p->v.id, c->phitmp[p->v.id]);
				}
				for (uint32_t i = 0; i < p->nops; i += 2) {
					struct ir_value *v = cg_canon(c, ir_op(p, i));
					if (cg_is_var(v))
						sc_merge(&s, hub, v->id);
				}
			}
		}
	l->live = NULL;
	l->member = NULL;
	/* the result: vreg -> the vreg whose slot it shares (itself when
	 * none), in place of the member indices */
	uint32_t *rep = s.mi;
	for (uint32_t v = 0; v < nv; v++) {
		rep[v] = rep[v] == VREG_NONE ? v : s.mv[sc_find(&s, rep[v])];
		c->o->slots_shared += rep[v] != v;
	}
	c->srep = rep;
	ir_arena_reset(a, work);
	return;
fail:
	l->live = NULL;
	l->member = NULL;
	c->srep = NULL;
	ir_arena_reset(a, mark);
}
