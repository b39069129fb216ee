/* A small vsnprintf.  Always NUL-terminates (when size > 0) and returns
 * the length the full output would have had, as C's does. */
#include <stdint.h>
#include "lib/fmt.h"

struct out {
	char *buf;
	size_t size, len;
};

static void put(struct out *o, char c)
{
	if (o->len + 1 < o->size)
		o->buf[o->len] = c;
	o->len++;
}

static void put_padded(struct out *o, const char *s, size_t n, int width,
		       int left, char pad)
{
	int fill = width > (int)n ? width - (int)n : 0;
	if (!left)
		while (fill-- > 0)
			put(o, pad);
	for (size_t i = 0; i < n; i++)
		put(o, s[i]);
	if (left)
		while (fill-- > 0)
			put(o, ' ');
}

/* Digits of v in base 10 or 16 into tmp (backwards); 64-bit values are
 * split so that only 32-bit division is needed. */
static size_t to_digits(uint64_t v, unsigned base, int upper, char *tmp)
{
	const char *dig = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	size_t n = 0;
	if (base == 16) {
		do {
			tmp[n++] = dig[v & 15];
			v >>= 4;
		} while (v);
		return n;
	}
	do {
		/* v = hi * 2^32 + lo; divide by 10 one 32-bit half at a time */
		uint32_t hi = (uint32_t)(v >> 32), lo = (uint32_t)v;
		uint32_t qhi = hi / 10, r = hi % 10;
		uint64_t mid = ((uint64_t)r << 32) | lo;
		/* mid < 10 * 2^32, so split again into 16-bit steps */
		uint32_t a = (uint32_t)(mid >> 16);          /* < 10 * 2^16 */
		uint32_t qa = a / 10, ra = a % 10;
		uint32_t b = (ra << 16) | (lo & 0xffff);
		uint32_t qb = b / 10, rb = b % 10;
		uint64_t q = ((uint64_t)qhi << 32) | ((uint64_t)qa << 16) | qb;
		tmp[n++] = dig[rb];
		v = q;
	} while (v);
	return n;
}

int bf_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct out o = { buf, size, 0 };
	for (; *fmt; fmt++) {
		if (*fmt != '%') {
			put(&o, *fmt);
			continue;
		}
		fmt++;
		int left = 0, width = 0, lng = 0;
		char pad = ' ';
		for (;; fmt++) {
			if (*fmt == '-')
				left = 1;
			else if (*fmt == '0')
				pad = '0';
			else
				break;
		}
		while (*fmt >= '0' && *fmt <= '9')
			width = width * 10 + (*fmt++ - '0');
		while (*fmt == 'l') {
			lng++;
			fmt++;
		}
		if (*fmt == 'z')
			fmt++;
		char tmp[24], num[26];
		switch (*fmt) {
		case 'd': case 'i': case 'u': case 'x': case 'X': case 'p': {
			uint64_t v;
			int neg = 0;
			unsigned base = (*fmt == 'x' || *fmt == 'X' || *fmt == 'p') ? 16 : 10;
			if (*fmt == 'p')
				v = (uintptr_t)va_arg(ap, void *);
			else if (*fmt == 'd' || *fmt == 'i') {
				int64_t s = lng >= 2 ? va_arg(ap, long long)
					  : lng ? va_arg(ap, long) : va_arg(ap, int);
				neg = s < 0;
				v = neg ? -(uint64_t)s : (uint64_t)s;
			} else {
				v = lng >= 2 ? va_arg(ap, unsigned long long)
				  : lng ? va_arg(ap, unsigned long) : va_arg(ap, unsigned);
			}
			size_t n = to_digits(v, base, *fmt == 'X', tmp), k = 0;
			if (*fmt == 'p') {
				num[k++] = '0';
				num[k++] = 'x';
			}
			if (neg && pad == '0' && !left) {
				put(&o, '-');
				width--;
			} else if (neg)
				num[k++] = '-';
			while (n)
				num[k++] = tmp[--n];
			put_padded(&o, num, k, width, left, left ? ' ' : pad);
			break;
		}
		case 's': {
			const char *s = va_arg(ap, const char *);
			if (!s)
				s = "(null)";
			size_t n = 0;
			while (s[n])
				n++;
			put_padded(&o, s, n, width, left, ' ');
			break;
		}
		case 'c': {
			char c = (char)va_arg(ap, int);
			put_padded(&o, &c, 1, width, left, ' ');
			break;
		}
		case '%':
			put(&o, '%');
			break;
		case '\0':
			fmt--;
			break;
		default:
			put(&o, '%');
			put(&o, *fmt);
		}
	}
	if (size)
		o.buf[o.len < size ? o.len : size - 1] = '\0';
	return (int)o.len;
}

int bf_snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = bf_vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
