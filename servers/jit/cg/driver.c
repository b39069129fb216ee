/* servers/jit/cg/driver.c: the micro-JIT's driver — the module (data
 * layout, the calling convention, stubs), and per function the pipeline
 * of passes, one call each (compile_func), like QBE's main.c.  Linking
 * (applying relocations for given load addresses) is here too.
 *
 * Per function (compile_func), tier by tier:
 *   mid_inline       mid/inline.c  tier >= 2: a clone, small callees inlined
 *   mid_unroll       mid/unroll.c  tier 3: small innermost loops unrolled
 *   mid_layout       mid/layout.c  tier >= 2: block layout
 *   cg_opt           opt.c         static allocas, fusion; tier >= 1:
 *                                  promotion, aliases, folding,
 *                                  reachability, dead code
 *   cg_regalloc      rega.c        tier >= 1: ESP frame, liveness, phi
 *                                  scheme, linear scan, phi webs' slots
 *   cg_assign_slots  stack.c       stack slots, the frame's size
 *   cg_widen         scratch.c     tier 3: ECX/EDX for values too
 *   cg_dead_stores   dead.c        tier >= 2: stores nothing reads
 *   cg_emit_func     emit.c        the code
 *
 * The limits (docs/jit.md, Limits): each function's compile, and the
 * data layout, has a budget of work units that the passes spend
 * (cg_fuel); cg_abort ends the whole compile from anywhere, back to
 * jit_compile (guarded), which returns -1 with the message. */
#include <stdarg.h>
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

/* tier >= 2: compile a clone with small callees inlined (the module's
 * IR stays as it is; the clone keeps f's id), at tier 3 with its small
 * innermost loops unrolled, then laid out. */
static struct ir_func *mid_passes(struct codegen *c, struct ir_func *f)
{
	struct ir_func *clone = mid_inline(c, f, true);
	if (clone == f)
		return f;
	if (c->tier >= 3)
		mid_unroll(c, clone);
	mid_layout(c, clone);
	return clone;
}

/* in computes with or on an x87 long double: said once, by name, before
 * any pass meets it (modules are built with -mlong-double-64). */
static bool long_double(const struct ir_inst *in)
{
	if (in->v.type->kind == IR_TY_X86_FP80)
		return true;
	for (uint32_t i = 0; i < in->nops; i++)
		if (ir_op(in, i) && ir_op(in, i)->type && ir_op(in, i)->type->kind == IR_TY_X86_FP80)
			return true;
	return false;
}

/* The per-function side tables (indexed by value id; phi temporaries
 * follow the values) and the state of the passes, reset.  -1 with the
 * error recorded when they cannot be made. */
static int func_tables(struct codegen *c, size_t mark)
{
	struct ir_func *f = c->f;
	struct ir_arena *a = c->a;
	uint32_t nphi = 0;
	for (uint32_t bi = 0; bi < f->nblocks; bi++)
		for (struct ir_inst *in = f->blocks[bi]->first; in; in = in->next) {
			if (in->op == IR_OP_PHI)
				nphi++;
			if (in->v.id >= f->nvalues) {
				cg_fail(c, in, "internal: value id out of range");
				return -1;
			}
			if (long_double(in)) {
				cg_fail(c, in, "long double (x86_fp80) is not supported: build the module "
					"with -mlong-double-64, as make module does, and it is double");
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
	c->kpos = NULL;
	c->srep = NULL;
	c->noframe = false;
	c->ra = NULL;
	c->wm = NULL;
	c->espf = false;
	return 0;
}

/* The code, 16-byte aligned, with the dead stores dropped.  With
 * `first` (the allocation before the second round), the code is checked
 * against the dry runs the second round was made from; should it differ
 * where it matters, it is emitted again with `first`, which is always
 * correct. */
/* JIT_SEC_RANDOM: before each function a gap of 0..15 INT3 units (16
 * bytes, or 32-byte bundles sandboxed: whole bundles of INT3 pass the
 * verifier), drawn from the compile's seed, so no function starts where
 * the same module's function started in another compile (an attacker
 * who learned one layout does not know the next).  splitmix64. */
static void random_gap(struct codegen *c)
{
	uint64_t z = (c->rng += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	z ^= z >> 31;
	uint32_t n = (uint32_t)(z & 15) * (c->sandbox ? 32u : 16u);
	while (n-- && !c->b.full)
		x86_int3(&c->b);
}

static int emit_code(struct codegen *c, const struct cg_alloc *first, uint8_t *dead)
{
	struct ir_func *f = c->f;
	if (c->sandbox && !(c->opt->sandbox_faults & JIT_SBX_ENTRY))
		x86_int3_to_bundle(&c->b);      /* an indirect target */
	if (c->opt->secure & JIT_SEC_RANDOM)
		random_gap(c);
	while (c->b.len & 15) /* (sandboxed: only with JIT_SBX_ENTRY) */
		c->sandbox ? x86_nops(&c->b, 1) : x86_int3(&c->b);
	uint32_t start = c->b.len;
	bool after_jump = c->b.after_jump;
	uint32_t nrel = c->o->nrelocs;
	/* Sandboxed, tiers 1-3 (an allocation, loop depths): the layout
	 * that runs the fewest padding NOPs, each weighted by the loop depth
	 * where it is (inside a loop, or once before it; ties: less code
	 * weighted the same way), of four dry runs: loop headers at bundle
	 * starts or not, each with forward jumps rel32, then as rel8 where
	 * that run found the target near (with room for the layout to move).
	 * Which one wins is hard to foresee: every byte less or more moves
	 * every later boundary.  A rel8 guessed wrong costs one more
	 * emission (below). */
	c->align_loops = false;
	x86_fwd fwd = { 0 };
	uint32_t cap = 2 * f->ninsts + 16;
	uint8_t *near[2] = { NULL, NULL };
	if (c->sandbox && c->bdepth && !c->failed &&
	    (fwd.at = ir_arena_alloc(c->a, 4ull * cap, 4)) && (fwd.dist = ir_arena_alloc(c->a, 4ull * cap, 4)) &&
	    (fwd.next = ir_arena_alloc(c->a, 4ull * cap, 4)) && (near[0] = ir_arena_alloc(c->a, cap, 1)) &&
	    (near[1] = ir_arena_alloc(c->a, cap, 1))) {
		fwd.cap = cap;
		c->b.fwd = &fwd;
		uint64_t best = UINT64_MAX, best_size = UINT64_MAX;
		int choice = -1;
		for (int v = 0; v < 4; v++) {
			c->align_loops = v & 1;
			fwd.near = v & 2 ? near[v & 1] : NULL;
			fwd.n = 0;
			fwd.fail = false;
			bool ok = cg_dry_run(c) && !fwd.fail;
			if (!(v & 2))
				for (uint32_t i = 0; i < cap; i++)
					near[v & 1][i] = ok && i < fwd.n && fwd.dist[i] >= 0 && fwd.dist[i] <= 96;
			if (ok && (c->padcost < best || (c->padcost == best && c->cost < best_size))) {
				best = c->padcost;
				best_size = c->cost;
				choice = v;
			}
		}
		c->align_loops = choice > 0 && (choice & 1);
		fwd.near = choice > 0 && (choice & 2) ? near[choice & 1] : NULL;
		fwd.n = 0;
		fwd.fail = false;
	}
	if (first)
		c->wm = ir_arena_alloc(c->a, 2ull * (f->nvalues + 1), 2);
	c->b.fpdead = dead;
	uint32_t dropped = c->b.fpdropped;
	int rc = c->failed ? -1 : cg_emit_func(c);
	if (rc == 0 && fwd.fail) {
		/* a forward jump guessed near was not: all of them rel32 */
		c->b.len = start;
		c->b.after_jump = after_jump;
		c->o->nrelocs = nrel;
		if (c->wm)
			memset(c->wm, 0, 2ull * (f->nvalues + 1));
		fwd.near = NULL;
		fwd.n = 0;
		fwd.fail = false;
		dropped = c->b.fpdropped;
		rc = cg_emit_func(c);
	}
	fwd.near = NULL;
	if (rc == 0 && first && (!c->wm || !cg_scratch_verify(c, false))) {
		/* and without the dead stores found for the second */
		cg_restore_alloc(c, first);
		c->o->redone++;
		c->b.len = start;
		c->b.after_jump = after_jump;
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
	for (uint32_t v = 0; rc == 0 && c->tier > 0 && v < c->nv; v++)
		c->o->xmm_values += c->loc[v].kind == L_XMM;
	c->b.fpdead = NULL;
	c->b.fwd = NULL;
	c->wm = NULL;
	if (f->v.id < c->o->funcs_cap) {
		c->o->funcs[f->v.id].code_off = start;
		c->o->funcs[f->v.id].code_size = c->b.len - start;
	}
	c->o->insts_compiled += f->ninsts;
	return rc;
}

/* The work units a function of n IR instructions may spend:
 * jit_opts.budget, else the default (jit.h; cg.h cg_fuel says what
 * they count). */
static int64_t budget(const struct codegen *c, uint64_t n)
{
	if (c->opt->budget)
		return c->opt->budget;
	return (int64_t)(JIT_BUDGET_BASE + JIT_BUDGET_PER_INST * n +
			 JIT_BUDGET_PER_WORD * n * ((n + 31) / 32));
}

static int compile_func(struct codegen *c, struct ir_func *f)
{
	struct ir_arena *a = c->a;
	size_t mark = a->used;
	c->f = f;
	c->cur = NULL;
	c->failed = false;
	int64_t total = budget(c, f->ninsts);
	c->fuel = total;
	if (c->tier >= 2) {
		c->f = mid_passes(c, f);
		if (c->f->ninsts > f->ninsts) {
			/* what inlining and unrolling added (bounded by them) */
			int64_t more = budget(c, c->f->ninsts) - total;
			c->fuel += more;
			total += more;
		}
	}
	if (func_tables(c, mark))
		return -1;
	cg_opt(c);
	if (c->tier == 0)
		c->reach = NULL;        /* every block is emitted */
	c->xclob = NULL;
	c->nfpk = 0;
	if (c->tier > 0 && !c->failed)
		cg_regalloc(c);
	if (!c->failed)
		cg_assign_slots(c);
	struct cg_alloc first = { 0 };
	bool wide = c->tier >= 3 && !c->failed && c->ra && c->kinst && cg_save_alloc(c, &first) &&
		cg_widen(c, &first);
	bool noframe = false;
	uint8_t *dead = c->tier >= 2 && !c->failed ? cg_dead_stores(c, &noframe) : NULL;
	c->noframe = noframe;
	int rc = emit_code(c, wide ? &first : NULL, dead);
	ir_arena_reset(a, mark);
	uint64_t spent = (uint64_t)(total - c->fuel);
	c->o->work += spent;
	if (spent > c->o->work_peak) {
		c->o->work_peak = spent;
		c->o->work_peak_insts = c->f->ninsts;
	}
	return rc;
}

void cg_abort(struct codegen *c, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	bf_vsnprintf(c->err, c->errsize, fmt, ap);
	va_end(ap);
	c->failed = true;
	__builtin_longjmp(c->abort, 1);
}

void cg_out_of_fuel(struct codegen *c)
{
	if (c->f)
		cg_abort(c, "compile budget exceeded in function %s at tier %d",
			 c->f->v.name ? c->f->v.name : "?", c->tier);
	cg_abort(c, "compile budget exceeded in the data layout (global %s)",
		 c->kglobal && c->kglobal->v.name ? c->kglobal->v.name : "?");
}

/* Every function at the tier asked for (or the one of only_func), after
 * the data layout; the stubs first for a whole module. */
static int compile_module(struct codegen *c)
{
	struct ir_module *m = c->m;
	const struct jit_opts *opt = c->opt;
	struct jit_out *o = c->o;
	struct ir_arena *scratch = c->a;
	if (m->nfuncs > o->funcs_cap) {
		cg_fail(c, NULL, "too many functions (%u, capacity %u)", (unsigned)m->nfuncs,
			(unsigned)o->funcs_cap);
		return -1;
	}
	o->nfuncs = m->nfuncs;
	for (uint32_t i = 0; i < m->nfuncs; i++) {
		struct jit_func_out *fo = &o->funcs[i];
		struct ir_func *f = m->funcs[i];
		if (f->v.id != i) {
			cg_fail(c, NULL, "function ids are not dense");
			return -1;
		}
		memset(fo, 0, sizeof *fo);
		fo->name = f->v.name ? f->v.name : "";
		fo->code_off = 0xffffffffu;
		fo->stub_off = c->stub * i;
		fo->import = -1;
		fo->defined = !f->is_decl;
	}
	c->goff = ir_arena_alloc(scratch, sizeof(uint32_t) * (m->nglobals + 1), 4);
	c->regp = ir_arena_alloc(scratch, m->nfuncs + 1, 1);
	c->kmemo = ir_arena_alloc(scratch, sizeof(struct cg_kmemo) * (m->nexprs + 1), 8);
	if (!c->goff || !c->regp || !c->kmemo) {
		cg_fail(c, NULL, "out of scratch memory");
		return -1;
	}
	cg_conv(m, c->regp);
	int64_t total = budget(c, m->nglobals + m->nexprs);
	c->fuel = total;
	int rc = cg_layout_data(c);
	o->work += (uint64_t)(total - c->fuel);
	x86_init(&c->b, o->code, o->code_cap);
	c->b.bundle = c->sandbox;
	c->b.faults = (uint8_t)opt->sandbox_faults;
	c->b.blind = (opt->secure & JIT_SEC_BLIND) != 0;
	c->b.blind_rng = opt->seed ^ 0x5bd1e9955bd1e995ull; /* not the placement's sequence */
	if (rc == 0 && opt->only_func < 0) {
		for (uint32_t i = 0; i < m->nfuncs; i++) {
			/* jmp dword [table + 4*i]; int3 ... (a bundle each, sandboxed) */
			x86_jmp_m(&c->b, x86_m(X_NOREG, (int32_t)(4 * i)));
			cg_reloc(c, JIT_R_TABLE, false, 0, c->b.len - 4);
			if (c->sandbox) {
				x86_int3_to_bundle(&c->b);
				continue;
			}
			x86_int3(&c->b);
			x86_int3(&c->b);
		}
	}
	for (uint32_t i = 0; rc == 0 && i < m->nfuncs; i++) {
		struct ir_func *f = m->funcs[i];
		if (f->is_decl) {
			if (!f->intrinsic)
				o->funcs[i].import = (int16_t)cg_import(c, f->v.name ? f->v.name : "?");
			continue;
		}
		if (opt->only_func >= 0 && (uint32_t)opt->only_func != i)
			continue;
		rc = compile_func(c, f);
	}
	if (rc == 0 && c->failed)
		rc = -1;
	if (rc == 0 && c->b.unsafe) {
		cg_fail(c, NULL, "internal: code outside the sandbox's forms");
		rc = -1;
	}
	if (rc == 0 && c->b.full) {
		cg_fail(c, NULL, "code area full (%u bytes)", (unsigned)o->code_cap);
		rc = -1;
	}
	o->code_len = c->b.len;
	return rc;
}

/* Runs compile_module where cg_abort can return to.  (Nothing of this
 * frame but the buffer is used after __builtin_longjmp.) */
static int guarded(struct codegen *c)
{
	if (__builtin_setjmp(c->abort))
		return -1;
	return compile_module(c);
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
	c.err = err;
	c.errsize = errsize;
	c.tier = opt->tier < 0 ? 0 : opt->tier > JIT_MAX_TIER ? JIT_MAX_TIER : opt->tier;
	c.sandbox = (opt->secure & JIT_SEC_SANDBOX) != 0;
	c.stub = jit_stub_size(opt);
	c.rng = opt->seed;
	if (errsize)
		err[0] = 0;
	o->slots_shared = o->stores_dropped = 0;
	o->code_len = o->data_len = o->nrelocs = o->nimports = 0;
	o->bss_off = o->bss_len = 0;
	o->insts_compiled = o->spills = o->redone = o->scratch_values = o->xmm_values = o->fast_exits = o->loops_unrolled = 0;
	o->work = o->work_peak = 0;
	o->work_peak_insts = 0;
	size_t mark = scratch->used;
	int rc = guarded(&c);
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
