/* The sandboxed JIT (jit_opts.secure = JIT_SEC_SANDBOX) against the
 * kernel's verifier (microkernel/verify, run by the harness on every image
 * it links: tests/jit/diff/harness_verify.c).
 *
 * - every tier at every -O level: the program below (a dense switch, a
 *   jump table's targets, function pointers spilled and in registers,
 *   recursion, 64-bit division in the runtime, sret) is accepted and
 *   computes what the unsandboxed JIT and the host compute, also after
 *   each function is recompiled alone (a tier-up's unit);
 * - each piece of the sandboxed form, left out on purpose
 *   (jit_opts.sandbox_faults), is caught: the verifier refuses the image
 *   with the rule that piece exists for, or (a jump table's targets off
 *   bundle starts, which no verifier can see) the results go wrong.  So
 *   this test fails if the JIT breaks any one rule. */
#include <criterion/criterion.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

#define PROGRAM(name, ...) static const char *name##_src = #__VA_ARGS__; __VA_ARGS__

PROGRAM(prog,
struct pair { int32_t a, b, c, d; };
__attribute__((noinline)) static struct pair mkpair(int32_t x) { struct pair p = { x, x * 3, x ^ 5, x - 7 }; return p; }
__attribute__((noinline)) static int32_t op_add(int32_t a, int32_t b) { return a + b; }
__attribute__((noinline)) static int32_t op_sub(int32_t a, int32_t b) { return a - b; }
__attribute__((noinline)) static int32_t op_mul(int32_t a, int32_t b) { return a * b; }
__attribute__((noinline)) static int32_t op_xor(int32_t a, int32_t b) { return a ^ b; }
static int32_t (*const ops[4])(int32_t, int32_t) = { op_add, op_sub, op_mul, op_xor };
__attribute__((noinline)) static int32_t fib(int32_t n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }
__attribute__((noinline)) static int32_t sel(int32_t k, int32_t x)
{
	switch (k) {
	case 0: x = x * 7 + 1; break;
	case 1: x = op_sub(x, 13); break;
	case 2: x ^= 0x5a5a; break;
	case 3: x = fib(x & 7); break;
	case 4: x = x << 3; break;
	case 5: x = op_mul(x, x); break;
	case 6: x = -x; break;
	case 7: x = x / 3; break;
	default: x = 99;
	}
	return x;
}
int32_t sandbox_main(int32_t seed)
{
	uint64_t acc = 0x123456789ull;
	int32_t (*volatile fp)(int32_t, int32_t) = op_add;
	for (int32_t i = 0; i < 40; i++) {
		int32_t v = sel((seed + i) % 9, seed * i + 3);
		v = ops[(uint32_t)(v + i) & 3](v, i + 1);
		v = fp(v, i);
		struct pair p = mkpair(v);
		acc = acc * 31u + (uint32_t)(p.a + p.b + p.c + p.d);
		acc ^= acc / (uint64_t)(i * 7 + 3);
	}
	return (int32_t)(acc ^ (acc >> 32));
}
)

static const int32_t seeds[] = { 0, 1, 5, 77 };

static void load(int olevel)
{
	static const char prelude[] =
		"typedef int int32_t; typedef unsigned uint32_t; typedef long long int64_t;\n"
		"typedef unsigned long long uint64_t;\n";
	setup();
	char *text = malloc(sizeof prelude + strlen(prog_src));
	cr_assert(text);
	strcpy(text, prelude);
	strcat(text, prog_src);
	int rc = jh_load_c(&H, text, olevel);
	free(text);
	cr_assert_eq(rc, 0, "%s", H.err);
}

/* Compiles at `tier` with `secure` and `faults`; 0 with every seed's
 * result the host's, else -1 (h->err or a wrong result). */
static int run(int tier, uint32_t secure, uint32_t faults, bool recompile, char *why, size_t n)
{
	H.secure = secure;
	H.sandbox_faults = faults;
	int rc = jh_compile(&H, tier);
	static const char *const fns[] = { "fib", "sel", "op_add", "op_sub", "op_mul", "op_xor", "mkpair",
					   "sandbox_main" };
	for (size_t i = 0; rc == 0 && recompile && i < sizeof fns / sizeof fns[0]; i++)
		if (ir_module_func(H.m, fns[i]) && !ir_module_func(H.m, fns[i])->is_decl)
			rc = jh_recompile(&H, fns[i], tier);
	if (rc != 0) {
		snprintf(why, n, "%s", H.err);
		return -1;
	}
	for (size_t i = 0; i < sizeof seeds / sizeof seeds[0]; i++) {
		uint64_t arg = (uint64_t)(int64_t)seeds[i], r;
		if (jh_call(&H, "sandbox_main", &arg, 1, &r) != 0) {
			snprintf(why, n, "%s", H.err);
			return -1;
		}
		if ((int32_t)r != sandbox_main(seeds[i])) {
			snprintf(why, n, "seed %d: 0x%08x, expected 0x%08x", seeds[i], (uint32_t)r,
				 (uint32_t)sandbox_main(seeds[i]));
			return -1;
		}
	}
	return 0;
}

Test(jit_sandbox, every_tier_and_level_verified_and_correct)
{
	char why[600];
	for (int o = 0; o <= 3; o++) {
		load(o);
		for (int t = 0; t <= JIT_MAX_TIER; t++) {
			cr_assert_eq(run(t, 0, 0, false, why, sizeof why), 0, "plain -O%d t%d: %s", o, t, why);
			uint64_t before = H.verified;
			cr_assert_eq(run(t, JIT_SEC_SANDBOX, 0, false, why, sizeof why), 0, "sandbox -O%d t%d: %s", o,
				     t, why);
			cr_assert_gt(H.verified, before, "the verifier saw the code");
			cr_assert_eq(run(t, JIT_SEC_SANDBOX, 0, true, why, sizeof why), 0,
				     "sandbox -O%d t%d, recompiled: %s", o, t, why);
		}
	}
	H.secure = 0;
}

/* A fault must be caught at some tier and -O level: the verifier with
 * `rule` in its message, or (rule NULL) a failed run. */
static void caught(uint32_t fault, const char *rule)
{
	char why[600];
	bool seen = false;
	for (int o = 0; o <= 3 && !seen; o++) {
		load(o);
		for (int t = 0; t <= JIT_MAX_TIER && !seen; t++) {
			for (int rec = 0; rec < 2 && !seen; rec++) {
				if (run(t, JIT_SEC_SANDBOX, fault, rec, why, sizeof why) == 0)
					continue;
				if (rule)
					cr_assert(strstr(why, rule), "fault 0x%x -O%d t%d: '%s', expected %s", fault, o,
						  t, why, rule);
				seen = true;
			}
		}
	}
	H.secure = 0;
	H.sandbox_faults = 0;
	cr_assert(seen, "fault 0x%x went unnoticed at every tier and level", fault);
}

Test(jit_sandbox, crossing_instruction_refused) { caught(JIT_SBX_BUNDLE, "bundle-crossing"); }
Test(jit_sandbox, call_off_bundle_end_refused) { caught(JIT_SBX_CALL, "call-not-at-bundle-end"); }
Test(jit_sandbox, plain_ret_refused) { caught(JIT_SBX_RET, "plain-ret"); }
Test(jit_sandbox, unmasked_indirect_refused) { caught(JIT_SBX_MASK, "unmasked-indirect"); }
Test(jit_sandbox, call_through_slot_refused) { caught(JIT_SBX_MEM, "indirect-through-memory"); }
Test(jit_sandbox, entry_off_bundle_refused) { caught(JIT_SBX_ENTRY, "not a bundle start"); }
/* no verifier sees where a jump table leads: the masked jump lands on
 * the bundle start before a target that is not one, and the results
 * show it */
Test(jit_sandbox, table_target_off_bundle_goes_wrong) { caught(JIT_SBX_TABLE, NULL); }
