/* Turning PAE paging on, switching address spaces, TLB upkeep.  The page
 * table format itself is portable (microkernel/vm.c). */
#include "microkernel/kernel.h"
#include "microkernel/task.h"
#include "microkernel/physmem.h"
#include "microkernel/arch/x86/cpu.h"
#include "microkernel/arch/x86/gdt.h"

int smap_enabled;
static uint32_t kernel_only_pdpt;	/* CR3 when no task's tables may be used */

void *phys_to_virt(paddr_t pa) { return (void *)pa; }

void paging_enable(uint32_t pdpt, int smep, int smap)
{
	kernel_only_pdpt = pdpt;
	wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_NXE);
	uint32_t cr4 = read_cr4() | CR4_PAE | CR4_PGE;
	if (smep)
		cr4 |= CR4_SMEP;
	write_cr4(cr4);
	write_cr3(pdpt);
	write_cr0(read_cr0() | CR0_PG | CR0_WP);	/* WP: ring 0 obeys read-only */
	if (smap) {
		write_cr4(read_cr4() | CR4_SMAP);
		smap_enabled = 1;
	}
}

void arch_switch_space(struct task *t)
{
	if (t == &tasks[0])
		return;		/* idle runs on whatever tables are loaded */
	if (read_cr3() != t->as.pdpt)
		write_cr3(t->as.pdpt);
	tss_set_kernel_stack((uint32_t)t->tf + sizeof(struct trapframe));
	/* Most tasks have no ports: copy the bitmap only when it changes. */
	static const struct task *iomap_of;
	static int iomap_open;
	if (t->has_io || iomap_open) {
		if (iomap_of != t || t->has_io) {
			tss_set_iomap(t->iomap);
			iomap_of = t;
			iomap_open = t->has_io;
		}
	}
}

void arch_leave_space(const struct addrspace *as)
{
	if (read_cr3() == as->pdpt)
		write_cr3(kernel_only_pdpt);
}

void arch_tlb_invalidate(const struct addrspace *as, uint32_t va)
{
	if (read_cr3() == as->pdpt)
		invlpg(va);
}
