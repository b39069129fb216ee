/* rand and srand: the example generator of the C standard (7.22.2.2),
 *   next = next * 1103515245 + 12345;  rand = (next / 65536) % 32768
 * on 32-bit unsigned arithmetic, RAND_MAX 32767, seeded 1 until srand.
 * Its state is the module's (rt_libc.rand_x), kept XOR 1 so that the zero
 * the loader starts it with is C's seed 1.  Not glibc's sequence. */
#include <stdlib.h>
#include "lib/rt/libc/libc.h"

int rand(void)
{
	uint32_t next = (rt_libc.rand_x ^ 1u) * 1103515245u + 12345u;
	rt_libc.rand_x = next ^ 1u;
	return (int)((next / 65536u) % 32768u);
}

void srand(unsigned seed)
{
	rt_libc.rand_x = (uint32_t)seed ^ 1u;
}
