/* stdio.h for modules: the printf family of the module runtime
 * (lib/rt/printf.c): printf and puts write to the console, snprintf and
 * sprintf to memory.  C's conversions, doubles correctly rounded. */
#ifndef BF_RT_STDIO_H
#define BF_RT_STDIO_H
#include <stdarg.h>
#include <stddef.h>
#define EOF (-1)

int printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int vprintf(const char *fmt, va_list ap);
int snprintf(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int sprintf(char *buf, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int vsprintf(char *buf, const char *fmt, va_list ap);
int puts(const char *s);
int putchar(int c);
/* BareFlow's own: printf under another name, and a plain string */
int rt_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void rt_print(const char *s);
#endif
