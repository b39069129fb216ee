/* The module runtime's C library (lib/rt/libc/ with lib/string.c, host
 * build renamed bfc_*, tests/lib/rt-tests.mk) against the host's glibc:
 * strtol & co. on edge cases (value, endptr, errno), strtod/strtof bit for
 * bit on hard and random inputs, the string and ctype functions, qsort and
 * bsearch, and malloc/calloc/realloc/free on a heap of our own: alignment,
 * exhaustion (NULL, never a crash), reuse and coalescing, bad frees.
 * Here long is 64 bits; tests/inputs/corpus/libc.c compares the i686
 * build (long = 32 bits) with i686 glibc. */
#include <criterion/criterion.h>
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "lib/include/bareflow/abi.h"
#include "lib/rt/rt.h"

/* ---- what the runtime expects around it ---- */
struct rt_libc bfc_rt_libc;
static char said[512];	/* the last console message */
static jmp_buf exited;
static int exit_status;

int bfc_printf(const char *fmt, ...);
int bfc_printf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(said, sizeof said, fmt, ap);
	va_end(ap);
	return n;
}
int bfc_bf_sys(int nr, uint32_t a1, uint32_t a2, uint32_t a3, uint32_t a4, uint32_t a5, uint32_t a6);
int bfc_bf_sys(int nr, uint32_t a1, uint32_t a2, uint32_t a3, uint32_t a4, uint32_t a5, uint32_t a6)
{
	(void)a2; (void)a3; (void)a4; (void)a5; (void)a6;
	cr_assert_eq(nr, SYS_EXIT, "the library made syscall %d", nr);
	exit_status = (int)a1;
	longjmp(exited, 1);
}
int *bfc___bf_errno(void);
#define ERR (*bfc___bf_errno())

long bfc_strtol(const char *, char **, int);
unsigned long bfc_strtoul(const char *, char **, int);
long long bfc_strtoll(const char *, char **, int);
unsigned long long bfc_strtoull(const char *, char **, int);
int bfc_atoi(const char *);
double bfc_strtod(const char *, char **);
float bfc_strtof(const char *, char **);
double bfc_atof(const char *);
void bfc_qsort(void *, size_t, size_t, int (*)(const void *, const void *));
void *bfc_bsearch(const void *, const void *, size_t, size_t, int (*)(const void *, const void *));
int bfc_rand(void);
void bfc_srand(unsigned);
void *bfc_malloc(size_t);
void *bfc_calloc(size_t, size_t);
void *bfc_realloc(void *, size_t);
void bfc_free(void *);
void bfc_abort(void);
void bfc_exit(int);
char *bfc_getenv(const char *);
void bfc___bf_assert_fail(const char *, const char *, int, const char *);
div_t bfc_div(int, int);
lldiv_t bfc_lldiv(long long, long long);
int bfc_abs(int);
char *bfc_strcpy(char *, const char *);
char *bfc_strncpy(char *, const char *, size_t);
char *bfc_strcat(char *, const char *);
char *bfc_strncat(char *, const char *, size_t);
char *bfc_strchr(const char *, int);
char *bfc_strrchr(const char *, int);
char *bfc_strstr(const char *, const char *);
size_t bfc_strspn(const char *, const char *);
size_t bfc_strcspn(const char *, const char *);
char *bfc_strpbrk(const char *, const char *);
void *bfc_memchr(const void *, int, size_t);
int bfc_strcmp(const char *, const char *);
int bfc_strncmp(const char *, const char *, size_t);
char *bfc_strtok(char *, const char *);
char *bfc_strerror(int);
char *bfc_strdup(const char *);
int bfc_isalnum(int), bfc_isalpha(int), bfc_isblank(int), bfc_iscntrl(int), bfc_isdigit(int),
    bfc_isgraph(int), bfc_islower(int), bfc_isprint(int), bfc_ispunct(int), bfc_isspace(int),
    bfc_isupper(int), bfc_isxdigit(int), bfc_tolower(int), bfc_toupper(int);

static uint64_t rs = 0x9E3779B97F4A7C15ull;
static uint64_t rnd(void)
{
	rs ^= rs >> 12; rs ^= rs << 25; rs ^= rs >> 27;
	return rs * 0x2545F4914F6CDD1Dull;
}

static int sign(int x) { return (x > 0) - (x < 0); }

/* ---- strtol family ---- */
static const char *const int_inputs[] = {
	"", " ", "0", "-0", "+0", "7", "  +17", "\t\n\v\f\r 42xyz", "-", "+", "- 5", "--5",
	"0x", "0X1f", "0xg", "0x1A", "-0x10", "017", "08", "0b101", "z", "Zz", "1e3", "123abc",
	"2147483647", "2147483648", "-2147483648", "-2147483649", "4294967295", "4294967296",
	"9223372036854775807", "9223372036854775808", "-9223372036854775808",
	"-9223372036854775809", "18446744073709551615", "18446744073709551616",
	"-18446744073709551615", "-18446744073709551616", "99999999999999999999999999999",
	"-99999999999999999999999999999", "7fffffffffffffff", "8000000000000000",
	"ffffffffffffffff", "10000000000000000", "1y2p0ij32e8e7", "1y2p0ij32e8e8", "  -0x", "0x-1",
};
static const int bases[] = { 0, 2, 3, 8, 10, 16, 35, 36 };

Test(strtol, every_form_matches_glibc)
{
	for (size_t i = 0; i < sizeof int_inputs / sizeof int_inputs[0]; i++)
		for (size_t b = 0; b < sizeof bases / sizeof bases[0]; b++) {
			const char *s = int_inputs[i];
			int base = bases[b];
			char *e1, *e2;
			errno = 0; ERR = 0;
			long a = bfc_strtol(s, &e1, base), g = strtol(s, &e2, base);
			cr_expect(a == g && e1 == e2 && ERR == errno, "strtol(\"%s\", %d): %ld +%td e%d, glibc %ld +%td e%d",
				  s, base, a, e1 - s, ERR, g, e2 - s, errno);
			errno = 0; ERR = 0;
			unsigned long ua = bfc_strtoul(s, &e1, base), ug = strtoul(s, &e2, base);
			cr_expect(ua == ug && e1 == e2 && ERR == errno, "strtoul(\"%s\", %d): %lu +%td e%d, glibc %lu +%td e%d",
				  s, base, ua, e1 - s, ERR, ug, e2 - s, errno);
			errno = 0; ERR = 0;
			long long la = bfc_strtoll(s, &e1, base), lg = strtoll(s, &e2, base);
			cr_expect(la == lg && e1 == e2 && ERR == errno, "strtoll(\"%s\", %d): %lld, glibc %lld", s, base, la, lg);
			errno = 0; ERR = 0;
			unsigned long long ula = bfc_strtoull(s, &e1, base), ulg = strtoull(s, &e2, base);
			cr_expect(ula == ulg && e1 == e2 && ERR == errno, "strtoull(\"%s\", %d): %llu, glibc %llu", s, base, ula, ulg);
		}
}

/* C leaves other bases undefined; glibc's endptr for them is a quirk of
 * its own: ours converts nothing (endptr = s) and says EINVAL, as glibc. */
Test(strtol, bad_bases_convert_nothing)
{
	static const int bad[] = { 1, 37, -1, 100 };
	for (size_t i = 0; i < sizeof int_inputs / sizeof int_inputs[0]; i++)
		for (size_t b = 0; b < sizeof bad / sizeof bad[0]; b++) {
			char *e;
			ERR = 0;
			cr_assert_eq(bfc_strtol(int_inputs[i], &e, bad[b]), 0);
			cr_assert(e == int_inputs[i] && ERR == EINVAL);
			cr_assert_eq(bfc_strtoull(int_inputs[i], &e, bad[b]), 0);
		}
}

Test(strtol, null_endptr_and_atoi)
{
	cr_assert_eq(bfc_strtol("  -123abc", NULL, 10), -123);
	cr_assert_eq(bfc_atoi("  -123abc"), -123);
	cr_assert_eq(bfc_atoi("abc"), 0);
	cr_assert_eq(bfc_atoi("2147483647"), 2147483647);
}

Test(strtol, random_numbers_round_trip)
{
	char buf[80];
	for (int i = 0; i < 100000; i++) {
		long long v = (long long)(rnd() >> (rnd() % 64)) * ((rnd() & 1) ? -1 : 1);
		int base = 2 + (int)(rnd() % 35);
		/* in base 10 and 16 through printf; any base for a random digit string */
		snprintf(buf, sizeof buf, (i & 1) ? "%lld" : "%#llx", v);
		char *e1, *e2;
		cr_assert_eq(bfc_strtoll(buf, &e1, 0), strtoll(buf, &e2, 0), "%s", buf);
		cr_assert_eq(e1, e2);
		int n = 1 + (int)(rnd() % 20);
		for (int k = 0; k < n; k++)
			buf[k] = "0123456789abcdefghijklmnopqrstuvwxyzABC"[rnd() % 39];
		buf[n] = 0;
		errno = 0; ERR = 0;
		cr_assert_eq(bfc_strtoull(buf, &e1, base), strtoull(buf, &e2, base), "%s base %d", buf, base);
		cr_assert(e1 == e2 && ERR == errno, "%s base %d", buf, base);
	}
}

/* ---- strtod ---- */
static void same_double(const char *s)
{
	char *e1, *e2;
	errno = 0; ERR = 0;
	double a = bfc_strtod(s, &e1), g = strtod(s, &e2);
	cr_assert(memcmp(&a, &g, 8) == 0 && e1 == e2, "strtod(\"%s\"): %a +%td, glibc %a +%td", s, a, e1 - s, g, e2 - s);
	if (g != 0 && g == g && (g > 2.3e-308 || g < -2.3e-308))	/* normal results: errno only on overflow */
		cr_assert_eq(ERR, errno, "strtod(\"%s\"): errno %d, glibc %d", s, ERR, errno);
	float fa = bfc_strtof(s, &e1), fg = strtof(s, &e2);
	cr_assert(memcmp(&fa, &fg, 4) == 0 && e1 == e2, "strtof(\"%s\"): %a, glibc %a", s, fa, fg);
}

Test(strtod, hard_cases_match_glibc)
{
	static const char *const s[] = {
		"0", "-0", "1", "-1", "0.1", ".5", "5.", ".", "-.", "e5", "1e", "1e+", "1e-2x", "0x", "0x.", "0x.8",
		"0x1p", "0x1p-", "0x1.8p3", "-0x.1p-4", "0X1P+10", "inf", "INF", "-infinity", "infinit", "nan", "-NaN",
		"nan()", "nan(123abc_)", "nan(", "nan(x", "  +3.25e2", "\t-2.5E-3z",
		"3.14159265358979323846264338327950288", "2.2250738585072011e-308", "2.2250738585072012e-308",
		"2.2250738585072014e-308", "4.9406564584124654e-324", "2.4703282292062327e-324",
		"2.4703282292062328e-324", "2.47032822920623272e-324", "1e-324", "1e-400", "1.7976931348623157e308",
		"1.7976931348623158e308", "1.797693134862315807e308", "1.7976931348623159e308", "1e309", "1e99999999",
		"-1e-99999999", "9007199254740993", "9007199254740992.5", "9007199254740993.0000000000000000000001",
		"123456789012345678901234567890", "0.000000000000000000000000000000000123456789e-270",
		"7.038531e-26", "1.5e-45", "1.4e-45", "7e-46", "3.4028235e38", "3.4028236e38", "3.40282356779733661637539395458142568448e38",
		"1.00000005960464477539062499", "1.000000059604644775390625", "1.00000005960464477539062501",
		"0x1.fffffffffffff8p1023", "0x1p-1074", "0x1p-1075", "0x1.0000000000001p-1075", "0x1.8p-1074",
		"0x123456789abcdef0123456789p0", "0x.000000000000000000000000001p0", "00000000000000000000001.5",
		"0.00000000000000000000000000000000000000000000000000000000000000000000000001e74",
	};
	for (size_t i = 0; i < sizeof s / sizeof s[0]; i++)
		same_double(s[i]);
	/* halfway between two doubles, past DEC_MAX digits: only the digits
	 * beyond the kept ones decide */
	char big[1200] = "9007199254740993";
	memset(big + 16, '0', 1000);
	big[1016] = 0;
	strcpy(big + 16, ".");
	memset(big + 17, '0', 1000);
	big[1017] = 0;
	same_double(big);
	big[1010] = '1';
	same_double(big);
}

Test(strtod, random_inputs_match_glibc)
{
	char buf[128];
	for (int i = 0; i < 200000; i++) {
		uint64_t bits = rnd();
		double d;
		memcpy(&d, &bits, 8);
		if (d != d)
			continue;
		switch (i % 4) {
		case 0: snprintf(buf, sizeof buf, "%.17g", d); break;	/* round trips */
		case 1: snprintf(buf, sizeof buf, "%.*e", (int)(rnd() % 25), d); break;
		case 2: {	/* random digits, random exponent: mostly near halfway or out of range */
			int n = 1 + (int)(rnd() % 40), k = 0;
			for (; k < n; k++)
				buf[k] = (char)('0' + rnd() % 10);
			snprintf(buf + k, sizeof buf - (size_t)k, "e%d", (int)(rnd() % 700) - 350);
			break;
		}
		default: snprintf(buf, sizeof buf, "%a", d); break;
		}
		same_double(buf);
	}
}

/* ---- strings ---- */
Test(string, functions_match_glibc)
{
	char a[64], g[64];
	cr_assert_str_eq(bfc_strcpy(a, "hello"), "hello");
	cr_assert_str_eq(bfc_strcat(a, ", world"), "hello, world");
	cr_assert_str_eq(bfc_strncat(a, "!!!!", 2), "hello, world!!");
	memset(a, 'x', sizeof a);
	memset(g, 'x', sizeof g);
	bfc_strncpy(a, "ab", 5);
	strncpy(g, "ab", 5);
	cr_assert(memcmp(a, g, sizeof a) == 0, "strncpy pads with NULs to n, no further");
	bfc_strncpy(a, "abcdef", 3);
	cr_assert(a[3] == 0 && memcmp(a, "abc", 3) == 0, "strncpy of a long source does not terminate");
	const char *s = "the quick brown fox";
	for (int c = 0; c < 256; c++) {
		cr_assert_eq(bfc_strchr(s, c), strchr(s, c), "strchr %d", c);
		cr_assert_eq(bfc_strrchr(s, c), strrchr(s, c), "strrchr %d", c);
		cr_assert_eq(bfc_memchr(s, c, 10), memchr(s, c, 10), "memchr %d", c);
	}
	static const char *const needles[] = { "", "t", "the", "fox", "foxy", "quick b", "x", "k bro", "zz" };
	for (size_t i = 0; i < sizeof needles / sizeof needles[0]; i++) {
		const char *n = needles[i];
		cr_assert_eq(bfc_strstr(s, n), strstr(s, n), "strstr \"%s\"", n);
		cr_assert_eq(bfc_strspn(s, n), strspn(s, n), "strspn \"%s\"", n);
		cr_assert_eq(bfc_strcspn(s, n), strcspn(s, n), "strcspn \"%s\"", n);
		cr_assert_eq(bfc_strpbrk(s, n), strpbrk(s, n), "strpbrk \"%s\"", n);
	}
	const char *empty = "";
	cr_assert_eq(bfc_strstr(empty, ""), empty);
	for (int i = 0; i < 10000; i++) {
		char x[8], y[8];
		for (int k = 0; k < 7; k++) {
			x[k] = (char)(1 + rnd() % 3 + (rnd() % 2) * 200);
			y[k] = (char)(1 + rnd() % 3 + (rnd() % 2) * 200);
		}
		x[7] = y[7] = 0;
		x[rnd() % 8] = 0;
		size_t n = rnd() % 9;
		cr_assert_eq(sign(bfc_strcmp(x, y)), sign(strcmp(x, y)));
		cr_assert_eq(sign(bfc_strncmp(x, y, n)), sign(strncmp(x, y, n)));
	}
	char t1[] = ",,a,b;;c d,,", t2[] = ",,a,b;;c d,,";
	for (char *p = bfc_strtok(t1, ",; "), *q = strtok(t2, ",; "); p || q;
	     p = bfc_strtok(NULL, ",; "), q = strtok(NULL, ",; "))
		cr_assert(p && q && p - t1 == q - t2, "strtok");
	cr_assert_null(bfc_strtok(NULL, ","), "strtok after the end");
	cr_assert_str_eq(bfc_strerror(ERANGE), strerror(ERANGE));
	cr_assert_str_eq(bfc_strerror(ENOMEM), strerror(ENOMEM));
	cr_assert_str_eq(bfc_strerror(0), strerror(0));
	cr_assert_str_eq(bfc_strerror(9999), "Unknown error");
}

Test(ctype, the_c_locale_matches_glibc)
{
	for (int c = -1; c < 256; c++) {
		cr_assert_eq(!!bfc_isalnum(c), !!isalnum(c), "isalnum %d", c);
		cr_assert_eq(!!bfc_isalpha(c), !!isalpha(c), "isalpha %d", c);
		cr_assert_eq(!!bfc_isblank(c), !!isblank(c), "isblank %d", c);
		cr_assert_eq(!!bfc_iscntrl(c), !!iscntrl(c), "iscntrl %d", c);
		cr_assert_eq(!!bfc_isdigit(c), !!isdigit(c), "isdigit %d", c);
		cr_assert_eq(!!bfc_isgraph(c), !!isgraph(c), "isgraph %d", c);
		cr_assert_eq(!!bfc_islower(c), !!islower(c), "islower %d", c);
		cr_assert_eq(!!bfc_isprint(c), !!isprint(c), "isprint %d", c);
		cr_assert_eq(!!bfc_ispunct(c), !!ispunct(c), "ispunct %d", c);
		cr_assert_eq(!!bfc_isspace(c), !!isspace(c), "isspace %d", c);
		cr_assert_eq(!!bfc_isupper(c), !!isupper(c), "isupper %d", c);
		cr_assert_eq(!!bfc_isxdigit(c), !!isxdigit(c), "isxdigit %d", c);
		cr_assert_eq(bfc_tolower(c), tolower(c), "tolower %d", c);
		cr_assert_eq(bfc_toupper(c), toupper(c), "toupper %d", c);
	}
}

/* ---- qsort, bsearch, rand, div ---- */
static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;
	return (x > y) - (x < y);
}
struct wide { int key; char pad[13]; };	/* an odd element size */
static int cmp_wide(const void *a, const void *b) { return cmp_int(a, b); }

Test(sort, qsort_sorts_like_glibc_and_bsearch_finds)
{
	static int a[5000], g[5000];
	for (int round = 0; round < 200; round++) {
		size_t n = rnd() % (round < 100 ? 20 : 5000);
		int range = (int)(1 + rnd() % 100000);
		for (size_t i = 0; i < n; i++)
			a[i] = g[i] = (int)(rnd() % (uint64_t)range) - range / 2;
		if (round % 10 == 0)	/* sorted and reversed inputs too */
			qsort(a, n, sizeof a[0], cmp_int), memcpy(g, a, n * sizeof a[0]);
		bfc_qsort(a, n, sizeof a[0], cmp_int);
		qsort(g, n, sizeof g[0], cmp_int);
		cr_assert(memcmp(a, g, n * sizeof a[0]) == 0, "qsort of %zu ints", n);
		for (int k = 0; k < 50; k++) {
			int key = (int)(rnd() % (uint64_t)range) - range / 2;
			int *p = bfc_bsearch(&key, a, n, sizeof a[0], cmp_int), *q = bsearch(&key, g, n, sizeof g[0], cmp_int);
			cr_assert_eq(!p, !q, "bsearch %d in %zu", key, n);
			if (p)
				cr_assert_eq(*p, key);
		}
	}
	struct wide w[300];
	for (int i = 0; i < 300; i++)
		w[i].key = (i * 7919) % 300;
	bfc_qsort(w, 300, sizeof w[0], cmp_wide);
	for (int i = 0; i < 300; i++)
		cr_assert_eq(w[i].key, i);
	int k = 77;
	cr_assert_eq(((struct wide *)bfc_bsearch(&k, w, 300, sizeof w[0], cmp_wide))->key, 77);
	cr_assert_null(bfc_bsearch(&k, w, 0, sizeof w[0], cmp_wide));
}

Test(misc, rand_is_the_c_standard_lcg)
{
	bfc_rt_libc.rand_x = 0;	/* as the loader starts it: seed 1 */
	uint32_t next = 1;
	for (int i = 0; i < 1000; i++) {
		next = next * 1103515245u + 12345u;
		cr_assert_eq(bfc_rand(), (int)(next / 65536 % 32768));
	}
	cr_assert_eq(bfc_rt_libc.rand_x, 0u ^ (next ^ 1u));
	bfc_srand(1);
	cr_assert_eq(bfc_rand(), 16838);	/* the standard's first value */
	bfc_srand(42);
	int a = bfc_rand();
	bfc_srand(42);
	cr_assert_eq(bfc_rand(), a);
}

Test(misc, div_and_abs)
{
	div_t d = bfc_div(-7, 2);
	cr_assert(d.quot == -3 && d.rem == -1);
	lldiv_t l = bfc_lldiv(-100000000000LL, 7);
	cr_assert(l.quot == -100000000000LL / 7 && l.rem == -100000000000LL % 7);
	cr_assert_eq(bfc_abs(-5), 5);
	cr_assert_eq(bfc_abs(INT_MIN), INT_MIN);
}

Test(misc, exit_abort_assert_end_the_module)
{
	if (!setjmp(exited))
		bfc_exit(7);
	cr_assert_eq(exit_status, 7);
	if (!setjmp(exited))
		bfc_abort();
	cr_assert_eq(exit_status, 134);
	said[0] = 0;
	if (!setjmp(exited))
		bfc___bf_assert_fail("x > 0", "prog.c", 12, "main");
	cr_assert_eq(exit_status, 134);
	cr_assert_str_eq(said, "prog.c:12: main: Assertion `x > 0' failed.\n");
	cr_assert_null(bfc_getenv("PATH"), "a module has no environment");
}

/* ---- malloc ---- */
static uint8_t arena[1 << 20] __attribute__((aligned(4096)));

static void give_heap(size_t size)
{
	memset(arena, 0xA5, sizeof arena);	/* the loader's pages are zero: only the header must be */
	memset(arena, 0, 64);
	bfc_rt_libc.heap_va = (uintptr_t)arena;
	bfc_rt_libc.heap_size = size;
}

Test(malloc, aligned_distinct_and_kept)
{
	give_heap(sizeof arena);
	char *p[200];
	for (int i = 0; i < 200; i++) {
		size_t n = (size_t)(i * 13 % 300);
		p[i] = bfc_malloc(n);
		cr_assert_not_null(p[i]);
		cr_assert_eq((uintptr_t)p[i] % 16, 0, "malloc(%zu) is 16-byte aligned", n);
		cr_assert((uintptr_t)p[i] >= (uintptr_t)arena && (uintptr_t)p[i] + n <= (uintptr_t)arena + sizeof arena);
		memset(p[i], i, n);
	}
	for (int i = 0; i < 200; i++)
		for (size_t k = 0; k < (size_t)(i * 13 % 300); k++)
			cr_assert_eq((uint8_t)p[i][k], (uint8_t)i, "block %d byte %zu overwritten", i, k);
	for (int i = 0; i < 200; i++)
		bfc_free(p[i]);
}

Test(malloc, exhaustion_is_null_and_free_gives_it_back)
{
	give_heap(64 * 1024);
	void *p[10000];
	int n = 0;
	ERR = 0;
	while ((p[n] = bfc_malloc(1000)))
		n++;
	cr_assert(n > 50 && n < 66, "%d blocks of 1000 bytes in 64 KiB", n);
	cr_assert_eq(ERR, ENOMEM);
	cr_assert_null(bfc_malloc(1000), "still exhausted");
	cr_assert_null(bfc_malloc((size_t)-1));
	cr_assert_null(bfc_malloc((size_t)-20), "no wrap-around in the size");
	cr_assert_null(bfc_calloc((size_t)1 << 33, (size_t)1 << 33), "calloc's product overflows");
	for (int i = 0; i < n; i += 2)	/* every other one: no two free blocks meet */
		bfc_free(p[i]);
	cr_assert_null(bfc_malloc(3000), "fragmented: no 3000 bytes in one piece");
	void *q = bfc_malloc(900);
	cr_assert_eq(q, p[0], "first fit reuses the lowest hole");
	bfc_free(q);
	for (int i = 1; i < n; i += 2)
		bfc_free(p[i]);
	/* everything coalesced: one block of nearly the whole heap */
	void *all = bfc_malloc(64 * 1024 - 64);
	cr_assert_not_null(all, "the free blocks merged back into one");
	bfc_free(all);
	for (int round = 0; round < 1000; round++) {	/* churn without loss */
		void *a = bfc_malloc(rnd() % 5000), *b = bfc_malloc(rnd() % 5000);
		cr_assert(a && b, "round %d", round);
		bfc_free(a);
		bfc_free(b);
	}
	cr_assert_not_null(all = bfc_malloc(64 * 1024 - 64), "nothing leaked");
	bfc_free(all);
}

Test(malloc, calloc_zeroes_reused_memory)
{
	give_heap(64 * 1024);
	char *p = bfc_malloc(4000);
	memset(p, 0xff, 4000);
	bfc_free(p);
	int *z = bfc_calloc(1000, sizeof *z);
	cr_assert_eq((void *)z, (void *)p);
	for (int i = 0; i < 1000; i++)
		cr_assert_eq(z[i], 0);
	bfc_free(z);
}

Test(malloc, realloc_keeps_contents_in_place_when_it_can)
{
	give_heap(256 * 1024);
	cr_assert_null(bfc_realloc(bfc_malloc(10), 0), "realloc(p, 0) frees");
	char *p = bfc_realloc(NULL, 100);
	for (int i = 0; i < 100; i++)
		p[i] = (char)i;
	char *q = bfc_realloc(p, 5000);	/* the rest of the heap is right above: grows in place */
	cr_assert_eq(q, p);
	char *blocker = bfc_malloc(10);
	char *r = bfc_realloc(q, 50000);	/* blocked: moves */
	cr_assert_neq(r, q);
	for (int i = 0; i < 100; i++)
		cr_assert_eq(r[i], (char)i);
	char *s = bfc_realloc(r, 50);	/* shrinks in place */
	cr_assert_eq(s, r);
	for (int i = 0; i < 50; i++)
		cr_assert_eq(s[i], (char)i);
	char *t = bfc_malloc(4000);	/* the hole q left is reused */
	cr_assert_eq(t, q);
	cr_assert_null(bfc_realloc(s, 1u << 30), "too big: NULL, and s stays");
	cr_assert_eq(s[49], 49);
	bfc_free(s);
	bfc_free(t);
	bfc_free(blocker);
	cr_assert_not_null(bfc_malloc(256 * 1024 - 64), "all merged again");
	char *d = NULL;
	give_heap(4096);
	d = bfc_strdup("copy me");
	cr_assert_str_eq(d, "copy me");
}

Test(malloc, no_heap_and_bad_frees)
{
	bfc_rt_libc.heap_va = 0;
	bfc_rt_libc.heap_size = 0;
	cr_assert_null(bfc_malloc(1), "a module without a heap gets NULL");
	bfc_free(NULL);
	give_heap(8192);
	char *p = bfc_malloc(100);
	bfc_free(p);
	said[0] = 0;
	if (!setjmp(exited))
		bfc_free(p);
	cr_assert_eq(exit_status, 134, "a double free aborts");
	cr_assert(strstr(said, "not a block from malloc"), "and says why: %s", said);
	int local;
	if (!setjmp(exited))
		bfc_free(&local);
	cr_assert_eq(exit_status, 134, "so does freeing a pointer malloc never gave");
}
