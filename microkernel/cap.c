/* Capability slots: lookup with type and rights checks.  A task
 * capability also carries the generation of the task slot, so one that
 * outlived its task is refused instead of reaching the slot's next owner.
 * Portable (host-tested with ipc.c). */
#include "microkernel/task.h"

int cap_alloc(struct task *t)
{
	for (int i = 0; i < NCAPS; i++)
		if (t->caps[i].type == CAP_NONE)
			return i;
	return -1;
}

struct cap *cap_get(struct task *t, uint32_t slot, int type, int rights)
{
	if (slot >= NCAPS)
		return 0;
	struct cap *c = &t->caps[slot];
	if (c->type != type || (c->rights & rights) != rights)
		return 0;
	return c;
}

struct task *cap_task(struct task *t, uint32_t slot, int rights)
{
	struct cap *c = cap_get(t, slot, CAP_TASK, rights);
	if (!c || c->obj >= MAX_TASKS)
		return 0;
	struct task *x = &tasks[c->obj];
	if (x->state == T_FREE || x->state == T_ZOMBIE || x->gen != c->badge)
		return 0;
	return x;
}

int task_has_platform(struct task *t)
{
	for (int i = 0; i < NCAPS; i++)
		if (t->caps[i].type == CAP_PLATFORM)
			return 1;
	return 0;
}

