/* lib/fmt.c (the module runtime's printf, snprintf, ...) against the host
 * glibc's snprintf: random doubles (every exponent, subnormals, values
 * near ties, integers, specials) in %f %e %g (and F E G) with random
 * flags, widths and precisions, random integers in every integer
 * conversion and length; exact match expected, at every precision. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include "lib/fmt.h"

static uint64_t rs = 0x243F6A8885A308D3ull;
static uint64_t rnd(void)
{
	rs ^= rs >> 12; rs ^= rs << 25; rs ^= rs >> 27;
	return rs * 0x2545F4914F6CDD1Dull;
}

static double rnd_double(void)
{
	uint64_t u;
	switch (rnd() % 8) {
	case 0: u = rnd(); break;					/* any bits */
	case 1: u = rnd() & 0x800FFFFFFFFFFFFFull; break;		/* subnormal */
	case 2: { double d = (double)(int64_t)(rnd() % 2000001) - 1000000; memcpy(&u, &d, 8); break; }
	case 3: { double d = (double)(int64_t)(rnd() % 20001) / 8.0; memcpy(&u, &d, 8); break; }	/* exact ties */
	case 4: { double d = ldexp((double)(rnd() >> 11), -(int)(rnd() % 80)); memcpy(&u, &d, 8); break; }
	case 5: { double d = (double)(rnd() % 100000) * pow(10, (double)(int)(rnd() % 40) - 20); memcpy(&u, &d, 8); break; }
	case 6: { double d = ldexp(1.0 + (double)(rnd() >> 11) * 0x1p-53, (int)(rnd() % 200) - 100); memcpy(&u, &d, 8); break; }
	default: u = (rnd() & 0x800FFFFFFFFFFFFFull) | ((uint64_t)(0x3FF + (int)(rnd() % 21) - 10) << 52); break;
	}
	double d;
	memcpy(&d, &u, 8);
	return d;
}

static void flags(char *f, int *n)
{
	static const char fl[] = "-+ #0";
	for (int i = 0; i < 5; i++)
		if (rnd() % 4 == 0)
			f[(*n)++] = fl[i];
}

static long checked, mismatches;

static void compare(const char *fmt, const char *ours, const char *theirs, int rn, int rg)
{
	checked++;
	if (rn != rg || strcmp(ours, theirs)) {
		if (mismatches++ < 10)
			cr_log_error("format \"%s\": ours \"%s\" (%d), glibc \"%s\" (%d)", fmt, ours, rn, theirs, rg);
	}
}

Test(printf, doubles_against_glibc, .timeout = 120)
{
	static const char conv[] = "feEgGF";
	char fmt[32], a[2048], b[2048];
	checked = mismatches = 0;
	for (int i = 0; i < 300000; i++) {
		double d = rnd_double();
		int n = 0;
		fmt[n++] = '%';
		flags(fmt, &n);
		if (rnd() % 2)
			n += sprintf(fmt + n, "%d", (int)(rnd() % 30));
		int prec = -1;
		switch (rnd() % 4) {
		case 0: break;
		case 1: prec = (int)(rnd() % 18); break;
		case 2: prec = (int)(rnd() % 40); break;
		default: prec = (int)(rnd() % 400); break;
		}
		if (prec >= 0)
			n += sprintf(fmt + n, ".%d", prec);
		fmt[n++] = conv[rnd() % 6];
		fmt[n] = 0;
		if (fmt[n - 1] == 'f' || fmt[n - 1] == 'F')
			if (fabs(d) > 1e30 && prec > 40)
				continue;	/* keep it short */
		int rn = bf_snprintf(a, sizeof a, fmt, d);
		int rg = snprintf(b, sizeof b, fmt, d);
		compare(fmt, a, b, rn, rg);
	}
	cr_log_info("%ld double formats compared with glibc, %ld differ", checked, mismatches);
	cr_assert_eq(mismatches, 0, "%ld of %ld double formats differ from glibc", mismatches, checked);
	cr_assert_geq(checked, 100000);
}

Test(printf, specials)
{
	static const double v[] = { 0.0, -0.0, INFINITY, -INFINITY, NAN, -NAN, 1e-320, 0x1p-1074,
				    1.7976931348623157e308, 0.5, 1.5, 2.5, 0.125, 1e23, 9.5, 99.95, 0.05 };
	static const char *f[] = { "%f", "%e", "%g", "%.0f", "%.0e", "%.0g", "%#.0f", "%#g", "%+08.3f",
				   "% e", "%-12g|", "%012.4E", "%G", "%F", "%.17g", "%.20e", "%#.3g", "%10.1f" };
	char a[512], b[512];
	checked = mismatches = 0;
	for (unsigned i = 0; i < sizeof v / sizeof v[0]; i++)
		for (unsigned j = 0; j < sizeof f / sizeof f[0]; j++) {
			int rn = bf_snprintf(a, sizeof a, f[j], v[i]);
			int rg = snprintf(b, sizeof b, f[j], v[i]);
			compare(f[j], a, b, rn, rg);
		}
	cr_assert_eq(mismatches, 0);
}

/* L with a floating conversion reads a double: a module's long double is
 * one (-mlong-double-64).  glibc, given the same value as a real long
 * double, prints the same characters. */
Test(printf, long_double_is_double)
{
	static const double v[] = { 0.0, -1.5, 2.0 / 3.0, 1e300, 0x1p-1074, INFINITY };
	static const char *f[] = { "%Lf", "%.4Le", "%Lg", "%+12.3LF", "%LG" };
	char a[512], b[512];
	checked = mismatches = 0;
	for (unsigned i = 0; i < sizeof v / sizeof v[0]; i++)
		for (unsigned j = 0; j < sizeof f / sizeof f[0]; j++) {
			int rn = bf_snprintf(a, sizeof a, f[j], v[i]);
			int rg = snprintf(b, sizeof b, f[j], (long double)v[i]);
			compare(f[j], a, b, rn, rg);
		}
	cr_assert_eq(mismatches, 0);
	cr_assert_eq(checked, 30);
	/* L with an integer conversion is not a length C has: printed as it is */
	bf_snprintf(a, sizeof a, "%Ld|", 5);
	cr_assert_str_eq(a, "%Ld|");
}

Test(printf, integers_against_glibc, .timeout = 60)
{
	static const char *len[] = { "", "hh", "h", "l", "ll", "z", "j" };
	static const char conv[] = "diuxXoc";
	char fmt[32], a[256], b[256];
	checked = mismatches = 0;
	for (int i = 0; i < 200000; i++) {
		int n = 0;
		fmt[n++] = '%';
		flags(fmt, &n);
		if (rnd() % 2)
			n += sprintf(fmt + n, "%d", (int)(rnd() % 25));
		if (rnd() % 3 == 0)
			n += sprintf(fmt + n, ".%d", (int)(rnd() % 25));
		char c = conv[rnd() % 7];
		int l = c == 'c' ? 0 : (int)(rnd() % 7);
		n += sprintf(fmt + n, "%s%c", len[l], c);
		uint64_t v = rnd() >> (rnd() % 64);
		if (rnd() % 8 == 0)
			v = 0;
		int rn, rg;
		if (l == 4 || l == 6 || l == 5 || l == 3) {	/* 64-bit arguments on this host */
			rn = bf_snprintf(a, sizeof a, fmt, v);
			rg = snprintf(b, sizeof b, fmt, v);
		} else {
			rn = bf_snprintf(a, sizeof a, fmt, (int)v);
			rg = snprintf(b, sizeof b, fmt, (int)v);
		}
		compare(fmt, a, b, rn, rg);
	}
	cr_log_info("%ld integer formats compared with glibc, %ld differ", checked, mismatches);
	cr_assert_eq(mismatches, 0, "%ld of %ld integer formats differ from glibc", mismatches, checked);
}

Test(printf, strings_and_pointers)
{
	char a[256], b[256];
	static const char *f[] = { "%s|%10s|%-10s|%.2s|%5.1s", "%p %20p %-20p|" };
	checked = mismatches = 0;
	int rn = bf_snprintf(a, sizeof a, f[0], "hello", "hi", "left", "precision", "xyz");
	int rg = snprintf(b, sizeof b, f[0], "hello", "hi", "left", "precision", "xyz");
	compare(f[0], a, b, rn, rg);
	void *p = (void *)0x1234abcdul, *q = 0;
	rn = bf_snprintf(a, sizeof a, f[1], p, q, p);
	rg = snprintf(b, sizeof b, f[1], p, q, p);
	compare(f[1], a, b, rn, rg);
	cr_assert_eq(mismatches, 0);
}
