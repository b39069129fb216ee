/* servers/jit/mid/layout.c: block layout (tier >= 2), on the clone made by
 * inline.c (block order and value ids of the module's IR never change).
 *
 * A loop latch (a block ending in a conditional branch whose one
 * successor is itself or an earlier block) gets its exit block placed
 * right after it, so the branch back is one jcc and the exit falls
 * through, instead of jcc + jmp on every iteration.  Otherwise a block
 * whose successors are both elsewhere gets a later one entered only from
 * it as its fall-through, and a jump to a block entered only from here
 * becomes a fall-through.  Only a block whose single incoming edge comes
 * from the block it is placed after is moved: its immediate dominator is
 * then that block, which precedes it, and no block dominated by it can be
 * passed over (they are all reached through that block), so the layout
 * keeps every block after its dominators when it did before.  A block
 * moves at most 4 times, which bounds the pass.
 *
 * requires: a clone (inline.c, unroll.c), blocks after their dominators
 * provides: the blocks in their final order, renumbered */
#include <string.h>
#include "servers/jit/mid/mid.h"

/* the successor blocks of a br, one per edge */
static uint32_t nedges(struct ir_inst *t, struct ir_block **out, uint32_t cap)
{
	uint32_t n = 0;
	if (!t)
		return 0;
	if (t->op == IR_OP_BR) {
		for (uint32_t i = t->nops == 1 ? 0 : 1; i < t->nops && n < cap; i++)
			if (ir_as_block(ir_op(t, i)))
				out[n++] = ir_as_block(ir_op(t, i));
	}
	return n;
}

void mid_layout(struct codegen *c, struct ir_func *f)
{
	struct ir_arena *a = c->a;
	uint32_t n = f->nblocks;
	if (n < 3)
		return;
	uint32_t *npred = ir_arena_alloc(a, sizeof(uint32_t) * n, 4);
	uint8_t *moved = ir_arena_alloc(a, n, 1);
	if (!npred || !moved)
		return;
	struct ir_block *e[2];
	cg_fuel(c, 2ull * n);
	for (uint32_t bi = 0; bi < n; bi++) {
		struct ir_inst *t = f->blocks[bi]->last;
		if (!t || f->blocks[bi]->v.id != bi)
			return;
		cg_fuel(c, t->nops);
		if (t->op == IR_OP_SWITCH) {
			/* default ops[1], cases ops[3], ops[5], ... */
			for (uint32_t i = 1; i < t->nops; i += 2) {
				struct ir_block *s = ir_as_block(ir_op(t, i));
				if (s)
					npred[s->v.id]++;
			}
		} else if (t->op == IR_OP_BR) {
			uint32_t k = nedges(t, e, 2);
			for (uint32_t i = 0; i < k; i++)
				npred[e[i]->v.id]++;
		} else if (t->op != IR_OP_RET && t->op != IR_OP_UNREACHABLE) {
			return; /* anything else: leave the layout alone */
		}
	}
	/* npred[] is keyed by v.id (the order before layout, unchanged until
	 * ir_renumber); index follows the blocks as they move */
	struct ir_block **bl = f->blocks;
	for (uint32_t i = 0; i < n; i++)
		bl[i]->index = i;
	for (uint32_t i = 0; i < n; i++) {
		struct ir_block *B = bl[i];
		struct ir_inst *t = B->last;
		if (t->op != IR_OP_BR)
			continue;
		struct ir_block *E = NULL;
		if (t->nops == 1) {
			/* a jump to a block entered only from here: fall through */
			struct ir_block *D = ir_as_block(ir_op(t, 0));
			if (D && D != B && D->index != 0 && D->index != i + 1 && npred[D->v.id] == 1 &&
			    moved[D->v.id] < 4)
				E = D;
		} else {
			struct ir_block *T = ir_as_block(ir_op(t, 1)), *F = ir_as_block(ir_op(t, 2));
			if (!T || !F || T == F || T->index == i + 1 || F->index == i + 1)
				continue;
			/* the exit: the successor other than a back edge (to B itself
			 * or an earlier block), entered only from B */
			struct ir_block *cand[2] = { F, T }, *other[2] = { T, F };
			for (int k = 0; k < 2 && !E; k++) {
				struct ir_block *X = cand[k];
				if (other[k]->index <= i && X != B && X->index != 0 &&
				    npred[X->v.id] == 1 && moved[X->v.id] < 4)
					E = X;
			}
			/* else a later successor entered only from B */
			for (int k = 0; k < 2 && !E; k++) {
				struct ir_block *X = cand[k];
				if (X->index > i + 1 && npred[X->v.id] == 1 && moved[X->v.id] < 4)
					E = X;
			}
		}
		if (!E)
			continue;
		/* a block moves at most 4 times (no cycling, e.g. between two
		 * blocks of an unreachable loop) */
		moved[E->v.id]++;
		cg_fuel(c, 2ull * n);
		uint32_t from = E->index;
		if (from > i) {
			/* move E up to i+1 */
			memmove(&bl[i + 2], &bl[i + 1], sizeof(void *) * (from - i - 1));
			bl[i + 1] = E;
		} else {
			/* move E down to just after B (B shifts up by one) */
			memmove(&bl[from], &bl[from + 1], sizeof(void *) * (i - from));
			bl[i] = E;
			i--; /* the next round looks at E, now at i */
		}
		for (uint32_t k = 0; k < n; k++)
			bl[k]->index = k;
	}
	ir_set_blocks(f, bl, n);
}
