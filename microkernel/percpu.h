/* Per-CPU state: what each processor has of its own -- the task it runs,
 * its idle task, its run queue, the page tables it has loaded, its
 * mailbox for requests from other CPUs, its load and lock figures.
 *
 * Guarantees:
 *  - every field but the mailbox is read and written only under the big
 *    kernel lock (lock.c), by any CPU; the mailbox (mb_*) is the one way a
 *    CPU that holds the lock asks another for something while it keeps
 *    holding it (smp.c): TLB invalidation, leaving an address space,
 *    stopping a task being killed.  A CPU answers it without the lock, in
 *    the interrupt handler and while it spins for the lock, so a request
 *    never waits for the lock its sender holds.
 *  - `cr3` is always the page tables the CPU has loaded (also while it is
 *    idle: the idle task keeps the last task's tables, lazily), so a
 *    shootdown reaches every CPU that could hold a stale entry;
 *  - a task runs on at most one CPU (task->cpu), and a running task is on
 *    no run queue.
 * Reached through %gs (arch/x86/gdt.c gives each CPU a segment whose base
 * is its struct cpu): mycpu() is one load.  Only the kernel's own files
 * include this; the portable, host-tested ones never need it. */
#ifndef KERNEL_PERCPU_H
#define KERNEL_PERCPU_H
#include <stdint.h>
#include "microkernel/task.h"

#define MAX_CPUS 8

struct cpu {
	struct cpu *self;	/* %gs:0 */
	struct task *cur;	/* the task running here (its idle task when none): `current` */
	int id;			/* index in cpus[] */
	int online;		/* started and scheduling */
	int resched;		/* schedule() before going back to ring 3 or idle */
	int stopped;		/* current was stopped by another CPU that kills it */
	uint32_t apic_id;
	struct task *idle;
	struct task *head[NPRIO], *tail[NPRIO];	/* tasks whose home is this CPU */
	uint32_t qmask;		/* bit p: head[p] is not empty (sched.c) */
	uint32_t cr3;		/* the page tables loaded here */
	uint32_t *tss_esp0;	/* this CPU's TSS esp0 (arch/x86/gdt.c): the ring-0 stack of a trap from ring 3 */
	const void *iomap_of;	/* whose I/O bitmap the TSS holds */
	int iomap_open;
	struct task *fpu_owner;	/* whose FPU state the registers hold (arch/x86/fpu.c) */

	/* mailbox (smp.c): written by the lock holder, answered lock-free */
	volatile uint32_t mb_seq, mb_ack, mb_op, mb_arg;

	/* load: ticks of this CPU's timer, busy = not idle */
	uint32_t ticks_busy, ticks_all;
	uint32_t win_busy, win_all, load_pct;	/* over the last second */
	uint32_t ipis;		/* IPIs taken */
	uint32_t ticks_owed;	/* timer ticks taken while another CPU held the lock (idt.c) */
	uint32_t ticks_deferred, ticks_done_late;	/* how many so far; of those, done */
	uint32_t tick_waits, tick_spin;
	uint32_t switches;	/* switch_to calls (sched.c): who else ran here */	/* ticks that waited for the lock all the same, cycles */
	int ipi_sent;		/* a resched IPI sent under the lock: PAUSE after it (lock.c) */

	/* the big kernel lock as this CPU held it (lock.c) */
	uint32_t lock_t0;	/* when it took it (the low half of rdtsc) */
	uint32_t lock_count, lock_max, lock_waits;
	uint64_t lock_cycles, lock_spin;
	uint32_t spin_max;	/* its longest wait for the lock */

	/* what the task running here lost to the kernel (idt.c, smp.c): the
	 * interrupts taken from ring 3, entry to exit, the longest of them
	 * (its vector and the lock wait inside it); and, as a sender, the
	 * waits for other CPUs' acknowledgements (TLB, stop, serialize) */
	uint32_t irq_n, irq_max, irq_max_vec, irq_max_spin;
	uint64_t irq_cycles;
	uint32_t ack_n, ack_max;
	uint64_t ack_cycles;
} __attribute__((aligned(256)));
/* A power of two: &cpus[i] is one shift, so the IPC fast path (which
 * indexes cpus[] in sched_handoff and fpu_handoff) pays no more for the
 * figures above than before they were there. */
_Static_assert((sizeof(struct cpu) & (sizeof(struct cpu) - 1)) == 0, "struct cpu: a power of two");

extern struct cpu cpus[MAX_CPUS];
extern int ncpus;		/* CPUs found (cpus[0] is the boot CPU) */

static inline struct cpu *mycpu(void)
{
	struct cpu *c;
	__asm__ volatile("mov %%gs:0, %0" : "=r"(c));
	return c;
}
#define current (mycpu()->cur)

/* lock.c: the big kernel lock (docs/architecture.md, "SMP") */
void kernel_lock(void);
void kernel_unlock(void);
void lock_stats_reset(void);

/* smp.c: other CPUs */
void smp_early(void);			/* paging off: ACPI, CPU 0's state */
void smp_init(void);			/* find and start the APs (boot CPU, lock held) */
void smp_poll(struct cpu *c);		/* answer a mailbox request, if any */
void smp_mailbox_irq(void);		/* the mailbox IPI */
void smp_resched(struct cpu *c);	/* make c call schedule() soon */
void smp_stop_task(struct task *t);	/* t runs on another CPU: stop it there (kill) */
void smp_tlb_remote(uint32_t pdpt, uint32_t va);	/* invlpg va where pdpt is loaded elsewhere */
void smp_leave_remote(uint32_t pdpt);	/* other CPUs lazily holding pdpt drop it */
void smp_sync_cores(uint32_t pdpt);	/* every other CPU with pdpt serializes (iret) */
void smp_halt_others(void);		/* panic: stop the other CPUs */

/* sched.c */
void sched_cpu_init(struct cpu *c);	/* its idle task */
void sched_idle_loop(void) __attribute__((noreturn));
uint32_t sched_idle_stack(int cpu);	/* top of cpu's idle stack */
void cpu_tick(void);			/* a timer tick on this CPU: accounting */
#endif
