/* servers/jit/cg/dead.c: dead stores into stack slots (tier >= 2).
 *
 * Dead-store elimination over stack slots.  Reload elision
 * (emit.c) means a value stored from EAX (EDX:EAX) and used only by the
 * next instruction is never read back from its slot.  A dry run of the
 * emission with the final allocation records every frame word any
 * instruction reads (x86_buf.fpread); the words of scalar values' slots
 * that nothing read are dead, and the real emission drops the plain
 * stores into them.  Only those words qualify: frame objects (allocas)
 * are reached through pointers as well, which the encoder cannot see.
 * The real emission is the dry run minus those stores, so it reads
 * exactly the same words.  NULL when there is nothing to drop.
 * *unused: the code needs no frame words at all (the prologue then
 * allocates none, see cg_emit_func).
 *
 * requires: the final allocation and frame layout (stack.c), a dry run
 *           of the emission (emit.c cg_dry_run)
 * provides: the dead frame words (x86_buf.fpdead) and whether no frame
 *           is needed at all (c->noframe) */
#include <string.h>
#include "servers/jit/cg/cg.h"

/* The words of vreg v's slot (w bits) that no instruction read become
 * dead; true when any did. */
static bool mark_unread(struct codegen *c, const uint8_t *rd, uint8_t *dead, uint32_t v, uint32_t w)
{
	struct cg_loc *l = &c->loc[v];
	bool any = false;
	uint32_t k;
	if (l->kind != L_SLOT || l->off >= 0)
		return false;
	for (int32_t d = l->off; d < l->off + (w > 32 ? 8 : 4); d += 4)
		if (x86_fp_word(&c->b, d, &k) && !(rd[k] & 1)) {
			dead[k] = 1;
			any = true;
		}
	return any;
}

uint8_t *cg_dead_stores(struct codegen *c, bool *unused)
{
	*unused = false;
	struct ir_func *f = c->f;
	uint32_t n = (uint32_t)(4 * c->nsaved + c->frame) / 4 + 2;
	uint8_t *rd = ir_arena_alloc(c->a, n, 1), *dead = ir_arena_alloc(c->a, n, 1);
	if (!rd || !dead)
		return NULL;
	cg_fuel(c, n / 8 + f->ninsts);      /* the frame's words, the values */
	memset(rd, 0, n);
	memset(dead, 0, n);
	c->b.fpread = rd;
	c->b.fpn = n;
	bool ok = cg_dry_run(c);
	c->b.fpread = NULL;
	if (!ok)
		return NULL;
	bool any = false;
	for (uint32_t bi = 0; bi < f->nblocks; bi++)
		for (struct ir_inst *in = f->blocks[bi]->first; in; in = in->next) {
			if (in->op == IR_OP_ALLOCA || (c->reach && !c->reach[bi]))
				continue;
			uint32_t w = cg_type_bits(in->v.type);
			if (w == 0 || w > 64)
				continue;
			/* the value, and a phi's temporary */
			any |= mark_unread(c, rd, dead, in->v.id, w);
			if (in->op == IR_OP_PHI && c->phitmp[in->v.id] >= f->nvalues)
				any |= mark_unread(c, rd, dead, c->phitmp[in->v.id], w);
		}
	/* no word read, none written but dead ones: no frame at all */
	*unused = true;
	for (uint32_t k = 0; k < n; k++)
		if ((rd[k] & 1) || ((rd[k] & 2) && !dead[k]))
			*unused = false;
	return any ? dead : NULL;
}
