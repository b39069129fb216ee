/* printf-style formatting without a C library (lib/fmt.c): used by the
 * kernel, the servers, the portable compiler/file-system code for error
 * messages, and the module runtime's printf family.  C's conversions
 * d i u o x X c s p % f F e E g G with flags - + space # 0, width,
 * precision and the lengths hh h l ll z j t; no floating-point
 * instruction is used. */
#ifndef BF_FMT_H
#define BF_FMT_H
#include <stdarg.h>
#include <stddef.h>

int bf_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int bf_snprintf(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Through buf (bufsize bytes) to write(ctx, s, n) as it fills; returns the
 * characters produced. */
int bf_vformat(void (*write)(void *ctx, const char *s, size_t n), void *ctx,
	       char *buf, size_t bufsize, const char *fmt, va_list ap);
/* every significant decimal digit of m 2^e, exactly, into d
 * (up to 800 characters); *dexp: the decimal exponent of d[0]. */
#include <stdint.h>
int bf_exact_digits(uint64_t m, int e, char *d, int *dexp);
#endif
