/* Not a test binary: input for test_bitcode (compiled to
 * build/bcinputs/fp.bc).  Floating point must parse and verify even
 * though the JIT rejects it: float/double arithmetic, conversions,
 * comparisons, FP constants and constant tables, x86_fp80 (long double). */
const double table[4] = { 0.5, -1.25, 3.0e10, 1.0 / 3.0 };
float fscale = 2.5f;

double poly(double x)
{
	double r = 0;
	for (int i = 0; i < 4; i++)
		r = r * x + table[i];
	return r;
}

int classify(float a, double b)
{
	if (a != a)
		return -1;
	if ((double)a < b)
		return 1;
	return a > (float)b ? 2 : (a == 0.0f ? 3 : 0);
}

long double wide(long double x) { return x * 1.5L - (long double)fscale; }

int to_int(double d, float f) { return (int)d + (int)(unsigned)f + (int)-f; }

float neg_mix(float x, int n) { return -x * (float)n / fscale; }
