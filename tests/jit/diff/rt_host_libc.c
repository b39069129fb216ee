/* What the loader gives a module task around the runtime's C library,
 * for the runtime the JIT harness maps beside JIT code (build/host/jit/
 * rt.elf, servers/jit/jit.mk): the C library's state (struct rt_libc,
 * lib/rt/rt.h) with a 1 MiB heap, in the host runtime's own writable data
 * (the guest's is in the module's params pages and the heap the jit
 * server maps: docs/libc.md).  The gate is rt_host_gate.c; exit and
 * abort, whose SYS_EXIT it refuses, end the call with a trap
 * (lib/rt/libc/exit.c), which the harness reports as an error of that
 * call: differential tests compare return values, and a module that exits
 * has none. */
#include <stdint.h>
#include "lib/rt/rt.h"

static uint8_t heap[1u << 20] __attribute__((aligned(4096)));
struct rt_libc rt_libc = { .heap_va = (uintptr_t)heap, .heap_size = sizeof heap };
