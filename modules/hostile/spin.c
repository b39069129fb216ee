/* Hostile module: never returns; its CPU budget must end it. */
#include <stdint.h>
int32_t module_main(int32_t arg)
{
	volatile int32_t x = arg;
	for (;;)
		x++;
}
