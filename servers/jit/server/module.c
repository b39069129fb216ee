/* Loading a module: validate the LLBC header, read the bitcode into the
 * slot's arena, compile every function at tier 0, link against the
 * runtime, and hand everything to the kernel for the module task:
 *   module image (R+X) at RT_IMAGE_BASE,
 *   params + data (R+W+NX) at RT_PARAMS_VA (we keep a read-only view),
 *   the dispatch table entries through SYS_DISPATCH_SET.
 * The runtime itself (R+X at RT_BASE) is the kernel's to map, from its
 * trusted boot image (docs/secure-jit.md); we only link against the
 * addresses of its exports (rt_syms, generated from the same build).
 * Recompiling one function at a higher tier installs its new code at
 * fresh pages and swaps its dispatch entry; the old code stays mapped
 * until the module task ends, so no activation of it can be cut off (see
 * docs/jit-protocol.md).  A function is recompiled at most
 * JIT_MAX_RECOMPILES times (JIT_ELIMIT after that), and every compile
 * has the compiler's budget (jit_opts.budget): a module can make the
 * server neither work nor keep code without bound. */
#include <string.h>
#include "lib/fmt.h"
#include "lib/llbc.h"
#include "lib/user/sys.h"
#include "servers/jit/bc/bc.h"
#include "servers/jit/server/jitsrv.h"
#include "servers/jit/server/jit_proto.h"
#include "servers/jit/server/rtsyms.h"

struct jmod jmods[JIT_SLOTS];
static uint32_t serials;

/* A whole module's tier-0 image is compiled into code_buf at once: 1 MiB,
 * the most one install message carries. */
#define CODE_CAP (1024u << 10)
#define DATA_CAP (512u << 10)
#define NRELOCS  16384
#define NFUNCS   RT_MAX_FUNCS
static uint8_t code_buf[CODE_CAP], data_buf[DATA_CAP];
static struct jit_reloc relocs[NRELOCS];
static struct jit_func_out funcs[NFUNCS];
static struct ir_arena scratch;


static uint32_t pages_of(uint32_t bytes) { return (bytes + PAGE_SIZE - 1) / PAGE_SIZE; }

static uint32_t resolve(void *ctx, const char *name)
{
	(void)ctx;
	for (unsigned i = 0; i < rt_nsyms; i++)
		if (!strcmp(rt_syms[i].name, name))
			return rt_syms[i].addr;
	return 0;
}

/* Every function the module calls but does not define must be one the
 * runtime offers to modules (lib/rt/exports.txt); a module that names any
 * other (its raw syscall entry, its harness) is refused at load, saying
 * which, instead of getting a dispatch entry that leads nowhere. */
static int check_imports(const struct jit_out *o, char *err, size_t errsize)
{
	for (uint32_t i = 0; i < o->nfuncs; i++) {
		const struct jit_func_out *f = &o->funcs[i];
		if (!f->defined && f->import >= 0 && !resolve(0, f->name)) {
			bf_snprintf(err, errsize, "the module calls %s, which the module runtime "
				    "does not offer to modules (see lib/rt/exports.txt)", f->name);
			return -1;
		}
	}
	return 0;
}

struct jmod *jmod_get(uint32_t handle)
{
	return handle < JIT_SLOTS && jmods[handle].used ? &jmods[handle] : 0;
}

int jmod_new(int task, int32_t arg, uint32_t calls, uint32_t curve)
{
	for (int s = 0; s < JIT_SLOTS; s++) {
		struct jmod *j = &jmods[s];
		if (j->used)
			continue;
		memset(j, 0, sizeof *j);
		j->used = 1;
		j->serial = ++serials;
		j->task = task;
		j->arg = arg;
		j->calls = calls;
		j->curve = curve;
		j->thresholds[0] = 100;
		j->thresholds[1] = 1000;
		j->thresholds[2] = 10000;
		return s;
	}
	return JIT_ENOSPC;
}

int jmod_thresholds(struct jmod *j, uint32_t t1, uint32_t t2, uint32_t t3)
{
	if (j->loaded)
		return JIT_EINVAL;	/* the harness has its parameters already */
	j->thresholds[0] = t1;
	j->thresholds[1] = t2;
	j->thresholds[2] = t3;
	return 0;
}

/* Copy bytes into fresh pages at `stage` and move them into the module. */
static int install(struct jmod *j, uint32_t stage, const void *src, uint32_t len,
		   uint32_t dst, uint32_t kind, uint8_t fill)
{
	uint32_t n = pages_of(len ? len : 1);
	int r = bf_map_anon(stage, n, MAP_READ | MAP_WRITE);
	if (r)
		return r;
	memset((void *)stage, fill, n * PAGE_SIZE);
	memcpy((void *)stage, src, len);
	r = bf_code_install((uint32_t)j->task, stage, n, dst, kind);
	if (r)
		bf_unmap(stage, n);
	return r;
}

static int fail(struct jmod *j, int code, const char *what, const char *msg)
{
	bf_printf("jit: %s: %s: %s\n", j->name[0] ? j->name : "?", what, msg);
	return code;
}

static void compile_opts(struct jit_out *o)
{
	jit_out_init(o, code_buf, CODE_CAP, data_buf, DATA_CAP, relocs, NRELOCS, funcs, NFUNCS);
	ir_arena_init(&scratch, (void *)SCRATCH_VA, SCRATCH_SIZE);
}

/* The IR arena's memory, 64 KiB at a time as the reader and the compiler
 * reach it, never past the slot's address space.  0 when the kernel has
 * no more frames: the reader then fails with "arena exhausted", named. */
static size_t arena_grow(void *ctx, void *at, size_t n)
{
	struct jmod *j = ctx;
	enum { CHUNK = 0x10000 };
	uint32_t end = ARENA_VA(j - jmods) + ARENA_SIZE, va = (uint32_t)at;
	uint32_t want = (uint32_t)((n + CHUNK - 1) & ~(size_t)(CHUNK - 1));
	if (va >= end || n > end - va)
		return 0;
	if (want > end - va)
		want = end - va;
	if (bf_map_anon(va, want / PAGE_SIZE, MAP_READ | MAP_WRITE))
		return 0;
	return want;
}

/* What unload gives back: the IR arena's pages as far as they were made. */
static void arena_release(struct jmod *j)
{
	uint32_t s = (uint32_t)(j - jmods);
	if (j->arena.backed)
		bf_unmap(ARENA_VA(s), (uint32_t)(j->arena.backed / PAGE_SIZE));
	j->arena.backed = 0;
}

static int load(struct jmod *j, const uint8_t *file, uint32_t len, uint32_t *eip, uint32_t *params_va)
{
	struct llbc_header h;
	const uint8_t *payload;
	char err[200];
	if (j->loaded)
		return fail(j, JIT_EINVAL, "load", "module already loaded in this slot");
	int e = llbc_validate(file, len, &h, &payload);
	if (e != LLBC_OK) {
		/* name the module in the message if its header is readable */
		if (len >= LLBC_HEADER_SIZE)
			for (int i = 0; i < 31 && file[4 + i] >= ' ' && file[4 + i] < 127; i++)
				j->name[i] = (char)file[4 + i];
		int r = fail(j, JIT_EFORMAT, "LLBC header", llbc_strerror(e));
		j->name[0] = 0;
		return r;
	}
	memcpy(j->name, h.name, sizeof j->name - 1);
	uint32_t s = (uint32_t)(j - jmods);
	ir_arena_init_lazy(&j->arena, (void *)ARENA_VA(s), ARENA_SIZE, arena_grow, j);
	struct bc_error be;
	if (bc_read_module(payload, h.bitcode_size, &j->arena, &j->m, &be) != BC_OK) {
		bf_snprintf(err, sizeof err, "%s (bit %u)", be.msg, (uint32_t)be.bit);
		return fail(j, JIT_EBITCODE, "bitcode", err);
	}
	struct ir_func *entry = ir_module_func(j->m, h.entry);
	if (!entry || entry->is_decl)
		return fail(j, JIT_EBITCODE, "entry", "the entry function is not defined in the module");
	if (j->m->nfuncs > RT_MAX_FUNCS) {
		bf_snprintf(err, sizeof err, "the module has %u functions (the ones it only declares "
			    "count); at most %u run", (unsigned)j->m->nfuncs, RT_MAX_FUNCS);
		return fail(j, JIT_ECOMPILE, "load", err);
	}
	j->entry = entry->v.id;
	j->nfuncs = j->m->nfuncs;
	/* the runtime calls the entry from outside the module (cdecl,
	 * through the dispatch table): external, whatever the source said,
	 * so the JIT's register convention (cg/conv.c) leaves it alone */
	if (entry->linkage == IR_LINK_INTERNAL || entry->linkage == IR_LINK_PRIVATE)
		entry->linkage = IR_LINK_EXTERNAL;

	/* Sandboxed code exactly when the kernel verifies the task
	 * (docs/secure-jit.md): it would refuse anything else there, and
	 * an unverified task (secure=none) runs the plain, faster form.
	 * Asked once per load; the task's flags never change. */
	struct bf_task_info ti;
	j->secure = 0;
	if (bf_task_info_cap((uint32_t)j->task, &ti) == 0)
		j->secure = ((ti.secure & SECURE_VERIFY) ? JIT_SEC_SANDBOX : 0) |
			    ((ti.secure & SECURE_RANDOM) ? JIT_SEC_RANDOM : 0) |
			    ((ti.secure & SECURE_BLIND) ? JIT_SEC_BLIND : 0);
	struct jit_out o;
	compile_opts(&o);
	struct jit_opts opt = { .tier = 0, .only_func = -1, .secure = j->secure, .seed = jit_entropy() };
	uint64_t t0 = bf_rdtsc();
	if (jit_compile(j->m, &opt, &scratch, &o, err, sizeof err))
		return fail(j, JIT_ECOMPILE, "compile", err);
	uint32_t cyc = (uint32_t)(bf_rdtsc() - t0);
	if (jit_link(&o, RT_IMAGE_BASE, RT_DATA_VA, USER_DISPATCH_VA, RT_IMAGE_BASE,
		     resolve, 0, err, sizeof err) || check_imports(&o, err, sizeof err))
		return fail(j, JIT_ECOMPILE, "link", err);
	if (o.data_len > (MSG_MAX_PAGES - PARAMS_PAGES) * PAGE_SIZE)
		return fail(j, JIT_ENOSPC, "load", "module data too large");
	/* the bss: zero pages of the module's own past its data, below the heap */
	uint32_t bss_va = RT_DATA_VA + o.bss_off, bss_pages = pages_of(o.bss_len);
	if (o.bss_len && (o.bss_off < pages_of(o.data_len) * PAGE_SIZE ||
			  bss_pages > (RT_HEAP_VA - bss_va) / PAGE_SIZE)) {
		bf_snprintf(err, sizeof err, "zero-initialised data too large (%u bytes; at most %u)",
			    o.bss_len, RT_HEAP_VA - bss_va);
		return fail(j, JIT_ENOSPC, "load", err);
	}

	/* params page(s) followed by the module's data, as one block */
	j->data_pages = pages_of(o.data_len ? o.data_len : 1);
	uint32_t view = VIEW_VA(s), total = PARAMS_PAGES + j->data_pages;
	if (bf_map_anon(view, total, MAP_READ | MAP_WRITE))
		return fail(j, JIT_ENOSPC, "load", "no memory for module data");
	struct rt_params *p = (struct rt_params *)view;
	p->magic = RT_MAGIC;
	memcpy(p->module, j->name, RT_NAME_MAX - 1);
	p->handle = s;
	p->entry_index = j->entry;
	p->arg = j->arg;
	p->calls = j->calls;
	p->notify_slot = 0;
	p->notify_bit = 1u << (s % 31);
	memcpy(p->thresholds, j->thresholds, sizeof p->thresholds);
	p->curve_bucket = j->curve;
	p->nfuncs = j->nfuncs;
	for (uint32_t i = 0; i < j->nfuncs; i++) {
		struct ir_func *f = j->m->funcs[i];
		if (f->v.name)
			memcpy(p->funcs[i].name, f->v.name, strnlen(f->v.name, RT_NAME_MAX - 1));
		p->funcs[i].defined = !f->is_decl;
		p->funcs[i].counter_va = f->is_decl ? 0 : RT_DATA_VA + o.funcs[i].counter_off;
		p->funcs[i].cycles_va = f->is_decl ? 0 : RT_DATA_VA + o.funcs[i].cycles_off;
		if (!f->is_decl) {
			j->code_bytes[i] = o.funcs[i].code_size;
			j->cycles[i][0] = cyc;
			j->compiles[i] = 1;
		}
	}
	memcpy((uint8_t *)view + PARAMS_PAGES * PAGE_SIZE, o.data, o.data_len);

	/* the code, then the heap before the params, whose rt_libc says
	 * where it is (our view of them is read-only once installed) */
	int r = install(j, STAGING_VA, o.code, o.code_len, RT_IMAGE_BASE, INSTALL_CODE, 0xCC);
	if (!r && o.bss_len && jzero_give(j->task, bss_va, bss_pages) != bss_pages) {
		bf_snprintf(err, sizeof err, "no memory for %u bytes of zero-initialised data: the "
			    "task's quota (run --mem PAGES) or the machine's frames", o.bss_len);
		return fail(j, JIT_ENOSPC, "install", err);
	}
	if (!r && jheap_wanted(&o)) {
		struct rt_libc *lc = (struct rt_libc *)(view + (RT_LIBC_VA - RT_PARAMS_VA));
		lc->heap_size = jheap_give(j->task, total);
		lc->heap_va = lc->heap_size ? RT_HEAP_VA : 0;
	}
	if (r || (r = bf_code_install((uint32_t)j->task, view, total, RT_PARAMS_VA, INSTALL_DATA_SHARED))) {
		bf_snprintf(err, sizeof err, "the kernel refused: %s", bf_strerror(r));
		return fail(j, JIT_EINSTALL, "install", err);
	}
	for (uint32_t i = 0; i < j->nfuncs; i++) {
		uint32_t v = jit_table_entry(&o, RT_IMAGE_BASE, i, resolve, 0);
		if (v && (r = bf_dispatch_set((uint32_t)j->task, i, v))) {
			bf_snprintf(err, sizeof err, "dispatch entry %u: %s", i, bf_strerror(r));
			return fail(j, JIT_EINSTALL, "install", err);
		}
	}
	j->image_bytes = o.code_len;
	j->code_next = RT_RECOMP_BASE;
	j->loaded = 1;
	*eip = rt_entry_va;
	*params_va = RT_PARAMS_VA;
	return 0;
}

/* A failed load leaves the slot as it was, so the caller can try the
 * embedded copy in it (what reached the module task dies with it). */
int jmod_load(struct jmod *j, const uint8_t *file, uint32_t len, uint32_t *eip, uint32_t *params_va)
{
	int r = load(j, file, len, eip, params_va);
	if (r < 0) {
		uint32_t s = (uint32_t)(j - jmods);
		arena_release(j);
		bf_unmap(VIEW_VA(s), 0x100000u / PAGE_SIZE);
		j->m = 0;
		j->loaded = 0;
	}
	return r;
}

int jmod_tier(struct jmod *j, uint32_t f, int tier, uint32_t *cycles, uint32_t *addr, uint32_t *bytes)
{
	char err[200];
	if (!j->loaded || f >= j->nfuncs || j->m->funcs[f]->is_decl || tier < 0 || tier > JIT_MAX_TIER)
		return JIT_EINVAL;
	/* counted before compiling: a request that fails (its budget ran
	 * out, say) costs the server as much work as one that does not */
	if (j->recompiles[f] >= JIT_MAX_RECOMPILES) {
		const char *n = j->m->funcs[f]->v.name;
		bf_snprintf(err, sizeof err, "function %s was recompiled %u times already, the most "
			    "for one function", n ? n : "?", (unsigned)JIT_MAX_RECOMPILES);
		return fail(j, JIT_ELIMIT, "recompile", err);
	}
	j->recompiles[f]++;
	struct jit_out o;
	compile_opts(&o);
	struct jit_opts opt = { .tier = tier, .only_func = (int)f, .secure = j->secure, .seed = jit_entropy() };
	uint64_t t0 = bf_rdtsc();
	if (jit_compile(j->m, &opt, &scratch, &o, err, sizeof err))
		return fail(j, JIT_ECOMPILE, "recompile", err);
	*cycles = (uint32_t)(bf_rdtsc() - t0);
	uint32_t base = j->code_next;
	if (base + o.code_len > USER_CODE_TOP)
		return fail(j, JIT_ENOSPC, "recompile", "code address space exhausted");
	if (jit_link(&o, base, RT_DATA_VA, USER_DISPATCH_VA, RT_IMAGE_BASE, resolve, 0, err, sizeof err))
		return fail(j, JIT_ECOMPILE, "relink", err);
	int r = install(j, STAGING_VA, o.code, o.code_len, base, INSTALL_CODE, 0xCC);
	if (r == E_BADCAP)
		return JIT_EGONE;	/* the task capability went stale: it ended */
	if (r) {
		bf_snprintf(err, sizeof err, "the kernel refused: %s", bf_strerror(r));
		return fail(j, r == E_NOSPC ? JIT_ENOSPC : JIT_EINSTALL, "install", err);
	}
	/* the swap: one aligned store by the kernel, at once if the module
	 * is not running, else at its next safe point (its next tick on its own
	 * CPU), which costs it no interruption
	 * (docs/jit-protocol.md, "Swaps on more than one CPU") */
	*addr = base + o.funcs[f].code_off;
	if ((r = bf_dispatch_set_flags((uint32_t)j->task, f, *addr, DISPATCH_SAFE_POINT)))
		return r == E_BADCAP ? JIT_EGONE : fail(j, JIT_EINSTALL, "dispatch swap", bf_strerror(r));
	j->code_next = base + pages_of(o.code_len) * PAGE_SIZE;
	/* The version before, if it has pages of its own: the kernel frees
	 * them once no frame, register or entry of the module reaches them.
	 * Its stubs and every function pointer are in the load's image
	 * (jit_link's stubs_base), never in these pages.  A refusal (E_AGAIN:
	 * the module's list is full) leaves them to the module's death, as
	 * before reclamation. */
	if (j->own_pages[f])
		bf_code_install((uint32_t)j->task, 0, j->own_pages[f], j->own_va[f], INSTALL_RETIRE);
	j->own_va[f] = base;
	j->own_pages[f] = pages_of(o.code_len);
	j->tier[f] = (uint8_t)tier;
	j->code_bytes[f] = o.funcs[f].code_size;
	j->cycles[f][tier] = *cycles;
	j->compiles[f]++;
	*bytes = o.funcs[f].code_size;
	return 0;
}

int jmod_tier_all(struct jmod *j, int tier)
{
	int n = 0;
	if (!j->loaded)
		return JIT_EINVAL;
	for (uint32_t f = 0; f < j->nfuncs; f++) {
		uint32_t cyc, addr, bytes;
		if (j->m->funcs[f]->is_decl)
			continue;
		int e = jmod_tier(j, f, tier, &cyc, &addr, &bytes);
		if (e < 0)
			return e;
		n++;
	}
	return n;
}

int jmod_func_tier(struct jmod *j, uint32_t f)
{
	return j->loaded && f < j->nfuncs ? j->tier[f] : JIT_EINVAL;
}

int jmod_func(struct jmod *j, const char *want)
{
	size_t len = strnlen(want, 8);
	if (!j->loaded)
		return JIT_EINVAL;
	for (uint32_t i = 0; i < j->nfuncs; i++) {
		const char *n = j->m->funcs[i]->v.name;
		if (n && !strncmp(n, want, len) && (len < 8 ? !n[len] : 1))
			return (int)i;
	}
	return JIT_ENOENT;
}

int jmod_share(struct jmod *j, uint32_t known, uint32_t *va, uint32_t *pages)
{
	if (!j->loaded)
		return JIT_EINVAL;
	*va = *pages = 0;
	if (known != j->serial) {
		*va = VIEW_VA(j - jmods);
		*pages = PARAMS_PAGES + j->data_pages;
	}
	return (int)j->serial;
}

void jmod_unload(struct jmod *j)
{
	uint32_t s = (uint32_t)(j - jmods);
	arena_release(j);
	bf_unmap(VIEW_VA(s), 0x100000u / PAGE_SIZE);
	if (j->task >= 0)
		bf_cap_delete((uint32_t)j->task);
	memset(j, 0, sizeof *j);
}

void jmod_print(void)
{
	bf_printf("  H MODULE     FUNCTION              TIER  BYTES COMPILES  T0-CYCLES  TOP-CYCLES\n");
	for (int s = 0; s < JIT_SLOTS; s++) {
		struct jmod *j = &jmods[s];
		if (!j->used || !j->loaded)
			continue;
		for (uint32_t i = 0; i < j->nfuncs; i++) {
			struct ir_func *f = j->m->funcs[i];
			if (f->is_decl)
				continue;
			bf_printf("%3d %-10s %-20s %4u %6u %8u %10u %11u\n", s, j->name,
				  f->v.name ? f->v.name : "?", j->tier[i], j->code_bytes[i],
				  j->compiles[i], j->cycles[i][0], j->cycles[i][j->tier[i]]);
		}
		bf_printf("    %-10s image %u bytes at %08x, recompiled code up to %08x\n",
			  j->name, j->image_bytes, RT_IMAGE_BASE, j->code_next);
	}
}
