/* The module runtime's libm, internal: bit access and double-double
 * arithmetic (a value as an unevaluated sum hi + lo, |lo| <= ulp(hi)/2,
 * about 106 bits).  Every function here is exact IEEE double arithmetic
 * in round-to-nearest: the files are built with SSE2 math (guest:
 * -msse2 -mfpmath=sse; host: x86-64) and -ffp-contract=off, so no
 * operation is fused, reordered or kept in extended precision.
 *
 * The same sources build for the host (tests/lib/libm/) to be measured
 * against glibc. */
#ifndef RT_MATH_M_H
#define RT_MATH_M_H
#include <stdint.h>
#include "lib/rt/math/bfmath.h"

static inline uint64_t asu64(double x) { uint64_t u; __builtin_memcpy(&u, &x, 8); return u; }
static inline double asdouble(uint64_t u) { double x; __builtin_memcpy(&x, &u, 8); return x; }
static inline uint32_t asu32(float x) { uint32_t u; __builtin_memcpy(&u, &x, 4); return u; }
static inline float asfloat(uint32_t u) { float x; __builtin_memcpy(&x, &u, 4); return x; }

/* 2^k for -1022 <= k <= 1023 */
static inline double pow2(int k) { return asdouble((uint64_t)(k + 1023) << 52); }

#define M_NAN (asdouble(0x7FF8000000000000ull))
#define M_INF (asdouble(0x7FF0000000000000ull))

typedef struct { double hi, lo; } dd;

/* a + b exactly, given |a| >= |b| (or a == 0) */
static inline dd fast_two_sum(double a, double b)
{
	double s = a + b;
	return (dd){ s, b - (s - a) };
}

/* a + b exactly */
static inline dd two_sum(double a, double b)
{
	double s = a + b, bb = s - a;
	return (dd){ s, (a - (s - bb)) + (b - bb) };
}

/* a * b exactly (Dekker): |a|, |b| < 2^995 and the product not subnormal */
static inline void split(double a, double *h, double *l)
{
	double c = 134217729.0 * a;	/* 2^27 + 1 */
	*h = c - (c - a);
	*l = a - *h;
}
static inline dd two_prod(double a, double b)
{
	double p = a * b, ah, al, bh, bl;
	split(a, &ah, &al);
	split(b, &bh, &bl);
	return (dd){ p, ((ah * bh - p) + ah * bl + al * bh) + al * bl };
}

static inline dd dd_add(dd a, dd b)
{
	dd s = two_sum(a.hi, b.hi);
	return fast_two_sum(s.hi, s.lo + (a.lo + b.lo));
}

static inline dd dd_mul(dd a, dd b)
{
	dd p = two_prod(a.hi, b.hi);
	return fast_two_sum(p.hi, p.lo + (a.hi * b.lo + a.lo * b.hi));
}

static inline dd dd_mul_d(dd a, double b)
{
	dd p = two_prod(a.hi, b);
	return fast_two_sum(p.hi, p.lo + a.lo * b);
}

static inline dd dd_div(dd a, dd b)
{
	double q = a.hi / b.hi;
	dd r = dd_add(a, dd_mul_d(b, -q));	/* a - q b, mostly cancelled */
	double q2 = r.hi / b.hi;
	r = dd_add(r, dd_mul_d(b, -q2));
	return dd_add(fast_two_sum(q, q2), (dd){ r.hi / b.hi, 0 });
}

/* exp.c, log.c: the cores pow, tanh and the float versions share */
int  exp_core(double x, double xlo, dd *p);	/* exp(x + xlo) = 2^k (1 + p), returns k */
double exp_finish(int k, dd p);			/* 2^k (1 + p), one rounding (but subnormals) */
dd   log_core(double x);			/* log(x) as dd, x positive and finite */
/* atan2.c: atan(u) as dd for 0 <= u <= 1 (u a dd), < 2^-100 relative; asin.c uses it */
dd   atan_dd(dd u);
#endif
