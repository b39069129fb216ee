/* Phis of first-class aggregates: clang merges the {iN, i1} results of
 * two __builtin_*_overflow calls on different paths into one phi before
 * extracting from it (from -O1 on), at 32 and 64 bits. */
#include <stdint.h>

static uint32_t pick32(uint32_t x, uint32_t y, uint32_t c)
{
	int32_t r;
	int o = c & 2 ? __builtin_add_overflow((int32_t)x, (int32_t)y, &r)
		      : __builtin_sub_overflow((int32_t)x, (int32_t)y, &r);
	if (o)
		r = (int32_t)x < 0 ? INT32_MIN : INT32_MAX;
	return (uint32_t)r;
}

static uint32_t pick64(uint32_t x, uint32_t y, uint32_t c)
{
	int64_t a = (int64_t)((uint64_t)x << 32 | y), b = (int64_t)y << 31, r;
	if (c & 1)
		b = -b;
	int o = c & 2 ? __builtin_add_overflow(a, b, &r) : __builtin_sub_overflow(a, b, &r);
	if (o)
		r = a < 0 ? INT64_MIN : INT64_MAX;
	return (uint32_t)r ^ (uint32_t)(r >> 32);
}

static uint32_t pickmul(uint32_t x, uint32_t y, uint32_t c)
{
	uint32_t r;
	int o = c & 4 ? __builtin_mul_overflow(x, y, &r) : __builtin_add_overflow(x, y, &r);
	return o ? r ^ 0xdeadbeefu : r;
}

static const uint32_t vals[] = { 0, 1, 2, 0x7fffffff, 0x80000000u, 0xffffffffu, 0x12345678, 0xfedcba98u, 0x10000, 3 };
#define NV (sizeof vals / sizeof vals[0])

uint32_t test_main(void)
{
	uint32_t h = 2166136261u;
	for (unsigned i = 0; i < NV; i++)
		for (unsigned j = 0; j < NV; j++)
			for (uint32_t c = 0; c < 8; c++) {
				h = (h ^ pick32(vals[i], vals[j], c)) * 16777619u;
				h = (h ^ pick64(vals[i], vals[j], c)) * 16777619u;
				h = (h ^ pickmul(vals[i], vals[j], c)) * 16777619u;
			}
	return h;
}
