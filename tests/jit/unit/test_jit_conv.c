/* The register convention between module functions (servers/jit/cg/
 * conv.c): which functions take their first words in ECX/EDX, and that
 * calls agree on it at every tier and -O level, across a function
 * recompiled at another tier, through function pointers and with the
 * module entry called from outside.  Results against the same C built
 * into this test. */
#include <criterion/criterion.h>
#include <stdint.h>
#include <string.h>

#include "tests/jit/unit/jit_insns.h"
#include "tests/jit/diff/harness.h"

#define SRC(...) #__VA_ARGS__
#define CONV_SOURCE SRC(                                                          \
	typedef unsigned u32; typedef unsigned long long u64; typedef unsigned char u8; \
	struct node { int key; struct node *l, *r; };                             \
	static struct node pool[64]; static int used;                             \
	__attribute__((noinline)) static int fib(int n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); } \
	__attribute__((noinline)) static struct node *ins(struct node *t, int k) { \
		if (!t) { t = &pool[used++]; t->key = k; t->l = t->r = 0; return t; } \
		if (k < t->key) t->l = ins(t->l, k); else t->r = ins(t->r, k); return t; } \
	__attribute__((noinline)) static int depth(const struct node *t, int d) { \
		return t ? t->key * d + depth(t->l, d + 1) + depth(t->r, d + 1) : 0; } \
	__attribute__((noinline)) static u32 three(u32 a, u32 b, u32 c) { return a * 3 + b * 5 + c * 7 + (a ^ c); } \
	__attribute__((noinline)) static u32 swap2(u32 a, u32 b) { return a * 10 + b; } \
	__attribute__((noinline)) static u64 wide(u64 a, u32 b) { return a * b + 1; } \
	__attribute__((noinline)) static u32 mixed(u32 a, u64 b, u32 c) { return a + (u32)(b >> 7) + c * 3; } \
	__attribute__((noinline)) static u32 narrow(u8 a, u32 b) { return a * 1000u + b; } \
	__attribute__((noinline)) static u32 viaptr(u32 a, u32 b) { return a - b * 2; } \
	__attribute__((noinline)) static u32 intab(u32 a, u32 b) { return a ^ (b << 3); } \
	u32 (*volatile fp)(u32, u32) = viaptr;                                   \
	static u32 (*const tab[2])(u32, u32) = { intab, swap2 };                 \
	u32 run_tree(u32 seed) { used = 0; struct node *root = 0;               \
		for (int i = 0; i < 60; i++) { seed = seed * 1103515245u + 12345u; root = ins(root, (int)(seed >> 20)); } \
		return (u32)depth(root, 1); }                                    \
	u32 calls(u32 a, u32 b) {                                               \
		return three(a, b, a + b) + swap2(b, a) * 3 + swap2(a, b) + (u32)wide((u64)a << 20 | b, b) \
			+ mixed(a, (u64)b << 32 | a, b) + narrow((u8)a, b) + viaptr(a, b) + fp(b, a) \
			+ tab[a & 1](a, b) + intab(b, a) + (u32)fib((int)(a & 15)); } \
	int fib_out(int n) { return fib(n); }                                   \
)

typedef uint32_t u32;
typedef uint64_t u64;
struct hnode { int key; struct hnode *l, *r; };
static struct hnode hpool[64];
static int hused;
static int fib(int n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }
static struct hnode *ins(struct hnode *t, int k)
{
	if (!t) { t = &hpool[hused++]; t->key = k; t->l = t->r = 0; return t; }
	if (k < t->key) t->l = ins(t->l, k); else t->r = ins(t->r, k);
	return t;
}
static int depth(const struct hnode *t, int d) { return t ? t->key * d + depth(t->l, d + 1) + depth(t->r, d + 1) : 0; }
static u32 run_tree(u32 seed)
{
	hused = 0;
	struct hnode *root = 0;
	for (int i = 0; i < 60; i++) { seed = seed * 1103515245u + 12345u; root = ins(root, (int)(seed >> 20)); }
	return (u32)depth(root, 1);
}
static u32 three(u32 a, u32 b, u32 c) { return a * 3 + b * 5 + c * 7 + (a ^ c); }
static u32 swap2(u32 a, u32 b) { return a * 10 + b; }
static u64 wide(u64 a, u32 b) { return a * b + 1; }
static u32 mixed(u32 a, u64 b, u32 c) { return a + (u32)(b >> 7) + c * 3; }
static u32 narrow(uint8_t a, u32 b) { return a * 1000u + b; }
static u32 viaptr(u32 a, u32 b) { return a - b * 2; }
static u32 intab(u32 a, u32 b) { return a ^ (b << 3); }
static u32 calls(u32 a, u32 b)
{
	u32 (*const t[2])(u32, u32) = { intab, swap2 };
	return three(a, b, a + b) + swap2(b, a) * 3 + swap2(a, b) + (u32)wide((u64)a << 20 | b, b) +
	       mixed(a, (u64)b << 32 | a, b) + narrow((uint8_t)a, b) + viaptr(a, b) + viaptr(b, a) +
	       t[a & 1](a, b) + intab(b, a) + (u32)fib((int)(a & 15));
}

static struct jh H;

static uint64_t run(const char *fn, int nargs, uint64_t a0, uint64_t a1)
{
	uint64_t args[2] = { a0, a1 }, r = 0;
	cr_assert_eq(jh_call(&H, fn, args, nargs, &r), 0, "%s", H.err);
	return r;
}

static uint32_t regs_of(const char *fn)
{
	static uint8_t tmp[4096];
	struct ir_func *f = ir_module_func(H.m, fn);
	cr_assert(f, "no function %s", fn);
	return jit_reg_params(H.m, f, tmp);
}

/* instructions `mnem` (operands starting with ops, NULL: any) in fn */
static int count_insns(const char *fn, const char *mnem, const char *ops)
{
	return count_like(&H, fn, (struct insn_like){ mnem, ops, NULL, false });
}

static void check_all(int o, const char *what)
{
	static const u32 xs[] = { 0, 1, 2, 7, 100, 0x7fffffff, 0x80000000u, 0xfffffffeu };
	for (unsigned i = 0; i < 8; i++) {
		cr_expect_eq((u32)run("run_tree", 1, xs[i], 0), run_tree(xs[i]), "run_tree(%#x) -O%d %s", xs[i], o, what);
		for (unsigned j = 0; j < 8; j += 3)
			cr_expect_eq((u32)run("calls", 2, xs[i], xs[j]), calls(xs[i], xs[j]), "calls(%#x, %#x) -O%d %s",
				     xs[i], xs[j], o, what);
	}
	for (int n = -1; n < 12; n++)
		cr_expect_eq((int)run("fib_out", 1, (uint64_t)(uint32_t)n, 0), fib(n), "fib_out(%d) -O%d %s", n, o, what);
}

/* Which functions qualify (white box, conv.c): internal, only called
 * directly, leading 32-bit words without extension attributes. */
Test(conv, which_functions)
{
	cr_assert_eq(jh_init(&H, "build/host/jit/rt.elf"), 0, "%s", H.err);
	cr_assert_eq(jh_load_c(&H, CONV_SOURCE, 2), 0, "%s", H.err);
	cr_expect_eq(regs_of("fib"), 1);
	cr_expect_eq(regs_of("ins"), 2);
	cr_expect_eq(regs_of("depth"), 2);
	cr_expect_eq(regs_of("three"), 2, "the third goes on the stack");
	cr_expect_eq(regs_of("wide"), 0, "an i64 first parameter");
	cr_expect_eq(regs_of("mixed"), 1, "stops at the i64");
	cr_expect_eq(regs_of("narrow"), 0, "a zeroext byte");
	cr_expect_eq(regs_of("viaptr"), 0, "its address is stored");
	cr_expect_eq(regs_of("intab"), 0, "a global initialiser refers to it");
	cr_expect_eq(regs_of("calls"), 0, "external");
	cr_expect_eq(regs_of("run_tree"), 0, "external");
	jh_fini(&H);
}

Test(conv, every_tier_and_level)
{
	cr_assert_eq(jh_init(&H, "build/host/jit/rt.elf"), 0, "%s", H.err);
	for (int o = 0; o <= 3; o++) {
		cr_assert_eq(jh_load_c(&H, CONV_SOURCE, o), 0, "%s", H.err);
		for (int tier = 0; tier <= JIT_MAX_TIER; tier++) {
			cr_assert_eq(jh_compile(&H, tier), 0, "-O%d tier %d: %s", o, tier, H.err);
			char what[16];
			snprintf(what, sizeof what, "t%d", tier);
			check_all(o, what);
			/* the harness itself calls a function of the convention */
			if (o >= 1)
				for (int n = 0; n < 10; n++)
					cr_expect_eq((int)run("fib", 1, (uint32_t)n, 0), fib(n), "fib(%d) -O%d t%d", n, o, tier);
			if (o == 2 && tier >= 1)
				cr_expect_eq(count_insns("fib", "add", "esp, 4"), 0, "t%d: fib pops its argument", tier);
		}
	}
	jh_fini(&H);
}

/* Functions recompiled one at a time at another tier, as the profiler
 * does in the guest: callers and callees of different tiers agree. */
Test(conv, mixed_tiers)
{
	static const char *const fns[] = { "fib", "ins", "depth", "three", "swap2", "mixed", "calls", "run_tree" };
	cr_assert_eq(jh_init(&H, "build/host/jit/rt.elf"), 0, "%s", H.err);
	for (int o = 1; o <= 3; o += 2) {
		cr_assert_eq(jh_load_c(&H, CONV_SOURCE, o), 0, "%s", H.err);
		cr_assert_eq(jh_compile(&H, 0), 0, "%s", H.err);
		for (unsigned i = 0; i < sizeof fns / sizeof fns[0]; i++) {
			struct ir_func *f = ir_module_func(H.m, fns[i]);
			if (!f || f->is_decl)
				continue; /* inlined away at this level */
			int tier = 1 + (int)(i % 3);
			cr_assert_eq(jh_recompile(&H, fns[i], tier), 0, "%s", H.err);
			char what[32];
			snprintf(what, sizeof what, "%s at t%d", fns[i], tier);
			check_all(o, what);
		}
	}
	jh_fini(&H);
}
