/* asin, acos, atan: from atan2.c's double-double atan on [0, 1].
 *
 * atan(x) = atan2(x, 1) (< 0.52 ulp, its special cases included).
 * asin and acos: c = sqrt(1 - x^2) as a double-double: 1 - x^2 is
 * (1 - |x|)(1 + |x|) for |x| >= 1/2 (1 - |x| exact by Sterbenz, so no
 * cancellation near 1) or 1 - x^2 with x^2 exact (two_prod) below; its
 * root h corrected by a Newton step, (w - h^2)/(2h).  Then
 *   asin |x| = atan(|x|/c), or pi/2 - atan(c/|x|) when |x| > c;
 *   acos x   = atan(c/x), or pi/2 - atan(x/c) when x < c, for x >= 0,
 *   and pi - acos |x| for x < 0;
 * the quotient a double-double (dd_div), so every sum is exact to ~2^-100
 * and the result rounds once: < 0.52 ulp. */
#include "lib/rt/math/m.h"
#include "lib/rt/math/consts.h"

double atan(double x) { return atan2(x, 1.0); }

/* sqrt(1 - a^2) as a double-double, 0 <= a < 1 */
static dd root1m(double a)
{
	dd w;
	if (a >= 0.5)
		w = dd_mul_d(two_sum(1.0, a), 1.0 - a);
	else {
		dd a2 = two_prod(a, a);
		w = dd_add((dd){ 1.0, 0 }, (dd){ -a2.hi, -a2.lo });
	}
	double h = sqrt(w.hi);
	dd hh = two_prod(h, h);
	return fast_two_sum(h, (((w.hi - hh.hi) - hh.lo) + w.lo) / (2 * h));
}

static const dd pio2 = { PIO2_HI, PIO2_LO };

static dd neg(dd a) { return (dd){ -a.hi, -a.lo }; }

double asin(double x)
{
	double a = fabs(x);
	if (!(a <= 1))
		return x != x ? x + x : M_NAN;		/* NaN, |x| > 1 */
	if (a < 0x1p-26)				/* asin x = x + x^3/6: rounds to x */
		return x;
	dd r;
	if (a == 1)
		r = pio2;
	else {
		dd c = root1m(a);
		if (a <= c.hi)
			r = atan_dd(dd_div((dd){ a, 0 }, c));
		else
			r = dd_add(pio2, neg(atan_dd(dd_div(c, (dd){ a, 0 }))));
	}
	double v = r.hi + r.lo;
	return x < 0 ? -v : v;
}

double acos(double x)
{
	double a = fabs(x);
	if (!(a <= 1))
		return x != x ? x + x : M_NAN;
	if (x == 1)
		return 0.0;
	if (x == -1)
		return PI_HI;
	dd r;
	if (a == 0)
		r = pio2;
	else {
		dd c = root1m(a);
		if (a >= c.hi)
			r = atan_dd(dd_div(c, (dd){ a, 0 }));
		else
			r = dd_add(pio2, neg(atan_dd(dd_div((dd){ a, 0 }, c))));
	}
	if (x < 0)
		r = dd_add((dd){ PI_HI, PI_LO }, neg(r));
	return r.hi + r.lo;
}

float atanf(float x) { return (float)atan((double)x); }
float asinf(float x) { return (float)asin((double)x); }
float acosf(float x) { return (float)acos((double)x); }
