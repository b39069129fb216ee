/* The reference for the module benchmark: the same modules/ C built by the
 * i686 cross gcc -O2 and run natively as a ring-3 task, timed the way the
 * module runtime times JIT code (rdtsc around each call of module_main,
 * averaged over the same number of calls).  Under -icount shift=0 rdtsc
 * counts guest instructions, so the figures repeat exactly. */
#include <stdint.h>
#include "lib/user/sys.h"
#include "bench/native/natbench_table.h"	/* generated (build/): name, fn, arg */


int main(uint32_t calls)
{
	if (calls == 0)
		calls = 20;
	for (unsigned i = 0; i < native_count; i++) {
		uint64_t total = 0;
		int32_t first = 0;
		for (uint32_t c = 0; c < calls; c++) {
			uint64_t t0 = bf_rdtsc();
			int32_t r = native_modules[i].fn(native_modules[i].arg);
			total += bf_rdtsc() - t0;
			if (c == 0)
				first = r;
		}
		bf_printf("bench: native %s %u %d\n", native_modules[i].name,
			  (uint32_t)(total / calls), first);
	}
	return 0;
}
