/* How kernel code reaches a physical frame.  In the guest all RAM below
 * 1 GiB is mapped at the same virtual address (supervisor-only); host tests
 * provide a simulated RAM buffer instead. */
#ifndef KERNEL_PHYSMEM_H
#define KERNEL_PHYSMEM_H
#include "microkernel/frame.h"
void *phys_to_virt(paddr_t pa);
#endif
