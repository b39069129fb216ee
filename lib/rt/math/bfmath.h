/* The module runtime's math functions (lib/rt/math/): what lib/rt/
 * exports.txt lets modules call.  Declared for modules in
 * lib/rt/include/math.h; accuracy in docs/libm.md. */
#ifndef RT_MATH_BFMATH_H
#define RT_MATH_BFMATH_H
#include <stdint.h>
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

/* trig.c: x = q pi/2 + r, |r| <= pi/4 (r as hi + lo); returns q mod 4 */
int rem_pio2(double x, double *rhi, double *rlo);

/* conversions the compilers call on i386 (compiler-rt's names and
 * semantics: truncation toward zero; out of range or NaN saturates) */
int64_t  __fixdfdi(double a);
uint64_t __fixunsdfdi(double a);
int64_t  __fixsfdi(float a);
uint64_t __fixunssfdi(float a);
uint32_t __fixunsdfsi(double a);
uint32_t __fixunssfsi(float a);
double   __floatdidf(int64_t a);
double   __floatundidf(uint64_t a);
float    __floatdisf(int64_t a);
float    __floatundisf(uint64_t a);
double   __floatunsidf(uint32_t a);
#endif
