/* Hostile module: asks for more memory than it may have.  Its 448 KiB of
 * globals must fit the module's memory limit (`run hog --mem PAGES`); a
 * limit too small makes the kernel refuse the installation (E_QUOTA), the
 * frames it took come back, and everyone else's memory is untouched. */
#include <stdint.h>
static volatile uint8_t big[448 * 1024];
int32_t module_main(int32_t arg)
{
	uint32_t s = 0;
	for (uint32_t i = 0; i < sizeof big; i += 4096)
		big[i] = (uint8_t)(i >> 12), s += big[i];
	return (int32_t)s + arg;
}
