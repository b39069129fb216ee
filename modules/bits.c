/* bits: population count, bit reversal, leading zeros and rotations —
 * the bit tricks clang turns into ctpop/ctlz/fshl/bswap intrinsics. */
#include <stdint.h>

static uint32_t popcount(uint32_t x)
{
	uint32_t n = 0;
	while (x) {
		x &= x - 1;
		n++;
	}
	return n;
}

static uint32_t reverse(uint32_t x)
{
	x = (x & 0x55555555u) << 1 | ((x >> 1) & 0x55555555u);
	x = (x & 0x33333333u) << 2 | ((x >> 2) & 0x33333333u);
	x = (x & 0x0F0F0F0Fu) << 4 | ((x >> 4) & 0x0F0F0F0Fu);
	return __builtin_bswap32(x);
}

static uint32_t rotl(uint32_t x, uint32_t r) { return (x << (r & 31)) | (x >> ((32 - r) & 31)); }

int32_t module_main(int32_t arg)
{
	uint32_t acc = 0, x = (uint32_t)arg;
	for (int i = 0; i < 256; i++) {
		x = x * 747796405u + 2891336453u;
		acc += popcount(x) + (x ? (uint32_t)__builtin_clz(x) : 32u);
		acc ^= rotl(reverse(x), (uint32_t)i);
	}
	return (int32_t)acc;
}
