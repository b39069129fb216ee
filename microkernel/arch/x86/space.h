/* Switching a CPU to a task's address space and ring-0 stack: inline,
 * for the scheduler's switch (sched.c) -- a CR3 load only when the tables
 * change, the TSS's esp0, and the I/O bitmap only when a task with ports
 * comes or goes (paging.c). */
#ifndef ARCH_X86_SPACE_H
#define ARCH_X86_SPACE_H
#include "microkernel/task.h"
#include "microkernel/percpu.h"
#include "microkernel/arch/x86/cpu.h"

void arch_switch_iomap(struct cpu *c, struct task *t);

/* c runs t (not an idle task) from now on. */
static inline void arch_switch_space_cpu(struct cpu *c, struct task *t)
{
	if (c->cr3 != t->as.pdpt) {
		write_cr3(t->as.pdpt);
		c->cr3 = t->as.pdpt;
	}
	*c->tss_esp0 = (uint32_t)t->tf + sizeof(struct trapframe);
	if (t->has_io || c->iomap_open)
		arch_switch_iomap(c, t);
}
#endif
