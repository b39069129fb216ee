/* Address spaces: PAE page tables (3 levels, 64-bit entries, NX bit).
 *
 * Layout: PDPT entry 0 (0..1 GiB) points to one kernel page directory
 * shared by every address space, mapping RAM supervisor-only; entries 1
 * and 2 (1..3 GiB) are the task's own; entry 3 is unused.
 *
 * Invariant kept here (W^X): no mapping is ever both writable and
 * executable.  vm_map refuses VM_WRITE|VM_EXEC with E_WX, and vm_audit
 * walks every entry to prove it (plus: nothing in the kernel range is
 * reachable from ring 3, and every user-executable frame has exactly one
 * holder, so no other address space can hold a writable view of it). */
#ifndef KERNEL_VM_H
#define KERNEL_VM_H
#include <stdint.h>
#include "microkernel/frame.h"
#include "lib/include/bareflow/abi.h"

#define VM_WRITE 0x1
#define VM_EXEC  0x2

struct addrspace {
	paddr_t pdpt;		/* frame with the 4 PDPT entries (CR3) */
	paddr_t pd[4];		/* page directories; pd[0] is the kernel's */
	uint32_t pages;		/* user pages mapped */
	uint32_t tables;	/* page-table frames made for them */
	/* Frames this space may hold, pages and page tables together (0: no
	 * limit).  A limited space (a module task's) also never takes one of
	 * the last VM_RESERVE free frames, which stay for init and the
	 * servers; vm_map answers E_QUOTA. */
	uint32_t limit;
};

#define VM_RESERVE 2048		/* frames (8 MiB) limited spaces leave free */

/* A piece of the kernel image and how it may be used. */
struct kseg {
	uint32_t start, end;	/* physical = virtual, page aligned */
	unsigned flags;		/* VM_WRITE and/or VM_EXEC (never both) */
};

int  vm_kernel_init(uint32_t ram_bytes, const struct kseg *segs, int nseg);
int  vm_space_create(struct addrspace *as);
void vm_space_destroy(struct addrspace *as);	/* drops every user page */
int  vm_map(struct addrspace *as, uint32_t va, paddr_t pa, unsigned flags);
int  vm_unmap(struct addrspace *as, uint32_t va);
int  vm_lookup(const struct addrspace *as, uint32_t va, paddr_t *pa, unsigned *flags);
void vm_audit(const struct addrspace *as, struct bf_audit *acc, uint32_t task_id);
uint32_t vm_kernel_pd(void);
/* RAM is mapped up to VM_MMIO_BASE; device registers above (the APIC). */
#define VM_MMIO_BASE 0x3FE00000u
int  vm_kernel_map_mmio(uint32_t va, paddr_t pa);

/* Provided by the arch layer (or the host test): forget a stale TLB entry. */
void arch_tlb_invalidate(const struct addrspace *as, uint32_t va);
/* Code installed in `as` is about to become reachable (a dispatch entry
 * names it): every other CPU that runs in `as` serializes first. */
void arch_code_publish(const struct addrspace *as);
#endif
