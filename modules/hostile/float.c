/* Not hostile, just unsupported: x87 long double (float and double
 * compile; an 80-bit type does not).  The jit server must refuse it with a
 * message naming the function and instruction, and keep serving. */
#include <stdint.h>
int32_t module_main(int32_t arg)
{
	volatile long double x = arg;
	return (int32_t)(x * 1.5L);
}
