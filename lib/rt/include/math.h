/* math.h for modules: the libm of the module runtime (lib/rt/math/,
 * accuracy in docs/libm.md).  `make module` puts lib/rt/include/ on the
 * include path. */
#ifndef BF_RT_MATH_H
#define BF_RT_MATH_H
#define INFINITY (__builtin_inff())
#define NAN      (__builtin_nanf(""))
#define HUGE_VAL (__builtin_huge_val())
#define HUGE_VALF (__builtin_huge_valf())
/* the constants of POSIX (and BSD) math.h, to double's 21 digits */
#define M_E        2.7182818284590452354	/* e */
#define M_LOG2E    1.4426950408889634074	/* log2 e */
#define M_LOG10E   0.43429448190325182765	/* log10 e */
#define M_LN2      0.69314718055994530942	/* ln 2 */
#define M_LN10     2.30258509299404568402	/* ln 10 */
#define M_PI       3.14159265358979323846	/* pi */
#define M_PI_2     1.57079632679489661923	/* pi/2 */
#define M_PI_4     0.78539816339744830962	/* pi/4 */
#define M_1_PI     0.31830988618379067154	/* 1/pi */
#define M_2_PI     0.63661977236758134308	/* 2/pi */
#define M_2_SQRTPI 1.12837916709551257390	/* 2/sqrt(pi) */
#define M_SQRT2    1.41421356237309504880	/* sqrt 2 */
#define M_SQRT1_2  0.70710678118654752440	/* 1/sqrt 2 */

/* classification (C11 7.12.3): the compiler's builtins, which see the
 * argument's type; clang-19 makes them llvm.is.fpclass at -O0, which the
 * JIT lowers inline (docs/jit.md) */
#define FP_NAN       0
#define FP_INFINITE  1
#define FP_ZERO      2
#define FP_SUBNORMAL 3
#define FP_NORMAL    4
#define fpclassify(x) __builtin_fpclassify(FP_NAN, FP_INFINITE, FP_NORMAL, FP_SUBNORMAL, FP_ZERO, x)
#define isnan(x) __builtin_isnan(x)
#define isinf(x) __builtin_isinf(x)
#define isfinite(x) __builtin_isfinite(x)
#define isnormal(x) __builtin_isnormal(x)
#define signbit(x) __builtin_signbit(x)
/* comparisons without an exception for NaN (C11 7.12.14): false when
 * unordered */
#define isgreater(x, y)      __builtin_isgreater(x, y)
#define isgreaterequal(x, y) __builtin_isgreaterequal(x, y)
#define isless(x, y)         __builtin_isless(x, y)
#define islessequal(x, y)    __builtin_islessequal(x, y)
#define islessgreater(x, y)  __builtin_islessgreater(x, y)
#define isunordered(x, y)    __builtin_isunordered(x, y)

double exp(double x);
double log(double x);
double pow(double x, double y);
double sin(double x);
double cos(double x);
double tan(double x);
double atan2(double y, double x);
double tanh(double x);
double sqrt(double x);
double fmod(double x, double y);
double fabs(double x);
double floor(double x);
double ceil(double x);
double trunc(double x);
double round(double x);
double roundeven(double x);
double rint(double x);
double nearbyint(double x);
float expf(float x);
float logf(float x);
float powf(float x, float y);
float sinf(float x);
float cosf(float x);
float tanf(float x);
float atan2f(float y, float x);
float tanhf(float x);
float sqrtf(float x);
float fmodf(float x, float y);
float fabsf(float x);
float floorf(float x);
float ceilf(float x);
float truncf(float x);
float roundf(float x);
float roundevenf(float x);
float rintf(float x);
float nearbyintf(float x);
/* round.c: rounded to an integer (rint/nearbyint: always to nearest even,
 * a module cannot change the rounding mode); out of range or NaN gives
 * the type's minimum */
long lround(double x);
long lroundf(float x);
long lrint(double x);
long lrintf(float x);
long long llround(double x);
long long llroundf(float x);
long long llrint(double x);
long long llrintf(float x);

/* exact (no rounding, or the one IEEE operation): fminmax.c, scale.c,
 * remainder.c, fma.c */
double fmin(double x, double y);
double fmax(double x, double y);
double fdim(double x, double y);
double copysign(double x, double y);
double nextafter(double x, double y);
double ldexp(double x, int n);
double scalbn(double x, int n);
double frexp(double x, int *e);
double modf(double x, double *ip);
double remainder(double x, double y);
double fma(double x, double y, double z);
float fminf(float x, float y);
float fmaxf(float x, float y);
float fdimf(float x, float y);
float copysignf(float x, float y);
float nextafterf(float x, float y);
float ldexpf(float x, int n);
float scalbnf(float x, int n);
float frexpf(float x, int *e);
float modff(float x, float *ip);
float remainderf(float x, float y);
float fmaf(float x, float y, float z);
/* rounded (docs/libm.md): hypot.c, cbrt.c, exp2.c, expm1.c, log2.c,
 * asin.c, sinh.c */
double hypot(double x, double y);
double cbrt(double x);
double exp2(double x);
double expm1(double x);
double log2(double x);
double log10(double x);
double log1p(double x);
double asin(double x);
double acos(double x);
double atan(double x);
double sinh(double x);
double cosh(double x);
float hypotf(float x, float y);
float cbrtf(float x);
float exp2f(float x);
float expm1f(float x);
float log2f(float x);
float log10f(float x);
float log1pf(float x);
float asinf(float x);
float acosf(float x);
float atanf(float x);
float sinhf(float x);
float coshf(float x);
#endif
