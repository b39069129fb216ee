/* 64-bit division helpers that gcc and clang call on i386 (__udivdi3 and
 * friends).  Ours, because the guest links no compiler runtime: the kernel,
 * servers and JIT-compiled modules all use these.  Shift-subtract long
 * division; a fast path when both operands fit in 32 bits. */
#include <stdint.h>

uint64_t __udivmoddi4(uint64_t n, uint64_t d, uint64_t *rem);

uint64_t __udivmoddi4(uint64_t n, uint64_t d, uint64_t *rem)
{
	uint64_t q = 0, r = 0;
	if (d == 0) {		/* the hardware would trap; callers check first */
		if (rem)
			*rem = 0;
		return ~0ull;
	}
	if ((n >> 32) == 0 && (d >> 32) == 0) {
		uint32_t n32 = (uint32_t)n, d32 = (uint32_t)d;
		if (rem)
			*rem = n32 % d32;
		return n32 / d32;
	}
	for (int i = 63; i >= 0; i--) {
		r = (r << 1) | ((n >> i) & 1);
		if (r >= d) {
			r -= d;
			q |= 1ull << i;
		}
	}
	if (rem)
		*rem = r;
	return q;
}

uint64_t __udivdi3(uint64_t n, uint64_t d);
uint64_t __umoddi3(uint64_t n, uint64_t d);
int64_t __divdi3(int64_t n, int64_t d);
int64_t __moddi3(int64_t n, int64_t d);

uint64_t __udivdi3(uint64_t n, uint64_t d) { return __udivmoddi4(n, d, 0); }

uint64_t __umoddi3(uint64_t n, uint64_t d)
{
	uint64_t r;
	__udivmoddi4(n, d, &r);
	return r;
}

int64_t __divdi3(int64_t n, int64_t d)
{
	uint64_t un = n < 0 ? -(uint64_t)n : (uint64_t)n;
	uint64_t ud = d < 0 ? -(uint64_t)d : (uint64_t)d;
	uint64_t q = __udivmoddi4(un, ud, 0);
	return (int64_t)(((n < 0) != (d < 0)) ? -q : q);
}

int64_t __moddi3(int64_t n, int64_t d)
{
	uint64_t un = n < 0 ? -(uint64_t)n : (uint64_t)n;
	uint64_t ud = d < 0 ? -(uint64_t)d : (uint64_t)d;
	uint64_t r;
	__udivmoddi4(un, ud, &r);
	return (int64_t)(n < 0 ? -r : r);
}

/* Quotient and remainder at once: gcc calls it where code computes both
 * (lib/rt/libc/intops.c's lldiv). */
int64_t __divmoddi4(int64_t n, int64_t d, int64_t *rem);
int64_t __divmoddi4(int64_t n, int64_t d, int64_t *rem)
{
	int64_t q = __divdi3(n, d);
	if (rem)
		*rem = n - q * d;
	return q;
}
