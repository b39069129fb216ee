/* strtod, strtof, atof: correctly rounded (to nearest, ties to even) for
 * every input, in integer arithmetic only.
 *
 * Decimal input goes through a decimal digit buffer (struct dec, up to
 * DEC_MAX significant digits; beyond those only "was any of the rest
 * nonzero" is kept, which is all that rounding needs: a value that long
 * is never exactly halfway between two doubles unless the kept digits
 * say so).  The buffer is multiplied and divided by powers of two, exactly,
 * in decimal, until it lies in [0.5, 1) times 2^exp; then it is shifted
 * left by the mantissa's bits and rounded to an integer: that integer is
 * the mantissa.  It is the classic "simple decimal conversion" (as in
 * Go's strconv and Wuffs), slow on long inputs but exact and short.
 * Hex floats ("0x1.8p3") need only binary shifts (pack_bin).
 *
 * ERANGE when the result overflows to infinity, or underflows (a zero or
 * subnormal result of a nonzero input). */
#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include "lib/rt/libc/libc.h"

#define DEC_MAX   800	/* significant digits kept; more only set `trunc` */
#define MAX_SHIFT 27	/* (9 << 27) + carry fits 32 bits */

struct fmt { int mant_bits, exp_bits, bias; };
static const struct fmt F64 = { 52, 11, -1023 }, F32 = { 23, 8, -127 };

struct dec {
	int nd;		/* digits in d (no trailing zeros) */
	int dp;		/* value = 0.d[0]d[1]... * 10^dp */
	int trunc;	/* nonzero digits were dropped after d[DEC_MAX-1] */
	unsigned char d[DEC_MAX];	/* digit values 0..9 */
};

static void trim(struct dec *a)
{
	while (a->nd > 0 && a->d[a->nd - 1] == 0)
		a->nd--;
	if (a->nd == 0)
		a->dp = 0;
}

/* a *= 2^k, k <= MAX_SHIFT: from the last digit up, into tmp right-aligned */
static void left_shift(struct dec *a, unsigned k)
{
	unsigned char tmp[DEC_MAX + 12];
	int w = (int)sizeof tmp;
	uint32_t n = 0;
	for (int r = a->nd - 1; r >= 0; r--) {
		n += (uint32_t)a->d[r] << k;
		tmp[--w] = (unsigned char)(n % 10);
		n /= 10;
	}
	while (n) {
		tmp[--w] = (unsigned char)(n % 10);
		n /= 10;
	}
	int len = (int)sizeof tmp - w;
	a->dp += len - a->nd;
	a->nd = len < DEC_MAX ? len : DEC_MAX;
	for (int i = 0; i < len; i++) {
		if (i < DEC_MAX)
			a->d[i] = tmp[w + i];
		else if (tmp[w + i])
			a->trunc = 1;
	}
	trim(a);
}

/* a /= 2^k, k <= MAX_SHIFT: long division, digit by digit */
static void right_shift(struct dec *a, unsigned k)
{
	int r = 0, w = 0;
	uint32_t n = 0, mask = (1u << k) - 1;
	while ((n >> k) == 0) {	/* enough leading digits for a first quotient digit */
		if (r < a->nd) {
			n = n * 10 + a->d[r++];
		} else if (n == 0) {
			a->nd = 0;
			a->dp = 0;
			return;
		} else {
			n *= 10;
			r++;
		}
	}
	a->dp -= r - 1;
	for (; r < a->nd; r++) {
		uint32_t c = a->d[r];
		a->d[w++] = (unsigned char)(n >> k);
		n = (n & mask) * 10 + c;
	}
	while (n) {
		uint32_t dig = n >> k;
		n = (n & mask) * 10;
		if (w < DEC_MAX)
			a->d[w++] = (unsigned char)dig;
		else if (dig)
			a->trunc = 1;
	}
	a->nd = w;
	trim(a);
}

/* a *= 2^k, any k, in steps the digit loops can take */
static void shift(struct dec *a, int k)
{
	for (int n; k > 0; k -= n)
		left_shift(a, (unsigned)(n = k < MAX_SHIFT ? k : MAX_SHIFT));
	for (int n; k < 0; k += n)
		right_shift(a, (unsigned)(n = -k < MAX_SHIFT ? -k : MAX_SHIFT));
}

/* The integer part of a, rounded half to even on the digits after it
 * (and `trunc`, which makes an apparent half more than half). */
static uint64_t rounded_integer(const struct dec *a)
{
	uint64_t n = 0;
	int i = 0;
	for (; i < a->dp && i < a->nd; i++)
		n = n * 10 + a->d[i];
	for (; i < a->dp; i++)
		n *= 10;
	int p = a->dp;
	if (p >= 0 && p < a->nd) {
		int up;
		if (a->d[p] == 5 && p + 1 == a->nd)
			up = a->trunc || (n & 1);
		else
			up = a->d[p] >= 5;
		n += (uint64_t)up;
	}
	return n;
}

static uint64_t inf_bits(const struct fmt *f)
{
	return (((uint64_t)1 << f->exp_bits) - 1) << f->mant_bits;
}

/* The bits (sign aside) of the value in a. */
static uint64_t dec_bits(struct dec *a, const struct fmt *f)
{
	static const unsigned char powtab[] = { 1, 3, 6, 9, 13, 16, 19, 23, 26 };	/* floor(log2(10^i)) */
	const int npow = (int)sizeof powtab;
	if (a->nd == 0)
		return 0;
	if (a->dp > 310)
		goto overflow;
	if (a->dp < -330)
		goto underflow;
	int exp = 0;
	while (a->dp > 0) {	/* down to below 1 */
		int n = a->dp >= npow ? MAX_SHIFT : powtab[a->dp];
		shift(a, -n);
		exp += n;
	}
	while (a->dp < 0 || (a->dp == 0 && a->d[0] < 5)) {	/* up into [0.5, 1) */
		int n = a->dp == 0 ? 1 : -a->dp >= npow ? MAX_SHIFT : powtab[-a->dp];
		shift(a, n);
		exp -= n;
	}
	exp--;	/* [0.5, 1) * 2^exp is [1, 2) * 2^(exp-1) */
	if (exp < f->bias + 1) {	/* subnormal: its exponent is the least */
		shift(a, -(f->bias + 1 - exp));
		exp = f->bias + 1;
	}
	if (exp - f->bias >= (1 << f->exp_bits) - 1)
		goto overflow;
	shift(a, f->mant_bits + 1);
	uint64_t mant = rounded_integer(a);
	if (mant == (uint64_t)2 << f->mant_bits) {	/* rounded up to the next power of two */
		mant >>= 1;
		exp++;
		if (exp - f->bias >= (1 << f->exp_bits) - 1)
			goto overflow;
	}
	if (!(mant >> f->mant_bits)) {	/* subnormal (or zero) */
		errno = ERANGE;
		return mant;
	}
	return (mant & (((uint64_t)1 << f->mant_bits) - 1)) |
	       (uint64_t)(exp - f->bias) << f->mant_bits;
overflow:
	errno = ERANGE;
	return inf_bits(f);
underflow:
	errno = ERANGE;
	return 0;
}

/* The bits (sign aside) of m * 2^e2, plus a little more if sticky. */
static uint64_t pack_bin(uint64_t m, int e2, int sticky, const struct fmt *f)
{
	if (!m)
		return 0;
	while (!(m >> 63)) {
		m <<= 1;
		e2--;
	}
	int e = e2 + 63;	/* m * 2^e2 = 1.xxx * 2^e */
	int min_e = f->bias + 1, max_e = -f->bias;
	if (e > max_e)
		goto overflow;
	int keep = f->mant_bits + 1 - (e < min_e ? min_e - e : 0);	/* bits of m kept */
	if (keep < 0) {
		errno = ERANGE;
		return 0;
	}
	int drop = 64 - keep;	/* 11..64 for doubles */
	uint64_t mant = keep ? m >> drop : 0;
	uint64_t rem = drop == 64 ? m : m & (((uint64_t)1 << drop) - 1);
	uint64_t half = (uint64_t)1 << (drop - 1);
	if (rem > half || (rem == half && (sticky || (mant & 1))))
		mant++;
	if (e < min_e) {	/* subnormal; a carry into bit mant_bits makes it the least normal */
		if (!(mant >> f->mant_bits))
			errno = ERANGE;
		return mant;
	}
	if (mant >> (f->mant_bits + 1)) {
		mant >>= 1;
		if (++e > max_e)
			goto overflow;
	}
	return (mant & (((uint64_t)1 << f->mant_bits) - 1)) | (uint64_t)(e - f->bias) << f->mant_bits;
overflow:
	errno = ERANGE;
	return inf_bits(f);
}

static int hexval(int c)
{
	return isdigit(c) ? c - '0' : isxdigit(c) ? (c | 0x20) - 'a' + 10 : -1;
}

/* Does s start with word, in any case? */
static int word(const char *s, const char *w)
{
	for (; *w; s++, w++)
		if (tolower((unsigned char)*s) != *w)
			return 0;
	return 1;
}

/* An exponent part after the digits: the letter (either case), an
 * optional sign and at least one digit, else nothing (0, *pp unmoved: the
 * letter is not part of the number).  Saturates at 100000, far past any
 * double. */
static int exponent(const char **pp, char letter)
{
	const char *p = *pp;
	if ((*p | 0x20) != letter ||
	    !(isdigit((unsigned char)p[1]) || ((p[1] == '+' || p[1] == '-') && isdigit((unsigned char)p[2]))))
		return 0;
	int neg = *++p == '-', x = 0;
	if (*p == '+' || *p == '-')
		p++;
	for (; isdigit((unsigned char)*p); p++)
		if (x < 100000)
			x = x * 10 + (*p - '0');
	*pp = p;
	return neg ? -x : x;
}

/* After the 0x of a hex float: [h*][.h*][p[+-]d+], at least one digit. */
static const char *parse_hex(const char *p, const struct fmt *f, uint64_t *bits)
{
	uint64_t m = 0;
	int e2 = 0, sticky = 0, digits = 0, point = 0;
	for (;; p++) {
		int h;
		if (*p == '.' && !point) {
			point = 1;
			continue;
		}
		if ((h = hexval((unsigned char)*p)) < 0)
			break;
		digits = 1;
		if (m >> 60) {	/* full: later digits only count */
			sticky |= h != 0;
			if (!point)
				e2 += 4;
		} else {
			m = m * 16 + (unsigned)h;
			if (point)
				e2 -= 4;
		}
	}
	if (!digits)
		return NULL;
	e2 += exponent(&p, 'p');
	*bits = pack_bin(m, e2, sticky, f);
	return p;
}

/* Decimal: d*[.d*][e[+-]d+], at least one digit. */
static const char *parse_dec(const char *p, const struct fmt *f, uint64_t *bits)
{
	struct dec a = { 0, 0, 0, { 0 } };
	int digits = 0, point = 0;
	for (;; p++) {
		if (*p == '.' && !point) {
			point = 1;
			continue;
		}
		if (!isdigit((unsigned char)*p))
			break;
		digits = 1;
		int v = *p - '0';
		if (v == 0 && a.nd == 0) {	/* a leading zero moves only the point */
			if (point)
				a.dp--;
			continue;
		}
		if (!point)
			a.dp++;
		if (a.nd < DEC_MAX)
			a.d[a.nd++] = (unsigned char)v;
		else if (v)
			a.trunc = 1;
	}
	if (!digits)
		return NULL;
	a.dp += exponent(&p, 'e');
	trim(&a);
	*bits = dec_bits(&a, f);
	return p;
}

/* Everything but the final type: the bits with the sign, and *end. */
static uint64_t parse(const char *s, char **end, const struct fmt *f)
{
	const char *p = s;
	uint64_t bits = 0;
	while (isspace((unsigned char)*p))
		p++;
	int neg = 0;
	if (*p == '+' || *p == '-')
		neg = *p++ == '-';
	const char *q;
	if (word(p, "inf")) {
		q = p + (word(p, "infinity") ? 8 : 3);
		bits = inf_bits(f);
	} else if (word(p, "nan")) {
		q = p + 3;
		bits = inf_bits(f) | (uint64_t)1 << (f->mant_bits - 1);	/* the quiet NaN */
		if (*q == '(') {	/* nan(n-char-sequence) */
			const char *r = q + 1;
			while (isalnum((unsigned char)*r) || *r == '_')
				r++;
			if (*r == ')')
				q = r + 1;
		}
	} else if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X') &&
		   (q = parse_hex(p + 2, f, &bits))) {
	} else {
		q = parse_dec(p, f, &bits);	/* "0x" with no hex digits: just the 0 */
	}
	if (!q) {
		if (end)
			*end = (char *)s;
		return 0;
	}
	if (end)
		*end = (char *)q;
	return bits | (uint64_t)neg << (f->mant_bits + f->exp_bits);
}

double strtod(const char *restrict s, char **restrict end)
{
	union { uint64_t u; double d; } v = { parse(s, end, &F64) };
	return v.d;
}

float strtof(const char *restrict s, char **restrict end)
{
	union { uint32_t u; float f; } v = { (uint32_t)parse(s, end, &F32) };
	return v.f;
}

double atof(const char *s)
{
	return strtod(s, NULL);
}
