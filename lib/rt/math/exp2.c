/* exp2(x) and expm1(x), from exp's core (exp.c).
 *
 * exp2: x ln2 as a double-double (two_prod with ln2's hi part, plus x
 * times its lo part) goes to exp_core as its argument's hi and lo, so the
 * reduction sees x ln2 to ~2^-100; integers x give r = 0 exactly and
 * 2^x exactly.  One rounding (two for subnormal results): < 0.51 ulp,
 * < 1 ulp below 2^-1022.
 *
 * expm1: exp(x) = 2^k (1 + p) with p a double-double, and
 * expm1(x) = (2^k - 1) + 2^k p, both terms exact (2^k - 1 by two_sum),
 * summed as a double-double and rounded once: no cancellation for small
 * x (k = 0: p itself, whose first term is x exactly).  Below -38 the
 * result is -1 (e^x under half an ulp of 1); above k = 1000 it is e^x. */
#include "lib/rt/math/m.h"
#include "lib/rt/math/consts.h"

double exp2(double x)
{
	uint64_t a = asu64(x) & ~(1ull << 63);
	if (a >= 0x7FF0000000000000ull)
		return a > 0x7FF0000000000000ull ? x + x : (x > 0 ? x : 0.0);
	if (x >= 1024)
		return M_INF;
	if (x <= -1075)
		return 0.0;				/* <= 2^-1075: a tie or less, to 0 */
	if (a < 0x3C90000000000000ull)			/* |x| < 2^-54 */
		return 1.0 + x;
	dd t = two_prod(x, LN2_HI);
	t.lo += x * LN2_LO;
	dd p;
	int k = exp_core(t.hi, t.lo, &p);
	return exp_finish(k, p);
}

double expm1(double x)
{
	uint64_t a = asu64(x) & ~(1ull << 63);
	if (a > 0x7FF0000000000000ull)
		return x + x;				/* NaN */
	if (x > 0x1.62e42fefa39efp+9)			/* > log(DBL_MAX), +inf */
		return M_INF;
	if (x < -38)
		return -1.0;
	if (a < 0x3C90000000000000ull)			/* |x| < 2^-54: x + x^2/2 rounds to x */
		return x;
	dd p;
	int k = exp_core(x, 0.0, &p);
	if (k == 0)
		return p.hi + p.lo;
	if (k > 1000)
		return exp_finish(k, p);
	double s = pow2(k);
	dd m = two_sum(s, -1.0);			/* 2^k - 1, exact */
	dd e = dd_add(m, (dd){ p.hi * s, p.lo * s });
	return e.hi + e.lo;
}
