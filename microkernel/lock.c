/* The big kernel lock: one lock for the whole kernel, as seL4's SMP
 * kernel has it (docs/architecture.md, "SMP").
 *
 * Guarantees:
 *  - a CPU runs kernel code on shared state only while it holds the lock:
 *    trap() takes it on every entry (syscall, interrupt, fault) and gives
 *    it back just before the return to ring 3; the idle loop runs without
 *    it and takes it to schedule.  The kernel runs with interrupts off, so
 *    a CPU never takes it twice;
 *  - the lock is held by a CPU, not by a task: schedule() keeps it across
 *    swtch and the next context releases it (the end of its trap(), or
 *    task_first_run for a new task, or the idle loop);
 *  - a CPU spinning for it still answers its mailbox (smp_poll), so the
 *    holder may wait for another CPU's acknowledgement (a TLB shootdown,
 *    stopping a task) without a deadlock;
 *  - test-and-set, not a ticket lock: a spinning CPU holds no place in a
 *    queue, so nothing is lost if a request it answers changes what it
 *    does next.  With two CPUs fairness costs nothing either way.
 * Hold times are counted per CPU (count, total, maximum, and the time
 * spent waiting), in rdtsc cycles -- guest instructions under -icount --
 * and shown by SYS_CPU_INFO, `cpus` and `make bench`. */
#include "microkernel/lock.h"

volatile uint32_t bkl;

/* Another CPU holds it: spin, answering the mailbox, and count the wait. */
void lock_contended(struct cpu *c)
{
	uint64_t s = rdtsc();
	do {
		do {
			/* PAUSE every turn (not spin_turn, cpu.h): the holder
			 * rarely needs QEMU's lock, and without a PAUSE each
			 * time a CPU waiting here under QEMU was seen never to
			 * catch the lock free from a CPU taking it back at once
			 * (test=tick's lock hog) */
			__asm__ volatile("pause");
			smp_poll(c);
		} while (bkl);
	} while (__atomic_exchange_n(&bkl, 1, __ATOMIC_ACQUIRE));
	uint32_t w = (uint32_t)(rdtsc() - s);
	c->lock_spin += w;
	c->lock_waits++;
	if (w > c->spin_max)
		c->spin_max = w;
}

/* The uncontended cases are inline (lock.h: the syscall path uses them
 * directly). */
void kernel_lock(void) { lock_take(mycpu()); }
void kernel_unlock(void) { lock_give(mycpu()); }

/* Under the lock: forget every CPU's figures (a benchmark's start). */
void lock_stats_reset(void)
{
	for (int i = 0; i < ncpus; i++) {
		cpus[i].lock_count = cpus[i].lock_max = cpus[i].lock_waits = 0;
		cpus[i].lock_cycles = cpus[i].lock_spin = 0;
		cpus[i].spin_max = 0;
		cpus[i].irq_n = cpus[i].irq_max = cpus[i].irq_max_vec = cpus[i].irq_max_spin = 0;
		cpus[i].irq_cycles = 0;
		cpus[i].ack_n = cpus[i].ack_max = 0;
		cpus[i].ack_cycles = 0;
		cpus[i].switches = cpus[i].ticks_done_late = cpus[i].tick_waits = cpus[i].tick_spin = 0;
		/* ticks owed now were deferred before the reset and are done
		 * after it: counted as deferred, so done never exceeds it */
		cpus[i].ticks_deferred = cpus[i].ticks_owed;
	}
	mycpu()->lock_t0 = (uint32_t)rdtsc();
}
