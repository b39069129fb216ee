/* Not hostile, just unsupported: floating point.  The jit server must
 * refuse it with a message naming the function and instruction, and keep
 * serving. */
#include <stdint.h>
int32_t module_main(int32_t arg)
{
	volatile double x = arg;
	return (int32_t)(x * 1.5);
}
