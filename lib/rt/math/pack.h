/* The module runtime's libm, internal: an exact value rounded once to a
 * double, on the bits (fma.c, scale.c).  The guest is i386: no __int128
 * and no libgcc (__clzdi2), so 64-bit counts are made of 32-bit ones. */
#ifndef RT_MATH_PACK_H
#define RT_MATH_PACK_H
#include "lib/rt/math/m.h"

/* leading zeros of a non-zero 64-bit value */
static inline int clz64(uint64_t m)
{
	uint32_t hi = (uint32_t)(m >> 32);
	return hi ? __builtin_clz(hi) : 32 + __builtin_clz((uint32_t)m);
}

/* (-1)^sign (m + s) 2^e rounded to nearest, ties to even, with m != 0 and
 * s in [0, 1) standing for bits below m's (`sticky`: s != 0; only needed
 * when m has more than 53 significant bits).  Subnormal results round
 * once at their own precision; too large ones are infinite.
 *
 * The lsb of the result is bit `sh` of m: 52 below m's top bit, or lower
 * when the result is subnormal (its lsb weighs 2^-1074).  The rounded
 * significand r (<= 2^53) goes into the bits as (q << 52) + r with q the
 * exponent field minus one: r's implicit bit adds that one, and a carry
 * out of r (r = 2^53) moves to the next binade, or from the largest
 * subnormal to the smallest normal, or from the largest finite to
 * infinity, by itself. */
static inline double make_double(uint64_t sign, uint64_t m, int e, int sticky)
{
	int t = 63 - clz64(m);
	int sh = t - 52;
	if (sh < -1074 - e)
		sh = -1074 - e;
	uint64_t r;
	if (sh <= 0) {
		r = m << -sh;				/* exact */
	} else if (sh > 64) {
		r = 0;					/* below half the least subnormal */
	} else {
		uint64_t rem = sh == 64 ? m : m & ((1ull << sh) - 1);
		uint64_t half = 1ull << (sh - 1);
		r = sh == 64 ? 0 : m >> sh;
		if (rem > half || (rem == half && (sticky || (r & 1))))
			r++;
	}
	int q = sh + e + 1074;
	if (q > 2045)
		return asdouble(sign << 63 | 0x7FF0000000000000ull);
	return asdouble(sign << 63 | (((uint64_t)q << 52) + r));
}
#endif
