/* servers/jit/cg/ranges.c: live ranges and interference (tier >= 1).
 *
 * An interval is a sorted list of ranges: per block, from the first to
 * the last point the vreg is live there (the block's whole extent when
 * it is live through), with ranges of consecutive blocks merged.  Two
 * vregs may share a register when no ranges meet, so a value live
 * around one loop and after another leaves the register free in between
 * (lifetime holes).  Within a block a definition starts a new range (a
 * direct phi written by the terminator of the block that reads it, a
 * promoted alloca stored again); otherwise the range is the hull of the
 * block's points.  Two vregs interfere when their ranges meet
 * other than where one is copied into the other (interfere).
 *
 * requires: the live sets and the phi scheme (live.c)
 * provides: hulls, loop-weighted uses and ranges per vreg (the
 *           intervals linear scan allocates, rega.c) */
#include <string.h>
#include "servers/jit/cg/live.h"

void extend_interval(struct liveness *l, uint32_t v, int32_t p)
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
void flush_range(struct liveness *l, uint32_t v)
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
	cg_fuel(l->c, (uint64_t)nv + l->nrange);
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

/* Hulls, weights and ranges, walking every block from its live-in set
 * to its live-out set. */
bool build_intervals(struct liveness *l, struct live_ranges *rl)
{
	struct codegen *c = l->c;
	struct ir_func *f = c->f;
	struct ir_arena *a = c->a;
	uint32_t nv = c->nv, W = l->W;
	for (uint32_t v = 0; v < nv; v++) {
		l->start[v] = INT32_MAX;
		l->end[v] = INT32_MIN;
	}
	l->intervals = true;
	l->bs = ir_arena_alloc(a, 4ull * nv + 4, 4);
	l->be = ir_arena_alloc(a, 4ull * nv + 4, 4);
	l->stamp = ir_arena_alloc(a, 4ull * nv + 4, 4);
	l->touched = ir_arena_alloc(a, 4ull * nv + 4, 4);
	if (!l->bs || !l->be || !l->stamp || !l->touched)
		return false;
	l->curstamp = 1;
	for (uint32_t i = 0; i < f->nparams; i++)
		extend_interval(l, f->params[i].v.id, -1);
	flush_ranges(l);
	for (uint32_t bi = 0; bi < f->nblocks; bi++) {
		if (!c->reach[bi])
			continue;
		struct ir_block *b = f->blocks[bi];
		if (!b->first)
			continue;
		l->curstamp = bi + 2;
		int32_t from = 4 * (int32_t)l->pos[b->first->v.id];
		int32_t to = 4 * (int32_t)l->pos[b->last->v.id] + 3;
		uint32_t *in = l->in + (size_t)bi * W, *out = l->out + (size_t)bi * W;
		uint32_t d = l->depth[bi] > 4 ? 4 : l->depth[bi];
		l->curw = 1u << (3 * d);
		cg_fuel(c, 2ull * W);
		for (uint32_t w = 0; w < W; w++)
			for (uint32_t x = in[w]; x; x &= x - 1)
				extend_interval(l, 32 * w + (uint32_t)__builtin_ctz(x), from);
		scan_block(l, b);
		for (uint32_t w = 0; w < W; w++)
			for (uint32_t x = out[w]; x; x &= x - 1)
				extend_interval(l, 32 * w + (uint32_t)__builtin_ctz(x), to);
		flush_ranges(l);
	}
	l->stamp = NULL;
	return build_ranges(l, rl, nv);
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
	cg_fuel(c, ph->nops);
	struct ir_value *x = ir_phi_incoming(ph, from);
	x = x ? cg_canon(c, x) : NULL;
	return x && cg_is_var(x) && x->id == src;
}

/* Whether [lo, hi] is the head point of the block of phi `dst`, where
 * its temporary `src` is copied into it (live.c scan_block: the
 * temporary's last use and the phi's definition): there the two hold
 * the same value, so a loop's phi may live in its temporary's register
 * and the head's copy vanishes.  The head's copies are parallel; every
 * other phi there still meets this temporary. */
static bool head_copy(struct codegen *c, struct ir_inst **vi, uint32_t dst, uint32_t src,
		      int32_t lo, int32_t hi)
{
	struct ir_inst *ph = vi[dst];
	if (lo != hi || lo < 0 || lo % 4 != 0 || !ph || ph->op != IR_OP_PHI || ph->v.id != dst ||
	    (c->fl[dst] & F_PHIDIRECT) || c->phitmp[dst] != src)
		return false;
	return (uint32_t)lo / 4 < c->nk && c->kinst[lo / 4] == ph->parent->first->v.id;
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
	cg_fuel(c, pa->nops + pb->nops);
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
 * copies of one value (sibling_copies), or at a loop head where a phi
 * is copied from its temporary (head_copy). */
bool interfere(struct codegen *c, struct ir_inst **vi, const struct live_ranges *r, uint32_t a, uint32_t b)
{
	uint32_t i = r->off[a], ie = i + r->n[a], j = r->off[b], je = j + r->n[b];
	cg_fuel(c, 1ull + r->n[a] + r->n[b]);
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
		    !head_copy(c, vi, a, b, lo, hi) && !head_copy(c, vi, b, a, lo, hi) &&
		    !sibling_copies(c, vi, a, b, lo, hi))
			return true;
		if (r->e[i] < r->e[j])
			i++;
		else
			j++;
	}
	return false;
}

/* No instruction in v's ranges writes register r (per c->wm).  Code
 * emitted for a call reads nothing after the call instruction. */
bool range_free(struct codegen *c, uint32_t v, int r)
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
			cg_fuel(c, 1);
			if (k == ke && e % 4 == 1)
				m &= 0xff;
			if ((m | m >> 8) & (1u << r))
				return false;
		}
	}
	return true;
}

/* v is read for the last time by `in`: the range holding in's use point
 * ends there, so v's register is free from there on (isel_fp.c). */
bool cg_dies_at(struct codegen *c, struct ir_inst *in, struct ir_value *v)
{
	v = cg_canon(c, v);
	if (!cg_is_var(v) || !c->ra || !c->kpos || v->id >= c->nv || in->v.id >= c->f->nvalues)
		return false;
	const struct live_ranges *rl = &c->ra->rl;
	int32_t p = 4 * (int32_t)c->kpos[in->v.id] + 1;
	for (uint32_t i = rl->off[v->id]; i < rl->off[v->id] + rl->n[v->id]; i++)
		if (rl->s[i] <= p && p <= rl->e[i])
			return rl->e[i] == p;
	return false;
}
