/* servers/jit/cg/scratch.c: ECX and EDX for values (tier 3).
 *
 * The second round: linear scan again, over ECX and EDX as well,
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
 * result against a new recording (jit.c second_round).
 *
 * requires: the first allocation (rega.c: c->ra, c->kinst), a dry run's
 *           c->wm
 * provides: an allocation over ECX/EDX as well, verified */
#include <string.h>
#include "servers/jit/cg/live.h"

bool cg_regalloc_wide(struct codegen *c, const struct cg_loc *keep)
{
	static const int8_t regs[6] = { X_ECX, X_EDX, X_EBX, X_ESI, X_EDI, X_EBP };
	if (!c->ra || !c->wm || !c->kinst)
		return false;
	/* phis feeding spilled phis join them, as in the first round; the
	 * first round's choices were made with fewer registers */
	memset(c->ra->stay, 0, c->nv + 1);
	return allocate(c, regs, c->espf ? 6 : 5, keep);
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
