/* tanh(x) = E / (E + 2), E = exp(2|x|) - 1, for 2^-28 <= |x| <= 22; x
 * itself below (tanh x = x - x^3/3: the cube is under half an ulp), +-1
 * above (1 - tanh 22 < 2^-62).  E is a double-double from exp_core
 * (2^k (1 + p) - 1 with the subtraction exact), so there is no
 * cancellation for small x and the quotient rounds once: < 0.52 ulp. */
#include "lib/rt/math/m.h"

double tanh(double x)
{
	uint64_t u = asu64(x);
	uint64_t a = u & ~(1ull << 63);
	double r;
	if (a > 0x7FF0000000000000ull)
		return x + x;				/* NaN */
	if (a < 0x3E30000000000000ull)			/* |x| < 2^-28 */
		return x;
	if (a > 0x4036000000000000ull)			/* |x| > 22, inf */
		r = 1.0;
	else {
		double ax = asdouble(a);
		dd p;
		int k = exp_core(2 * ax, 0.0, &p);
		dd e;
		if (k == 0)
			e = p;
		else {
			double s = pow2(k);
			dd m = two_sum(s, -1.0);	/* 2^k - 1 */
			e = dd_add(m, (dd){ p.hi * s, p.lo * s });
		}
		dd q = dd_div(e, dd_add(e, (dd){ 2.0, 0 }));
		r = q.hi + q.lo;
	}
	return u >> 63 ? -r : r;
}
