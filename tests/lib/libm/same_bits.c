/* The runtime's libm gives the same bits in the guest as in the host
 * build that accuracy.c measures: this program, built both ways (i686 with
 * the runtime's flags, run under qemu-i386; x86-64 against the renamed
 * host objects), prints a hash of every result for the same inputs; the
 * two outputs must be equal (tests/lib/libm/same_bits.sh). */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include "lib/rt/math/bfmath.h"

#ifdef BFM_PREFIX
#define F(n) bfm_##n
double bfm_exp(double), bfm_log(double), bfm_pow(double, double), bfm_sin(double), bfm_cos(double);
double bfm_tan(double), bfm_atan2(double, double), bfm_tanh(double), bfm_sqrt(double), bfm_fmod(double, double);
float bfm_expf(float), bfm_logf(float), bfm_powf(float, float), bfm_sinf(float), bfm_cosf(float);
float bfm_tanf(float), bfm_atan2f(float, float), bfm_tanhf(float), bfm_sqrtf(float), bfm_fmodf(float, float);
double bfm_hypot(double, double), bfm_cbrt(double), bfm_exp2(double), bfm_expm1(double), bfm_log2(double);
double bfm_log10(double), bfm_log1p(double), bfm_asin(double), bfm_acos(double), bfm_atan(double);
double bfm_sinh(double), bfm_cosh(double), bfm_fma(double, double, double);
int64_t bfm___fixdfdi(double);
double bfm___floatdidf(int64_t);
#else
#define F(n) n
#endif

#include "tests/lib/libm/testbits.h"
static uint64_t rs = 0x0123456789ABCDEFull;
/* a double with a random significand, sign and an exponent in [lo, hi] */
static double rd(int lo, int hi)
{
	uint64_t e = (uint64_t)(1023 + lo + (int)(rnd() % (uint64_t)(hi - lo + 1)));
	uint64_t u = (rnd() & 0x800FFFFFFFFFFFFFull) | e << 52;
	double d;
	memcpy(&d, &u, 8);
	return d;
}
static double pos(double d) { return d < 0 ? -d : d; }

static uint64_t h;
static void mix(const void *p, int n)
{
	const uint8_t *b = p;
	for (int i = 0; i < n; i++)
		h = (h ^ b[i]) * 0x100000001B3ull;
}
static void md(double d) { mix(&d, 8); }
static void mf(float f) { mix(&f, 4); }

int main(void)
{
	enum { N = 100000 };
#define RUN(name, expr) do { h = 0xCBF29CE484222325ull; for (int i = 0; i < N; i++) { expr; } \
	printf("%-8s %016llx\n", name, (unsigned long long)h); } while (0)
	RUN("exp", md(F(exp)(rd(-10, 9))));
	RUN("log", md(F(log)(pos(rd(-1022, 1023)))));
	RUN("pow", md(F(pow)(pos(rd(-8, 8)), rd(-6, 6))));
	RUN("sin", md(F(sin)(rd(-20, 1023))));
	RUN("cos", md(F(cos)(rd(-20, 60))));
	RUN("tan", md(F(tan)(rd(-20, 30))));
	RUN("atan2", md(F(atan2)(rd(-100, 100), rd(-100, 100))));
	RUN("tanh", md(F(tanh)(rd(-30, 5))));
	RUN("sqrt", md(F(sqrt)(pos(rd(-1022, 1023)))));
	RUN("fmod", md(F(fmod)(rd(-50, 200), rd(-50, 50))));
	RUN("expf", mf(F(expf)((float)rd(-10, 6))));
	RUN("logf", mf(F(logf)((float)pos(rd(-126, 127)))));
	RUN("powf", mf(F(powf)((float)pos(rd(-4, 4)), (float)rd(-4, 4))));
	RUN("sinf", mf(F(sinf)((float)rd(-20, 127))));
	RUN("cosf", mf(F(cosf)((float)rd(-20, 60))));
	RUN("tanf", mf(F(tanf)((float)rd(-20, 30))));
	RUN("atan2f", mf(F(atan2f)((float)rd(-60, 60), (float)rd(-60, 60))));
	RUN("tanhf", mf(F(tanhf)((float)rd(-30, 4))));
	RUN("sqrtf", mf(F(sqrtf)((float)pos(rd(-126, 127)))));
	RUN("fmodf", mf(F(fmodf)((float)rd(-20, 100), (float)rd(-20, 20))));
	RUN("hypot", md(F(hypot)(rd(-1022, 1023), rd(-1022, 1023))));
	RUN("cbrt", md(F(cbrt)(rd(-1022, 1023))));
	RUN("exp2", md(F(exp2)(rd(-10, 10))));
	RUN("expm1", md(F(expm1)(rd(-60, 9))));
	RUN("log2", md(F(log2)(pos(rd(-1022, 1023)))));
	RUN("log10", md(F(log10)(pos(rd(-1022, 1023)))));
	RUN("log1p", md(F(log1p)(rd(-60, -1))));
	RUN("asin", md(F(asin)(rd(-60, -1))));
	RUN("acos", md(F(acos)(rd(-60, -1))));
	RUN("atan", md(F(atan)(rd(-60, 60))));
	RUN("sinh", md(F(sinh)(rd(-30, 9))));
	RUN("cosh", md(F(cosh)(rd(-30, 9))));
	RUN("fma", md(F(fma)(rd(-100, 100), rd(-100, 100), rd(-200, 200))));
	RUN("conv", { int64_t v = F(__fixdfdi)(rd(-5, 70)); mix(&v, 8); md(F(__floatdidf)((int64_t)rnd())); });
	return 0;
}
