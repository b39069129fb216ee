/* fpcorpus-clang-flags: -fno-math-errno
 * Rounding to integers (round, roundeven, rint, nearbyint; lround llround
 * lrint llrint) in float and double on edge values: halfway cases, +-0,
 * +-inf, NaN, subnormals, 2^23/2^24, 2^52/2^53, 2^31, 2^63 and their
 * neighbours, out-of-range inputs for the integer ones (C leaves the
 * value undefined; the runtime gives the type's minimum, no trap).  The
 * __builtin_ forms become llvm.round.* etc. (llvm.lround.* with
 * -fno-math-errno, the flag above); the plain calls are calls to the
 * runtime's functions.  The values come through volatile loads so no
 * compiler folds them.  The result hashes the bits. */
#include <stdint.h>
#include <math.h>

static uint32_t h = 2166136261u;
static void mix(uint32_t x) { h = (h ^ x) * 16777619u; }
static void mix64(uint64_t x) { mix((uint32_t)x); mix((uint32_t)(x >> 32)); }
static void mixd(double d) { union { double d; uint64_t u; } v = { d }; mix64(v.u); }
static void mixf(float f) { union { float f; uint32_t u; } v = { f }; mix(v.u); }

static volatile double dv[] = {
	0.0, -0.0, 0.5, -0.5, 1.5, -1.5, 2.5, -2.5, 3.5, -3.5, 0.49999999999999994,
	-0.49999999999999994, 0.5000000000000001, 1.0, -1.0, 0.25, 0.75, -0.75, 1e-310, -1e-310,
	5e-324, 2.4999999999999996, 1234567.5, -1234568.5, 0x1p52, 0x1p52 + 0.5 + 0.5, 0x1.fffffffffffffp51,
	-0x1.fffffffffffffp51, 0x1p51 + 0.5, 0x1p51 + 1.5, -0x1p51 - 0.5, 0x1p53, 0x1p53 + 2, 0x1p62,
	0x1.fffffffffffffp62, -0x1p63, 0x1p63, -0x1.0000000000001p63, 0x1p64, 1e300, -1e300, 2147483647.5,
	2147483646.5, -2147483648.5, -2147483648.4, 2147483648.0, -2147483649.0, 4294967295.5,
	__builtin_inf(), -__builtin_inf(), __builtin_nan(""), -__builtin_nan(""), 0.1, -0.9, 99.5, 100.5,
};
static volatile float fv[] = {
	0.0f, -0.0f, 0.5f, -0.5f, 1.5f, -1.5f, 2.5f, -2.5f, 0.49999997f, -0.49999997f, 0.50000006f,
	1e-40f, -1e-40f, 1e-45f, 0x1p23f, 0x1.fffffep22f, -0x1.fffffep22f, 0x1p22f + 0.5f, 0x1p22f + 1.5f,
	0x1p24f, 0x1p31f, -0x1p31f, 0x1p62f, 0x1.fffffep62f, -0x1p63f, 0x1p63f, 1e30f, -1e30f, 8388607.5f,
	__builtin_inff(), -__builtin_inff(), __builtin_nanf(""), -__builtin_nanf(""), 0.1f, -0.9f, 99.5f,
};
#define N(a) (int)(sizeof a / sizeof a[0])

int test_main(void)
{
	for (int i = 0; i < N(dv); i++) {
		double x = dv[i];
		mixd(__builtin_round(x)); mixd(__builtin_roundeven(x)); mixd(__builtin_rint(x));
		mixd(__builtin_nearbyint(x)); mixd(round(x)); mixd(rint(x)); mixd(nearbyint(x));
		mixd(roundeven(x));
		mix((uint32_t)__builtin_lround(x)); mix((uint32_t)__builtin_lrint(x));
		mix64((uint64_t)__builtin_llround(x)); mix64((uint64_t)__builtin_llrint(x));
		mix((uint32_t)lround(x)); mix((uint32_t)lrint(x));
		mix64((uint64_t)llround(x)); mix64((uint64_t)llrint(x));
		/* in a loop: the result used as an integer and as a double */
		long s = __builtin_lround(x * 0.5) + __builtin_lrint(x * 0.25);
		mix((uint32_t)s);
		mixd(__builtin_round(x * 3.0) - __builtin_rint(x * 3.0));
	}
	for (int i = 0; i < N(fv); i++) {
		float x = fv[i];
		mixf(__builtin_roundf(x)); mixf(__builtin_roundevenf(x)); mixf(__builtin_rintf(x));
		mixf(__builtin_nearbyintf(x)); mixf(roundf(x)); mixf(rintf(x)); mixf(nearbyintf(x));
		mixf(roundevenf(x));
		mix((uint32_t)__builtin_lroundf(x)); mix((uint32_t)__builtin_lrintf(x));
		mix64((uint64_t)__builtin_llroundf(x)); mix64((uint64_t)__builtin_llrintf(x));
		mix((uint32_t)lroundf(x)); mix((uint32_t)lrintf(x));
		mix64((uint64_t)llroundf(x)); mix64((uint64_t)llrintf(x));
	}
	/* a sweep through halfway points */
	for (int k = -40; k <= 40; k++) {
		double x = k * 0.5;
		float f = (float)k * 0.25f;
		mixd(__builtin_round(x)); mixd(__builtin_rint(x)); mixf(__builtin_roundf(f));
		mixf(__builtin_rintf(f)); mix((uint32_t)__builtin_lrint(x)); mix((uint32_t)__builtin_lroundf(f));
		mix64((uint64_t)__builtin_llround(x)); mix64((uint64_t)__builtin_llrintf(f));
	}
	return (int)h;
}
