/* fmin, fmax, fdim, double and float: exact.  fmin/fmax return the other
 * argument when one is a quiet NaN (C11 F.10.9.2), a NaN when either is
 * a signalling one (IEEE 754-2008 minNum, as glibc); between +0 and -0
 * they return the second argument, as minsd/maxsd do (the JIT's inline
 * llvm.minnum/maxnum and glibc on x86 give the same bits). */
#include "lib/rt/math/m.h"

static int snan(double x) { return x != x && !(asu64(x) & 0x0008000000000000ull); }
static int snanf(float x) { return x != x && !(asu32(x) & 0x00400000u); }

double fmin(double x, double y)
{
	if (snan(x) || snan(y))
		return x + y;
	return y != y ? x : x < y ? x : y;
}
double fmax(double x, double y)
{
	if (snan(x) || snan(y))
		return x + y;
	return y != y ? x : x > y ? x : y;
}
/* x - y when x > y, else +0; NaN when either is */
double fdim(double x, double y)
{
	if (x != x || y != y)
		return x + y;
	return x > y ? x - y : 0.0;
}
float fminf(float x, float y)
{
	if (snanf(x) || snanf(y))
		return x + y;
	return y != y ? x : x < y ? x : y;
}
float fmaxf(float x, float y)
{
	if (snanf(x) || snanf(y))
		return x + y;
	return y != y ? x : x > y ? x : y;
}
float fdimf(float x, float y)
{
	if (x != x || y != y)
		return x + y;
	return x > y ? x - y : 0.0f;
}
