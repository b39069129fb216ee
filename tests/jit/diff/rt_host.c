/* What the kernel and the loader give the module runtime in a module task,
 * for the runtime the JIT harness maps beside JIT code (build/host/jit/
 * rt.elf, servers/jit/jit.mk): the C library's state (struct rt_libc,
 * lib/rt/rt.h) with a 1 MiB heap in the runtime's own writable data, and
 * a stand-in for the syscall gate.  Console writes go nowhere; exit and
 * abort trap (ud2), which the harness reports as an error of the call:
 * differential tests compare return values, and a module that exits has
 * none. */
#include <stdint.h>
#include "lib/include/bareflow/abi.h"
#include "lib/rt/rt.h"

static uint8_t heap[1u << 20] __attribute__((aligned(4096)));
struct rt_libc rt_libc = { .heap_va = (uintptr_t)heap, .heap_size = sizeof heap };

int bf_sys(int nr, uint32_t a1, uint32_t a2, uint32_t a3, uint32_t a4, uint32_t a5, uint32_t a6);
int bf_sys(int nr, uint32_t a1, uint32_t a2, uint32_t a3, uint32_t a4, uint32_t a5, uint32_t a6)
{
	(void)a1; (void)a2; (void)a3; (void)a4; (void)a5; (void)a6;
	if (nr == SYS_CONSOLE_WRITE)
		return (int)a2;
	__builtin_trap();
}
