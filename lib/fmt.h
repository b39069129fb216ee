/* printf-style formatting without a C library: used by the kernel, the
 * servers and the portable compiler/file-system code for error messages.
 * Conversions: %d %i %u %x %X %p %s %c %% with flags '-' '0', a width,
 * and the length modifiers l and ll. */
#ifndef BF_FMT_H
#define BF_FMT_H
#include <stdarg.h>
#include <stddef.h>

int bf_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int bf_snprintf(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
#endif
