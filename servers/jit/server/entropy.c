/* The jit server's randomness for the JIT's defences (jit_opts.seed:
 * random placement): RDRAND when CPUID says the CPU has it (leaf 1, ECX
 * bit 30), else a generator seeded and stirred by the time-stamp counter
 * at each call.  The second is weak against a local observer who can
 * read the TSC, and under QEMU's -icount it repeats from boot to boot;
 * it still gives each compile a layout of its own, which is what random
 * placement needs against an attacker who learned another compile's. */
#include <stdint.h>
#include "servers/jit/server/jitsrv.h"

static int has_rdrand(void)
{
	uint32_t a = 1, b, c = 0, d;
	__asm__ volatile("cpuid" : "+a"(a), "=b"(b), "+c"(c), "=d"(d));
	return (c >> 30) & 1;
}

/* One 32-bit RDRAND, retried as Intel advises; 0 when it keeps failing. */
static int rdrand32(uint32_t *v)
{
	for (int i = 0; i < 10; i++) {
		uint8_t ok;
		__asm__ volatile("rdrand %0; setc %1" : "=r"(*v), "=qm"(ok) : : "cc");
		if (ok)
			return 1;
	}
	return 0;
}

static uint64_t tsc(void)
{
	uint32_t lo, hi;
	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return (uint64_t)hi << 32 | lo;
}

uint64_t jit_entropy(void)
{
	static int rdrand = -1;
	static uint64_t state;
	if (rdrand < 0)
		rdrand = has_rdrand();
	uint32_t a, b;
	if (rdrand && rdrand32(&a) && rdrand32(&b))
		return (uint64_t)a << 32 | b;
	/* splitmix64 over the state, stirred with the TSC */
	uint64_t z = (state += 0x9e3779b97f4a7c15ull ^ tsc());
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}
