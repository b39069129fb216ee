/* sin, cos, tan.
 *
 * Range reduction (rem_pio2): x = q pi/2 + r, |r| <= pi/4, for every
 * finite x up to 2^1024, by Payne and Hanek's method: x = m 2^e (m a 53-bit
 * integer), and x 2/pi mod 8 only needs the bits of 2/pi of weight
 * 2^(2-e) and below (the higher ones give multiples of 8).  192 of them
 * (from the 1280-bit table in consts.h, tools/gen-libm-consts.py) times m
 * is exact integer arithmetic; it leaves q and 128 bits of the fraction,
 * with an error below 2^-136.  The closest a double comes to a multiple of
 * pi/2 is about 2^-61 (of it) -- the fraction never has more than ~62
 * leading zero bits -- so r keeps >= 66 good bits, as a double-double.
 * One method for every argument: no Cody-Waite path whose limits could be
 * got wrong, at the price of ~30 32x32-bit products per call.
 *
 * Kernels on |r| <= pi/4: Taylor series, sin to r^21, cos to r^20 (first
 * neglected terms < 2^-66), with r's lo part and the two leading terms
 * kept as double-doubles, giving double-doubles; sin and cos round once,
 * tan divides the two double-doubles (docs/libm.md has the measured
 * errors). */
#include "lib/rt/math/m.h"
#include "lib/rt/math/consts.h"

/* bits [lo, lo + 64) of the 8-word little-endian number w (zeros above) */
static uint64_t bits64(const uint32_t *w, int lo)
{
	int i = lo / 32, s = lo % 32;
	uint64_t w0 = i < 8 ? w[i] : 0, w1 = i + 1 < 8 ? w[i + 1] : 0, w2 = i + 2 < 8 ? w[i + 2] : 0;
	uint64_t v = (w1 << 32 | w0) >> s;
	return s ? v | w2 << (64 - s) : v;
}

int rem_pio2(double x, double *rhi, double *rlo)
{
	uint64_t u = asu64(x);
	int neg = (int)(u >> 63);
	int ex = (int)((u >> 52) & 0x7FF);
	uint64_t m = (u & 0x000FFFFFFFFFFFFFull) | 0x0010000000000000ull;
	int e = ex - 1075;				/* |x| = m 2^e, e >= -53 here */
	/* the window: bits i0 .. i0+191 of 2/pi (bit i weighs 2^-i) */
	int i0 = e - 2 > 1 ? e - 2 : 1;
	uint32_t win[6];				/* little-endian: win[5] holds bit i0 */
	for (int k = 0; k < 6; k++) {
		/* word k from the top: bits i0 + 32k .. i0 + 32k + 31 */
		int first = i0 + 32 * k;		/* the most significant of them */
		int w = (first - 1) / 32, s = (first - 1) % 32;
		uint32_t hi = w < TWOOPI_WORDS ? twoopi[w] : 0;
		uint32_t lo = w + 1 < TWOOPI_WORDS ? twoopi[w + 1] : 0;
		win[5 - k] = s ? (hi << s) | (lo >> (32 - s)) : hi;
	}
	/* P = m * win: 8 words */
	uint32_t P[8] = { 0 };
	uint32_t mw[2] = { (uint32_t)m, (uint32_t)(m >> 32) };
	for (int a = 0; a < 2; a++) {
		uint64_t carry = 0;
		for (int b = 0; b < 6; b++) {
			uint64_t t = (uint64_t)mw[a] * win[b] + P[a + b] + carry;
			P[a + b] = (uint32_t)t;
			carry = t >> 32;
		}
		for (int k = a + 6; carry && k < 8; k++) {
			uint64_t t = (uint64_t)P[k] + carry;
			P[k] = (uint32_t)t;
			carry = t >> 32;
		}
	}
	/* x 2/pi = P 2^(e - i0 - 191): the binary point is pp bits up */
	int pp = i0 + 191 - e;
	int q = (int)(bits64(P, pp) & 7);
	uint64_t fh = bits64(P, pp - 64), fl = bits64(P, pp - 128);
	int fneg = 0;
	if (fh >> 63) {					/* fraction >= 1/2: round q up */
		q++;
		fneg = 1;
		fl = ~fl + 1;				/* 2^128 - f */
		fh = ~fh + (fl == 0);
	}
	/* normalise the 128-bit fraction f 2^-128 */
	int lz = 0;
	if (fh == 0) {
		fh = fl;
		fl = 0;
		lz = 64;
	}
	if (fh == 0) {
		*rhi = *rlo = 0;
		return (neg ? -q : q) & 3;
	}
	while (!(fh >> 63)) {
		fh = (fh << 1) | (fl >> 63);
		fl <<= 1;
		lz++;
	}
	/* f = A 2^-(53 + lz) + B 2^-(106 + lz) + (< 2^-(106 + lz)) */
	uint64_t A = fh >> 11, B = ((fh & 0x7FF) << 42) | (fl >> 22);
	dd f;
	f.hi = asdouble(((uint64_t)(1022 - lz) << 52) | (A & 0x000FFFFFFFFFFFFFull));
	f.lo = (double)(int64_t)B * pow2(-106 - lz);
	f = fast_two_sum(f.hi, f.lo);
	dd r = dd_mul(f, (dd){ PIO2_HI, PIO2_LO });
	if (fneg != neg) {
		r.hi = -r.hi;
		r.lo = -r.lo;
	}
	*rhi = r.hi;
	*rlo = r.lo;
	return (neg ? -q : q) & 3;
}

/* sin(h + l), |h| <= pi/4 + tiny, as a double-double: h - h^3/6 with
 * h^3/6 a double-double (it is up to 10% of the result), the rest of the
 * series, and l cos(h) ~ l (1 - h^2/2), in plain doubles. */
static dd sin_dd(double h, double l)
{
	dd z = two_prod(h, h);
	double zh = z.hi;
	double p = 1.0 / 51090942171709440000.0;	/* 1/21! */
	p = -1.0 / 121645100408832000.0 + zh * p;
	p = 1.0 / 355687428096000.0 + zh * p;
	p = -1.0 / 1307674368000.0 + zh * p;
	p = 1.0 / 6227020800.0 + zh * p;
	p = -1.0 / 39916800.0 + zh * p;
	p = 1.0 / 362880.0 + zh * p;
	p = -1.0 / 5040.0 + zh * p;
	p = 1.0 / 120.0 + zh * p;			/* sin h = h - h^3/6 + h^5 p */
	dd h3 = dd_mul_d(z, h);
	dd s3 = dd_mul(h3, (dd){ 0.5 * THIRD_HI, 0.5 * THIRD_LO });	/* h^3/6 */
	dd s = dd_add((dd){ h, 0 }, (dd){ -s3.hi, -s3.lo });
	double tail = h3.hi * zh * p + l * (1.0 - 0.5 * zh);
	return fast_two_sum(s.hi, s.lo + tail);
}

/* cos(h + l) as a double-double: 1 - h^2/2 exactly, h^4/24 as a
 * double-double, the rest of the series and -h l in plain doubles. */
static dd cos_dd(double h, double l)
{
	dd z = two_prod(h, h);
	double zh = z.hi;
	double c = 1.0 / 2432902008176640000.0;		/* 1/20! */
	c = -1.0 / 6402373705728000.0 + zh * c;
	c = 1.0 / 20922789888000.0 + zh * c;
	c = -1.0 / 87178291200.0 + zh * c;
	c = 1.0 / 479001600.0 + zh * c;
	c = -1.0 / 3628800.0 + zh * c;
	c = 1.0 / 40320.0 + zh * c;
	c = -1.0 / 720.0 + zh * c;			/* cos h = 1 - z/2 + z^2/24 + z^3 c */
	dd z2 = dd_mul(z, z);
	dd c4 = dd_mul(z2, (dd){ 0.125 * THIRD_HI, 0.125 * THIRD_LO });	/* z^2/24 */
	dd w = fast_two_sum(1.0, -0.5 * zh);
	dd s = dd_add(w, c4);
	double tail = -(0.5 * z.lo + h * l) + z2.hi * zh * c;
	return fast_two_sum(s.hi, s.lo + tail);
}

/* |x| <= pi/4: no reduction */
#define PIO4_BITS 0x3FE921FB54442D18ull

static int reduce(double x, double *h, double *l)
{
	if ((asu64(x) & ~(1ull << 63)) <= PIO4_BITS) {
		*h = x;
		*l = 0;
		return 0;
	}
	return rem_pio2(x, h, l);
}

double sin(double x)
{
	uint64_t a = asu64(x) & ~(1ull << 63);
	if (a >= 0x7FF0000000000000ull)
		return x - x;				/* NaN for inf and NaN */
	if (a < 0x3E40000000000000ull)			/* |x| < 2^-27: sin x = x */
		return x;
	double h, l;
	int q = reduce(x, &h, &l);
	dd r = q & 1 ? cos_dd(h, l) : sin_dd(h, l);
	double v = r.hi + r.lo;
	return q & 2 ? -v : v;
}

double cos(double x)
{
	uint64_t a = asu64(x) & ~(1ull << 63);
	if (a >= 0x7FF0000000000000ull)
		return x - x;
	if (a < 0x3E40000000000000ull)
		return 1.0;
	double h, l;
	int q = reduce(x, &h, &l);
	dd r = q & 1 ? sin_dd(h, l) : cos_dd(h, l);
	double v = r.hi + r.lo;
	return (q + 1) & 2 ? -v : v;
}

double tan(double x)
{
	uint64_t a = asu64(x) & ~(1ull << 63);
	if (a >= 0x7FF0000000000000ull)
		return x - x;
	if (a < 0x3E40000000000000ull)
		return x;
	double h, l;
	int q = reduce(x, &h, &l);
	dd s = sin_dd(h, l), c = cos_dd(h, l);
	dd t = q & 1 ? dd_div(c, s) : dd_div(s, c);
	double v = t.hi + t.lo;
	return q & 1 ? -v : v;
}
