/* The module runtime's math functions (lib/rt/math/): the exported ones
 * are declared once, in lib/rt/include/math.h (what modules include);
 * here the internal helpers beside them.  Accuracy in docs/libm.md. */
#ifndef RT_MATH_BFMATH_H
#define RT_MATH_BFMATH_H
#include <stdint.h>
/* what modules see: the one list of the exported functions */
#include "lib/rt/include/math.h"

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
