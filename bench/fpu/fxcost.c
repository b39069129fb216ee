/* What an eager FPU switch costs on real hardware: fxsave of one 512-byte
 * image and fxrstor of another, as microkernel/arch/x86/fpu.c does on
 * every switch between two tasks, timed with rdtsc natively on the host
 * (make bench builds and runs it).  A 64-bit host process saves XMM0-15,
 * twice the kernel's XMM0-7 in 32-bit mode: an upper bound.  Under QEMU
 * -icount every instruction counts 1, so the guest benchmark (test=bench)
 * shows only the instructions the switch adds. */
#include <stdint.h>
#include <stdio.h>

static uint8_t img[2][512] __attribute__((aligned(16)));

static inline uint64_t rdtsc(void)
{
	uint32_t lo, hi;
	__asm__ volatile("lfence; rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

int main(void)
{
	enum { N = 200000, RUNS = 25 };
	__asm__ volatile("fxsave %0" : "=m"(img[0]));
	__asm__ volatile("fxsave %0" : "=m"(img[1]));
	uint64_t best_pair = ~0ull, best_empty = ~0ull;
	for (int run = 0; run < RUNS; run++) {
		uint64_t t0 = rdtsc();
		for (int i = 0; i < N; i++) {
			__asm__ volatile("fxsave %0" : "=m"(img[i & 1]));
			__asm__ volatile("fxrstor %0" :: "m"(img[(i + 1) & 1]));
		}
		uint64_t t1 = rdtsc();
		for (int i = 0; i < N; i++)
			__asm__ volatile("" ::: "memory");
		uint64_t t2 = rdtsc();
		if (t1 - t0 < best_pair)
			best_pair = t1 - t0;
		if (t2 - t1 < best_empty)
			best_empty = t2 - t1;
	}
	printf("fxsave+fxrstor: %.1f cycles (TSC) per switch (best of %d x %d)\n",
	       (double)(best_pair - best_empty) / N, RUNS, N);
	return 0;
}
