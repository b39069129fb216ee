/* atan2(y, x).
 *
 * With ax = |x|, ay = |y|: the angle of (ax, ay) is atan(u), u = min/max
 * in [0, 1], or pi/2 - atan(u) when ay > ax; then pi minus it for x < 0,
 * and y's sign.  When the two exponents are more than 60 apart, u is one
 * correctly rounded division and atan(u) = u to within 2^-120.  Otherwise
 * both are scaled to max ~1 (exact) and u is a double-double (the
 * division's remainder is exact); atan(u) = atan(j/8) + atan(v) with j/8
 * the nearest eighth, v = (u - j/8) / (1 + u j/8), |v| <= 1/16, and
 * atan(v) = v - v^3/3 + ... to v^17 (first neglected term < 2^-64 of v).
 * atan(j/8), pi/2 and pi are double-doubles (consts.h), so the sums lose
 * nothing and the result takes one rounding: < 0.52 ulp.  Special cases
 * (zeros, infinities) are C99's (Annex F.9.1.4). */
#include "lib/rt/math/m.h"
#include "lib/rt/math/consts.h"

dd atan_dd(dd u)					/* 0 <= u <= 1 (m.h) */
{
	int j = (int)(u.hi * 8.0 + 0.5);
	double c = j * 0.125;
	/* v = (u - c) / (1 + u c) */
	dd num = fast_two_sum(u.hi - c, u.lo);		/* u.hi - c is exact */
	dd uc = two_prod(u.hi, c);
	uc.lo += u.lo * c;
	dd den = dd_add((dd){ 1.0, 0 }, uc);
	dd v = dd_div(num, den);
	double z = v.hi * v.hi;
	double p = -1.0 / 17;
	p = 1.0 / 15 + z * p;
	p = -1.0 / 13 + z * p;
	p = 1.0 / 11 + z * p;
	p = -1.0 / 9 + z * p;
	p = 1.0 / 7 + z * p;
	p = -1.0 / 5 + z * p;
	p = 1.0 / 3 + z * p;				/* atan v = v - v^3 (1/3 - v^2/5 + ...) */
	dd at = fast_two_sum(v.hi, v.lo - v.hi * z * p);
	return dd_add((dd){ atan_j8_hi[j], atan_j8_lo[j] }, at);
}

double atan2(double y, double x)
{
	if (x != x || y != y)
		return x + y;
	uint64_t ux = asu64(x), uy = asu64(y);
	int sx = (int)(ux >> 63), sy = (int)(uy >> 63);
	uint64_t ax = ux & ~(1ull << 63), ay = uy & ~(1ull << 63);
	const uint64_t inf = 0x7FF0000000000000ull;
	double r;
	if (ay == 0)					/* y = +-0 */
		r = sx ? PI_HI : 0.0;
	else if (ax == 0)
		r = PIO2_HI;
	else if (ax == inf && ay == inf)
		r = sx ? 3 * PIO4_HI : PIO4_HI;
	else if (ax == inf)
		r = sx ? PI_HI : 0.0;
	else if (ay == inf)
		r = PIO2_HI;
	else {
		double fx = asdouble(ax), fy = asdouble(ay);
		int swap = ay > ax;
		double mx = swap ? fy : fx, mn = swap ? fx : fy;
		int emx = (int)((swap ? ay : ax) >> 52), emn = (int)((swap ? ax : ay) >> 52);
		dd a;
		if (emx - emn > 60) {
			a = (dd){ mn / mx, 0 };		/* atan(u) = u */
		} else {
			/* scale so that max is in [1, 2): exact, min stays >= 2^-62 */
			if (emx == 0) {			/* subnormal max */
				mx *= 0x1p600;
				mn *= 0x1p600;
				emx = (int)(asu64(mx) >> 52);
			}
			int k = emx - 1023, k1 = k / 2;
			mx = mx * pow2(-k1) * pow2(k1 - k);
			mn = mn * pow2(-k1) * pow2(k1 - k);
			double uh = mn / mx;
			dd pr = two_prod(uh, mx);
			double ul = ((mn - pr.hi) - pr.lo) / mx;
			a = atan_dd(fast_two_sum(uh, ul));
		}
		if (swap)
			a = dd_add((dd){ PIO2_HI, PIO2_LO }, (dd){ -a.hi, -a.lo });
		if (sx)
			a = dd_add((dd){ PI_HI, PI_LO }, (dd){ -a.hi, -a.lo });
		r = a.hi + a.lo;
	}
	return sy ? -r : r;
}
