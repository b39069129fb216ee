/* The conversions between floating point and 64-bit (and unsigned 32-bit)
 * integers that compilers call on i386, under compiler-rt's names, with its
 * semantics: toward zero; a value out of range saturates, and so does NaN
 * (by its sign bit); a negative one to unsigned gives 0.  Integer arithmetic on the bits
 * only -- a cast here could compile back into a call to itself. */
#include "lib/rt/math/m.h"

/* |a| truncated, for a value with the given bits; *big = does not fit in
 * `width` bits */
static uint64_t trunc_bits(uint64_t u, int width, int *big)
{
	int e = (int)((u >> 52) & 0x7FF) - 1023;
	*big = 0;
	if (e < 0)
		return 0;
	if (e >= width) {
		*big = 1;
		return 0;
	}
	uint64_t m = (u & 0x000FFFFFFFFFFFFFull) | 0x0010000000000000ull;
	return e >= 52 ? m << (e - 52) : m >> (52 - e);
}

int64_t __fixdfdi(double a)
{
	uint64_t u = asu64(a);
	int big, neg = (int)(u >> 63);
	uint64_t v = trunc_bits(u, 63, &big);
	if (big)
		return neg ? INT64_MIN : INT64_MAX;	/* also -2^63 itself, and NaN */
	return neg ? -(int64_t)v : (int64_t)v;
}

uint64_t __fixunsdfdi(double a)
{
	uint64_t u = asu64(a);
	if (u >> 63)
		return 0;
	int big;
	uint64_t v = trunc_bits(u, 64, &big);
	return big ? UINT64_MAX : v;
}

uint32_t __fixunsdfsi(double a)
{
	uint64_t v = __fixunsdfdi(a);
	return v > 0xFFFFFFFFull ? 0xFFFFFFFFu : (uint32_t)v;
}

/* float -> double bits (exact; both NaN kinds stay NaN) */
static uint64_t widen(float f)
{
	uint32_t u = asu32(f);
	uint64_t s = (uint64_t)(u >> 31) << 63;
	uint32_t e = (u >> 23) & 0xFF, m = u & 0x7FFFFF;
	if (e == 0xFF)
		return s | 0x7FF0000000000000ull | ((uint64_t)m << 29);
	if (e == 0) {
		if (m == 0)
			return s;
		int k = 0;				/* subnormal float: normal double */
		while (!(m & 0x800000)) { m <<= 1; k++; }
		return s | ((uint64_t)(1023 - 126 - k) << 52) | ((uint64_t)(m & 0x7FFFFF) << 29);
	}
	return s | ((uint64_t)(e - 127 + 1023) << 52) | ((uint64_t)m << 29);
}

int64_t __fixsfdi(float a) { return __fixdfdi(asdouble(widen(a))); }
uint64_t __fixunssfdi(float a) { return __fixunsdfdi(asdouble(widen(a))); }
uint32_t __fixunssfsi(float a) { return __fixunsdfsi(asdouble(widen(a))); }

/* v != 0 rounded to `bits` significant bits (nearest, ties to even):
 * returns the significand (with its top bit) and sets *e so that the value
 * is m 2^*e */
static uint64_t round_sig(uint64_t v, int bits, int *e)
{
	int lz = 0;
	while (!(v >> 63)) { v <<= 1; lz++; }
	int drop = 64 - bits;
	uint64_t m = v >> drop, rest = v & ((1ull << drop) - 1), half = 1ull << (drop - 1);
	*e = (63 - lz) - (bits - 1);
	if (rest > half || (rest == half && (m & 1))) {
		m++;
		if (m >> bits) {
			m >>= 1;
			(*e)++;
		}
	}
	return m;
}

double __floatundidf(uint64_t a)
{
	if (a == 0)
		return 0.0;
	int e;
	uint64_t m = round_sig(a, 53, &e);
	return asdouble(((uint64_t)(e + 52 + 1023) << 52) | (m & 0x000FFFFFFFFFFFFFull));
}

double __floatdidf(int64_t a)
{
	uint64_t v = a < 0 ? -(uint64_t)a : (uint64_t)a;
	double d = __floatundidf(v);
	return a < 0 ? -d : d;
}

float __floatundisf(uint64_t a)
{
	if (a == 0)
		return 0.0f;
	int e;
	uint64_t m = round_sig(a, 24, &e);
	return asfloat(((uint32_t)(e + 23 + 127) << 23) | ((uint32_t)m & 0x7FFFFFu));
}

float __floatdisf(int64_t a)
{
	uint64_t v = a < 0 ? -(uint64_t)a : (uint64_t)a;
	float f = __floatundisf(v);
	return a < 0 ? -f : f;
}

double __floatunsidf(uint32_t a) { return __floatundidf(a); }
