/* pow(x, y) = exp(y log x): log_core gives log|x| as a double-double
 * (~2^-68 relative), y times it is a double-double (exact two_prod plus
 * y lo), and exp_core takes that pair, so the exponent is good to ~2^-60
 * absolute even when it is near +-745: < 0.52 ulp.  The special cases are
 * C99's (Annex F.9.4.4). */
#include "lib/rt/math/m.h"

/* 0: not an integer, 1: odd integer, 2: even integer */
static int int_kind(double y)
{
	uint64_t u = asu64(y);
	int e = (int)((u >> 52) & 0x7FF) - 1023;
	if (e < 0)
		return y == 0 ? 2 : 0;
	if (e >= 53)
		return 2;				/* also inf: handled before */
	uint64_t frac = (u & 0x000FFFFFFFFFFFFFull) | 0x0010000000000000ull;
	if (frac & ((1ull << (52 - e)) - 1))
		return 0;
	return (frac >> (52 - e)) & 1 ? 1 : 2;
}

double pow(double x, double y)
{
	uint64_t ux = asu64(x), uy = asu64(y);
	if ((uy << 1) == 0 || x == 1.0)
		return 1.0;
	if (x != x || y != y)
		return x + y;
	double ax = x < 0 ? -x : x;
	int sign = 0;
	if (ux >> 63) {					/* x < 0 or -0 */
		int k = int_kind(y);
		if (y - y != 0)				/* y = +-inf */
			k = 2;
		if (k == 0 && x != 0 && x - x == 0)
			return M_NAN;			/* finite x < 0, y not an integer */
		sign = k == 1;
	}
	double res;
	if (y - y != 0) {				/* y = +-inf */
		if (ax == 1.0)
			return 1.0;
		res = (ax > 1.0) == (y > 0) ? M_INF : 0.0;
		return res;
	}
	if (ax == 1.0)					/* x = -1 */
		res = 1.0;
	else if (ax == 0)
		res = y < 0 ? M_INF : 0.0;
	else if (ax - ax != 0)				/* |x| = inf */
		res = y < 0 ? 0.0 : M_INF;
	else {
		double ay = y < 0 ? -y : y;
		dd l = log_core(ax);
		if (ay > 0x1p64 || ay * (l.hi < 0 ? -l.hi : l.hi) > 2048.0) {
			/* |y log x| far beyond the range: overflow or underflow */
			res = (l.hi > 0) == (y > 0) ? M_INF : 0.0;
		} else {
			dd z = two_prod(y, l.hi);
			z.lo += y * l.lo;
			if (z.hi > 710.0)
				res = M_INF;
			else if (z.hi < -746.0)
				res = 0.0;
			else {
				dd p;
				int k = exp_core(z.hi, z.lo, &p);
				res = exp_finish(k, p);
			}
		}
	}
	return sign ? -res : res;
}
