/* Task lifecycle: creation from an ELF boot module or empty (for JIT
 * modules), capabilities, and death with full release of its frames. */
#include <string.h>
#include "microkernel/task.h"
#include "microkernel/kernel.h"
#include "microkernel/elf.h"
#include "microkernel/physmem.h"
#include "microkernel/percpu.h"
#include "lib/abi_names.h"
#include "microkernel/arch/x86/fpu.h"

struct task tasks[MAX_TASKS];
static uint8_t kstacks[MAX_TASKS][KSTACK_SIZE] __attribute__((aligned(16)));
static uint32_t next_id = 1;

/* Death reports wait here until init collects them with SYS_REAP. */
#define DEATH_RING 32
static struct bf_death deaths[DEATH_RING];
static unsigned death_head, death_count;
int death_notify = -1;		/* notification index init waits on */

static uint32_t kstack_top(struct task *t)
{
	return (uint32_t)&kstacks[t - tasks][KSTACK_SIZE];
}

/* A fresh task in T_EMBRYO: address space, kernel stack with a user-mode
 * trap frame that trapret will "return" into. */
struct task *task_alloc(const char *name, int prio, uint32_t budget_ticks)
{
	struct task *t = 0;
	for (int i = 1; i < MAX_TASKS; i++)	/* slot 0 is the idle task */
		if (tasks[i].state == T_FREE) {
			t = &tasks[i];
			break;
		}
	if (!t)
		return 0;
	uint32_t gen = t->gen + 1;
	memset(t, 0, sizeof *t);
	t->gen = gen;
	if (vm_space_create(&t->as))
		return 0;
	t->id = next_id++;
	size_t n = strnlen(name, sizeof t->name - 1);
	memcpy(t->name, name, n);
	t->prio = prio < 0 ? 0 : prio >= NPRIO ? NPRIO - 1 : prio;
	t->budget = budget_ticks;
	t->state = T_EMBRYO;
	t->grant_cursor = USER_GRANT_BASE;
	t->code_limit = CODE_LIMIT_DEFAULT;
	t->cpu = t->rq = -1;
	memset(t->iomap, 0xFF, sizeof t->iomap);
	fpu_task_init(t);

	uint32_t top = kstack_top(t);
	t->tf = (struct trapframe *)(top - sizeof(struct trapframe));
	memset(t->tf, 0, sizeof *t->tf);
	t->tf->cs = SEG_UCODE | 3;
	t->tf->ds = t->tf->es = t->tf->fs = t->tf->gs = t->tf->ss = SEG_UDATA | 3;
	t->tf->eflags = 0x202;		/* IF set, IOPL 0 */
	t->tf->esp = USER_STACK_TOP;
	uint32_t *ctx = (uint32_t *)t->tf - 5;	/* edi esi ebx ebp ret */
	memset(ctx, 0, 4 * sizeof *ctx);
	ctx[4] = (uint32_t)task_first_run;	/* from schedule(), lock held */
	t->kesp = (uint32_t)ctx;
	return t;
}

/* Fresh zeroed frame mapped at va; the mapping holds the only reference. */
static int map_fresh(struct task *t, uint32_t va, unsigned flags, paddr_t *out)
{
	paddr_t pa = frame_alloc();
	if (!pa)
		return E_NOMEM;
	memset(phys_to_virt(pa), 0, FRAME_SIZE);
	int r = vm_map(&t->as, va, pa, flags);
	frame_unref(pa);
	if (r == 0 && out)
		*out = pa;
	return r;
}

int task_setup_stack(struct task *t)
{
	return task_map_zeroed(t, USER_STACK_TOP - USER_STACK_PAGES * PAGE_SIZE, USER_STACK_PAGES, VM_WRITE);
}

/* n fresh zeroed pages from va on, or none of them. */
int task_map_zeroed(struct task *t, uint32_t va, uint32_t n, unsigned flags)
{
	for (uint32_t i = 0; i < n; i++) {
		int r = map_fresh(t, va + i * PAGE_SIZE, flags, 0);
		if (r) {
			while (i--)
				vm_unmap(&t->as, va + i * PAGE_SIZE);
			return r;
		}
	}
	return 0;
}

/* Open ports [first, first + count) in x's TSS I/O bitmap. */
void task_open_ports(struct task *x, uint32_t first, uint32_t count)
{
	for (uint32_t p = first; p < first + count && p < IOMAP_BYTES * 8; p++)
		x->iomap[p / 8] &= (uint8_t)~(1u << (p % 8));
	x->has_io = 1;
	if (x == current)
		arch_switch_space(x);
}

/* What SYS_TASK_INFO shows; all zero for a free slot. */
void task_info(const struct task *x, struct bf_task_info *out)
{
	memset(out, 0, sizeof *out);
	if (x->state == T_FREE)
		return;
	out->id = x->id;
	memcpy(out->name, x->name, sizeof out->name);
	out->state = (uint32_t)x->state;
	out->prio = (uint32_t)x->prio;
	out->frames = x->as.pages;
	out->ticks = x->ticks;
	out->budget = x->budget;
	out->secure = x->secure;
	out->cpu = x->cpu >= 0 ? (uint32_t)x->cpu : CPU_NONE;
	out->home = x->home;
	out->pinned = x->pinned;
	out->code_pages = x->code_pages;
	for (uint32_t i = 0; i < x->nretired; i++)
		out->code_retired += x->retired[i].n;
	out->code_reclaimed = x->code_reclaimed;
	out->mem_limit = x->as.limit;
	out->mem_held = x->as.pages + x->as.tables;	/* what the quota counts (vm.c) */
}

void tasks_audit(struct bf_audit *out)
{
	memset(out, 0, sizeof *out);
	for (int i = 1; i < MAX_TASKS; i++)
		if (tasks[i].state != T_FREE)
			vm_audit(&tasks[i].as, out, tasks[i].id);
}

void task_set_entry(struct task *t, uint32_t eip, uint32_t arg)
{
	t->tf->eip = eip;
	t->tf->eax = arg;	/* crt0 hands it to main */
}

int task_load_elf(struct task *t, const uint8_t *elf, uint32_t len, uint32_t arg)
{
	struct elf_image img;
	const char *why;
	if (elf_parse(elf, len, USER_BASE, USER_HEAP_BASE, &img, &why)) {
		kprintf("kernel: cannot load %s: %s\n", t->name, why);
		return E_BADELF;
	}
	for (int s = 0; s < img.nsegs; s++) {
		const struct elf_seg *sg = &img.segs[s];
		unsigned fl = (sg->writable ? VM_WRITE : 0) | (sg->executable ? VM_EXEC : 0);
		uint32_t start = sg->vaddr & ~(PAGE_SIZE - 1);
		for (uint32_t va = start; va < sg->vaddr + sg->memsz; va += PAGE_SIZE) {
			paddr_t pa;
			int r = map_fresh(t, va, fl, &pa);
			if (r)
				return r;
			/* copy the part of the file image that falls in this page */
			uint32_t lo = va > sg->vaddr ? va : sg->vaddr;
			uint32_t hi = va + PAGE_SIZE;
			if (hi > sg->vaddr + sg->filesz)
				hi = sg->vaddr + sg->filesz;
			if (lo < hi)
				memcpy((uint8_t *)phys_to_virt(pa) + (lo - va),
				       elf + sg->offset + (lo - sg->vaddr), hi - lo);
		}
	}
	int r = task_setup_stack(t);
	if (r)
		return r;
	task_set_entry(t, img.entry, arg);
	return 0;
}

int death_pop(struct bf_death *out)
{
	if (!death_count)
		return E_AGAIN;
	*out = deaths[(death_head + DEATH_RING - death_count) % DEATH_RING];
	death_count--;
	return 0;
}

static void death_push(const struct bf_death *d)
{
	deaths[death_head] = *d;
	death_head = (death_head + 1) % DEATH_RING;
	if (death_count < DEATH_RING)
		death_count++;	/* when full the oldest report is overwritten */
}

/* Take a task out of every queue and relation and give back all it held.
 * Returns the number of frames that became free. */
static uint32_t task_release(struct task *t)
{
	sched_remove(t);
	ipc_task_gone(t);
	irq_task_gone(t);
	console_task_gone(t);
	fpu_task_gone(t);
	uint32_t before = frames_used();
	arch_leave_space(&t->as);	/* stop using its page tables first */
	vm_space_destroy(&t->as);
	if (t->dispatch)
		frame_unref(t->dispatch);
	t->dispatch = 0;
	t->npend = 0;
	for (int i = 0; i < NCAPS; i++)
		cap_clear(t, i);	/* objects whose last capability this was go */
	ipc_obj_owner_gone(t);	/* and those it created */
	/* Still another CPU's current (stopped there, smp_stop_task): the
	 * slot and its kernel stack stay taken until that CPU switches away
	 * (sched.c switch_to). */
	t->state = t->cpu >= 0 && t != current ? T_ZOMBIE : T_FREE;
	return before - frames_used();
}

/* A task that never ran (failed spawn): no report. */
void task_discard(struct task *t)
{
	if (t->state == T_EMBRYO)
		task_release(t);
}

/* Kill a task: release it and report to init.  If it is the running task
 * we never return to it.  If it runs on another CPU, that CPU is made to
 * stop running it first (and waits for the lock we hold), so the kill is
 * as complete when this returns as on one CPU. */
void task_kill(struct task *t, uint32_t cause, uint32_t status, uint32_t err, uint32_t cr2)
{
	if (t->state == T_FREE || t->state == T_ZOMBIE || t->is_idle)
		return;
	smp_stop_task(t);
	struct bf_death d;
	memset(&d, 0, sizeof d);
	d.task_id = t->id;
	memcpy(d.name, t->name, sizeof d.name);
	d.cause = cause;
	d.status = status;
	d.eip = t->tf->eip;
	d.err = err;
	d.cr2 = cr2;
	d.frames_released = task_release(t);
	if (cause != DEATH_EXIT || status != 0)
		kprintf("kernel: task %u (%s) %s: eip=%08x cr2=%08x err=%x status=%u\n",
			d.task_id, d.name, abi_death_cause(cause), d.eip, d.cr2, d.err, d.status);
	death_push(&d);
	if (death_notify >= 0)
		ipc_notify_obj(&notifications[death_notify], INIT_NOTIFY_DEATH);
	if (t == current)
		schedule();	/* does not return here: the slot is free */
}
