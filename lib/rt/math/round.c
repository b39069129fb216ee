/* Rounding to an integer: round (half away from zero), roundeven, rint and
 * nearbyint (half to even), and the conversions to long / long long
 * (lround llround lrint llrint), double and float.  Bit-exact, on the
 * bits (no SSE4.1 roundsd, which the issue does not require of the CPU):
 * the JIT maps llvm.round/roundeven/rint/nearbyint/l(l)round/l(l)rint here.
 *
 * rint and nearbyint are roundeven: they round in the current rounding
 * mode, and a module cannot change it (the kernel's verifier admits no
 * ldmxcsr/fldcw, and there is no fesetround), so it is always
 * round-to-nearest-even.  None raises an exception flag (nobody can read
 * them either).
 *
 * The integer ones round as above, then convert exactly; out of range or
 * NaN (undefined in C) gives the smallest integer of the type, as the x86
 * conversion instructions (cvtsd2si's "integer indefinite") and glibc on
 * x86 do -- never a trap. */
#include "lib/rt/math/m.h"

/* half away from zero: add half a unit of the integer part's last bit to
 * the magnitude's bits, then clear the fraction (as trunc does) */
double round(double x)
{
	uint64_t u = asu64(x);
	int e = (int)((u >> 52) & 0x7FF) - 1023;
	if (e >= 52)
		return e == 1024 ? x + x : x;		/* inf, NaN (quieted, as glibc); integral */
	if (e < -1)
		return asdouble(u & (1ull << 63));	/* |x| < 0.5: +-0 */
	if (e == -1)					/* 0.5 <= |x| < 1: +-1 */
		return asdouble((u & (1ull << 63)) | 0x3FF0000000000000ull);
	uint64_t m = (1ull << (52 - e)) - 1;
	u += 1ull << (51 - e);				/* + 0.5; a carry into the exponent is right */
	return asdouble(u & ~m);
}

float roundf(float x)
{
	uint32_t u = asu32(x);
	int e = (int)((u >> 23) & 0xFF) - 127;
	if (e >= 23)
		return e == 128 ? x + x : x;
	if (e < -1)
		return asfloat(u & 0x80000000u);
	if (e == -1)
		return asfloat((u & 0x80000000u) | 0x3F800000u);
	uint32_t m = (1u << (23 - e)) - 1;
	u += 1u << (22 - e);
	return asfloat(u & ~m);
}

/* half to even: up when the fraction is above a half, or exactly a half
 * and the integer part odd (its lowest bit is bit 52-e of the bits; for
 * e = 0 that is the exponent's lowest bit, 1 for 1023: 1 is odd) */
double roundeven(double x)
{
	uint64_t u = asu64(x);
	int e = (int)((u >> 52) & 0x7FF) - 1023;
	if (e >= 52)
		return e == 1024 ? x + x : x;
	if (e < -1 || (u & ~(1ull << 63)) == 0x3FE0000000000000ull)
		return asdouble(u & (1ull << 63));	/* |x| <= 0.5: +-0 */
	if (e == -1)
		return asdouble((u & (1ull << 63)) | 0x3FF0000000000000ull);
	uint64_t one = 1ull << (52 - e), m = one - 1, half = one >> 1, f = u & m;
	u &= ~m;
	if (f > half || (f == half && (u & one)))
		u += one;
	return asdouble(u);
}

float roundevenf(float x)
{
	uint32_t u = asu32(x);
	int e = (int)((u >> 23) & 0xFF) - 127;
	if (e >= 23)
		return e == 128 ? x + x : x;
	if (e < -1 || (u & 0x7FFFFFFFu) == 0x3F000000u)
		return asfloat(u & 0x80000000u);
	if (e == -1)
		return asfloat((u & 0x80000000u) | 0x3F800000u);
	uint32_t one = 1u << (23 - e), m = one - 1, half = one >> 1, f = u & m;
	u &= ~m;
	if (f > half || (f == half && (u & one)))
		u += one;
	return asfloat(u);
}

double rint(double x) { return roundeven(x); }
double nearbyint(double x) { return roundeven(x); }
float rintf(float x) { return roundevenf(x); }
float nearbyintf(float x) { return roundevenf(x); }

/* an integral double (or inf/NaN) as an int64_t; INT64_MIN when it does
 * not fit (no (int64_t) cast: on i686 that is x87 code or a call) */
static int64_t to_i64(double r)
{
	uint64_t u = asu64(r);
	int e = (int)((u >> 52) & 0x7FF) - 1023;
	if (e < 0)
		return 0;
	if (e >= 63)
		return (int64_t)(1ull << 63);		/* also -2^63 itself, inf, NaN */
	uint64_t mag = (u & 0x000FFFFFFFFFFFFFull) | (1ull << 52);
	mag = e >= 52 ? mag << (e - 52) : mag >> (52 - e);
	return (int64_t)(u >> 63 ? 0 - mag : mag);
}

#define LONG_MIN_ (-__LONG_MAX__ - 1L)
static long to_long(int64_t v) { return v == (long)v ? (long)v : LONG_MIN_; }

long long llround(double x) { return to_i64(round(x)); }
long long llrint(double x) { return to_i64(roundeven(x)); }
long long llroundf(float x) { return to_i64((double)roundf(x)); }
long long llrintf(float x) { return to_i64((double)roundevenf(x)); }
long lround(double x) { return to_long(to_i64(round(x))); }
long lrint(double x) { return to_long(to_i64(roundeven(x))); }
long lroundf(float x) { return to_long(to_i64((double)roundf(x))); }
long lrintf(float x) { return to_long(to_i64((double)roundevenf(x))); }
