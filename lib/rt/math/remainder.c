/* remainder(x, y) = x - n y, n the integer nearest x / y (ties to even):
 * exact, so computed exactly.  fmod(|x|, 2|y|) (exact) leaves r in
 * [0, 2|y|) with the same parity of the quotient; at most two exact
 * subtractions of |y| (Sterbenz: |y| <= r < 2|y|, and r >= |y|/2 for the
 * second) take it to [-|y|/2, |y|/2], the tie going to the even quotient.
 * The sign is x's (a zero result too). */
#include "lib/rt/math/m.h"

double remainder(double x, double y)
{
	uint64_t ux = asu64(x), uy = asu64(y);
	uint64_t ax = ux & ~(1ull << 63), ay = uy & ~(1ull << 63);
	const uint64_t inf = 0x7FF0000000000000ull;
	if (ax > inf || ay > inf)
		return x + y;				/* NaN */
	if (ax == inf || ay == 0)
		return (x * y) / (x * y);		/* invalid: NaN */
	if (ay == inf)
		return x;
	double fy = asdouble(ay), r = asdouble(ax);
	if (ay < 0x7FE0000000000000ull)			/* 2|y| finite */
		r = fmod(r, 2 * fy);
	int odd = 0;
	if (r >= fy) {
		r -= fy;
		odd = 1;
	}
	/* now 0 <= r < |y|: past the half, or on it with an odd quotient */
	int over = ay >= 0x0020000000000000ull ? (r > 0.5 * fy || (r == 0.5 * fy && odd))
					       : (2 * r > fy || (2 * r == fy && odd));
	if (over)
		r -= fy;
	return asdouble(asu64(r) ^ (ux & (1ull << 63)));
}

float remainderf(float x, float y)
{
	return (float)remainder((double)x, (double)y);	/* exact */
}
