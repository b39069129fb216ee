/* Capability slots: lookup with type and rights checks, new capabilities
 * and copies.  A task capability also carries the generation of the task
 * slot, and an endpoint or notification capability that of its object
 * (ipc_obj.c), so one that outlived its object is refused instead of
 * reaching the slot's next owner.  A copy never has more rights than its
 * source, the platform capability is never copied, and a badge, once set,
 * stays.  Every slot that gains or loses an endpoint or notification goes
 * through cap_set / cap_clear, which keep the object's reference count:
 * the object is freed with its last capability.
 * Portable (host-tested with ipc.c). */
#include <string.h>
#include "microkernel/task.h"

int cap_alloc(struct task *t)
{
	for (int i = 0; i < NCAPS; i++)
		if (t->caps[i].type == CAP_NONE)
			return i;
	return -1;
}

void cap_set(struct task *t, int slot, struct cap c)
{
	cap_clear(t, slot);
	t->caps[slot] = c;
	ipc_obj_ref(&c, +1);
}

void cap_clear(struct task *t, int slot)
{
	struct cap old = t->caps[slot];
	memset(&t->caps[slot], 0, sizeof t->caps[slot]);
	ipc_obj_ref(&old, -1);	/* after the slot is empty: freeing may look at it */
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
	 * client.  A badged one keeps its badge, as with MSG_CAP.  Two badges
	 * are never minted on a capability that can send: 0 is what the
	 * creator's own calls carry (the jit server reads it as init), and
	 * NOTIFY_BADGE is what a receive ended by a signal shows. */
	if ((c.type == CAP_ENDPOINT || c.type == CAP_NOTIFY) && c.badge == 0) {
		if (c.type == CAP_ENDPOINT && (c.rights & RIGHT_SEND) && (badge == 0 || badge == NOTIFY_BADGE))
			return E_INVAL;
		c.badge = badge;
	}
	int slot = cap_alloc(x);
	if (slot < 0)
		return E_NOSPC;
	cap_set(x, slot, c);
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

