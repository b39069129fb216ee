/* The runtime's float <-> 64-bit integer conversions (lib/rt/math/conv.c,
 * host build renamed bfm_*): against the host compiler's own conversions
 * (x86-64 instructions, correctly rounded) where the value is in range,
 * against compiler-rt's saturation rules where it is not. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

int64_t bfm___fixdfdi(double);
uint64_t bfm___fixunsdfdi(double);
int64_t bfm___fixsfdi(float);
uint64_t bfm___fixunssfdi(float);
uint32_t bfm___fixunsdfsi(double);
uint32_t bfm___fixunssfsi(float);
double bfm___floatdidf(int64_t);
double bfm___floatundidf(uint64_t);
float bfm___floatdisf(int64_t);
float bfm___floatundisf(uint64_t);
double bfm___floatunsidf(uint32_t);

static uint64_t rs = 0xD1B54A32D192ED03ull;
static uint64_t rnd(void)
{
	rs ^= rs >> 12; rs ^= rs << 25; rs ^= rs >> 27;
	return rs * 0x2545F4914F6CDD1Dull;
}

Test(conv, integers_to_floating_point)
{
	for (int i = 0; i < 1000000; i++) {
		uint64_t u = rnd() >> (rnd() % 64);
		int64_t s = (int64_t)(rnd() >> (rnd() % 64)) * ((rnd() & 1) ? -1 : 1);
		double a = bfm___floatundidf(u), b = (double)u;
		cr_assert(memcmp(&a, &b, 8) == 0, "__floatundidf(%llu)", (unsigned long long)u);
		a = bfm___floatdidf(s), b = (double)s;
		cr_assert(memcmp(&a, &b, 8) == 0, "__floatdidf(%lld)", (long long)s);
		float fa = bfm___floatundisf(u), fb = (float)u;
		cr_assert(memcmp(&fa, &fb, 4) == 0, "__floatundisf(%llu)", (unsigned long long)u);
		fa = bfm___floatdisf(s), fb = (float)s;
		cr_assert(memcmp(&fa, &fb, 4) == 0, "__floatdisf(%lld)", (long long)s);
		uint32_t w = (uint32_t)u;
		a = bfm___floatunsidf(w), b = (double)w;
		cr_assert(memcmp(&a, &b, 8) == 0);
	}
	cr_assert(bfm___floatdidf(INT64_MIN) == -0x1p63);
	cr_assert(bfm___floatundidf(UINT64_MAX) == 0x1p64);
}

Test(conv, floating_point_to_integers)
{
	for (int i = 0; i < 1000000; i++) {
		double d = ldexp((double)(rnd() >> 11), (int)(rnd() % 140) - 80) * ((rnd() & 1) ? -1 : 1);
		if (d >= -0x1p63 && d < 0x1p63)
			cr_assert_eq(bfm___fixdfdi(d), (int64_t)d, "__fixdfdi(%a)", d);
		else
			cr_assert_eq(bfm___fixdfdi(d), d < 0 ? INT64_MIN : INT64_MAX, "__fixdfdi(%a)", d);
		if (d < 0)
			cr_assert_eq(bfm___fixunsdfdi(d), 0);
		else if (d < 0x1p64)
			cr_assert_eq(bfm___fixunsdfdi(d), (uint64_t)d, "__fixunsdfdi(%a)", d);
		else
			cr_assert_eq(bfm___fixunsdfdi(d), UINT64_MAX);
		if (d >= 0 && d < 0x1p32)
			cr_assert_eq(bfm___fixunsdfsi(d), (uint32_t)d);
		float f = (float)d;
		if (f >= -0x1p63f && f < 0x1p63f)
			cr_assert_eq(bfm___fixsfdi(f), (int64_t)f, "__fixsfdi(%a)", (double)f);
		if (f >= 0 && f < 0x1p64f)
			cr_assert_eq(bfm___fixunssfdi(f), (uint64_t)f);
		if (f >= 0 && f < 0x1p32f)
			cr_assert_eq(bfm___fixunssfsi(f), (uint32_t)f);
	}
	cr_assert_eq(bfm___fixdfdi(NAN), INT64_MAX);	/* compiler-rt: by the sign bit */
	cr_assert_eq(bfm___fixdfdi(-NAN), INT64_MIN);
	cr_assert_eq(bfm___fixdfdi(INFINITY), INT64_MAX);
	cr_assert_eq(bfm___fixdfdi(-INFINITY), INT64_MIN);
	cr_assert_eq(bfm___fixunsdfdi(INFINITY), UINT64_MAX);
	cr_assert_eq(bfm___fixunsdfdi(-1.5), 0);
	cr_assert_eq(bfm___fixdfdi(-0.99), 0);
	cr_assert_eq(bfm___fixunsdfsi(5e9), 0xFFFFFFFFu);
}
