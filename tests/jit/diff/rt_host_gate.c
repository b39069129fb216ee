/* The host runtime's gate: bf_sys in build/host/jit/rt.elf, the module
 * runtime as mjit and jit-difftest link JIT code against it outside the
 * guest (lib/rt/gate.asm is the guest's).  The console write that printf,
 * puts and putchar make becomes Linux's write(1, buf, len): a real system
 * call in a native 32-bit run, and one the Unicorn harness performs for
 * the emulated CPU (harness_uc.c, console_hook).  Every other call fails
 * with -1 without trapping: a module may make no other, and the guest
 * numbers mean something else to Linux (SYS_CONSOLE_WRITE is Linux's
 * exit). */
#include <stdint.h>
#include "lib/include/bareflow/abi.h"

enum { LINUX_WRITE = 4, STDOUT = 1 };

int bf_sys(int nr, uint32_t a1, uint32_t a2, uint32_t a3, uint32_t a4, uint32_t a5, uint32_t a6)
{
	(void)a3; (void)a4; (void)a5; (void)a6;
	if (nr != SYS_CONSOLE_WRITE)
		return -1;
	int r;
	__asm__ volatile("int $0x80" : "=a"(r) : "a"(LINUX_WRITE), "b"(STDOUT), "c"(a1), "d"(a2) : "memory");
	return r;
}
