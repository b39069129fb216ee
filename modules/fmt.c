/* fmt: a report formatted with the runtime's snprintf (a variadic
 * function: every argument on the stack, floats promoted to double) and
 * one variadic function of the module's own (va_start / va_arg / va_end /
 * va_copy): integers in every base and width, strings, characters,
 * doubles in %f %e %g with precisions.  arg lines; the result hashes
 * every character formatted.  The native reference links glibc's
 * snprintf: the runtime's must print the same characters. */
#include <stdarg.h>
#include <stdint.h>

int snprintf(char *s, unsigned long n, const char *fmt, ...);
int vsnprintf(char *s, unsigned long n, const char *fmt, va_list ap);

static char line[160];

static uint32_t fnv(uint32_t h, const char *s, int n)
{
	for (int i = 0; i < n; i++)
		h = (h ^ (uint8_t)s[i]) * 16777619u;
	return h;
}

/* The sum of n ints, and those ints formatted by vsnprintf through a
 * copy of the list. */
static int sum_and_format(char *out, unsigned long cap, int n, ...)
{
	va_list ap, again;
	va_start(ap, n);
	va_copy(again, ap);
	int s = 0;
	for (int i = 0; i < n; i++)
		s += va_arg(ap, int);
	va_end(ap);
	vsnprintf(out, cap, "%d %d %d|", again);
	va_end(again);
	return s;
}

int module_main(int arg)
{
	uint32_t h = 2166136261u;
	double x = 1.0;
	for (int i = 0; i < arg; i++) {
		x = x * 1.37 - 0.0625 * i;
		int n = snprintf(line, sizeof line, "%4d|%-6x|%08X|%+lld|%c|%.3s|%10.4f|%.2e|%g|%u",
				 i, i * 977, (unsigned)i * 2654435761u, (long long)i * -123456789012ll,
				 'a' + i % 26, &"bareflow"[i % 5], x, x * 1e-7, x / 3.0, (unsigned)-i);
		h = fnv(h, line, n);
		int s = sum_and_format(line, sizeof line, 3, i, -i * 2, i * i);
		h = fnv(h, line, (int)__builtin_strlen(line)) + (uint32_t)s;
	}
	return (int)(h & 0x7fffffff);
}
