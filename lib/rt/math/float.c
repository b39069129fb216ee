/* The float versions: the float argument converted to double (exact), the
 * double function (< 0.53 ulp of a double, ~2^-29 of a float's ulp), one
 * rounding to float.  So each is within 0.5 + 2^-28 ulp: correctly rounded
 * except when the exact value lies within 2^-29 ulp of a tie.  sqrtf,
 * fmodf and the bit-exact ones are in sqrt_fmod.c. */
#include "lib/rt/math/m.h"

float expf(float x) { return (float)exp(x); }
float logf(float x) { return (float)log(x); }
float powf(float x, float y) { return (float)pow(x, y); }
float sinf(float x) { return (float)sin(x); }
float cosf(float x) { return (float)cos(x); }
float tanf(float x) { return (float)tan(x); }
float atan2f(float y, float x) { return (float)atan2(y, x); }
float tanhf(float x) { return (float)tanh(x); }
float exp2f(float x) { return (float)exp2(x); }
float expm1f(float x) { return (float)expm1(x); }
float log2f(float x) { return (float)log2(x); }
float log10f(float x) { return (float)log10(x); }
float log1pf(float x) { return (float)log1p(x); }
