/* 64-bit rotates and funnel shifts by variable amounts, and 64-bit
 * saturating arithmetic: clang turns these idioms into llvm.fshl/fshr.i64
 * and llvm.{u,s}{add,sub}.sat.i64 from -O1 on. */
#include <stdint.h>

static uint64_t rotl64(uint64_t x, unsigned n) { return (x << (n & 63)) | (x >> ((64 - n) & 63)); }
static uint64_t rotr64(uint64_t x, unsigned n) { return (x >> (n & 63)) | (x << ((64 - n) & 63)); }
static uint64_t funl(uint64_t a, uint64_t b, unsigned n) { n &= 63; return n ? (a << n) | (b >> (64 - n)) : a; }
static uint64_t funr(uint64_t a, uint64_t b, unsigned n) { n &= 63; return n ? (b >> n) | (a << (64 - n)) : b; }
static uint64_t uadd_sat(uint64_t a, uint64_t b) { uint64_t s = a + b; return s < a ? UINT64_MAX : s; }
static uint64_t usub_sat(uint64_t a, uint64_t b) { return a > b ? a - b : 0; }
static int64_t sadd_sat(int64_t a, int64_t b)
{
	int64_t r;
	if (__builtin_add_overflow(a, b, &r))
		return a < 0 ? INT64_MIN : INT64_MAX;
	return r;
}
static int64_t ssub_sat(int64_t a, int64_t b)
{
	int64_t r;
	if (__builtin_sub_overflow(a, b, &r))
		return a < 0 ? INT64_MIN : INT64_MAX;
	return r;
}

static const uint64_t vals[] = {
	0, 1, 2, 0x7fffffffffffffffull, 0x8000000000000000ull, 0xffffffffffffffffull,
	0x0123456789abcdefull, 0xfedcba9876543210ull, 0x00000000ffffffffull, 0xffffffff00000000ull,
	0x8000000000000001ull, 0x7ffffffffffffffeull, 0x5555555555555555ull, 0xaaaaaaaaaaaaaaabull,
};
#define NV (sizeof vals / sizeof vals[0])

uint32_t test_main(void)
{
	uint64_t h = 0x9e3779b97f4a7c15ull;
	for (unsigned i = 0; i < NV; i++)
		for (unsigned j = 0; j < NV; j++) {
			uint64_t a = vals[i], b = vals[j];
			unsigned n = (unsigned)(i * 7 + j * 13) % 70; /* beyond 63 too */
			h = h * 31 + rotl64(a, n);
			h = h * 31 + rotr64(b, n + 1);
			h = h * 31 + funl(a, b, n);
			h = h * 31 + funr(a, b, n + 32);
			h = h * 31 + uadd_sat(a, b);
			h = h * 31 + usub_sat(a, b);
			h = h * 31 + (uint64_t)sadd_sat((int64_t)a, (int64_t)b);
			h = h * 31 + (uint64_t)ssub_sat((int64_t)a, (int64_t)b);
		}
	return (uint32_t)(h ^ (h >> 32));
}
