/* Liveness, the phi copy scheme and linear-scan register allocation
 * (tier >= 1).
 *
 * Variables ("vregs"): SSA values, promoted allocas (defined by stores,
 * used by loads) and phi temporaries.  A phi is normally implemented with
 * a temporary: predecessors write the temporary at their end, the block
 * head copies it into the phi.  When it is safe the phi is written
 * directly by the predecessors (F_PHIDIRECT): safe when its old value is
 * dead on every other edge leaving those predecessors and no other copy
 * of the same parallel group reads it (then the sequential copies of a
 * group are exact).
 *
 * Positions: block head 4k (k = index of its first instruction; phi
 * temporaries read and phis written there), instruction k reads its
 * operands at 4k+1 and writes its result at 4k+2; a terminator's edge
 * copies read and write at 4k+2.  Intervals are lists of ranges with
 * holes between them (see "live ranges" below).  Linear scan over EBX,
 * ESI, EDI and, in functions with a fixed frame (ESP-relative slots),
 * EBP — the callee-saved registers: calls and the scratch registers
 * EAX/ECX/EDX of instruction selection never clobber them.  Two
 * intervals share a register when their ranges do not meet, or meet only
 * where one is copied into the other.  When no register is free the
 * interval with the lowest loop-weighted use density is spilled. */
#include <string.h>
#include "servers/jit/cg/cg.h"

struct liveness {
	struct codegen *c;
	uint32_t W;             /* words per set */
	uint32_t *use, *def, *in, *out;
	uint32_t *cur_use, *cur_def;
	int32_t *start, *end;
	uint32_t *weight;       /* uses/defs weighted by loop depth */
	uint32_t *depth;        /* per block: loop nesting estimate */
	uint32_t curw;          /* weight of an event in the current block */
	bool intervals;         /* building intervals (else sets) */
	uint32_t *pos;          /* per instruction id: index k in layout */
	struct ir_block **succ; /* scratch */
	/* slot coalescing (coalesce_slots): uses add members to `live` */
	uint32_t *live;
	const uint32_t *member;
	/* live ranges: while building intervals, the extent of each vreg in
	 * the current block (bs/be, valid when stamp == curstamp), flushed
	 * per block as (rv, rs, re) triples in position order */
	int32_t *bs, *be;
	uint32_t *stamp, curstamp;
	uint32_t *touched, ntouched;
	uint32_t *rv;
	int32_t *rs, *re;
	uint32_t nrange, rcap;
	bool roverflow;         /* no room: every vreg gets its hull */
};

static bool set_has(const uint32_t *s, uint32_t i) { return (s[i >> 5] >> (i & 31)) & 1; }
static void set_add(uint32_t *s, uint32_t i) { s[i >> 5] |= 1u << (i & 31); }

static void extend_interval(struct liveness *l, uint32_t v, int32_t p)
{
	if (l->start[v] > p) l->start[v] = p;
	if (l->end[v] < p) l->end[v] = p;
	if (!l->stamp)
		return;
	if (l->stamp[v] != l->curstamp) {
		l->stamp[v] = l->curstamp;
		l->bs[v] = l->be[v] = p;
		l->touched[l->ntouched++] = v;
		return;
	}
	if (l->bs[v] > p) l->bs[v] = p;
	if (l->be[v] < p) l->be[v] = p;
}

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

static void flush_range(struct liveness *l, uint32_t v);

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

static void use_val(struct liveness *l, struct ir_value *v, int32_t p, int depth)
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

static bool no_code(struct codegen *c, struct ir_inst *in)
{
	return (c->fl[in->v.id] & (F_DEAD | F_ALIAS | F_CONST | F_FUSED | F_FOLDADDR)) != 0;
}

static bool promoted_ptr(struct codegen *c, struct ir_value *p, uint32_t *id)
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
static uint32_t succs(struct codegen *c, struct ir_block *b, struct ir_block **out)
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
		if (!s)
			continue;
		if (known && t->op == IR_OP_BR && t->nops == 3 && i != ((kv & 1) ? 1u : 2u))
			continue;
		if (known && t->op == IR_OP_SWITCH) {
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

static bool live_phi(struct codegen *c, struct ir_inst *p)
{
	return p->op == IR_OP_PHI && !(c->fl[p->v.id] & (F_DEAD | F_CONST | F_ALIAS));
}

static void scan_block(struct liveness *l, struct ir_block *b)
{
	struct codegen *c = l->c;
	int32_t head = b->first ? 4 * (int32_t)l->pos[b->first->v.id] : 0;
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

static void dataflow(struct liveness *l)
{
	struct codegen *c = l->c;
	struct ir_func *f = c->f;
	uint32_t W = l->W;
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
static void choose_direct(struct liveness *l)
{
	struct codegen *c = l->c;
	struct ir_func *f = c->f;
	struct ir_block *ss[300];
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
				if (Q == P || !live_phi(c, Q))
					continue;
				for (uint32_t i = 0; i < Q->nops; i += 2)
					if (cg_canon(c, ir_op(Q, i)) == &P->v)
						ok = false;
			}
			/* every predecessor X: P dead on X's other edges */
			for (uint32_t xi = 0; xi < f->nblocks && ok; xi++) {
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

static bool eligible(struct codegen *c, uint32_t v)
{
	struct ir_func *f = c->f;
	if (v >= f->nvalues)
		return true; /* phi temporaries: only created for eligible phis, see below */
	uint8_t fl = c->fl[v];
	if (fl & (F_DEAD | F_ALIAS | F_CONST | F_FUSED | F_FOLDADDR))
		return false;
	return true;
}


/* ---- slot coalescing ----
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
 * read all of its operands.  The copies at the end of a block and at a
 * block head are modelled as happening together: each destination
 * interferes with every other destination and with every other copy's
 * source, so the order they are emitted in does not matter. */
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

#define SC_NONE 0xffffffffu

static void sc_pair(struct slot_coalesce *s, uint32_t a, uint32_t b)
{
	uint32_t x = s->mi[a], y = s->mi[b];
	if (x == SC_NONE || y == SC_NONE || x == y)
		return;
	set_add(s->row + (size_t)x * s->MW, y);
	set_add(s->row + (size_t)y * s->MW, x);
}

/* d is defined while `a` and `b` (vreg bitsets; b may be NULL) are live:
 * d interferes with all of them but itself and `except` */
static void sc_def(struct slot_coalesce *s, uint32_t d, const uint32_t *a, const uint32_t *b, uint32_t except)
{
	if (s->mi[d] == SC_NONE)
		return;
	for (uint32_t w = 0; w < s->l->W; w++)
		for (uint32_t x = a[w] | (b ? b[w] : 0); x; x &= x - 1) {
			uint32_t v = 32 * w + (uint32_t)__builtin_ctz(x);
			if (v != d && v != except)
				sc_pair(s, d, v);
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
	for (uint32_t w = 0; w < W; w++)
		live[w] = out[w] & l->member[w];
	/* the copies into the successors' phis */
	memset(tmp, 0, 4ull * W);
	uint32_t ne = 0, n = succs(c, b, l->succ);
	for (uint32_t k = 0; k < n; k++)
		for (struct ir_inst *ph = l->succ[k]->first; ph && ph->op == IR_OP_PHI; ph = ph->next) {
			if (!live_phi(c, ph) || ne >= s->nalloc)
				continue;
			struct ir_value *v = ir_phi_incoming(ph, b);
			struct ir_value *cv = v ? cg_canon(c, v) : NULL;
			s->ed[ne] = cg_phi_dst(c, ph);
			s->es[ne] = cv && cg_is_var(cv) ? cv->id : SC_NONE;
			ne++;
			if (v)
				sc_uses(s, v);
		}
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
			sc_def(s, in->v.id, live, tmp, SC_NONE);
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
		if (live_phi(c, p) && !(c->fl[p->v.id] & F_PHIDIRECT))
			sc_def(s, p->v.id, live, tmp, c->phitmp[p->v.id]);
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
	if (s->mi[a] == SC_NONE || s->mi[b] == SC_NONE)
		return;
	uint32_t A = sc_find(s, s->mi[a]), B = sc_find(s, s->mi[b]);
	if (A == B)
		return;
	uint32_t *ra = s->row + (size_t)A * s->MW, *rb = s->row + (size_t)B * s->MW;
	for (uint32_t x = B; x != SC_NONE; x = s->nxt[x])
		if (set_has(ra, x))
			return;
	for (uint32_t w = 0; w < s->MW; w++)
		ra[w] |= rb[w];
	uint32_t last = A;
	while (s->nxt[last] != SC_NONE)
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

static void coalesce_slots(struct liveness *l, struct ir_type **ty)
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
				if (cand[k] < nv && c->loc[cand[k]].kind != L_REG)
					set_add(member, cand[k]);
			for (uint32_t i = 0; i < p->nops; i += 2) {
				struct ir_value *v = cg_canon(c, ir_op(p, i));
				if (v->kind != IR_VAL_INST || v->id >= f->nvalues || !eligible(c, v->id) ||
				    c->loc[v->id].kind == L_REG || sc_size(ty[v->id]) != sz)
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
		s.mi[v] = SC_NONE;
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
			s.nxt[m] = SC_NONE;
			s.mi[v] = m++;
		}
	l->member = member;
	for (uint32_t bi = 0; bi < f->nblocks; bi++)
		if (c->reach[bi])
			sc_block(&s, f->blocks[bi]);
	/* a slot size per class: members of different sizes never merge */
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
				if (!live_phi(c, p) || s.mi[p->v.id] == SC_NONE)
					continue;
				if (!(c->fl[p->v.id] & F_PHIDIRECT))
					sc_merge(&s, p->v.id, c->phitmp[p->v.id]);
				for (uint32_t i = 0; i < p->nops; i += 2) {
					struct ir_value *v = cg_canon(c, ir_op(p, i));
					if (cg_is_var(v))
						sc_merge(&s, p->v.id, v->id);
				}
			}
		}
	l->live = NULL;
	l->member = NULL;
	/* the result: vreg -> the vreg whose slot it shares (itself when
	 * none), in place of the member indices */
	uint32_t *rep = s.mi;
	for (uint32_t v = 0; v < nv; v++) {
		rep[v] = rep[v] == SC_NONE ? v : s.mv[sc_find(&s, rep[v])];
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

/* ---- live ranges ----
 *
 * An interval is a sorted list of ranges: per block, from the first to
 * the last point the vreg is live there (the block's whole extent when
 * it is live through), with ranges of consecutive blocks merged.  Two
 * vregs may share a register when no ranges meet, so a value live
 * around one loop and after another leaves the register free in between
 * (lifetime holes).  Within a block a definition starts a new range (a
 * direct phi written by the terminator of the block that reads it, a
 * promoted alloca stored again); otherwise the range is the hull of the
 * block's points. */
struct live_ranges {
	uint32_t *off, *n;      /* per vreg: first range, number of ranges */
	int32_t *s, *e;         /* closed ranges [s, e] */
};

static bool grow_ranges(struct liveness *l)
{
	struct ir_arena *a = l->c->a;
	uint32_t cap = l->rcap ? 2 * l->rcap : 256;
	if (12ull * cap > (a->size - a->used) / 4)
		return false;
	uint32_t *rv = ir_arena_alloc(a, 4ull * cap, 4);
	int32_t *rs = ir_arena_alloc(a, 4ull * cap, 4), *re = ir_arena_alloc(a, 4ull * cap, 4);
	if (!rv || !rs || !re)
		return false;
	if (l->nrange) {
		memcpy(rv, l->rv, 4ull * l->nrange);
		memcpy(rs, l->rs, 4ull * l->nrange);
		memcpy(re, l->re, 4ull * l->nrange);
	}
	l->rv = rv;
	l->rs = rs;
	l->re = re;
	l->rcap = cap;
	return true;
}

/* v's segment in the current block becomes a range */
static void flush_range(struct liveness *l, uint32_t v)
{
	if (l->roverflow)
		return;
	if (l->nrange == l->rcap && !grow_ranges(l)) {
		l->roverflow = true;
		return;
	}
	l->rv[l->nrange] = v;
	l->rs[l->nrange] = l->bs[v];
	l->re[l->nrange] = l->be[v];
	l->nrange++;
}

/* the segments of the vregs touched in the current block become ranges */
static void flush_ranges(struct liveness *l)
{
	for (uint32_t i = 0; i < l->ntouched; i++)
		flush_range(l, l->touched[i]);
	l->ntouched = 0;
}

/* per-vreg range lists from the flushed triples (they are in position
 * order), adjacent ranges merged; without room, each vreg's hull */
static bool build_ranges(struct liveness *l, struct live_ranges *r, uint32_t nv)
{
	struct ir_arena *a = l->c->a;
	r->off = ir_arena_alloc(a, 4ull * nv + 4, 4);
	r->n = ir_arena_alloc(a, 4ull * nv + 4, 4);
	if (!r->off || !r->n)
		return false;
	if (l->roverflow) {
		for (uint32_t v = 0; v < nv; v++) {
			r->off[v] = v;
			r->n[v] = 1;
		}
		r->s = l->start;
		r->e = l->end;
		return true;
	}
	r->s = ir_arena_alloc(a, 4ull * l->nrange + 4, 4);
	r->e = ir_arena_alloc(a, 4ull * l->nrange + 4, 4);
	if (!r->s || !r->e)
		return false;
	for (uint32_t i = 0; i < l->nrange; i++)
		r->n[l->rv[i]]++;
	uint32_t sum = 0;
	for (uint32_t v = 0; v < nv; v++) {
		r->off[v] = sum;
		sum += r->n[v];
		r->n[v] = 0;
	}
	for (uint32_t i = 0; i < l->nrange; i++) {
		uint32_t v = l->rv[i], j = r->off[v] + r->n[v];
		if (r->n[v] && l->rs[i] <= r->e[j - 1] + 1) {
			if (r->e[j - 1] < l->re[i])
				r->e[j - 1] = l->re[i];
			continue;
		}
		r->s[j] = l->rs[i];
		r->e[j] = l->re[i];
		r->n[v]++;
	}
	return true;
}

/* The block whose terminator's edge copies (points 4k+2 and 4k+3) the
 * segment [lo, hi] lies within, else NULL. */
static struct ir_block *copies_of(struct codegen *c, struct ir_inst **vi, int32_t lo, int32_t hi)
{
	if (lo < 0)
		return NULL;
	uint32_t k = (uint32_t)lo / 4;
	if (k >= c->nk || lo < (int32_t)(4 * k + 2) || hi > (int32_t)(4 * k + 3))
		return NULL;
	struct ir_inst *t = vi[c->kinst[k]];
	return t && t->parent && t->parent->last == t ? t->parent : NULL;
}

/* Whether the segment [lo, hi] lies within the edge copies of a
 * terminator that copy vreg `src` into `dst`, a phi or phi temporary:
 * there the two hold the same value. */
static bool copy_point(struct codegen *c, struct ir_inst **vi, uint32_t dst, uint32_t src,
		       int32_t lo, int32_t hi)
{
	struct ir_inst *ph = vi[dst];
	if (!ph || ph->op != IR_OP_PHI || cg_phi_dst(c, ph) != dst)
		return false;
	struct ir_block *from = copies_of(c, vi, lo, hi);
	if (!from)
		return false;
	struct ir_value *x = ir_phi_incoming(ph, from);
	x = x ? cg_canon(c, x) : NULL;
	return x && cg_is_var(x) && x->id == src;
}

/* Whether [lo, hi] lies within a terminator's edge copies that write
 * the same value into phis a and b (of two successors: the copies of
 * both edges run before the branch, or each on its own edge).  There
 * a and b hold the same value, and each of them lives on only one edge
 * afterwards: they may share a register (a loop's exit phi and its
 * back-edge phi both taking the sum computed in the loop). */
static bool sibling_copies(struct codegen *c, struct ir_inst **vi, uint32_t a, uint32_t b,
			   int32_t lo, int32_t hi)
{
	struct ir_inst *pa = vi[a], *pb = vi[b];
	if (!pa || !pb || pa->op != IR_OP_PHI || pb->op != IR_OP_PHI || pa->parent == pb->parent ||
	    cg_phi_dst(c, pa) != a || cg_phi_dst(c, pb) != b)
		return false;
	struct ir_block *from = copies_of(c, vi, lo, hi);
	if (!from)
		return false;
	struct ir_value *x = ir_phi_incoming(pa, from), *y = ir_phi_incoming(pb, from);
	x = x ? cg_canon(c, x) : NULL;
	y = y ? cg_canon(c, y) : NULL;
	if (!x || !y)
		return false;
	if (x == y)
		return true;
	struct cg_const kx, ky;
	return cg_const(c, x, &kx) && cg_const(c, y, &ky) && kx.rk == RK_NONE && ky.rk == RK_NONE &&
	       kx.v == ky.v && cg_type_bits(x->type) == cg_type_bits(y->type);
}

/* Whether a and b may not share a register: their ranges meet other
 * than where one is copied into the other (Chaitin's copy exception,
 * so a phi can live in the register of the value it is copied from
 * while that value is still live on another edge) or where both are
 * copies of one value (sibling_copies). */
static bool interfere(struct codegen *c, struct ir_inst **vi, const struct live_ranges *r, uint32_t a, uint32_t b)
{
	uint32_t i = r->off[a], ie = i + r->n[a], j = r->off[b], je = j + r->n[b];
	while (i < ie && j < je) {
		if (r->e[i] < r->s[j]) {
			i++;
			continue;
		}
		if (r->e[j] < r->s[i]) {
			j++;
			continue;
		}
		int32_t lo = r->s[i] > r->s[j] ? r->s[i] : r->s[j];
		int32_t hi = r->e[i] < r->e[j] ? r->e[i] : r->e[j];
		if (!copy_point(c, vi, a, b, lo, hi) && !copy_point(c, vi, b, a, lo, hi) &&
		    !sibling_copies(c, vi, a, b, lo, hi))
			return true;
		if (r->e[i] < r->e[j])
			i++;
		else
			j++;
	}
	return false;
}

/* Register hints.  A value copied from another (a phi from its
 * temporary or, written directly, from its incoming values; a temporary
 * from the incoming values), or copied into a phi, prefers that value's
 * register: the copy then disappears.  (Preferring the register of a
 * dying first operand, for two-address forms, measured worse overall.)  A copy's
 * destination may even take its source's register at the very point the
 * source dies, where the two intervals touch (the copy reads and writes
 * there): they hold the same value.  Returns the register index, or -1. */
static int reg_hint(struct codegen *c, struct ir_inst **vi, uint32_t v, const int32_t *start,
		    const int32_t *end, const int8_t *regs, int nr, const bool *busy, uint32_t *active)
{
	struct ir_func *f = c->f;
	struct ir_inst *in = vi[v];
	uint32_t cand[8];
	bool copy[8];
	uint32_t n = 0;
	if (!in)
		return -1;
	bool temp = v >= f->nvalues;
	if (in->op == IR_OP_PHI && !temp && !(c->fl[v] & F_PHIDIRECT)) {
		cand[n] = c->phitmp[v];
		copy[n++] = true;
	} else if (in->op == IR_OP_PHI) {
		for (uint32_t i = 0; i < in->nops && n < 8; i += 2) {
			struct ir_value *x = cg_canon(c, ir_op(in, i));
			if (cg_is_var(x) && x->id != v) {
				cand[n] = x->id;
				copy[n++] = true;
			}
		}
	} else {
		/* the phis it is copied into, those of deeper loops first (a
		 * loop's back edge runs more often than its exit) */
		uint8_t dep[8];
		for (struct ir_use *u = in->v.uses; u && n < 8; u = u->next)
			if (u->user && u->user->op == IR_OP_PHI && !(c->fl[u->user->v.id] & (F_DEAD | F_CONST | F_ALIAS))) {
				uint8_t d = c->bdepth ? c->bdepth[u->user->parent->index] : 0;
				uint32_t j = n++;
				for (; j > 0 && dep[j - 1] < d; j--) {
					cand[j] = cand[j - 1];
					copy[j] = copy[j - 1];
					dep[j] = dep[j - 1];
				}
				cand[j] = cg_phi_dst(c, u->user);
				copy[j] = false;
				dep[j] = d;
			}
	}
	/* a value only passed in ECX/EDX to a module function (conv.c)
	 * wants to be computed there */
	struct ir_inst *u = !temp && in->op != IR_OP_PHI && in->v.nuses == 1 ? in->v.uses->user : NULL;
	struct ir_func *callee = u && u->op == IR_OP_CALL ? ir_call_target(u) : NULL;
	uint32_t ai = u ? in->v.uses->index : 0;
	if (callee && ai >= 1 && ai <= c->regp[callee->v.id])
		for (int r = 0; r < nr; r++)
			if (regs[r] == (ai == 1 ? X_ECX : X_EDX) && !busy[r])
				return r;
	for (uint32_t h = 0; h < n; h++) {
		uint32_t x = cand[h];
		if (x >= c->nv || c->loc[x].kind != L_REG)
			continue;
		for (int r = 0; r < nr; r++) {
			if (regs[r] != c->loc[x].reg)
				continue;
			if (!busy[r])
				return r;
			if (copy[h] && active[r] == x && end[x] == start[v])
				return r;
		}
	}
	return -1;
}

/* What the second round (cg_regalloc_wide) needs of the first. */
struct cg_ra {
	struct live_ranges rl;
	struct ir_inst **vi;    /* id -> instruction, phi temporary -> phi */
	double *dens;           /* spill cost: weight^2 per hull length */
	uint32_t *weight;       /* loop-weighted uses and definitions */
	int32_t *start, *end;   /* hulls */
	uint32_t *order, n;     /* the candidates by start */
	uint8_t *stay;          /* per vreg: kept in a slot (spill_phi_links) */
};

static bool range_free(struct codegen *c, uint32_t v, int r);

/* Linear scan of the candidates over regs.  ECX and EDX (second round)
 * may hold a value only where no instruction's code writes them
 * (range_free).  In order of preference a value takes: its hint's
 * register; a callee-saved register already in use (saved anyway);
 * ECX/EDX; a callee-saved register not yet used. */
static bool linear_scan(struct codegen *c, const int8_t *regs, int nr, const struct cg_loc *keep)
{
	struct cg_ra *ra = c->ra;
	struct ir_arena *a = c->a;
	const struct live_ranges *rl = &ra->rl;
	const int32_t *start = ra->start, *end = ra->end;
	uint32_t n = ra->n;
	/* per register, the intervals given it that may still meet later
	 * ones (hull not yet ended) */
	uint32_t *given[6], ng[6] = { 0 };
	bool used[6] = { false }, scratch[6];
	int32_t held[6];
	for (int r = 0; r < nr; r++) {
		if (!(given[r] = ir_arena_alloc(a, 4ull * n + 4, 4)))
			return false;
		held[r] = INT32_MIN;
		scratch[r] = regs[r] == X_ECX || regs[r] == X_EDX;
	}
	for (uint32_t i = 0; i < n; i++)
		c->loc[ra->order[i]].kind = L_NONE;
	for (uint32_t i = 0; i < n; i++) {
		uint32_t v = ra->order[i];
		bool busy[6] = { false }, blocked[6] = { false };
		if (ra->stay[v])
			continue;
		if (keep && keep[v].kind == L_REG) {
			/* a register of the first round: kept */
			for (int r = 0; r < nr; r++)
				if (regs[r] == keep[v].reg) {
					given[r][ng[r]++] = v;
					c->loc[v] = keep[v];
				}
			continue;
		}
		uint32_t conf1[6]; /* the one interval v meets on r, else none */
		for (int r = 0; r < nr; r++) {
			uint32_t k = 0, nc = 0;
			conf1[r] = SC_NONE;
			for (uint32_t g = 0; g < ng[r]; g++) {
				uint32_t x = given[r][g];
				if (end[x] < start[v])
					continue;
				given[r][k++] = x;
				if (interfere(c, ra->vi, rl, x, v)) {
					nc++;
					conf1[r] = x;
				}
			}
			ng[r] = k;
			blocked[r] = (scratch[r] && !range_free(c, v, regs[r])) || (keep && !scratch[r]);
			busy[r] = nc > 0 || blocked[r];
			if (nc != 1 || blocked[r])
				conf1[r] = SC_NONE;
		}
		int pick = reg_hint(c, ra->vi, v, start, end, regs, nr, busy, conf1);
		if (pick >= 0 && busy[pick])
			/* taken from a copy source dying at v's start: that value
			 * is still read there, so the register may not be given to
			 * another value starting at the same point */
			held[pick] = end[conf1[pick]];
		/* ECX/EDX can cost a move per definition (dest_reg() in emit.c, for
		 * operations without a direct form), a callee-saved register a
		 * push and pop per call: values used in loops prefer the
		 * latter */
		bool loop = ra->weight[v] >= 8;
		for (int pass = 0; pass < 3 && pick < 0; pass++)
			for (int r = 0; r < nr && pick < 0; r++)
				if (!busy[r] && (pass == 0 ? !scratch[r] && used[r] :
						 pass == 1 ? scratch[r] != loop : true))
					pick = r;
		if (pick < 0) {
			/* spill: either v or, on one register, everything v meets
			 * there, when all of that is cheaper than v (lower dens,
			 * ties to intervals ending after v); of the
			 * registers, the one whose dearest interval is cheapest */
			int worst = -1;
			double wbest = 0, wv = ra->dens[v];
			for (int r = 0; r < nr; r++) {
				if (held[r] >= start[v] || blocked[r])
					continue;
				bool ok = true;
				double wr = 0;
				for (uint32_t g = 0; g < ng[r] && ok; g++) {
					uint32_t x = given[r][g];
					if (!interfere(c, ra->vi, rl, x, v))
						continue;
					double wx = ra->dens[x];
					ok = wx < wv || (wx == wv && end[x] > end[v]);
					if (wx > wr)
						wr = wx;
				}
				if (ok && (worst < 0 || wr < wbest)) {
					worst = r;
					wbest = wr;
				}
			}
			c->o->spills++;
			if (worst < 0)
				continue;
			uint32_t k = 0;
			for (uint32_t g = 0; g < ng[worst]; g++) {
				uint32_t x = given[worst][g];
				if (interfere(c, ra->vi, rl, x, v))
					c->loc[x].kind = L_NONE;
				else
					given[worst][k++] = x;
			}
			ng[worst] = k;
			pick = worst;
		}
		given[pick][ng[pick]++] = v;
		used[pick] = true;
		c->loc[v].kind = L_REG;
		c->loc[v].reg = regs[pick];
	}
	return true;
}

/* A phi in a register whose uses are mostly copies into phis that live
 * in slots costs a store on each of those edges; in a slot of its own
 * web (coalesce_slots then shares it) those copies vanish.  The price: a
 * load for each other use, and a store for each copy into it whose
 * source held the same register (that copy was free).  Weights: 8 per
 * loop level of the block, an incoming edge's divided among the
 * block's predecessors (the edges of a merge are not all taken).  This
 * is the case of a state machine whose loop phis spilled, its counters
 * carried through the merge phi of a switch.  True when any was spilled
 * (then allocate again: the registers they held are free). */
static bool spill_phi_links(struct codegen *c)
{
	struct ir_func *f = c->f;
	bool any = false;
	if (!c->bdepth)
		return false;
	for (int round = 0; round < 4; round++) {
		bool changed = false;
		for (uint32_t bi = 0; bi < f->nblocks; bi++) {
			if (!c->reach[bi])
				continue;
			for (struct ir_inst *y = f->blocks[bi]->first; y && y->op == IR_OP_PHI; y = y->next) {
				struct cg_loc *yl = &c->loc[y->v.id];
				if (!live_phi(c, y) || yl->kind != L_REG || !y->v.uses)
					continue;
				double gain = 0, loss = 0;
				bool ok = true;
				for (struct ir_use *u = y->v.uses; u && ok; u = u->next) {
					struct ir_inst *p = u->user;
					ok = p && p != y && !(c->fl[p->v.id] & F_ALIAS);
					if (!ok)
						break;
					if (p->op != IR_OP_PHI) {
						loss += cg_loop_weight(c, p->parent->index);
						continue;
					}
					struct ir_block *pred = (u->index & 1) == 0 ? ir_as_block(ir_op(p, u->index + 1)) : NULL;
					ok = pred && live_phi(c, p) && c->loc[cg_phi_dst(c, p)].kind != L_REG;
					if (ok)
						gain += cg_loop_weight(c, pred->index);
				}
				uint32_t npred = y->nops / 2;
				for (uint32_t i = 0; ok && i + 1 < y->nops; i += 2) {
					struct ir_value *v = cg_canon(c, ir_op(y, i));
					struct ir_block *pred = ir_as_block(ir_op(y, i + 1));
					if (pred && cg_is_var(v) && c->loc[v->id].kind == L_REG &&
					    c->loc[v->id].reg == yl->reg)
						loss += (double)cg_loop_weight(c, pred->index) / npred;
				}
				if (ok && gain > loss) {
					yl->kind = L_NONE;
					c->ra->stay[y->v.id] = 1;
					changed = any = true;
				}
			}
		}
		if (!changed)
			break;
	}
	return any;
}

/* The callee-saved registers the allocation uses: the prologue saves
 * them (EBP, when allocated, is saved by the prologue itself). */
static void set_saved(struct codegen *c)
{
	static const int8_t cs[3] = { X_EBX, X_ESI, X_EDI };
	bool used[8] = { false };
	for (uint32_t i = 0; i < c->ra->n; i++) {
		struct cg_loc *l = &c->loc[c->ra->order[i]];
		if (l->kind == L_REG)
			used[l->reg & 7] = true;
	}
	c->ebp_used = used[X_EBP];
	c->nsaved = 0;
	for (int r = 0; r < 3; r++)
		if (used[cs[r]])
			c->saved[c->nsaved++] = (uint8_t)cs[r];
}

/* u, the one user of call `in`, reads it as an operand the code can take
 * from EAX (arithmetic, a compare), within a few instructions none of
 * which is a call or a fused user (see the retd comment in
 * cg_regalloc). */
static bool soon_in_eax(struct codegen *c, struct ir_inst *in, struct ir_inst *u)
{
	switch (u->op) {
	case IR_OP_ADD: case IR_OP_SUB: case IR_OP_AND: case IR_OP_OR: case IR_OP_XOR:
	case IR_OP_MUL: case IR_OP_ICMP:
		break;
	default:
		return false;
	}
	if (u->parent != in->parent || (c->fl[u->v.id] & (F_DEAD | F_FUSED | F_ALIAS | F_CONST)) ||
	    cg_type_bits(u->v.type) > 32)
		return false;
	int n = 0;
	for (struct ir_inst *x = in->next; x != u; x = x->next)
		if (!x || ++n > 3 || x->op == IR_OP_CALL)
			return false;
	return true;
}

int cg_regalloc(struct codegen *c)
{
	struct ir_func *f = c->f;
	struct ir_arena *a = c->a;
	uint32_t nv = c->nv;
	uint32_t W = (nv + 31) / 32;
	uint64_t need = 4ull * W * f->nblocks * 4 + 8ull * nv + 4ull * f->nvalues;
	if (need > (a->size - a->used) / 2 || f->nblocks > 100000)
		return 0; /* too big: everything stays in slots */
	struct liveness l;
	memset(&l, 0, sizeof l);
	l.c = c;
	l.W = W;
	l.use = ir_arena_alloc(a, 4ull * W * f->nblocks + 4, 4);
	l.def = ir_arena_alloc(a, 4ull * W * f->nblocks + 4, 4);
	l.in = ir_arena_alloc(a, 4ull * W * f->nblocks + 4, 4);
	l.out = ir_arena_alloc(a, 4ull * W * f->nblocks + 4, 4);
	l.start = ir_arena_alloc(a, 4ull * nv + 4, 4);
	l.end = ir_arena_alloc(a, 4ull * nv + 4, 4);
	l.pos = ir_arena_alloc(a, 4ull * f->nvalues + 4, 4);
	l.succ = ir_arena_alloc(a, sizeof(void *) * (f->nblocks + 1), sizeof(void *));
	l.weight = ir_arena_alloc(a, 4ull * nv + 4, 4);
	l.depth = ir_arena_alloc(a, 4ull * f->nblocks + 4, 4);
	if (!l.weight || !l.depth)
		return 0;
	uint32_t *order = ir_arena_alloc(a, 4ull * nv + 4, 4);
	if (!l.use || !l.def || !l.in || !l.out || !l.start || !l.end || !l.pos || !l.succ || !order)
		return 0;
	uint32_t k = 0;
	for (uint32_t bi = 0; bi < f->nblocks; bi++)
		for (struct ir_inst *in = f->blocks[bi]->first; in; in = in->next)
			l.pos[in->v.id] = k++;
	dataflow(&l);
	choose_direct(&l);
	dataflow(&l);
	/* intervals */
	for (uint32_t v = 0; v < nv; v++) {
		l.start[v] = INT32_MAX;
		l.end[v] = INT32_MIN;
	}
	/* loop depth: blocks spanned by a back edge (layout order) */
	for (uint32_t xi = 0; xi < f->nblocks; xi++) {
		if (!c->reach[xi])
			continue;
		uint32_t ns = succs(c, f->blocks[xi], l.succ);
		for (uint32_t s = 0; s < ns; s++) {
			uint32_t si = l.succ[s]->index;
			if (si <= xi)
				for (uint32_t b = si; b <= xi; b++)
					l.depth[b]++;
		}
	}
	l.intervals = true;
	l.bs = ir_arena_alloc(a, 4ull * nv + 4, 4);
	l.be = ir_arena_alloc(a, 4ull * nv + 4, 4);
	l.stamp = ir_arena_alloc(a, 4ull * nv + 4, 4);
	l.touched = ir_arena_alloc(a, 4ull * nv + 4, 4);
	if (!l.bs || !l.be || !l.stamp || !l.touched)
		return 0;
	l.curstamp = 1;
	for (uint32_t i = 0; i < f->nparams; i++)
		extend_interval(&l, f->params[i].v.id, -1);
	flush_ranges(&l);
	for (uint32_t bi = 0; bi < f->nblocks; bi++) {
		if (!c->reach[bi])
			continue;
		struct ir_block *b = f->blocks[bi];
		if (!b->first)
			continue;
		l.curstamp = bi + 2;
		int32_t from = 4 * (int32_t)l.pos[b->first->v.id];
		int32_t to = 4 * (int32_t)l.pos[b->last->v.id] + 3;
		uint32_t *in = l.in + (size_t)bi * W, *out = l.out + (size_t)bi * W;
		uint32_t d = l.depth[bi] > 4 ? 4 : l.depth[bi];
		l.curw = 1u << (3 * d);
		for (uint32_t w = 0; w < W; w++)
			for (uint32_t x = in[w]; x; x &= x - 1)
				extend_interval(&l, 32 * w + (uint32_t)__builtin_ctz(x), from);
		scan_block(&l, b);
		for (uint32_t w = 0; w < W; w++)
			for (uint32_t x = out[w]; x; x &= x - 1)
				extend_interval(&l, 32 * w + (uint32_t)__builtin_ctz(x), to);
		flush_ranges(&l);
	}
	l.stamp = NULL;
	struct live_ranges rl;
	if (!build_ranges(&l, &rl, nv))
		return 0;
	/* a value returned by the very next instruction gets no register: it
	 * is computed in EAX, where the return wants it (its slot store is
	 * then dead and the reload elided, see emit.c); so does a call's
	 * result (in EAX) whose only use is the value a store right after it
	 * stores (emit_store takes it from EAX), or an operand of arithmetic
	 * or a compare shortly after it: the code reads it from EAX while no
	 * instruction in between wrote EAX (emit.c load_vreg, operand_of), else from
	 * its slot */
	uint32_t *retd = ir_arena_alloc(a, 4ull * W + 4, 4);
	if (!retd)
		return 0;
	memset(retd, 0, 4ull * W + 4);
	for (uint32_t bi = 0; bi < f->nblocks; bi++)
		for (struct ir_inst *in = f->blocks[bi]->first; c->reach[bi] && in; in = in->next) {
			struct ir_inst *u = in->v.nuses == 1 ? in->v.uses->user : NULL;
			if (!u || in->op == IR_OP_PHI)
				continue;
			struct ir_func *t = ir_call_target(in);
			bool call = in->op == IR_OP_CALL && (!t || !t->intrinsic) &&
				    cg_type_bits(in->v.type) == 32;
			if (u == in->next && ((u->op == IR_OP_RET && u->nops == 1) ||
			    (call && u->op == IR_OP_STORE && in->v.uses->index == 0)))
				set_add(retd, in->v.id);
			else if (call && soon_in_eax(c, in, u))
				set_add(retd, in->v.id);
		}
	/* candidates: 32-bit containers */
	uint32_t n = 0;
	for (uint32_t v = 0; v < nv; v++) {
		if (l.start[v] > l.end[v] || !eligible(c, v) || set_has(retd, v))
			continue;
		struct ir_type *t = NULL;
		if (v < f->nvalues) {
			struct ir_value *val = v < f->nparams ? &f->params[v].v : NULL;
			if (!val) {
				/* find the instruction: ids are dense in layout order */
				val = NULL;
			}
			t = val ? val->type : NULL;
		}
		(void)t;
		order[n++] = v;
	}
	/* type check needs the instruction: build id -> type via a pass */
	struct ir_type **ty = ir_arena_alloc(a, sizeof(void *) * (nv + 1), sizeof(void *));
	if (!ty)
		return 0;
	for (uint32_t i = 0; i < f->nparams; i++)
		ty[f->params[i].v.id] = (f->params[i].attrs.flags & IR_ATTR_BYVAL) ? NULL :
			f->params[i].v.type;
	for (uint32_t bi = 0; bi < f->nblocks; bi++)
		for (struct ir_inst *in = f->blocks[bi]->first; in; in = in->next) {
			ty[in->v.id] = in->op == IR_OP_ALLOCA && (c->fl[in->v.id] & F_PROMOTED) ?
				in->alloc_type : in->v.type;
			if (in->op == IR_OP_ALLOCA && (c->fl[in->v.id] & F_STATIC) &&
			    !(c->fl[in->v.id] & F_PROMOTED))
				ty[in->v.id] = NULL;
			if (in->op == IR_OP_PHI && c->phitmp[in->v.id] >= f->nvalues && c->phitmp[in->v.id] < nv)
				ty[c->phitmp[in->v.id]] = in->v.type;
		}
	uint32_t m = 0;
	for (uint32_t i = 0; i < n; i++) {
		struct ir_type *t = ty[order[i]];
		uint32_t w = t ? cg_type_bits(t) : 0;
		if (w && w <= 32)
			order[m++] = order[i];
	}
	n = m;
	/* shell sort by start */
	for (uint32_t gap = n / 2; gap > 0; gap /= 2)
		for (uint32_t i = gap; i < n; i++) {
			uint32_t x = order[i];
			uint32_t j = i;
			while (j >= gap && l.start[order[j - gap]] > l.start[x]) {
				order[j] = order[j - gap];
				j -= gap;
			}
			order[j] = x;
		}
	/* id -> instruction, phi temporary -> its phi (register hints) */
	struct ir_inst **vi = ir_arena_alloc(a, sizeof(void *) * (nv + 1), sizeof(void *));
	if (!vi)
		return 0;
	memset(vi, 0, sizeof(void *) * (nv + 1));
	for (uint32_t bi = 0; bi < f->nblocks; bi++)
		for (struct ir_inst *in = f->blocks[bi]->first; in; in = in->next) {
			vi[in->v.id] = in;
			if (in->op == IR_OP_PHI && c->phitmp[in->v.id] >= f->nvalues && c->phitmp[in->v.id] < nv)
				vi[c->phitmp[in->v.id]] = in;
		}
	/* layout index -> instruction id */
	c->nk = k;
	c->kinst = ir_arena_alloc(a, 4ull * k + 4, 4);
	if (!c->kinst)
		return 0;
	k = 0;
	for (uint32_t bi = 0; bi < f->nblocks; bi++)
		for (struct ir_inst *in = f->blocks[bi]->first; in; in = in->next)
			c->kinst[k++] = in->v.id;
	struct cg_ra *ra = ir_arena_alloc(a, sizeof *ra, 8);
	double *dens = ir_arena_alloc(a, sizeof(double) * (nv + 1), 8);
	if (!ra || !dens)
		return 0;
	/* spill cost: weight per square root of the hull's length, kept
	 * squared (the same order, no square root): a long interval blocks
	 * a register for more values, but not in proportion to its length —
	 * a loop's counter is read all over its body */
	for (uint32_t i = 0; i < n; i++) {
		double w = (double)l.weight[order[i]];
		dens[order[i]] = w * w / (double)(l.end[order[i]] - l.start[order[i]] + 1);
	}
	ra->rl = rl;
	ra->vi = vi;
	ra->dens = dens;
	ra->weight = l.weight;
	ra->start = l.start;
	ra->end = l.end;
	ra->order = order;
	ra->n = n;
	c->ra = ra;
	uint8_t *bd = ir_arena_alloc(a, f->nblocks + 1, 1);
	for (uint32_t bi = 0; bd && bi < f->nblocks; bi++)
		bd[bi] = (uint8_t)(l.depth[bi] > 3 ? 3 : l.depth[bi]);
	c->bdepth = bd;
	static const int8_t regs[4] = { X_EBX, X_ESI, X_EDI, X_EBP };
	ra->stay = ir_arena_alloc(a, nv + 1, 1);
	if (!ra->stay)
		return 0;
	memset(ra->stay, 0, nv + 1);
	for (int round = 0; round < 3; round++)
		if (!linear_scan(c, regs, c->espf ? 4 : 3, NULL))
			return 0;
		else if (!spill_phi_links(c))
			break;
	coalesce_slots(&l, ty);
	set_saved(c);
	return 0;
}

/* Second round (tier 3): linear scan again, over ECX and EDX as well,
 * after a dry run of the emission with the first allocation recorded in
 * c->wm which registers the code of each instruction writes.  A value may
 * live in ECX or EDX where no instruction of its ranges writes that
 * register.  A value's own definition does not count: the code writes
 * it last (computed in EAX and moved, dest_reg() in emit.c, or written in
 * place where the operation allows, direct_reg), and that write is not
 * recorded (def_write, store_vreg, edge_copies) — except that at block
 * heads and terminators, which define several values (phi copies), the
 * other writes there do count.  The emitted code differs from the dry
 * run's wherever an allocation changed, so cg_scratch_verify checks each
 * result against a new recording (jit.c second_round). */

/* No instruction in v's ranges writes register r (per c->wm).  Code
 * emitted for a call reads nothing after the call instruction. */
static bool range_free(struct codegen *c, uint32_t v, int r)
{
	const struct live_ranges *rl = &c->ra->rl;
	if (!c->wm)
		return false;
	for (uint32_t i = rl->off[v]; i < rl->off[v] + rl->n[v]; i++) {
		int32_t s = rl->s[i], e = rl->e[i];
		uint32_t ks = s < 0 ? 0 : (uint32_t)s / 4, ke = e < 0 ? 0 : (uint32_t)e / 4;
		if (ke >= c->nk)
			ke = c->nk ? c->nk - 1 : 0;
		/* the defining instruction itself, unless a head or terminator */
		bool include_def = i > rl->off[v] || s < 0 || s % 4 == 0;
		if (!include_def && ks < c->nk) {
			struct ir_inst *t = c->ra->vi[c->kinst[ks]];
			include_def = t && t->parent && t->parent->last == t;
		}
		for (uint32_t k = include_def ? ks : ks + 1; k <= ke && k < c->nk; k++) {
			/* where v dies at a call (an argument), the call's
			 * clobbers come after the read: they do not count */
			uint16_t m = c->wm[c->kinst[k]];
			if (k == ke && e % 4 == 1)
				m &= 0xff;
			if ((m | m >> 8) & (1u << r))
				return false;
		}
	}
	return true;
}

bool cg_regalloc_wide(struct codegen *c, const struct cg_loc *keep)
{
	static const int8_t regs[6] = { X_ECX, X_EDX, X_EBX, X_ESI, X_EDI, X_EBP };
	if (!c->ra || !c->wm || !c->kinst)
		return false;
	/* phis feeding spilled phis join them, as in the first round; the
	 * first round's choices were made with fewer registers */
	memset(c->ra->stay, 0, c->nv + 1);
	for (int round = 0; round < 3; round++)
		if (!linear_scan(c, regs, c->espf ? 6 : 5, keep))
			return false;
		else if (!spill_phi_links(c))
			break;
	set_saved(c);
	return true;
}

bool cg_scratch_verify(struct codegen *c, bool demote)
{
	bool ok = true;
	if (!c->ra)
		return true;
	for (uint32_t i = 0; i < c->ra->n; i++) {
		uint32_t v = c->ra->order[i];
		struct cg_loc *l = &c->loc[v];
		if (l->kind == L_REG && (l->reg == X_ECX || l->reg == X_EDX) && !range_free(c, v, l->reg)) {
			ok = false;
			if (demote)
				l->kind = L_NONE;
		}
	}
	return ok;
}
