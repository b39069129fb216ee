/* pack: sensor records in a packed bit-field layout, as a wire format
 * would define it: a 10-byte record whose fields straddle every byte
 * boundary, so clang loads and stores the whole record as one i80 (and
 * a 16-byte header as an i128).  arg rounds of encode -> decode ->
 * checksum over 64 records; the result hashes every field read back. */
#include <stdint.h>

/* No field ends on a byte boundary before the last: clang keeps the 80
 * bits one storage unit (a field that did would let it split the record
 * into narrower units). */
struct __attribute__((packed)) record {	/* 80 bits: one i80 */
	unsigned id : 12;
	signed temp : 11;		/* tenths of a degree, signed */
	unsigned humidity : 7;
	uint64_t stamp : 41;		/* milliseconds */
	unsigned flags : 9;
};

struct __attribute__((packed)) header {	/* 128 bits: one i128 */
	uint64_t magic : 50;
	int64_t offset : 47;
	unsigned count : 31;
};

#define N 64
static struct record rec[N];
static struct header hdr;

static uint32_t mix(uint32_t h, uint64_t v)
{
	h = (h ^ (uint32_t)v) * 16777619u;
	return (h ^ (uint32_t)(v >> 32)) * 16777619u;
}

/* The header is written and read by functions of their own: within one
 * function the optimiser would forward the stores to the loads. */
__attribute__((noinline)) static void put_header(int round)
{
	hdr.magic = 0xBF10Cull + (uint64_t)round;
	hdr.offset = -(int64_t)round * 1000003;
	hdr.count = N;
}

__attribute__((noinline)) static uint32_t mix_header(uint32_t h)
{
	h = mix(h, hdr.magic);
	h = mix(h, (uint64_t)hdr.offset);
	return mix(h, hdr.count);
}

int module_main(int arg)
{
	uint32_t h = 2166136261u;
	uint64_t seed = 0x9E3779B97F4A7C15ull;
	for (int round = 0; round < arg; round++) {
		put_header(round);
		for (int i = 0; i < N; i++) {
			seed = seed * 6364136223846793005ull + 1442695040888963407ull;
			rec[i].id = (unsigned)(seed >> 20);
			rec[i].temp = (int)(seed >> 40) % 1000 - 300;
			rec[i].humidity = (unsigned)(seed >> 33) % 101;
			rec[i].stamp = (seed >> 7) + (uint64_t)i;
			rec[i].flags = (unsigned)seed;
		}
		for (int i = 0; i < N; i++) {	/* read-modify-write in place */
			rec[i].temp += 5;
			rec[i].flags ^= 0x80;
			rec[i].stamp -= 1;
		}
		for (int i = 0; i < N; i++) {
			struct record r = rec[i];	/* whole-record copy */
			h = mix(h, r.id);
			h = mix(h, (uint64_t)(int64_t)r.temp);
			h = mix(h, r.humidity);
			h = mix(h, r.stamp);
			h = mix(h, r.flags);
		}
		h = mix_header(h);
	}
	return (int)(h & 0x7fffffff);
}
