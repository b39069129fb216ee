/* Exact operations on the representation, double and float: ldexp and
 * scalbn (x 2^n, rounded once when the result is subnormal: pack.h),
 * frexp, modf, copysign, nextafter.  NaN arguments come back quieted
 * (x + x), as glibc's. */
#include "lib/rt/math/pack.h"

double scalbn(double x, int n)
{
	uint64_t u = asu64(x);
	int be = (int)(u >> 52) & 0x7FF;
	if (be == 0x7FF || (u << 1) == 0)
		return x + x;				/* NaN (quieted), inf, zero */
	if (n == 0)
		return x;
	/* beyond +-2200 the result is infinite or zero whatever x is */
	if (n > 2200)
		n = 2200;
	if (n < -2200)
		n = -2200;
	uint64_t m = u & 0x000FFFFFFFFFFFFFull;
	int e = (be ? be : 1) - 1075;
	if (be)
		m |= 1ull << 52;
	return make_double(u >> 63, m, e + n, 0);
}

double ldexp(double x, int n) { return scalbn(x, n); }

/* x = m 2^e with |m| in [0.5, 1) */
double frexp(double x, int *e)
{
	uint64_t u = asu64(x);
	int be = (int)(u >> 52) & 0x7FF;
	*e = 0;
	if (be == 0x7FF || (u << 1) == 0)
		return x + x;
	int k = 0;
	if (be == 0) {					/* subnormal: normalise exactly */
		u = asu64(x * 0x1p64);
		be = (int)(u >> 52) & 0x7FF;
		k = -64;
	}
	*e = be - 1022 + k;
	return asdouble((u & 0x800FFFFFFFFFFFFFull) | 0x3FE0000000000000ull);
}

/* x = integer part (*ip) + fraction, both with x's sign */
double modf(double x, double *ip)
{
	uint64_t u = asu64(x);
	int be = (int)(u >> 52) & 0x7FF;
	if (be == 0x7FF) {
		*ip = x + x;
		return (u << 12) ? x + x : asdouble(u & (1ull << 63));	/* NaN; +-0 for +-inf */
	}
	double t = trunc(x);
	*ip = t;
	return asdouble(asu64(x - t) | (u & (1ull << 63)));	/* exact; -0 for negative integers */
}

double copysign(double x, double y)
{
	return asdouble((asu64(x) & ~(1ull << 63)) | (asu64(y) & (1ull << 63)));
}

/* the next double after x towards y */
double nextafter(double x, double y)
{
	if (x != x || y != y)
		return x + y;
	if (x == y)
		return y;
	uint64_t u = asu64(x);
	if ((u << 1) == 0)				/* +-0: the least subnormal, y's way */
		return asdouble((asu64(y) & (1ull << 63)) | 1);
	/* away from zero when y is further out on x's side */
	u = (x < y) == !(u >> 63) ? u + 1 : u - 1;
	return asdouble(u);
}

/* float: through double where that is exact; the rest on float bits */
float scalbnf(float x, int n)
{
	/* x 2^n is exact in a double down to 2^-1074 (x has 24 bits and is
	 * >= 2^-149), so one rounding to float; beyond the double's range
	 * the float result is 0 or inf anyway */
	if (n > 400)
		n = 400;
	if (n < -400)
		n = -400;
	return (float)scalbn((double)x, n);
}

float ldexpf(float x, int n) { return scalbnf(x, n); }

float frexpf(float x, int *e)
{
	return (float)frexp((double)x, e);		/* exact both ways */
}

float modff(float x, float *ip)
{
	double i;
	float f = (float)modf((double)x, &i);		/* exact both ways */
	*ip = (float)i;
	return f;
}

float copysignf(float x, float y)
{
	return asfloat((asu32(x) & 0x7FFFFFFFu) | (asu32(y) & 0x80000000u));
}

float nextafterf(float x, float y)
{
	if (x != x || y != y)
		return x + y;
	if (x == y)
		return y;
	uint32_t u = asu32(x);
	if ((u << 1) == 0)
		return asfloat((asu32(y) & 0x80000000u) | 1);
	u = (x < y) == !(u >> 31) ? u + 1 : u - 1;
	return asfloat(u);
}
