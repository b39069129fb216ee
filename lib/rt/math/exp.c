/* exp(x), and the core pow and tanh share.
 *
 * Reduction: x = k ln2 + r, k = round(x / ln2), |r| <= ln2/2 + tiny.
 * k ln2 is a double-double (two_prod of k and ln2's hi part is exact, plus
 * k times ln2's lo part), so r = x - k ln2 is known to ~2^-100 as hi + lo
 * even for |x| near 1100 (pow's exponents); a caller may add the lo part
 * of its own argument.  exp(r) - 1 is its Taylor series to r^15 (the
 * first neglected term is < 2^-61 of the sum on |r| <= 0.35), the first two
 * terms exact (r^2 by two_prod), so 1 + p is good to ~2^-60 and the result
 * takes one rounding: < 0.51 ulp, or one more rounding for subnormal
 * results. */
#include "lib/rt/math/m.h"
#include "lib/rt/math/consts.h"

#define INV_LN2 0x1.71547652b82fep+0

int exp_core(double x, double xlo, dd *p)
{
	double kd = x * INV_LN2;
	kd = (kd + 0x1.8p52) - 0x1.8p52;		/* round to nearest integer */
	dd t = two_prod(kd, LN2_HI);
	double a = x - t.hi;				/* exact (Sterbenz) or r itself */
	double b = xlo - (t.lo + kd * LN2_LO);
	dd r = two_sum(a, b);
	/* exp(r) - 1 = r + r^2/2 + r^3 (1/3! + r/4! + ... + r^12/15!) */
	double h = r.hi;
	double q = 1.0 / 1307674368000.0;		/* 1/15! */
	q = 1.0 / 87178291200.0 + h * q;
	q = 1.0 / 6227020800.0 + h * q;
	q = 1.0 / 479001600.0 + h * q;
	q = 1.0 / 39916800.0 + h * q;
	q = 1.0 / 3628800.0 + h * q;
	q = 1.0 / 362880.0 + h * q;
	q = 1.0 / 40320.0 + h * q;
	q = 1.0 / 5040.0 + h * q;
	q = 1.0 / 720.0 + h * q;
	q = 1.0 / 120.0 + h * q;
	q = 1.0 / 24.0 + h * q;
	q = 1.0 / 6.0 + h * q;
	dd h2 = two_prod(h, h);
	dd s = two_sum(h, 0.5 * h2.hi);
	double tail = 0.5 * h2.lo + h * h2.hi * q;
	/* exp(h + l) - 1 = (1 + p(h)) (1 + l + ...) - 1 ~ p(h) + l (1 + p(h)) */
	tail += r.lo * (1.0 + s.hi);
	*p = fast_two_sum(s.hi, s.lo + tail);
	return (int)kd;
}

/* 2^k (1 + p) with one rounding for normal results. */
double exp_finish(int k, dd p)
{
	dd s = fast_two_sum(1.0, p.hi);
	double y = s.hi + (s.lo + p.lo);
	if (k > 1023)
		return y * 2.0 * pow2(k - 1);
	if (k >= -1022)
		return y * pow2(k);
	/* subnormal or zero result: bring it to 2^-1000 .. in two exact-free steps */
	return (y * pow2(k + 1000)) * pow2(-1000);
}

double exp(double x)
{
	uint64_t u = asu64(x);
	uint32_t top = (uint32_t)(u >> 52) & 0x7FF;
	if (top >= 0x408) {				/* |x| >= 512, inf, NaN */
		if (x != x)
			return x + x;
		if (x > 0x1.62e42fefa39efp+9)		/* > log(DBL_MAX) */
			return M_INF;
		if (x < -0x1.74910d52d3052p+9)		/* < log(2^-1075) */
			return 0.0;
	}
	if (top < 0x3C9)				/* |x| < 2^-54 */
		return 1.0 + x;
	dd p;
	int k = exp_core(x, 0.0, &p);
	return exp_finish(k, p);
}
