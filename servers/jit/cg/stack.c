/* servers/jit/cg/stack.c: the stack frame's layout — a location for
 * every value (cg_assign_slots): a stack slot for each value without a
 * register
 * (one per class of the phi webs slots.c coalesced), the frame objects
 * of static allocas, the scratch and cycle-count slots, the offsets of
 * the arguments the caller pushed.  Slot offsets are relative to the
 * frame pseudo-register (x86.h X_FP) and never 0.
 *
 * requires: opt.c's flags, the allocation (rega.c: registers; c->srep)
 * provides: c->loc for every value, c->frame, c->scratch, c->cycles,
 *           the slots of the pooled FP constants (c->fpk[].off) */
#include <string.h>
#include "servers/jit/cg/cg.h"

static int32_t new_slot(struct codegen *c, uint32_t size, uint32_t align)
{
	if (align < 4)
		align = 4;
	if (align > 16)
		align = 16;
	c->frame += (int32_t)((size + 3) & ~3u);
	c->frame = (c->frame + (int32_t)align - 1) & ~((int32_t)align - 1);
	return -(4 * c->nsaved + c->frame);
}

static uint32_t slot_size(const struct ir_type *t)
{
	uint32_t b = cg_type_bits(t);
	if (b && b <= 32)
		return 4;
	if (b > 64)
		return 16; /* i65..i128: four words (isel_wide.c) */
	if (b)
		return 8;
	uint64_t s = ir_type_size(t);
	if (s == 0 || s > 4096)
		return 8;
	return (uint32_t)s;
}

/* The stack slot of spilled vreg v: shared with the other values of its
 * class when slots.c coalesced it (soff: offset per representative, 0
 * until placed; slot offsets are never 0). */
static int32_t vreg_slot(struct codegen *c, int32_t *soff, uint32_t v, uint32_t size)
{
	if (!c->srep || !soff)
		return new_slot(c, size, 4);
	uint32_t r = c->srep[v];
	if (!soff[r])
		soff[r] = new_slot(c, size, 4);
	return soff[r];
}

/* Frame layout: a stack slot for every value without a register
 * (shared by the members of a phi web, slots.c), the frame objects of
 * static allocas, the scratch and cycle-count slots, the offsets of the
 * arguments on the stack. */
void cg_assign_slots(struct codegen *c)
{
	struct ir_func *f = c->f;
	int32_t *soff = NULL;
	if (c->srep) {
		soff = ir_arena_alloc(c->a, 4ull * c->nv + 4, 4);
		if (soff)
			memset(soff, 0, 4ull * c->nv + 4);
	}
	c->frame = 0;
	c->scratch = new_slot(c, 16, 4);
	c->cycles = c->tier == 0 && !c->opt->no_counters ? new_slot(c, 16, 4) : 0;
	uint32_t argoff = 8, nreg = c->regp[f->v.id];
	for (uint32_t i = 0; i < f->nparams; i++) {
		struct cg_loc *l = &c->loc[f->params[i].v.id];
		if (i < nreg) {
			/* arrives in ECX/EDX (conv.c); the prologue puts it in
			 * its register or in a frame slot */
			if (l->kind != L_REG) {
				l->kind = L_SLOT;
				l->off = new_slot(c, 4, 4);
			}
			continue;
		}
		uint32_t sz = slot_size(f->params[i].v.type);
		const struct ir_attrs *at = &f->params[i].attrs;
		if ((at->flags & IR_ATTR_BYVAL) && at->type) {
			/* the argument is the address of the copy on the stack */
			sz = (uint32_t)ir_type_size(at->type);
			l->kind = L_FRAME;
		} else if (l->kind != L_REG) {
			l->kind = L_SLOT;
		}
		l->off = (int32_t)argoff;
		argoff += (sz + 3) & ~3u;
	}
	c->va_off = (int32_t)argoff; /* cdecl: the variadic ones follow */
	for (uint32_t i = 0; i < c->nfpk; i++)
		c->fpk[i].off = new_slot(c, 8, 4); /* xmm.c xmm_pool */
	cg_fuel(c, f->nparams + (c->srep ? c->nv : 0));
	for (uint32_t bi = 0; bi < f->nblocks; bi++) {
		if (c->reach && !c->reach[bi])
			continue;
		cg_fuel(c, 1 + f->blocks[bi]->ninsts);
		for (struct ir_inst *in = f->blocks[bi]->first; in; in = in->next) {
			uint32_t id = in->v.id;
			uint8_t fl = c->fl[id];
			struct cg_loc *l = &c->loc[id];
			if (fl & (F_DEAD | F_FUSED | F_FOLDADDR | F_ALIAS))
				continue;
			if (fl & F_CONST) {
				l->kind = L_CONST;
				continue;
			}
			if (l->kind == L_REG || l->kind == L_XMM) {
				if (in->op == IR_OP_PHI && !(fl & F_PHIDIRECT))
					goto temp;
				continue;
			}
			if (in->op == IR_OP_ALLOCA && (fl & F_PROMOTED)) {
				l->kind = L_SLOT;
				l->off = new_slot(c, 4, 4);
				continue;
			}
			if (in->op == IR_OP_ALLOCA && (fl & F_STATIC)) {
				uint64_t n = 1;
				struct cg_const k;
				if (cg_const(c, ir_op(in, 0), &k))
					n = k.v;
				uint64_t sz = ir_type_size(in->alloc_type) * n;
				if (sz == 0)
					sz = 4;
				l->kind = L_FRAME;
				l->off = new_slot(c, (uint32_t)sz, in->align ? in->align : 4);
				continue;
			}
			if (in->v.type->kind == IR_TY_VOID)
				continue;
			l->kind = L_SLOT;
			l->off = vreg_slot(c, soff, id, slot_size(in->v.type));
		temp:
			if (in->op == IR_OP_PHI && !(fl & F_PHIDIRECT)) {
				struct cg_loc *t = &c->loc[c->phitmp[id]];
				if (t->kind != L_REG && t->kind != L_XMM) {
					t->kind = L_SLOT;
					t->off = vreg_slot(c, soff, c->phitmp[id], slot_size(in->v.type));
				}
			}
		}
	}
}
