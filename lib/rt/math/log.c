/* log(x), and the double-double core pow uses.
 *
 * Reduction: x = 2^e m with m in [sqrt(1/2), sqrt(2)), f = m - 1 (exact),
 * log(m) = 2 atanh(s) = 2s (1 + s^2/3 + s^4/5 + ...), s = f / (2 + f),
 * |s| <= 0.1716.  s is a double-double (the division's remainder is
 * exact), the first two terms of the series are double-double products,
 * the rest (s^6/7 .. s^26/27, each < 2^-70 of the sum past that) plain
 * doubles; e ln2 is a double-double.  So log_core is good to ~2^-68
 * relative: what pow needs, where y log(x) may reach 745 and an absolute
 * error of 2^-54 in it is half an ulp of the result.  log rounds it once:
 * < 0.51 ulp. */
#include "lib/rt/math/m.h"
#include "lib/rt/math/consts.h"

dd log_core(double x)
{
	uint64_t u = asu64(x);
	int e = 0;
	if (u < 0x0010000000000000ull) {		/* subnormal: scale by 2^54 */
		x *= 0x1p54;
		u = asu64(x);
		e = -54;
	}
	e += (int)(u >> 52) - 1023;
	u &= 0x000FFFFFFFFFFFFFull;
	if (u > 0x6A09E667F3BCDull) {			/* m > sqrt(2): use m / 2 */
		u |= 0x3FE0000000000000ull;
		e++;
	} else
		u |= 0x3FF0000000000000ull;
	double m = asdouble(u);
	double f = m - 1.0;
	/* s = f / (2 + f) as hi + lo */
	dd den = two_sum(2.0, f);
	double sh = f / den.hi;
	dd pr = two_prod(sh, den.hi);
	double sl = (((f - pr.hi) - pr.lo) - sh * den.lo) / den.hi;
	dd s = fast_two_sum(sh, sl);
	dd z = dd_mul(s, s);				/* s^2 */
	double zh = z.hi;
	/* T = z/3 + z^2/5 + z^3 (1/7 + z/9 + ... + z^10/27) */
	double t = 1.0 / 27;
	t = 1.0 / 25 + zh * t;
	t = 1.0 / 23 + zh * t;
	t = 1.0 / 21 + zh * t;
	t = 1.0 / 19 + zh * t;
	t = 1.0 / 17 + zh * t;
	t = 1.0 / 15 + zh * t;
	t = 1.0 / 13 + zh * t;
	t = 1.0 / 11 + zh * t;
	t = 1.0 / 9 + zh * t;
	t = 1.0 / 7 + zh * t;
	dd z2 = dd_mul(z, z);
	dd T = dd_add(dd_mul(z, (dd){ THIRD_HI, THIRD_LO }), dd_mul(z2, (dd){ FIFTH_HI, FIFTH_LO }));
	T = dd_add(T, (dd){ z2.hi * zh * t, 0 });
	/* log(m) = 2s + 2s T */
	dd s2 = { 2 * s.hi, 2 * s.lo };
	dd lm = dd_add(s2, dd_mul(s2, T));
	dd el = two_prod((double)e, LN2_HI);
	el.lo += (double)e * LN2_LO;
	return dd_add(el, lm);
}

double log(double x)
{
	uint64_t u = asu64(x);
	if (x != x)
		return x + x;
	if (u >> 63) 					/* negative, -0 */
		return x == 0 ? -M_INF : M_NAN;
	if (x == 0)
		return -M_INF;
	if (u >= 0x7FF0000000000000ull)			/* +inf */
		return x;
	dd r = log_core(x);
	return r.hi + r.lo;
}
