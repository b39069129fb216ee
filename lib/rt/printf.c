/* The printf family for modules: printf (also as rt_printf), vprintf,
 * puts, putchar write to the console (SYS_CONSOLE_WRITE, one of the three
 * calls a module task may make), through a buffer on the stack; snprintf,
 * vsnprintf, sprintf, vsprintf format into memory.  The formatting is
 * lib/fmt.c's (C's conversions, doubles correctly rounded).  No state
 * outside the caller's stack: the runtime has no writable data. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include "lib/fmt.h"
#include "lib/user/sys.h"

int rt_printf(const char *fmt, ...);
int printf(const char *fmt, ...);
int vprintf(const char *fmt, va_list ap);
int snprintf(char *buf, size_t size, const char *fmt, ...);
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int sprintf(char *buf, const char *fmt, ...);
int vsprintf(char *buf, const char *fmt, va_list ap);
int puts(const char *s);
int putchar(int c);

/* through the runtime's gate (gate.asm): its only way into the kernel */
static void write_console(const char *s, uint32_t n)
{
	bf_sys(SYS_CONSOLE_WRITE, (uint32_t)s, n, 0, 0, 0, 0);
}

static void console(void *ctx, const char *s, size_t n)
{
	(void)ctx;
	write_console(s, (uint32_t)n);
}

int vprintf(const char *fmt, va_list ap)
{
	char buf[128];
	return bf_vformat(console, 0, buf, sizeof buf, fmt, ap);
}

int printf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vprintf(fmt, ap);
	va_end(ap);
	return n;
}

int rt_printf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vprintf(fmt, ap);
	va_end(ap);
	return n;
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	return bf_vsnprintf(buf, size, fmt, ap);
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = bf_vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

int vsprintf(char *buf, const char *fmt, va_list ap)
{
	return bf_vsnprintf(buf, SIZE_MAX, fmt, ap);
}

int sprintf(char *buf, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = bf_vsnprintf(buf, SIZE_MAX, fmt, ap);
	va_end(ap);
	return n;
}

int puts(const char *s)
{
	uint32_t n = 0;
	while (s[n])
		n++;
	write_console(s, n);
	write_console("\n", 1);
	return (int)n + 1;
}

int putchar(int c)
{
	char ch = (char)c;
	write_console(&ch, 1);
	return (unsigned char)ch;
}
