/* long double in a module: BareFlow builds modules with -mlong-double-64
 * (make module, modules/modules.mk; fpcorpus.sh gives both compilers the
 * flag), so long double is double -- as on ARM or MSVC -- and a program
 * written with it computes instead of being refused for x87's 80-bit
 * type.  Arithmetic, compares, conversions to and from 64-bit integers,
 * long double through a variadic function (va_arg(ap, long double)) and
 * as a return value.  The result hashes the bits. */
#include <stdarg.h>
#include <stdint.h>

static uint32_t h = 2166136261u;
static void mix(uint32_t x) { h = (h ^ x) * 16777619u; }
static void mixl(long double d)
{
	union { long double d; uint64_t u; } v = { d };
	mix((uint32_t)v.u);
	mix((uint32_t)(v.u >> 32));
}

static volatile long double in[] = { 1.0L, -2.5L, 1e-300L, 3.0e300L, 0.1L, -0.0L, 123456789.125L };

static long double sum(int n, ...)
{
	va_list ap;
	va_start(ap, n);
	long double s = 0;
	for (int i = 0; i < n; i++)
		s += va_arg(ap, long double);
	va_end(ap);
	return s;
}

__attribute__((noinline)) static long double series(int n)
{
	long double s = 0, t = 1;
	for (int k = 1; k <= n; k++) {
		t /= k;
		s += t;
	}
	return s;
}

int test_main(void)
{
	unsigned n = sizeof in / sizeof in[0];
	for (unsigned i = 0; i < n; i++) {
		long double x = in[i];
		mixl(x * 3 + 1);
		mixl(x / 7);
		mix(x < 0.5L);
		mix((uint32_t)(int64_t)(x / 1e290L));
		mixl((long double)(int64_t)(i * 1000003) / 3);
	}
	mixl(series(20));
	mixl(sum(3, in[0], in[1], in[4]));
	mix(sizeof(long double));
	return (int)h;
}
