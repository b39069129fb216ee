/* Floating-point operations at their edges: arithmetic, every fcmp
 * predicate with NaN, conversions (i8..i64 signed/unsigned, 2^31, 2^63,
 * 2^64-1, -0, inf, denormals), fpext/fptrunc, bitcasts, select, fneg,
 * frem.  The result hashes the bits of everything. */
#include <stdint.h>

static uint32_t h = 2166136261u;
static void mix(uint32_t x) { h = (h ^ x) * 16777619u; }
static void mixd(double d) { union { double d; uint64_t u; } v = { d }; mix((uint32_t)v.u); mix((uint32_t)(v.u >> 32)); }
static void mixf(float f) { union { float f; uint32_t u; } v = { f }; mix(v.u); }

static double dv[] = { 0.0, -0.0, 1.0, -1.0, 0.5, 3.75, -2.5, 1e300, -1e-300, 4.9e-324,
	2147483647.0, 2147483648.0, -2147483648.0, 4294967295.0, 9.2233720368547758e18,
	1.8446744073709550e19, 123456789.123, -7.0, 1.0 / 3.0, 65535.5, 255.9, -128.0 };
static float fv[] = { 0.0f, -0.0f, 1.0f, -1.0f, 0.5f, 3.75f, -2.5f, 1e30f, -1e-30f, 1.4e-45f,
	2147483520.0f, 16777217.0f, -3.5f, 255.5f, 1.0f / 3.0f };
static volatile double inf_nan[4];

__attribute__((noinline)) static int cmps(double a, double b)
{
	int r = 0;
	r |= (a == b) << 0; r |= (a != b) << 1; r |= (a < b) << 2; r |= (a <= b) << 3;
	r |= (a > b) << 4; r |= (a >= b) << 5;
	r |= !(a < b) << 6; r |= !(a <= b) << 7; r |= !(a > b) << 8; r |= !(a >= b) << 9;
	r |= __builtin_isunordered(a, b) << 10; r |= (!__builtin_isunordered(a, b)) << 11;
	r |= (__builtin_islessgreater(a, b)) << 12; r |= (!__builtin_islessgreater(a, b)) << 13;
	return r;
}

__attribute__((noinline)) static int cmpsf(float a, float b)
{
	int r = 0;
	r |= (a == b) << 0; r |= (a != b) << 1; r |= (a < b) << 2; r |= (a <= b) << 3;
	r |= (a > b) << 4; r |= (a >= b) << 5; r |= !(a < b) << 6; r |= !(a >= b) << 7;
	r |= __builtin_isunordered(a, b) << 8;
	return r;
}

__attribute__((noinline)) static double arith(double a, double b, int k)
{
	switch (k & 7) {
	case 0: return a + b;
	case 1: return a - b;
	case 2: return a * b;
	case 3: return a / b;
	case 4: return -a;
	case 5: return a < b ? a : b;
	case 6: return (double)(float)a + (float)b;
	default: return a * 0.5 - b * 0.25;
	}
}

__attribute__((noinline)) static float arithf(float a, float b, int k)
{
	switch (k & 3) {
	case 0: return a + b * 3.0f;
	case 1: return a - b / 7.0f;
	case 2: return a * b;
	default: return -a / b;
	}
}

static int in_range(double d, double lo, double hi) { return d == d && d > lo && d < hi; }

int test_main(void)
{
	unsigned nd = sizeof dv / sizeof dv[0], nf = sizeof fv / sizeof fv[0];
	inf_nan[0] = 1.0 / dv[0];
	inf_nan[1] = -inf_nan[0];
	inf_nan[2] = inf_nan[0] - inf_nan[0];
	inf_nan[3] = -inf_nan[2];
	for (unsigned i = 0; i < nd + 4; i++) {
		double a = i < nd ? dv[i] : inf_nan[i - nd];
		for (unsigned j = 0; j < nd + 4; j++) {
			double b = j < nd ? dv[j] : inf_nan[j - nd];
			mix((uint32_t)cmps(a, b));
			mix((uint32_t)cmpsf((float)a, (float)b));
			for (int k = 0; k < 8; k++)
				mixd(arith(a, b, k));
			mixf(arithf((float)a, (float)b, (int)(i + j)));
		}
		mixf((float)a);
		if (in_range(a, -2147483649.0, 2147483648.0)) mix((uint32_t)(int32_t)a);
		if (in_range(a, -1.0, 4294967296.0)) mix((uint32_t)a);
		if (in_range(a, -9.3e18, 9.2e18)) { int64_t x = (int64_t)a; mix((uint32_t)x); mix((uint32_t)(x >> 32)); }
		if (in_range(a, -1.0, 1.8446744073709552e19)) { uint64_t x = (uint64_t)a; mix((uint32_t)x); mix((uint32_t)(x >> 32)); }
		if (in_range(a, -129.0, 128.0)) mix((uint32_t)(int8_t)a);
		if (in_range(a, -1.0, 256.0)) mix((uint32_t)(uint8_t)a);
		if (in_range(a, -32769.0, 32768.0)) mix((uint32_t)(int16_t)a);
		if (in_range(a, -1.0, 65536.0)) mix((uint32_t)(uint16_t)a);
	}
	for (unsigned i = 0; i < nf; i++) {
		float a = fv[i];
		mixd((double)a);
		if (in_range(a, -2147483649.0, 2147483648.0)) mix((uint32_t)(int32_t)a);
		if (in_range(a, -1.0, 4294967296.0)) mix((uint32_t)a);
		if (in_range(a, -9.3e18, 9.2e18)) { int64_t x = (int64_t)a; mix((uint32_t)x); mix((uint32_t)(x >> 32)); }
		if (in_range(a, -1.0, 1.8e19)) { uint64_t x = (uint64_t)a; mix((uint32_t)x); }
		for (unsigned j = 0; j < nf; j++)
			mixf(__builtin_fmodf(a, fv[j]));
	}
	static const int64_t iv[] = { 0, 1, -1, 127, -128, 255, 32767, -32768, 65535, 2147483647,
		-2147483647 - 1, 4294967295ll, 9007199254740993ll, -9007199254740993ll,
		9223372036854775807ll, -9223372036854775807ll - 1, 16777217, 123456789012345ll };
	volatile const int64_t *vi = iv;
	for (unsigned i = 0; i < sizeof iv / sizeof iv[0]; i++) {
		int64_t x = vi[i];
		mixd((double)x); mixf((float)x);
		mixd((double)(uint64_t)x); mixf((float)(uint64_t)x);
		mixd((double)(int32_t)x); mixf((float)(int32_t)x);
		mixd((double)(uint32_t)x); mixf((float)(uint32_t)x);
		mixd((double)(int16_t)x); mixf((float)(uint16_t)x);
		mixd((double)(int8_t)x); mixf((float)(uint8_t)x);
	}
	for (unsigned i = 0; i < nd; i++)
		for (unsigned j = 0; j < nd; j++)
			mixd(__builtin_fmod(dv[i], dv[j]));
	return (int)h;
}
