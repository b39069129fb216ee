/* Hostile module: blocks forever.  It creates a notification and waits on
 * it through the runtime's raw syscall entry: a blocked task uses no CPU,
 * so no CPU budget would ever end it, and init used to wait for its death
 * with no bound, taking the shell with it.  Now the runtime does not offer
 * bf_sys to modules (lib/rt/exports.txt: the jit refuses to link it), the
 * kernel refuses every syscall but exit/notify/console write from a module
 * task, and init kills any module at its deadline. */
#include <stdint.h>
int bf_sys(int nr, uint32_t a1, uint32_t a2, uint32_t a3, uint32_t a4, uint32_t a5, uint32_t a6);
int32_t module_main(int32_t arg)
{
	int n = bf_sys(13 /* SYS_NOTIFY_CREATE */, 0, 0, 0, 0, 0, 0);
	bf_sys(10 /* SYS_WAIT */, (uint32_t)n, 0, 0, 0, 0, 0);
	return arg;
}
