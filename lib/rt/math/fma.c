/* fma(x, y, z) = x y + z rounded once, and fmaf.
 *
 * fma: the exact sum in 128-bit integer arithmetic, then one rounding
 * (pack.h).  The significands' product (<= 106 bits, four 32 x 32-bit
 * products) and z's significand are each shifted to put their top bit at
 * bit 125; the one with the smaller exponent is shifted right by the
 * difference, the bits shifted out ORed into its bit 0 (sticky).  That
 * keeps the rounding exact: the other operand's low 20 bits are zero, so
 * the approximate sum is odd whenever bits were lost and can never sit on
 * a halfway point the exact sum is beside; and bits are lost only when
 * the exponents are more than 20 apart, where the sum keeps its top bit
 * at 124 or above, far from bit 0.  Zero products, infinities and NaNs
 * are IEEE arithmetic's own (x y + z is then exact or special).
 *
 * fmaf: x y is exact in a double (48 bits), and so is the double sum's
 * error (two_sum); the sum is made round-to-odd (when inexact and even,
 * moved one ulp towards the exact value), and round-to-odd to 53 bits
 * followed by round-to-nearest to 24 (<= 51, two bits fewer) is the
 * correctly rounded result: the method of Boldo and Melquiond, "Emulation
 * of FMA and correctly rounded sums: proved algorithms using rounding to
 * odd" (IEEE Trans. Computers, 2008). */
#include "lib/rt/math/pack.h"

typedef struct { uint64_t hi, lo; } u128;

static u128 mul64(uint64_t a, uint64_t b)	/* a, b < 2^64 */
{
	uint64_t a0 = (uint32_t)a, a1 = a >> 32, b0 = (uint32_t)b, b1 = b >> 32;
	uint64_t p00 = a0 * b0, p01 = a0 * b1, p10 = a1 * b0, p11 = a1 * b1;
	uint64_t mid = (p00 >> 32) + (uint32_t)p01 + (uint32_t)p10;
	return (u128){ p11 + (p01 >> 32) + (p10 >> 32) + (mid >> 32), (mid << 32) | (uint32_t)p00 };
}

static int clz128(u128 a) { return a.hi ? clz64(a.hi) : 64 + clz64(a.lo); }

static u128 shl(u128 a, int n)			/* 0 <= n < 128 */
{
	if (n == 0)
		return a;
	if (n >= 64)
		return (u128){ a.lo << (n - 64), 0 };
	return (u128){ a.hi << n | a.lo >> (64 - n), a.lo << n };
}

/* a >> n, with the bits shifted out ORed into bit 0 */
static u128 shr_sticky(u128 a, int n)
{
	if (n == 0)
		return a;
	if (n >= 128)
		return (u128){ 0, (a.hi | a.lo) != 0 };
	u128 r;
	uint64_t lost;
	if (n >= 64) {
		lost = a.lo | (n > 64 ? a.hi << (128 - n) : 0);
		r = (u128){ 0, n == 64 ? a.hi : a.hi >> (n - 64) };
	} else {
		lost = a.lo << (64 - n);
		r = (u128){ a.hi >> n, a.lo >> n | a.hi << (64 - n) };
	}
	r.lo |= lost != 0;
	return r;
}

static u128 add(u128 a, u128 b)
{
	uint64_t lo = a.lo + b.lo;
	return (u128){ a.hi + b.hi + (lo < a.lo), lo };
}

static u128 sub(u128 a, u128 b)			/* a >= b */
{
	return (u128){ a.hi - b.hi - (a.lo < b.lo), a.lo - b.lo };
}

static int less(u128 a, u128 b) { return a.hi < b.hi || (a.hi == b.hi && a.lo < b.lo); }

/* significand (implicit bit included) and the exponent of its lsb; u finite, not 0 */
static uint64_t unpack(uint64_t u, int *e)
{
	int be = (int)(u >> 52) & 0x7FF;
	uint64_t m = u & 0x000FFFFFFFFFFFFFull;
	*e = (be ? be : 1) - 1075;
	return be ? m | 1ull << 52 : m;
}

double fma(double x, double y, double z)
{
	uint64_t ux = asu64(x), uy = asu64(y), uz = asu64(z);
	const uint64_t inf = 0x7FF0000000000000ull;
	if ((ux << 1) >= inf << 1 || (uy << 1) >= inf << 1 || (ux << 1) == 0 || (uy << 1) == 0)
		return x * y + z;			/* inf/NaN or an exact zero product */
	if ((uz << 1) >= inf << 1)
		return z + z;				/* x y finite: z itself (NaN quieted) */
	if ((uz << 1) == 0)
		return x * y;				/* one rounding; the sign of a zero too */
	int ex, ey, ez;
	uint64_t sp = (ux ^ uy) >> 63, sz = uz >> 63;
	u128 p = mul64(unpack(ux, &ex), unpack(uy, &ey));
	u128 q = { 0, unpack(uz, &ez) };
	int ep = ex + ey;
	int np = clz128(p) - 2, nq = clz128(q) - 2;	/* top bits to bit 125 */
	p = shl(p, np);
	ep -= np;
	q = shl(q, nq);
	ez -= nq;
	/* a: the operand of the larger exponent (or magnitude) */
	u128 a = p, b = q;
	uint64_t sa = sp, sb = sz;
	int ea = ep, eb = ez;
	if (ez > ep || (ez == ep && less(p, q))) {
		a = q; b = p; sa = sz; sb = sp; ea = ez; eb = ep;
	}
	b = shr_sticky(b, ea - eb);
	u128 r;
	if (sa == sb)
		r = add(a, b);
	else {
		r = sub(a, b);
		if (r.hi == 0 && r.lo == 0)
			return 0.0;			/* exact cancellation: +0 */
	}
	/* to 64 bits (top bit at 63) and a sticky bit; t <= 126 */
	int t = 127 - clz128(r);
	int sticky = 0;
	if (t > 63) {
		int n = t - 63;
		sticky = (r.lo << (64 - n)) != 0;
		r.lo = r.lo >> n | r.hi << (64 - n);
		ea += n;
	}
	return make_double(sa, r.lo, ea, sticky);
}

float fmaf(float x, float y, float z)
{
	double p = (double)x * (double)y;		/* exact */
	double s = p + (double)z;
	if (s - s != 0)					/* inf or NaN: IEEE's */
		return (float)s;
	dd e = two_sum(p, (double)z);			/* e.hi == s, e.lo the error */
	uint64_t u = asu64(s);
	if (e.lo != 0 && !(u & 1)) {
		/* inexact and even: one ulp towards the exact value (odd) */
		int up = (e.lo > 0) == (s > 0);
		u = up ? u + 1 : u - 1;
		s = asdouble(u);
	}
	return (float)s;
}
