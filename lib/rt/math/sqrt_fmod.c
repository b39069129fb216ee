/* sqrt, fmod and the bit-exact little ones (fabs, floor, ceil, trunc),
 * double and float.  sqrt is the SSE2 instruction (correctly rounded);
 * fmod is exact: the remainder of the two significands by shifting and
 * subtracting, one bit of the exponent difference at a time (at most
 * ~2100 steps, no division); fmodf is fmod of the same values. */
#include "lib/rt/math/m.h"

double sqrt(double x)
{
	double r;
	__asm__("sqrtsd %1, %0" : "=x"(r) : "x"(x));
	return r;
}

float sqrtf(float x)
{
	float r;
	__asm__("sqrtss %1, %0" : "=x"(r) : "x"(x));
	return r;
}

double fmod(double x, double y)
{
	uint64_t ux = asu64(x), uy = asu64(y);
	uint64_t sx = ux & (1ull << 63);
	ux &= ~(1ull << 63);
	uy &= ~(1ull << 63);
	if (uy == 0 || ux >= 0x7FF0000000000000ull || uy > 0x7FF0000000000000ull)
		return (x * y) / (x * y);		/* NaN (x or y NaN, x inf, y 0) */
	if (ux < uy)
		return x;				/* also y = inf */
	if (ux == uy)
		return asdouble(sx);			/* +-0 */
	int ex = (int)(ux >> 52), ey = (int)(uy >> 52);
	uint64_t mx = ux & 0x000FFFFFFFFFFFFFull, my = uy & 0x000FFFFFFFFFFFFFull;
	/* significands with the implicit bit; subnormals normalised */
	if (ex == 0) {
		ex = 1;
		while (!(mx >> 52)) { mx <<= 1; ex--; }
	} else
		mx |= 1ull << 52;
	if (ey == 0) {
		ey = 1;
		while (!(my >> 52)) { my <<= 1; ey--; }
	} else
		my |= 1ull << 52;
	for (; ex > ey; ex--) {
		if (mx >= my)
			mx -= my;
		mx <<= 1;
	}
	if (mx >= my)
		mx -= my;
	if (mx == 0)
		return asdouble(sx);
	while (!(mx >> 52)) { mx <<= 1; ey--; }
	if (ey > 0)
		return asdouble(sx | ((uint64_t)ey << 52) | (mx & 0x000FFFFFFFFFFFFFull));
	/* subnormal result: exact, the remainder is smaller than |y| */
	return asdouble(sx | (mx >> (1 - ey)));
}

/* Through double: a float is exactly a double, fmod is exact, and its
 * result (|r| < |y|, a multiple of x's and y's float ulps) is exactly a
 * float again.  NaNs: the double NaN narrows to the float NaN the float
 * computation would have made (payload kept, quiet bit set). */
float fmodf(float x, float y)
{
	return (float)fmod(x, y);
}

double fabs(double x) { return asdouble(asu64(x) & ~(1ull << 63)); }
float fabsf(float x) { return asfloat(asu32(x) & 0x7FFFFFFFu); }

/* x rounded toward zero: clear the fraction bits */
double trunc(double x)
{
	uint64_t u = asu64(x);
	int e = (int)((u >> 52) & 0x7FF) - 1023;
	if (e >= 52)
		return e == 1024 ? x + x : x;		/* inf, NaN (a signalling one quieted,
							 * as glibc does); integral */
	if (e < 0)
		return asdouble(u & (1ull << 63));	/* +-0 */
	return asdouble(u & ~((1ull << (52 - e)) - 1));
}

float truncf(float x)
{
	uint32_t u = asu32(x);
	int e = (int)((u >> 23) & 0xFF) - 127;
	if (e >= 23)
		return e == 128 ? x + x : x;
	if (e < 0)
		return asfloat(u & 0x80000000u);
	return asfloat(u & ~((1u << (23 - e)) - 1));
}

double floor(double x)
{
	double t = trunc(x);
	return t > x ? t - 1.0 : t;			/* only for x < 0 with a fraction */
}

double ceil(double x)
{
	double t = trunc(x);
	return t < x ? t + 1.0 : t;
}

float floorf(float x)
{
	float t = truncf(x);
	return t > x ? t - 1.0f : t;
}

float ceilf(float x)
{
	float t = truncf(x);
	return t < x ? t + 1.0f : t;
}
