/* Packed bit-field structs whose storage unit clang loads and stores as
 * one integer wider than 64 bits (i72, i80, i128): reads (shifts, masks,
 * truncations, sign extension) and writes (masked merges) of every field. */
#include <stdint.h>

struct __attribute__((packed)) s72 {
	signed a : 7;
	unsigned b : 30;
	signed c : 29;
	unsigned d : 6;
};
struct __attribute__((packed)) s80 {
	uint64_t x : 41;
	int64_t y : 39;
};
struct s128 {
	uint64_t lo : 60;
	int64_t mid : 40;
	unsigned hi : 28;
};

static volatile struct s72 g72[3];
static volatile struct s80 g80[3];
static volatile struct s128 g128[2];

int test_main(void)
{
	uint32_t h = 2166136261u;
#define MIX(v) (h = (h ^ (uint32_t)(v)) * 16777619u, h = (h ^ (uint32_t)((uint64_t)(v) >> 32)) * 16777619u)
	for (int i = 0; i < 3; i++) {
		g72[i].a = -3 * (i + 1);
		g72[i].b = 0x3fffff00u + (unsigned)i;
		g72[i].c = -123456789 + i;
		g72[i].d = 45 + i;
		g80[i].x = 0x1ffffffffffull - (uint64_t)i * 77;
		g80[i].y = -(int64_t)0x2345678901ll + i;
	}
	g128[0].lo = 0xfedcba987654321ull;
	g128[0].mid = -0x7654321012ll;
	g128[0].hi = 0xabcdef1;
	g128[1] = g128[0];
	g128[1].mid += 5;
	for (int i = 0; i < 3; i++) {
		MIX(g72[i].a); MIX(g72[i].b); MIX(g72[i].c); MIX(g72[i].d);
		MIX(g80[i].x); MIX(g80[i].y);
		g72[i].b ^= 0x15555555u;
		g80[i].y >>= 3;
		MIX(g72[i].b); MIX(g80[i].y); MIX(g72[i].c);
	}
	for (int i = 0; i < 2; i++) {
		MIX(g128[i].lo); MIX(g128[i].mid); MIX(g128[i].hi);
	}
	return (int)h;
}
