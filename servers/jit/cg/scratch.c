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
 * result against a new recording (second_round below).
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
	cg_fuel(c, c->ra->n);
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

bool cg_save_alloc(struct codegen *c, struct cg_alloc *s)
{
	s->loc = ir_arena_alloc(c->a, sizeof(struct cg_loc) * (c->nv + 1), 8);
	if (!s->loc)
		return false;
	memcpy(s->loc, c->loc, sizeof(struct cg_loc) * c->nv);
	s->frame = c->frame;
	s->scratch = c->scratch;
	s->cycles = c->cycles;
	s->nsaved = c->nsaved;
	memcpy(s->saved, c->saved, sizeof s->saved);
	s->ebp_used = c->ebp_used;
	for (uint32_t i = 0; i < c->nfpk; i++)
		s->fpk_off[i] = c->fpk[i].off;
	return true;
}

void cg_restore_alloc(struct codegen *c, const struct cg_alloc *s)
{
	memcpy(c->loc, s->loc, sizeof(struct cg_loc) * c->nv);
	c->frame = s->frame;
	c->scratch = s->scratch;
	c->cycles = s->cycles;
	c->nsaved = s->nsaved;
	memcpy(c->saved, s->saved, sizeof c->saved);
	c->ebp_used = s->ebp_used;
	for (uint32_t i = 0; i < c->nfpk; i++)
		c->fpk[i].off = s->fpk_off[i];
}

/* Tier 3: the second allocation round over ECX/EDX too (scratch.c).  A dry
 * run with the first allocation records which registers each
 * instruction's code writes; the second round allocates around those
 * writes.  Dry runs with the new allocation then check it: values in
 * ECX/EDX whose ranges the new code writes into go to slots, until none
 * do (a few rounds at most, else it is given up).  Its cost is that of
 * the last dry run.  True when the allocation is in place. */
static bool second_round(struct codegen *c, const struct cg_loc *keep, uint64_t *cost)
{
	uint32_t n = c->f->nvalues + 1;
	c->wm = ir_arena_alloc(c->a, 2ull * n, 2);
	bool ok = c->wm && cg_dry_run(c) && cg_regalloc_wide(c, keep);
	for (int round = 0; ok && round < 3; round++) {
		cg_assign_slots(c);
		memset(c->wm, 0, 2ull * n);
		if (!cg_dry_run(c))
			break;
		if (cg_scratch_verify(c, true)) {
			c->wm = NULL;
			/* a push and a pop (2 bytes) per saved register are
			 * two instructions, the work of about 6 bytes of code */
			*cost = c->cost + 4u * (uint32_t)(c->nsaved + c->ebp_used);
			return true;
		}
	}
	c->wm = NULL;
	return false;
}

/* Two second rounds: one where only values the first round spilled may
 * take ECX/EDX, one that allocates all six registers afresh.  ECX/EDX
 * values can cost a move per definition (emit.c dest_reg), callee-saved ones
 * a push and pop per call, so which is better depends on the function:
 * the cheaper by the code-size estimate (loops weighted) is kept.  True
 * when one of them is in place (else the first allocation, `first`). */
bool cg_widen(struct codegen *c, const struct cg_alloc *first)
{
	struct cg_alloc narrow = { 0 };
	uint64_t cn = 0, cw = 0;
	bool have_narrow = second_round(c, first->loc, &cn) && cg_save_alloc(c, &narrow);
	cg_restore_alloc(c, first);
	if (!second_round(c, NULL, &cw)) {
		if (!have_narrow)
			return false;
		cg_restore_alloc(c, &narrow);
		return true;
	}
	if (have_narrow && cn <= cw)
		cg_restore_alloc(c, &narrow);
	return true;
}
