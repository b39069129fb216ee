/* Hostile module: writes over its own (read+execute) code.  The kernel
 * must kill it with "wrote a read-only page". */
#include <stdint.h>
int32_t module_main(int32_t arg)
{
	*(volatile uint8_t *)0x60100000u = 0x90;	/* the module image */
	return arg;
}
