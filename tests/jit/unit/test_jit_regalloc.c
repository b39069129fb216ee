/* Register allocation and stack-slot coalescing (servers/jit/cg/rega.c,
 * live.c, ranges.c, slots.c, scratch.c)
 * on the phi patterns that break naive coalescers: the swap problem, the
 * lost copy, rotations, counters carried through a switch, i64 loop
 * state.  Every tier at every -O level must agree with the same C built
 * into this test; at tier >= 1 the phi webs must actually share slots
 * (the statistic would be 0 without coalescing), and from tier 2 on,
 * stores into slots that nothing reads are dropped. */
#include <criterion/criterion.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "tests/jit/unit/jit_insns.h"
#include "tests/jit/diff/harness.h"

#define SRC(...) #__VA_ARGS__
#define PHI_SOURCE SRC(                                                          \
	typedef unsigned int u32; typedef unsigned long long u64;                \
	u32 swap2(int n) { u32 a = 1, b = 2; for (int i = 0; i < n; i++) { u32 t = a; a = b; b = t; } \
		return a * 10 + b; }                                             \
	u64 swap64(int n) { u64 a = 0x100000001ull, b = 0x200000002ull;          \
		for (int i = 0; i < n; i++) { u64 t = a; a = b + (u64)i; b = t; } \
		return a ^ (b << 3); }                                           \
	u32 lost(int n) { u32 x = 7, prev = 0; int i = 0;                        \
		do { prev = x; x = x * 3 + (u32)i; i++; } while (i < n);         \
		return prev * 1000 + x; }                                        \
	u32 rot3(int n) { u32 a = 1, b = 20, c = 300;                            \
		for (int i = 0; i < n; i++) { u32 t = a; a = b; b = c; c = t + (u32)i; } \
		return a + 7 * b + 49 * c; }                                     \
	u64 acc(int n) { u64 s = 0, t = 1, l = 0;                                \
		for (int i = 1; i <= n; i++) { l = s; s += (u64)i * (u64)i + (s >> 29); \
			t = t * 0x9e3779b97f4a7c15ull + s; }                     \
		return s ^ t ^ (l << 1); }                                       \
	u32 count(u32 seed, int n) { int st = 0, w = 0, d = 0, q = 0, e = 0;     \
		for (int i = 0; i < n; i++) { seed = seed * 69069u + 1; u32 ch = (seed >> 24) % 5; \
			switch (st) {                                            \
			case 0: if (ch == 0) { st = 1; w++; } else if (ch == 1) { st = 2; d++; } \
				else if (ch == 2) { st = 3; q++; } break;        \
			case 1: if (ch != 0) st = ch == 2 ? 3 : 0; break;        \
			case 2: if (ch != 1) st = 0; break;                      \
			case 3: if (ch == 4) st = 4; else if (ch == 2) st = 0; break; \
			default: e++; st = 3; break; } }                         \
		return (u32)(w * 1000000 + d * 10000 + q * 100 + e * 7 + st); }  \
)

typedef unsigned int u32;
typedef unsigned long long u64;
static u32 swap2(int n) { u32 a = 1, b = 2; for (int i = 0; i < n; i++) { u32 t = a; a = b; b = t; } return a * 10 + b; }
static u64 swap64(int n) { u64 a = 0x100000001ull, b = 0x200000002ull;
	for (int i = 0; i < n; i++) { u64 t = a; a = b + (u64)i; b = t; } return a ^ (b << 3); }
static u32 lost(int n) { u32 x = 7, prev = 0; int i = 0; do { prev = x; x = x * 3 + (u32)i; i++; } while (i < n);
	return prev * 1000 + x; }
static u32 rot3(int n) { u32 a = 1, b = 20, c = 300;
	for (int i = 0; i < n; i++) { u32 t = a; a = b; b = c; c = t + (u32)i; } return a + 7 * b + 49 * c; }
static u64 acc(int n) { u64 s = 0, t = 1, l = 0;
	for (int i = 1; i <= n; i++) { l = s; s += (u64)i * (u64)i + (s >> 29); t = t * 0x9e3779b97f4a7c15ull + s; }
	return s ^ t ^ (l << 1); }
static u32 count(u32 seed, int n) { int st = 0, w = 0, d = 0, q = 0, e = 0;
	for (int i = 0; i < n; i++) { seed = seed * 69069u + 1; u32 ch = (seed >> 24) % 5;
		switch (st) {
		case 0:
			if (ch == 0) { st = 1; w++; }
			else if (ch == 1) { st = 2; d++; }
			else if (ch == 2) { st = 3; q++; }
			break;
		case 1: if (ch != 0) st = ch == 2 ? 3 : 0; break;
		case 2: if (ch != 1) st = 0; break;
		case 3: if (ch == 4) st = 4; else if (ch == 2) st = 0; break;
		default: e++; st = 3; break; } }
	return (u32)(w * 1000000 + d * 10000 + q * 100 + e * 7 + st); }

static struct jh H;
static int count_insns(const char *fn, const char *mnem, const char *ops, bool prologue);

static uint64_t run(const char *fn, int nargs, uint64_t a0, uint64_t a1)
{
	uint64_t args[2] = { a0, a1 }, r = 0;
	cr_assert_eq(jh_call(&H, fn, args, nargs, &r), 0, "%s", H.err);
	return r;
}

/* src loaded at every -O level and compiled at every tier, check(o,
 * tier) run on each compilation */
static void each_level_and_tier(const char *src, void (*check)(int o, int tier))
{
	cr_assert_eq(jh_init(&H, "build/host/jit/rt.elf"), 0, "%s", H.err);
	for (int o = 0; o <= 3; o++) {
		cr_assert_eq(jh_load_c(&H, src, o), 0, "%s", H.err);
		for (int tier = 0; tier <= JIT_MAX_TIER; tier++) {
			cr_assert_eq(jh_compile(&H, tier), 0, "-O%d tier %d: %s", o, tier, H.err);
			check(o, tier);
		}
	}
	jh_fini(&H);
}

/* IR text `path` loaded once and compiled at every tier, check(tier)
 * run on each compilation (count: instructions counted from the first
 * call on, H.icount) */
static void each_tier_of_ll(const char *path, bool count, void (*check)(int tier))
{
	cr_assert_eq(jh_init(&H, "build/host/jit/rt.elf"), 0, "%s", H.err);
	cr_assert_eq(jh_load_ll(&H, path), 0, "%s: %s", path, H.err);
	H.count = count;
	for (int tier = 0; tier <= JIT_MAX_TIER; tier++) {
		cr_assert_eq(jh_compile(&H, tier), 0, "tier %d: %s", tier, H.err);
		check(tier);
	}
	H.count = false;
	jh_fini(&H);
}

static void phi_webs_every_tier_and_level_check(int o, int tier)
{
	static const int trips[] = { 0, 1, 2, 3, 4, 5, 7, 8, 13, 100 };
	for (unsigned k = 0; k < sizeof trips / sizeof trips[0]; k++) {
		int n = trips[k];
		cr_expect_eq((u32)run("swap2", 1, (uint64_t)n, 0), swap2(n), "swap2(%d) -O%d t%d", n, o, tier);
		cr_expect_eq(run("swap64", 1, (uint64_t)n, 0), swap64(n), "swap64(%d) -O%d t%d", n, o, tier);
		cr_expect_eq((u32)run("lost", 1, (uint64_t)n, 0), lost(n), "lost(%d) -O%d t%d", n, o, tier);
		cr_expect_eq((u32)run("rot3", 1, (uint64_t)n, 0), rot3(n), "rot3(%d) -O%d t%d", n, o, tier);
		cr_expect_eq(run("acc", 1, (uint64_t)n * 10, 0), acc(n * 10), "acc(%d) -O%d t%d", n * 10, o, tier);
		cr_expect_eq((u32)run("count", 2, 99u + (uint64_t)k, (uint64_t)n * 7),
			     count(99u + k, n * 7), "count(%d) -O%d t%d", n * 7, o, tier);
	}
	/* the phi webs of -O1 and up share stack slots from tier 1 on */
	if (tier >= 1 && o >= 1)
		cr_expect_gt(H.o.slots_shared, 0, "-O%d tier %d: no stack slot shared", o, tier);
	if (tier == 0)
		cr_expect_eq(H.o.slots_shared, 0, "tier 0 does no allocation");
	/* i64 intermediates used once, right away, are never
	 * stored (reload elision + dead-store elimination) */
	if (tier >= 2 && o >= 1)
		cr_expect_gt(H.o.stores_dropped, 0, "-O%d tier %d: no store dropped", o, tier);
	if (tier < 2)
		cr_expect_eq(H.o.stores_dropped, 0, "tier %d drops no stores", tier);
}

Test(regalloc, phi_webs_every_tier_and_level) { each_level_and_tier(PHI_SOURCE, phi_webs_every_tier_and_level_check); }

/* Narrow values: compares of loaded bytes and halves (zero-extended in
 * their registers, compared whole) against constants with the top bit set,
 * signed compares of the same bytes (which must not be compared whole),
 * phis of loads, and zero extensions of compares. */
#define NARROW_SOURCE SRC(                                                       \
	typedef unsigned char u8; typedef signed char s8; typedef unsigned short u16; \
	u8 bytes[64]; s8 sbytes[64]; u16 halves[64]; unsigned words[64], cur;     \
	void fill(unsigned seed) { for (int i = 0; i < 64; i++) {                \
		seed = seed * 1103515245u + 12345u; bytes[i] = (u8)(seed >> 16); \
		sbytes[i] = (s8)(seed >> 20); halves[i] = (u16)(seed >> 8);       \
		words[i] = seed; } }                                              \
	int narrow(int n) { int r = 0; u8 prev = 0xff;                           \
		for (int i = 0; i < n; i++) {                                    \
			u8 b = bytes[i]; s8 s = sbytes[i]; u16 h = halves[i];     \
			r += b == 0xff; r += (b > 0x80) * 3; r += (b == prev) * 5; \
			r += (s < -3) * 7; r += (s > bytes[i & 7]) * 11;         \
			r += (h >= 0x8000) * 13; r += (h == (u16)-2) * 17;       \
			u8 m = (i & 1) ? b : bytes[(i + 3) & 63];                 \
			r += (m != prev) + (int)(b < m);                          \
			cur = words[i];                                           \
			r += (u8)cur + ((u8)cur == 0x7f) * 19 + ((u16)cur > 0x8000); \
			u8 q = b % 10, d3 = b / 3, sh = b >> 3, an = b & 0xf0;    \
			u8 se = (i & 2) ? b : q, xo = b ^ m;                      \
			r += (q < 4) * 23 + (d3 == 7) * 29 + (sh > 20) * 31 + (an == 0xa0) * 37; \
			r += (se > 0x90) * 41 + (xo >= 0x80) * 43 + (u8)(s & 0x7f) + (u8)((u8)s >> 1); \
			prev = b; }                                              \
		return r; }                                                      \
)

typedef unsigned char u8;
typedef signed char s8;
typedef unsigned short u16;
static u8 bytes[64];
static s8 sbytes[64];
static u16 halves[64];
static unsigned words[64], cur;
static void fill(unsigned seed)
{
	for (int i = 0; i < 64; i++) {
		seed = seed * 1103515245u + 12345u;
		bytes[i] = (u8)(seed >> 16);
		sbytes[i] = (s8)(seed >> 20);
		halves[i] = (u16)(seed >> 8);
		words[i] = seed;
	}
}
static int narrow(int n)
{
	int r = 0;
	u8 prev = 0xff;
	for (int i = 0; i < n; i++) {
		u8 b = bytes[i];
		s8 s = sbytes[i];
		u16 h = halves[i];
		r += b == 0xff;
		r += (b > 0x80) * 3;
		r += (b == prev) * 5;
		r += (s < -3) * 7;
		r += (s > bytes[i & 7]) * 11;
		r += (h >= 0x8000) * 13;
		r += (h == (u16)-2) * 17;
		u8 m = (i & 1) ? b : bytes[(i + 3) & 63];
		r += (m != prev) + (int)(b < m);
		/* truncations of a 32-bit load: copies of a wider value, not
		 * zero-extended (csmith seed 104 at -O0) */
		cur = words[i];
		r += (u8)cur + ((u8)cur == 0x7f) * 19 + ((u16)cur > 0x8000);
		/* unsigned divisions, shifts, ands, xors and selects of bytes */
		u8 q = b % 10, d3 = b / 3, sh = b >> 3, an = b & 0xf0;
		u8 se = (i & 2) ? b : q, xo = b ^ m;
		r += (q < 4) * 23 + (d3 == 7) * 29 + (sh > 20) * 31 + (an == 0xa0) * 37;
		r += (se > 0x90) * 41 + (xo >= 0x80) * 43 + (u8)(s & 0x7f) + (u8)((u8)s >> 1);
		prev = b;
	}
	return r;
}

static void narrow_compares_every_tier_and_level_check(int o, int tier)
{
	for (unsigned seed = 1; seed <= 40; seed += 13) {
		fill(seed);
		run("fill", 1, seed, 0);
		for (int n = 0; n <= 64; n += 9)
			cr_expect_eq((int)(uint32_t)run("narrow", 1, (uint64_t)n, 0), narrow(n),
				     "narrow(%d) seed %u -O%d t%d", n, seed, o, tier);
	}
}

Test(regalloc, narrow_compares_every_tier_and_level) { each_level_and_tier(NARROW_SOURCE, narrow_compares_every_tier_and_level_check); }

/* The compiled function `fn` contains sub esp, imm32 (81 ec): the
 * prologue allocates a frame. */
static bool allocates_frame(const char *fn)
{
	struct ir_func *f = ir_module_func(H.m, fn);
	cr_assert(f, "no function %s", fn);
	const struct jit_func_out *fo = &H.o.funcs[f->v.id];
	for (uint32_t i = 0; i + 1 < fo->code_size; i++)
		if (H.o.code[fo->code_off + i] == 0x81 && H.o.code[fo->code_off + i + 1] == 0xec)
			return true;
	return false;
}

/* A function that needs no stack slot at tier >= 2 allocates no frame:
 * no sub esp / add esp pair around its body. */
Test(regalloc, no_frame_without_slots)
{
	cr_assert_eq(jh_init(&H, "build/host/jit/rt.elf"), 0, "%s", H.err);
	cr_assert_eq(jh_load_c(&H, SRC(
		struct node { int key; struct node *l, *r; };
		int depth(struct node *t) { if (!t) return 0;
			int a = depth(t->l), b = depth(t->r); return 1 + (a > b ? a : b); }
		), 2), 0, "%s", H.err);
	for (int tier = 0; tier <= JIT_MAX_TIER; tier++) {
		cr_assert_eq(jh_compile(&H, tier), 0, "%s", H.err);
		bool sub = allocates_frame("depth");
		if (tier >= 2)
			cr_expect(!sub, "tier %d: depth() still allocates a frame", tier);
		/* tier 3 returns at a null t before the prologue and does not
		 * test t again after it (frame.c fast_exit, emit_br) */
		if (tier == JIT_MAX_TIER)
			cr_expect_eq(count_insns("depth", "test", NULL, false), 0, "depth() tests t twice");
		cr_expect_eq((uint32_t)run("depth", 1, 0, 0), 0u);
	}
	/* a local array only stored to through an index (no frame word is
	 * read): the frame is still allocated, or the stores land below ESP */
	cr_assert_eq(jh_load_c(&H, SRC(
		int stores(int i, int v) { int a[10]; a[i] = v; a[(i + 1) % 10] = v; return v; }
		), 0), 0, "%s", H.err);
	for (int tier = 0; tier <= JIT_MAX_TIER; tier++) {
		cr_assert_eq(jh_compile(&H, tier), 0, "%s", H.err);
		bool sub = allocates_frame("stores");
		cr_expect(sub, "tier %d: stores() has no frame for its array", tier);
		cr_expect_eq((uint32_t)run("stores", 2, 3, 77), 77u);
	}
	jh_fini(&H);
}

/* Rotates and funnel shifts by constants (llvm.fshl/fshr): rol/ror or
 * shld/shrd with an immediate from tier 1 on, every amount. */
#define FUNNEL_SOURCE SRC(                                                       \
	typedef unsigned u32;                                                    \
	u32 rotl(u32 x, int k) {                                                 \
		switch (k) {                                                     \
		case 1: return x << 1 | x >> 31; case 7: return x << 7 | x >> 25; \
		case 13: return x << 13 | x >> 19; case 31: return x << 31 | x >> 1; \
		default: return x << 16 | x >> 16; } }                          \
	u32 rotr(u32 x, int k) {                                                 \
		switch (k) {                                                     \
		case 1: return x >> 1 | x << 31; case 7: return x >> 7 | x << 25; \
		case 13: return x >> 13 | x << 19; case 31: return x >> 31 | x << 1; \
		default: return x >> 16 | x << 16; } }                          \
	u32 funl(u32 a, u32 b) { return (a << 5 | b >> 27) ^ (b << 30 | a >> 2); } \
	u32 mixr(u32 a, u32 b) { u32 s = 0; for (int i = 0; i < 8; i++) {       \
		s += (a >> 6 | a << 26) ^ (a >> 11 | a << 21) ^ (b << 9 | b >> 23); \
		a = a * 69069u + s; b ^= s; } return s; }                        \
)

static uint32_t rotl(uint32_t x, int k) { k = (k == 1 || k == 7 || k == 13 || k == 31) ? k : 16; return x << k | x >> (32 - k); }
static uint32_t rotr(uint32_t x, int k) { k = (k == 1 || k == 7 || k == 13 || k == 31) ? k : 16; return x >> k | x << (32 - k); }
static uint32_t funl(uint32_t a, uint32_t b) { return (a << 5 | b >> 27) ^ (b << 30 | a >> 2); }
static uint32_t mixr(uint32_t a, uint32_t b)
{
	uint32_t s = 0;
	for (int i = 0; i < 8; i++) {
		s += (a >> 6 | a << 26) ^ (a >> 11 | a << 21) ^ (b << 9 | b >> 23);
		a = a * 69069u + s;
		b ^= s;
	}
	return s;
}

static void rotates_and_funnel_shifts_check(int o, int tier)
{
	static const uint32_t xs[] = { 0, 1, 0x80000000u, 0xdeadbeefu, 0x12345678u, 0xffffffffu };
	static const int ks[] = { 1, 7, 13, 31, 16 };
	for (unsigned i = 0; i < 6; i++) {
		for (unsigned j = 0; j < 5; j++) {
			cr_expect_eq((uint32_t)run("rotl", 2, xs[i], (uint64_t)ks[j]), rotl(xs[i], ks[j]),
				     "rotl(%#x, %d) -O%d t%d", xs[i], ks[j], o, tier);
			cr_expect_eq((uint32_t)run("rotr", 2, xs[i], (uint64_t)ks[j]), rotr(xs[i], ks[j]),
				     "rotr(%#x, %d) -O%d t%d", xs[i], ks[j], o, tier);
		}
		uint32_t y = xs[(i + 3) % 6] ^ 0x5a5a5a5au;
		cr_expect_eq((uint32_t)run("funl", 2, xs[i], y), funl(xs[i], y), "funl -O%d t%d", o, tier);
		cr_expect_eq((uint32_t)run("mixr", 2, xs[i], y), mixr(xs[i], y), "mixr -O%d t%d", o, tier);
	}
}

Test(regalloc, rotates_and_funnel_shifts) { each_level_and_tier(FUNNEL_SOURCE, rotates_and_funnel_shifts_check); }

/* Instructions of the compiled function `fn` whose mnemonic is mnem and
 * whose operands start with ops (NULL: any); with prologue, only those
 * before the first instruction that is not a push of a register. */
static int count_insns(const char *fn, const char *mnem, const char *ops, bool prologue)
{
	return count_like(&H, fn, (struct insn_like){ mnem, ops, NULL, prologue });
}

/* (x & m) ==/!= 0 on every width: from tier 1 on a test instruction, the
 * `and` is not computed (opt.c fuse_test). */
#define BITS_SOURCE SRC(                                                         \
	typedef unsigned u32; typedef unsigned char u8; typedef unsigned short u16; \
	u32 bt32(u32 x, u32 y) { return (x & 8) ? y * 3 : y + 1; }               \
	u32 bt8(u8 x, u32 y) { if ((x & 0x81) == 0) return y; return y ^ x; }     \
	u32 bt16(u16 x, u32 y) { return (x & 0x8000) != 0 ? y - x : y; }          \
	u32 bits(u32 x) { u32 n = 0; for (int i = 0; i < 32; i++) if (x & (1u << i)) n += i; return n; } \
	u32 keep(u32 x) { u32 a = x & 0xf0; return a == 0 ? 7 : a; }              \
	u32 eqs(u32 a, u32 b) { u32 e = a == b; return e + (e ? a : b) + ((a & 1) == 0) * 5 + (a < b) * 3; } \
)
static uint32_t bt32(uint32_t x, uint32_t y) { return (x & 8) ? y * 3 : y + 1; }
static uint32_t bt8(uint8_t x, uint32_t y) { if ((x & 0x81) == 0) return y; return y ^ x; }
static uint32_t bt16(uint16_t x, uint32_t y) { return (x & 0x8000) != 0 ? y - x : y; }
static uint32_t bits(uint32_t x) { uint32_t n = 0; for (int i = 0; i < 32; i++) if (x & (1u << i)) n += (uint32_t)i; return n; }
static uint32_t keep(uint32_t x) { uint32_t a = x & 0xf0; return a == 0 ? 7 : a; }
static uint32_t eqs(uint32_t a, uint32_t b) { uint32_t e = a == b; return e + (e ? a : b) + ((a & 1) == 0) * 5 + (a < b) * 3; }

static void bit_tests_check(int o, int tier)
{
	static const uint32_t xs[] = { 0, 1, 8, 0x81, 0x80, 0x8000, 0xffff, 0xdeadbeefu, 0xf0 };
	for (unsigned i = 0; i < sizeof xs / sizeof xs[0]; i++) {
		uint32_t x = xs[i], y = 1000 + i;
		cr_expect_eq((uint32_t)run("bt32", 2, x, y), bt32(x, y), "bt32(%#x) -O%d t%d", x, o, tier);
		cr_expect_eq((uint32_t)run("bt8", 2, x & 0xff, y), bt8((uint8_t)x, y), "bt8(%#x) -O%d t%d", x, o, tier);
		cr_expect_eq((uint32_t)run("bt16", 2, x & 0xffff, y), bt16((uint16_t)x, y), "bt16(%#x) -O%d t%d", x, o, tier);
		cr_expect_eq((uint32_t)run("bits", 1, x, 0), bits(x), "bits(%#x) -O%d t%d", x, o, tier);
		cr_expect_eq((uint32_t)run("keep", 1, x, 0), keep(x), "keep(%#x) -O%d t%d", x, o, tier);
		/* zero extensions of compares are the compares (opt.c aliases) */
		cr_expect_eq((uint32_t)run("eqs", 2, x, y & 0xf), eqs(x, y & 0xf), "eqs(%#x) -O%d t%d", x, o, tier);
		cr_expect_eq((uint32_t)run("eqs", 2, x, x), eqs(x, x), "eqs(%#x, same) -O%d t%d", x, o, tier);
	}
	if (o == 2 && tier >= 1) {
		cr_expect_eq(count_insns("bt32", "and", NULL, false), 0, "t%d: bt32 computes the and", tier);
		cr_expect_gt(count_insns("bt32", "test", NULL, false), 0, "t%d: bt32 has no test", tier);
	}
}

Test(regalloc, bit_tests) { each_level_and_tier(BITS_SOURCE, bit_tests_check); }

/* Lifetime holes: values live around one path and not another (a
 * diamond whose one side needs every register), recursion.  All
 * tiers and levels against the host. */
#define HOLES_SOURCE SRC(                                                        \
	typedef unsigned u32;                                                    \
	u32 diamond(u32 a, u32 b, u32 c, u32 d, int k) {                         \
		u32 x = a * b + d, y = c ^ a;                                    \
		if (k > 0) { u32 p = c * 3, q = d * 5, r = c + d, s = c - d;     \
			for (int i = 0; i < k; i++) { p = p * 7 + q; q = q ^ r; r = r + s; s = s * 3 + p; } \
			return p ^ q ^ r ^ s; }                                  \
		return x + y; }                                                  \
	int fib(int n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }          \
	static int tab[8] = { 3, 1, 4, 1, 5, 9, 2, 6 };                          \
	void bump(int i) { tab[i & 7]++; }                                       \
	int pass(int i) { return fib(tab[i & 7]) * 3 + fib(tab[(i + 1) & 7]); } \
)
static uint32_t diamond(uint32_t a, uint32_t b, uint32_t c, uint32_t d, int k)
{
	uint32_t x = a * b + d, y = c ^ a;
	if (k > 0) {
		uint32_t p = c * 3, q = d * 5, r = c + d, s = c - d;
		for (int i = 0; i < k; i++) { p = p * 7 + q; q = q ^ r; r = r + s; s = s * 3 + p; }
		return p ^ q ^ r ^ s;
	}
	return x + y;
}
static int fib(int n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }
static int tab[8];
static int pass(int i) { return fib(tab[i & 7]) * 3 + fib(tab[(i + 1) & 7]); }

static void lifetime_holes_check(int o, int tier)
{
	for (int k = -1; k < 6; k++) {
		uint64_t args[5] = { 3, 4 + (uint64_t)k, 5, 6, (uint64_t)(uint32_t)k }, r = 0;
		cr_assert_eq(jh_call(&H, "diamond", args, 5, &r), 0, "%s", H.err);
		cr_expect_eq((uint32_t)r, diamond(3, 4 + (uint32_t)k, 5, 6, k), "diamond k=%d -O%d t%d", k, o, tier);
	}
	for (int n = 0; n < 12; n++)
		cr_expect_eq((uint32_t)run("fib", 1, (uint64_t)n, 0), (uint32_t)fib(n), "fib(%d) -O%d t%d", n, o, tier);
	/* loads pushed as arguments (opt.c fuse_push) */
	static const int init[8] = { 3, 1, 4, 1, 5, 9, 2, 6 };
	memcpy(tab, init, sizeof tab);
	for (int i = 0; i < 12; i++) {
		cr_expect_eq((uint32_t)run("pass", 1, (uint64_t)i, 0), (uint32_t)pass(i), "pass(%d) -O%d t%d", i, o, tier);
		run("bump", 1, (uint64_t)(i * 5), 0);
		tab[(i * 5) & 7]++;
	}
	if (o == 2 && tier >= 1)
		cr_expect_gt(count_insns("pass", "push", "dword ptr [", false), 0,
			     "t%d: pass loads its arguments into registers", tier);
}

Test(regalloc, lifetime_holes) { each_level_and_tier(HOLES_SOURCE, lifetime_holes_check); }

/* Tier 3's second allocation round keeps some values in ECX/EDX (the
 * statistic), and the code stays correct; tier 2 never does. */
Test(regalloc, scratch_register_values)
{
	cr_assert_eq(jh_init(&H, "build/host/jit/rt.elf"), 0, "%s", H.err);
	for (int o = 0; o <= 3; o++) {
		cr_assert_eq(jh_load_c(&H, HOLES_SOURCE, o), 0, "%s", H.err);
		cr_assert_eq(jh_compile(&H, 2), 0, "%s", H.err);
		cr_expect_eq(H.o.scratch_values, 0u, "-O%d tier 2", o);
		cr_assert_eq(jh_compile(&H, 3), 0, "%s", H.err);
		cr_expect_gt(H.o.scratch_values, 0u, "-O%d: no value in ECX/EDX at tier 3", o);
		for (int n = 0; n < 15; n++)
			cr_expect_eq((uint32_t)run("fib", 1, (uint64_t)n, 0), (uint32_t)fib(n));
	}
	jh_fini(&H);
}

/* Addresses with two variable indices into a global array fold into the
 * load or store from tier 2 on: [i*size + j*scale + base], no lea
 * (opt.c fold_addr, isel_mem.c address_of).  Odd row sizes, narrow indices,
 * structs inside. */
#define GRID_SOURCE SRC(                                                         \
	typedef unsigned u32;                                                    \
	struct cell { short tag; u32 v[3]; };                                    \
	static u32 G[7][13]; static struct cell S[5][6]; static unsigned char B[9][11]; \
	u32 get(int i, int j) { return G[i][j]; }                                \
	u32 near(int i) { return G[2][i - 1] * 3 + G[3][i + 2] - G[0][i + 10]; } \
	void put(int i, int j, u32 v) { G[i][j] = v; }                           \
	u32 fill(u32 seed) { for (int i = 0; i < 7; i++) for (int j = 0; j < 13; j++) \
		G[i][j] = seed = seed * 69069u + 1; u32 h = 0;                   \
		for (int j = 0; j < 13; j++) for (int i = 0; i < 7; i++) h = h * 31 + G[i][j]; \
		return h; }                                                      \
	u32 cells(u32 seed) { for (short i = 0; i < 5; i++) for (signed char j = 0; j < 6; j++) { \
		S[i][j].tag = (short)(i - j); S[i][j].v[(i + j) % 3] = seed = seed * 3 + 1; } \
		u32 h = 0; for (int i = 4; i >= 0; i--) for (int j = 0; j < 6; j++) \
		h = h * 7 + S[i][j].v[(i + j) % 3] + (u32)S[i][j].tag; return h; } \
	u32 bytes(int n) { for (int i = 0; i < 9; i++) for (int j = 0; j < 11; j++) \
		B[i][j] = (unsigned char)(i * n + j); u32 h = 0;                  \
		for (int i = 0; i < 9; i++) for (int j = 10; j >= 0; j--) h = h * 5 + B[i][j]; \
		return h; }                                                      \
)
static uint32_t G_[7][13];
static struct cell_ { short tag; uint32_t v[3]; } S_[5][6];
static unsigned char B_[9][11];
static uint32_t fill_(uint32_t seed)
{
	for (int i = 0; i < 7; i++)
		for (int j = 0; j < 13; j++)
			G_[i][j] = seed = seed * 69069u + 1;
	uint32_t h = 0;
	for (int j = 0; j < 13; j++)
		for (int i = 0; i < 7; i++)
			h = h * 31 + G_[i][j];
	return h;
}
static uint32_t cells_(uint32_t seed)
{
	for (short i = 0; i < 5; i++)
		for (signed char j = 0; j < 6; j++) {
			S_[i][j].tag = (short)(i - j);
			S_[i][j].v[(i + j) % 3] = seed = seed * 3 + 1;
		}
	uint32_t h = 0;
	for (int i = 4; i >= 0; i--)
		for (int j = 0; j < 6; j++)
			h = h * 7 + S_[i][j].v[(i + j) % 3] + (uint32_t)S_[i][j].tag;
	return h;
}
static uint32_t bytes_(int n)
{
	for (int i = 0; i < 9; i++)
		for (int j = 0; j < 11; j++)
			B_[i][j] = (unsigned char)(i * n + j);
	uint32_t h = 0;
	for (int i = 0; i < 9; i++)
		for (int j = 10; j >= 0; j--)
			h = h * 5 + B_[i][j];
	return h;
}

static void two_index_addresses_check(int o, int tier)
{
	memset(S_, 0, sizeof S_);
	cr_expect_eq((uint32_t)run("fill", 1, 12345, 0), fill_(12345), "fill -O%d t%d", o, tier);
	cr_expect_eq((uint32_t)run("cells", 1, 7, 0), cells_(7), "cells -O%d t%d", o, tier);
	cr_expect_eq((uint32_t)run("bytes", 1, 3, 0), bytes_(3), "bytes -O%d t%d", o, tier);
	uint64_t args[3] = { 6, 12, 0xabcdef };
	uint64_t r = 0;
	cr_assert_eq(jh_call(&H, "put", args, 3, &r), 0, "%s", H.err);
	cr_expect_eq((uint32_t)run("get", 2, 6, 12), 0xabcdefu, "get -O%d t%d", o, tier);
	cr_expect_eq((uint32_t)run("get", 2, 0, 0), G_[0][0], "get(0,0) -O%d t%d", o, tier);
	/* constant offsets of an index go into the displacement */
	for (int i = 1; i <= 2; i++)
		cr_expect_eq((uint32_t)run("near", 1, (uint64_t)i, 0),
			     G_[2][i - 1] * 3 + G_[3][i + 2] - G_[0][i + 10], "near(%d) -O%d t%d", i, o, tier);
	if (o == 2 && tier >= 2) {
		cr_expect_eq(count_insns("get", "lea", NULL, false), 0, "t%d: get computes the address", tier);
		cr_expect_eq(count_insns("put", "lea", NULL, false), 0, "t%d: put computes the address", tier);
		cr_expect_eq(count_insns("near", "lea", NULL, false) + count_insns("near", "dec", "e", false) +
			     count_insns("near", "inc", "e", false), 0, "t%d: near computes i - 1 or i + 2", tier);
		/* the loaded value is returned: loaded into EAX itself */
		cr_expect_eq(count_insns("get", "mov", "eax, e", false), 0, "t%d: get moves its result", tier);
	}
}

Test(regalloc, two_index_addresses) { each_level_and_tier(GRID_SOURCE, two_index_addresses_check); }

/* Early returns before the prologue (frame.c fast_exit, tier 3): the
 * entry block compares an argument with a constant and one way only
 * returns a constant, an argument or an identity of one.  Every shape
 * against the host, and the statistic; a way with a side effect (a
 * store) must not be taken early. */
#define EXIT_SOURCE SRC(                                                         \
	typedef unsigned u32;                                                    \
	static int seen;                                                         \
	int cnt(int n, int k) { if (n <= 0) return k; return cnt(n - 1, k) + 1; } \
	int neg(int n) { if (n > -5) return -7; return neg(n + 3) * 2; }          \
	u32 uns(u32 x, u32 y) { if (x >= 0x80000000u) return y ^ 0; return uns(x * 2 + 1, y) + 3; } \
	int side(int n) { if (n == 3) { seen++; return 0; } return side(n + 1) + n; } \
	int get_seen(void) { return seen; }                                      \
	void vo(int n) { if (n < 1) return; seen += n; vo(n - 1); }              \
	int nsc(int n, int m) { if ((signed char)n < 5) return m; seen += n; return n * 3 + m; } \
	int nuc(int n, int m) { if ((unsigned char)n > 10) return m; seen += m; return n - m; } \
	int nne(int n, int m) { if ((short)n != 10) return 0; seen++; return n + m; } \
	short nret(int n, int m) { if (n < 10) return (short)m; seen++; return (short)(n * 3 + m); } \
	unsigned char uret(int n, int m) { if (n < 10) return (unsigned char)m; seen++; return (unsigned char)(n + m); } \
)
static int cnt(int n, int k) { if (n <= 0) return k; return cnt(n - 1, k) + 1; }
static int neg(int n) { if (n > -5) return -7; return neg(n + 3) * 2; }
static uint32_t uns(uint32_t x, uint32_t y) { if (x >= 0x80000000u) return y; return uns(x * 2 + 1, y) + 3; }
static int nsc(int n, int m) { if ((signed char)n < 5) return m; return n * 3 + m; }
static int nuc(int n, int m) { if ((unsigned char)n > 10) return m; return n - m; }
static int nne(int n, int m) { if ((short)n != 10) return 0; return n + m; }
static short nret(int n, int m) { if (n < 10) return (short)m; return (short)(n * 3 + m); }
static unsigned char uret(int n, int m) { if (n < 10) return (unsigned char)m; return (unsigned char)(n + m); }
static int side_seen;
static int side(int n) { if (n == 3) { side_seen++; return 0; } return side(n + 1) + n; }

static void fast_exits_check(int o, int tier)
{
	if (tier == JIT_MAX_TIER && o >= 1)
		cr_expect_gt(H.o.fast_exits, 0u, "-O%d: no early return", o);
	if (tier < 2)
		cr_expect_eq(H.o.fast_exits, 0u, "-O%d t%d", o, tier);
	for (int n = -3; n < 9; n++) {
		cr_expect_eq((uint32_t)run("cnt", 2, (uint64_t)(uint32_t)n, 40), (uint32_t)cnt(n, 40),
			     "cnt(%d) -O%d t%d", n, o, tier);
		cr_expect_eq((uint32_t)run("neg", 1, (uint64_t)(uint32_t)(n - 12), 0),
			     (uint32_t)neg(n - 12), "neg(%d) -O%d t%d", n - 12, o, tier);
		uint32_t x = (uint32_t)n << 27;
		cr_expect_eq((uint32_t)run("uns", 2, x, 99), uns(x, 99), "uns(%#x) -O%d t%d", x, o, tier);
	}
	/* compares and returns narrower than the arguments (found
	 * by fuzzing: the early path compared and returned all
	 * 32 bits) */
	static const int32_t ns[] = { -129, -5, 4, 5, 10, 11, 127, 128, 0x105, 0x1000a, 0x12348765 };
	for (unsigned i = 0; i < sizeof ns / sizeof ns[0]; i++) {
		uint64_t n = (uint32_t)ns[i], m = (uint32_t)ns[(i + 3) % 11];
		cr_expect_eq((uint32_t)run("nsc", 2, n, m), (uint32_t)nsc(ns[i], (int)m), "nsc(%d) -O%d t%d", ns[i], o, tier);
		cr_expect_eq((uint32_t)run("nuc", 2, n, m), (uint32_t)nuc(ns[i], (int)m), "nuc(%d) -O%d t%d", ns[i], o, tier);
		cr_expect_eq((uint32_t)run("nne", 2, n, m), (uint32_t)nne(ns[i], (int)m), "nne(%d) -O%d t%d", ns[i], o, tier);
		cr_expect_eq((uint32_t)run("nret", 2, n, m), (uint32_t)(int32_t)nret(ns[i], (int)m),
			     "nret(%d, %#x) -O%d t%d", ns[i], (uint32_t)m, o, tier);
		cr_expect_eq((uint32_t)run("uret", 2, n, m), (uint32_t)uret(ns[i], (int)m),
			     "uret(%d, %#x) -O%d t%d", ns[i], (uint32_t)m, o, tier);
	}
	side_seen = 0;
	int before = (int)run("get_seen", 0, 0, 0);
	for (int n = -2; n < 4; n++)
		cr_expect_eq((uint32_t)run("side", 1, (uint64_t)(uint32_t)n, 0), (uint32_t)side(n),
			     "side(%d) -O%d t%d", n, o, tier);
	cr_expect_eq((int)run("get_seen", 0, 0, 0) - before, side_seen, "side's store -O%d t%d", o, tier);
	before = (int)run("get_seen", 0, 0, 0);
	run("vo", 1, 5, 0);
	cr_expect_eq((int)run("get_seen", 0, 0, 0) - before, 15, "vo -O%d t%d", o, tier);
}

Test(regalloc, fast_exits) { each_level_and_tier(EXIT_SOURCE, fast_exits_check); }

/* 64-bit products of zero-extended 32-bit values: one mul of the 32-bit
 * sources, the zexts never materialized when multiplies are their only
 * uses (opt.c fuse_zext); zexts with other uses, narrower sources and
 * constants still right. */
#define WIDEMUL_SOURCE SRC(                                                      \
	typedef unsigned u32; typedef unsigned long long u64;                    \
	u64 mul2(u32 a, u32 b) { return (u64)a * b; }                            \
	u64 sq(u32 a) { return (u64)a * a; }                                     \
	u64 both(u32 a, u32 b) { u64 x = a; return x * b + x; }                  \
	u64 narrow(unsigned char a, u32 b) { return (u64)a * b; }                \
	u64 konst(u32 a) { return (u64)a * 0xfffffff1u; }                        \
	u64 sum(u32 n) { u64 s = 0; for (u32 i = 1; i <= n; i++) s += (u64)i * i + (s >> 29); return s; } \
	u32 one(u32 a) { return (u32)((u64)a * 1u); }                            \
	u64 one2(u32 a, u32 b) { u64 x = ((u64)1u * a) >> 3; u64 y = (u64)a * 1u + b; return x ^ y; } \
)
static uint64_t sum_sq(uint32_t n) { uint64_t s = 0; for (uint32_t i = 1; i <= n; i++) s += (uint64_t)i * i + (s >> 29); return s; }

static void wide_multiplies_check(int o, int tier)
{
	static const uint32_t xs[] = { 0, 1, 2, 0xffff, 0x10000, 0x7fffffff, 0x80000000u, 0xfffffffeu, 0xffffffffu };
	for (unsigned i = 0; i < 9; i++)
		for (unsigned j = 0; j < 9; j++) {
			uint64_t a = xs[i], b = xs[j];
			cr_expect_eq(run("mul2", 2, a, b), a * b, "mul2(%#x, %#x) -O%d t%d", xs[i], xs[j], o, tier);
			cr_expect_eq(run("both", 2, a, b), a * b + a, "both -O%d t%d", o, tier);
			cr_expect_eq(run("narrow", 2, a & 0xff, b), (a & 0xff) * b, "narrow -O%d t%d", o, tier);
		}
	for (unsigned i = 0; i < 9; i++) {
		uint64_t a = xs[i];
		cr_expect_eq(run("sq", 1, a, 0), a * a, "sq(%#x) -O%d t%d", xs[i], o, tier);
		cr_expect_eq(run("konst", 1, a, 0), a * 0xfffffff1ull, "konst -O%d t%d", o, tier);
	}
	cr_expect_eq(run("sum", 1, 5000, 0), sum_sq(5000), "sum -O%d t%d", o, tier);
	/* x * 1 folds to the zext itself (found by fuzzing: at -O0
	 * the zext was fused into a product that was never emitted) */
	for (unsigned i = 0; i < 9; i++) {
		uint64_t a = xs[i], b = xs[(i + 4) % 9];
		cr_expect_eq((uint32_t)run("one", 1, a, 0), (uint32_t)a, "one(%#x) -O%d t%d", xs[i], o, tier);
		cr_expect_eq(run("one2", 2, a, b), (a >> 3) ^ (a + b), "one2(%#x) -O%d t%d", xs[i], o, tier);
	}
	if (o == 2 && tier >= 1)
		cr_expect_eq(count_insns("mul2", "xor", NULL, false), 0,
			     "t%d: mul2 materializes a zero-extension", tier);
}

Test(regalloc, wide_multiplies) { each_level_and_tier(WIDEMUL_SOURCE, wide_multiplies_check); }

/* Branch shapes: a switch whose default is unreachable (no bounds check,
 * the first case's offset in the table's displacement; a compare chain
 * skips its last compare), and branches on `or`/`and` of two compares
 * (two jumps, no flags materialised), with and without phi copies on
 * the edges. */
#define BRANCH_SOURCE SRC(                                                       \
	typedef unsigned u32; typedef unsigned char u8;                          \
	u32 g;                                                                   \
	u32 get_g(void) { return g; }                                            \
	u32 sw(u32 s, u32 x) { switch (s) { case 3: return x * 3; case 4: return x ^ 7; \
		case 5: return x + 11; case 6: return x >> 2; case 7: return x * x; \
		case 9: return x - 5; default: __builtin_unreachable(); } }      \
	u32 sw3(u32 s, u32 x) { switch (s) { case 10: g += x; return x * 3;      \
		case 20: g ^= x; return x ^ 7; case 30: g -= 5; return x + 11;    \
		default: __builtin_unreachable(); } }                            \
	u32 word(u32 seed, int n) { u32 w = 0, in = 0, sp = 0;                   \
		for (int i = 0; i < n; i++) { seed = seed * 69069u + 1; u8 c = (u8)(seed >> 24); \
			if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) { if (!in) w++; in = 1; } \
			else { in = 0; sp += c & 1; } }                          \
		return w * 1000 + sp; }                                          \
	u32 both(u32 a, u32 b) { if (a > 10 && b != 3) { g += a; return a - b; } return a + b; } \
	u32 both2(u32 n, u32 b) { u32 s = 0; for (u32 i = 0; i < n; i++) {       \
		if (i > 10 && (i & b) != 3) { g += i; s += 3; } else s ^= i; } return s; } \
)
static uint32_t g_host;
static uint32_t sw_host(uint32_t s, uint32_t x)
{
	switch (s) { case 3: return x * 3; case 4: return x ^ 7; case 5: return x + 11;
	case 6: return x >> 2; case 7: return x * x; default: return x - 5; }
}
static uint32_t sw3_host(uint32_t s, uint32_t x)
{
	switch (s) { case 10: g_host += x; return x * 3; case 20: g_host ^= x; return x ^ 7;
	default: g_host -= 5; return x + 11; }
}
static uint32_t word_host(uint32_t seed, int n)
{
	uint32_t w = 0, in = 0, sp = 0;
	for (int i = 0; i < n; i++) {
		seed = seed * 69069u + 1;
		uint8_t c = (uint8_t)(seed >> 24);
		if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) { if (!in) w++; in = 1; }
		else { in = 0; sp += c & 1; }
	}
	return w * 1000 + sp;
}
static uint32_t both_host(uint32_t a, uint32_t b) { if (a > 10 && b != 3) { g_host += a; return a - b; } return a + b; }
static uint32_t both2_host(uint32_t n, uint32_t b)
{
	uint32_t s = 0;
	for (uint32_t i = 0; i < n; i++) {
		if (i > 10 && (i & b) != 3) { g_host += i; s += 3; } else s ^= i;
	}
	return s;
}

static int count_setcc(const char *fn)
{
	static const char *const set[] = { "sete", "setne", "setb", "setae", "seta", "setbe",
					   "setl", "setge", "setg", "setle" };
	int n = 0;
	for (unsigned i = 0; i < sizeof set / sizeof set[0]; i++)
		n += count_insns(fn, set[i], NULL, false);
	return n;
}

static void branch_shapes_check(int o, int tier)
{
	static const uint32_t xs[] = { 0, 1, 3, 10, 11, 12, 0x7fffffff, 0xfffffffeu };
	static const uint32_t cases[] = { 3, 4, 5, 6, 7, 9 }, cases3[] = { 10, 20, 30 };
	g_host = (uint32_t)run("get_g", 0, 0, 0);
	for (unsigned i = 0; i < 8; i++) {
		uint32_t x = xs[i] * 7 + 1;
		for (unsigned k = 0; k < 6; k++)
			cr_expect_eq((uint32_t)run("sw", 2, cases[k], x), sw_host(cases[k], x),
				     "sw(%u, %#x) -O%d t%d", cases[k], x, o, tier);
		for (unsigned k = 0; k < 3; k++)
			cr_expect_eq((uint32_t)run("sw3", 2, cases3[k], x), sw3_host(cases3[k], x),
				     "sw3(%u, %#x) -O%d t%d", cases3[k], x, o, tier);
		for (unsigned j = 0; j < 8; j++)
			cr_expect_eq((uint32_t)run("both", 2, xs[i], xs[j]), both_host(xs[i], xs[j]),
				     "both(%#x, %#x) -O%d t%d", xs[i], xs[j], o, tier);
		cr_expect_eq((uint32_t)run("both2", 2, 40, xs[i]), both2_host(40, xs[i]),
			     "both2(40, %#x) -O%d t%d", xs[i], o, tier);
		cr_expect_eq((uint32_t)run("word", 2, xs[i], 300), word_host(xs[i], 300),
			     "word(%#x) -O%d t%d", xs[i], o, tier);
	}
	cr_expect_eq((uint32_t)run("get_g", 0, 0, 0), g_host, "g -O%d t%d", o, tier);
	if (o == 2) {
		/* the dense switch is the function's only compare */
		cr_expect_eq(count_insns("sw", "cmp", NULL, false), 0, "t%d: sw checks bounds", tier);
		cr_expect_eq(count_insns("sw3", "cmp", NULL, false), 2, "t%d: sw3 compares", tier);
	}
	if (o == 2 && tier >= 1) {
		/* word's one setcc is `w += !in`; both2's selects
		 * need their or'ed compares as values */
		cr_expect_eq(count_setcc("word"), 1, "t%d: word materialises a compare", tier);
		cr_expect_eq(count_insns("word", "or", NULL, false), 0, "t%d: word ors flags", tier);
		cr_expect_eq(count_setcc("both"), 0, "t%d: both materialises a compare", tier);
	}
}

Test(regalloc, branch_shapes) { each_level_and_tier(BRANCH_SOURCE, branch_shapes_check); }

/* modules/fsm.c, a tokenizer: counters carried around a loop through a
 * switch's merge phis.  With ECX/EDX (tier 3) there are registers for
 * more of them; a merge phi and the loop phi it feeds must then share
 * one location, not a register and a slot copied into each other on
 * every edge (scratch.c cg_regalloc_wide runs spill_phi_links afresh):
 * 41 stores into stack slots without that, 23 with it. */
#define module_main fsm_module_main
#include "modules/fsm.c"
#undef module_main

static char *read_text(const char *path)
{
	FILE *f = fopen(path, "rb");
	cr_assert(f, "%s", path);
	static char buf[16384];
	size_t n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = 0;
	return buf;
}

static void merge_phis_share_locations_check(int o, int tier)
{
	for (int32_t arg = 40; arg < 44; arg++)
		cr_expect_eq((int32_t)run("module_main", 1, (uint32_t)arg, 0), fsm_module_main(arg),
			     "fsm(%d) -O%d t%d", arg, o, tier);
	if (o == 2 && tier == JIT_MAX_TIER) {
		int stores = count_insns("module_main", "mov", "dword ptr [esp", false);
		printf("fsm at tier %d: %d stores into stack slots\n", JIT_MAX_TIER, stores);
		cr_expect_leq(stores, 30, "fsm: %d stores into stack slots", stores);
		/* `c - '0'` and the like on chars into another register:
		 * lea, whatever the width (1 without) */
		int leas = count_insns("module_main", "lea", NULL, false);
		cr_expect_geq(leas, 4, "fsm: %d lea", leas);
	}
}

Test(regalloc, merge_phis_share_locations)
{
	each_level_and_tier(read_text("modules/fsm.c"), merge_phis_share_locations_check);
}

/* Instructions `mnem` of fn whose operands end with `tail`. */
static int count_tail(const char *fn, const char *mnem, const char *tail)
{
	return count_like(&H, fn, (struct insn_like){ mnem, NULL, tail, false });
}

/* Call results read from EAX by arithmetic a few instructions later (no
 * register, no move: rega.c soon_in_eax, emit.c operand_of); a loop's exit phi
 * sharing the register of the back-edge phi that takes the same value
 * (ranges.c sibling_copies); increments that keep ZF for a later branch
 * (lea, not inc, while ZF describes another register). */
#define FLOW_SOURCE SRC(                                                         \
	typedef unsigned u32;                                                    \
	int fib(int n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }          \
	u32 pc(u32 x) { u32 n = 0; while (x) { x &= x - 1; n++; } return n; }   \
	u32 pcs(u32 seed, int k) { u32 s = 0; for (int i = 0; i < k; i++) {      \
		seed = seed * 2654435761u + 7; s += pc(seed) * (u32)i; } return s; } \
)
/* a mov identical to the instruction right before it */
static enum insn_verdict repeated_mov(const cs_insn *in, const void *arg)
{
	static char prev[200];
	static uint64_t prev_end;
	(void)arg;
	char cur[200];
	snprintf(cur, sizeof cur, "%s %s", in->mnemonic, in->op_str);
	bool same = in->address == prev_end && strcmp(cur, prev) == 0 && strcmp(in->mnemonic, "mov") == 0;
	memcpy(prev, cur, sizeof prev);
	prev_end = in->address + in->size;
	return same ? INSN_COUNT : INSN_SKIP;
}

static uint32_t pc_host(uint32_t x) { uint32_t n = 0; while (x) { x &= x - 1; n++; } return n; }
static uint32_t pcs_host(uint32_t seed, int k)
{
	uint32_t s = 0;
	for (int i = 0; i < k; i++) {
		seed = seed * 2654435761u + 7;
		s += pc_host(seed) * (uint32_t)i;
	}
	return s;
}

static void call_results_exit_phis_and_flags_check(int o, int tier)
{
	static const uint32_t xs[] = { 0, 1, 2, 3, 0x80000000u, 0xffffffffu, 0x12345678, 0xf0f0f0f0u };
	for (int n = -1; n < 16; n++)
		cr_expect_eq((uint32_t)run("fib", 1, (uint64_t)(uint32_t)n, 0), (uint32_t)fib(n),
			     "fib(%d) -O%d t%d", n, o, tier);
	for (unsigned i = 0; i < 8; i++) {
		cr_expect_eq((uint32_t)run("pc", 1, xs[i], 0), pc_host(xs[i]), "pc(%#x) -O%d t%d", xs[i], o, tier);
		cr_expect_eq((uint32_t)run("pcs", 2, xs[i], 20), pcs_host(xs[i], 20), "pcs(%#x) -O%d t%d", xs[i], o, tier);
	}
	if (o == 2 && tier == JIT_MAX_TIER) {
		cr_expect_eq(count_tail("fib", "mov", ", eax"), 0, "fib moves its call's result");
		cr_expect_leq(count_insns("fib", "mov", NULL, false), 5, "fib: copies");
		cr_expect_eq(count_insns("pc", "test", NULL, false), 0, "pc tests what `and` set");
		/* the exit and loop phis of pcs's inner loop share a register
		 * and get the same 0 on entry: one copy, not two */
		cr_expect_eq(count_where(&H, "pcs", repeated_mov, NULL), 0, "pcs copies twice");
	}
}

Test(regalloc, call_results_exit_phis_and_flags) { each_level_and_tier(FLOW_SOURCE, call_results_exit_phis_and_flags_check); }

/* Compares that read memory (cmp r, [m]: opt.c fuse_cmp_load) at every
 * width and signedness, either operand order, fused into branches and
 * selects or not; never across a store that may change what the load
 * read (pst stores into the words it compares). */
#define CMPMEM_SOURCE SRC(                                                       \
	typedef unsigned u32; typedef unsigned char u8; typedef signed char s8; typedef short s16; \
	u8 T[64]; s8 S[64]; s16 H[64]; int W[64]; int *P[8];                     \
	u32 fill(u32 seed) { for (int i = 0; i < 64; i++) { seed = seed * 1103515245u + 12345u; \
		T[i] = (u8)(seed >> 16); S[i] = (s8)(seed >> 20); H[i] = (s16)(seed >> 8); W[i] = (int)seed; } \
		for (int i = 0; i < 8; i++) P[i] = &W[i * 3 % 8]; return seed; } \
	int eqb(int i, u8 c) { return T[i & 63] == c; }                          \
	int ltb(int i, s8 c) { return S[i & 63] < c; }                           \
	int gtu(int i, u8 c) { return c > T[(i * 7) & 63]; }                     \
	int leh(int i, s16 c) { return H[i & 63] <= c; }                         \
	int cnt(u8 c) { int n = 0; for (int i = 0; i < 64; i++) if (T[i] == c || S[i] < (s8)c) n++; return n; } \
	int wlt(int i, int x) { return x < W[i & 63] ? x : W[i & 63] + 1; }      \
	int pst(int i) { int n = 0; for (int k = 0; k < 8; k++) { if (*P[k] > i) n++; W[k] = i; } return n; } \
	int sel(int i, int a, int b) { return (S[i & 63] >= (s8)a) ? a : b; }   \
	int st(int i, int y) { int x = W[i & 7]; W[(i * 3) & 7] = y + 1; return x > y ? 10 : 20; } \
)
static uint8_t Tb_[64];
static int8_t Sb_[64];
static int16_t Hh_[64];
static int Ww_[64];
static int *Pw_[8];
static void fill_host(uint32_t seed)
{
	for (int i = 0; i < 64; i++) {
		seed = seed * 1103515245u + 12345u;
		Tb_[i] = (uint8_t)(seed >> 16);
		Sb_[i] = (int8_t)(seed >> 20);
		Hh_[i] = (int16_t)(seed >> 8);
		Ww_[i] = (int)seed;
	}
	for (int i = 0; i < 8; i++)
		Pw_[i] = &Ww_[i * 3 % 8];
}
static int cnt_host(uint8_t c)
{
	int n = 0;
	for (int i = 0; i < 64; i++)
		if (Tb_[i] == c || Sb_[i] < (int8_t)c)
			n++;
	return n;
}
static int pst_host(int i)
{
	int n = 0;
	for (int k = 0; k < 8; k++) {
		if (*Pw_[k] > i)
			n++;
		Ww_[k] = i;
	}
	return n;
}

static void compares_reading_memory_check(int o, int tier)
{
	uint32_t seed = 99u + (uint32_t)(o * 8 + tier);
	run("fill", 1, seed, 0);
	fill_host(seed);
	for (int i = 0; i < 64; i++) {
		uint32_t c = Tb_[(i * 5) & 63] ^ (uint32_t)(i & 1), x = (uint32_t)Ww_[(i * 3) & 63] + (uint32_t)(i & 3) - 1u;
		cr_expect_eq((int)run("eqb", 2, (uint32_t)i, c & 0xff), Tb_[i & 63] == (uint8_t)c, "eqb(%d) -O%d t%d", i, o, tier);
		cr_expect_eq((int)run("ltb", 2, (uint32_t)i, (uint32_t)(int8_t)c), Sb_[i & 63] < (int8_t)c, "ltb(%d) -O%d t%d", i, o, tier);
		cr_expect_eq((int)run("gtu", 2, (uint32_t)i, c & 0xff), (uint8_t)c > Tb_[(i * 7) & 63], "gtu(%d) -O%d t%d", i, o, tier);
		cr_expect_eq((int)run("leh", 2, (uint32_t)i, (uint32_t)(int16_t)x), Hh_[i & 63] <= (int16_t)x, "leh(%d) -O%d t%d", i, o, tier);
		cr_expect_eq((int)run("cnt", 1, c & 0xff, 0), cnt_host((uint8_t)c), "cnt(%#x) -O%d t%d", c, o, tier);
		int w = Ww_[i & 63];
		cr_expect_eq((int)run("wlt", 2, (uint32_t)i, x), (int)x < w ? (int)x : w + 1, "wlt(%d) -O%d t%d", i, o, tier);
		uint64_t sa[3] = { (uint32_t)i, c, 77 }, sr = 0;
		cr_assert_eq(jh_call(&H, "sel", sa, 3, &sr), 0, "%s", H.err);
		cr_expect_eq((int)sr, Sb_[i & 63] >= (int8_t)c ? (int)c : 77,
			     "sel(%d) -O%d t%d", i, o, tier);
	}
	/* the load, the store to the same word, the compare */
	for (int i = 0; i < 8; i++) {
		int y = Ww_[i & 7], x = Ww_[i & 7];
		Ww_[(i * 3) & 7] = y + 1;
		cr_expect_eq((int)run("st", 2, (uint32_t)i, (uint32_t)y), x > y ? 10 : 20, "st(%d) -O%d t%d", i, o, tier);
	}
	for (int i = -3; i < 3; i++)
		cr_expect_eq((int)run("pst", 1, (uint32_t)i * 0x10000000u, 0), pst_host(i * 0x10000000),
			     "pst(%d) -O%d t%d", i, o, tier);
	if (o == 2 && tier >= 1)
		cr_expect_eq(count_insns("cnt", "movzx", NULL, false), 0, "t%d: cnt loads before comparing", tier);
}

Test(regalloc, compares_reading_memory) { each_level_and_tier(CMPMEM_SOURCE, compares_reading_memory_check); }

/* modules/sort.c: the partition loop's address `&s[j]` (a getelementptr
 * kept for a load and a store) lives in ECX at tier 3, computed there by
 * its lea, not in EAX and moved (emit_gep with a result in ECX/EDX). */
#define module_main sort_module_main
#include "modules/sort.c"
#undef module_main

static void addresses_into_scratch_registers_check(int o, int tier)
{
	for (int32_t arg = 1; arg < 4; arg++)
		cr_expect_eq((int32_t)run("module_main", 1, (uint32_t)arg * 7919u, 0),
			     sort_module_main(arg * 7919), "sort(%d) -O%d t%d", arg * 7919, o, tier);
	if (o == 2 && tier == JIT_MAX_TIER) {
		cr_expect_eq(count_insns("quicksort", "mov", "ecx, eax", false), 0, "quicksort: lea into EAX, then moved");
		cr_expect_eq(count_insns("quicksort", "mov", "edx, eax", false), 0, "quicksort: lea into EAX, then moved");
	}
}

Test(regalloc, addresses_into_scratch_registers)
{
	each_level_and_tier(read_text("modules/sort.c"), addresses_into_scratch_registers_check);
}

/* Arithmetic that reads a load's memory operand (add r, [m]: opt.c
 * fuse_alu_load): every operation, both operand orders, a sub's
 * subtrahend (its minuend stays a load), results in callee-saved and
 * scratch registers, an address register dying into the result (crc's
 * T[x & 255] ^ x >> 8), and never across a store to the same word. */
#define ALUMEM_SOURCE SRC(                                                       \
	typedef unsigned u32;                                                    \
	u32 T[256]; u32 V[64];                                                   \
	u32 fill(u32 s) { for (int i = 0; i < 256; i++) { s = s * 1103515245u + 12345u; T[i] = s; } \
		for (int i = 0; i < 64; i++) V[i] = T[i * 3] >> 3; return s; }   \
	u32 ops(u32 i, u32 x) { i &= 63; return (x + V[i]) ^ (V[(i + 1) & 63] - x) ^ (x - V[(i + 2) & 63]) \
		^ (V[(i + 3) & 63] & x) ^ (x | V[(i + 4) & 63]) ^ (x * V[(i + 5) & 63]); } \
	u32 sumarr(u32 n) { u32 s = 0; for (u32 i = 0; i < n; i++) s += V[i & 63]; return s; } \
	u32 crc(u32 x, u32 n) { for (u32 i = 0; i < n; i++) x = T[x & 255] ^ (x >> 8); return x; } \
	u32 st(u32 i, u32 y) { u32 a = V[i & 63]; V[(i * 5) & 63] = y; return a + y; } \
	u32 many(u32 n) { u32 a = 1, b = 2, c = 3, d = 4, e = 5, f = 6;       \
		for (u32 i = 0; i < n; i++) { a += V[i & 63]; b ^= V[(i + 1) & 63]; c -= V[(i + 2) & 63]; \
			d |= V[(i + 3) & 63]; e *= V[(i + 4) & 63] | 1; f += T[(a ^ b) & 255]; } \
		return a ^ b ^ c ^ d ^ e ^ f; }                                  \
)
static uint32_t Tm_[256], Vm_[64];
static void fillm_host(uint32_t s)
{
	for (int i = 0; i < 256; i++) { s = s * 1103515245u + 12345u; Tm_[i] = s; }
	for (int i = 0; i < 64; i++) Vm_[i] = Tm_[i * 3] >> 3;
}
static uint32_t ops_host(uint32_t i, uint32_t x)
{
	i &= 63;
	return (x + Vm_[i]) ^ (Vm_[(i + 1) & 63] - x) ^ (x - Vm_[(i + 2) & 63]) ^ (Vm_[(i + 3) & 63] & x) ^
	       (x | Vm_[(i + 4) & 63]) ^ (x * Vm_[(i + 5) & 63]);
}
static uint32_t crc_host(uint32_t x, uint32_t n) { for (uint32_t i = 0; i < n; i++) x = Tm_[x & 255] ^ (x >> 8); return x; }
static uint32_t many_host(uint32_t n)
{
	uint32_t a = 1, b = 2, c = 3, d = 4, e = 5, f = 6;
	for (uint32_t i = 0; i < n; i++) {
		a += Vm_[i & 63]; b ^= Vm_[(i + 1) & 63]; c -= Vm_[(i + 2) & 63];
		d |= Vm_[(i + 3) & 63]; e *= Vm_[(i + 4) & 63] | 1; f += Tm_[(a ^ b) & 255];
	}
	return a ^ b ^ c ^ d ^ e ^ f;
}

/* loads into registers (mov reg, dword ptr [...], not from the frame) */
static enum insn_verdict is_load(const cs_insn *in, const void *arg)
{
	(void)arg;
	return strcmp(in->mnemonic, "mov") == 0 && in->op_str[0] == 'e' && strstr(in->op_str, ", dword ptr [") &&
	       !strstr(in->op_str, "[esp") ? INSN_COUNT : INSN_SKIP;
}

static int count_loads(const char *fn) { return count_where(&H, fn, is_load, NULL); }

static void arithmetic_reading_memory_check(int o, int tier)
{
	uint32_t seed = 7u + (uint32_t)(o * 8 + tier);
	run("fill", 1, seed, 0);
	fillm_host(seed);
	for (uint32_t i = 0; i < 70; i += 3) {
		uint32_t x = Tm_[i * 2] ^ i;
		cr_expect_eq((uint32_t)run("ops", 2, i, x), ops_host(i, x), "ops(%u) -O%d t%d", i, o, tier);
		cr_expect_eq((uint32_t)run("crc", 2, x, i), crc_host(x, i), "crc(%#x, %u) -O%d t%d", x, i, o, tier);
		/* the load, a store to the same word (i = 0, 16, 32, 48), the add */
		uint32_t a = Vm_[i & 63];
		Vm_[(i * 5) & 63] = x;
		cr_expect_eq((uint32_t)run("st", 2, i, x), a + x, "st(%u) -O%d t%d", i, o, tier);
	}
	uint32_t s = 0;
	for (uint32_t i = 0; i < 100; i++)
		s += Vm_[i & 63];
	cr_expect_eq((uint32_t)run("sumarr", 1, 100, 0), s, "sumarr -O%d t%d", o, tier);
	cr_expect_eq((uint32_t)run("many", 1, 90, 0), many_host(90), "many -O%d t%d", o, tier);
	if (o == 2 && tier >= 1)
		cr_expect_eq(count_loads("sumarr"), 0, "t%d: sumarr loads before adding", tier);
}

Test(regalloc, arithmetic_reading_memory) { each_level_and_tier(ALUMEM_SOURCE, arithmetic_reading_memory_check); }

/* Float and double values in XMM registers (cg/xmm.c) from tier 1 on:
 * the accumulators of these loops, and everything they compute, never
 * touch the stack inside the loop (no movss/movsd to or from a slot but
 * dacc's result, after its loop; the loops' constants are read from the
 * prologue's pool as operands, never moved), and every tier gives the
 * host's bits (before the XMM class: a store and a load per value).  `peek` calls a
 * function in its loop: what is live across the call keeps a slot
 * (XMM registers are caller-saved), and must still be right. */
#define XMM_SOURCE SRC(                                                          \
	typedef unsigned u32; typedef unsigned long long u64;                    \
	u64 dacc(int n) { double s = 0, x = 1.0;                                 \
		for (int i = 0; i < n; i++) { s = s * 0.5 + x; x = x * 1.25 - 0.125; } \
		union { double d; u64 u; } r = { s + 0.0 }; return r.u; }        \
	u32 facc(int n) { float s = 0, x = 1, y = 3;                             \
		for (int i = 0; i < n; i++) { float t = s * 0.25f + x * y; y = y * 0.5f - x * 0.125f; x = t * 0.5f; s = s * 0.5f + t; } \
		union { float f; u32 u; } r = { s + 0.0f }; return r.u; }       \
	__attribute__((noinline)) double half(double v) { return v * 0.5; }      \
	u64 peek(int n) { double s = 1, x = 0.25;                                \
		for (int i = 0; i < n; i++) { s = s + half(x) * s; x = x + 0.5; } \
		union { double d; u64 u; } r = { s + 0.0 }; return r.u; }        \
)

static uint64_t dacc_host(int n) { double s = 0, x = 1.0;
	for (int i = 0; i < n; i++) { s = s * 0.5 + x; x = x * 1.25 - 0.125; }
	union { double d; uint64_t u; } r = { s + 0.0 }; return r.u; }
static uint32_t facc_host(int n) { float s = 0, x = 1, y = 3;
	for (int i = 0; i < n; i++) { float t = s * 0.25f + x * y; y = y * 0.5f - x * 0.125f; x = t * 0.5f; s = s * 0.5f + t; }
	union { float f; uint32_t u; } r = { s + 0.0f }; return r.u; }
static double half_host(double v) { return v * 0.5; }
static uint64_t peek_host(int n) { double s = 1, x = 0.25;
	for (int i = 0; i < n; i++) { s = s + half_host(x) * s; x = x + 0.5; }
	union { double d; uint64_t u; } r = { s + 0.0 }; return r.u; }

/* movss/movsd with a memory operand: a value moved to or from memory */
static enum insn_verdict is_fp_move_mem(const cs_insn *in, const void *arg)
{
	(void)arg;
	return (strcmp(in->mnemonic, "movss") == 0 || strcmp(in->mnemonic, "movsd") == 0) &&
	       strstr(in->op_str, "ptr [") ? INSN_COUNT : INSN_SKIP;
}

static void fp_values_in_xmm_registers_check(int o, int tier)
{
	static const int trips[] = { 0, 1, 2, 3, 7, 40 };
	for (unsigned k = 0; k < sizeof trips / sizeof trips[0]; k++) {
		int n = trips[k];
		cr_expect_eq(run("dacc", 1, (uint64_t)n, 0), dacc_host(n), "dacc(%d) -O%d t%d", n, o, tier);
		cr_expect_eq((uint32_t)run("facc", 1, (uint64_t)n, 0), facc_host(n), "facc(%d) -O%d t%d", n, o, tier);
		cr_expect_eq(run("peek", 1, (uint64_t)n, 0), peek_host(n), "peek(%d) -O%d t%d", n, o, tier);
	}
	if (tier == 0)
		cr_expect_eq(H.o.xmm_values, 0u, "-O%d: tier 0 keeps FP values in slots", o);
	if (tier >= 1 && o >= 1) {
		cr_expect_gt(H.o.xmm_values, 0u, "-O%d t%d: no value in an XMM register", o, tier);
		/* dacc: one store, after the loop (the result's bits, an i64,
		 * live in a slot); facc's float bits go to EAX by movd */
		cr_expect_leq(count_where(&H, "dacc", is_fp_move_mem, NULL), 1, "-O%d t%d: dacc moves FP values to or from memory", o, tier);
		cr_expect_eq(count_where(&H, "facc", is_fp_move_mem, NULL), 0, "-O%d t%d: facc moves FP values to or from memory", o, tier);
	}
}

Test(regalloc, fp_values_in_xmm_registers) { each_level_and_tier(XMM_SOURCE, fp_values_in_xmm_registers_check); }

/* A loop's FP phi shares the register of its temporary: the copy of the
 * temporary into the phi at the loop head (the head's parallel copy,
 * ranges.c head_copy) is a copy onto itself and is not emitted.  `esc`
 * iterates z <- z^2 + c in double until |z|^2 > 4 (mandel's loop; one
 * operation a statement: nothing contracted into llvm.fmuladd) for
 * c = (x/16 - 2.25) + (y/16 - 1.25)i: its two phis are written at the
 * back edge; one register copy remains in the loop (the new wr is
 * computed while the old one is still read) besides the squares'
 * two-address copies, not three. */
#define ESC_SOURCE SRC(                                                          \
	int esc(int n, int xy) { double cr = (xy & 63) / 16.0 - 2.25, ci = (xy >> 6) / 16.0 - 1.25; \
		double wr = 0, wi = 0; int k = 0;                                \
		for (; k < n; k++) { double r2 = wr * wr, i2 = wi * wi;         \
			if (r2 + i2 > 4.0) break;                                \
			double t = r2 - i2; t = t + cr; double u = 2 * wr; u = u * wi; \
			wi = u + ci; wr = t; }                                   \
		return k; }                                                      \
)

static int esc_host(int n, int xy)
{
	double cr = (xy & 63) / 16.0 - 2.25, ci = (xy >> 6) / 16.0 - 1.25;
	double wr = 0, wi = 0;
	int k = 0;
	for (; k < n; k++) {
		double r2 = wr * wr, i2 = wi * wi;
		if (r2 + i2 > 4.0)
			break;
		double t = r2 - i2;
		t = t + cr;
		double u = 2 * wr;
		u = u * wi;
		wi = u + ci;
		wr = t;
	}
	return k;
}

/* movaps/movapd between two registers */
static enum insn_verdict is_xmm_copy(const cs_insn *in, const void *arg)
{
	(void)arg;
	return (strcmp(in->mnemonic, "movaps") == 0 || strcmp(in->mnemonic, "movapd") == 0) &&
	       !strstr(in->op_str, "ptr") ? INSN_COUNT : INSN_SKIP;
}

static void loop_phis_share_their_temporaries_check(int o, int tier)
{
	/* counting from the first call (a hook added later may miss code
	 * Unicorn has already translated) */
	H.count = tier >= 1 && o >= 2;
	for (int xy = 0; xy < 40 * 64; xy += 61)
		for (int n = 0; n < 70; n += 23)
			cr_expect_eq((int)run("esc", 2, (uint64_t)n, (uint64_t)xy), esc_host(n, xy),
				     "esc(%d, %d) -O%d t%d", n, xy, o, tier);
	if (tier >= 1 && o >= 1)
		cr_expect_leq(count_where(&H, "esc", is_xmm_copy, NULL), 5, "-O%d t%d: esc copies FP registers", o, tier);
	if (tier >= 1 && o >= 2) {
		/* c = 0 never escapes: instructions per iteration, from 30 more
		 * iterations.  The loop test at its head leaves for the exit
		 * block, whose phi takes k: that copy is made on the way out
		 * (flow.c emit_br), not in every iteration. */
		run("esc", 2, 60, 20 * 64 + 36);
		uint64_t i60 = H.icount;
		run("esc", 2, 30, 20 * 64 + 36);
		uint64_t per = (i60 - H.icount) / 30;
		H.count = false;
		cr_expect_leq(per, 17, "-O%d t%d: esc takes %llu instructions per iteration", o, tier, (unsigned long long)per);
	}
}

Test(regalloc, loop_phis_share_their_temporaries) { each_level_and_tier(ESC_SOURCE, loop_phis_share_their_temporaries_check); }
/* A pointer computed before a loop, its fields loaded and stored inside
 * (b = &bs[i], b->vx -= ... in the loop over j): from tier 2 on, the
 * field addresses are b's register plus a displacement at each load and
 * store (opt.c fold_addr across blocks, constant indices only), not
 * each one computed by lea before the loop, kept in a register or
 * spilled and reloaded. */
#define PULL_SOURCE SRC(                                                         \
	typedef unsigned u32;                                                    \
	typedef struct { int x, y, z, vx, vy, vz; } B;                           \
	B bs[8];                                                                 \
	void put(int i, int x, int y, int z) { bs[i].x = x; bs[i].y = y; bs[i].z = z; \
		bs[i].vx = bs[i].vy = bs[i].vz = 0; }                             \
	void pull(int n) {                                                       \
		for (int i = 0; i < n; i++) { B *b = &bs[i];                     \
			for (int j = i + 1; j < n; j++) {                        \
				int dx = b->x - bs[j].x, dy = b->y - bs[j].y, dz = b->z - bs[j].z; \
				b->vx -= dx; b->vy -= dy * 3; b->vz -= dz ^ j;   \
				bs[j].vx += dx; bs[j].vy += dy; bs[j].vz += dz; } } } \
	u32 sum(int n) { u32 s = 0; for (int i = 0; i < n; i++)                 \
		s = s * 31 + (u32)(bs[i].vx * 7 + bs[i].vy * 5 + bs[i].vz); return s; } \
)

typedef struct { int x, y, z, vx, vy, vz; } pull_body;
static pull_body pull_bs[8];
static u32 pull_host(int n, int seed)
{
	for (int i = 0; i < 8; i++) {
		pull_bs[i].x = seed * (i + 1); pull_bs[i].y = seed ^ (i * 77); pull_bs[i].z = i * i - seed;
		pull_bs[i].vx = pull_bs[i].vy = pull_bs[i].vz = 0;
	}
	for (int i = 0; i < n; i++) { pull_body *b = &pull_bs[i];
		for (int j = i + 1; j < n; j++) {
			int dx = b->x - pull_bs[j].x, dy = b->y - pull_bs[j].y, dz = b->z - pull_bs[j].z;
			b->vx -= dx; b->vy -= dy * 3; b->vz -= dz ^ j;
			pull_bs[j].vx += dx; pull_bs[j].vy += dy; pull_bs[j].vz += dz; } }
	u32 s = 0;
	for (int i = 0; i < n; i++)
		s = s * 31 + (u32)(pull_bs[i].vx * 7 + pull_bs[i].vy * 5 + pull_bs[i].vz);
	return s;
}

static void field_addresses_across_blocks_check(int o, int tier)
{
	for (int n = 0; n <= 8; n++) {
		int seed = 13 + n;
		for (int i = 0; i < 8; i++) {
			uint64_t a[4] = { (uint64_t)i, (uint64_t)(seed * (i + 1)), (uint64_t)(seed ^ (i * 77)),
					  (uint64_t)(i * i - seed) };
			uint64_t r;
			cr_assert_eq(jh_call(&H, "put", a, 4, &r), 0, "%s", H.err);
		}
		run("pull", 1, (uint64_t)n, 0);
		cr_expect_eq((u32)run("sum", 1, (uint64_t)n, 0), pull_host(n, seed), "pull(%d) -O%d t%d", n, o, tier);
	}
	if (tier >= 2 && o >= 1) {
		/* b->vx, b->vy, b->vz: offsets 12, 16, 20 */
		int leas = count_tail("pull", "lea", "+ 0xc]") + count_tail("pull", "lea", "+ 0x10]") +
			   count_tail("pull", "lea", "+ 0x14]");
		cr_expect_eq(leas, 0, "-O%d t%d: pull computes %d field addresses", o, tier, leas);
	}
}

Test(regalloc, field_addresses_across_blocks) { each_level_and_tier(PULL_SOURCE, field_addresses_across_blocks_check); }

/* modules/nbody.c: its inner loop updates b[i].vx, vy, vz, with
 * b = &b[i] computed in the outer loop: addressed from b's register at
 * -O2 from tier 2 on (opt.c fold_addr across blocks), not computed by
 * lea before the loop (3 without). */
#define module_main nbody_module_main
#include "modules/nbody.c"
#undef module_main

static void nbody_field_addresses_check(int o, int tier)
{
	/* from -O2 on clang fuses a * b + c into llvm.fmuladd, which the
	 * JIT may compute fused and this C, built for the host, does not:
	 * there the tiers agree with tier 0 */
	static const int32_t args[] = { 0, 1, 2, 7, 50 };
	static uint32_t ref[sizeof args / sizeof args[0]];
	for (unsigned k = 0; k < sizeof args / sizeof args[0]; k++) {
		uint32_t r = (uint32_t)run("module_main", 1, (uint32_t)args[k], 0);
		if (o <= 1)
			cr_expect_eq(r, (uint32_t)nbody_module_main(args[k]), "nbody(%d) -O%d t%d", args[k], o, tier);
		if (tier == 0)
			ref[k] = r;
		cr_expect_eq(r, ref[k], "nbody(%d) -O%d t%d: not tier 0's", args[k], o, tier);
	}
	if (o == 2 && tier >= 2) {
		int leas = count_tail("module_main", "lea", "+ 0x18]") + count_tail("module_main", "lea", "+ 0x20]") +
			   count_tail("module_main", "lea", "+ 0x28]");
		cr_expect_eq(leas, 0, "-O%d t%d: nbody computes %d field addresses", o, tier, leas);
	}
}

Test(regalloc, nbody_field_addresses)
{
	each_level_and_tier(read_text("modules/nbody.c"), nbody_field_addresses_check);
}

/* Twelve doubles carried around a loop in phis, each the sum (difference,
 * product, quotient) of its old value and something, stored every
 * iteration: IR text tests/inputs/bitcode/fp_carry.ll.  More than there
 * are XMM registers: the spilled phis and the results copied into them
 * share slots (slots.c reads_first: the SSE operation reads its operands
 * before it stores its result), and so do the temporaries of the phis
 * that got a register and the results copied into them: no copy from
 * slot to slot (through XMM7) on the back edge (11 without either, 8
 * without the second, 3 without the first). */
typedef union { double d; uint64_t u; } fp_bits;

static uint64_t fp_carry_host(int n)
{
	double pos[12], vel[12];
	for (int k = 0; k < 12; k++) {
		pos[k] = k + 1;
		vel[k] = 0.5 * k - 2.25;
	}
	for (int i = 0; i < n; i++)
		for (int k = 0; k < 12; k++) {
			double x = vel[k], y = x * 0.125, b;
			switch (k % 4) {
			case 0: b = pos[k] + y; break;
			case 1: b = pos[k] - y; break;
			case 2: b = pos[k] * (y + 1.0); break;
			default: b = pos[k] / (y + 3.0); break;
			}
			pos[k] = b;
			vel[k] = x - b;
		}
	uint64_t h = 0;
	for (int k = 0; k < 12; k++)
		h = h * 31 ^ ((fp_bits){ .d = pos[k] }).u;
	return h;
}

static void fp_phis_share_slots_check(int tier)
{
	static const int trips[] = { 0, 1, 2, 3, 9, 40 };
	for (unsigned k = 0; k < sizeof trips / sizeof trips[0]; k++)
		cr_expect_eq(run("module_main", 1, (uint64_t)trips[k], 0), fp_carry_host(trips[k]),
			     "fp_carry(%d) t%d", trips[k], tier);
	if (tier >= 1) {
		int copies = count_tail("steps", "movsd", "], xmm7");
		cr_expect_eq(copies, 0, "t%d: steps copies %d doubles from slot to slot", tier, copies);
		/* a sum or product into a slot whose other operand dies in
		 * its XMM register is computed there, and a store right
		 * after takes it from there (isel_fp.c emit_fp, held_in):
		 * 6 loads into XMM0 without */
		int loads = count_like(&H, "steps", (struct insn_like){ "movsd", "xmm0, qword ptr [esp", NULL, false });
		cr_expect_leq(loads, 4, "t%d: steps loads %d doubles into XMM0", tier, loads);
	}
}

Test(regalloc, fp_phis_share_slots) { each_tier_of_ll("tests/inputs/bitcode/fp_carry.ll", false, fp_phis_share_slots_check); }

/* A rotated nest whose inner loop's latch has two back edges, to its own
 * head and to the outer loop's test laid out before it
 * (tests/inputs/bitcode/inner_latch.ll, the shape of nbody's pair loop):
 * the inner edge is the hot one -- its phi copies, then a jcc back to
 * the inner head; the way out pays the jmp (flow.c emit_br).  Before,
 * each edge's copies went on their own and every inner iteration ran a
 * jcc and a jmp. */
static uint32_t pairs_host(int32_t n)
{
	uint32_t s = 0;
	for (int32_t i = 0; i + 1 < n; i++)
		for (int32_t j = i + 1; j < n; j++)
			s += (uint32_t)j * 7 ^ (uint32_t)i;
	return s;
}

static void inner_latch_check(int tier)
{
	static const int32_t ns[] = { 0, 1, 2, 3, 7, 40 };
	for (unsigned k = 0; k < sizeof ns / sizeof ns[0]; k++)
		cr_expect_eq((uint32_t)run("pairs", 1, (uint64_t)ns[k], 0), pairs_host(ns[k]),
			     "pairs(%d) t%d", ns[k], tier);
	/* the last call, n = 40: 780 inner iterations of 6 instructions
	 * (imul, xor, add, lea, cmp, jne), 40 outer ones */
	if (tier >= 1)
		cr_expect_leq(H.icount, 780 * 6 + 40 * 10 + 40, "t%d: pairs(40) ran %llu instructions",
			      tier, (unsigned long long)H.icount);
}

Test(regalloc, inner_latch_takes_its_own_loop)
{
	each_tier_of_ll("tests/inputs/bitcode/inner_latch.ll", true, inner_latch_check);
}

/* `or disjoint` is an add, so a three-address lea computes it into a
 * register of its own (tests/inputs/bitcode/or_disjoint.ll: xxh's and
 * sieve's `i | 1` on a multiple of 4); a plain `or` stays `or`. */
static uint32_t or_host(uint32_t n)
{
	uint32_t s = 0;
	for (uint32_t i = 0; i < n; i++) {
		uint32_t a = i << 2;
		s += ((a | 1) * (a | 2)) ^ a;
	}
	return s;
}

static void or_disjoint_check(int tier)
{
	static const uint32_t ns[] = { 1, 2, 7, 100 };
	for (unsigned k = 0; k < sizeof ns / sizeof ns[0]; k++) {
		cr_expect_eq((uint32_t)run("f", 1, ns[k], 0), or_host(ns[k]), "f(%u) t%d", ns[k], tier);
		cr_expect_eq((uint32_t)run("g", 1, ns[k], 0), or_host(ns[k]), "g(%u) t%d", ns[k], tier);
	}
	if (tier >= 1) {
		cr_expect_eq(count_like(&H, "f", (struct insn_like){ "or", NULL, NULL, false }), 0,
			     "t%d: f ors", tier);
		cr_expect_geq(count_like(&H, "f", (struct insn_like){ "lea", NULL, NULL, false }), 2,
			      "t%d: f's ors are not leas", tier);
		cr_expect_geq(count_like(&H, "g", (struct insn_like){ "or", NULL, NULL, false }), 1,
			      "t%d: g's plain or became something else", tier);
	}
}

Test(regalloc, or_disjoint_as_lea) { each_tier_of_ll("tests/inputs/bitcode/or_disjoint.ll", false, or_disjoint_check); }

/* Values stored or compared as bytes prefer a register with a byte form
 * (rega.c stored_as_byte): at tier 3, EBX, ECX or EDX, never ESI/EDI
 * copied into EAX before each `cmp al, cl` or `mov [m], al`. */
#define BYTES_SOURCE SRC(                                                        \
	static const char text[32] = "abracadabra, a bad cab; baccarat";       \
	unsigned char tab[1024];                                                 \
	int tally(int n, int ab) { char a = (char)ab, b = (char)(ab >> 8); int x = 0; \
		for (int i = 0; i < n; i++) { char c = text[i & 31];             \
			if (c == a) x += 3; else if (c == b) x ^= 5;             \
			tab[i & 1023] = (unsigned char)(c + x); }                \
		return x + tab[(n - 1) & 1023]; }                                 \
)

static int tally_host(int n, int ab)
{
	static const char text[32] = "abracadabra, a bad cab; baccarat";
	static unsigned char tab[1024];
	char a = (char)ab, b = (char)(ab >> 8);
	int x = 0;
	for (int i = 0; i < n; i++) {
		char c = text[i & 31];
		if (c == a)
			x += 3;
		else if (c == b)
			x ^= 5;
		tab[i & 1023] = (unsigned char)(c + x);
	}
	return x + tab[(n - 1) & 1023];
}

/* mov eax, esi / mov eax, edi right before an instruction reading AL:
 * a value copied to get at its byte */
static enum insn_verdict is_byte_detour(const cs_insn *in, const void *arg)
{
	static bool after_copy;
	(void)arg;
	size_t n = strlen(in->op_str);
	bool reads_al = strncmp(in->op_str, "al,", 3) == 0 || (n >= 4 && strcmp(in->op_str + n - 4, ", al") == 0);
	bool hit = after_copy && reads_al;
	after_copy = strcmp(in->mnemonic, "mov") == 0 &&
		     (strcmp(in->op_str, "eax, esi") == 0 || strcmp(in->op_str, "eax, edi") == 0);
	return hit ? INSN_COUNT : INSN_SKIP;
}

static void byte_values_check(int o, int tier)
{
	static const int ns[] = { 1, 2, 31, 32, 100, 1500 };
	for (unsigned k = 0; k < sizeof ns / sizeof ns[0]; k++)
		cr_expect_eq((int)run("tally", 2, (uint64_t)ns[k], 'a' | 'b' << 8), tally_host(ns[k], 'a' | 'b' << 8),
			     "tally(%d) -O%d t%d", ns[k], o, tier);
	if (tier >= 3 && o >= 2)
		cr_expect_eq(count_where(&H, "tally", is_byte_detour, NULL), 0, "-O%d t%d: bytes through EAX", o, tier);
}

Test(regalloc, byte_values_in_byte_registers) { each_level_and_tier(BYTES_SOURCE, byte_values_check); }
