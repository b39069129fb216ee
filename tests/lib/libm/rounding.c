/* The runtime's rounding functions (lib/rt/math/round.c; floor, ceil and
 * trunc in sqrt_fmod.c) against glibc's, bit for bit: every result must
 * have glibc's bits (NaN included: both quiet a signalling NaN), over
 * >= 1,000,000 inputs a function: halfway cases k + 1/2 up to 2^53,
 * random bits (every exponent, subnormals, NaN payloads), log-uniform
 * magnitudes 2^-3..2^66, the neighbours (+-8 ulps) of 0.5, 1, 1.5, 2.5,
 * 2^23, 2^24, 2^31, 2^32, 2^52, 2^53, 2^62, 2^63, 2^64, and +-0, +-inf, NaN.
 * The integer ones out of range or NaN (undefined in C) must give the
 * type's minimum, as glibc on x86 and the x86 conversions do.
 *
 * Built twice: for the host (x86-64, long = 64 bits) against the renamed
 * host objects, and for i686 (long = 32 bits, the runtime's own flags,
 * static glibc) run under qemu-i386: tests/lib/libm/libm.sh runs both.
 * One TEST line per function. */
#define _GNU_SOURCE
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define FD(n) double bfm_##n(double);
#define FF(n) float bfm_##n(float);
FD(floor) FD(ceil) FD(trunc) FD(round) FD(roundeven) FD(rint) FD(nearbyint)
FF(floorf) FF(ceilf) FF(truncf) FF(roundf) FF(roundevenf) FF(rintf) FF(nearbyintf)
long bfm_lround(double), bfm_lrint(double), bfm_lroundf(float), bfm_lrintf(float);
long long bfm_llround(double), bfm_llrint(double), bfm_llroundf(float), bfm_llrintf(float);

#include "tests/lib/libm/testbits.h"
static uint64_t rs = 0x9E3779B97F4A7C15ull;

static const double dsp[] = { 0.0, -0.0, 0.5, -0.5, 1.5, -1.5, 2.5, -2.5, INFINITY, -INFINITY, NAN, -NAN,
			      0x1p52, 0x1p53, 0x1p63, -0x1p63, 0x1p64, 5e-324, -5e-324, 0.49999999999999994 };
static const double bounds[] = { 0.5, 1, 1.5, 2.5, 0x1p23, 0x1p24, 0x1p31, 0x1p32, 0x1p52, 0x1p53,
				 0x1p62, 0x1p63, 0x1p64 };
#define NDSP (long)(sizeof dsp / sizeof dsp[0])
enum { N = 1000000 };

/* input i of the double (f = 0) or float (f = 1) sweep, as a double */
static double input(long i, int f)
{
	if (i < NDSP)
		return dsp[i];
	uint64_t r = rnd();
	int sign = (int)(rnd() & 1);
	double x;
	switch (i % 5) {
	case 0: /* random bits: every exponent, subnormals, inf, NaN payloads */
		return f ? (double)asf((uint32_t)r) : asd(r);
	case 1: /* halfway: m/2 for an odd m of up to 54 (float: 25) bits */
		x = (double)((r >> (f ? 39 + rnd() % 25 : 10 + rnd() % 54)) | 1) * 0.5;
		break;
	case 2: { /* log-uniform 2^-3 .. 2^66 */
		int e = -3 + (int)(rnd() % 70);
		x = ldexp(1.0 + (double)(r >> 12) * 0x1p-52, e);
		if (f)
			x = (double)(float)x;
		break;
	}
	case 3: { /* neighbours of the boundaries */
		x = bounds[r % (sizeof bounds / sizeof bounds[0])];
		int k = (int)(rnd() % 17) - 8;
		if (f) {
			uint32_t u = bf((float)x) + (uint32_t)k;
			x = (double)asf(u);
		} else
			x = asd(bd(x) + (uint64_t)(int64_t)k);
		break;
	}
	default: /* an integer plus or minus a little */
		x = (double)(r >> (20 + rnd() % 44)) + ((int)(rnd() % 5) - 2) * 0.25;
		if (f)
			x = (double)(float)x;
	}
	return sign ? -x : x;
}

static int status;
static void report(const char *name, long n, long bad)
{
	printf("TEST %s libm.%s%s: %ld inputs, %ld differ from glibc\n", bad ? "FAIL" : "PASS", name,
	       sizeof(long) == 4 ? ".i686" : "", n, bad);
	status |= bad != 0;
}

#define CHECK(bad, name, what, got, want) do { \
		if ((got) != (want) && bad++ < 3) \
			fprintf(stderr, "%s(%a): %llx, glibc %llx\n", name, what, \
				(unsigned long long)(got), (unsigned long long)(want)); \
	} while (0)

int main(void)
{
	static const struct { const char *n; double (*o)(double), (*g)(double); } d[] = {
		{ "floor", bfm_floor, floor }, { "ceil", bfm_ceil, ceil }, { "trunc", bfm_trunc, trunc },
		{ "round", bfm_round, round }, { "roundeven", bfm_roundeven, roundeven },
		{ "rint", bfm_rint, rint }, { "nearbyint", bfm_nearbyint, nearbyint } };
	static const struct { const char *n; float (*o)(float), (*g)(float); } fl[] = {
		{ "floorf", bfm_floorf, floorf }, { "ceilf", bfm_ceilf, ceilf }, { "truncf", bfm_truncf, truncf },
		{ "roundf", bfm_roundf, roundf }, { "roundevenf", bfm_roundevenf, roundevenf },
		{ "rintf", bfm_rintf, rintf }, { "nearbyintf", bfm_nearbyintf, nearbyintf } };
	long n = N + NDSP;
	for (unsigned k = 0; k < 7; k++) {
		long bad = 0;
		rs = 0x9E3779B97F4A7C15ull;
		for (long i = 0; i < n; i++) {
			double x = input(i, 0);
			CHECK(bad, d[k].n, x, bd(d[k].o(x)), bd(d[k].g(x)));
		}
		report(d[k].n, n, bad);
		bad = 0;
		rs = 0x9E3779B97F4A7C15ull;
		for (long i = 0; i < n; i++) {
			float x = (float)input(i, 1);
			CHECK(bad, fl[k].n, (double)x, bf(fl[k].o(x)), bf(fl[k].g(x)));
		}
		report(fl[k].n, n, bad);
	}
	long b[8] = { 0 };
	rs = 0x9E3779B97F4A7C15ull;
	for (long i = 0; i < n; i++) {
		double x = input(i, 0);
		CHECK(b[0], "lround", x, bfm_lround(x), lround(x));
		CHECK(b[1], "llround", x, bfm_llround(x), llround(x));
		CHECK(b[2], "lrint", x, bfm_lrint(x), lrint(x));
		CHECK(b[3], "llrint", x, bfm_llrint(x), llrint(x));
	}
	rs = 0x9E3779B97F4A7C15ull;
	for (long i = 0; i < n; i++) {
		float x = (float)input(i, 1);
		CHECK(b[4], "lroundf", (double)x, bfm_lroundf(x), lroundf(x));
		CHECK(b[5], "llroundf", (double)x, bfm_llroundf(x), llroundf(x));
		CHECK(b[6], "lrintf", (double)x, bfm_lrintf(x), lrintf(x));
		CHECK(b[7], "llrintf", (double)x, bfm_llrintf(x), llrintf(x));
	}
	static const char *const in[8] = { "lround", "llround", "lrint", "llrint", "lroundf", "llroundf",
					   "lrintf", "llrintf" };
	for (int k = 0; k < 8; k++)
		report(in[k], n, b[k]);
	return status;
}
