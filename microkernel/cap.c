/* Capability slots: lookup with type and rights checks, new capabilities
 * and copies.  A task capability also carries the generation of the task
 * slot, so one that outlived its task is refused instead of reaching the
 * slot's next owner.  A copy never has more rights than its source, the
 * platform capability is never copied, and a badge, once set, stays.
 * Portable (host-tested with ipc.c). */
#include "microkernel/task.h"

int cap_alloc(struct task *t)
{
	for (int i = 0; i < NCAPS; i++)
		if (t->caps[i].type == CAP_NONE)
			return i;
	return -1;
}

int cap_new(struct task *t, int type, int obj, uint32_t badge)
{
	int slot = cap_alloc(t);
	if (slot < 0)
		return E_NOSPC;
	t->caps[slot] = (struct cap){ (uint8_t)type, RIGHT_ALL, (uint16_t)obj, badge, 0 };
	return slot;
}

int cap_copy(struct task *t, struct task *x, uint32_t src, uint32_t badge, uint32_t rights)
{
	if (src >= NCAPS || t->caps[src].type == CAP_NONE)
		return E_BADCAP;
	struct cap c = t->caps[src];
	if (c.type == CAP_PLATFORM)
		return E_PERM;
	c.rights &= (uint8_t)rights;
	/* Only an unbadged capability (the creator's) may be badged: a badge
	 * is how a server tells clients apart, so a client that could copy
	 * its own badged capability with another badge would pose as another
	 * client.  A badged one keeps its badge, as with MSG_CAP. */
	if ((c.type == CAP_ENDPOINT || c.type == CAP_NOTIFY) && c.badge == 0)
		c.badge = badge;
	int slot = cap_alloc(x);
	if (slot < 0)
		return E_NOSPC;
	x->caps[slot] = c;
	return slot;
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

