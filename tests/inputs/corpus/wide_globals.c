/* Globals of packed bit-field structs wider than 64 bits, initialised
 * with non-zero fields: the optimiser may turn such a global into one
 * iN (N > 64) with a wide constant initialiser, which the JIT lays out
 * word by word (cg/data.c). */
#include <stdint.h>

struct __attribute__((packed)) w128 {
	uint64_t magic : 50;
	int64_t offset : 47;
	unsigned count : 31;
};
struct __attribute__((packed)) w80 {
	unsigned id : 12;
	signed temp : 11;
	unsigned hum : 7;
	uint64_t stamp : 41;
	unsigned flags : 9;
};

static struct w128 hdr = { 0x3FFFFFFFFFFFFull, -0x123456789ABll, 0x7FFFFFF0u };
static struct w80 rec = { 0xABC, -1000, 99, 0x1FFFFFFFFFFull, 0x155 };
static struct w128 zero;

__attribute__((noinline)) static void bump(int k)
{
	hdr.count += (unsigned)k;
	rec.temp += k;
	zero.offset -= k;
}

__attribute__((noinline)) static uint32_t mix(void)
{
	uint32_t h = 2166136261u;
#define MIX(v) (h = (h ^ (uint32_t)(v)) * 16777619u, h = (h ^ (uint32_t)((uint64_t)(v) >> 32)) * 16777619u)
	MIX(hdr.magic); MIX(hdr.offset); MIX(hdr.count);
	MIX(rec.id); MIX(rec.temp); MIX(rec.hum); MIX(rec.stamp); MIX(rec.flags);
	MIX(zero.magic); MIX(zero.offset); MIX(zero.count);
	return h;
}

int test_main(void)
{
	uint32_t h = mix();
	bump(3);
	h ^= mix();
	bump(-7);
	return (int)(h ^ mix());
}
