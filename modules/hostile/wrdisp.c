/* Hostile module: redirects its own dispatch table (read-only to it). */
#include <stdint.h>
int32_t module_main(int32_t arg)
{
	*(volatile uint32_t *)0x5FFFF000u = 0x41414141u;
	return arg;
}
