/* Not hostile, just unsupported: x87 long double (float and double
 * compile; an 80-bit type does not).  Modules are built with
 * -mlong-double-64, which makes long double a double; this one is built
 * without it (modules/modules.mk), as bitcode from elsewhere may be.  The
 * jit server must refuse it with a message naming the function, the
 * instruction and the flag, and keep serving. */
#include <stdint.h>
int32_t module_main(int32_t arg)
{
	volatile long double x = arg;
	return (int32_t)(x * 1.5L);
}
