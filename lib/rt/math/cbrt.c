/* cbrt(x), the real cube root.
 *
 * |x| = m 2^(3q) with m in [1, 8) (the exponent split by 3, subnormals
 * scaled by 2^54 first); y ~ cbrt(m) from the chord 1 + (m - 1)/7
 * (relative error < 0.26) and six Newton steps y = y - (y^3 - m)/(3y^2),
 * each squaring the relative error (to < 2^-60); then one step in
 * double-double (y^3 exact as two_prod and a product with y) leaves
 * ~2^-100, and y + dy rounds once.  The result times 2^q is exact (cube
 * roots of doubles are normal).  < 0.51 ulp. */
#include "lib/rt/math/m.h"

double cbrt(double x)
{
	uint64_t u = asu64(x);
	uint64_t a = u & ~(1ull << 63);
	if (a >= 0x7FF0000000000000ull || a == 0)
		return x + x;				/* NaN (quieted), +-inf, +-0 */
	int e = 0;
	if (a < 0x0010000000000000ull) {		/* subnormal */
		a = asu64(asdouble(a) * 0x1p54);
		e = -54;
	}
	e += (int)(a >> 52) - 1023;
	int q = e >= 0 ? e / 3 : -((-e + 2) / 3);	/* floor(e / 3) */
	int r = e - 3 * q;				/* 0, 1, 2 */
	double m = asdouble((a & 0x000FFFFFFFFFFFFFull) | (uint64_t)(1023 + r) << 52);
	double y = 1.0 + (m - 1.0) / 7.0;
	for (int i = 0; i < 6; i++)
		y = y - (y * y * y - m) / (3.0 * y * y);
	dd y2 = two_prod(y, y);
	dd y3 = dd_mul_d(y2, y);
	double res = ((m - y3.hi) - y3.lo) / (3.0 * y2.hi);
	double c = (y + res) * pow2(q);
	return u >> 63 ? -c : c;
}

float cbrtf(float x)
{
	return (float)cbrt((double)x);
}
