/* log2, log10 and log1p, from log's double-double core (log.c, ~2^-68
 * relative).
 *
 * log2 and log10: the core times 1/ln2 or 1/ln10 as double-doubles, one
 * rounding: < 0.51 ulp; exact powers of 2 give exact integers for log2
 * (e ln2 (1/ln2) is within 2^-100 of e), and so do powers of 10 for
 * log10 (the error is far below the distance to the next double).
 *
 * log1p: 1 + x = u (a double-double, exact by two_sum), and
 * log(uh + ul) = log(uh) + c - c^2/2 + ..., c = ul/uh with |c| <= 2^-53,
 * so the terms after c^2/2 are under 2^-159; the core gives log(uh), c
 * is a double-double (the division's remainder is exact).
 * Below 2^-54 log1p x = x - x^2/2 rounds to x. */
#include "lib/rt/math/m.h"
#include "lib/rt/math/consts_more.h"

/* log's special cases (NaN, x <= 0, +inf); 1 when x is ordinary, with *r set */
static int special(double x, double *r)
{
	uint64_t u = asu64(x);
	if (x != x)
		*r = x + x;
	else if (u >> 63)
		*r = x == 0 ? -M_INF : M_NAN;
	else if (x == 0)
		*r = -M_INF;
	else if (u >= 0x7FF0000000000000ull)
		*r = x;
	else
		return 1;
	return 0;
}

double log2(double x)
{
	double r;
	if (!special(x, &r))
		return r;
	dd l = dd_mul(log_core(x), (dd){ INV_LN2_HI, INV_LN2_LO });
	return l.hi + l.lo;
}

double log10(double x)
{
	double r;
	if (!special(x, &r))
		return r;
	dd l = dd_mul(log_core(x), (dd){ INV_LN10_HI, INV_LN10_LO });
	return l.hi + l.lo;
}

double log1p(double x)
{
	uint64_t a = asu64(x) & ~(1ull << 63);
	if (x != x)
		return x + x;
	if (x <= -1)
		return x == -1 ? -M_INF : M_NAN;
	if (a == 0x7FF0000000000000ull)
		return x;				/* +inf */
	if (a < 0x3C90000000000000ull)			/* |x| < 2^-54 */
		return x;
	dd u = two_sum(1.0, x);
	dd l = log_core(u.hi);
	/* c as a double-double too: its rounding error (2^-53 of c, up to
	 * 2^-106) is a sixth of an ulp of results near 2^-52 */
	double c = u.lo / u.hi, cl = 0;
	if (u.hi < 0x1p60) {				/* (beyond, c is negligible; Dekker's split would overflow) */
		dd cr = two_prod(c, u.hi);
		cl = ((u.lo - cr.hi) - cr.lo) / u.hi;
	}
	l = dd_add(l, (dd){ c, cl - 0.5 * c * c });
	return l.hi + l.lo;
}
