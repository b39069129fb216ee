/* servers/jit/cg/driver.c: the micro-JIT driver: data layout, function stubs, and per function
 * the pipeline opt -> (regalloc) -> slots -> emit.  Linking (applying
 * relocations for given load addresses) is here too. */
#include <string.h>
#include "lib/fmt.h"
#include "servers/jit/cg/cg.h"
#include "servers/jit/mid/mid.h"

void jit_out_init(struct jit_out *o, uint8_t *code, uint32_t code_cap,
		  uint8_t *data, uint32_t data_cap, struct jit_reloc *relocs,
		  uint32_t relocs_cap, struct jit_func_out *funcs, uint32_t funcs_cap)
{
	memset(o, 0, sizeof *o);
	o->code = code;
	o->code_cap = code_cap;
	o->data = data;
	o->data_cap = data_cap;
	o->relocs = relocs;
	o->relocs_cap = relocs_cap;
	o->funcs = funcs;
	o->funcs_cap = funcs_cap;
}

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

/* Emits the function to learn something about its code (registers
 * written, frame words read), then takes the code and its relocations
 * back and forgets any failure.  True when the emission succeeded. */
static bool dry_run(struct codegen *c)
{
	uint32_t len = c->b.len, nrel = c->o->nrelocs;
	bool ok = cg_emit_func(c) == 0 && !c->failed;
	c->b.len = len;
	c->b.full = false;
	c->o->nrelocs = nrel;
	c->failed = false;
	if (c->errsize)
		c->err[0] = 0;
	return ok;
}

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

/* Dead-store elimination over stack slots (tier >= 2).  Reload elision
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
 * allocates none, see cg_emit_func). */
static uint8_t *dead_slot_words(struct codegen *c, bool *unused)
{
	*unused = false;
	struct ir_func *f = c->f;
	uint32_t n = (uint32_t)(4 * c->nsaved + c->frame) / 4 + 2;
	uint8_t *rd = ir_arena_alloc(c->a, n, 1), *dead = ir_arena_alloc(c->a, n, 1);
	if (!rd || !dead)
		return NULL;
	memset(rd, 0, n);
	memset(dead, 0, n);
	c->b.fpread = rd;
	c->b.fpn = n;
	bool ok = dry_run(c);
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

static void assign_slots(struct codegen *c)
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
	for (uint32_t bi = 0; bi < f->nblocks; bi++) {
		if (c->reach && !c->reach[bi])
			continue;
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
			if (l->kind == L_REG) {
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
				if (t->kind != L_REG) {
					t->kind = L_SLOT;
					t->off = vreg_slot(c, soff, c->phitmp[id], slot_size(in->v.type));
				}
			}
		}
	}
}

/* An allocation (locations, frame and saved registers), to go back to. */
struct alloc_state {
	struct cg_loc *loc;
	int32_t frame, scratch, cycles;
	int nsaved;
	uint8_t saved[4];
	bool ebp_used;
};

static bool save_alloc(struct codegen *c, struct alloc_state *s)
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
	return true;
}

static void restore_alloc(struct codegen *c, const struct alloc_state *s)
{
	memcpy(c->loc, s->loc, sizeof(struct cg_loc) * c->nv);
	c->frame = s->frame;
	c->scratch = s->scratch;
	c->cycles = s->cycles;
	c->nsaved = s->nsaved;
	memcpy(c->saved, s->saved, sizeof c->saved);
	c->ebp_used = s->ebp_used;
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
	bool ok = c->wm && dry_run(c) && cg_regalloc_wide(c, keep);
	for (int round = 0; ok && round < 3; round++) {
		assign_slots(c);
		memset(c->wm, 0, 2ull * n);
		if (!dry_run(c))
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
static bool widen(struct codegen *c, const struct alloc_state *first)
{
	struct alloc_state narrow = { 0 };
	uint64_t cn = 0, cw = 0;
	bool have_narrow = second_round(c, first->loc, &cn) && save_alloc(c, &narrow);
	restore_alloc(c, first);
	if (!second_round(c, NULL, &cw)) {
		if (!have_narrow)
			return false;
		restore_alloc(c, &narrow);
		return true;
	}
	if (have_narrow && cn <= cw)
		restore_alloc(c, &narrow);
	return true;
}

static int compile_func(struct codegen *c, struct ir_func *f)
{
	struct ir_arena *a = c->a;
	size_t mark = a->used;
	c->f = f;
	c->cur = NULL;
	c->failed = false;
	if (f->fn_type && f->fn_type->vararg) {
		cg_fail(c, NULL, "variadic functions are not supported");
		return -1;
	}
	/* tier >= 2: compile a clone with small callees inlined (the
	 * module's IR stays as it is; the clone keeps f's id), at tier 3
	 * with its small innermost loops unrolled, then laid out */
	if (c->tier >= 2) {
		struct ir_func *orig = f;
		c->f = f = mid_inline(c, f, true);
		if (f != orig) {
			if (c->tier >= 3)
				mid_unroll(c, f);
			mid_layout(c, f);
		}
	}
	uint32_t nphi = 0;
	for (uint32_t bi = 0; bi < f->nblocks; bi++)
		for (struct ir_inst *in = f->blocks[bi]->first; in; in = in->next) {
			if (in->op == IR_OP_PHI)
				nphi++;
			if (in->v.id >= f->nvalues) {
				cg_fail(c, in, "internal: value id out of range");
				return -1;
			}
		}
	uint32_t nmax = f->nvalues + nphi + 1;
	c->nv = f->nvalues;
	c->loc = ir_arena_alloc(a, sizeof(struct cg_loc) * nmax, 8);
	c->fl = ir_arena_alloc(a, nmax, 1);
	c->alias = ir_arena_alloc(a, sizeof(void *) * nmax, sizeof(void *));
	c->phitmp = ir_arena_alloc(a, sizeof(uint32_t) * nmax, 4);
	c->blab = ir_arena_alloc(a, sizeof(x86_label) * (f->nblocks + 1), 4);
	c->reach = ir_arena_alloc(a, f->nblocks + 1, 1);
	if (!c->loc || !c->fl || !c->alias || !c->phitmp || !c->blab || !c->reach) {
		cg_fail(c, NULL, "out of scratch memory");
		ir_arena_reset(a, mark);
		return -1;
	}
	for (uint32_t i = 0; i < f->nblocks; i++)
		c->reach[i] = true;
	c->nsaved = 0;
	c->ebp_used = false;
	c->keep_flags = false;
	c->kinst = NULL;
	c->srep = NULL;
	c->noframe = false;
	c->ra = NULL;
	c->wm = NULL;
	cg_opt(c);
	/* a fixed frame (no dynamic allocas, no stack save/restore) is
	 * addressed from ESP at tier >= 1, freeing EBP for allocation */
	c->espf = c->tier > 0;
	for (uint32_t bi = 0; bi < f->nblocks && c->espf; bi++)
		for (struct ir_inst *in = f->blocks[bi]->first; in; in = in->next) {
			if (in->op == IR_OP_ALLOCA && !(c->fl[in->v.id] & (F_STATIC | F_PROMOTED | F_DEAD)))
				c->espf = false;
			struct ir_func *t = ir_call_target(in);
			if (t && ir_intrinsic_stack(t->intrinsic))
				c->espf = false;
		}
	if (c->tier == 0)
		c->reach = NULL;
	if (c->tier > 0 && !c->failed)
		cg_regalloc(c);
	if (!c->failed)
		assign_slots(c);
	struct alloc_state first = { 0 };
	bool wide = c->tier >= 3 && !c->failed && c->ra && c->kinst && save_alloc(c, &first) &&
		widen(c, &first);
	bool noframe = false;
	uint8_t *dead = c->tier >= 2 && !c->failed ? dead_slot_words(c, &noframe) : NULL;
	c->noframe = noframe;
	/* 16-byte function alignment */
	while (c->b.len & 15)
		x86_int3(&c->b);
	uint32_t start = c->b.len;
	uint32_t nrel = c->o->nrelocs;
	if (wide)
		c->wm = ir_arena_alloc(a, 2ull * (f->nvalues + 1), 2);
	c->b.fpdead = dead;
	uint32_t dropped = c->b.fpdropped;
	int rc = c->failed ? -1 : cg_emit_func(c);
	if (rc == 0 && wide && (!c->wm || !cg_scratch_verify(c, false))) {
		/* the code differs from the dry runs' in a way that matters:
		 * emit again with the first allocation (always correct), and
		 * without the dead stores found for the second */
		restore_alloc(c, &first);
		c->o->redone++;
		c->b.len = start;
		c->o->nrelocs = nrel;
		c->wm = NULL;
		c->b.fpdead = NULL;
		c->noframe = false;
		dropped = c->b.fpdropped;
		rc = cg_emit_func(c);
	}
	c->o->stores_dropped += c->b.fpdropped - dropped;
	c->o->fast_exits += rc == 0 && c->fast_next; /* the final code's, not dry runs' */
	for (uint32_t v = 0; rc == 0 && c->tier > 0 && v < c->nv; v++)
		c->o->scratch_values += c->loc[v].kind == L_REG &&
			(c->loc[v].reg == X_ECX || c->loc[v].reg == X_EDX);
	c->b.fpdead = NULL;
	c->wm = NULL;
	if (f->v.id < c->o->funcs_cap) {
		c->o->funcs[f->v.id].code_off = start;
		c->o->funcs[f->v.id].code_size = c->b.len - start;
	}
	c->o->insts_compiled += f->ninsts;
	ir_arena_reset(a, mark);
	return rc;
}

int jit_compile(struct ir_module *m, const struct jit_opts *opt,
		struct ir_arena *scratch, struct jit_out *o, char *err, size_t errsize)
{
	struct codegen c;
	memset(&c, 0, sizeof c);
	c.m = m;
	c.opt = opt;
	c.o = o;
	c.a = scratch;
	o->slots_shared = o->stores_dropped = 0;
	c.err = err;
	c.errsize = errsize;
	c.tier = opt->tier < 0 ? 0 : opt->tier > JIT_MAX_TIER ? JIT_MAX_TIER : opt->tier;
	if (errsize)
		err[0] = 0;
	size_t mark = scratch->used;
	o->code_len = o->data_len = o->nrelocs = o->nimports = 0;
	o->insts_compiled = o->spills = o->redone = o->scratch_values = o->fast_exits = o->loops_unrolled = 0;
	if (m->nfuncs > o->funcs_cap) {
		cg_fail(&c, NULL, "too many functions (%u, capacity %u)", (unsigned)m->nfuncs,
			(unsigned)o->funcs_cap);
		return -1;
	}
	o->nfuncs = m->nfuncs;
	for (uint32_t i = 0; i < m->nfuncs; i++) {
		struct jit_func_out *fo = &o->funcs[i];
		struct ir_func *f = m->funcs[i];
		if (f->v.id != i) {
			cg_fail(&c, NULL, "function ids are not dense");
			return -1;
		}
		memset(fo, 0, sizeof *fo);
		fo->name = f->v.name ? f->v.name : "";
		fo->code_off = 0xffffffffu;
		fo->stub_off = 8 * i;
		fo->import = -1;
		fo->defined = !f->is_decl;
	}
	c.goff = ir_arena_alloc(scratch, sizeof(uint32_t) * (m->nglobals + 1), 4);
	if (!c.goff) {
		cg_fail(&c, NULL, "out of scratch memory");
		return -1;
	}
	c.regp = ir_arena_alloc(scratch, m->nfuncs + 1, 1);
	if (!c.regp) {
		cg_fail(&c, NULL, "out of scratch memory");
		return -1;
	}
	cg_conv(m, c.regp);
	int rc = cg_layout_data(&c);
	x86_init(&c.b, o->code, o->code_cap);
	if (rc == 0 && opt->only_func < 0) {
		for (uint32_t i = 0; i < m->nfuncs; i++) {
			/* jmp dword [table + 4*i]; int3; int3 */
			x86_jmp_m(&c.b, x86_m(X_NOREG, (int32_t)(4 * i)));
			cg_reloc(&c, JIT_R_TABLE, false, 0, c.b.len - 4);
			x86_int3(&c.b);
			x86_int3(&c.b);
		}
	}
	for (uint32_t i = 0; rc == 0 && i < m->nfuncs; i++) {
		struct ir_func *f = m->funcs[i];
		if (f->is_decl) {
			if (!f->intrinsic)
				o->funcs[i].import = (int16_t)cg_import(&c, f->v.name ? f->v.name : "?");
			continue;
		}
		if (opt->only_func >= 0 && (uint32_t)opt->only_func != i)
			continue;
		rc = compile_func(&c, f);
	}
	if (rc == 0 && c.failed)
		rc = -1;
	if (rc == 0 && c.b.full) {
		cg_fail(&c, NULL, "code area full (%u bytes)", (unsigned)o->code_cap);
		rc = -1;
	}
	o->code_len = c.b.len;
	ir_arena_reset(scratch, mark);
	return rc;
}

int jit_link(struct jit_out *o, uint32_t code_base, uint32_t data_base,
	     uint32_t table_base, uint32_t stubs_base, jit_resolve_fn resolve, void *ctx,
	     char *err, size_t errsize)
{
	for (uint32_t i = 0; i < o->nrelocs; i++) {
		struct jit_reloc *r = &o->relocs[i];
		uint8_t *area = r->in_data ? o->data : o->code;
		uint32_t len = r->in_data ? o->data_len : o->code_len;
		if (r->off + 4 > len) {
			bf_snprintf(err, errsize, "relocation %u out of range", (unsigned)i);
			return -1;
		}
		uint8_t *p = area + r->off;
		uint32_t v = (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
			     (uint32_t)p[3] << 24;
		uint32_t place = (r->in_data ? data_base : code_base) + r->off;
		switch (r->kind) {
		case JIT_R_CODE: v += code_base; break;
		case JIT_R_DATA: v += data_base; break;
		case JIT_R_TABLE: v += table_base; break;
		case JIT_R_STUBS: v += stubs_base; break;
		case JIT_R_IMPORT: case JIT_R_IMPORT_ABS: {
			const char *name = r->sym < o->nimports ? o->imports[r->sym] : "?";
			uint32_t a = resolve ? resolve(ctx, name) : 0;
			if (!a) {
				bf_snprintf(err, errsize, "unresolved symbol %s", name);
				return -1;
			}
			v = r->kind == JIT_R_IMPORT ? a - (place + 4) : v + a;
			break;
		}
		default:
			bf_snprintf(err, errsize, "bad relocation kind %u", (unsigned)r->kind);
			return -1;
		}
		p[0] = (uint8_t)v;
		p[1] = (uint8_t)(v >> 8);
		p[2] = (uint8_t)(v >> 16);
		p[3] = (uint8_t)(v >> 24);
	}
	return 0;
}

uint32_t jit_table_entry(const struct jit_out *o, uint32_t code_base, uint32_t i,
			 jit_resolve_fn resolve, void *ctx)
{
	if (i >= o->nfuncs)
		return 0;
	const struct jit_func_out *f = &o->funcs[i];
	if (f->defined && f->code_off != 0xffffffffu)
		return code_base + f->code_off;
	if (!f->defined && resolve && f->import >= 0)
		return resolve(ctx, f->name);
	return 0;
}
