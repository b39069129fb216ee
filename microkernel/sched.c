/* Preemptive priority scheduler: one FIFO run queue per priority, highest
 * first, round-robin within a priority by time slice.  The running task is
 * not on a queue.  Task 0 is the idle task (kernel only): it halts until an
 * interrupt makes something runnable.  The kernel itself is not
 * preemptible (interrupts are off in ring 0 except in the idle loop). */
#include "microkernel/task.h"
#include "microkernel/kernel.h"
#include "microkernel/arch/x86/fpu.h"

#define SLICE_TICKS 5

static struct task *head[NPRIO], *tail[NPRIO];
int need_resched;

static struct task *idle(void) { return &tasks[0]; }

static void enqueue(struct task *t)
{
	for (struct task *x = head[t->prio]; x; x = x->qnext)
		if (x == t)
			return;
	t->qnext = 0;
	if (tail[t->prio])
		tail[t->prio]->qnext = t;
	else
		head[t->prio] = t;
	tail[t->prio] = t;
}

void sched_ready(struct task *t)
{
	t->state = T_RUNNABLE;
	t->wake_tick = 0;	/* whatever it waited for is over */
	if (t == current || t == idle())
		return;
	enqueue(t);
	if (!current || current == idle() || t->prio > current->prio)
		need_resched = 1;
}

void sched_remove(struct task *t)
{
	struct task **pp = &head[t->prio], *prev = 0;
	for (; *pp; prev = *pp, pp = &(*pp)->qnext)
		if (*pp == t) {
			*pp = t->qnext;
			if (tail[t->prio] == t)
				tail[t->prio] = prev;
			t->qnext = 0;
			return;
		}
}

static struct task *pick(void)
{
	for (int p = NPRIO - 1; p >= 0; p--)
		if (head[p]) {
			struct task *t = head[p];
			head[p] = t->qnext;
			if (!head[p])
				tail[p] = 0;
			t->qnext = 0;
			return t;
		}
	return idle();
}

static void switch_to(struct task *prev, struct task *next)
{
	next->slice = SLICE_TICKS;
	current = next;
	arch_switch_space(next);
	fpu_switch(next);	/* eager: its registers before it can run */
	swtch(&prev->kesp, next->kesp);
}

void schedule(void)
{
	struct task *prev = current;
	need_resched = 0;
	if (prev != idle() && prev->state == T_RUNNABLE)
		enqueue(prev);	/* still runnable: to the back of its queue */
	struct task *next = pick();
	if (next != prev)
		switch_to(prev, next);
}

/* IPC fast path: the current task just blocked and `next` just became
 * runnable; run it at once, without a trip through the run queue, unless
 * something more important is waiting. */
void sched_handoff(struct task *next)
{
	next->state = T_RUNNABLE;
	for (int p = NPRIO - 1; p > next->prio; p--)
		if (head[p]) {
			sched_ready(next);
			schedule();
			return;
		}
	need_resched = 0;
	switch_to(current, next);
}

void sched_tick(void)
{
	struct task *t = current;
	if (t == idle())
		return;
	t->ticks++;
	if (t->budget && t->ticks > t->budget) {
		task_kill(t, DEATH_BUDGET, t->ticks, 0, 0);
		return;
	}
	if (t->slice)
		t->slice--;
	if (t->slice == 0)
		need_resched = 1;
}

static void idle_loop(void)
{
	for (;;) {
		__asm__ volatile("sti; hlt; cli");
		if (need_resched)
			schedule();
	}
}

/* Give the idle task a stack that "returns" into idle_loop, then run the
 * best task. */
void sched_start(void)
{
	static uint8_t idle_stack[4096] __attribute__((aligned(16)));
	struct task *i = idle();
	i->state = T_RUNNABLE;
	i->id = 0;
	i->name[0] = 'i'; i->name[1] = 'd'; i->name[2] = 'l'; i->name[3] = 'e';
	uint32_t *ctx = (uint32_t *)&idle_stack[sizeof idle_stack] - 5;
	for (int k = 0; k < 4; k++)
		ctx[k] = 0;
	ctx[4] = (uint32_t)idle_loop;
	i->kesp = (uint32_t)ctx;
	static uint32_t boot_esp;
	current = i;
	i->state = T_RUNNABLE;
	struct task *next = pick();
	current = next;
	if (next != i) {
		next->slice = SLICE_TICKS;
		arch_switch_space(next);
		fpu_switch(next);
	}
	swtch(&boot_esp, next->kesp);
	panic("sched_start returned");
}
