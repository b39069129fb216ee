/* Hand-made bitcode for the JIT's limits (tests/jit/unit/test_jit_limits.c,
 * tests/jit/diff/limits.sh): modules no LLVM tool can write, because LLVM's
 * own text form spells a constant as a tree and its writer walks shared
 * constant operands as one too (opt-19 needs 7 s for 28 levels of
 * `add (X, X)` and doubles with every level).  A minimal bitstream
 * writer: unabbreviated records, one abbreviation for the STRTAB blob.
 *
 * Every module has
 *   @g = global i32 7
 *   @k = global i32 K                  (7 without BCGEN_GLOBAL)
 *   define i32 @f()  { ret i32 K }     (7 without BCGEN_FUNC)
 *   define i32 @gk() { %v = load i32, ptr @k; ret i32 %v }
 * where K is, by kind:
 *   BCGEN_SHARED      L0 = 3, Ln = add (mul (Ln-1, Ln-1), Ln-1): n levels,
 *                     2n + 1 distinct constants, 3^n leaves when walked
 *                     as a tree
 *   BCGEN_SHARED_PTR  L0 = ptrtoint (ptr @g to i32), Ln = add (Ln-1, Ln-1)
 *                     (the JIT cannot add two addresses: a clear error)
 *   BCGEN_TREE        a balanced tree of `add` of depth n: 2^(n-1) leaves
 *                     (1) and 2^(n-1) - 1 inner nodes, all distinct
 *                     records (value 2^(n-1)): big without any sharing */
#ifndef BF_TESTS_JIT_BCGEN_H
#define BF_TESTS_JIT_BCGEN_H
#include <stddef.h>
#include <stdint.h>

enum bcgen_kind { BCGEN_SHARED, BCGEN_SHARED_PTR, BCGEN_TREE };
enum { BCGEN_FUNC = 1, BCGEN_GLOBAL = 2 };	/* where K is used */

/* Writes the module into buf (cap bytes); its length, or 0 when it does
 * not fit. */
size_t bcgen_module(uint8_t *buf, size_t cap, enum bcgen_kind kind, unsigned n, unsigned where);

/* K of BCGEN_SHARED with n levels, computed directly (mod 2^32). */
uint32_t bcgen_shared_value(unsigned n);
#endif
