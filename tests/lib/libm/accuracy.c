/* The module runtime's libm (lib/rt/math/, built for the host with the
 * same SSE2 double semantics, its symbols renamed bfm_*) against glibc's
 * libm: for each function >= 1,000,000 inputs, uniform over the useful
 * ranges, log-uniform over the whole exponent range, near the hard spots
 * (multiples of pi/2, x near 1 for log and pow), plus a grid of special
 * values (+-0, +-inf, NaN, subnormals, extremes).
 *
 * The reference is glibc's long double function (x87, 64-bit significand:
 * its own error is ~2^-11 of a double's ulp), so the error is measured in
 * ulps of the correctly rounded result, as a real number (0.5 = the best a
 * rounding can do).  It is also compared with glibc's double function
 * (results that differ).  Special values must match exactly (NaN for NaN,
 * infinities, the sign of zero).
 * Prints the table docs/libm.md shows and one TEST line per function:
 * <= 2 ulp for double, <= 1 ulp for float, no special-value mismatch. */
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define D1(n) double bfm_##n(double);
#define D2(n) double bfm_##n(double, double);
#define F1(n) float bfm_##n(float);
#define F2(n) float bfm_##n(float, float);
D1(exp) D1(log) D2(pow) D1(sin) D1(cos) D1(tan) D2(atan2) D1(tanh) D1(sqrt) D2(fmod)
F1(expf) F1(logf) F2(powf) F1(sinf) F1(cosf) F1(tanf) F2(atan2f) F1(tanhf) F1(sqrtf) F2(fmodf)
D2(hypot) D1(cbrt) D1(exp2) D1(expm1) D1(log2) D1(log10) D1(log1p) D1(asin) D1(acos) D1(atan)
D1(sinh) D1(cosh)
F2(hypotf) F1(cbrtf) F1(exp2f) F1(expm1f) F1(log2f) F1(log10f) F1(log1pf) F1(asinf) F1(acosf) F1(atanf)
F1(sinhf) F1(coshf)

#include "tests/lib/libm/testbits.h"
static uint64_t rs = 0x9E3779B97F4A7C15ull;
static double unif(double a, double b) { return a + (b - a) * ((double)(rnd() >> 11) * 0x1p-53); }

static uint64_t bitsd(double d) { uint64_t u; memcpy(&u, &d, 8); return u; }
static uint32_t bitsf(float f) { uint32_t u; memcpy(&u, &f, 4); return u; }
/* random sign, magnitude 2^lo .. 2^hi, random significand */
static double logu(int lo, int hi, int sign)
{
	int e = lo + (int)(rnd() % (uint64_t)(hi - lo + 1));
	double m = 1.0 + (double)(rnd() >> 12) * 0x1p-52;
	double v = ldexp(m, e);
	return sign && (rnd() & 1) ? -v : v;
}
static double subn(void) { return asd((rnd() & 0x000FFFFFFFFFFFFFull) | (rnd() & (1ull << 63))); }

static const double dspecial[] = {
	0.0, -0.0, 1.0, -1.0, 0.5, -0.5, 2.0, -2.0, 3.0, -3.0, 10.0, 0.1, 1e-300, -1e-300,
	1e300, -1e300, INFINITY, -INFINITY, NAN, -NAN, DBL_MIN, -DBL_MIN, DBL_MAX, -DBL_MAX,
	0x1p-1074, -0x1p-1074, 0x1p-1060, 0x1.fffffffffffffp-1023, 709.78, -745.1, 710.0, -746.0,
	0x1.62e42fefa39efp+9, -0x1.74910d52d3052p+9, 22.0, 0x1p-28, 0x1p-54, 0x1.921fb54442d18p+0,
	0x1.921fb54442d18p+1, 0x1.921fb54442d18p-1, 0x1.6ac5b262ca1ffp+849, 0x1.8eaf16de63920p+1023,
	1e22, 0x1p1023, 5e-324, 0.999999999999999, 1.000000000000001, 1e-10, 6.0, 7.0, 0.75,
};
#define NSPECIAL (sizeof dspecial / sizeof dspecial[0])

struct stat {
	const char *name;
	int isfloat, two;
	double max, sum;
	long n, specials_bad, differ_glibc;
	double worst_in[2];
};

/* error of `got` against ref (a long double near the exact value), in ulps
 * of the format; -1 for a special-value mismatch */
static double ulp_err(long double ref, double got, int isfloat)
{
	int mant = isfloat ? 24 : 53, emin = isfloat ? -126 : -1022;
	long double rounded = isfloat ? (long double)(float)ref : (long double)(double)ref;
	if (isnan(ref))
		return isnan(got) ? 0 : -1;
	if (isnan(got))
		return -1;
	if (isinf(rounded) && got == rounded)
		return 0;
	if (rounded == 0 && got == 0)
		return !!signbit(rounded) == !!signbit(got) ? 0 : -1;
	long double g = got;
	if (isinf(got))				/* as the next binade would be */
		g = copysignl(isfloat ? 0x1p128L : 0x1p1024L, got);
	long double a = fabsl(ref);
	int e = a == 0 ? emin : ilogbl(a);
	if (e < emin)
		e = emin;
	long double ulp = ldexpl(1.0L, e - (mant - 1));
	return (double)(fabsl(g - ref) / ulp);
}

static void account(struct stat *s, double err, double in0, double in1, int glibc_differs)
{
	s->n++;
	s->differ_glibc += glibc_differs;
	if (err < 0) {
		if (s->specials_bad++ < 5)
			fprintf(stderr, "%s: special mismatch at (%a, %a)\n", s->name, in0, in1);
		return;
	}
	s->sum += err;
	if (err > s->max) {
		s->max = err;
		s->worst_in[0] = in0;
		s->worst_in[1] = in1;
	}
}

enum { N = 1000000 };

typedef double (*gen1)(long i);
typedef void (*gen2)(long i, double *x, double *y);

static void run1(struct stat *s, double (*ours)(double), double (*gd)(double),
		 long double (*gl)(long double), gen1 g)
{
	for (long i = 0; i < N + (long)NSPECIAL; i++) {
		double x = i < (long)NSPECIAL ? dspecial[i] : g(i);
		double o = ours(x), d = gd(x);
		long double r = gl(x);
		account(s, ulp_err(r, o, 0), x, 0, bitsd(o) != bitsd(d) && !(isnan(o) && isnan(d)));
	}
}

static void run2(struct stat *s, double (*ours)(double, double), double (*gd)(double, double),
		 long double (*gl)(long double, long double), gen2 g)
{
	long n = 0;
	for (unsigned a = 0; a < NSPECIAL; a++)	/* every pair of specials */
		for (unsigned b = 0; b < NSPECIAL; b++) {
			double x = dspecial[a], y = dspecial[b];
			double o = ours(x, y), d = gd(x, y);
			account(s, ulp_err(gl(x, y), o, 0), x, y, bitsd(o) != bitsd(d) && !(isnan(o) && isnan(d)));
			n++;
		}
	for (long i = 0; i < N; i++) {
		double x, y;
		g(i, &x, &y);
		double o = ours(x, y), d = gd(x, y);
		account(s, ulp_err(gl(x, y), o, 0), x, y, bitsd(o) != bitsd(d) && !(isnan(o) && isnan(d)));
	}
}

static void run1f(struct stat *s, float (*ours)(float), float (*gf)(float),
		  long double (*gl)(long double), gen1 g)
{
	for (long i = 0; i < N + (long)NSPECIAL; i++) {
		float x = (float)(i < (long)NSPECIAL ? dspecial[i] : g(i));
		float o = ours(x), f = gf(x);
		account(s, ulp_err(gl(x), o, 1), x, 0, bitsf(o) != bitsf(f) && !(isnan(o) && isnan(f)));
	}
}

static void run2f(struct stat *s, float (*ours)(float, float), float (*gf)(float, float),
		  long double (*gl)(long double, long double), gen2 g)
{
	for (unsigned a = 0; a < NSPECIAL; a++)
		for (unsigned b = 0; b < NSPECIAL; b++) {
			float x = (float)dspecial[a], y = (float)dspecial[b];
			float o = ours(x, y), f = gf(x, y);
			account(s, ulp_err(gl(x, y), o, 1), x, y, bitsf(o) != bitsf(f) && !(isnan(o) && isnan(f)));
		}
	for (long i = 0; i < N; i++) {
		double dx, dy;
		g(i, &dx, &dy);
		float x = (float)dx, y = (float)dy;
		float o = ours(x, y), f = gf(x, y);
		account(s, ulp_err(gl(x, y), o, 1), x, y, bitsf(o) != bitsf(f) && !(isnan(o) && isnan(f)));
	}
}

/* ---- input generators: i % 10 picks the kind ------------------------- */
static double g_exp(long i)
{
	switch (i % 10) {
	case 0: case 1: case 2: case 3: case 4: case 5: return unif(-745.2, 709.8);
	case 6: case 7: case 8: return unif(-2, 2);
	default: return logu(-60, 9, 1);
	}
}
static double g_expf(long i)
{
	switch (i % 10) {
	case 0: case 1: case 2: case 3: case 4: case 5: return unif(-103.9, 88.7);
	case 6: case 7: case 8: return unif(-2, 2);
	default: return logu(-30, 6, 1);
	}
}
static double g_log(long i)
{
	switch (i % 10) {
	case 0: case 1: case 2: case 3: case 4: return logu(-1022, 1023, 0);
	case 5: case 6: case 7: return unif(0.5, 2);
	case 8: return 1.0 + ldexp(unif(-1, 1), -(int)(rnd() % 50));
	default: return fabs(subn());
	}
}
static double g_logf(long i)
{
	switch (i % 10) {
	case 0: case 1: case 2: case 3: case 4: return logu(-126, 127, 0);
	case 5: case 6: case 7: return unif(0.5, 2);
	case 8: return 1.0 + ldexp(unif(-1, 1), -(int)(rnd() % 20));
	default: return logu(-149, -127, 0);
	}
}
static double g_trig(long i)
{
	switch (i % 10) {
	case 0: case 1: case 2: case 3: return unif(-10, 10);
	case 4: case 5: return unif(-1e6, 1e6);
	case 6: case 7: return logu(-30, 1023, 1);
	case 8: return (double)(long)(rnd() % 200000) * 0x1.921fb54442d18p+0 + ldexp(unif(-1, 1), -(int)(rnd() % 40));
	default: return unif(-1, 1);
	}
}
static double g_trigf(long i)
{
	switch (i % 10) {
	case 0: case 1: case 2: case 3: return unif(-10, 10);
	case 4: case 5: return unif(-1e6, 1e6);
	case 6: case 7: return logu(-30, 127, 1);
	case 8: return (double)(long)(rnd() % 2000) * 0x1.921fb54442d18p+0 + ldexp(unif(-1, 1), -(int)(rnd() % 20));
	default: return unif(-1, 1);
	}
}
static double g_tanh(long i)
{
	switch (i % 10) {
	case 0: case 1: case 2: case 3: case 4: return unif(-25, 25);
	case 5: case 6: case 7: return logu(-40, 5, 1);
	default: return unif(-1, 1);
	}
}
static double g_sqrt(long i)
{
	switch (i % 10) {
	case 0: return subn();
	default: return logu(-1022, 1023, i % 10 == 9);
	}
}
static double g_sqrtf(long i) { return logu(-149, 127, i % 10 == 9); }
static void g_pow(long i, double *x, double *y)
{
	switch (i % 10) {
	case 0: case 1: case 2: case 3: *x = logu(-20, 20, 0); *y = unif(-40, 40); break;
	case 4: case 5: *x = unif(0.5, 2); *y = unif(-1000, 1000); break;
	case 6: *x = 1.0 + ldexp(unif(-1, 1), -(int)(rnd() % 40)); *y = logu(0, 45, 1); break;
	case 7: *x = -logu(-10, 10, 0); *y = (double)((long)(rnd() % 201) - 100); break;
	case 8: *x = logu(-1022, 1023, 0); *y = unif(-2, 2); break;
	default: *x = logu(-1074, 1023, 0); *y = unif(-1.2, 1.2); break;
	}
}
static void g_powf(long i, double *x, double *y)
{
	switch (i % 10) {
	case 0: case 1: case 2: case 3: *x = logu(-10, 10, 0); *y = unif(-12, 12); break;
	case 4: case 5: *x = unif(0.5, 2); *y = unif(-120, 120); break;
	case 6: *x = 1.0 + ldexp(unif(-1, 1), -(int)(rnd() % 20)); *y = logu(0, 20, 1); break;
	case 7: *x = -logu(-5, 5, 0); *y = (double)((long)(rnd() % 41) - 20); break;
	default: *x = logu(-126, 127, 0); *y = unif(-1, 1); break;
	}
}
static void g_atan2(long i, double *y, double *x)
{
	switch (i % 10) {
	case 0: case 1: case 2: case 3: *y = unif(-10, 10); *x = unif(-10, 10); break;
	case 4: case 5: case 6: *y = logu(-1074, 1023, 1); *x = logu(-1074, 1023, 1); break;
	case 7: *x = logu(-20, 20, 1); *y = *x * unif(0, 1.2); break;
	case 8: *x = logu(-30, 30, 1); *y = *x * ldexp(1, -(int)(rnd() % 70)); break;
	default: *y = subn(); *x = subn(); break;
	}
}
static void g_atan2f(long i, double *y, double *x)
{
	switch (i % 10) {
	case 0: case 1: case 2: case 3: *y = unif(-10, 10); *x = unif(-10, 10); break;
	case 4: case 5: case 6: *y = logu(-149, 127, 1); *x = logu(-149, 127, 1); break;
	case 7: *x = logu(-20, 20, 1); *y = *x * unif(0, 1.2); break;
	default: *x = logu(-30, 30, 1); *y = *x * ldexp(1, -(int)(rnd() % 40)); break;
	}
}
static void g_fmod(long i, double *x, double *y)
{
	switch (i % 10) {
	case 0: case 1: case 2: case 3: case 4: *x = logu(-1074, 1023, 1); *y = logu(-1074, 1023, 1); break;
	case 5: case 6: *x = unif(-100, 100); *y = unif(-10, 10); break;
	case 7: *x = subn(); *y = subn(); break;
	default: *x = logu(-10, 60, 1); *y = logu(-10, 10, 1); break;
	}
}
static void g_fmodf(long i, double *x, double *y)
{
	switch (i % 10) {
	case 0: case 1: case 2: case 3: case 4: *x = logu(-149, 127, 1); *y = logu(-149, 127, 1); break;
	case 5: case 6: *x = unif(-100, 100); *y = unif(-10, 10); break;
	default: *x = logu(-10, 60, 1); *y = logu(-10, 10, 1); break;
	}
}

/* the functions of the second table (hypot .. cosh) */
static void g_hypot(long i, double *x, double *y)
{
	switch (i % 10) {
	case 0: case 1: case 2: *x = unif(-10, 10); *y = unif(-10, 10); break;
	case 3: case 4: *x = logu(-1074, 1023, 1); *y = logu(-1074, 1023, 1); break;
	case 5: case 6: *x = logu(-1074, 1023, 1); *y = *x * logu(-30, 0, 1); break;
	case 7: *x = logu(-1022, -1000, 1); *y = subn(); break;
	default: *x = logu(1000, 1023, 1); *y = *x * unif(0.5, 1); break;
	}
}
static void g_hypotf(long i, double *x, double *y)
{
	switch (i % 10) {
	case 0: case 1: case 2: *x = unif(-10, 10); *y = unif(-10, 10); break;
	case 3: case 4: *x = logu(-149, 127, 1); *y = logu(-149, 127, 1); break;
	case 5: case 6: *x = logu(-149, 127, 1); *y = *x * logu(-15, 0, 1); break;
	default: *x = logu(100, 127, 1); *y = *x * unif(0.5, 1); break;
	}
}
static double g_cbrt(long i) { return i % 10 == 0 ? subn() : i % 10 < 4 ? unif(-10, 10) : logu(-1022, 1023, 1); }
static double g_cbrtf(long i) { return i % 10 < 4 ? unif(-10, 10) : logu(-149, 127, 1); }
static double g_exp2(long i)
{
	switch (i % 10) {
	case 0: case 1: case 2: case 3: case 4: return unif(-1075, 1024);
	case 5: return unif(-1075, -1020);
	case 6: case 7: return unif(-2, 2);
	default: return logu(-60, 10, 1);
	}
}
static double g_exp2f(long i)
{
	switch (i % 10) {
	case 0: case 1: case 2: case 3: case 4: return unif(-150, 128);
	case 5: case 6: case 7: return unif(-2, 2);
	default: return logu(-30, 7, 1);
	}
}
static double g_expm1(long i)
{
	switch (i % 10) {
	case 0: case 1: case 2: case 3: return unif(-40, 709.8);
	case 4: case 5: case 6: return unif(-2, 2);
	default: return logu(-60, 5, 1);
	}
}
static double g_expm1f(long i)
{
	switch (i % 10) {
	case 0: case 1: case 2: case 3: return unif(-20, 88.8);
	case 4: case 5: case 6: return unif(-2, 2);
	default: return logu(-30, 4, 1);
	}
}
static double g_log1p(long i)
{
	switch (i % 10) {
	case 0: case 1: case 2: return logu(-60, 1023, 0);
	case 3: case 4: case 5: return unif(-1, 1);
	case 6: return -1 + ldexp(unif(0, 1), -(int)(rnd() % 50));
	default: return logu(-60, 0, 1) * 0.5;
	}
}
static double g_log1pf(long i)
{
	switch (i % 10) {
	case 0: case 1: case 2: return logu(-30, 127, 0);
	case 3: case 4: case 5: return unif(-1, 1);
	case 6: return -1 + ldexp(unif(0, 1), -(int)(rnd() % 22));
	default: return logu(-30, 0, 1) * 0.5;
	}
}
static double g_asin(long i)
{
	switch (i % 10) {
	case 0: case 1: case 2: case 3: case 4: return unif(-1, 1);
	case 5: case 6: return (rnd() & 1 ? -1 : 1) * (1 - logu(-53, -1, 0));
	default: return logu(-60, -1, 1);
	}
}
static double g_asinf(long i)
{
	switch (i % 10) {
	case 0: case 1: case 2: case 3: case 4: return unif(-1, 1);
	case 5: case 6: return (rnd() & 1 ? -1 : 1) * (1 - logu(-24, -1, 0));
	default: return logu(-30, -1, 1);
	}
}
static double g_atan(long i) { return i % 10 < 4 ? unif(-10, 10) : logu(-60, 1023, 1); }
static double g_atanf(long i) { return i % 10 < 4 ? unif(-10, 10) : logu(-30, 127, 1); }
static double g_sinh(long i)
{
	switch (i % 10) {
	case 0: case 1: case 2: case 3: return unif(-710.5, 710.5);
	case 4: case 5: case 6: return unif(-2, 2);
	case 7: return unif(-25, 25);
	default: return logu(-40, 5, 1);
	}
}
static double g_sinhf(long i)
{
	switch (i % 10) {
	case 0: case 1: case 2: case 3: return unif(-89.5, 89.5);
	case 4: case 5: case 6: return unif(-2, 2);
	case 7: return unif(-25, 25);
	default: return logu(-20, 5, 1);
	}
}

int main(void)
{
	enum { NF = 44 };
	struct stat st[NF] = {
		{ .name = "exp", .isfloat = 0 }, { .name = "log", .isfloat = 0 }, { .name = "pow", .isfloat = 0 }, { .name = "sin", .isfloat = 0 }, { .name = "cos", .isfloat = 0 },
		{ .name = "tan", .isfloat = 0 }, { .name = "atan2", .isfloat = 0 }, { .name = "tanh", .isfloat = 0 }, { .name = "sqrt", .isfloat = 0 }, { .name = "fmod", .isfloat = 0 },
		{ .name = "expf", .isfloat = 1 }, { .name = "logf", .isfloat = 1 }, { .name = "powf", .isfloat = 1 }, { .name = "sinf", .isfloat = 1 }, { .name = "cosf", .isfloat = 1 },
		{ .name = "tanf", .isfloat = 1 }, { .name = "atan2f", .isfloat = 1 }, { .name = "tanhf", .isfloat = 1 }, { .name = "sqrtf", .isfloat = 1 }, { .name = "fmodf", .isfloat = 1 },
		{ .name = "hypot", .two = 1 }, { .name = "cbrt" }, { .name = "exp2" }, { .name = "expm1" },
		{ .name = "log2" }, { .name = "log10" }, { .name = "log1p" }, { .name = "asin" },
		{ .name = "acos" }, { .name = "atan" }, { .name = "sinh" }, { .name = "cosh" },
		{ .name = "hypotf", .isfloat = 1, .two = 1 }, { .name = "cbrtf", .isfloat = 1 },
		{ .name = "exp2f", .isfloat = 1 }, { .name = "expm1f", .isfloat = 1 },
		{ .name = "log2f", .isfloat = 1 }, { .name = "log10f", .isfloat = 1 },
		{ .name = "log1pf", .isfloat = 1 }, { .name = "asinf", .isfloat = 1 },
		{ .name = "acosf", .isfloat = 1 }, { .name = "atanf", .isfloat = 1 },
		{ .name = "sinhf", .isfloat = 1 }, { .name = "coshf", .isfloat = 1 },
	};
	for (int k = 0; k < 20; k++)
		st[k].two = k == 2 || k == 6 || k == 9 || k == 12 || k == 16 || k == 19;
	run1(&st[0], bfm_exp, exp, expl, g_exp);
	run1(&st[1], bfm_log, log, logl, g_log);
	run2(&st[2], bfm_pow, pow, powl, g_pow);
	run1(&st[3], bfm_sin, sin, sinl, g_trig);
	run1(&st[4], bfm_cos, cos, cosl, g_trig);
	run1(&st[5], bfm_tan, tan, tanl, g_trig);
	run2(&st[6], bfm_atan2, atan2, atan2l, g_atan2);
	run1(&st[7], bfm_tanh, tanh, tanhl, g_tanh);
	run1(&st[8], bfm_sqrt, sqrt, sqrtl, g_sqrt);
	run2(&st[9], bfm_fmod, fmod, fmodl, g_fmod);
	run1f(&st[10], bfm_expf, expf, expl, g_expf);
	run1f(&st[11], bfm_logf, logf, logl, g_logf);
	run2f(&st[12], bfm_powf, powf, powl, g_powf);
	run1f(&st[13], bfm_sinf, sinf, sinl, g_trigf);
	run1f(&st[14], bfm_cosf, cosf, cosl, g_trigf);
	run1f(&st[15], bfm_tanf, tanf, tanl, g_trigf);
	run2f(&st[16], bfm_atan2f, atan2f, atan2l, g_atan2f);
	run1f(&st[17], bfm_tanhf, tanhf, tanhl, g_tanh);
	run1f(&st[18], bfm_sqrtf, sqrtf, sqrtl, g_sqrtf);
	run2f(&st[19], bfm_fmodf, fmodf, fmodl, g_fmodf);
	run2(&st[20], bfm_hypot, hypot, hypotl, g_hypot);
	run1(&st[21], bfm_cbrt, cbrt, cbrtl, g_cbrt);
	run1(&st[22], bfm_exp2, exp2, exp2l, g_exp2);
	run1(&st[23], bfm_expm1, expm1, expm1l, g_expm1);
	run1(&st[24], bfm_log2, log2, log2l, g_log);
	run1(&st[25], bfm_log10, log10, log10l, g_log);
	run1(&st[26], bfm_log1p, log1p, log1pl, g_log1p);
	run1(&st[27], bfm_asin, asin, asinl, g_asin);
	run1(&st[28], bfm_acos, acos, acosl, g_asin);
	run1(&st[29], bfm_atan, atan, atanl, g_atan);
	run1(&st[30], bfm_sinh, sinh, sinhl, g_sinh);
	run1(&st[31], bfm_cosh, cosh, coshl, g_sinh);
	run2f(&st[32], bfm_hypotf, hypotf, hypotl, g_hypotf);
	run1f(&st[33], bfm_cbrtf, cbrtf, cbrtl, g_cbrtf);
	run1f(&st[34], bfm_exp2f, exp2f, exp2l, g_exp2f);
	run1f(&st[35], bfm_expm1f, expm1f, expm1l, g_expm1f);
	run1f(&st[36], bfm_log2f, log2f, log2l, g_logf);
	run1f(&st[37], bfm_log10f, log10f, log10l, g_logf);
	run1f(&st[38], bfm_log1pf, log1pf, log1pl, g_log1pf);
	run1f(&st[39], bfm_asinf, asinf, asinl, g_asinf);
	run1f(&st[40], bfm_acosf, acosf, acosl, g_asinf);
	run1f(&st[41], bfm_atanf, atanf, atanl, g_atanf);
	run1f(&st[42], bfm_sinhf, sinhf, sinhl, g_sinhf);
	run1f(&st[43], bfm_coshf, coshf, coshl, g_sinhf);

	printf("| function | inputs | max ulp | mean ulp | differs from glibc | worst input |\n");
	printf("|---|---|---|---|---|---|\n");
	int fails = 0;
	for (int k = 0; k < NF; k++) {
		struct stat *s = &st[k];
		char worst[80];
		if (s->two)
			snprintf(worst, sizeof worst, "%a, %a", s->worst_in[0], s->worst_in[1]);
		else
			snprintf(worst, sizeof worst, "%a", s->worst_in[0]);
		printf("| %s | %ld | %.3f | %.4f | %ld | %s |\n", s->name, s->n, s->max,
		       s->sum / (double)s->n, s->differ_glibc, worst);
	}
	for (int k = 0; k < NF; k++) {
		struct stat *s = &st[k];
		double limit = s->isfloat ? 1.0 : 2.0;
		int ok = s->max <= limit && s->specials_bad == 0 && s->n >= 1000000;
		fails += !ok;
		printf("TEST %s libm.%s: max %.3f ulp (limit %.0f), %ld special mismatches\n",
		       ok ? "PASS" : "FAIL", s->name, s->max, limit, s->specials_bad);
	}
	return fails != 0;
}
