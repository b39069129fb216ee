/* The x87/MMX/SSE state of tasks.  Each task has its own 512-byte FXSAVE
 * image (struct task.fpu); the state is switched eagerly: whenever a task
 * runs in ring 3, the FPU registers hold its own state, never another
 * task's (docs/architecture.md says why eager and what it costs).
 *
 * The kernel itself never computes with the FPU: kernel.mk builds it with
 * -mno-sse -mno-mmx -mno-80387, and tests/kernel/nofpu.sh checks that the
 * only FPU instructions in kernel.elf are the ones in this file, which
 * move whole states (fninit, fxsave, fxrstor).
 *
 * Invariants:
 *  - each CPU has its own registers, CR0 and CR4 (fpu_init runs on every
 *    CPU) and its own owner (struct cpu fpu_owner): the task whose state
 *    its registers hold, or 0 when they hold no live task's (its owner
 *    died, or ran on another CPU since).  The registers are saved only
 *    into their owner's image, so no task's image ever receives another's
 *    registers;
 *  - a task that does not run has its latest state in its image: a CPU
 *    saves it when it switches the task out (fpu_switch), not later,
 *    because the task may run next on another CPU, whose fxrstor must find
 *    it there.  The registers stay as they were, so a task that comes
 *    back to the same CPU (and ran nowhere else) needs no fxrstor; a CPU
 *    that loads a task takes the ownership from every other CPU;
 *  - an image is written only by fxsave of its own task's state or by
 *    fpu_task_init (FNINIT defaults, MXCSR 0x1F80, every register 0), so it
 *    is always a valid FXRSTOR image (a task can set reserved MXCSR bits
 *    only with ldmxcsr, which faults in the task instead);
 *  - CR4.OSXSAVE stays clear: AVX and later state is out of a task's
 *    reach (#UD), so FXSAVE covers all the state a task can see;
 *  - an unmasked floating-point exception (#MF 16, #XM 19) in a task kills
 *    that task alone (idt.c, DEATH_FPU); its pending state dies with it. */
#include <string.h>
#include "microkernel/kernel.h"
#include "microkernel/task.h"
#include "microkernel/percpu.h"
#include "microkernel/arch/x86/cpu.h"
#include "microkernel/arch/x86/fpu.h"

#define CR0_MP (1u << 1)	/* wait/fwait honour TS (with NE: native errors) */
#define CR0_EM (1u << 2)	/* set: every FPU instruction traps (#NM, #UD) */
#define CR0_TS (1u << 3)	/* set: the next FPU instruction traps (#NM) */
#define CR0_NE (1u << 5)	/* x87 errors as #MF, not through the PIC */
#define CR4_OSFXSR     (1u << 9)	/* fxsave/fxrstor cover SSE; SSE allowed */
#define CR4_OSXMMEXCPT (1u << 10)	/* unmasked SSE exceptions are #XM, not #UD */

#define FX_FCW   0	/* offsets in the FXSAVE image */
#define FX_FSW   2
#define FX_MXCSR 24

static void fxsave(uint8_t *img) { __asm__ volatile("fxsave %0" : "=m"(*(uint8_t (*)[FPU_STATE_SIZE])img)); }
static void fxrstor(const uint8_t *img) { __asm__ volatile("fxrstor %0" :: "m"(*(const uint8_t (*)[FPU_STATE_SIZE])img)); }

/* On every CPU (CR0, CR4 and the registers are each CPU's own).  FXSR,
 * SSE and SSE2 are required: modules are compiled to SSE2 code. */
void fpu_init(void)
{
	uint32_t a, b, c, d;
	cpuid(1, &a, &b, &c, &d);
	if (!((d >> 24) & 1) || !((d >> 25) & 1) || !((d >> 26) & 1)) {
		kprintf("\nBareFlow cannot run on this CPU: it lacks %s.\n"
			"Module code uses SSE2; run QEMU with -cpu max.\n",
			!((d >> 24) & 1) ? "FXSAVE/FXRSTOR" : !((d >> 25) & 1) ? "SSE" : "SSE2");
		qemu_exit(3);
		halt_forever();
	}
	write_cr0((read_cr0() & ~(CR0_EM | CR0_TS)) | CR0_MP | CR0_NE);
	write_cr4(read_cr4() | CR4_OSFXSR | CR4_OSXMMEXCPT);
	__asm__ volatile("fninit");
	mycpu()->fpu_owner = 0;	/* at boot: no task has run here yet */
}

/* A fresh task: the state FNINIT gives (control word 0x037F: every x87
 * exception masked, 64-bit precision, round to nearest; empty stack),
 * MXCSR 0x1F80 (every SSE exception masked, round to nearest) and every
 * register zero, so nothing of an earlier task shows through. */
void fpu_task_init(struct task *t)
{
	memset(t->fpu, 0, sizeof t->fpu);
	t->fpu_cpu = -1;	/* no CPU's registers hold it yet */
	uint16_t fcw = 0x037F;
	uint32_t mxcsr = 0x1F80;
	memcpy(t->fpu + FX_FCW, &fcw, sizeof fcw);
	memcpy(t->fpu + FX_MXCSR, &mxcsr, sizeof mxcsr);
}

/* CPU c switches from prev to next (under the big kernel lock).  prev's
 * state goes to its image now: prev may run next on another CPU.  A dead
 * prev (killed, its slot T_FREE or T_ZOMBIE) is not saved: nobody will
 * read its state.  Idle (kernel only) runs on whatever the registers hold. */
void fpu_switch(struct cpu *c, struct task *prev, struct task *next)
{
	if (prev && c->fpu_owner == prev && prev != next &&
	    prev->state != T_FREE && prev->state != T_ZOMBIE)
		fxsave(prev->fpu);	/* the registers still hold it: owner stays */
	if (next->is_idle || next == c->fpu_owner)
		return;
	if (c->fpu_owner)
		c->fpu_owner->fpu_cpu = -1;	/* its copy here is overwritten */
	if (next->fpu_cpu >= 0)
		cpus[next->fpu_cpu].fpu_owner = 0;	/* that copy is about to go stale */
	fxrstor(next->fpu);
	c->fpu_owner = next;
	next->fpu_cpu = c->id;
}

/* fpu_switch for the IPC handoff (sched.c), where prev is a live task in
 * a syscall and next a task, not idle, other than prev. */
void fpu_handoff(struct cpu *c, struct task *prev, struct task *next)
{
	struct task *o = c->fpu_owner;
	if (o == prev)
		fxsave(prev->fpu);
	else if (o == next)
		return;
	if (o)
		o->fpu_cpu = -1;	/* its copy here is overwritten */
	if (next->fpu_cpu >= 0)
		cpus[next->fpu_cpu].fpu_owner = 0;	/* that copy is about to go stale */
	fxrstor(next->fpu);
	c->fpu_owner = next;
	next->fpu_cpu = c->id;
}

/* t is dying: its registers are dropped, not saved, on whichever CPU
 * holds them (the next fxrstor there overwrites all of them). */
void fpu_task_gone(struct task *t)
{
	if (t->fpu_cpu >= 0)
		cpus[t->fpu_cpu].fpu_owner = 0;
	t->fpu_cpu = -1;
}

/* For the death report of a task that took #MF (16) or #XM (19): the x87
 * status word or MXCSR, whose flags name the exception. */
uint32_t fpu_fault_status(struct task *t, uint32_t trapno)
{
	if (mycpu()->fpu_owner != t)
		return 0;
	fxsave(t->fpu);
	uint16_t fsw;
	uint32_t mxcsr;
	memcpy(&fsw, t->fpu + FX_FSW, sizeof fsw);
	memcpy(&mxcsr, t->fpu + FX_MXCSR, sizeof mxcsr);
	return trapno == 16 ? fsw : mxcsr;
}
