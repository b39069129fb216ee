/* printf's formatting, without a C library: the kernel's messages, the
 * servers', and the module runtime's printf family (lib/rt/printf.c).
 *
 *   %[flags][width][.precision][length]conversion
 *   flags - + space # 0;  width and precision as digits or *;
 *   length hh h l ll z j t, and L with f e g (F E G): a long double
 *   that is a double -- modules are built with -mlong-double-64 (the
 *   JIT has no x87 arithmetic), and nothing else here prints one;
 *   d i u o x X c s p %, and f F e E g G for doubles.
 *
 * As C (and glibc) specify them; %f %e %g are correctly rounded at any
 * precision (every exact digit of the value, below, rounded half to even
 * on them), inf/nan as glibc prints them ("-nan" for a negative NaN), %p
 * "0x..." or "(nil)".  %n is refused (printed as is), as is anything
 * unknown.  No floating-point instruction is used: a double is taken from
 * the argument list as its 64 bits (on i386 a double argument is 8 bytes
 * on the stack, like a long long), so the kernel can link this too.
 *
 * Output goes to a string (bf_vsnprintf: always NUL-terminated when size >
 * 0; returns the length the whole output would have had) or through a
 * small buffer to a write function (bf_vformat: rt_printf's console). */
#include <stdint.h>
#include "lib/fmt.h"

struct out {
	char *buf;
	size_t cap, pos;	/* sink mode: bytes waiting in buf */
	size_t total;		/* characters produced */
	void (*write)(void *ctx, const char *s, size_t n);
	void *ctx;
};

static void put(struct out *o, char c)
{
	if (o->write) {
		if (o->pos == o->cap) {
			o->write(o->ctx, o->buf, o->pos);
			o->pos = 0;
		}
		o->buf[o->pos++] = c;
	} else if (o->total + 1 < o->cap)
		o->buf[o->total] = c;
	o->total++;
}

static void puts_n(struct out *o, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		put(o, s[i]);
}

static void pad(struct out *o, char c, int n)
{
	while (n-- > 0)
		put(o, c);
}

struct spec {
	int left, plus, space, alt, zero;
	int width, prec;	/* prec < 0: none given */
	char conv;
};

/* Digits of v in base 8, 10 or 16, backwards into tmp; 64-bit values are
 * split so that only 32-bit division is needed. */
static size_t to_digits(uint64_t v, unsigned base, int upper, char *tmp)
{
	const char *dig = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	size_t n = 0;
	if (base != 10) {
		unsigned shift = base == 16 ? 4 : 3;
		while (v) {
			tmp[n++] = dig[v & (base - 1)];
			v >>= shift;
		}
		return n;
	}
	while (v) {
		/* v = hi 2^32 + lo; divide by 10 one 32-bit half at a time */
		uint32_t hi = (uint32_t)(v >> 32), lo = (uint32_t)v;
		uint32_t qhi = hi / 10, r = hi % 10;
		uint32_t a = (r << 16) | (lo >> 16);	/* < 10 * 2^16 */
		uint32_t qa = a / 10, ra = a % 10;
		uint32_t b = (ra << 16) | (lo & 0xffff);
		uint32_t qb = b / 10, rb = b % 10;
		tmp[n++] = dig[rb];
		v = ((uint64_t)qhi << 32) | ((uint64_t)qa << 16) | qb;
	}
	return n;
}

/* [prefix][zeros][body], padded to the width: the layout of every
 * numeric conversion. */
static void emit(struct out *o, const struct spec *sp, const char *prefix, size_t np,
		 int zeros, const char *body, size_t nb, int zero_pad)
{
	int len = (int)(np + nb) + zeros;
	int fill = sp->width > len ? sp->width - len : 0;
	if (!sp->left && !zero_pad)
		pad(o, ' ', fill);
	puts_n(o, prefix, np);
	if (!sp->left && zero_pad)
		pad(o, '0', fill);
	pad(o, '0', zeros);
	puts_n(o, body, nb);
	if (sp->left)
		pad(o, ' ', fill);
}

static void fmt_int(struct out *o, const struct spec *sp, uint64_t v, int neg)
{
	char tmp[24], prefix[3];
	size_t np = 0;
	unsigned base = sp->conv == 'o' ? 8 : (sp->conv == 'x' || sp->conv == 'X') ? 16 : 10;
	size_t n = to_digits(v, base, sp->conv == 'X', tmp);
	char body[24];
	for (size_t i = 0; i < n; i++)
		body[i] = tmp[n - 1 - i];
	if (neg)
		prefix[np++] = '-';
	else if ((sp->conv == 'd' || sp->conv == 'i') && sp->plus)
		prefix[np++] = '+';
	else if ((sp->conv == 'd' || sp->conv == 'i') && sp->space)
		prefix[np++] = ' ';
	int prec = sp->prec < 0 ? 1 : sp->prec;	/* minimum digits: "0" for 0, "" for %.0d */
	int zeros = prec > (int)n ? prec - (int)n : 0;
	if (sp->alt && base == 16 && v) {
		prefix[np++] = '0';
		prefix[np++] = sp->conv;
	}
	if (sp->alt && base == 8 && zeros == 0 && (n == 0 || body[0] != '0'))
		zeros = 1;
	emit(o, sp, prefix, np, zeros, body, n, sp->zero && sp->prec < 0);
}

/* ---- the exact decimal digits of a double --------------------------
 * Integer arithmetic only, on a big number of 32-bit limbs:
 *   m 2^e, e >= 0:  the integer m 2^e            (at most 1024 bits),
 *   m 2^-k:         m 5^k, the point k places up (at most 2547 bits),
 * written out in base 10^9 by repeated division.  Every digit of the value
 * is produced (a double has at most 767 significant ones), so rounding at
 * any precision is exact. */

#define LIMBS 84	/* 2688 bits >= 53 + log2(5^1074) */

static int bn_mul_small(uint32_t *a, int n, uint32_t f)
{
	uint32_t carry = 0;
	for (int i = 0; i < n; i++) {
		uint64_t t = (uint64_t)a[i] * f + carry;
		a[i] = (uint32_t)t;
		carry = (uint32_t)(t >> 32);
	}
	if (carry)
		a[n++] = carry;
	return n;
}

/* a /= d (d < 2^32), returns the remainder; n limbs, trailing zero limbs
 * trimmed through *n */
static uint32_t bn_div_small(uint32_t *a, int *n, uint32_t d)
{
	uint32_t rem = 0;
	for (int i = *n - 1; i >= 0; i--) {
		uint64_t cur = ((uint64_t)rem << 32) | a[i];
		uint32_t q = (uint32_t)(cur / d);
		rem = (uint32_t)(cur - (uint64_t)q * d);
		a[i] = q;
	}
	while (*n > 0 && a[*n - 1] == 0)
		(*n)--;
	return rem;
}

int bf_exact_digits(uint64_t m, int e, char *d, int *dexp)
{
	if (m == 0) {
		d[0] = '0';
		*dexp = 0;
		return 1;
	}
	while (!(m & 1)) {		/* fewer bits, same value */
		m >>= 1;
		e++;
	}
	uint32_t a[LIMBS];
	int n = 0, k = 0;
	a[n++] = (uint32_t)m;
	if (m >> 32)
		a[n++] = (uint32_t)(m >> 32);
	if (e >= 0) {
		int words = e / 32, bits = e % 32;
		for (int i = n - 1; i >= 0; i--)
			a[i + words] = a[i];
		for (int i = 0; i < words; i++)
			a[i] = 0;
		n += words;
		if (bits) {
			uint32_t carry = 0;
			for (int i = words; i < n; i++) {
				uint32_t v = a[i];
				a[i] = (v << bits) | carry;
				carry = v >> (32 - bits);
			}
			if (carry)
				a[n++] = carry;
		}
	} else {
		k = -e;
		int r = k;
		for (; r >= 13; r -= 13)
			n = bn_mul_small(a, n, 1220703125u);	/* 5^13 */
		uint32_t f = 1;
		while (r--)
			f *= 5;
		if (f > 1)
			n = bn_mul_small(a, n, f);
	}
	/* base 10^9 chunks, least significant first */
	uint32_t chunk[LIMBS + 8];
	int nc = 0;
	while (n > 0)
		chunk[nc++] = bn_div_small(a, &n, 1000000000u);
	int len = 0;
	for (int c = nc - 1; c >= 0; c--) {
		char t[9];
		uint32_t v = chunk[c];
		for (int i = 8; i >= 0; i--) {
			t[i] = (char)('0' + v % 10);
			v /= 10;
		}
		int i = 0;
		if (c == nc - 1)
			while (i < 8 && t[i] == '0')
				i++;	/* no leading zeros */
		for (; i < 9; i++)
			d[len++] = t[i];
	}
	*dexp = len - 1 - k;
	while (len > 1 && d[len - 1] == '0')
		len--;
	return len;
}

/* ---- floating point ----------------------------------------------- */

#define FP_DIGITS 800	/* >= the 767 significant digits a double can have */

/* Keep `keep` significant digits of d[0..n) (value 0.d... scaled so that
 * d[0] has decimal exponent *dexp), rounding half to even on the exact
 * digits.  keep may be 0 or negative (the cut is above the first digit).
 * Returns the new digit count (0: the value rounded to zero). */
static int round_digits(char *d, int n, int *dexp, int keep)
{
	if (keep >= n)
		return n;
	int up;
	if (keep < 0)
		up = 0;
	else {
		char c = d[keep];
		int rest = 0;
		for (int i = keep + 1; i < n; i++)
			rest |= d[i] != '0';
		if (c != '5')
			up = c > '5';
		else if (rest)
			up = 1;
		else		/* a tie: to even (the kept part is 0 when keep == 0) */
			up = keep > 0 && ((d[keep - 1] - '0') & 1);
	}
	if (!up) {
		while (keep > 0 && d[keep - 1] == '0')
			keep--;
		return keep > 0 ? keep : 0;
	}
	int i = keep - 1;
	while (i >= 0 && d[i] == '9')
		d[i--] = '0';
	if (i < 0) {		/* 99.9 -> 100: one digit more at the top */
		d[0] = '1';
		(*dexp)++;
		return 1;
	}
	d[i]++;
	while (keep > 1 && d[keep - 1] == '0')
		keep--;
	return keep > 0 ? keep : 1;
}

/* the digit of decimal exponent p, given the digits d[0..n) from dexp down */
static char digit_at(const char *d, int n, int dexp, int p)
{
	int i = dexp - p;
	return i >= 0 && i < n ? d[i] : '0';
}

static __attribute__((noinline)) void fmt_float(struct out *o, const struct spec *sp0, uint64_t bits)
{
	struct spec s = *sp0;
	int neg = (int)(bits >> 63);
	int exp2 = (int)((bits >> 52) & 0x7FF);
	uint64_t frac = bits & 0x000FFFFFFFFFFFFFull;
	int upper = s.conv == 'F' || s.conv == 'E' || s.conv == 'G';
	char conv = (char)(s.conv | 0x20);	/* f e g */
	char prefix[2];
	size_t np = 0;
	if (neg)
		prefix[np++] = '-';
	else if (s.plus)
		prefix[np++] = '+';
	else if (s.space)
		prefix[np++] = ' ';
	if (exp2 == 0x7FF) {
		const char *w = frac ? (upper ? "NAN" : "nan") : (upper ? "INF" : "inf");
		emit(o, &s, prefix, np, 0, w, 3, 0);
		return;
	}
	char d[FP_DIGITS];
	int dexp;
	uint64_t m = exp2 ? frac | (1ull << 52) : frac;
	int n = bf_exact_digits(m, exp2 ? exp2 - 1075 : -1074, d, &dexp);
	int prec = s.prec < 0 ? 6 : s.prec;
	int strip = 0;		/* %g without #: no trailing zeros */
	if (conv == 'g') {
		int P = prec ? prec : 1;
		int X = dexp;	/* the exponent %e would show */
		char t[FP_DIGITS];
		for (int i = 0; i < n; i++)
			t[i] = d[i];
		if (!(n == 1 && d[0] == '0'))
			round_digits(t, n, &X, P);
		if (P > X && X >= -4) {
			conv = 'f';
			prec = P - 1 - X;
		} else {
			conv = 'e';
			prec = P - 1;
		}
		strip = !s.alt;
	}
	int zero = n == 1 && d[0] == '0';
	if (conv == 'e') {
		if (!zero)
			n = round_digits(d, n, &dexp, prec + 1);
		else
			dexp = 0;
	} else if (!zero) {
		n = round_digits(d, n, &dexp, dexp + 1 + prec);
		if (n == 0) {
			d[0] = '0';
			n = 1;
			dexp = 0;
			zero = 1;
		}
	}
	/* the body: [int digits][.][frac digits][e+XX] */
	int frac_digits = prec;
	if (strip) {	/* only the fraction digits up to the last nonzero one */
		int need = zero ? 0 : conv == 'e' ? n - 1 : n - 1 - dexp;
		if (need < 0)
			need = 0;
		if (need < frac_digits)
			frac_digits = need;
	}
	int dot = frac_digits > 0 || s.alt;
	int int_len = conv == 'e' ? 1 : (dexp >= 0 ? dexp + 1 : 1);
	char ebuf[8];
	int elen = 0;
	if (conv == 'e') {
		int x = zero ? 0 : dexp;
		ebuf[elen++] = upper ? 'E' : 'e';
		ebuf[elen++] = x < 0 ? '-' : '+';
		if (x < 0)
			x = -x;
		char t[5];
		int k = 0;
		do {
			t[k++] = (char)('0' + x % 10);
			x /= 10;
		} while (x);
		if (k < 2)
			t[k++] = '0';
		while (k)
			ebuf[elen++] = t[--k];
	}
	int len = (int)np + int_len + dot + frac_digits + elen;
	int fill = s.width > len ? s.width - len : 0;
	if (!s.left && !s.zero)
		pad(o, ' ', fill);
	puts_n(o, prefix, np);
	if (!s.left && s.zero)
		pad(o, '0', fill);
	if (conv == 'e') {
		put(o, zero ? '0' : d[0]);
		if (dot)
			put(o, '.');
		for (int i = 1; i <= frac_digits; i++)
			put(o, i < n ? d[i] : '0');
		puts_n(o, ebuf, (size_t)elen);
	} else {
		if (dexp < 0 || zero)
			put(o, '0');
		else
			for (int p = dexp; p >= 0; p--)
				put(o, digit_at(d, n, dexp, p));
		if (dot)
			put(o, '.');
		for (int i = 1; i <= frac_digits; i++)
			put(o, zero ? '0' : digit_at(d, n, dexp, -i));
	}
	if (s.left)
		pad(o, ' ', fill);
}

/* ---- the driver ---------------------------------------------------- */

static int vformat(struct out *o, const char *fmt, va_list ap)
{
	for (; *fmt; fmt++) {
		if (*fmt != '%') {
			put(o, *fmt);
			continue;
		}
		const char *start = fmt++;
		struct spec sp = { 0, 0, 0, 0, 0, 0, -1, 0 };
		for (;; fmt++) {
			if (*fmt == '-') sp.left = 1;
			else if (*fmt == '+') sp.plus = 1;
			else if (*fmt == ' ') sp.space = 1;
			else if (*fmt == '#') sp.alt = 1;
			else if (*fmt == '0') sp.zero = 1;
			else break;
		}
		if (*fmt == '*') {
			sp.width = va_arg(ap, int);
			if (sp.width < 0) {
				sp.left = 1;
				sp.width = -sp.width;
			}
			fmt++;
		} else
			while (*fmt >= '0' && *fmt <= '9')
				sp.width = sp.width * 10 + (*fmt++ - '0');
		if (*fmt == '.') {
			fmt++;
			sp.prec = 0;
			if (*fmt == '*') {
				sp.prec = va_arg(ap, int);
				if (sp.prec < 0)
					sp.prec = -1;
				fmt++;
			} else
				while (*fmt >= '0' && *fmt <= '9')
					sp.prec = sp.prec * 10 + (*fmt++ - '0');
		}
		int len = 0;	/* -2 hh, -1 h, 0 int, 1 long, 2 long long; 3: L (only
				 * with f e g: a double, -mlong-double-64) */
		if (*fmt == 'h') {
			len = -1;
			if (*++fmt == 'h') {
				len = -2;
				fmt++;
			}
		} else if (*fmt == 'l') {
			len = 1;
			if (*++fmt == 'l') {
				len = 2;
				fmt++;
			}
		} else if (*fmt == 'j') {
			len = 2;
			fmt++;
		} else if (*fmt == 'z' || *fmt == 't') {
			len = sizeof(size_t) == 8 ? 2 : 0;
			fmt++;
		} else if (*fmt == 'L') {
			len = 3;
			fmt++;
		}
		sp.conv = *fmt;
		if (sp.left)
			sp.zero = 0;
		if (sp.plus)
			sp.space = 0;
		switch (sp.conv) {
		case 'd': case 'i': {
			if (len == 3)
				goto literal;
			int64_t v = len == 2 ? va_arg(ap, long long) : len == 1 ? va_arg(ap, long) : va_arg(ap, int);
			if (len == -1)
				v = (short)v;
			else if (len == -2)
				v = (signed char)v;
			fmt_int(o, &sp, v < 0 ? -(uint64_t)v : (uint64_t)v, v < 0);
			break;
		}
		case 'u': case 'x': case 'X': case 'o': {
			if (len == 3)
				goto literal;
			uint64_t v = len == 2 ? va_arg(ap, unsigned long long)
				   : len == 1 ? va_arg(ap, unsigned long) : va_arg(ap, unsigned);
			if (len == -1)
				v = (unsigned short)v;
			else if (len == -2)
				v = (unsigned char)v;
			fmt_int(o, &sp, v, 0);
			break;
		}
		case 'p': {
			uintptr_t v = (uintptr_t)va_arg(ap, void *);
			if (!v) {
				struct spec s2 = sp;
				s2.prec = -1;
				emit(o, &s2, "", 0, 0, "(nil)", 5, 0);
				break;
			}
			sp.conv = 'x';
			sp.alt = 1;
			sp.plus = sp.space = 0;
			fmt_int(o, &sp, v, 0);
			break;
		}
		case 'f': case 'F': case 'e': case 'E': case 'g': case 'G': {
			uint64_t bits;	/* L (len 3): read as a double too, above */
#if defined(__i386__)
			bits = va_arg(ap, uint64_t);	/* a double, as its 8 bytes */
#else
			double dv = va_arg(ap, double);
			__builtin_memcpy(&bits, &dv, sizeof bits);
#endif
			fmt_float(o, &sp, bits);
			break;
		}
		case 's': {
			const char *s = va_arg(ap, const char *);
			if (!s)
				s = sp.prec < 0 || sp.prec >= 6 ? "(null)" : "";
			size_t n = 0;
			while (s[n] && (sp.prec < 0 || n < (size_t)sp.prec))
				n++;
			struct spec s2 = sp;
			emit(o, &s2, "", 0, 0, s, n, 0);
			break;
		}
		case 'c': {
			char c = (char)va_arg(ap, int);
			emit(o, &sp, "", 0, 0, &c, 1, 0);
			break;
		}
		case '%':
			put(o, '%');
			break;
		default:
		literal:
			/* unknown, %n, %L..., cut short: the directive as written */
			while (start <= fmt && *start)
				put(o, *start++);
			if (!*fmt)
				fmt--;	/* the loop's fmt++ lands on the end */
		}
	}
	return (int)o->total;
}

int bf_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct out o = { buf, size, 0, 0, 0, 0 };
	int n = vformat(&o, fmt, ap);
	if (size)
		buf[o.total < size ? o.total : size - 1] = '\0';
	return n;
}

int bf_snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = bf_vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

int bf_vformat(void (*write)(void *ctx, const char *s, size_t n), void *ctx,
	       char *buf, size_t bufsize, const char *fmt, va_list ap)
{
	struct out o = { buf, bufsize, 0, 0, write, ctx };
	int n = vformat(&o, fmt, ap);
	if (o.pos)
		write(ctx, buf, o.pos);
	return n;
}
