/* IDT and the C side of every trap.  Exceptions from ring 3 kill the task
 * (fault containment) with a decoded cause; exceptions in ring 0 are kernel
 * bugs and panic with the full register dump. */
#include <stdint.h>
#include "microkernel/kernel.h"
#include "microkernel/task.h"
#include "microkernel/arch/x86/cpu.h"
#include "microkernel/arch/x86/gdt.h"
#include "microkernel/arch/x86/pic.h"
#include "microkernel/arch/x86/apic.h"
#include "microkernel/percpu.h"
#include "microkernel/lock.h"
#include "microkernel/arch/x86/fpu.h"

extern uint32_t isr_table[48];
extern void isr128(void), isr64(void), isr65(void), isr66(void), isr67(void), isr255(void);
static uint64_t idt[256];

static uint64_t gate(uint32_t handler, int dpl)
{
	/* 32-bit interrupt gate: IF cleared on entry, the kernel runs with
	 * interrupts off */
	return (uint64_t)(handler & 0xFFFF) | ((uint64_t)SEG_KCODE << 16) |
	       ((uint64_t)(0x8E | (dpl << 5)) << 40) | ((uint64_t)(handler >> 16) << 48);
}

void idt_init(void)
{
	for (int i = 0; i < 48; i++)
		idt[i] = gate(isr_table[i], 0);
	idt[0x80] = gate((uint32_t)isr128, 3);	/* the syscall trap */
	idt[VEC_TIMER] = gate((uint32_t)isr64, 0);
	idt[VEC_RESCHED] = gate((uint32_t)isr65, 0);
	idt[VEC_MAILBOX] = gate((uint32_t)isr66, 0);
	idt[VEC_HALT] = gate((uint32_t)isr67, 0);
	idt[VEC_SPURIOUS] = gate((uint32_t)isr255, 0);
	idt_load();
}

void idt_load(void)
{
	struct { uint16_t limit; uint32_t base; } __attribute__((packed)) idtr =
		{ sizeof idt - 1, (uint32_t)idt };
	__asm__ volatile("lidt %0" :: "m"(idtr));
}

static const char *exc_name[32] = {
	"divide error", "debug", "NMI", "breakpoint", "overflow", "bound range",
	"invalid opcode", "device not available", "double fault", "coprocessor",
	"invalid TSS", "segment not present", "stack fault", "general protection",
	"page fault", "reserved", "x87 FP", "alignment check", "machine check",
	"SIMD FP", "virtualization", "control protection",
};

static void dump_and_panic(struct trapframe *tf)
{
	uint32_t cr2 = read_cr2();
	smp_halt_others();
	const char *n = tf->trapno < 32 && exc_name[tf->trapno] ? exc_name[tf->trapno] : "?";
	kprintf("\n*** kernel exception %u (%s) err=%08x in task %u (%s) on CPU %d\n",
		tf->trapno, n, tf->err, current ? current->id : 0,
		current ? current->name : "-", mycpu()->id);
	kprintf("eip=%08x cs=%04x eflags=%08x cr2=%08x cr3=%08x\n",
		tf->eip, tf->cs, tf->eflags, cr2, read_cr3());
	kprintf("eax=%08x ebx=%08x ecx=%08x edx=%08x\n", tf->eax, tf->ebx, tf->ecx, tf->edx);
	kprintf("esi=%08x edi=%08x ebp=%08x esp=%08x\n", tf->esi, tf->edi, tf->ebp,
		(uint32_t)tf + 14 * 4);
	if (tf->trapno == 14)
		kprintf("page fault: %s, %s, %s\n", tf->err & 1 ? "protection" : "not present",
			tf->err & 2 ? "write" : "read", tf->err & 16 ? "instruction fetch" : "data");
	panic("unrecoverable exception in the kernel");
}

static uint32_t page_fault_cause(uint32_t err, uint32_t cr2)
{
	/* The guard page below the stack, and the 1 MiB under it (a big frame
	 * can jump the guard page): nothing is ever mapped there. */
	uint32_t stack_lo = USER_STACK_TOP - USER_STACK_PAGES * PAGE_SIZE;
	uint32_t guard_lo = stack_lo - PAGE_SIZE - 0x100000;
	if (cr2 < 0x10000)
		return DEATH_PAGE_FAULT;	/* a NULL pointer, not the kernel */
	if (cr2 < USER_BASE || cr2 >= USER_TOP)
		return DEATH_KERNEL_ACCESS;
	if (cr2 >= guard_lo && cr2 < stack_lo)
		return DEATH_STACK_OVERFLOW;
	if ((err & 1) && (err & 16))
		return DEATH_EXEC_NX;
	if ((err & 1) && (err & 2))
		return DEATH_WRITE_RO;
	return DEATH_PAGE_FAULT;
}

static void user_exception(struct trapframe *tf)
{
	uint32_t cr2 = tf->trapno == 14 ? read_cr2() : 0;
	uint32_t cause, err = tf->err;
	switch (tf->trapno) {
	case 0: cause = DEATH_DIVIDE; break;
	case 6: cause = DEATH_UD; break;
	case 13: cause = DEATH_GP; break;
	case 14: cause = page_fault_cause(tf->err, cr2); break;
	case 16: case 19:	/* an exception the task unmasked: err = FSW / MXCSR */
		cause = DEATH_FPU;
		err = fpu_fault_status(current, tf->trapno);
		break;
	default: cause = DEATH_OTHER_TRAP; break;
	}
	task_kill(current, cause, tf->trapno, err, cr2);
}

extern int smap_enabled;

/* An interrupt taken from ring 3 is time the task running here lost:
 * count it, and remember the longest (bench/smp.sh shows them, so a stall
 * of a module is seen as the kernel's or not).  Syscalls are not counted:
 * the IPC fast path stays as it is. */
static void lost(struct cpu *c, uint32_t vec, uint32_t t_in, uint32_t spin)
{
	uint32_t d = (uint32_t)rdtsc() - t_in;
	c->irq_n++;
	c->irq_cycles += d;
	if (d > c->irq_max) {
		c->irq_max = d;
		c->irq_max_vec = vec;
		c->irq_max_spin = spin;
	}
}

/* A timer tick that finds the big lock held by another CPU does not wait
 * for it: it only counts itself owed and goes back to the task, which
 * loses no more than the interrupt.  The next tick that gets the lock
 * does the owed ones (timer_ticks, irq.c), so time, timeouts, slices and
 * budgets are late by at most TICKS_LATE_MAX ticks, and nothing is lost.  Waiting
 * instead would stop a module on CPU 0 for as long as CPU 1 holds the
 * lock -- a code install, or the serialization before a dispatch store,
 * which itself waits for this CPU (issue 18: the stall at a tier change).
 * At most TICKS_LATE_MAX in a row: a CPU that holds the lock at every
 * tick (a long install, or a task that lives in the kernel) must not keep
 * time and timeouts from advancing; the tick after them waits as before.
 * Not for a task that another CPU stopped: that one needs the lock to go.
 * The 8259's EOI is a write of its own port that only this CPU (the
 * PIT's) makes, so it needs no lock. */
#define TICKS_LATE_MAX 2

static int tick_deferred(struct cpu *c, uint32_t n)
{
	if (c->stopped || c->ticks_owed >= TICKS_LATE_MAX) {
		kernel_lock();
		return 0;
	}
	if (lock_try(c))
		return 0;
	if (n != VEC_TIMER)
		pic_eoi(0);
	c->ticks_owed++;
	c->ticks_deferred++;
	smp_poll(c);	/* an answer the lock holder may be waiting for */
	return 1;
}

/* Every trap but the syscall (int 0x80: trap_syscall below).  The local
 * APIC's mailbox IPI is answered without the big kernel lock (its sender
 * holds it and waits, smp.c); everything else runs
 * under the lock, taken here and given back just before the return.  A
 * task that another CPU killed while this one trapped in (it stopped
 * running it, smp_stop_task) is not served: only interrupts are, then
 * this CPU moves on. */
void trap(struct trapframe *tf)
{
	/* Gates clear IF, TF and NT but not AC, and ring 3 may set AC with
	 * popf: with AC set SMAP lets ring 0 touch user pages freely.  Clear
	 * it before any C runs; user EFLAGS come back from the frame. */
	if (smap_enabled)
		clac();
	uint32_t t_in = (uint32_t)rdtsc();
	uint32_t n = tf->trapno;
	int from_user = (tf->cs & 3) == 3;
	int apic = (n >= VEC_TIMER && n <= VEC_HALT) || n == VEC_SPURIOUS;
	if (apic) {
		if (n == VEC_SPURIOUS)
			return;		/* no EOI for the spurious vector */
		if (n == VEC_HALT)
			halt_forever();
		lapic_eoi();
		mycpu()->ipis += n != VEC_TIMER;
		if (n == VEC_MAILBOX) {
			smp_mailbox_irq();
			if (!mycpu()->stopped) {
				if (from_user)
					lost(mycpu(), n, t_in, 0);
				return;
			}
		}
	}
	int hw = (n >= 32 && n < 48) || apic;
	if (!from_user && !hw)
		dump_and_panic(tf);	/* before the lock: another CPU may hold it */
	struct cpu *in = mycpu();
	uint32_t spin0 = (uint32_t)in->lock_spin;
	int tick = n == VEC_TIMER || n == 32;
	if (tick && tick_deferred(in, n)) {
		if (from_user)
			lost(in, n, t_in, 0);
		return;
	}
	if (!tick)
		kernel_lock();	/* a tick has it from tick_deferred */
	uint32_t spin = (uint32_t)in->lock_spin - spin0;
	if (tick && spin) {
		in->tick_waits++;
		in->tick_spin += spin;
	}
	if (n == 32) {
		pic_eoi(0);
		timer_ticks(1 + in->ticks_owed, 1);
		in->ticks_done_late += in->ticks_owed;
		in->ticks_owed = 0;
	} else if (n >= 32 && n < 48) {
		int irq = (int)n - 32;
		pic_eoi(irq);
		irq_dispatch(irq);
	} else if (n == VEC_TIMER) {
		timer_ticks(1 + in->ticks_owed, 0);
		in->ticks_done_late += in->ticks_owed;
		in->ticks_owed = 0;
	} else if (hw || current->state == T_ZOMBIE) {
		/* a reschedule IPI; or the trap of a task that is gone */
	} else {
		user_exception(tf);
	}
	struct cpu *c = mycpu();
	if (current->state == T_ZOMBIE || (c->resched && (from_user || current->is_idle)))
		schedule();	/* a zombie's never returns */
	if (from_user && hw)
		lost(mycpu(), n, t_in, spin);
	kernel_unlock();
}

/* The syscall trap (isr128 comes here, not to trap()): what trap() does
 * for vector 0x80, without the sorting of vectors.  The IPC fast path
 * (ipc.c) first, for the two syscalls it knows. */
void trap_exit(void);

void trap_syscall(struct trapframe *tf)
{
	if (smap_enabled)
		clac();		/* as in trap() */
	if ((tf->cs & 3) != 3)
		dump_and_panic(tf);	/* int 0x80 from ring 0: a kernel bug */
	lock_take(mycpu());
	struct task *t = current;
	if (t->state != T_ZOMBIE) {	/* else killed from another CPU as it trapped in */
		uint32_t nr = tf->eax;
		if ((nr != SYS_CALL && nr != SYS_REPLY_RECV) || !ipc_fastpath(t))
			syscall_dispatch(t);
	}
	trap_exit();
}

/* The end of a syscall: also where a task that left by the IPC fast
 * path's direct switch resumes (isr.asm fast_resume). */
void trap_exit(void)
{
	if (current->state == T_ZOMBIE || mycpu()->resched)
		schedule();	/* a zombie's never returns */
	lock_give(mycpu());
}
