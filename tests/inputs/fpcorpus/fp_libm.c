/* fpcorpus-clang-flags: -fno-math-errno
 * The libm beyond the basics and C's classification: fma/fmaf (one
 * rounding), fmin fmax fdim copysign nextafter ldexp scalbn frexp modf
 * remainder, hypot cbrt exp2 expm1 log2 log10 log1p asin acos atan sinh
 * cosh (double and float); isnan isinf isfinite isnormal signbit
 * fpclassify, isless & co., and every class bit of llvm.is.fpclass
 * (__builtin_isfpclass; on gcc, which has none, the same test on the
 * bits).  The plain calls are calls into the runtime; the __builtin_
 * forms become llvm.fma, llvm.exp2, llvm.log2, llvm.log10, llvm.asin,
 * llvm.acos, llvm.atan, llvm.sinh, llvm.cosh, llvm.ldexp, llvm.frexp,
 * llvm.minnum/maxnum, llvm.copysign with -fno-math-errno (the flag
 * above); at -O0 the classification macros are llvm.is.fpclass.  Values
 * come through volatile loads (no folding); no signalling NaNs (LLVM's
 * minnum quiets them, C's fmin need not).  The result hashes the bits. */
#include <stdint.h>
#include <math.h>

static uint32_t h = 2166136261u;
static void mix(uint32_t x) { h = (h ^ x) * 16777619u; }
static void mix64(uint64_t x) { mix((uint32_t)x); mix((uint32_t)(x >> 32)); }
static void mixd(double d) { union { double d; uint64_t u; } v = { d }; mix64(v.u); }
static void mixf(float f) { union { float f; uint32_t u; } v = { f }; mix(v.u); }

static volatile double dv[] = {
	0.0, -0.0, 0.5, -0.5, 1.0, -1.0, 1.5, 2.0, -3.0, 0.1, -0.7, 0.999, -0.9999999999, 3.141592653589793,
	10.0, 1000.0, 1e-5, -2.5e-8, 1e-20, 0x1p-30, 1e-300, 1e-310, -1e-310, 5e-324, -5e-324,
	0x1p-1022, 0x1.fffffffffffffp-1023, 1e300, -1e300, 0x1.fffffffffffffp+1023, 709.5, 710.0,
	-745.0, 22.5, -30.0, 0x1p52 + 1, 123456.789, -0.25, 0.75, 0x1.0000000000001p0,
	__builtin_inf(), -__builtin_inf(), __builtin_nan(""), -__builtin_nan(""),
};
static volatile float fv[] = {
	0.0f, -0.0f, 0.5f, -0.5f, 1.0f, -1.0f, 1.5f, -3.0f, 0.1f, -0.7f, 0.999f, 3.1415927f, 10.0f,
	1e-5f, 1e-20f, 1e-40f, -1e-40f, 1e-45f, 0x1p-126f, 0x1.fffffcp-127f, 1e30f, -1e30f,
	0x1.fffffep+127f, 88.5f, 89.5f, -100.0f, 0x1p23f + 1, 0.75f,
	__builtin_inff(), -__builtin_inff(), __builtin_nanf(""), -__builtin_nanf(""),
};
/* signalling NaNs, for classification only (loaded as bits, never through x87) */
static volatile uint64_t snd[] = { 0x7FF0000000000001ull, 0xFFF4000000000000ull, 0x7FF7FFFFFFFFFFFFull };
static volatile uint32_t snf[] = { 0x7F800001u, 0xFFA00000u, 0x7FBFFFFFu };
static volatile int iv[] = { 0, 1, -1, 5, -5, 52, -1022, -1074, 1023, 1100, -1100, 2000, -2100 };
#define N(a) (int)(sizeof a / sizeof a[0])

/* the class index of LLVM's is.fpclass mask (bit 0 snan .. bit 9 +inf),
 * on the bits: gcc's side of __builtin_isfpclass */
static int cls_d(double x)
{
	union { double d; uint64_t u; } v = { x };
	int neg = (int)(v.u >> 63);
	uint64_t a = v.u & ~(1ull << 63);
	if (a > 0x7FF0000000000000ull)
		return a & 0x0008000000000000ull ? 1 : 0;
	int k = a == 0x7FF0000000000000ull ? 3 : a >= 0x0010000000000000ull ? 2 : a ? 1 : 0;
	return neg ? 5 - k : 6 + k;
}
static int cls_f(float x)
{
	union { float f; uint32_t u; } v = { x };
	int neg = (int)(v.u >> 31);
	uint32_t a = v.u & 0x7FFFFFFFu;
	if (a > 0x7F800000u)
		return a & 0x00400000u ? 1 : 0;
	int k = a == 0x7F800000u ? 3 : a >= 0x00800000u ? 2 : a ? 1 : 0;
	return neg ? 5 - k : 6 + k;
}
#ifdef __clang__
#define FPCLASS(x, m) __builtin_isfpclass(x, m)
#else
#define FPCLASS(x, m) ((sizeof(x) == 8 ? (m) >> cls_d(x) : (m) >> cls_f(x)) & 1)
#endif
/* every single class bit, and the masks the C macros use */
#define CLASSES(x) do { \
	mix(FPCLASS(x, 1) | FPCLASS(x, 2) << 1 | FPCLASS(x, 4) << 2 | FPCLASS(x, 8) << 3 | \
	    FPCLASS(x, 16) << 4 | FPCLASS(x, 32) << 5 | FPCLASS(x, 64) << 6 | FPCLASS(x, 128) << 7 | \
	    FPCLASS(x, 256) << 8 | FPCLASS(x, 512) << 9); \
	mix(FPCLASS(x, 3) | FPCLASS(x, 0x204) << 1 | FPCLASS(x, 0x1f8) << 2 | FPCLASS(x, 0x108) << 3 | \
	    FPCLASS(x, 0x90) << 4 | FPCLASS(x, 0x60) << 5 | FPCLASS(x, 0x3fc) << 6 | FPCLASS(x, 0x3ff) << 7 | \
	    FPCLASS(x, 0x2a5) << 8 | FPCLASS(x, 0x15a) << 9); \
	mix((isnan(x) != 0) | (isinf(x) != 0) << 1 | (isfinite(x) != 0) << 2 | (isnormal(x) != 0) << 3 | \
	    (signbit(x) != 0) << 4 | fpclassify(x) << 5); \
} while (0)
#define COMPARES(x, y) mix(isless(x, y) | isgreater(x, y) << 1 | islessequal(x, y) << 2 | \
	isgreaterequal(x, y) << 3 | islessgreater(x, y) << 4 | isunordered(x, y) << 5)

static void doubles(double x, double y, double z, int n)
{
	int e = 0;
	double ip = 0;
	mixd(fma(x, y, z)); mixd(__builtin_fma(x, y, z)); mixd(__builtin_fma(x, x, -x * x));
	mixd(fmin(x, y)); mixd(fmax(x, y)); mixd(__builtin_fmin(x, y)); mixd(__builtin_fmax(x, y));
	mixd(fdim(x, y)); mixd(copysign(x, y)); mixd(__builtin_copysign(x, y)); mixd(nextafter(x, y));
	mixd(ldexp(x, n)); mixd(scalbn(x, n)); mixd(__builtin_ldexp(x, n));
	mixd(frexp(x, &e)); mix((uint32_t)e); e = 0;
	mixd(__builtin_frexp(x, &e)); mix((uint32_t)e);
	mixd(modf(x, &ip)); mixd(ip); mixd(remainder(x, y));
	mixd(hypot(x, y)); mixd(cbrt(x)); mixd(exp2(x)); mixd(__builtin_exp2(x)); mixd(expm1(x));
	mixd(log2(x)); mixd(__builtin_log2(x)); mixd(log10(x)); mixd(__builtin_log10(x)); mixd(log1p(x));
	mixd(asin(x)); mixd(__builtin_asin(x)); mixd(acos(x)); mixd(__builtin_acos(x));
	mixd(atan(x)); mixd(__builtin_atan(x)); mixd(sinh(x)); mixd(__builtin_sinh(x));
	mixd(cosh(x)); mixd(__builtin_cosh(x));
	CLASSES(x);
	COMPARES(x, y);
}

static void floats(float x, float y, float z, int n)
{
	int e = 0;
	float ip = 0;
	mixf(fmaf(x, y, z)); mixf(__builtin_fmaf(x, y, z)); mixf(__builtin_fmaf(x, x, -x * x));
	mixf(fminf(x, y)); mixf(fmaxf(x, y)); mixf(__builtin_fminf(x, y)); mixf(__builtin_fmaxf(x, y));
	mixf(fdimf(x, y)); mixf(copysignf(x, y)); mixf(__builtin_copysignf(x, y)); mixf(nextafterf(x, y));
	mixf(ldexpf(x, n)); mixf(scalbnf(x, n)); mixf(__builtin_ldexpf(x, n));
	mixf(frexpf(x, &e)); mix((uint32_t)e); e = 0;
	mixf(__builtin_frexpf(x, &e)); mix((uint32_t)e);
	mixf(modff(x, &ip)); mixf(ip); mixf(remainderf(x, y));
	mixf(hypotf(x, y)); mixf(cbrtf(x)); mixf(exp2f(x)); mixf(__builtin_exp2f(x)); mixf(expm1f(x));
	mixf(log2f(x)); mixf(__builtin_log2f(x)); mixf(log10f(x)); mixf(__builtin_log10f(x)); mixf(log1pf(x));
	mixf(asinf(x)); mixf(__builtin_asinf(x)); mixf(acosf(x)); mixf(__builtin_acosf(x));
	mixf(atanf(x)); mixf(__builtin_atanf(x)); mixf(sinhf(x)); mixf(__builtin_sinhf(x));
	mixf(coshf(x)); mixf(__builtin_coshf(x));
	CLASSES(x);
	COMPARES(x, y);
}

int test_main(void)
{
	for (int i = 0; i < N(dv); i++)
		for (int j = i % 3; j < N(dv); j += 3)
			doubles(dv[i], dv[j], dv[(i + j) % N(dv)], iv[(i + j) % N(iv)]);
	for (int i = 0; i < N(fv); i++)
		for (int j = i % 3; j < N(fv); j += 3)
			floats(fv[i], fv[j], fv[(i * j) % N(fv)], iv[(i * 7 + j) % N(iv)]);
	for (int i = 0; i < N(snd); i++) {
		union { uint64_t u; double d; } a = { snd[i] };
		union { uint32_t u; float f; } b = { snf[i] };
		CLASSES(a.d);
		CLASSES(b.f);
	}
	/* fma where it differs from a multiply and an add */
	for (int k = 1; k < 200; k++) {
		double a = 1.0 + k * 0x1p-30, b = 1.0 - k * 0x1p-29;
		mixd(__builtin_fma(a, b, -1.0)); mixd(fma(a, a, -(a * a)));
		float af = 1.0f + (float)k * 0x1p-14f, bf = 1.0f - (float)k * 0x1p-13f;
		mixf(__builtin_fmaf(af, bf, -1.0f)); mixf(fmaf(af, af, -(af * af)));
	}
	mixd(M_SQRT2 + M_LN10 + M_LOG2E + M_LOG10E + M_1_PI + M_2_PI + M_PI_4 + M_SQRT1_2 + M_2_SQRTPI);
	mixf(HUGE_VALF);
	return (int)h;
}
