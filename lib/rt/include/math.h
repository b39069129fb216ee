/* math.h for modules: the libm of the module runtime (lib/rt/math/,
 * accuracy in docs/libm.md).  `make module` puts lib/rt/include/ on the
 * include path. */
#ifndef BF_RT_MATH_H
#define BF_RT_MATH_H
#define INFINITY (__builtin_inff())
#define NAN      (__builtin_nanf(""))
#define HUGE_VAL (__builtin_huge_val())
#define M_E      2.7182818284590452354
#define M_LN2    0.69314718055994530942
#define M_PI     3.14159265358979323846
#define M_PI_2   1.57079632679489661923
#define isnan(x) __builtin_isnan(x)
#define isinf(x) __builtin_isinf(x)
#define isfinite(x) __builtin_isfinite(x)
#define signbit(x) __builtin_signbit(x)

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
#endif
