/* Random placement (jit_opts.secure & JIT_SEC_RANDOM): each function
 * starts after a gap drawn from the compile's seed, so two compiles with
 * different seeds place the module's functions differently, one seed
 * always the same way, and the code computes the same; with the sandbox
 * too, the gaps are whole INT3 bundles the verifier accepts and entries
 * stay bundle starts.  Without JIT_SEC_RANDOM the layout does not depend
 * on the seed (so the first test fails if the placement is not random). */
#include <criterion/criterion.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tests/jit/diff/harness.h"

static struct jh H;

static const char src[] =
	"static int sq(int x) { return x * x; }\n"
	"static int cube(int x) { return x * sq(x); }\n"
	"__attribute__((noinline)) int poly(int x) { return cube(x) + 3 * sq(x) + 7; }\n"
	"__attribute__((noinline)) int walk(int n) { int s = 0; for (int i = 0; i < n; i++) s += poly(i) ^ i; return s; }\n"
	"int rmain(int n) { return walk(n) + poly(n); }\n";

static int expect(int n)
{
	int s = 0;
	for (int i = 0; i < n; i++)
		s += (i * i * i + 3 * i * i + 7) ^ i;
	return s + n * n * n + 3 * n * n + 7;
}

/* The code offsets of every function after a compile with seed s. */
static void layout(uint32_t secure, uint64_t s, int tier, uint32_t *off, uint32_t n)
{
	H.secure = secure;
	H.seed = s;
	cr_assert_eq(jh_compile(&H, tier), 0, "%s", H.err);
	for (uint32_t i = 0; i < n && i < H.o.nfuncs; i++)
		off[i] = H.o.funcs[i].code_off;
	uint64_t arg = 40, r;
	cr_assert_eq(jh_call(&H, "rmain", &arg, 1, &r), 0, "%s", H.err);
	cr_assert_eq((int32_t)r, expect(40), "seed %llu tier %d", (unsigned long long)s, tier);
}

static void check(uint32_t secure)
{
	cr_assert_eq(jh_init(&H, "build/host/jit/rt.elf"), 0, "%s", H.err);
	cr_assert_eq(jh_load_c(&H, src, 1), 0, "%s", H.err);
	for (int t = 0; t <= JIT_MAX_TIER; t++) {
		uint32_t a[8] = { 0 }, b[8] = { 0 }, a2[8] = { 0 };
		layout(secure, 1, t, a, 8);
		layout(secure, 2, t, b, 8);
		layout(secure, 1, t, a2, 8);
		cr_assert(memcmp(a, b, sizeof a) != 0, "tier %d: seeds 1 and 2 gave the same layout", t);
		cr_assert(memcmp(a, a2, sizeof a) == 0, "tier %d: seed 1 twice gave two layouts", t);
		for (uint32_t i = 0; (secure & JIT_SEC_SANDBOX) && i < H.o.nfuncs; i++)
			cr_assert(!H.o.funcs[i].defined || (H.o.funcs[i].code_off & 31) == 0, "entry off a bundle");
	}
	/* without the defence the seed changes nothing */
	uint32_t a[8] = { 0 }, b[8] = { 0 };
	layout(secure & ~(uint32_t)JIT_SEC_RANDOM, 1, 3, a, 8);
	layout(secure & ~(uint32_t)JIT_SEC_RANDOM, 2, 3, b, 8);
	cr_assert(memcmp(a, b, sizeof a) == 0, "a layout moved without JIT_SEC_RANDOM");
	jh_fini(&H);
}

Test(jit_random, layouts_differ_per_seed) { check(JIT_SEC_RANDOM); }
Test(jit_random, sandboxed_and_verified) { check(JIT_SEC_RANDOM | JIT_SEC_SANDBOX); }
