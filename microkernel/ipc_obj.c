/* Endpoints and notifications as kernel objects: creation, lookup by
 * capability, and reclamation.
 *
 * The tables are fixed (no kernel heap), so an object that is never given
 * back is gone for good; a task that could create them freely would fill
 * both tables and take them from everyone else.  Hence:
 *  - an object is freed when its owner (the task that created it) dies, or
 *    when the last capability to it is deleted, whichever comes first;
 *  - every object has a generation, bumped when it is freed, and every
 *    capability to it carries the generation it was made for (cap.extra),
 *    so a capability that outlived its object is refused (E_BADCAP) rather
 *    than reaching the next object in the slot;
 *  - a task owns at most OBJ_QUOTA live objects (E_QUOTA), except the
 *    platform holder (init), which hands them out to everyone else;
 *  - freeing wakes whoever waits on the object with E_DEAD and unbinds its
 *    IRQ and its bound task.
 * Portable (host-tested with ipc.c and cap.c). */
#include <string.h>
#include "microkernel/task.h"
#include "microkernel/kernel.h"

#define OBJ_QUOTA 16

static int nobj(int type) { return type == CAP_ENDPOINT ? MAX_ENDPOINTS : MAX_NOTIFY; }

static struct obj_head *head_of(int type, int i)
{
	return type == CAP_ENDPOINT ? &endpoints[i].h : &notifications[i].h;
}

/* The object a capability names, if it still exists, else NULL. */
static struct obj_head *live(const struct cap *c)
{
	if ((c->type != CAP_ENDPOINT && c->type != CAP_NOTIFY) || c->obj >= nobj(c->type))
		return 0;
	struct obj_head *h = head_of(c->type, c->obj);
	return h->used && h->gen == c->extra ? h : 0;
}

static int owned_by(const struct task *t)
{
	int n = 0;
	for (int type = CAP_ENDPOINT; type <= CAP_NOTIFY; type++)
		for (int i = 0; i < nobj(type); i++)
			n += head_of(type, i)->used && head_of(type, i)->owner == t;
	return n;
}

int ipc_obj_create(struct task *t, int type, struct cap *out)
{
	if (!task_has_platform(t) && owned_by(t) >= OBJ_QUOTA)
		return E_QUOTA;
	for (int i = 0; i < nobj(type); i++) {
		struct obj_head *h = head_of(type, i);
		if (h->used)
			continue;
		uint32_t gen = h->gen;
		if (type == CAP_ENDPOINT)
			memset(&endpoints[i], 0, sizeof endpoints[i]);
		else
			memset(&notifications[i], 0, sizeof notifications[i]);
		h->used = 1;
		h->gen = gen;
		h->owner = t;
		*out = (struct cap){ (uint8_t)type, RIGHT_ALL, (uint16_t)i, 0, gen };
		return i;
	}
	return E_NOMEM;
}

/* Everyone waiting on an object that goes learns it with E_DEAD. */
static void wake_dead(struct task *w)
{
	w->waiting_on = 0;
	ipc_set_result(w, E_DEAD, 0);
	sched_ready(w);
}

static void free_object(int type, int i)
{
	struct obj_head *h = head_of(type, i);
	if (type == CAP_ENDPOINT) {
		struct endpoint *ep = &endpoints[i];
		struct task *w;
		while ((w = ep->send_head)) {
			ep->send_head = w->qnext;
			w->qnext = 0;
			wake_dead(w);
		}
		while ((w = ep->recv_head)) {
			ep->recv_head = w->qnext;
			w->qnext = 0;
			wake_dead(w);
		}
		ep->send_tail = ep->recv_tail = 0;
	} else {
		struct notification *n = &notifications[i];
		if (n->waiter)
			wake_dead(n->waiter);
		n->waiter = 0;
		if (n->bound)
			n->bound->bound = 0;
		n->bound = 0;
		irq_notify_gone(i);
	}
	h->used = 0;
	h->owner = 0;
	h->refs = 0;
	h->gen++;	/* every capability to it is stale from now on */
}

void ipc_obj_ref(const struct cap *c, int delta)
{
	struct obj_head *h = live(c);
	if (!h)
		return;
	if (delta > 0) {
		h->refs++;
	} else if (h->refs && --h->refs == 0) {
		free_object(c->type, c->obj);	/* its last capability went */
	}
}

void ipc_obj_owner_gone(struct task *t)
{
	for (int type = CAP_ENDPOINT; type <= CAP_NOTIFY; type++)
		for (int i = 0; i < nobj(type); i++)
			if (head_of(type, i)->used && head_of(type, i)->owner == t)
				free_object(type, i);
}

struct endpoint *ipc_endpoint_of(struct task *t, uint32_t slot, int right, uint32_t *badge)
{
	struct cap *c = cap_get(t, slot, CAP_ENDPOINT, right);
	if (!c || !live(c))
		return 0;
	*badge = c->badge;
	return &endpoints[c->obj];
}

struct notification *ipc_notify_of(struct task *t, uint32_t slot, int right, int *index)
{
	struct cap *c = cap_get(t, slot, CAP_NOTIFY, right);
	if (!c || !live(c))
		return 0;
	if (index)
		*index = c->obj;
	return &notifications[c->obj];
}
