/* More than one CPU: finding them (ACPI), starting the application
 * processors (INIT-SIPI-SIPI into a real-mode trampoline at 0x8000), and
 * what one CPU asks of another.
 *
 * Requests between CPUs.  A CPU that holds the big kernel lock sometimes
 * needs another CPU to act *before* it goes on: forget a page table entry
 * (TLB shootdown), drop tables about to be freed, stop running a task
 * being killed, serialize before running new code.  It writes the request
 * into the target's mailbox (struct cpu mb_*), sends the mailbox IPI and
 * spins until the target acknowledges.  The target answers without the
 * lock -- in the IPI handler, or from the loop where it spins for the
 * lock (lock.c) -- so the sender may keep the lock while it waits; since
 * only the lock holder sends, one mailbox slot per CPU is enough, and no
 * two CPUs ever wait for each other.
 *
 * Guarantees:
 *  - smp_tlb_remote returns once every other CPU that has the tables
 *    loaded has executed invlpg for the address: the page table change is
 *    then visible everywhere, and only then is a frame freed (vm_unmap);
 *  - smp_stop_task returns once the CPU running the task is in the
 *    kernel, will not run it again, and no longer has its tables loaded;
 *  - smp_sync_cores returns once every other CPU with the tables loaded
 *    has taken an interrupt, whose iret is serializing (the SDM's rule for
 *    cross-modifying code, docs/jit-protocol.md);
 *  - with one CPU none of this runs: no local APIC is touched, the PIT
 *    and the 8259 drive the kernel exactly as before. */
#include <string.h>
#include "microkernel/kernel.h"
#include "microkernel/percpu.h"
#include "microkernel/arch/x86/fpu.h"
#include "microkernel/arch/x86/cpu.h"
#include "microkernel/arch/x86/gdt.h"
#include "microkernel/arch/x86/apic.h"
#include "microkernel/arch/x86/acpi.h"

#define TRAMP 0x8000u	/* below 1 MiB, page aligned: the SIPI vector 0x08 */

enum { MB_INVLPG = 1, MB_LEAVE, MB_STOP, MB_SYNC };

struct cpu cpus[MAX_CPUS];
int ncpus = 1;
static struct acpi_cpus found;
static int apic_on;

/* What an AP needs before it has a stack of its own (boot.asm ap_entry). */
uint32_t ap_boot_esp, ap_boot_cr3, ap_boot_cr4;
static volatile int ap_boot_cpu, ap_started;
extern char ap_tramp_start[], ap_tramp_end[];

/* Paging still off: the processors from the MADT; CPU 0 (this one) set up. */
void smp_early(void)
{
	const char *why = 0;
	if (acpi_find_cpus(&found, &why)) {
		found.n = 1;
		kprintf("kernel: one CPU: %s\n", why);
	}
	for (int i = 0; i < MAX_CPUS; i++) {
		cpus[i].self = &cpus[i];
		cpus[i].id = i;
	}
	cpus[0].online = 1;
	sched_cpu_init(&cpus[0]);
}

/* An AP, paging on, on its idle stack (boot.asm ap_entry). */
void ap_main(void)
{
	int id = ap_boot_cpu;
	struct cpu *c = &cpus[id];
	gdt_init(id);
	idt_load();
	fpu_init();	/* CR0/CR4 and the FPU registers are this CPU's own */
	lapic_init(1);
	c->cr3 = ap_boot_cr3;
	__atomic_store_n(&c->online, 1, __ATOMIC_RELEASE);
	ap_started = 1;
	sched_idle_loop();
}

static int start_ap(int id, uint32_t apic_id)
{
	struct cpu *c = &cpus[id];
	c->apic_id = apic_id;
	sched_cpu_init(c);
	ap_boot_cpu = id;
	ap_boot_esp = sched_idle_stack(id);
	ap_started = 0;
	lapic_init_ipi(apic_id);
	lapic_delay_us(10000);
	for (int k = 0; k < 2 && !ap_started; k++) {
		lapic_startup_ipi(apic_id, TRAMP);
		for (int w = 0; w < 200 && !ap_started; w++)
			lapic_delay_us(k ? 1000 : 1);	/* 200 us, then 200 ms */
	}
	return ap_started ? 0 : -1;
}

/* The boot CPU, lock held, paging and traps set up: start every AP. */
void smp_init(void)
{
	if (found.n <= 1)
		return;
	lapic_map(found.lapic_pa);
	apic_on = 1;
	uint32_t me = lapic_id();
	cpus[0].apic_id = me;
	lapic_init(0);
	lapic_calibrate();
	memcpy((void *)TRAMP, ap_tramp_start, (uint32_t)(ap_tramp_end - ap_tramp_start));
	ap_boot_cr3 = kernel_only_pdpt;
	ap_boot_cr4 = paging_cr4();
	for (int i = 0; i < found.n && i < ACPI_MAX_CPUS && ncpus < MAX_CPUS; i++) {
		if (found.apic_id[i] == me)
			continue;
		if (start_ap(ncpus, found.apic_id[i]) == 0)
			ncpus++;
		else
			kprintf("kernel: the CPU with APIC id %u did not start\n", found.apic_id[i]);
	}
	kprintf("kernel: %d CPUs (%d in the MADT), big kernel lock, local APIC timers on the APs\n",
		ncpus, found.n);
}

/* ---- the mailbox ---------------------------------------------------- */

static void leave(struct cpu *c)
{
	write_cr3(kernel_only_pdpt);
	c->cr3 = kernel_only_pdpt;
}

void smp_poll(struct cpu *c)
{
	uint32_t seq = __atomic_load_n(&c->mb_seq, __ATOMIC_ACQUIRE);
	if (seq == c->mb_ack)
		return;
	uint32_t arg = c->mb_arg;
	switch (c->mb_op) {
	case MB_INVLPG:
		invlpg(arg);
		break;
	case MB_STOP:
		/* never back to it; off its tables, which are about to go */
		if (c->cur == (struct task *)arg) {
			c->stopped = 1;
			leave(c);
		}
		break;
	case MB_LEAVE:
		if (c->cr3 == arg)
			leave(c);
		break;
	case MB_SYNC:
		break;	/* the way back to ring 3 is an iret: serializing */
	}
	__atomic_store_n(&c->mb_ack, seq, __ATOMIC_RELEASE);
}

void smp_mailbox_irq(void) { smp_poll(mycpu()); }

static void post(struct cpu *c, uint32_t op, uint32_t arg)
{
	c->mb_op = op;
	c->mb_arg = arg;
	__atomic_store_n(&c->mb_seq, c->mb_seq + 1, __ATOMIC_RELEASE);
	lapic_ipi(c->apic_id, VEC_MAILBOX);
}

static void await_ack(struct cpu *c)
{
	struct cpu *me = mycpu();
	uint32_t t0 = (uint32_t)rdtsc(), turn = 0;
	while (__atomic_load_n(&c->mb_ack, __ATOMIC_ACQUIRE) != c->mb_seq)
		spin_turn(&turn);
	uint32_t d = (uint32_t)rdtsc() - t0;	/* counted: bench/smp.sh */
	me->ack_n++;
	me->ack_cycles += d;
	if (d > me->ack_max)
		me->ack_max = d;
}

/* The request to every other CPU that has pdpt loaded; back when all did it. */
static void to_cpus_with(uint32_t pdpt, uint32_t op, uint32_t arg)
{
	if (ncpus == 1)
		return;
	struct cpu *me = mycpu();
	uint32_t sent = 0;
	for (int i = 0; i < ncpus; i++)
		if (&cpus[i] != me && cpus[i].online && cpus[i].cr3 == pdpt) {
			post(&cpus[i], op, arg);
			sent |= 1u << i;
		}
	for (int i = 0; sent; i++, sent >>= 1)
		if (sent & 1)
			await_ack(&cpus[i]);
}

void smp_tlb_remote(uint32_t pdpt, uint32_t va) { to_cpus_with(pdpt, MB_INVLPG, va); }
void smp_leave_remote(uint32_t pdpt) { to_cpus_with(pdpt, MB_LEAVE, pdpt); }
void smp_sync_cores(uint32_t pdpt) { to_cpus_with(pdpt, MB_SYNC, 0); }

void smp_stop_task(struct task *t)
{
	if (t->cpu < 0 || t->cpu == mycpu()->id)
		return;
	struct cpu *c = &cpus[t->cpu];
	post(c, MB_STOP, (uint32_t)t);
	await_ack(c);
}

/* Make c schedule soon.  A flag already set means an IPI is on its way
 * or c will look at the flag at the end of the trap it is in.  The sender
 * gives the lock back with a PAUSE (lock.c) so that c can take it. */
void smp_resched(struct cpu *c)
{
	struct cpu *me = mycpu();
	if (c == me) {
		c->resched = 1;
		return;
	}
	if (c->resched)
		return;
	c->resched = 1;
	lapic_ipi(c->apic_id, VEC_RESCHED);
	me->ipi_sent = 1;
}

void smp_halt_others(void)
{
	if (apic_on)
		lapic_ipi_others(VEC_HALT);
}
