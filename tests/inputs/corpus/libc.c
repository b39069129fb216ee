/* corpus-native: glibc */
/* Corpus: the module runtime's C library (lib/rt/libc/, docs/libc.md)
 * through <string.h>, <stdlib.h>, <ctype.h>, <errno.h>: under the JIT it
 * calls the runtime's functions, natively (tests/jit/diff/corpus.sh) the
 * same program is built against i686 glibc, so the hash compares our
 * library with glibc's, not only the JIT with gcc.  Only what C defines:
 * no rand() sequence, no addresses, no order of equal keys.  (Under 64
 * functions, declarations included, at -O0: the jit server's limit,
 * RT_MAX_FUNCS; the host test covers the rest.) */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static uint32_t h = 2166136261u;
static void mix(uint32_t v) { h = (h ^ v) * 16777619u; }
static void mix_str(const char *s) { while (*s) mix((unsigned char)*s++); mix(0); }

static void strings(void)
{
	char buf[64], tok[64];
	strcpy(buf, "hello");
	strcat(buf, ", world");
	strncat(buf, "!!!!", 2);
	mix_str(buf);
	mix((uint32_t)strlen(buf));
	mix((uint32_t)(strchr(buf, 'o') - buf));
	mix((uint32_t)(strrchr(buf, 'o') - buf));
	mix(strchr(buf, 'z') == NULL);
	mix((uint32_t)(strstr(buf, "wor") - buf));
	mix(strstr(buf, "xyz") == NULL);
	mix((uint32_t)(strstr(buf, "") - buf));
	mix((uint32_t)strspn("abcabcxyz", "abc"));
	mix((uint32_t)strcspn("abcabcxyz", "zy"));
	mix((uint32_t)(strpbrk(buf, " ,") - buf));
	mix((uint32_t)((char *)memchr(buf, 'w', sizeof buf) - buf));
	mix((uint32_t)(strcmp("abc", "abd") < 0) | (uint32_t)(strcmp("b", "a") > 0) << 1 |
	    (uint32_t)(strncmp("abcx", "abcy", 3) == 0) << 2 | (uint32_t)(strcmp("\xff", "a") > 0) << 3);
	memset(tok, 'x', sizeof tok);
	strncpy(tok, "ab", 5);	/* pads with NULs */
	for (int i = 0; i < 8; i++)
		mix((unsigned char)tok[i]);
	strcpy(tok, "  the quick,,brown fox ");
	int n = 0;
	for (char *w = strtok(tok, " ,"); w; w = strtok(NULL, " ,"), n++)
		mix_str(w);
	mix((uint32_t)n);
	mix_str(strerror(ERANGE));
	mix_str(strerror(0));
}

static void conversions(void)
{
	static const char *const ints[] = {
		"0", "-0", "+17", "  42xyz", "0x1A", "0X", "017", "-2147483648", "2147483647",
		"2147483648", "-2147483649", "99999999999999999999", "4294967295", "-1",
		"zz", "  -  5", "0b101", "1e3", "\t\n 123",
	};
	static const int bases[] = { 0, 2, 8, 10, 16, 36 };
	for (unsigned i = 0; i < sizeof ints / sizeof ints[0]; i++)
		for (unsigned b = 0; b < sizeof bases / sizeof bases[0]; b++) {
			char *end;
			errno = 0;
			long v = strtol(ints[i], &end, bases[b]);
			mix((uint32_t)v);
			mix((uint32_t)(end - ints[i]));
			mix((uint32_t)errno);
			errno = 0;
			unsigned long u = strtoul(ints[i], &end, bases[b]);
			mix((uint32_t)u);
			mix((uint32_t)(end - ints[i]) | (uint32_t)errno << 8);
			errno = 0;
			long long ll = strtoll(ints[i], &end, bases[b]);
			mix((uint32_t)ll);
			mix((uint32_t)(ll >> 32));
			mix((uint32_t)errno);
			unsigned long long ull = strtoull(ints[i], &end, bases[b]);
			mix((uint32_t)ull);
			mix((uint32_t)(ull >> 32));
		}
	mix((uint32_t)atoi("  -123abc"));
	mix((uint32_t)(atoll("-9223372036854775808") >> 32));

	static const char *const reals[] = {
		"0", "-0.0", "1", "0.1", "3.14159265358979323846", "1e308", "1.7976931348623157e308",
		"1.7976931348623158e308", "1e309", "4.9406564584124654e-324", "2.4703282292062327e-324",
		"2.4703282292062328e-324", "1e-400", "2.2250738585072011e-308", "123456789012345678",
		"9007199254740993", "0x1.8p3", "-0x.1p-4", "  +.5e1x", "inf", "-Infinity", "1e", ".",
		"100000000000000000000000000000000000000000000000000000001e-56",
		"0.000000000000000000000000000000000000000000001e45", "7.038531e-26", "1.5e-45",
		"3.4028235e38",
	};
	for (unsigned i = 0; i < sizeof reals / sizeof reals[0]; i++) {
		char *end;
		errno = 0;
		double d = strtod(reals[i], &end);
		uint64_t bits;
		memcpy(&bits, &d, sizeof bits);
		mix((uint32_t)bits);
		mix((uint32_t)(bits >> 32));
		mix((uint32_t)(end - reals[i]));
		mix(errno == ERANGE);
		float f = strtof(reals[i], &end);
		uint32_t fb;
		memcpy(&fb, &f, sizeof fb);
		mix(fb);
	}
	double a = atof("-2.5");
	mix((uint32_t)(int)(a * 4));
}

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;
	return (x > y) - (x < y);
}

struct rec { char name[8]; int key; };
static int cmp_rec(const void *a, const void *b)
{
	return strcmp(((const struct rec *)a)->name, ((const struct rec *)b)->name);
}

static void sorting(void)
{
	int v[97];
	for (int i = 0; i < 97; i++)
		v[i] = (i * 7919) % 97 - 40;	/* a permutation */
	qsort(v, 97, sizeof v[0], cmp_int);
	for (int i = 0; i < 97; i++)
		mix((uint32_t)v[i]);
	for (int k = -45; k < 60; k += 3) {
		int *p = bsearch(&k, v, 97, sizeof v[0], cmp_int);
		mix(p ? (uint32_t)(p - v) : 0xffffffffu);
	}
	struct rec r[6] = { { "pear", 1 }, { "apple", 2 }, { "fig", 3 }, { "kiwi", 4 }, { "date", 5 }, { "lime", 6 } };
	qsort(r, 6, sizeof r[0], cmp_rec);
	for (int i = 0; i < 6; i++)
		mix((uint32_t)r[i].key);
	qsort(v, 0, sizeof v[0], cmp_int);
	qsort(v, 1, sizeof v[0], cmp_int);
}

static void memory(void)
{
	char *p[32];
	for (int i = 0; i < 32; i++) {
		p[i] = malloc((size_t)(i * 37 + 1));
		mix(p[i] != NULL && ((uintptr_t)p[i] & 7) == 0);
		memset(p[i], 'a' + i % 26, (size_t)(i * 37 + 1));
	}
	for (int i = 0; i < 32; i += 2)
		free(p[i]);
	for (int i = 1; i < 32; i += 2) {
		p[i] = realloc(p[i], (size_t)(i * 91 + 5));
		uint32_t s = 0;
		for (int k = 0; k < i * 37 + 1; k++)
			s += (unsigned char)p[i][k];
		mix(s);
	}
	int *z = calloc(100, sizeof *z);
	uint32_t s = 0;
	for (int i = 0; i < 100; i++)
		s |= (uint32_t)z[i];
	mix(s);
	free(z);
	for (int i = 1; i < 32; i += 2)
		free(p[i]);
	char *d = strdup("copied");
	mix_str(d);
	free(d);
	mix(realloc(NULL, 0) == NULL || 1);
	free(NULL);
}

static void classes(void)
{
	for (int c = -1; c < 256; c++) {
		uint32_t m = (uint32_t)!!isalnum(c) | (uint32_t)!!isalpha(c) << 1 | (uint32_t)!!iscntrl(c) << 2 |
			     (uint32_t)!!isdigit(c) << 3 | (uint32_t)!!isgraph(c) << 4 | (uint32_t)!!islower(c) << 5 |
			     (uint32_t)!!isprint(c) << 6 | (uint32_t)!!ispunct(c) << 7 | (uint32_t)!!isspace(c) << 8 |
			     (uint32_t)!!isupper(c) << 9 | (uint32_t)!!isxdigit(c) << 10;
		mix(m);
		mix((uint32_t)toupper(c) << 16 | (uint32_t)(tolower(c) & 0xffff));
	}
}

static void arithmetic(void)
{
	div_t q = div(-7, 2);
	lldiv_t llq = lldiv(-100000000000LL, 7LL);
	mix((uint32_t)q.quot); mix((uint32_t)q.rem);
	mix((uint32_t)llq.quot); mix((uint32_t)(llq.quot >> 32)); mix((uint32_t)llq.rem);
	mix((uint32_t)abs(-5));
}

int test_main(void)
{
	strings();
	conversions();
	sorting();
	memory();
	classes();
	arithmetic();
	return (int)h;
}
