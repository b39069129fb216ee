/* sinh and cosh, from exp's core (exp.c): e^|x| = 2^k (1 + p), p a
 * double-double.
 *
 * sinh: E = e^|x| - 1 = (2^k - 1) + 2^k p exactly as a double-double (as
 * tanh.c does), and sinh|x| = (E + E/(E + 1))/2: two positive terms, no
 * cancellation for small x.  cosh: e^|x|/2 + 1/(2 e^|x|) as
 * double-doubles.  Both round once: < 0.52 ulp.  From |x| = 22 on, the
 * second term is under 2^-62 of the first and the result is
 * 2^(k-1) (1 + p) (exp_finish: one rounding, overflow to inf past
 * ln(2 DBL_MAX)); below 2^-28 sinh x = x and cosh x = 1 (the next terms
 * are under half an ulp). */
#include "lib/rt/math/m.h"

double sinh(double x)
{
	uint64_t u = asu64(x);
	uint64_t a = u & ~(1ull << 63);
	if (a >= 0x7FF0000000000000ull)
		return x + x;				/* NaN, +-inf */
	if (a < 0x3E30000000000000ull)			/* |x| < 2^-28 */
		return x;
	double ax = asdouble(a), r;
	if (ax > 711)
		r = M_INF;
	else {
		dd p;
		int k = exp_core(ax, 0.0, &p);
		if (ax >= 22)
			r = exp_finish(k - 1, p);
		else {
			dd e = p;
			if (k != 0) {
				double s = pow2(k);
				e = dd_add(two_sum(s, -1.0), (dd){ p.hi * s, p.lo * s });
			}
			dd q = dd_div(e, dd_add(e, (dd){ 1.0, 0 }));
			dd t = dd_add(e, q);
			r = 0.5 * (t.hi + t.lo);
		}
	}
	return u >> 63 ? -r : r;
}

double cosh(double x)
{
	uint64_t a = asu64(x) & ~(1ull << 63);
	if (a >= 0x7FF0000000000000ull)
		return a > 0x7FF0000000000000ull ? x + x : M_INF;
	if (a < 0x3E30000000000000ull)			/* |x| < 2^-28 */
		return 1.0;
	double ax = asdouble(a);
	if (ax > 711)
		return M_INF;
	dd p;
	int k = exp_core(ax, 0.0, &p);
	if (ax >= 22)
		return exp_finish(k - 1, p);
	double s = pow2(k - 1);
	dd h = dd_add((dd){ 1.0, 0 }, p);		/* e^|x| / 2^k */
	h = (dd){ h.hi * s, h.lo * s };			/* e^|x| / 2 */
	dd t = dd_add(h, dd_div((dd){ 0.25, 0 }, h));
	return t.hi + t.lo;
}

float sinhf(float x) { return (float)sinh((double)x); }
float coshf(float x) { return (float)cosh((double)x); }
