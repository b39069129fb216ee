/* Preemptive priority scheduler, per CPU.  Each CPU has one FIFO run
 * queue per priority, highest first, round-robin within a priority by time
 * slice.  A task is queued on its *home* CPU (task->home, SYS_TASK_AFFINITY;
 * CPU 0 unless set); a CPU whose own queue is empty takes the best waiting
 * task of another CPU's queue, unless that task is pinned -- so nothing
 * waits while a CPU idles, and a task that prefers a CPU runs there
 * whenever that CPU has time for it.  A task that wakes with a higher
 * priority than what its home CPU runs preempts it (an IPI when the home
 * is another CPU); if its home is busy with work as important, an idle
 * CPU is woken to take it.
 *
 * Invariants: the running task of a CPU is on no queue (task->rq == -1,
 * task->cpu == the CPU); a waiting runnable task is on exactly one queue,
 * its home's; everything here runs under the big kernel lock.  Each CPU
 * has an idle task (kernel only) that halts until an interrupt makes
 * something runnable.  The kernel itself is not preemptible (interrupts
 * are off in ring 0 except in the idle loop). */
#include <string.h>
#include "microkernel/task.h"
#include "microkernel/kernel.h"
#include "microkernel/percpu.h"
#include "microkernel/arch/x86/fpu.h"
#include "microkernel/arch/x86/space.h"

_Static_assert(NPRIO <= 31, "qmask holds a bit per priority");

#define SLICE_TICKS 5

static struct task idle_tasks[MAX_CPUS];	/* CPU 0's is tasks[0] */
static uint8_t idle_stacks[MAX_CPUS][8192] __attribute__((aligned(16)));

static struct cpu *home_of(const struct task *t)
{
	return t->home < ncpus && cpus[t->home].online ? &cpus[t->home] : &cpus[0];
}

static void enqueue(struct cpu *c, struct task *t)
{
	if (t->rq >= 0)
		return;
	t->qnext = 0;
	if (c->tail[t->prio])
		c->tail[t->prio]->qnext = t;
	else
		c->head[t->prio] = t;
	c->tail[t->prio] = t;
	c->qmask |= 1u << t->prio;
	t->rq = c->id;
}

static void dequeue(struct cpu *c, struct task *t)
{
	struct task **pp = &c->head[t->prio], *prev = 0;
	for (; *pp; prev = *pp, pp = &(*pp)->qnext)
		if (*pp == t) {
			*pp = t->qnext;
			if (c->tail[t->prio] == t)
				c->tail[t->prio] = prev;
			if (!c->head[t->prio])
				c->qmask &= ~(1u << t->prio);
			t->qnext = 0;
			t->rq = -1;
			return;
		}
}

/* The priority c runs at; its idle task is below every task. */
static int running_prio(const struct cpu *c)
{
	return c->cur->is_idle ? -1 : c->cur->prio;
}

/* t waits on c's queue: make some CPU run it soon. */
static void kick(struct cpu *c, struct task *t)
{
	if (running_prio(c) < t->prio) {
		smp_resched(c);
		return;
	}
	if (t->pinned)
		return;
	for (int i = 0; i < ncpus; i++)
		if (cpus[i].online && cpus[i].cur->is_idle) {
			smp_resched(&cpus[i]);	/* it will take t from c's queue */
			return;
		}
}

void sched_ready(struct task *t)
{
	t->state = T_RUNNABLE;
	t->wake_tick = 0;	/* whatever it waited for is over */
	if (t->is_idle || t->cpu >= 0)
		return;		/* running: it is on no queue */
	struct cpu *h = home_of(t);
	enqueue(h, t);
	kick(h, t);
}

void sched_remove(struct task *t)
{
	if (t->rq >= 0)
		dequeue(&cpus[t->rq], t);
}

static struct task *first(struct cpu *c, int above)
{
	uint32_t m = c->qmask >> (above + 1);	/* the queues above `above` */
	return m ? c->head[31 - __builtin_clz(m) + above + 1] : 0;
}

/* The next task for c: the best of its own queue, else the best task
 * waiting on another CPU that is not pinned there, else idle. */
static struct task *pick(struct cpu *c)
{
	struct task *t = first(c, -1);
	if (!t) {
		for (int i = 0; i < ncpus; i++) {
			if (&cpus[i] == c)
				continue;
			for (int p = NPRIO - 1; p >= 0 && (!t || p > t->prio); p--) {
				struct task *x = cpus[i].head[p];
				while (x && x->pinned)
					x = x->qnext;
				if (x) {
					t = x;
					break;
				}
			}
		}
	}
	if (!t)
		return c->idle;
	dequeue(&cpus[t->rq], t);
	return t;
}

static void switch_to(struct cpu *c, struct task *prev, struct task *next)
{
	next->slice = SLICE_TICKS;
	next->cpu = c->id;
	c->switches++;
	if (prev->npend && prev->state != T_ZOMBIE && prev->state != T_FREE)
		code_dispatch_flush(prev);	/* a safe point: it leaves the CPU */
	if (!prev->is_idle)
		prev->cpu = -1;
	if (prev->state == T_ZOMBIE)
		prev->state = T_FREE;	/* killed from another CPU: we leave its stack now */
	c->cur = next;
	c->stopped = 0;
	if (!next->is_idle)
		arch_switch_space_cpu(c, next);
	fpu_switch(c, prev, next);	/* eager: its registers before it can run */
	swtch(&prev->kesp, next->kesp);
}

void schedule(void)
{
	struct cpu *c = mycpu();
	struct task *prev = c->cur;
	c->resched = 0;
	if (!prev->is_idle && prev->state == T_RUNNABLE) {
		/* still runnable: to the back of its home's queue */
		struct cpu *h = home_of(prev);
		prev->cpu = -1;
		enqueue(h, prev);
		if (h != c)
			kick(h, prev);
	}
	struct task *next = pick(c);
	if (next != prev)
		switch_to(c, prev, next);
	else if (!next->is_idle)
		next->cpu = c->id;
}

/* IPC fast path: the current task just blocked and `next` just became
 * runnable; run it at once, without a trip through the run queue, unless
 * it belongs on another CPU or something more important waits here. */
void sched_handoff(struct task *next)
{
	struct cpu *c = mycpu();
	next->state = T_RUNNABLE;
	if ((next->home != c->id && home_of(next) != c) || (c->qmask >> (next->prio + 1))) {
		sched_ready(next);
		schedule();
		return;
	}
	next->wake_tick = 0;
	/* a resched that is set stays set: another CPU may have queued a
	 * task here and then sent no IPI (smp_resched) */
	struct task *prev = c->cur;
	next->slice = SLICE_TICKS;
	next->cpu = c->id;
	prev->cpu = -1;		/* prev is a task in a syscall, never idle */
	c->cur = next;
	c->stopped = 0;
	arch_switch_space_cpu(c, next);
	fpu_handoff(c, prev, next);
	/* prev's syscall is over but for the return to ring 3: it resumes
	 * there (trap_exit, then trapret) whoever switches back to it */
	prev->fctx[4] = (uint32_t)fast_resume;
	prev->fctx[5] = (uint32_t)prev->tf;
	swtch_direct(&prev->kesp, prev->fctx, next->kesp, next->fctx, (uint32_t)next->tf);
}

void sched_yield(void)
{
	mycpu()->resched = 1;
}

int sched_affinity(struct task *t, uint32_t cpu, int pinned)
{
	if (cpu >= (uint32_t)ncpus || !cpus[cpu].online)
		return E_INVAL;
	t->home = (uint8_t)cpu;
	t->pinned = (uint8_t)!!pinned;
	if (t->rq >= 0 && t->rq != (int)cpu) {
		/* move it to its new home's queue */
		dequeue(&cpus[t->rq], t);
		enqueue(&cpus[cpu], t);
		kick(&cpus[cpu], t);
	} else if (t->cpu >= 0 && t->cpu != (int)cpu && pinned) {
		smp_resched(&cpus[t->cpu]);	/* off the CPU it may no longer use */
	}
	return 0;
}

int cpu_info(uint32_t cpu, struct bf_cpu_info *out)
{
	if (cpu >= (uint32_t)ncpus)
		return E_INVAL;
	const struct cpu *c = &cpus[cpu];
	memset(out, 0, sizeof *out);
	out->online = (uint32_t)c->online;
	out->apic_id = c->apic_id;
	if (c->cur && !c->cur->is_idle) {
		out->task_id = c->cur->id;
		memcpy(out->task, c->cur->name, sizeof out->task);
	}
	out->load_pct = c->load_pct;
	out->ticks_busy = c->ticks_busy;
	out->ticks_all = c->ticks_all;
	for (int p = 0; p < NPRIO; p++)
		for (const struct task *x = c->head[p]; x; x = x->qnext)
			out->queued++;
	out->ipis = c->ipis;
	out->lock_count = c->lock_count;
	out->lock_max = c->lock_max;
	out->lock_waits = c->lock_waits;
	out->lock_cycles = c->lock_cycles;
	out->lock_spin = c->lock_spin;
	out->spin_max = c->spin_max;
	out->irq_n = c->irq_n;
	out->irq_max = c->irq_max;
	out->irq_max_vec = c->irq_max_vec;
	out->irq_max_spin = c->irq_max_spin;
	out->irq_cycles = c->irq_cycles;
	out->ack_n = c->ack_n;
	out->ack_max = c->ack_max;
	out->ack_cycles = c->ack_cycles;
	out->ticks_deferred = c->ticks_deferred;
	out->tick_waits = c->tick_waits;
	out->ticks_done_late = c->ticks_done_late;
	out->switches = c->switches;
	out->tick_spin = c->tick_spin;
	return ncpus;
}

void cpu_lock_reset(void) { lock_stats_reset(); }

/* A timer tick on this CPU: load accounting, then the running task's time. */
void cpu_tick(void)
{
	struct cpu *c = mycpu();
	int busy = !c->cur->is_idle;
	c->ticks_all++;
	c->ticks_busy += (uint32_t)busy;
	c->win_busy += (uint32_t)busy;
	if (++c->win_all >= HZ) {
		c->load_pct = c->win_busy * 100 / c->win_all;
		c->win_busy = c->win_all = 0;
	}
	sched_tick();
}

void sched_tick(void)
{
	struct task *t = current;
	if (t->is_idle)
		return;
	t->ticks++;
	if (t->budget && t->ticks > t->budget) {
		task_kill(t, DEATH_BUDGET, t->ticks, 0, 0);
		return;
	}
	/* A safe point for its waiting dispatch stores and its retired
	 * code: ticks come only from ring 3 here (the kernel runs with
	 * interrupts off), so t is stopped with all its registers in t->tf,
	 * it runs on no other CPU, and it goes back to its code by iret. */
	if (t->npend)
		code_dispatch_flush(t);	/* first: what it no longer reaches may go */
	if (t->nretired)
		code_reclaim(t);
	if (t->slice)
		t->slice--;
	if (t->slice == 0)
		mycpu()->resched = 1;
}

/* Work for c, as far as the heads of the queues tell (read without the
 * lock: a hint; a task c must take comes with an IPI anyway, kick()). */
static int has_work(const struct cpu *c)
{
	for (int i = 0; i < ncpus; i++)
		for (int p = 0; p < NPRIO; p++) {
			const struct task *x = cpus[i].head[p];
			if (x && (&cpus[i] == c || !x->pinned))
				return 1;
		}
	return 0;
}

/* The idle task's loop, without the lock: halt until an interrupt; take
 * the lock to schedule when there is something to run.  The check of the
 * queues before hlt is a hint only (read without the lock): a task made
 * runnable after it comes with an IPI or a timer tick, and sti's
 * one-instruction shadow lets no interrupt slip between sti and hlt. */
void sched_idle_loop(void)
{
	struct cpu *c = mycpu();
	for (;;) {
		if (c->resched || has_work(c)) {
			kernel_lock();
			schedule();
			kernel_unlock();
			continue;
		}
		__asm__ volatile("sti; hlt; cli");
	}
}

/* The idle task's first run: from schedule() with the lock held. */
static void idle_first_run(void)
{
	kernel_unlock();
	sched_idle_loop();
}

/* c's idle task, with a stack that "returns" into the idle loop.  CPU 0's
 * is tasks[0] (SYS_TASK_INFO index 0); the others' are kept apart. */
void sched_cpu_init(struct cpu *c)
{
	struct task *i = c->id == 0 ? &tasks[0] : &idle_tasks[c->id];
	i->state = T_RUNNABLE;
	i->id = 0;
	i->name[0] = 'i'; i->name[1] = 'd'; i->name[2] = 'l'; i->name[3] = 'e';
	i->is_idle = 1;
	i->cpu = c->id;
	i->rq = -1;
	i->home = (uint8_t)c->id;
	uint32_t *ctx = (uint32_t *)&idle_stacks[c->id][sizeof idle_stacks[0]] - 5;
	for (int k = 0; k < 4; k++)
		ctx[k] = 0;
	ctx[4] = (uint32_t)idle_first_run;
	i->kesp = (uint32_t)ctx;
	c->idle = i;
	c->cur = i;
}

/* The top of c's idle stack: where an AP starts (smp.c). */
uint32_t sched_idle_stack(int cpu)
{
	return (uint32_t)&idle_stacks[cpu][sizeof idle_stacks[0]];
}

/* The boot CPU, lock held: run the best task. */
void sched_start(void)
{
	struct cpu *c = mycpu();
	static uint32_t boot_esp;
	struct task *next = pick(c);
	c->cur = next;
	if (!next->is_idle) {
		next->slice = SLICE_TICKS;
		next->cpu = c->id;
		arch_switch_space(next);
		fpu_switch(c, 0, next);
	}
	swtch(&boot_esp, next->kesp);
	panic("sched_start returned");
}
