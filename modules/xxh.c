/* xxh: a 32-bit xxHash-style hash (four lanes of multiply-rotate, then
 * the avalanche) over a generated buffer, written the way xxHash itself
 * is: an empty asm statement with a "+r" constraint keeps the compiler
 * from vectorising the round, and a memory clobber orders the buffer's
 * refill.  The JIT takes both as compiler barriers (docs/jit.md).  arg
 * rounds over 1 KiB; the result is the last hash. */
#include <stdint.h>

#define P1 2654435761u
#define P2 2246822519u
#define P3 3266489917u
#define P4 668265263u
#define P5 374761393u

static uint8_t buf[1024];

static uint32_t rotl(uint32_t x, int r) { return x << r | x >> (32 - r); }

static uint32_t read32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint32_t round32(uint32_t acc, uint32_t input)
{
	acc += input * P2;
	acc = rotl(acc, 13);
	acc *= P1;
	__asm__("" : "+r"(acc));	/* as XXH32_round: no vectorising */
	return acc;
}

static uint32_t hash(const uint8_t *p, uint32_t len, uint32_t seed)
{
	const uint8_t *end = p + len;
	uint32_t h;
	if (len >= 16) {
		uint32_t v1 = seed + P1 + P2, v2 = seed + P2, v3 = seed, v4 = seed - P1;
		do {
			v1 = round32(v1, read32(p)); p += 4;
			v2 = round32(v2, read32(p)); p += 4;
			v3 = round32(v3, read32(p)); p += 4;
			v4 = round32(v4, read32(p)); p += 4;
		} while (p + 16 <= end);
		h = rotl(v1, 1) + rotl(v2, 7) + rotl(v3, 12) + rotl(v4, 18);
	} else {
		h = seed + P5;
	}
	h += len;
	for (; p + 4 <= end; p += 4)
		h = rotl(h + read32(p) * P3, 17) * P4;
	for (; p < end; p++)
		h = rotl(h + *p * P5, 11) * P1;
	h ^= h >> 15; h *= P2; h ^= h >> 13; h *= P3; h ^= h >> 16;
	return h;
}

int module_main(int arg)
{
	uint32_t h = 0;
	for (int r = 0; r < arg; r++) {
		for (uint32_t i = 0; i < sizeof buf; i++)
			buf[i] = (uint8_t)(i * 31 + h + (uint32_t)r);
		__asm__ volatile("" ::: "memory");	/* the refill is done */
		h = hash(buf, sizeof buf - (uint32_t)r % 7, h);
	}
	return (int)(h & 0x7fffffff);
}
