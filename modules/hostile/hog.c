/* Hostile module: asks for more memory than it may have.  Its 448 KiB of
 * zero globals must fit the module's memory limit (`run hog --mem PAGES`):
 * they are its bss, zero pages the jit server gives the task; under a
 * limit too small the kernel refuses them (quota), the load fails by
 * name, the frames it took come back, and everyone else's memory is
 * untouched. */
#include <stdint.h>
static volatile uint8_t big[448 * 1024];
int32_t module_main(int32_t arg)
{
	uint32_t s = 0;
	for (uint32_t i = 0; i < sizeof big; i += 4096)
		big[i] = (uint8_t)(i >> 12), s += big[i];
	return (int32_t)s + arg;
}
