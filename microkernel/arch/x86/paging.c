/* Turning PAE paging on, switching address spaces, TLB upkeep.  The page
 * table format itself is portable (microkernel/vm.c). */
#include "microkernel/kernel.h"
#include "microkernel/task.h"
#include "microkernel/physmem.h"
#include "microkernel/percpu.h"
#include "microkernel/arch/x86/cpu.h"
#include "microkernel/arch/x86/gdt.h"
#include "microkernel/arch/x86/space.h"

int smap_enabled;
uint32_t kernel_only_pdpt;	/* CR3 when no task's tables may be used */
static uint32_t boot_cr4;

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
	boot_cr4 = read_cr4();
	cpus[0].cr3 = pdpt;
}

uint32_t paging_cr4(void) { return boot_cr4; }

/* The idle task runs on whatever tables are loaded (lazily: the CPU
 * keeps them, and cpu->cr3 says so, so shootdowns still reach it).  The
 * common part is inline (space.h: the scheduler's switch). */
void arch_switch_space(struct task *t)
{
	if (!t->is_idle)
		arch_switch_space_cpu(mycpu(), t);
}

/* Most tasks have no ports: the bitmap is copied only when it changes. */
void arch_switch_iomap(struct cpu *c, struct task *t)
{
	if (c->iomap_of != t || t->has_io) {
		tss_set_iomap(t->iomap);
		c->iomap_of = t;
		c->iomap_open = t->has_io;
	}
}

/* No CPU may keep using these tables: they are about to be freed.  A CPU
 * that runs a task of this space was stopped before (task_kill). */
void arch_leave_space(const struct addrspace *as)
{
	struct cpu *c = mycpu();
	if (c->cr3 == as->pdpt) {
		write_cr3(kernel_only_pdpt);
		c->cr3 = kernel_only_pdpt;
	}
	smp_leave_remote(as->pdpt);
}

/* A page table entry of `as` changed: no CPU may use the old one any
 * more.  Here with invlpg, elsewhere by a shootdown that waits for every
 * CPU holding these tables to do the same (smp.c). */
/* New code of `as` goes live next (code.c code_dispatch_set): the other
 * CPUs running in `as` take a mailbox IPI and return to ring 3 by iret, a
 * serializing instruction, before the dispatch store -- Intel's protocol
 * for cross-modifying code (SDM vol. 3, 8.1.3): whatever they prefetched
 * or decoded before at those addresses (a frame that held other code
 * once) is gone when the new entry can be read.  A CPU that loads `as`
 * later does so with mov to cr3, serializing too. */
void arch_code_publish(const struct addrspace *as)
{
	smp_sync_cores(as->pdpt);
}

void arch_tlb_invalidate(const struct addrspace *as, uint32_t va)
{
	if (mycpu()->cr3 == as->pdpt)
		invlpg(va);
	smp_tlb_remote(as->pdpt, va);
}
