/* The big kernel lock's common cases, inline (lock.c has the rest and
 * the guarantees).  Kernel only, like percpu.h. */
#ifndef KERNEL_LOCK_H
#define KERNEL_LOCK_H
#include "microkernel/percpu.h"
#include "microkernel/arch/x86/cpu.h"

extern volatile uint32_t bkl;
void lock_contended(struct cpu *c) __attribute__((noinline));

/* Uncontended: xchg, rdtsc, one store. */
static inline void lock_take(struct cpu *c)
{
	if (__builtin_expect(__atomic_exchange_n(&bkl, 1, __ATOMIC_ACQUIRE), 0))
		lock_contended(c);
	c->lock_t0 = (uint32_t)rdtsc();
}

/* Take it only if nobody holds it (a timer tick, idt.c): 1 if taken.
 * The plain read first keeps a failed try from writing the line. */
static inline int lock_try(struct cpu *c)
{
	if (bkl || __atomic_exchange_n(&bkl, 1, __ATOMIC_ACQUIRE))
		return 0;
	c->lock_t0 = (uint32_t)rdtsc();
	return 1;
}

static inline void lock_give(struct cpu *c)
{
	uint32_t held = (uint32_t)rdtsc() - c->lock_t0;	/* mod 2^32: a hold is shorter */
	c->lock_count++;
	c->lock_cycles += held;
	if (held > c->lock_max)
		c->lock_max = held;
	__atomic_store_n(&bkl, 0, __ATOMIC_RELEASE);
	if (c->ipi_sent) {
		/* We woke another CPU while we held the lock: it needs the
		 * lock now.  On hardware PAUSE is a few cycles' hint.  Under
		 * QEMU's single-threaded TCG (every -icount run) the vCPUs
		 * take turns and an IPI does not end the sender's turn: the
		 * woken CPU would wait up to QEMU's 100 ms round-robin period,
		 * while PAUSE ends the turn here, so the woken CPU runs at
		 * once, at the same instruction count on every run. */
		c->ipi_sent = 0;
		__asm__ volatile("pause");
	}
}
#endif
