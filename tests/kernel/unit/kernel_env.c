/* A host stand-in for the parts of the kernel that touch hardware, so the
 * portable kernel files (frame.c, vm.c, elf.c, cap.c, ipc.c, code.c, and the
 * syscall table with its handlers) run under
 * Criterion: simulated RAM, no-op TLB, a scheduler that only records. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "tests/kernel/unit/kernel_env.h"

uint8_t *fake_ram;
struct task tasks[MAX_TASKS];
struct task *current;
int need_resched;
int death_notify = -1;
volatile uint32_t ticks;		/* the tests move time by hand */
int irq_notify_gone_calls;
void irq_notify_gone(int index) { (void)index; irq_notify_gone_calls++; }
int sched_ready_calls, schedule_calls;

void *phys_to_virt(paddr_t pa) { return fake_ram + pa; }
void arch_tlb_invalidate(const struct addrspace *as, uint32_t va) { (void)as; (void)va; }
/* Records each publish and what the watched dispatch entry held then. */
int code_publish_calls;
const volatile uint32_t *code_publish_watch;
uint32_t code_publish_saw;
void arch_code_publish(const struct addrspace *as)
{
	(void)as;
	code_publish_calls++;
	if (code_publish_watch)
		code_publish_saw = *code_publish_watch;
}

void sched_ready(struct task *t)
{
	t->state = T_RUNNABLE;
	t->wake_tick = 0;	/* as sched.c does */
	sched_ready_calls++;
}
void schedule(void) { schedule_calls++; }
void sched_yield(void) { need_resched = 1; }

void sched_handoff(struct task *t) { sched_ready(t); schedule(); }

void kprintf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
}

/* FAKE_RAM_MB of RAM from 1 MiB up, frame allocator reset. */
void fake_ram_init(void)
{
	if (!fake_ram)
		fake_ram = aligned_alloc(4096, FAKE_RAM_MB << 20);
	memset(fake_ram, 0x5A, FAKE_RAM_MB << 20);	/* garbage, as real RAM */
	struct mem_range ram = { 0x100000, (FAKE_RAM_MB << 20) - 0x100000 };
	frame_init(&ram, 1, 0, 0);
}

/* RAM and the kernel's page tables (one text page). */
void fake_kernel_init(void)
{
	fake_ram_init();
	struct kseg seg = { 0x100000, 0x101000, VM_EXEC };
	vm_kernel_init(FAKE_RAM_MB << 20, &seg, 1);
}

void fake_cap(struct task *t, int slot, int type, int rights, int obj, uint32_t badge)
{
	t->caps[slot] = (struct cap){ (uint8_t)type, (uint8_t)rights, (uint16_t)obj, badge, 0 };
}

/* A task with an address space and a trap frame to receive results in. */
struct task *fake_task(int idx)
{
	static struct trapframe tfs[MAX_TASKS];
	struct task *t = &tasks[idx];
	memset(t, 0, sizeof *t);
	t->id = (uint32_t)idx + 100;
	t->gen = 1;
	t->state = T_RUNNABLE;
	t->tf = &tfs[idx];
	t->grant_cursor = USER_GRANT_BASE;
	memset(t->tf, 0, sizeof *t->tf);
	if (vm_space_create(&t->as))
		abort();
	return t;
}
