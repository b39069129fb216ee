/* Hostile module: reads kernel memory. */
#include <stdint.h>
int32_t module_main(int32_t arg)
{
	return *(volatile int32_t *)0x00100000u + arg;
}
