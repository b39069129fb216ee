/* The limits that keep a hostile module from freezing or bending the
 * JIT (issue 13; docs/threat-model.md):
 *   constants   nested constant expressions sharing operands are
 *               evaluated once (40 levels: the right value at once), an
 *               expression too large is a clear error (tests/jit/lib/bcgen.c
 *               writes the modules: no LLVM tool can);
 *   budget      every compile has a budget of work units: a tiny one
 *               names the function and the tier, the count is exact and
 *               deterministic, a hostile CFG runs out of the default one;
 *   probes      stack allocations of a page or more touch every page
 *               from the top down, so a 1 MiB VLA, a 64 KiB frame and a
 *               60 KiB byval copy fault at the guard page below a small
 *               stack instead of writing into the memory under it;
 *   server      the jit server's real module slots (module.c, with a
 *               stand-in kernel) refuse a fourth recompilation of a
 *               function with JIT_ELIMIT, and answer the next request
 *               after a compile that failed, having installed nothing.
 * Tiers 0..3 where the JIT is involved. */
#include <criterion/criterion.h>
#include <unicorn/unicorn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "lib/llbc.h"
#include "lib/user/sys.h"
#include "servers/jit/server/jit_proto.h"
#include "servers/jit/server/jit_serve.h"
#include "servers/jit/server/jitsrv.h"
#include "tests/jit/lib/bcgen.h"
#include "tests/jit/diff/harness.h"

static struct jh H;

static void setup(void)
{
	cr_assert_eq(jh_init(&H, NULL), 0, "harness: %s", H.err);
}

static void teardown(void)
{
	jh_fini(&H);
}

static double seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static uint8_t genbuf[8u << 20];

static void read_generated(enum bcgen_kind kind, unsigned n, unsigned where)
{
	size_t len = bcgen_module(genbuf, sizeof genbuf, kind, n, where);
	cr_assert_gt(len, 0, "bcgen");
	cr_assert_eq(jh_read(&H, genbuf, len), 0, "%s", H.err);
}

static uint32_t call0(const char *fn)
{
	uint64_t r = 0;
	cr_assert_eq(jh_call(&H, fn, NULL, 0, &r), 0, "%s", H.err);
	return (uint32_t)r;
}

/* ---- constants ---------------------------------------------------------- */

TestSuite(constants, .init = setup, .fini = teardown, .timeout = 60);

Test(constants, shared_operands_are_evaluated_once)
{
	/* 40 levels of add (mul (L, L), L): 3^40 operands as a tree; the
	 * code of the issue took 6 s for 16 levels and tripled per level */
	for (unsigned n = 40; n <= 100; n += 60) {
		read_generated(BCGEN_SHARED, n, BCGEN_FUNC | BCGEN_GLOBAL);
		for (int t = 0; t <= JIT_MAX_TIER; t++) {
			double t0 = seconds();
			cr_assert_eq(jh_compile(&H, t), 0, "%u levels, tier %d: %s", n, t, H.err);
			cr_assert_lt(seconds() - t0, 1.0, "%u levels, tier %d: compile time", n, t);
			cr_assert_eq(call0("f"), bcgen_shared_value(n), "%u levels, tier %d: f", n, t);
			cr_assert_eq(call0("gk"), bcgen_shared_value(n), "%u levels, tier %d: global", n, t);
		}
	}
}

Test(constants, too_large_is_an_error_naming_the_function)
{
	/* a tree of 8191 distinct expressions, no sharing */
	read_generated(BCGEN_TREE, 14, BCGEN_FUNC);
	for (int t = 0; t <= JIT_MAX_TIER; t++) {
		double t0 = seconds();
		cr_assert_neq(jh_compile(&H, t), 0);
		cr_assert_lt(seconds() - t0, 1.0);
		cr_assert_str_eq(H.err, "compile: constant expression too large in function f "
			"(more than 4096 expressions)", "tier %d", t);
	}
}

Test(constants, too_large_is_an_error_naming_the_global)
{
	read_generated(BCGEN_TREE, 14, BCGEN_GLOBAL);
	for (int t = 0; t <= JIT_MAX_TIER; t++) {
		cr_assert_neq(jh_compile(&H, t), 0);
		cr_assert_str_eq(H.err, "compile: constant expression too large in global k "
			"(more than 4096 expressions)", "tier %d", t);
	}
}

Test(constants, just_under_the_limit_compiles)
{
	read_generated(BCGEN_TREE, 13, BCGEN_FUNC | BCGEN_GLOBAL); /* 4095 */
	for (int t = 0; t <= JIT_MAX_TIER; t++) {
		cr_assert_eq(jh_compile(&H, t), 0, "tier %d: %s", t, H.err);
		cr_assert_eq(call0("f"), 4096);
		cr_assert_eq(call0("gk"), 4096);
	}
}

Test(constants, two_addresses_added_are_refused_at_once)
{
	/* what LLVM itself can write: add (ptrtoint @g, ptrtoint @g), 40
	 * levels; the calling-convention pass used to walk it as a tree */
	read_generated(BCGEN_SHARED_PTR, 40, BCGEN_FUNC | BCGEN_GLOBAL);
	for (int t = 0; t <= JIT_MAX_TIER; t++) {
		double t0 = seconds();
		cr_assert_neq(jh_compile(&H, t), 0);
		cr_assert_lt(seconds() - t0, 1.0);
		cr_assert_str_eq(H.err, "compile: global k: unsupported initialiser", "tier %d", t);
	}
	read_generated(BCGEN_SHARED_PTR, 40, BCGEN_FUNC);
	for (int t = 0; t <= JIT_MAX_TIER; t++) {
		cr_assert_neq(jh_compile(&H, t), 0);
		cr_assert(strstr(H.err, "function f: ") && strstr(H.err, "constant"), "tier %d: %s", t, H.err);
	}
}

/* ---- budget -------------------------------------------------------------- */

TestSuite(budget, .init = setup, .fini = teardown, .timeout = 120);

static const char budget_src[] =
	"int helper(int x) { int s = 0; for (int i = 0; i < x; i++) s += i * x; return s; }\n"
	"int test_main(void) { int s = 0; for (int i = 0; i < 10; i++) s += helper(i); return s; }\n";

static uint8_t code[4u << 20], data[1u << 20], scratch[64u << 20];
static struct jit_reloc rel[1u << 16];
static struct jit_func_out fo[256];

/* jit_compile with opts.budget = b: 0, or -1 with the message in err. */
static int compile_budget(int tier, uint32_t b, struct jit_out *o, char *err, size_t n)
{
	struct ir_arena a;
	ir_arena_init(&a, scratch, sizeof scratch);
	jit_out_init(o, code, sizeof code, data, sizeof data, rel, 1u << 16, fo, 256);
	struct jit_opts opt = { .tier = tier, .only_func = -1, .budget = b };
	return jit_compile(H.m, &opt, &a, o, err, n);
}

Test(budget, a_tiny_budget_names_the_function_and_tier)
{
	char err[300], want[300];
	struct jit_out o;
	cr_assert_eq(jh_load_c(&H, budget_src, 1), 0, "%s", H.err);
	const char *first = NULL;	/* the first function compiled */
	for (uint32_t i = 0; i < H.m->nfuncs && !first; i++)
		if (!H.m->funcs[i]->is_decl)
			first = H.m->funcs[i]->v.name;
	for (int t = 0; t <= JIT_MAX_TIER; t++) {
		cr_assert_eq(compile_budget(t, 1, &o, err, sizeof err), -1, "tier %d", t);
		snprintf(want, sizeof want, "compile budget exceeded in function %s at tier %d", first, t);
		cr_assert_str_eq(err, want);
		cr_assert_eq(compile_budget(t, 0, &o, err, sizeof err), 0, "tier %d: %s", t, err);
	}
}

Test(budget, the_count_is_exact_and_repeats)
{
	char err[300];
	struct jit_out o;
	cr_assert_eq(jh_load_c(&H, budget_src, 0), 0, "%s", H.err);
	for (int t = 0; t <= JIT_MAX_TIER; t++) {
		cr_assert_eq(compile_budget(t, 0, &o, err, sizeof err), 0, "%s", err);
		uint64_t work = o.work, peak = o.work_peak;
		cr_assert_gt(peak, 0);
		cr_assert_eq(compile_budget(t, 0, &o, err, sizeof err), 0, "%s", err);
		cr_assert_eq(o.work, work, "tier %d: the same work twice", t);
		/* the function that spends most needs exactly its peak */
		cr_assert_eq(compile_budget(t, (uint32_t)peak, &o, err, sizeof err), 0, "tier %d: %s", t, err);
		cr_assert_eq(compile_budget(t, (uint32_t)peak - 1, &o, err, sizeof err), -1, "tier %d", t);
		cr_assert(strstr(err, "compile budget exceeded in function "), "%s", err);
		/* and the code does not depend on the budget */
		cr_assert_eq(jh_compile(&H, t), 0, "%s", H.err);
		cr_assert_eq(call0("test_main"), 870, "tier %d", t);
	}
}

/* A chain of n empty blocks laid out backwards, with two values live
 * from the entry to the exit: the liveness takes one sweep over all
 * blocks per block of the chain (tier 1 keeps the layout; block layout
 * at tier 2 and 3 puts the chain in order). */
static char *chain_ll(unsigned n, bool with_main)
{
	size_t cap = 64u * n + 1024, len = 0;
	char *s = malloc(cap);
	len += (size_t)snprintf(s + len, cap - len,
		"define i32 @chain(i32 %%x) {\nentry:\n  %%v0 = add i32 %%x, 1\n"
		"  %%v1 = mul i32 %%x, 3\n  br label %%b1\n");
	for (unsigned i = n; i >= 1; i--) {
		if (i < n)
			len += (size_t)snprintf(s + len, cap - len, "b%u:\n  br label %%b%u\n", i, i + 1);
		else
			len += (size_t)snprintf(s + len, cap - len, "b%u:\n  br label %%exit\n", i);
	}
	len += (size_t)snprintf(s + len, cap - len,
		"exit:\n  %%r = add i32 %%v0, %%v1\n  ret i32 %%r\n}\n"
		"define i32 @f(i32 %%x) {\n  %%y = mul i32 %%x, 7\n  %%z = add i32 %%y, 1\n  ret i32 %%z\n}\n");
	if (with_main)
		len += (size_t)snprintf(s + len, cap - len,
			"define i32 @test_main() {\n  %%a = call i32 @f(i32 2)\n"
			"  %%b = call i32 @chain(i32 5)\n  %%c = add i32 %%a, %%b\n  ret i32 %%c\n}\n");
	return s;
}

static void load_ll_text(const char *text)
{
	char path[] = "/tmp/jit_limits_XXXXXX.ll";
	int fd = mkstemps(path, 3);
	cr_assert_geq(fd, 0);
	cr_assert_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	int r = jh_load_ll(&H, path);
	unlink(path);
	cr_assert_eq(r, 0, "%s", H.err);
}

Test(budget, a_hostile_control_flow_graph_runs_out_of_the_default_budget)
{
	char *ll = chain_ll(2000, false);
	load_ll_text(ll);
	free(ll);
	for (int t = 0; t <= JIT_MAX_TIER; t++) {
		double t0 = seconds();
		int r = jh_compile(&H, t);
		cr_assert_lt(seconds() - t0, 2.0, "tier %d", t);
		if (t == 1) {
			cr_assert_neq(r, 0);
			cr_assert_str_eq(H.err, "compile: compile budget exceeded in function chain at tier 1");
			continue;
		}
		cr_assert_eq(r, 0, "tier %d: %s", t, H.err);
		uint64_t a = 5, ret;
		cr_assert_eq(jh_call(&H, "chain", &a, 1, &ret), 0, "%s", H.err);
		cr_assert_eq((uint32_t)ret, 21);
	}
}

/* ---- stack probes ------------------------------------------------------- */

TestSuite(probes, .init = setup, .fini = teardown, .timeout = 120);

static const char probe_src[] =
	"int vla(int n) { volatile char a[n]; a[0] = 1; a[n - 1] = 2; return a[0] + a[n - 1]; }\n"
	"int frame(int i) { volatile char a[65536]; a[i] = 1; a[65535 - i] = 2;\n"
	"  return a[i] + a[65535 - i]; }\n"
	"struct big { char b[61440]; };\n"
	"__attribute__((noinline)) int take(struct big s) { return s.b[0] + s.b[61439]; }\n"
	"struct big g;\n"
	"int pass(int i) { g.b[0] = (char)i; g.b[61439] = 2; return take(g); }\n";

/* The stack as a module task has it, small: its top 16 KiB mapped, an
 * unmapped guard page below, and below that other memory (filled with
 * 0xA5), which code that steps over the guard page would write into. */
#define STACK_TOP   (JH_STACK + JH_STACK_SIZE)
#define STACK_KEEP  (16u << 10)
#define GUARD       (STACK_TOP - STACK_KEEP - 4096)
#define OTHER_SIZE  (GUARD - JH_STACK)

static uint64_t fault_at;
static int faults;

static bool on_unmapped(uc_engine *uc, uc_mem_type type, uint64_t addr, int size, int64_t value, void *ud)
{
	(void)uc, (void)type, (void)size, (void)value, (void)ud;
	if (!faults++)
		fault_at = addr;
	return false;
}

static void small_stack(void)
{
	static uint8_t fill[OTHER_SIZE];
	memset(fill, 0xA5, sizeof fill);
	uc_engine *uc = (uc_engine *)H.engine;
	cr_assert_eq(uc_mem_unmap(uc, JH_STACK, JH_STACK_SIZE), UC_ERR_OK);
	cr_assert_eq(uc_mem_map(uc, STACK_TOP - STACK_KEEP, STACK_KEEP, UC_PROT_READ | UC_PROT_WRITE), UC_ERR_OK);
	cr_assert_eq(uc_mem_map(uc, JH_STACK, OTHER_SIZE, UC_PROT_READ | UC_PROT_WRITE), UC_ERR_OK);
	cr_assert_eq(uc_mem_write(uc, JH_STACK, fill, sizeof fill), UC_ERR_OK);
	uc_hook hk;
	cr_assert_eq(uc_hook_add(uc, &hk, UC_HOOK_MEM_UNMAPPED, (void *)on_unmapped, NULL, 1, 0), UC_ERR_OK);
	faults = 0;
	fault_at = 0;
}

static bool other_untouched(void)
{
	static uint8_t back[OTHER_SIZE];
	if (uc_mem_read((uc_engine *)H.engine, JH_STACK, back, sizeof back) != UC_ERR_OK)
		return false;
	for (size_t i = 0; i < sizeof back; i++)
		if (back[i] != 0xA5)
			return false;
	return true;
}

/* fn(arg) must stop at the guard page, the first page below the stack,
 * having written nothing below it. */
static void faults_at_the_guard(const char *fn, uint64_t arg)
{
	for (int t = 0; t <= JIT_MAX_TIER; t++) {
		cr_assert_eq(jh_compile(&H, t), 0, "tier %d: %s", t, H.err);
		small_stack();
		uint64_t ret = 0;
		int r = jh_call(&H, fn, &arg, 1, &ret);
		cr_assert_neq(r, 0, "%s, tier %d: ran to the end (returned %d) instead of faulting",
			      fn, t, (int)ret);
		cr_assert_eq(faults, 1, "%s, tier %d", fn, t);
		cr_assert(fault_at >= GUARD && fault_at < GUARD + 4096,
			  "%s, tier %d: fault at %#llx, not in the guard page at %#x", fn, t,
			  (unsigned long long)fault_at, GUARD);
		cr_assert(other_untouched(), "%s, tier %d: wrote below the guard page", fn, t);
	}
}

Test(probes, a_vla_of_a_mebibyte_faults_at_the_guard_page)
{
	cr_assert_eq(jh_load_c(&H, probe_src, 1), 0, "%s", H.err);
	faults_at_the_guard("vla", 1u << 20);
}

Test(probes, a_frame_of_64_kib_faults_at_the_guard_page)
{
	cr_assert_eq(jh_load_c(&H, probe_src, 1), 0, "%s", H.err);
	faults_at_the_guard("frame", 0);
}

Test(probes, a_byval_copy_of_60_kib_faults_at_the_guard_page)
{
	cr_assert_eq(jh_load_c(&H, probe_src, 1), 0, "%s", H.err);
	struct ir_func *take = ir_module_func(H.m, "take");
	cr_assert(take && take->nparams == 1 && (take->params[0].attrs.flags & IR_ATTR_BYVAL),
		  "take() must take its struct byval");
	faults_at_the_guard("pass", 1);
}

Test(probes, what_fits_still_runs)
{
	cr_assert_eq(jh_load_c(&H, probe_src, 1), 0, "%s", H.err);
	for (int t = 0; t <= JIT_MAX_TIER; t++) {
		cr_assert_eq(jh_compile(&H, t), 0, "tier %d: %s", t, H.err);
		small_stack();
		uint64_t ret = 0;
		for (uint64_t n = 1; n <= 12000; n = n * 3 + 1) {
			cr_assert_eq(jh_call(&H, "vla", &n, 1, &ret), 0, "tier %d, vla(%llu): %s", t,
				     (unsigned long long)n, H.err);
			cr_assert_eq((uint32_t)ret, n == 1 ? 4 : 3, "tier %d, vla(%llu)", t, (unsigned long long)n);
		}
		cr_assert_eq(faults, 0);
		cr_assert(other_untouched());
	}
}

/* ---- the jit server: module.c behind jit_serve.c, a stand-in kernel ---- */

/* The runtime the server links against: a tiny image and two symbols. */
__asm__(".section .rodata\n.globl rt_image, rt_image_end\n"
	"rt_image: .byte 0xc3, 0xcc, 0xcc, 0xcc\nrt_image_end:\n.previous\n");
const struct rt_sym rt_syms[] = { { "memcpy", 0x60000010u }, { "memset", 0x60000020u } };
const unsigned rt_nsyms = 2;
const uint32_t rt_entry_va = 0x60000000u;

/* The kernel: anonymous memory at fixed addresses of this process,
 * code installation (the staging pages move away), dispatch entries. */
static int installs, dispatch_sets, retires;
static int task_gone;	/* the module's task has ended: its capability is stale */
static uint32_t retired_va, retired_pages;
static uint32_t dispatch[RT_MAX_FUNCS];
static char console[1u << 16];
static size_t console_len;

int bf_sys(int nr, uint32_t a1, uint32_t a2, uint32_t a3, uint32_t a4, uint32_t a5, uint32_t a6)
{
	(void)a4, (void)a6;
	switch (nr) {
	case SYS_MAP_ANON: {
		void *p = mmap((void *)(uintptr_t)a1, (size_t)a2 * PAGE_SIZE, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
		return p == (void *)(uintptr_t)a1 ? 0 : E_NOMEM;
	}
	case SYS_UNMAP:
		munmap((void *)(uintptr_t)a1, (size_t)a2 * PAGE_SIZE);
		return 0;
	case SYS_CODE_INSTALL:	/* (task, src, pages, dst, kind) */
		if (task_gone && a5 == INSTALL_CODE)
			return E_BADCAP;
		if (a5 == INSTALL_RETIRE) {
			retires++;
			retired_va = a4;
			retired_pages = a3;
			return 0;
		}
		installs++;
		if (a5 == INSTALL_DATA_SHARED)
			mprotect((void *)(uintptr_t)a2, (size_t)a3 * PAGE_SIZE, PROT_READ);
		else
			munmap((void *)(uintptr_t)a2, (size_t)a3 * PAGE_SIZE);
		return 0;
	case SYS_DISPATCH_SET:	/* (task, index, value) */
		dispatch_sets++;
		if (a2 < RT_MAX_FUNCS)
			dispatch[a2] = a3;
		return 0;
	case SYS_CAP_DELETE:
		return 0;
	default:
		return E_NOSYS;
	}
}

int bf_printf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(console + console_len, sizeof console - console_len, fmt, ap);
	va_end(ap);
	if (n > 0)
		console_len += (size_t)n < sizeof console - console_len ? (size_t)n : 0;
	return n;
}

const char *bf_strerror(int err)
{
	(void)err;
	return "an error";
}

static uint8_t *msgarea;	/* what message addresses are offsets into */
static struct jit_env env;

static void drop_pages(void *ctx, uint32_t va, uint32_t pages) { (void)ctx, (void)va, (void)pages; }
static void drop_cap(void *ctx, uint32_t slot) { (void)ctx, (void)slot; }

static void server_setup(void)
{
	void *s = mmap((void *)(uintptr_t)SCRATCH_VA, SCRATCH_SIZE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	cr_assert_eq(s, (void *)(uintptr_t)SCRATCH_VA, "the jit server's scratch address is taken");
	msgarea = aligned_alloc(PAGE_SIZE, 64 * PAGE_SIZE);
	cr_assert_not_null(msgarea);
	env = (struct jit_env){ 0, (uintptr_t)msgarea, drop_pages, drop_cap, NULL, 0 };
	console_len = 0;
	task_gone = 0;
	console[0] = 0;
}

TestSuite(server, .init = server_setup, .timeout = 120);

static int32_t req(uint32_t badge, uint32_t label, uint32_t a, uint32_t b, uint32_t c, uint32_t d,
		   struct bf_msg *out)
{
	struct bf_msg m = { label, { a, b, c, d }, badge };
	jit_serve(&env, &m);
	if (out)
		*out = m;
	return (int32_t)m.w[0];
}

/* Bitcode from C (clang-19 -O1) or from LLVM IR text (llvm-as-19). */
static uint8_t *bitcode(const char *text, bool ll, size_t *len)
{
	char dir[] = "/tmp/jit_limits_XXXXXX", cmd[512], path[96];
	cr_assert_not_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/m.%s", dir, ll ? "ll" : "c");
	FILE *f = fopen(path, "w");
	cr_assert_not_null(f);
	fputs(text, f);
	fclose(f);
	if (ll)
		snprintf(cmd, sizeof cmd, "llvm-as-19 %s -o %s/m.bc", path, dir);
	else
		snprintf(cmd, sizeof cmd, "clang-19 --target=i686-unknown-none -m32 -ffreestanding -nostdlib "
			 "-emit-llvm -c -O1 -w %s -o %s/m.bc", path, dir);
	cr_assert_eq(system(cmd), 0, "%s", cmd);
	snprintf(path, sizeof path, "%s/m.bc", dir);
	uint8_t *bc = jh_slurp(path, len);
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	if (system(cmd)) {}
	cr_assert_not_null(bc);
	return bc;
}

/* A new slot with the module loaded from an LLBC file in granted pages:
 * its handle, or the load's error when `expect_ok` is false. */
static int32_t load(const char *name, const char *entry, const uint8_t *bc, size_t len, bool expect_ok)
{
	int32_t h = req(JIT_BADGE_INIT, JIT_NEW | MSG_CAP, 0, 7, 1, 0, NULL);
	cr_assert_geq(h, 0);
	struct llbc_header hd;
	cr_assert_eq(llbc_header_init(&hd, name, entry, 1, bc, (uint32_t)len), 0);
	cr_assert_leq(LLBC_HEADER_SIZE + len, 60 * PAGE_SIZE);
	llbc_header_encode(&hd, msgarea + PAGE_SIZE);
	memcpy(msgarea + PAGE_SIZE + LLBC_HEADER_SIZE, bc, len);
	uint32_t flen = (uint32_t)(LLBC_HEADER_SIZE + len), pages = (flen + PAGE_SIZE - 1) / PAGE_SIZE;
	int32_t r = req(JIT_BADGE_INIT, JIT_LOAD | MSG_GRANT, (uint32_t)h, flen, PAGE_SIZE, pages, NULL);
	if (expect_ok)
		cr_assert_eq(r, 0, "load of %s: %d; console: %s", name, r, console);
	return expect_ok ? h : r;
}

static int32_t func(int32_t h, const char *name)
{
	uint32_t a, b;
	jit_name_pack(name, &a, &b);
	int32_t f = req(JIT_BADGE_PROFILER, JIT_FUNC, (uint32_t)h, a, b, 0, NULL);
	cr_assert_geq(f, 0, "%s", name);
	return f;
}

static int32_t tier(int32_t h, int32_t f, int t)
{
	return req(JIT_BADGE_PROFILER, JIT_TIER, (uint32_t)h, (uint32_t)f, (uint32_t)t, 0, NULL);
}

static const char server_src[] =
	"int f(int x) { return x * 7 + 1; }\n"
	"int g(int x) { return x - 3; }\n"
	"int test_main(void) { return f(2) + g(5); }\n";

/* On two CPUs a module can end while the jit compiles its tier-up: the
 * install finds the task capability stale.  That is JIT_EGONE, said to
 * the profiler and to no one else (no console line), and the next module
 * is served. */
Test(server, a_module_gone_under_its_tier_up_is_silent)
{
	size_t len;
	uint8_t *bc = bitcode(server_src, false, &len);
	int32_t h = load("limits", "test_main", bc, len, true);
	int32_t f = func(h, "f");
	size_t said = console_len;
	int d = dispatch_sets;
	task_gone = 1;
	cr_assert_eq(tier(h, f, 1), JIT_EGONE);
	cr_assert_eq(console_len, said, "console: %s", console + said);
	cr_assert_eq(dispatch_sets, d, "no entry swapped");
	task_gone = 0;
	cr_assert_eq(req(JIT_BADGE_INIT, JIT_UNLOAD, (uint32_t)h, 0, 0, 0, NULL), 0);
	h = load("limits", "test_main", bc, len, true);
	cr_assert_eq(tier(h, func(h, "f"), 1), 0, "console: %s", console);
	free(bc);
}

Test(server, a_fourth_recompilation_is_refused)
{
	size_t len;
	uint8_t *bc = bitcode(server_src, false, &len);
	int32_t h = load("limits", "test_main", bc, len, true);
	int32_t f = func(h, "f"), g = func(h, "g");
	for (int t = 1; t <= 3; t++) {
		int n = installs;
		cr_assert_eq(tier(h, f, t), 0, "tier %d; console: %s", t, console);
		cr_assert_eq(installs, n + 1);
	}
	int n = installs, d = dispatch_sets;
	uint32_t entry = dispatch[f];
	cr_assert_eq(tier(h, f, 3), JIT_ELIMIT, "a fourth time");
	cr_assert_eq(tier(h, f, 1), JIT_ELIMIT, "nor to another tier");
	cr_assert_eq(installs, n, "nothing installed");
	cr_assert_eq(dispatch_sets, d);
	cr_assert_eq(dispatch[f], entry, "the third version stays");
	cr_assert(strstr(console, "jit: limits: recompile: function f was recompiled 3 times already, "
			 "the most for one function\n"), "console: %s", console);
	/* the slot and the other functions go on */
	cr_assert_eq(req(JIT_BADGE_INIT, JIT_FUNC_TIER, (uint32_t)h, (uint32_t)f, 0, 0, NULL), 3);
	cr_assert_eq(tier(h, g, 2), 0, "console: %s", console);
	cr_assert_eq(req(JIT_BADGE_INIT, JIT_FUNC_TIER, (uint32_t)h, (uint32_t)g, 0, 0, NULL), 2);
	/* a fresh load starts counting afresh */
	cr_assert_eq(req(JIT_BADGE_INIT, JIT_UNLOAD, (uint32_t)h, 0, 0, 0, NULL), 0);
	h = load("limits", "test_main", bc, len, true);
	cr_assert_eq(tier(h, func(h, "f"), 1), 0);
	free(bc);
}

/* Each recompilation of f has pages of its own; the next one retires
 * them (the kernel frees them once nothing of the module reaches them).
 * The load's image, which every function shares, is never retired. */
Test(server, a_recompiled_version_is_retired_by_the_next)
{
	size_t len;
	uint8_t *bc = bitcode(server_src, false, &len);
	int32_t h = load("limits", "test_main", bc, len, true);
	int32_t f = func(h, "f");
	int r0 = retires;
	cr_assert_eq(tier(h, f, 1), 0, "console: %s", console);
	cr_assert_eq(retires, r0, "the load's version is shared: kept");
	uint32_t v1 = dispatch[f];
	for (int t = 2; t <= 3; t++) {
		cr_assert_eq(tier(h, f, t), 0, "console: %s", console);
		cr_assert_eq(retires, r0 + t - 1);
		cr_assert(v1 >= retired_va && v1 < retired_va + retired_pages * PAGE_SIZE,
			  "tier %d retires the version before (%x in %x + %u pages)", t, v1, retired_va,
			  retired_pages);
		cr_assert(dispatch[f] < retired_va || dispatch[f] >= retired_va + retired_pages * PAGE_SIZE,
			  "never the live one");
		v1 = dispatch[f];
	}
	free(bc);
}

Test(server, a_failed_compile_installs_nothing_and_the_next_request_is_served)
{
	size_t len;
	char *ll = chain_ll(700, true);
	uint8_t *bc = bitcode(ll, true, &len);
	free(ll);
	int32_t h = load("chain", "test_main", bc, len, true);
	int32_t c = func(h, "chain"), f = func(h, "f");
	int n = installs, d = dispatch_sets;
	uint32_t entry = dispatch[c];
	cr_assert_eq(tier(h, c, 1), JIT_ECOMPILE);
	cr_assert(strstr(console, "jit: chain: recompile: compile budget exceeded in function chain "
			 "at tier 1\n"), "console: %s", console);
	cr_assert_eq(installs, n, "nothing installed");
	cr_assert_eq(dispatch_sets, d);
	cr_assert_eq(dispatch[c], entry);
	cr_assert_eq(req(JIT_BADGE_INIT, JIT_FUNC_TIER, (uint32_t)h, (uint32_t)c, 0, 0, NULL), 0);
	/* the next requests */
	struct bf_msg m;
	cr_assert_eq(req(JIT_BADGE_PROFILER, JIT_TIER, (uint32_t)h, (uint32_t)f, 3, 0, &m), 0,
		     "console: %s", console);
	cr_assert_eq(dispatch[f], m.w[2], "f's entry swapped to its tier-3 code");
	cr_assert_eq(tier(h, c, 2), 0, "chain at tier 2 (laid out in order: within budget)");
	free(bc);
	/* a load whose compile fails leaves the slot empty for the next one
	 * (40 levels of add (L, L) over an address: the server's 1 MiB IR
	 * arena could not even hold a constant of more than 4096 parts) */
	size_t glen = bcgen_module(genbuf, sizeof genbuf, BCGEN_SHARED_PTR, 40, BCGEN_GLOBAL);
	int32_t r = load("deep", "f", genbuf, glen, false);
	cr_assert_eq(r, JIT_ECOMPILE, "%d; console: %s", r, console);
	cr_assert(strstr(console, "jit: deep: compile: global k: unsupported initialiser\n"),
		  "console: %s", console);
	bc = bitcode(server_src, false, &len);
	h = load("limits", "test_main", bc, len, true);
	cr_assert_eq(tier(h, func(h, "g"), 1), 0);
	free(bc);
}
