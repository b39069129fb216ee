/* Syscalls on tasks: creation (from a boot module or empty), entry, start,
 * kill, information, death reports, exit and yield.  Decode only: the work
 * is task.c's and sched.c's; the rights (platform holder, RIGHT_CONTROL on
 * the task) were checked by syscall.c before any of these runs. */
#include <string.h>
#include "microkernel/syscall.h"
#include "microkernel/secure.h"

int sys_exit(struct sys *s)
{
	task_kill(s->t, DEATH_EXIT, A1, 0, 0);
	return 0;	/* not reached: the caller is gone */
}

int sys_yield(struct sys *s)
{
	(void)s;
	sched_yield();
	return 0;
}

static uint32_t ms_to_ticks(uint32_t ms) { return ms ? (ms + 1000 / HZ - 1) / (1000 / HZ) : 0; }

/* The common part of SYS_SPAWN and SYS_TASK_CREATE: (name, len, prio,
 * budget_ms) -> a new task in T_EMBRYO, or NULL with *err.  A boot module
 * of that name must exist when `module` is asked for. */
static struct task *new_task(struct sys *s, int want_module, const uint8_t **data,
			     uint32_t *size, int *err)
{
	char name[32];
	if (A2 == 0 || A2 >= sizeof name) {
		*err = E_INVAL;
		return 0;
	}
	if (copy_from_user(s->t, name, A1, A2)) {
		*err = E_FAULT;
		return 0;
	}
	name[A2] = 0;
	if (want_module && bootmod_find(name, A2, data, size)) {
		*err = E_NOENT;
		return 0;
	}
	if (cap_alloc(s->t) < 0) {
		*err = E_NOSPC;
		return 0;
	}
	struct task *x = task_alloc(name, (int)A3, ms_to_ticks(A4));
	*err = x ? 0 : E_NOMEM;
	return x;
}

/* The new task's capability for the caller: all rights, and the slot's
 * generation, so it dies with the task. */
static int task_cap(struct sys *s, struct task *x)
{
	return cap_new(s->t, CAP_TASK, (int)(x - tasks), x->gen);
}

/* (name, len, prio, budget_ms, arg): a task from a boot module, not yet
 * started, so the caller can hand it capabilities first. */
int sys_spawn(struct sys *s)
{
	const uint8_t *data = 0;
	uint32_t size = 0;
	int r;
	struct task *x = new_task(s, 1, &data, &size, &r);
	if (!x)
		return r;
	if ((r = task_load_elf(x, data, size, A5))) {
		task_discard(x);
		return r;
	}
	return task_cap(s, x);
}

/* (name, len, prio, budget_ms, mem_pages): an empty task with only a
 * stack and the runtime the kernel trusts (secure.c), for a JIT-compiled
 * module; code arrives by SYS_CODE_INSTALL.  It
 * is a module task: it may make only the module syscalls (syscall.c), and
 * every frame mapped into it counts against mem_pages (0: the default),
 * never eating into the reserve kept for init and the servers. */
int sys_task_create(struct sys *s)
{
	int r;
	struct task *x = new_task(s, 0, 0, 0, &r);
	if (!x)
		return r;
	x->is_module = 1;
	x->as.limit = A5 ? A5 : MODULE_MEM_DEFAULT;
	if ((r = task_setup_stack(x)) || (r = secure_task_init(x))) {
		task_discard(x);
		return r;
	}
	return task_cap(s, x);
}

/* (task, eip, arg): only before the start, only into executable memory. */
int sys_task_set_entry(struct sys *s)
{
	unsigned fl;
	if (s->x->state != T_EMBRYO)
		return E_INVAL;
	if (vm_lookup(&s->x->as, A2, 0, &fl) || !(fl & VM_EXEC))
		return E_FAULT;
	if (secure_check_target(s->x, A2, 1))
		return E_FAULT;	/* a verified task starts at the runtime or a bundle */
	task_set_entry(s->x, A2, A3);
	return 0;
}

/* (task, mem_pages, flags): the limits of a module task, set on any task
 * before it starts (init runs its random-syscall test under them).  Limits
 * are only ever added: 0 pages keeps the present limit. */
int sys_task_limit(struct sys *s)
{
	if (s->x->state != T_EMBRYO || (A3 & ~(uint32_t)LIMIT_MODULE_SYSCALLS))
		return E_INVAL;
	if (A2 && (!s->x->as.limit || A2 < s->x->as.limit))
		s->x->as.limit = A2;
	if (A3 & LIMIT_MODULE_SYSCALLS)
		s->x->is_module = 1;
	return 0;
}

/* (task, cpu, flags): the CPU it prefers, AFFINITY_PIN for that one only;
 * E_INVAL for a CPU that is not online (sched.c). */
int sys_task_affinity(struct sys *s)
{
	if (A3 & ~(uint32_t)AFFINITY_PIN)
		return E_INVAL;
	return sched_affinity(s->x, A2, A3 & AFFINITY_PIN);
}

int sys_task_start(struct sys *s)
{
	if (s->x->state != T_EMBRYO || !s->x->tf->eip)
		return E_INVAL;
	sched_ready(s->x);
	return 0;
}

/* (task, cause): the cause the report gives, DEATH_KILLED unless the
 * killer says deadline or Ctrl-C (init, for modules it ran). */
int sys_task_kill(struct sys *s)
{
	uint32_t cause = A2 ? A2 : DEATH_KILLED;
	if (cause != DEATH_KILLED && cause != DEATH_DEADLINE && cause != DEATH_INTERRUPTED)
		return E_INVAL;
	task_kill(s->x, cause, 0, 0, 0);
	return 0;
}

/* (index, info*, by_cap): by_cap = 1 makes the index a task capability
 * (any rights); by index, any task may look. */
int sys_task_info(struct sys *s)
{
	struct task *x;
	struct bf_task_info info;
	if (A3 == 1) {
		if (!(x = cap_task(s->t, A1, 0)))
			return E_BADCAP;
	} else if (A1 >= MAX_TASKS) {
		return E_INVAL;
	} else {
		x = &tasks[A1];
	}
	task_info(x, &info);
	return copy_to_user(s->t, A2, &info, sizeof info);
}

int sys_reap(struct sys *s)
{
	struct bf_death d;
	if (user_range(s->t, A1, sizeof d, 1))
		return E_FAULT;
	int r = death_pop(&d);
	if (r)
		return r;
	return copy_to_user(s->t, A1, &d, sizeof d);
}
