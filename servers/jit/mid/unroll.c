/* servers/jit/mid/unroll.c: loop unrolling (tier 3), on the clone made by
 * inline.c (the module's IR never changes).
 *
 * A natural loop is a header H with a back edge from a latch L that H
 * dominates; its body is H plus every block that reaches L without
 * passing through H.  An innermost loop with one back edge and at most
 * UNR_MAX instructions is unrolled by 4 (by 2 when the function's budget
 * is short): the body is copied U-1 times, copy k's header takes the
 * values its phis would have received from copy k-1's latch (so copies
 * 1..U-1 have no header phis), copy k-1's back edge enters copy k, and
 * the last copy's back edge returns to H, whose phis now take the last
 * copy's values.
 *
 * Every copy keeps every exit branch of the body (no trip count is
 * computed, no remainder loop is needed): the copies execute exactly the
 * iterations the loop would have, one after the other, and leave at the
 * same test, so any trip count (0, 1, not a multiple of U, unknown, or
 * data-dependent) is correct.  What is gained on x86: the back-edge jump
 * and the header phi copies (register moves, or stores to slots when
 * spilled) happen once per U iterations, and the straight-line copies
 * let the later passes (constant folding, address folding) see
 * consecutive iterations in one block sequence.
 *
 * Values of the loop used after it: an exit block's phi with an incoming
 * from a body block gets one more incoming per copy (the copy's value
 * from the copy's block).  Any other use outside the body (clang's -O2
 * output is not always in LCSSA form) first gets an LCSSA phi in the
 * exit block — only when that is the loop's single exit block, entered
 * only from the body, and the value's block dominates every edge into it
 * (then the exit block dominates every such use).
 *
 * Exit edges get a block of their own (a `br` to the exit) when the exit
 * has phis: the code generator makes the phi copies of a conditional
 * branch before the branch, so without the split every copy would pay
 * them on every iteration.  The last copy's exit edge is split too, so
 * that block layout puts that block after the latch and the back edge is
 * one jcc.  A split block follows its copy in the layout (intervals are
 * hulls of layout positions: a value leaving copy k then is not live
 * across the later copies).
 *
 * Heuristics, measured on bench/jit (only EBX/ESI/EDI/EBP are allocated
 * and intervals have no holes, so an unrolled body keeps more values live
 * at once; the allocation is function-wide, so unrolling one loop can
 * also change the spills elsewhere): a loop is unrolled only when at most
 * UNR_LIVE values live through it (header phis and values from outside
 * used inside), it has a single exit edge (a loop with several is
 * typically a search that leaves after a few iterations), and it makes
 * no call (a call costs far more than the back edge saved, and what lives
 * across it competes for the same four registers).  Larger loops (clang
 * -O2 has often unrolled them already) lost as often as they gained.
 * The transformation itself handles several exit edges, calls and bodies
 * up to UNR_MAX_ALL instructions (by 2 above UNR_MAX): jit_opts.unroll_all
 * turns the heuristics off, the differential tests run that too (t3u).
 *
 * Skipped (left unchanged): loops with several back edges or containing
 * another loop, loops with a switch or an alloca in the body, unreachable
 * blocks in the body, a branch with both edges to one block, uses outside
 * the loop that cannot be given an LCSSA phi, functions with
 * indirectbr/invoke/callbr terminators, and whatever does not fit the
 * per-function budget (UNR_BUDGET added instructions) or the scratch
 * arena.  Memory for a loop is allocated before anything is changed, so
 * running short leaves the loop as it was.
 *
 * requires: a clone (inline.c) with its use lists
 * provides: the clone with loops unrolled, renumbered; the copies laid
 *           out after the loop */
#include <string.h>
#include "servers/jit/mid/mid.h"

enum {
	UNR_MAX = 16,           /* loop size, IR instructions (phis included) */
	UNR_MAX_ALL = 40,       /* ... with jit_opts.unroll_all (by 2 above UNR_MAX) */
	UNR_LIVE = 3,           /* values live through the loop */
	UNR_BUDGET = 400,       /* instructions added to one function */
	UNR_LOOPS = 64,         /* loop headers looked at per function */
	UNR_EXITS = 8,          /* distinct exit blocks of one loop */
};

#define NONE 0xffffffffu

struct unroller {
	struct codegen *c;      /* its budget (cg_fuel) */
	struct ir_func *f;
	struct ir_arena *a;
	uint32_t capb, cape, capv;      /* bounds of the tables below */
	/* CFG of the current round (block indices = layout positions) */
	uint32_t *predoff;              /* block -> first pred in preds[] */
	uint32_t *preds;                /* one entry per edge */
	uint32_t *rpo;                  /* block -> reverse postorder number */
	uint32_t *order;                /* reverse postorder -> block */
	uint32_t *idom;                 /* block -> immediate dominator */
	uint32_t *nback, *latch;        /* back edges into a block, one source */
	uint32_t *stk, *it;             /* DFS / worklist scratch */
	/* the loop being looked at */
	uint32_t stamp;
	uint32_t *bstamp, *bloc;        /* block in body when bstamp == stamp */
	uint32_t *vstamp, *vloc;        /* instruction id -> index in ins[] */
	uint32_t *vstamp2, stamp2;      /* outside value counted as live */
	uint32_t *body, nb;             /* body blocks in layout order */
	struct ir_inst **ins;           /* body instructions in layout order */
	uint8_t *direct;                /* ins[j] has uses needing an LCSSA phi */
	uint32_t s;                     /* body instructions */
	uint32_t per;                   /* instructions one copy adds */
	/* exit edges (body block ebl[i], operand slot esl[i] of its branch,
	 * into exits[exi[i]]); xphi[e]: exit e has phis (or will have an
	 * LCSSA phi) */
	uint32_t ne, ebl[2 * UNR_MAX_ALL], esl[2 * UNR_MAX_ALL], exi[2 * UNR_MAX_ALL];
	bool xphi[UNR_EXITS];
	/* per function */
	struct ir_block **done;         /* headers handled or rejected */
	uint32_t ndone;
	uint32_t added;
	bool all;                       /* jit_opts.unroll_all: no heuristics */
	uint32_t max;                   /* loop size limit */
};

static uint32_t nsucc(const struct ir_inst *t)
{
	if (!t)
		return 0;
	if (t->op == IR_OP_BR)
		return t->nops == 1 ? 1 : 2;
	if (t->op == IR_OP_SWITCH)
		return 1 + (t->nops - 2) / 2;
	return 0;
}

static struct ir_block *succ_block(const struct ir_inst *t, uint32_t k)
{
	if (t->op == IR_OP_BR)
		return ir_as_block(ir_op(t, t->nops == 1 ? 0 : 1 + k));
	return ir_as_block(ir_op(t, 1 + 2 * k));       /* switch: default, cases */
}

static bool dominates(struct unroller *u, uint32_t a, uint32_t b)
{
	while (b != a && b != 0) {
		cg_fuel(u->c, 1);
		b = u->idom[b];
	}
	return b == a;
}

/* Predecessors, reverse postorder and dominators (Cooper, Harvey and
 * Kennedy's iteration) of the function as it is now.  False when the
 * function has a terminator whose edges are not all known here. */
static bool analyse(struct unroller *u)
{
	struct ir_func *f = u->f;
	uint32_t n = f->nblocks, ne = 0;
	if (n > u->capb)
		return false;
	cg_fuel(u->c, 8ull * n);
	memset(u->predoff, 0, sizeof(uint32_t) * (n + 1));
	for (uint32_t bi = 0; bi < n; bi++) {
		struct ir_inst *t = f->blocks[bi]->last;
		if (!t || f->blocks[bi]->index != bi)
			return false;
		if (t->op != IR_OP_BR && t->op != IR_OP_SWITCH && t->op != IR_OP_RET &&
		    t->op != IR_OP_UNREACHABLE)
			return false;
		cg_fuel(u->c, 4ull * nsucc(t));
		for (uint32_t k = 0; k < nsucc(t); k++) {
			struct ir_block *s = succ_block(t, k);
			if (!s || s->parent != f || s->index >= n || f->blocks[s->index] != s)
				return false;
			u->predoff[s->index + 1]++;
			ne++;
		}
	}
	if (ne > u->cape)
		return false;
	for (uint32_t bi = 0; bi < n; bi++)
		u->predoff[bi + 1] += u->predoff[bi];
	for (uint32_t bi = 0; bi < n; bi++)
		u->it[bi] = u->predoff[bi];
	for (uint32_t bi = 0; bi < n; bi++) {
		struct ir_inst *t = f->blocks[bi]->last;
		for (uint32_t k = 0; k < nsucc(t); k++)
			u->preds[u->it[succ_block(t, k)->index]++] = bi;
	}
	/* postorder by an explicit DFS from the entry */
	for (uint32_t bi = 0; bi < n; bi++) {
		u->rpo[bi] = NONE;
		u->it[bi] = 0;
	}
	uint32_t sp = 0, np = 0;
	u->stk[sp++] = 0;
	u->rpo[0] = 0;          /* visited (numbered properly below) */
	while (sp) {
		uint32_t b = u->stk[sp - 1];
		struct ir_inst *t = f->blocks[b]->last;
		if (u->it[b] < nsucc(t)) {
			uint32_t s = succ_block(t, u->it[b]++)->index;
			if (u->rpo[s] == NONE) {
				u->rpo[s] = 0;
				u->stk[sp++] = s;
			}
			continue;
		}
		sp--;
		u->order[np++] = b;
	}
	/* reverse */
	for (uint32_t i = 0; i < np / 2; i++) {
		uint32_t x = u->order[i];
		u->order[i] = u->order[np - 1 - i];
		u->order[np - 1 - i] = x;
	}
	for (uint32_t i = 0; i < np; i++)
		u->rpo[u->order[i]] = i;
	uint64_t steps = u->c->fuel > 0 ? (uint64_t)u->c->fuel : 0, left = steps;
	bool ok = ir_idoms(n, np, u->order, u->rpo, u->predoff, u->preds, u->idom, &left);
	cg_fuel(u->c, steps - left + (left == 0));
	if (!ok)
		return false;
	/* back edges: to a block that dominates the edge's source */
	for (uint32_t bi = 0; bi < n; bi++)
		u->nback[bi] = 0;
	for (uint32_t bi = 0; bi < n; bi++) {
		if (u->rpo[bi] == NONE)
			continue;
		struct ir_inst *t = f->blocks[bi]->last;
		for (uint32_t k = 0; k < nsucc(t); k++) {
			uint32_t s = succ_block(t, k)->index;
			if (dominates(u, s, bi)) {
				u->nback[s]++;
				u->latch[s] = bi;
			}
		}
	}
	return true;
}

static bool in_body(struct unroller *u, const struct ir_value *b)
{
	const struct ir_block *bb = ir_as_block((struct ir_value *)b);
	return bb && u->bstamp[bb->index] == u->stamp;
}

static bool body_value(struct unroller *u, const struct ir_value *v)
{
	return v->kind == IR_VAL_INST && v->id < u->capv && u->vstamp[v->id] == u->stamp;
}

/* A use of body value ins[j] outside the body that is not an exit phi's
 * incoming from a body block. */
static bool direct_use(struct unroller *u, const struct ir_use *x)
{
	struct ir_inst *in = x->user;
	if (in_body(u, &in->parent->v))
		return false;
	return !(in->op == IR_OP_PHI && !(x->index & 1) && x->index + 1 < in->nops &&
		 in_body(u, ir_op(in, x->index + 1)));
}

/* Exit edge i of copy k gets a block of its own (a `br` to the exit):
 * when the exit has phis, so that their copies are made only on the way
 * out instead of before every copy's exit test, and for the last copy's
 * latch, so that block layout can place it after the latch and the back
 * edge is a single jcc. */
static bool split_edge(struct unroller *u, uint32_t i, uint32_t k, uint32_t U, uint32_t L)
{
	return u->xphi[u->exi[i]] || (u->body[u->ebl[i]] == L && k == U - 1);
}

static uint32_t nsplit(struct unroller *u, uint32_t U, uint32_t L)
{
	uint32_t n = 0;
	for (uint32_t k = 0; k < U; k++)
		for (uint32_t i = 0; i < u->ne; i++)
			n += split_edge(u, i, k, U, L);
	return n;
}

/* Collects the body of the loop H <- L (stamped), checks what the
 * transformation needs; returns the unroll factor or 0 to skip. */
static uint32_t examine(struct unroller *u, uint32_t H, uint32_t L, uint32_t *nexit, uint32_t *exits)
{
	struct ir_func *f = u->f;
	uint32_t n = f->nblocks;
	cg_fuel(u->c, 2ull * n + 2ull * u->max);
	u->stamp++;
	u->bstamp[H] = u->stamp;
	uint32_t sp = 0, size = f->blocks[H]->ninsts;
	if (L != H) {
		u->bstamp[L] = u->stamp;
		u->stk[sp++] = L;
		size += f->blocks[L]->ninsts;
	}
	while (sp) {
		uint32_t b = u->stk[--sp];
		for (uint32_t p = u->predoff[b]; p < u->predoff[b + 1]; p++) {
			uint32_t x = u->preds[p];
			if (u->bstamp[x] == u->stamp)
				continue;
			u->bstamp[x] = u->stamp;
			u->stk[sp++] = x;
			size += f->blocks[x]->ninsts;
			if (size > u->max)
				return 0;
		}
	}
	if (size > u->max)
		return 0;
	u->nb = 0;
	u->s = 0;
	uint32_t nhphi = 0;
	for (uint32_t bi = 0; bi < n; bi++) {
		if (u->bstamp[bi] != u->stamp)
			continue;
		/* innermost, reachable, and dominated by H (a natural loop) */
		if ((bi != H && u->nback[bi]) || u->rpo[bi] == NONE || !dominates(u, H, bi))
			return 0;
		u->bloc[bi] = u->nb;
		u->body[u->nb++] = bi;
		struct ir_block *B = f->blocks[bi];
		for (struct ir_inst *in = B->first; in; in = in->next) {
			if (in->v.id >= u->capv)
				return 0;
			switch (in->op) {
			case IR_OP_ALLOCA: case IR_OP_SWITCH: case IR_OP_INDIRECTBR: case IR_OP_INVOKE:
			case IR_OP_CALLBR: case IR_OP_VAARG: case IR_OP_LANDINGPAD: case IR_OP_RESUME:
				return 0;
			case IR_OP_PHI:
				if (bi == H) {
					/* exactly one incoming from the latch */
					uint32_t k = 0;
					for (uint32_t i = 1; i < in->nops; i += 2)
						if (ir_op(in, i) == &f->blocks[L]->v)
							k++;
					if (k != 1)
						return 0;
					nhphi++;
				}
				break;
			default:
				break;
			}
			/* heuristic: a call costs far more than the back edge
			 * saved, and what lives across it needs the same four
			 * callee-saved registers the copies compete for */
			if (in->op == IR_OP_CALL && !(ir_call_target(in) && ir_call_target(in)->intrinsic) &&
			    !u->all)
				return 0;
			u->vstamp[in->v.id] = u->stamp;
			u->vloc[in->v.id] = u->s;
			u->ins[u->s] = in;
			u->direct[u->s] = 0;
			u->s++;
		}
		struct ir_inst *t = B->last;
		if (t->op != IR_OP_BR || (t->nops == 3 && ir_op(t, 1) == ir_op(t, 2)))
			return 0;
	}
	/* H is entered from the body only by the one back edge */
	uint32_t hb = 0;
	for (uint32_t p = u->predoff[H]; p < u->predoff[H + 1]; p++)
		if (u->bstamp[u->preds[p]] == u->stamp)
			hb++;
	if (hb != 1)
		return 0;
	/* exit blocks and edges */
	*nexit = 0;
	u->ne = 0;
	for (uint32_t i = 0; i < u->nb; i++) {
		struct ir_inst *t = f->blocks[u->body[i]]->last;
		for (uint32_t k = 0; k < nsucc(t); k++) {
			uint32_t x = succ_block(t, k)->index, e;
			if (u->bstamp[x] == u->stamp)
				continue;
			for (e = 0; e < *nexit && exits[e] != x; e++)
				;
			if (e == *nexit) {
				if (*nexit == UNR_EXITS)
					return 0;
				exits[(*nexit)++] = x;
			}
			u->ebl[u->ne] = i;
			u->esl[u->ne] = t->nops == 1 ? 0 : 1 + k;
			u->exi[u->ne++] = e;
		}
	}
	/* heuristic: a loop with several exit edges is typically a search
	 * that leaves after a few iterations; unrolling it only adds code */
	if (u->ne > 1 && !u->all)
		return 0;
	/* uses outside the body that need an LCSSA phi */
	bool any = false;
	for (uint32_t j = 0; j < u->s; j++)
		for (struct ir_use *x = u->ins[j]->v.uses; x; x = x->next, cg_fuel(u->c, 1))
			if (direct_use(u, x)) {
				if (u->rpo[x->user->parent->index] == NONE)
					return 0;
				u->direct[j] = 1;
				any = true;
			}
	if (any) {
		if (*nexit != 1)
			return 0;
		uint32_t X = exits[0];
		for (uint32_t p = u->predoff[X]; p < u->predoff[X + 1]; p++)
			if (u->bstamp[u->preds[p]] != u->stamp)
				return 0;
		for (uint32_t j = 0; j < u->s; j++)
			for (uint32_t p = u->predoff[X]; u->direct[j] && p < u->predoff[X + 1]; p++)
				if (!dominates(u, u->ins[j]->parent->index, u->preds[p]))
					return 0;
	}
	for (uint32_t e = 0; e < *nexit; e++) {
		struct ir_inst *p = f->blocks[exits[e]]->first;
		u->xphi[e] = (p && p->op == IR_OP_PHI) || (any && e == 0);
	}
	/* register pressure: values live through the whole loop */
	uint32_t live = nhphi;
	u->stamp2++;
	for (uint32_t j = 0; j < u->s; j++) {
		struct ir_inst *in = u->ins[j];
		if (in->op == IR_OP_PHI && in->parent == f->blocks[H])
			continue;
		for (uint32_t i = 0; i < in->nops; i++) {
			struct ir_value *v = ir_op(in, i);
			if (!v || (v->kind != IR_VAL_ARG && v->kind != IR_VAL_INST) || body_value(u, v) ||
			    v->id >= u->capv || u->vstamp2[v->id] == u->stamp2)
				continue;
			u->vstamp2[v->id] = u->stamp2;
			live++;
		}
	}
	if (live > UNR_LIVE && !u->all)
		return 0;
	u->per = u->s - nhphi;          /* header phis are not copied */
	uint32_t U = u->s <= UNR_MAX ? 4 : 2;
	while (U > 1 && u->added + (U - 1) * u->per + nsplit(u, U, L) > UNR_BUDGET)
		U /= 2;
	return U > 1 ? U : 0;
}

/* value of copy k (0 = the original body) */
static struct ir_value *copy_value(struct unroller *u, struct ir_value **map, uint32_t k, struct ir_value *v)
{
	if (!v || !body_value(u, v))
		return v;
	return map[(size_t)k * u->s + u->vloc[v->id]];
}

static struct ir_value *copy_block(struct unroller *u, struct ir_block **cb, uint32_t k, struct ir_value *v)
{
	if (k == 0 || !in_body(u, v))
		return v;
	return &cb[(size_t)(k - 1) * u->nb + u->bloc[((struct ir_block *)v)->index]]->v;
}

/* Unrolls the loop H <- L examined last (factor U).  Everything is
 * allocated first; false (nothing changed) when the arena is short. */
static bool unroll(struct unroller *u, uint32_t H, uint32_t L, uint32_t U, uint32_t nexit,
		   const uint32_t *exits)
{
	struct ir_func *f = u->f;
	struct ir_arena *a = u->a;
	struct ir_block *Hb = f->blocks[H], *Lb = f->blocks[L];
	uint32_t n = f->nblocks, s = u->s, nb = u->nb;
	size_t mark = a->used;
	/* the copies, the block list and the renumbering; uses below */
	cg_fuel(u->c, 4ull * (n + f->ninsts) + 16ull * U * (s + nb));
	/* the later passes' tables grow with the function (liveness sets
	 * are blocks x values bits): keep room for them */
	uint32_t ns = nsplit(u, U, L);
	size_t nv = f->nvalues + (size_t)(U - 1) * s + s + ns, nbl = n + (size_t)(U - 1) * nb + ns;
	size_t need = (size_t)(U - 1) * (s * (sizeof(struct ir_inst) + 3 * sizeof(struct ir_use) + 16) +
					 nb * (sizeof(struct ir_block) + 16)) +
		      ns * (sizeof(struct ir_block) + sizeof(struct ir_inst) + sizeof(struct ir_use) + 32) +
		      nbl * ((nv + 31) / 32) * 16 + nv * 160 + (64u << 10);
	if (a->size - a->used < need)
		return false;
	struct ir_value **map = ir_arena_alloc(a, sizeof(void *) * U * s, sizeof(void *));
	struct ir_inst **cp = ir_arena_alloc(a, sizeof(void *) * (U - 1) * s, sizeof(void *));
	struct ir_block **cb = ir_arena_alloc(a, sizeof(void *) * (U - 1) * nb, sizeof(void *));
	struct ir_inst **lp = ir_arena_alloc(a, sizeof(void *) * s, sizeof(void *));
	struct ir_block **nbls = ir_arena_alloc(a, sizeof(void *) * nbl, sizeof(void *));
	struct ir_block **sb = ir_arena_alloc(a, sizeof(void *) * (ns + 1), sizeof(void *));
	struct ir_inst **sbr = ir_arena_alloc(a, sizeof(void *) * (ns + 1), sizeof(void *));
	uint32_t *sk = ir_arena_alloc(a, 4ull * (ns + 1), 4);
	if (!map || !cp || !cb || !lp || !nbls || !sb || !sbr || !sk)
		goto fail;
	for (uint32_t q = 0; q < ns; q++)
		if (!(sb[q] = ir_new_block(a, f, Lb)) || !(sbr[q] = ir_copy_inst(a, Lb->last, 1)))
			goto fail;
	for (uint32_t k = 1; k < U; k++) {
		uint32_t j = 0;
		for (uint32_t i = 0; i < nb; i++) {
			struct ir_block *B = f->blocks[u->body[i]];
			struct ir_block *nbk = ir_new_block(a, f, B);
			if (!nbk)
				goto fail;
			nbk->v.name = B->v.name;
			cb[(k - 1) * nb + i] = nbk;
			for (struct ir_inst *in = B->first; in; in = in->next, j++) {
				struct ir_inst *x = NULL;
				if (!(B == Hb && in->op == IR_OP_PHI) && !(x = ir_copy_inst(a, in, in->nops)))
					goto fail;
				cp[(k - 1) * s + j] = x;
			}
		}
	}
	/* LCSSA phis: one incoming per edge into the exit block per copy */
	struct ir_block *X = nexit ? f->blocks[exits[0]] : NULL;
	uint32_t npx = X ? u->predoff[X->index + 1] - u->predoff[X->index] : 0;
	for (uint32_t j = 0; j < s; j++) {
		lp[j] = NULL;
		if (u->direct[j] && !(lp[j] = ir_new_phi(a, u->ins[j]->v.type, 2 * npx * U)))
			goto fail;
	}
	/* exit phis with incomings from the body: bigger replacements */
	uint32_t nep = 0;
	for (uint32_t e = 0; e < nexit; e++)
		for (struct ir_inst *p = f->blocks[exits[e]]->first; p && p->op == IR_OP_PHI; p = p->next)
			nep++;
	struct ir_inst **epo = ir_arena_alloc(a, sizeof(void *) * (nep + 1), sizeof(void *));
	struct ir_inst **epn = ir_arena_alloc(a, sizeof(void *) * (nep + 1), sizeof(void *));
	if (!epo || !epn)
		goto fail;
	nep = 0;
	for (uint32_t e = 0; e < nexit; e++)
		for (struct ir_inst *p = f->blocks[exits[e]]->first; p && p->op == IR_OP_PHI; p = p->next) {
			uint32_t m = 0;
			for (uint32_t i = 1; i < p->nops; i += 2)
				if (in_body(u, ir_op(p, i)))
					m++;
			if (!m)
				continue;
			epo[nep] = p;
			if (!(epn[nep] = ir_copy_inst(a, p, p->nops + 2 * m * (U - 1))))
				goto fail;
			nep++;
		}

	/* --- from here on nothing can fail --- */

	/* 1. LCSSA: uses outside the loop go through a phi in the exit */
	for (uint32_t j = 0; j < s; j++) {
		if (!lp[j])
			continue;
		struct ir_value *v = &u->ins[j]->v;
		for (struct ir_use *x = v->uses, *nx; x; x = nx) {
			nx = x->next;
			cg_fuel(u->c, 1);
			if (direct_use(u, x))
				ir_clone_change_op(x->user, x->index, &lp[j]->v);
		}
	}
	/* 2. values of each copy: a header phi of copy k is the value its
	 * back-edge incoming had in copy k-1 */
	for (uint32_t j = 0; j < s; j++)
		map[j] = &u->ins[j]->v;
	for (uint32_t k = 1; k < U; k++)
		for (uint32_t j = 0; j < s; j++) {
			struct ir_inst *in = u->ins[j];
			if (in->parent == Hb && in->op == IR_OP_PHI) {
				struct ir_value *lv = NULL;
				for (uint32_t i = 1; i < in->nops; i += 2)
					if (ir_op(in, i) == &Lb->v)
						lv = ir_op(in, i - 1);
				map[(size_t)k * s + j] = copy_value(u, map, k - 1, lv);
			} else {
				map[(size_t)k * s + j] = &cp[(k - 1) * s + j]->v;
			}
		}
	/* 3. the copies' operands; copy k's latch goes on to copy k+1, the
	 * last one's back to H */
	for (uint32_t k = 1; k < U; k++) {
		struct ir_value *next = k + 1 < U ? &cb[k * nb + u->bloc[H]]->v : &Hb->v;
		for (uint32_t j = 0; j < s; j++) {
			struct ir_inst *in = u->ins[j], *x = cp[(k - 1) * s + j];
			if (!x)
				continue;
			for (uint32_t i = 0; i < in->nops; i++) {
				struct ir_value *v = ir_op(in, i);
				if (v && v->kind == IR_VAL_BLOCK)
					v = in == Lb->last && v == &Hb->v ? next : copy_block(u, cb, k, v);
				else
					v = copy_value(u, map, k, v);
				ir_clone_set_op(x, i, v);
			}
			ir_append_inst(cb[(k - 1) * nb + u->bloc[in->parent->index]], x);
		}
	}
	/* 4. the original latch enters copy 1 */
	for (uint32_t i = 0; i < Lb->last->nops; i++)
		if (ir_op(Lb->last, i) == &Hb->v)
			ir_clone_change_op(Lb->last, i, &cb[u->bloc[H]]->v);
	/* 5. H's phis take the last copy's values from its latch */
	struct ir_block *lastL = cb[(U - 2) * nb + u->bloc[L]];
	for (struct ir_inst *p = Hb->first; p && p->op == IR_OP_PHI; p = p->next)
		for (uint32_t i = 1; i < p->nops; i += 2)
			if (ir_op(p, i) == &Lb->v) {
				ir_clone_change_op(p, i - 1, copy_value(u, map, U - 1, ir_op(p, i - 1)));
				ir_clone_change_op(p, i, &lastL->v);
			}
	/* 6. exit phis: one incoming per copy for each incoming from the body */
	for (uint32_t q = 0; q < nep; q++) {
		struct ir_inst *o = epo[q], *p = epn[q];
		uint32_t w = 0;
		for (uint32_t i = 0; i < o->nops; i++)
			ir_clone_set_op(p, w++, ir_op(o, i));
		for (uint32_t k = 1; k < U; k++)
			for (uint32_t i = 1; i < o->nops; i += 2)
				if (in_body(u, ir_op(o, i))) {
					ir_clone_set_op(p, w++, copy_value(u, map, k, ir_op(o, i - 1)));
					ir_clone_set_op(p, w++, copy_block(u, cb, k, ir_op(o, i)));
				}
		ir_clone_replace_uses(&o->v, &p->v);
		for (uint32_t i = 0; i < o->nops; i++)
			ir_clone_unlink_op(o, i);
		ir_replace_inst(o, p);
	}
	for (uint32_t j = 0; j < s; j++) {
		if (!lp[j])
			continue;
		uint32_t w = 0;
		for (uint32_t k = 0; k < U; k++)
			for (uint32_t p = u->predoff[X->index]; p < u->predoff[X->index + 1]; p++) {
				struct ir_value *P = &f->blocks[u->preds[p]]->v;
				ir_clone_set_op(lp[j], w++, copy_value(u, map, k, &u->ins[j]->v));
				ir_clone_set_op(lp[j], w++, copy_block(u, cb, k, P));
			}
		ir_prepend_inst(X, lp[j]);
	}
	/* 7. split exit edges (see split_edge); sk[q]: copy of block sb[q] */
	uint32_t q = 0;
	for (uint32_t k = 0; k < U; k++)
		for (uint32_t i = 0; i < u->ne; i++) {
			if (!split_edge(u, i, k, U, L))
				continue;
			struct ir_block *P = k ? cb[(k - 1) * nb + u->ebl[i]] : f->blocks[u->body[u->ebl[i]]];
			struct ir_block *E = sb[q];
			struct ir_inst *br = sbr[q];
			sk[q++] = k;
			struct ir_value *Xv = ir_op(P->last, u->esl[i]);
			br->op = IR_OP_BR;
			br->flags = 0;
			ir_clone_set_op(br, 0, Xv);
			ir_append_inst(E, br);
			ir_clone_change_op(P->last, u->esl[i], &E->v);
			ir_clone_retarget_phis((struct ir_block *)Xv, P, E);
		}
	/* 8. the copies follow the loop's last block, copy by copy, each in
	 * the body's order (blocks stay after their dominators) and followed
	 * by its split exit edges: a value flowing out of copy k is then live
	 * up to the end of copy k, not across the later copies (intervals
	 * are hulls of layout positions) */
	uint32_t last = 0, w = 0;
	for (uint32_t i = 0; i < nb; i++)
		if (u->body[i] > last)
			last = u->body[i];
	for (uint32_t bi = 0; bi < n; bi++) {
		nbls[w++] = f->blocks[bi];
		if (bi != last)
			continue;
		for (uint32_t k = 0; k < U; k++) {
			for (uint32_t i = 0; k && i < nb; i++)
				nbls[w++] = cb[(k - 1) * nb + i];
			for (uint32_t x = 0; x < ns; x++)
				if (sk[x] == k)
					nbls[w++] = sb[x];
		}
	}
	ir_set_blocks(f, nbls, w);
	return true;
fail:
	ir_arena_reset(a, mark);
	return false;
}

void mid_unroll(struct codegen *c, struct ir_func *f)
{
	struct unroller u;
	memset(&u, 0, sizeof u);
	u.c = c;
	u.f = f;
	u.a = c->a;
	cg_fuel(c, f->nblocks);
	struct ir_arena *a = c->a;
	size_t mark = a->used;
	/* the tables are sized once for the largest the function can grow to */
	uint32_t ne = 0;
	for (uint32_t bi = 0; bi < f->nblocks; bi++)
		ne += nsucc(f->blocks[bi]->last);
	u.capb = f->nblocks + UNR_BUDGET + 1;
	u.cape = ne + 2 * UNR_BUDGET + 2;
	u.all = c->opt->unroll_all;
	u.max = u.all ? UNR_MAX_ALL : UNR_MAX;
	u.capv = f->nvalues + UNR_BUDGET + UNR_LOOPS * UNR_MAX_ALL + 1;
	uint32_t **t[] = { &u.predoff, &u.rpo, &u.order, &u.idom, &u.nback, &u.latch, &u.stk,
			   &u.it, &u.bstamp, &u.bloc, &u.body };
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
		if (!(*t[i] = ir_arena_alloc(a, 4ull * (u.capb + 1), 4)))
			goto out;
	u.preds = ir_arena_alloc(a, 4ull * u.cape, 4);
	u.vstamp = ir_arena_alloc(a, 4ull * u.capv, 4);
	u.vloc = ir_arena_alloc(a, 4ull * u.capv, 4);
	u.vstamp2 = ir_arena_alloc(a, 4ull * u.capv, 4);
	u.ins = ir_arena_alloc(a, sizeof(void *) * (UNR_MAX_ALL + 1), sizeof(void *));
	u.direct = ir_arena_alloc(a, UNR_MAX_ALL + 1, 1);
	u.done = ir_arena_alloc(a, sizeof(void *) * UNR_LOOPS, sizeof(void *));
	if (!u.preds || !u.vstamp || !u.vloc || !u.ins || !u.direct || !u.done)
		goto out;
	/* one loop per round; the analysis is redone after each change */
	bool again = true;
	while (again && u.ndone < UNR_LOOPS) {
		again = false;
		if (f->nvalues > u.capv || !analyse(&u))
			break;
		for (uint32_t H = 0; H < f->nblocks && u.ndone < UNR_LOOPS; H++) {
			cg_fuel(c, 1);
			if (u.nback[H] != 1)
				continue;
			struct ir_block *Hb = f->blocks[H];
			uint32_t d;
			for (d = 0; d < u.ndone && u.done[d] != Hb; d++)
				;
			if (d < u.ndone)
				continue;
			u.done[u.ndone++] = Hb;
			uint32_t exits[UNR_EXITS], nexit = 0, L = u.latch[H];
			uint32_t U = examine(&u, H, L, &nexit, exits);
			if (U && unroll(&u, H, L, U, nexit, exits)) {
				u.added += (U - 1) * u.per + nsplit(&u, U, L);
				c->o->loops_unrolled++;
				again = true;
				break;
			}
		}
	}
	return;
out:
	ir_arena_reset(a, mark);
}
