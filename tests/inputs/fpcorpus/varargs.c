/* Variadic functions: va_start/va_arg/va_end/va_copy over int, long long,
 * double (promoted float) and pointer arguments, a va_list passed on to
 * another function, a variadic call through a function pointer, and
 * calls with many arguments. */
#include <stdarg.h>
#include <stdint.h>

static uint32_t h = 2166136261u;
static void mix(uint32_t x) { h = (h ^ x) * 16777619u; }

/* fmt: 'i' int, 'l' long long, 'd' double, 'p' pointer to int */
static __attribute__((noinline)) uint32_t vhash(const char *fmt, va_list ap)
{
	uint32_t r = 7;
	for (; *fmt; fmt++) {
		switch (*fmt) {
		case 'i': r = r * 31 + (uint32_t)va_arg(ap, int); break;
		case 'l': { long long x = va_arg(ap, long long); r = r * 31 + (uint32_t)x + (uint32_t)(x >> 32); break; }
		case 'd': { union { double d; uint64_t u; } v = { va_arg(ap, double) }; r = r * 31 + (uint32_t)v.u + (uint32_t)(v.u >> 32); break; }
		default: r = r * 31 + (uint32_t)*va_arg(ap, int *); break;
		}
	}
	return r;
}

static __attribute__((noinline)) uint32_t fhash(const char *fmt, ...)
{
	va_list ap, aq;
	va_start(ap, fmt);
	va_copy(aq, ap);
	uint32_t a = vhash(fmt, ap);
	uint32_t b = vhash(fmt, aq); /* the copy starts where ap started */
	va_end(aq);
	va_end(ap);
	return a ^ (b << 1);
}

int isum(int n, ...)
{
	va_list ap;
	va_start(ap, n);
	int s = 0;
	for (int i = 0; i < n; i++)
		s += va_arg(ap, int) * (i + 1);
	va_end(ap);
	return s;
}

static double dsum(int n, ...)
{
	va_list ap;
	va_start(ap, n);
	double s = 0;
	for (int i = 0; i < n; i++)
		s = s * 0.5 + va_arg(ap, double);
	va_end(ap);
	return s;
}

static long long lmax(long long first, ...)
{
	va_list ap;
	va_start(ap, first);
	long long m = first, x;
	while ((x = va_arg(ap, long long)) != 0)
		if (x > m)
			m = x;
	va_end(ap);
	return m;
}

int (*volatile isum_ptr)(int, ...) = isum;
static volatile int vi[8] = { 3, -5, 1000000, 7, -2147483647 - 1, 42, 9, 11 };

int test_main(void)
{
	int k = 77;
	float f = 1.25f;
	mix(fhash("iild", vi[0], vi[1], (long long)vi[2] * 3000000, 2.5));
	mix(fhash("dpdi", (double)f, &k, -0.0, vi[3]));
	mix(fhash(""));
	mix(fhash("llll", 1ll, -1ll, (long long)vi[4] << 8, 0x123456789abcll));
	mix((uint32_t)isum(0));
	mix((uint32_t)isum(3, vi[0], vi[1], vi[2]));
	mix((uint32_t)isum(8, vi[0], vi[1], vi[2], vi[3], vi[4], vi[5], vi[6], vi[7]));
	mix((uint32_t)isum_ptr(2, vi[5], vi[6]));
	union { double d; uint64_t u; } v = { dsum(4, 1.0, (double)vi[2], 0.125, (double)f) };
	mix((uint32_t)v.u); mix((uint32_t)(v.u >> 32));
	long long m = lmax(5ll, (long long)vi[2] * vi[2], -3ll, (long long)vi[4], 0ll);
	mix((uint32_t)m); mix((uint32_t)(m >> 32));
	return (int)h;
}
