/* abs, div and their long/long long forms.  C leaves abs(INT_MIN) and a
 * zero divisor undefined; here abs(INT_MIN) is INT_MIN (the two's
 * complement wrap, done in unsigned arithmetic so the compiler cannot
 * assume otherwise) and div by zero faults as the division itself does. */
#include <stdlib.h>

int abs(int x)             { return x < 0 ? (int)(0u - (unsigned)x) : x; }
long labs(long x)          { return x < 0 ? (long)(0ul - (unsigned long)x) : x; }
long long llabs(long long x) { return x < 0 ? (long long)(0ull - (unsigned long long)x) : x; }

/* C99 and later truncate toward zero, which is what / and % do */
div_t div(int num, int den)
{
	div_t r = { num / den, num % den };
	return r;
}

ldiv_t ldiv(long num, long den)
{
	ldiv_t r = { num / den, num % den };
	return r;
}

lldiv_t lldiv(long long num, long long den)
{
	lldiv_t r = { num / den, num % den };	/* gcc: __divmoddi4 (lib/divmod64.c) */
	return r;
}
