/* strtol, strtoul, strtoll, strtoull, atoi, atol, atoll: one parser
 * (parse) for all, on unsigned long long, with the limit of each type.
 * C's rules (7.22.1.4): leading white space, an optional sign, "0x"/"0X"
 * for base 16 or 0, a leading 0 meaning octal for base 0; endptr gets the
 * first character not converted, or s itself when nothing was (a "0x"
 * with no hex digit after it converts just the 0).  Out of range: the
 * type's limit (LONG_MAX, LONG_MIN, ULONG_MAX, ...) and errno = ERANGE;
 * the unsigned forms negate a negative value in their own type, as C says
 * ("-1" is ULONG_MAX).  A base other than 0 or 2..36 converts nothing and
 * sets EINVAL, as glibc does. */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>

static int digit_value(int c)
{
	if (isdigit(c))
		return c - '0';
	if (islower(c))
		return c - 'a' + 10;
	if (isupper(c))
		return c - 'A' + 10;
	return 99;
}

/* The magnitude, saturated at `max` (with *over set), and the sign. */
static unsigned long long parse(const char *s, char **end, int base, unsigned long long max,
				int *neg, int *over)
{
	const char *p = s;
	*neg = *over = 0;
	if (end)
		*end = (char *)s;
	if (base == 1 || base < 0 || base > 36) {
		errno = EINVAL;
		return 0;
	}
	while (isspace((unsigned char)*p))
		p++;
	if (*p == '+' || *p == '-')
		*neg = *p++ == '-';
	if ((base == 0 || base == 16) && p[0] == '0' && (p[1] == 'x' || p[1] == 'X') &&
	    digit_value((unsigned char)p[2]) < 16) {
		p += 2;
		base = 16;
	} else if (base == 0) {
		base = p[0] == '0' ? 8 : 10;
	}
	unsigned long long v = 0;
	const char *digits = p;
	for (int d; (d = digit_value((unsigned char)*p)) < base; p++) {
		if (v > (max - (unsigned)d) / (unsigned)base)
			*over = 1;	/* keep reading: endptr is past all the digits */
		else
			v = v * (unsigned)base + (unsigned)d;
	}
	if (p == digits)
		return 0;	/* nothing converted: *end stays s */
	if (end)
		*end = (char *)p;
	return *over ? max : v;
}

/* A signed type from min to max: a magnitude of max+1 is in range only
 * negated. */
static long long to_signed(const char *s, char **end, int base, long long min, long long max)
{
	int neg, over;
	unsigned long long v = parse(s, end, base, (unsigned long long)max + 1, &neg, &over);
	if (!over && !neg && v <= (unsigned long long)max)
		return (long long)v;
	if (!over && neg)
		return v == (unsigned long long)max + 1 ? min : -(long long)v;
	errno = ERANGE;
	return neg ? min : max;
}

/* An unsigned type up to max: "-v" is max + 1 - v, C's negation in the type. */
static unsigned long long to_unsigned(const char *s, char **end, int base, unsigned long long max)
{
	int neg, over;
	unsigned long long v = parse(s, end, base, max, &neg, &over);
	if (over) {
		errno = ERANGE;
		return max;
	}
	return neg ? (max - v + 1) & max : v;
}

long strtol(const char *restrict s, char **restrict end, int base)
{
	return (long)to_signed(s, end, base, LONG_MIN, LONG_MAX);
}

long long strtoll(const char *restrict s, char **restrict end, int base)
{
	return to_signed(s, end, base, LLONG_MIN, LLONG_MAX);
}

unsigned long strtoul(const char *restrict s, char **restrict end, int base)
{
	return (unsigned long)to_unsigned(s, end, base, ULONG_MAX);
}

unsigned long long strtoull(const char *restrict s, char **restrict end, int base)
{
	return to_unsigned(s, end, base, ULLONG_MAX);
}

/* C leaves an out-of-range atoi undefined; here it is strtol's value cut
 * to int (glibc's behaviour). */
int atoi(const char *s)        { return (int)strtol(s, NULL, 10); }
long atol(const char *s)       { return strtol(s, NULL, 10); }
long long atoll(const char *s) { return strtoll(s, NULL, 10); }
