/* Empty asm statements as compiler barriers (xxHash's
 * `__asm__("" : "+r"(x))`, `asm volatile("" ::: "memory")`): they emit
 * nothing, a "+r" operand keeps its value, and memory written before a
 * barrier is seen after it. */
#include <stdint.h>

static uint32_t buf[16];

static __attribute__((noinline)) uint32_t round32(uint32_t acc, uint32_t in)
{
	acc += in * 2246822519u;
	acc = (acc << 13) | (acc >> 19);
	__asm__("" : "+r"(acc)); /* xxHash: keep the multiply out of the vectoriser */
	return acc * 2654435761u;
}

static __attribute__((noinline)) uint64_t mix64(uint64_t x)
{
	__asm__ volatile("" : "+r"(x) : : "memory"); /* a 64-bit operand: a register pair */
	return x ^ (x >> 29);
}

int test_main(void)
{
	uint32_t h = 1;
	for (uint32_t i = 0; i < 16; i++) {
		buf[i] = i * 0x9e3779b9u;
		__asm__ volatile("" ::: "memory");
		h = round32(h, buf[i]);
	}
	int32_t s = -5;
	__asm__ volatile("" : "+r"(s) : "r"(h), "m"(buf[3]));
	uint64_t m = mix64(((uint64_t)h << 32) | (uint32_t)s);
	return (int)(h ^ (uint32_t)m ^ (uint32_t)(m >> 32));
}
