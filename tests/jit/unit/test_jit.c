/* The micro-JIT end to end: C compiled by clang-19 at test time to
 * bitcode, read, compiled at every tier, run under Unicorn; results
 * compared with the same C compiled into this (host) test.  Also: clear
 * errors for unsupported constructs, call counters, tier-up by swapping
 * the dispatch table, and property tests (renamed functions and changed
 * constants never change correctness). */
#include <criterion/criterion.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tests/jit/diff/harness.h"

static struct jh H;
static bool ready;

static void setup(void)
{
	if (!ready) {
		cr_assert_eq(jh_init(&H, "build/host/jit/rt.elf"), 0, "%s", H.err);
		ready = true;
	}
}

/* Compiles C source text (after the fixed-width typedefs) with clang-19
 * at -O<o> and reads the module. */
static void load_src(const char *src, int o)
{
	static const char prelude[] =
		"typedef int int32_t; typedef unsigned uint32_t; typedef long long int64_t;\n"
		"typedef unsigned long long uint64_t; typedef unsigned char uint8_t;\n"
		"typedef short int16_t; typedef signed char int8_t; typedef unsigned short uint16_t;\n";
	char *text = malloc(sizeof prelude + strlen(src));
	cr_assert(text);
	strcpy(text, prelude);
	strcat(text, src);
	int rc = jh_load_c(&H, text, o);
	free(text);
	cr_assert_eq(rc, 0, "%s", H.err);
}

static uint64_t call(const char *fn, int n, const uint64_t *args)
{
	uint64_t r;
	cr_assert_eq(jh_call(&H, fn, args, n, &r), 0, "%s", H.err);
	return r;
}

/* The same program as host C and as text for clang. */
#define PROGRAM(name, ...) static const char *name##_src = #__VA_ARGS__; __VA_ARGS__

PROGRAM(p1,
int32_t f_mix(int32_t a, int32_t b) {
	uint32_t r = 0;
	int32_t da = (a | 1) == -1 ? 3 : (a | 1), db = (b | 1) == -1 ? 5 : (b | 1);
	for (int32_t i = 0; i < 16; i++) {
		r += (uint32_t)((a ^ (int32_t)((uint32_t)i * (uint32_t)b)) >> (i & 7));
		if (r & 1) r -= (uint32_t)b; else r ^= (uint32_t)a;
		switch ((r ^ (uint32_t)i) % 6) {
		case 0: r += 3; break; case 1: r *= 5; break; case 2: r = (uint32_t)((int32_t)r / db); break;
		case 3: r = (uint32_t)((int32_t)r % da); break; case 4: r = r >> 3; break;
		default: r = ~r;
		}
	}
	return (int32_t)r;
}
int64_t f_wide(int64_t a, int64_t b) {
	uint64_t x = (uint64_t)a * 0x9E3779B97F4A7C15ull + (uint64_t)b;
	x ^= x >> 29; x = x * (uint64_t)(b | 1);
	int64_t q = (int64_t)(x >> 3) / ((b & 0xffff) + 1), r = a % ((b & 0xff) + 3);
	return q + r + (int64_t)(x << (b & 31)) + (a < b) + ((uint64_t)a > (uint64_t)b);
}
uint32_t f_narrow(uint32_t a, uint32_t b) {
	uint8_t c = (uint8_t)a; int8_t d = (int8_t)b; uint16_t e = (uint16_t)(a >> 8); int16_t g = (int16_t)b;
	uint32_t r = (uint32_t)(c / 3 + d % 5 + e / (c | 1) + (g >> 3) + (c > d) + (e < (uint16_t)g));
	return r + (uint32_t)(uint8_t)(c * d) + (uint32_t)(int16_t)(e - g);
}
static int32_t f_rec(int32_t n) { return n < 2 ? n : f_rec(n - 1) + f_rec(n - 2); }
static int32_t f_tab[37];
int32_t f_calls(int32_t n) {
	int32_t (*fp)(int32_t) = f_rec;
	for (int32_t i = 0; i < 37; i++) f_tab[i] = i * i - n;
	int32_t s = fp(n % 15);
	for (int32_t i = 0; i < 37; i++) s += f_tab[(i * 7 + n) % 37];
	return s;
}
)

static const char *fns[] = { "f_mix", "f_wide", "f_narrow", "f_calls" };

static uint64_t host_call(int i, uint64_t a, uint64_t b)
{
	switch (i) {
	case 0: return (uint32_t)f_mix((int32_t)a, (int32_t)b);
	case 1: return (uint64_t)f_wide((int64_t)a, (int64_t)b);
	case 2: return f_narrow((uint32_t)a, (uint32_t)b);
	default: return (uint32_t)f_calls((int32_t)a);
	}
}

static const uint64_t samples[][2] = {
	{ 0, 0 }, { 1, 2 }, { 7, 3 }, { 0xffffffff, 5 }, { 0x80000000, 0xffffffff },
	{ 123456789, 987654321 }, { 0xdeadbeef, 0x1234 }, { 40, 13 },
};

static void check_all(int o, int tier)
{
	load_src(p1_src, o);
	cr_assert_eq(jh_compile(&H, tier), 0, "%s", H.err);
	for (int i = 0; i < 4; i++)
		for (size_t s = 0; s < sizeof samples / sizeof samples[0]; s++) {
			uint64_t a = samples[s][0], b = samples[s][1];
			if (i == 3) a %= 100;
			uint64_t args[2] = { a, b };
			if (i == 1) { args[0] = a * 0x10001ull; args[1] = b; }
			int n = i == 3 ? 1 : 2;
			uint64_t want = host_call(i, args[0], args[1]);
			uint64_t got = call(fns[i], n, args);
			if (i != 1) { want = (uint32_t)want; got = (uint32_t)got; }
			cr_assert_eq(got, want, "-O%d tier %d %s(%llu, %llu): got 0x%llx want 0x%llx", o, tier,
				     fns[i], (unsigned long long)args[0], (unsigned long long)args[1],
				     (unsigned long long)got, (unsigned long long)want);
		}
}

Test(jit, every_tier_every_olevel, .init = setup)
{
	for (int o = 0; o <= 3; o++)
		for (int t = 0; t <= JIT_MAX_TIER; t++)
			check_all(o, t);
}

Test(jit, unsupported_is_a_clear_error, .init = setup)
{
	/* float and double compile (isel_fp.c); x87 long double does not,
	 * and the message says how to build for it (cg/driver.c) */
	load_src("long double g_d; int f_float(int x) { g_d = x * 0.5L; return (int)(g_d * 3); }", 0);
	cr_assert_neq(jh_compile(&H, 0), 0);
	cr_assert(strstr(H.err, "f_float") && strstr(H.err, "long double (x86_fp80) is not supported") &&
		  strstr(H.err, "-mlong-double-64"), "%s", H.err);
	/* variadic functions compile (intrin.c va_start; cdecl calls) */
	load_src("int f_va(int n, ...) { __builtin_va_list ap; __builtin_va_start(ap, n);"
		 " int s = __builtin_va_arg(ap, int); __builtin_va_end(ap); return s; }"
		 " int f_vcall(int x) { return f_va(2, x + 1, 5); }", 0);
	cr_assert_eq(jh_compile(&H, 1), 0, "%s", H.err);
	uint64_t va_args[1] = { 41 };
	cr_assert_eq((uint32_t)call("f_vcall", 1, va_args), 42);
	typedef int v4 __attribute__((vector_size(16)));
	(void)sizeof(v4);
	load_src("typedef int v4 __attribute__((vector_size(16))); v4 g;"
		 "int f_vec(int x) { v4 a = {x, x, x, x}; g = a * a; return g[1]; }", 0);
	cr_assert_neq(jh_compile(&H, 2), 0);
	cr_assert(strstr(H.err, "f_vec"), "%s", H.err);
}

Test(jit, call_counters_and_tier_up, .init = setup)
{
	load_src(p1_src, 2);
	cr_assert_eq(jh_compile(&H, 0), 0, "%s", H.err);
	uint64_t args[2] = { 40, 13 };
	uint64_t want = (uint32_t)f_calls(40);
	for (int i = 0; i < 5; i++)
		cr_assert_eq((uint32_t)call("f_calls", 1, args), want);
	cr_assert_eq(jh_counter(&H, "f_calls"), 5);
	/* recompile the callee at every higher tier; calls go through the
	 * dispatch table, so the caller picks it up */
	for (int t = 1; t <= JIT_MAX_TIER; t++) {
		cr_assert_eq(jh_recompile(&H, "f_rec", t), 0, "%s", H.err);
		cr_assert_eq((uint32_t)call("f_calls", 1, args), want);
		cr_assert_eq(jh_recompile(&H, "f_calls", t), 0, "%s", H.err);
		cr_assert_eq((uint32_t)call("f_calls", 1, args), want);
	}
}

/* Tier-0 code accumulates each function's cycles (rdtsc at entry and
 * at every return, inclusive of callees) into a 64-bit slot after the
 * call counters; other tiers leave it at 0.  Results (32-bit, i64 and
 * sret returns, several return paths, recursion) are unchanged. */
PROGRAM(p_cyc,
struct c_pair { int32_t a, b, c; };
int64_t c_wide(int32_t x) { return x < 0 ? -(int64_t)x * 0x100000001ll : (int64_t)x * 0x7fffffff01ll + 3; }
int32_t c_rec(int32_t n) { if (n <= 1) return n + 1; return c_rec(n - 1) + (n & 3); }
struct c_pair c_ret(int32_t x) { struct c_pair p = { x, x * 3, x ^ 9 }; return p; }
int32_t c_main(int32_t n) {
	int32_t s = 0;
	for (int32_t i = 0; i < n; i++) {
		int64_t w = c_wide(i - 5);
		struct c_pair p = c_ret(i);
		s += (int32_t)(w >> 33) ^ (int32_t)w;
		s += p.a + p.b - p.c + c_rec(i & 7);
	}
	return s;
}
)

Test(jit, tier0_cycle_accumulators, .init = setup)
{
	uint64_t args[1] = { 23 }, neg[1] = { (uint32_t)-7 };
	uint32_t want = (uint32_t)c_main(23);
	uint64_t wantw = (uint64_t)c_wide(-7);
	static const char *fns[] = { "c_main", "c_wide", "c_rec", "c_ret" };
	for (int o = 0; o <= 2; o++) {
		load_src(p_cyc_src, o);
		for (int t = 0; t <= JIT_MAX_TIER; t++) {
			cr_assert_eq(jh_compile(&H, t), 0, "%s", H.err);
			for (int k = 0; k < 4; k++) {
				struct ir_func *f = ir_module_func(H.m, fns[k]);
				if (!f || f->is_decl)
					continue; /* inlined/removed by clang */
				uint32_t co = H.o.funcs[f->v.id].cycles_off;
				cr_assert_eq(co & 7, 0, "cycles_off aligned");
				cr_assert(co >= H.o.funcs[H.m->nfuncs - 1].counter_off + 4,
					  "accumulators after the counters");
				cr_assert(co + 8 <= H.o.data_len);
			}
			cr_assert_eq((uint32_t)call("c_main", 1, args), want, "-O%d tier %d", o, t);
			cr_assert_eq(call("c_wide", 1, neg), wantw, "-O%d tier %d", o, t);
			uint64_t c1 = jh_cycles(&H, "c_main");
			uint64_t w1 = jh_cycles(&H, "c_wide");
			if (t > 0) {
				for (int k = 0; k < 4; k++)
					cr_assert_eq(jh_cycles(&H, fns[k]), 0, "-O%d tier %d %s", o, t, fns[k]);
				continue;
			}
			cr_assert_gt(c1, 0, "-O%d", o);
			cr_assert_gt(w1, 0, "-O%d", o);
			cr_assert_eq((uint32_t)call("c_main", 1, args), want);
			cr_assert_eq(call("c_wide", 1, neg), wantw);
			cr_assert_gt(jh_cycles(&H, "c_main"), c1, "-O%d: grows with calls", o);
			cr_assert_gt(jh_cycles(&H, "c_wide"), w1, "-O%d: grows with calls", o);
			/* recompiled at a higher tier: same data layout, no
			 * more accumulation, results unchanged */
			uint64_t c2 = jh_cycles(&H, "c_main");
			cr_assert_eq(jh_recompile(&H, "c_main", 2), 0, "%s", H.err);
			cr_assert_eq((uint32_t)call("c_main", 1, args), want);
			cr_assert_eq(jh_cycles(&H, "c_main"), c2);
			cr_assert_eq(jh_counter(&H, "c_main"), 3);
		}
	}
}

/* Inlining (tier >= 2): small callees are copied into the recompiled
 * caller, which still counts its own calls; the inlined callees' counters
 * stay put; recursion and explicit noinline (without optnone) are not
 * inlined.  Results equal the host's at every tier. */
PROGRAM(p_inl,
static int32_t i_sq(int32_t x) { return x * x; }
static int32_t i_max(int32_t a, int32_t b) { if (a > b) return a; return b; }
static void i_put(int32_t *p, int32_t v) { int32_t t[2]; t[0] = v; t[1] = v ^ 5; *p = t[0] + t[1]; }
static int32_t i_fact(int32_t n) { return n <= 1 ? 1 : n * i_fact(n - 1); }
static uint8_t i_low(uint32_t x) { return (uint8_t)(x * 3u); }
__attribute__((noinline)) static int32_t i_keep(int32_t x) { return x + 1; }
int32_t i_main(int32_t n) {
	int32_t s = 0;
	for (int32_t i = 0; i < n; i++) {
		int32_t q;
		i_put(&q, i);
		s += i_max(i_sq(i - 7), q) + i_low((uint32_t)(s + i)) + i_fact(i & 7) + i_keep(i);
	}
	return s;
}
)

Test(jit, inlining_keeps_counters_and_results, .init = setup)
{
	uint64_t args[1] = { 37 };
	uint32_t want = (uint32_t)i_main(37);
	for (int o = 0; o <= 2; o++) {
		load_src(p_inl_src, o);
		for (int t = 0; t <= JIT_MAX_TIER; t++) {
			cr_assert_eq(jh_compile(&H, t), 0, "%s", H.err);
			cr_assert_eq((uint32_t)call("i_main", 1, args), want, "-O%d tier %d", o, t);
		}
		if (o == 1) {
			/* explicit noinline (without optnone) is respected */
			cr_assert_eq(jh_compile(&H, 0), 0, "%s", H.err);
			cr_assert_eq((uint32_t)call("i_main", 1, args), want);
			cr_assert_eq(jh_counter(&H, "i_keep"), 37);
			cr_assert_eq(jh_recompile(&H, "i_main", 3), 0, "%s", H.err);
			cr_assert_eq((uint32_t)call("i_main", 1, args), want);
			cr_assert_eq(jh_counter(&H, "i_keep"), 74, "noinline callee still called");
		}
		if (o != 0)
			continue;
		/* -O0: every function is noinline+optnone (a blanket marking
		 * that the inliner ignores) */
		cr_assert_eq(jh_compile(&H, 0), 0, "%s", H.err);
		cr_assert_eq((uint32_t)call("i_main", 1, args), want);
		cr_assert_eq(jh_counter(&H, "i_main"), 1);
		cr_assert_eq(jh_counter(&H, "i_sq"), 37);
		cr_assert_eq(jh_counter(&H, "i_keep"), 37);
		cr_assert_eq(jh_recompile(&H, "i_main", 2), 0, "%s", H.err);
		cr_assert_eq((uint32_t)call("i_main", 1, args), want);
		cr_assert_eq(jh_counter(&H, "i_main"), 2, "the recompiled caller still counts");
		cr_assert_eq(jh_counter(&H, "i_sq"), 37, "i_sq was inlined");
		cr_assert_eq(jh_counter(&H, "i_put"), 37, "i_put was inlined");
		cr_assert(jh_counter(&H, "i_fact") > 37, "i_fact is recursive: still called");
		cr_assert_eq(jh_counter(&H, "i_keep"), 37, "-O0 noinline+optnone: inlined");
		/* tier 3 has no counter of its own */
		cr_assert_eq(jh_recompile(&H, "i_main", 3), 0, "%s", H.err);
		cr_assert_eq((uint32_t)call("i_main", 1, args), want);
		cr_assert_eq(jh_counter(&H, "i_main"), 2);
	}
}

/* Loop unrolling (tier 3 only): a counted loop, a loop whose phis swap
 * values and a loop with an early exit give the same results as tier 0
 * (and the host) for trip counts 0..20 — none of them a concern for the
 * unroller, which keeps every exit test — and tier 3 reports unrolled
 * loops where tier 2 reports none: at -O1 the first two (the heuristics
 * leave loops with two exits alone), all three with unroll_all (no
 * heuristics); at -O2 only with unroll_all (clang has unrolled the loops
 * itself; its remainder loops have too many values live through them). */
PROGRAM(p_unr,
uint32_t u_sum(uint32_t n, uint32_t k) {
	uint32_t s = k;
	for (uint32_t i = 0; i < n; i++)
		s = s * 31 + i;
	return s;
}
uint32_t u_fib(uint32_t n, uint32_t k) {
	uint32_t a = k, b = 1;
	while (n-- > 0) {
		uint32_t t = a + b;
		a = b;
		b = t;
	}
	return a;
}
static uint32_t u_tab[24] = { 3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8, 9, 7, 9, 3, 2, 3, 8, 4, 6, 2, 6, 4 };
uint32_t u_find(uint32_t n, uint32_t k) {
	uint32_t i;
	for (i = 0; i < n; i++)
		if (u_tab[i] == k)
			break;
	return i * 100 + n;
}
)

static uint64_t unr_host(int f, uint32_t n, uint32_t k)
{
	return f == 0 ? u_sum(n, k) : f == 1 ? u_fib(n, k) : u_find(n, k);
}

Test(jit, unrolling_at_tier3_only, .init = setup)
{
	static const char *ufns[] = { "u_sum", "u_fib", "u_find" };
	for (int o = 0; o <= 2; o++) {
		load_src(p_unr_src, o);
		uint64_t want[3][21][2];
		cr_assert_eq(jh_compile(&H, 0), 0, "%s", H.err);
		cr_assert_eq(H.o.loops_unrolled, 0);
		for (int f = 0; f < 3; f++)
			for (uint32_t n = 0; n <= 20; n++)
				for (uint32_t k = 0; k < 2; k++) {
					uint64_t args[2] = { n, 5 + 4 * k };
					want[f][n][k] = (uint32_t)call(ufns[f], 2, args);
					cr_assert_eq(want[f][n][k], unr_host(f, n, (uint32_t)args[1]),
						     "-O%d tier 0 %s(%u)", o, ufns[f], n);
				}
		for (int t = 1; t <= JIT_MAX_TIER + 1; t++) {
			/* JIT_MAX_TIER + 1: tier 3 with unroll_all */
			H.unroll_all = t > JIT_MAX_TIER;
			int rc = jh_compile(&H, t > JIT_MAX_TIER ? JIT_MAX_TIER : t);
			H.unroll_all = false;
			cr_assert_eq(rc, 0, "%s", H.err);
			uint32_t nu = H.o.loops_unrolled;
			if (t < 3)
				cr_assert_eq(nu, 0, "-O%d tier %d unrolled", o, t);
			else if (o == 1)
				cr_assert_eq(nu, t == 3 ? 2u : 3u, "-O1 tier 3%s: %u loops unrolled",
					     t == 3 ? "" : " all", nu);
			else if (t > 3 || o == 0)
				cr_assert(nu > 0, "-O%d tier 3%s: nothing unrolled", o, t == 3 ? "" : " all");
			for (int f = 0; f < 3; f++)
				for (uint32_t n = 0; n <= 20; n++)
					for (uint32_t k = 0; k < 2; k++) {
						uint64_t args[2] = { n, 5 + 4 * k };
						cr_assert_eq((uint32_t)call(ufns[f], 2, args), want[f][n][k],
							     "-O%d tier %d %s(%u)", o, t, ufns[f], n);
					}
		}
	}
}

/* Property: renaming every function and changing constants never changes
 * correctness (nothing keys on known programs). */
static const char *templ =
	"static uint32_t %s(uint32_t x, uint32_t y) { return (x * %uu + y) ^ (x >> %u); }\n"
	"static uint32_t %s(uint32_t n) { uint32_t s = %uu; for (uint32_t i = 0; i < n; i++)"
	" s = %s(s, i) + (s %% %uu); return s; }\n"
	"uint32_t %s(uint32_t n) { return %s(n) - %uu; }\n";

static uint32_t ref(uint32_t n, uint32_t k1, uint32_t k2, uint32_t k3, uint32_t k4, uint32_t k5)
{
	uint32_t s = k3;
	for (uint32_t i = 0; i < n; i++)
		s = ((s * k1 + i) ^ (s >> k2)) + (s % k4);
	return s - k5;
}

Test(jit, property_renaming_and_constants, .init = setup)
{
	srand(4242);
	for (int round = 0; round < 12; round++) {
		char a[32], b[32], e[32], src[2048];
		snprintf(a, sizeof a, "q%d_%x", round, rand());
		snprintf(b, sizeof b, "main_%x", rand());
		snprintf(e, sizeof e, round & 1 ? "test_main" : "z%08x", rand());
		uint32_t k1 = (uint32_t)rand(), k2 = (uint32_t)rand() % 32, k3 = (uint32_t)rand();
		uint32_t k4 = (uint32_t)rand() % 1000 + 1, k5 = (uint32_t)rand();
		snprintf(src, sizeof src, templ, a, k1, k2, b, k3, a, k4, e, b, k5);
		int o = round % 4, t = round % (JIT_MAX_TIER + 1);
		load_src(src, o);
		cr_assert_eq(jh_compile(&H, t), 0, "%s", H.err);
		for (uint32_t n = 0; n < 40; n += 13) {
			uint64_t args[1] = { n };
			cr_assert_eq((uint32_t)call(e, 1, args), ref(n, k1, k2, k3, k4, k5),
				     "round %d (-O%d tier %d) n=%u", round, o, t, n);
		}
	}
}

/* cdecl both ways with i686 gcc code: sret (callee pops the pointer),
 * byval structs, signext/zeroext narrow arguments and results, i64, and
 * native code calling JIT functions through pointers. */
#include "tests/jit/diff/native/abi.c"

PROGRAM(pabi,
struct abi_s native_make(int x);
int native_take(struct abi_s s, signed char c, unsigned short u);
long long native_ll(long long a, int b);
int native_calls(int (*f)(struct abi_s, int), int x);
int native_calls_sret(struct abi_s (*f)(int), int x);
signed char native_sc(int x);
unsigned short native_us(int x);
int jit_take(struct abi_s s, int x) { s.a += 1000; return s.a * x + s.d[0] + s.c + s.b; }
struct abi_s jit_make(int x) { struct abi_s s = native_make(x * 5); s.d[1] -= 77; return s; }
int abi_main(int x) {
	struct abi_s s = native_make(x);
	int r = native_take(s, (signed char)-5, (unsigned short)60000);
	r += s.a;
	r += (int)native_ll(123456789LL + x, x);
	r += native_calls(jit_take, x);
	r += native_calls_sret(jit_make, x);
	r += native_sc(200 + x) + native_us(-3 - x);
	r += jit_take(s, 3) + s.a;
	return r;
}
)

Test(jit, native_abi)
{
	static struct jh A;
	cr_assert_eq(jh_init(&A, "build/host/jit/abi.elf"), 0, "%s", A.err);
	for (int o = 0; o <= 3; o += 1) {
		char dir[] = "/tmp/test_jit_XXXXXX";
		cr_assert(mkdtemp(dir));
		char path[256], cmd[1024];
		snprintf(path, sizeof path, "%s/m.c", dir);
		FILE *f = fopen(path, "w");
		fputs(pabi_src, f);
		fclose(f);
		snprintf(cmd, sizeof cmd, "clang-19 --target=i686-unknown-none -m32 -ffreestanding -nostdlib "
			 "-emit-llvm -c -O%d -w -include tests/jit/diff/native/abi.h %s/m.c -o %s/m.bc", o, dir, dir);
		cr_assert_eq(system(cmd), 0);
		snprintf(path, sizeof path, "%s/m.bc", dir);
		size_t len;
		uint8_t *bc = jh_slurp(path, &len);
		cr_assert_eq(jh_read(&A, bc, len), 0, "%s", A.err);
		free(bc);
		snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
		if (system(cmd)) {}
		for (int t = 0; t <= JIT_MAX_TIER; t++) {
			cr_assert_eq(jh_compile(&A, t), 0, "%s", A.err);
			for (int x = 1; x < 40; x += 9) {
				uint64_t args[1] = { (uint64_t)x }, r;
				cr_assert_eq(jh_call(&A, "abi_main", args, 1, &r), 0, "%s", A.err);
				cr_assert_eq((int32_t)r, abi_main(x), "-O%d tier %d x=%d: got %d want %d", o, t, x,
					     (int32_t)r, abi_main(x));
			}
		}
	}
	jh_fini(&A);
}

/* Saturating arithmetic: clang -O1 and up turns these patterns into
 * llvm.{s,u}{add,sub}.sat (checked below in the IR), which every tier
 * compiles; results against the host for edge values. */
PROGRAM(p_sat,
int32_t s_add(int32_t a, int32_t b) { int32_t r;
	if (__builtin_add_overflow(a, b, &r)) return a > 0 ? 0x7fffffff : (int32_t)0x80000000u; return r; }
int32_t s_sub(int32_t a, int32_t b) { int32_t r;
	if (__builtin_sub_overflow(a, b, &r)) return a >= 0 ? 0x7fffffff : (int32_t)0x80000000u; return r; }
uint32_t u_add(uint32_t a, uint32_t b) { uint32_t r = a + b; return r < a ? 0xffffffffu : r; }
uint32_t u_sub(uint32_t a, uint32_t b) { return a > b ? a - b : 0; }
uint32_t u8_add(uint32_t a, uint32_t b) { uint32_t s = (uint32_t)(uint8_t)a + (uint8_t)b;
	return (uint8_t)(s > 255 ? 255 : s); }
int32_t s8_add(int32_t a, int32_t b) { int32_t s = (int8_t)a + (int8_t)b;
	return (int8_t)(s > 127 ? 127 : s < -128 ? -128 : s); }
int32_t s16_sub(int32_t a, int32_t b) { int32_t s = (int16_t)a - (int16_t)b;
	return (int16_t)(s > 32767 ? 32767 : s < -32768 ? -32768 : s); }
)

Test(jit, saturating_arithmetic, .init = setup)
{
	static const char *names[] = { "s_add", "s_sub", "u_add", "u_sub", "u8_add", "s8_add", "s16_sub" };
	static const uint32_t vals[] = { 0, 1, 2, 0x7f, 0x80, 0xff, 0x7fff, 0x8000, 0x7ffffffe, 0x7fffffff,
					 0x80000000u, 0x80000001u, 0xfffffffeu, 0xffffffffu, 12345, 0xffff8000u };
	for (int o = 0; o <= 3; o++) {
		load_src(p_sat_src, o);
		if (o >= 1) {
			bool sat = false;
			for (uint32_t i = 0; i < H.m->nfuncs; i++)
				if (H.m->funcs[i]->v.name && strstr(H.m->funcs[i]->v.name, ".sat."))
					sat = true;
			cr_expect(sat, "-O%d: clang made no saturating intrinsic", o);
		}
		for (int t = 0; t <= JIT_MAX_TIER; t++) {
			cr_assert_eq(jh_compile(&H, t), 0, "-O%d tier %d: %s", o, t, H.err);
			for (int f = 0; f < 7; f++)
				for (unsigned i = 0; i < sizeof vals / sizeof vals[0]; i++)
					for (unsigned j = 0; j < sizeof vals / sizeof vals[0]; j++) {
						uint32_t a = vals[i], b = vals[j], want;
						switch (f) {
						case 0: want = (uint32_t)s_add((int32_t)a, (int32_t)b); break;
						case 1: want = (uint32_t)s_sub((int32_t)a, (int32_t)b); break;
						case 2: want = u_add(a, b); break;
						case 3: want = u_sub(a, b); break;
						case 4: want = u8_add(a, b); break;
						case 5: want = (uint32_t)s8_add((int32_t)a, (int32_t)b); break;
						default: want = (uint32_t)s16_sub((int32_t)a, (int32_t)b); break;
						}
						uint64_t args[2] = { a, b };
						uint32_t got = (uint32_t)call(names[f], 2, args);
						cr_expect_eq(got, want, "-O%d t%d %s(%#x, %#x): got %#x want %#x",
							     o, t, names[f], a, b, got, want);
					}
		}
	}
}

/* i25..i31 and i57..i63 in memory (4 and 8 bytes; packed structs and
 * SROA produce them): IR text tests/inputs/bitcode/odd_widths.ll, every tier. */
Test(jit, odd_width_memory, .init = setup)
{
	cr_assert_eq(jh_load_ll(&H, "tests/inputs/bitcode/odd_widths.ll"), 0, "%s", H.err);
	static const uint32_t xs[] = { 0, 1, 0x7ffffff, 0x8000000, 0xdeadbeef, 0xffffffff };
	for (int t = 0; t <= JIT_MAX_TIER; t++) {
		cr_assert_eq(jh_compile(&H, t), 0, "tier %d: %s", t, H.err);
		for (unsigned i = 0; i < sizeof xs / sizeof xs[0]; i++) {
			uint64_t x = xs[i], args[1] = { x };
			uint64_t e2 = (x * 1234567891ull) & ((1ull << 61) - 1);
			uint32_t want = (uint32_t)((x & ((1u << 27) - 1)) + (uint32_t)(e2 >> 29));
			cr_expect_eq((uint32_t)call("odd", 1, args), want, "tier %d odd(%#llx)", t,
				     (unsigned long long)x);
		}
	}
}

/* 64-bit multiplication with overflow (the runtime's lib/mulo64.c): edge
 * values and a fixed-seed random sample (seed printed on failure), every
 * level and tier, against the host's __builtin_mul_overflow. */
PROGRAM(p_mulo,
int32_t m_s64(int64_t a, int64_t b) { int64_t r; int o = __builtin_mul_overflow(a, b, &r);
	return o * 0x10000 + (int32_t)((uint64_t)r ^ ((uint64_t)r >> 29)); }
int32_t m_u64(uint64_t a, uint64_t b) { uint64_t r; int o = __builtin_mul_overflow(a, b, &r);
	return o * 0x10000 + (int32_t)(r ^ (r >> 29)); }
)

Test(jit, mul_overflow_64, .init = setup)
{
	uint64_t vals[40] = { 0, 1, 2, 3, 0xffffffffull, 0x100000000ull, 0x7fffffffffffffffull,
			      0x8000000000000000ull, 0xffffffffffffffffull, 0xfffffffffffffffeull,
			      0xb504f333ull, 0xb504f334ull, 0x3037000499ull, 0xc000000000000000ull };
	uint64_t x = 0x9e3779b97f4a7c15ull; /* seed */
	for (int i = 14; i < 40; i++) {
		x ^= x << 13; x ^= x >> 7; x ^= x << 17;
		vals[i] = x >> (x & 63);
	}
	for (int o = 0; o <= 3; o += 2) {
		load_src(p_mulo_src, o);
		for (int t = 0; t <= JIT_MAX_TIER; t += 3) {
			cr_assert_eq(jh_compile(&H, t), 0, "-O%d tier %d: %s", o, t, H.err);
			for (int i = 0; i < 40; i++)
				for (int j = 0; j < 40; j++) {
					uint64_t args[2] = { vals[i], vals[j] };
					uint32_t ws = (uint32_t)m_s64((int64_t)vals[i], (int64_t)vals[j]);
					uint32_t wu = (uint32_t)m_u64(vals[i], vals[j]);
					cr_expect_eq((uint32_t)call("m_s64", 2, args), ws, "-O%d t%d m_s64(%#llx, %#llx) seed 0x9e3779b97f4a7c15",
						     o, t, (unsigned long long)vals[i], (unsigned long long)vals[j]);
					cr_expect_eq((uint32_t)call("m_u64", 2, args), wu, "-O%d t%d m_u64(%#llx, %#llx)",
						     o, t, (unsigned long long)vals[i], (unsigned long long)vals[j]);
				}
		}
	}
}
