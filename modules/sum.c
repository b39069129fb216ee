/* sum: a tight loop with a 64-bit accumulator folded to 32 bits.  The
 * feedback through `s >> 29` keeps LLVM from replacing the loop by a
 * closed form (which it computes in i65/i128 arithmetic). */
#include <stdint.h>

static uint64_t sum_to(uint32_t n)
{
	uint64_t s = 0;
	for (uint32_t i = 1; i <= n; i++)
		s += (uint64_t)i * i + (s >> 29);
	return s;
}

int32_t module_main(int32_t arg)
{
	uint64_t s = sum_to((uint32_t)arg);
	return (int32_t)(s ^ (s >> 32));
}
