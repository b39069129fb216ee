/* hypot(x, y) = sqrt(x^2 + y^2) without undue overflow or underflow.
 *
 * With a = max(|x|, |y|), b = min: when b < 2^-60 a the result is a
 * (a + b rounds to it).  Otherwise both are scaled by a power of 2 that
 * brings a to [1, 2) (exact: b stays >= 2^-61, normal), s = a^2 + b^2 is a
 * double-double (two_prod, exact), and its square root is h = sqrt(s.hi)
 * corrected by one Newton step in double-double,
 * h + (s - h^2) / (2h), good to ~2^-100; one rounding, then the exact
 * scaling back (a second rounding only for subnormal results, and an
 * overflow to inf only when the result is too large).  < 0.51 ulp.
 * C11 F.10.4.3: an infinite argument gives +inf even with a NaN. */
#include "lib/rt/math/m.h"

/* v 2^k in two exact steps (k in [-2100, 2100]; only the last may round) */
static double scale2(double v, int k)
{
	int k1 = k / 2;
	return v * pow2(k1) * pow2(k - k1);
}

double hypot(double x, double y)
{
	uint64_t ux = asu64(x) & ~(1ull << 63), uy = asu64(y) & ~(1ull << 63);
	const uint64_t inf = 0x7FF0000000000000ull;
	if (ux == inf || uy == inf)
		return M_INF;
	if (ux > inf || uy > inf)
		return x + y;				/* NaN */
	if (ux < uy) {
		uint64_t t = ux; ux = uy; uy = t;
	}
	double a = asdouble(ux), b = asdouble(uy);
	if (uy == 0 || (ux >> 52) - (uy >> 52) > 60)
		return a + b;
	int pre = 0;
	if ((ux >> 52) == 0) {				/* a subnormal: both up first, exactly */
		a *= 0x1p600;
		b *= 0x1p600;
		pre = 600;
	}
	int k = (int)(asu64(a) >> 52) - 1023;
	a = scale2(a, -k);
	b = scale2(b, -k);
	dd s = dd_add(two_prod(a, a), two_prod(b, b));
	double h = sqrt(s.hi);
	dd hh = two_prod(h, h);
	double d = (((s.hi - hh.hi) - hh.lo) + s.lo) / (2 * h);
	double r = h + d;
	return scale2(r, k - pre);
}

float hypotf(float x, float y)
{
	return (float)hypot((double)x, (double)y);
}
