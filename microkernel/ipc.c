/* IPC in the L4/seL4 tradition.
 *
 * Endpoints: synchronous call / receive / reply.  A message is a label and
 * four words, carried in registers; the receiver also gets the badge of the
 * capability the caller used, which is how a server tells clients apart.
 * A caller blocks until the server replies (or dies: E_DEAD).  A server
 * owes at most one reply at a time (it is remembered in task->caller).
 *
 * A message may carry memory (label flags MSG_GRANT / MSG_SHARE_RO /
 * MSG_SHARE_RW, w2 = page-aligned address, w3 = page count): the pages are
 * mapped into the receiver's grant window and w2 is rewritten to where
 * they landed.  Pages never travel executable: code reaches a task only
 * through SYS_CODE_INSTALL.  With MSG_CAP the capability in slot w1 is
 * copied and w1 rewritten to the receiver's slot.
 *
 * A call and a wait may carry a time limit: when it passes (ipc_tick, at
 * every timer tick) the caller is taken out of whatever it waits in and
 * gets E_TIMEOUT; a server that was working on the call finds no caller
 * for its reply.  So nobody who bounds a wait can be held past it by a
 * server or a module that never answers.
 *
 * Notifications: a word of pending bits and at most one waiter; signalling
 * never blocks.  IRQs are delivered this way (irq.c).  A server that must
 * serve calls and signals both binds the notification to itself: a signal
 * then also ends its receive, seen as badge NOTIFY_BADGE with the bits in
 * the label (seL4's bound notifications). */
#include <string.h>
#include "microkernel/task.h"
#include "microkernel/kernel.h"

struct endpoint endpoints[MAX_ENDPOINTS];
struct notification notifications[MAX_NOTIFY];

static void q_push(struct task **h, struct task **tl, struct task *t)
{
	t->qnext = 0;
	if (*tl)
		(*tl)->qnext = t;
	else
		*h = t;
	*tl = t;
}

static struct task *q_pop(struct task **h, struct task **tl)
{
	struct task *t = *h;
	if (t) {
		*h = t->qnext;
		if (!*h)
			*tl = 0;
		t->qnext = 0;
	}
	return t;
}

static void q_remove(struct task **h, struct task **tl, struct task *t)
{
	struct task *prev = 0;
	for (struct task **pp = h; *pp; prev = *pp, pp = &(*pp)->qnext)
		if (*pp == t) {
			*pp = t->qnext;
			if (*tl == t)
				*tl = prev;
			t->qnext = 0;
			return;
		}
}

void ipc_set_result(struct task *t, int status, const struct msg *m)
{
	struct trapframe *tf = t->tf;
	tf->eax = (uint32_t)status;
	if (m) {
		tf->ebx = m->badge;
		tf->ecx = m->label;
		tf->edx = m->w[0];
		tf->esi = m->w[1];
		tf->edi = m->w[2];
		tf->ebp = m->w[3];
	}
}

/* Check a message's memory/capability transfer against the sender. */
static int check_transfer(struct task *s, const struct msg *m)
{
	uint32_t pf = m->label & MSG_PAGES_MASK;
	if (pf) {
		if (pf != MSG_GRANT && pf != MSG_SHARE_RO && pf != MSG_SHARE_RW)
			return E_INVAL;
		uint32_t va = m->w[2], n = m->w[3];
		if (n == 0 || n > MSG_MAX_PAGES || (va & (PAGE_SIZE - 1)))
			return E_INVAL;
		for (uint32_t i = 0; i < n; i++) {
			unsigned fl;
			if (vm_lookup(&s->as, va + i * PAGE_SIZE, 0, &fl))
				return E_FAULT;
			if (fl & VM_EXEC)
				return E_PERM;
			if (pf == MSG_SHARE_RW && !(fl & VM_WRITE))
				return E_PERM;
		}
	}
	if (m->label & MSG_CAP) {
		if (m->w[1] >= NCAPS || s->caps[m->w[1]].type == CAP_NONE)
			return E_BADCAP;
		if (s->caps[m->w[1]].type == CAP_PLATFORM)
			return E_PERM;	/* the platform right never leaves init */
	}
	return 0;
}

/* n free pages in r's grant window, searching from its cursor, or 0. */
static uint32_t find_window(struct task *r, uint32_t n)
{
	const uint32_t pages = (USER_GRANT_TOP - USER_GRANT_BASE) / PAGE_SIZE;
	uint32_t va = r->grant_cursor, run = 0, start = va;
	for (uint32_t step = 0; step < pages + n; step++) {
		if (va >= USER_GRANT_TOP) {
			va = start = USER_GRANT_BASE;
			run = 0;
		}
		if (vm_lookup(&r->as, va, 0, 0) == 0) {
			run = 0;
			start = va + PAGE_SIZE;
		} else if (++run == n) {
			r->grant_cursor = start + n * PAGE_SIZE;
			return start;
		}
		va += PAGE_SIZE;
	}
	return 0;
}

static int move_pages(struct task *s, struct task *r, struct msg *m)
{
	uint32_t pf = m->label & MSG_PAGES_MASK, va = m->w[2], n = m->w[3];
	uint32_t dst = find_window(r, n);
	if (!dst)
		return E_NOSPC;
	for (uint32_t i = 0; i < n; i++) {
		paddr_t pa;
		unsigned fl;
		int err = vm_lookup(&s->as, va + i * PAGE_SIZE, &pa, &fl);
		if (!err)
			err = vm_map(&r->as, dst + i * PAGE_SIZE, pa,
				     pf == MSG_SHARE_RO ? 0 : (fl & VM_WRITE));
		if (err) {
			while (i--)
				vm_unmap(&r->as, dst + i * PAGE_SIZE);
			return err;
		}
	}
	if (pf == MSG_GRANT)
		for (uint32_t i = 0; i < n; i++)
			vm_unmap(&s->as, va + i * PAGE_SIZE);
	m->w[2] = dst;
	return 0;
}

/* Deliver s's message m to r and make r's registers show it.  Nothing is
 * changed if it fails. */
static int deliver(struct task *s, struct task *r, const struct msg *m)
{
	struct msg out = *m;
	int err = check_transfer(s, m);
	if (err)
		return err;
	int slot = -1;
	if (m->label & MSG_CAP) {
		slot = cap_alloc(r);
		if (slot < 0)
			return E_NOSPC;
	}
	if ((m->label & MSG_PAGES_MASK) && (err = move_pages(s, r, &out)))
		return err;
	if (slot >= 0) {
		struct cap c = s->caps[m->w[1]];
		c.rights &= (uint8_t)~((m->label >> 20) & 0xF);
		cap_set(r, slot, c);
		out.w[1] = (uint32_t)slot;
	}
	ipc_set_result(r, 0, &out);
	return 0;
}

/* A time limit of ms milliseconds from now for the wait t starts (0: none). */
static void set_deadline(struct task *t, uint32_t ms)
{
	uint32_t n = ms ? (ms + 1000 / HZ - 1) / (1000 / HZ) : 0;
	t->wake_tick = ms ? ticks + n : 0;
	if (ms && t->wake_tick == 0)
		t->wake_tick = 1;	/* 0 means none */
}

/* Wait in one of the endpoint's queues; the partner sets our result. */
static int block_on(struct task *t, struct endpoint *ep, int state,
		    struct task **head, struct task **tail)
{
	t->state = state;
	t->waiting_on = ep;
	q_push(head, tail, t);
	schedule();
	return KEEP_REGS;
}

int ipc_call(struct task *t, uint32_t slot, uint32_t timeout_ms, const struct msg *m)
{
	uint32_t badge;
	struct endpoint *ep = ipc_endpoint_of(t, slot, RIGHT_SEND, &badge);
	if (!ep)
		return E_BADCAP;
	int err = check_transfer(t, m);
	if (err)
		return err;
	t->out = *m;
	t->out.badge = badge;
	set_deadline(t, timeout_ms);	/* for the whole call: queue and reply */
	struct task *r;
	while ((r = q_pop(&ep->recv_head, &ep->recv_tail))) {
		r->waiting_on = 0;
		err = deliver(t, r, &t->out);
		if (err) {
			/* the receiver cannot take it: it keeps waiting */
			q_push(&ep->recv_head, &ep->recv_tail, r);
			r->waiting_on = ep;
			return err;
		}
		r->caller = t;
		t->callee = r;
		t->state = T_REPLY;
		sched_handoff(r);
		return KEEP_REGS;
	}
	return block_on(t, ep, T_SEND, &ep->send_head, &ep->send_tail);
}

/* A receive ended by t's bound notification: badge NOTIFY_BADGE, the
 * pending bits as the label. */
static void take_signal(struct task *t, struct notification *n)
{
	struct msg nm = { n->bits, { 0, 0, 0, 0 }, NOTIFY_BADGE };
	n->bits = 0;
	ipc_set_result(t, 0, &nm);
}

int ipc_recv(struct task *t, uint32_t slot)
{
	uint32_t badge;
	struct endpoint *ep = ipc_endpoint_of(t, slot, RIGHT_RECV, &badge);
	if (!ep)
		return E_BADCAP;
	if (t->caller) {
		/* a reply owed and never sent: the caller must not wait forever */
		struct task *c = t->caller;
		t->caller = 0;
		c->callee = 0;
		ipc_set_result(c, E_DEAD, 0);
		sched_ready(c);
	}
	struct task *s;
	while ((s = q_pop(&ep->send_head, &ep->send_tail))) {
		s->waiting_on = 0;
		int err = deliver(s, t, &s->out);
		if (err) {
			ipc_set_result(s, err, 0);
			sched_ready(s);
			continue;
		}
		t->caller = s;
		s->callee = t;
		s->state = T_REPLY;
		return KEEP_REGS;
	}
	if (t->bound && t->bound->bits) {
		take_signal(t, t->bound);
		return KEEP_REGS;
	}
	return block_on(t, ep, T_RECV, &ep->recv_head, &ep->recv_tail);
}

int ipc_reply(struct task *t, const struct msg *m)
{
	struct task *c = t->caller;
	if (!c)
		return E_INVAL;
	struct msg out = *m;
	out.badge = 0;
	int err = deliver(t, c, &out);
	t->caller = 0;
	c->callee = 0;
	if (err)
		ipc_set_result(c, err, 0);	/* the caller learns it too */
	sched_ready(c);
	return err;
}

/* The fast path (seL4's fastpath, in C): SYS_CALL and SYS_REPLY_RECV in
 * their common case -- a plain message (no pages, no capability), the
 * partner already waiting -- go straight from the caller's registers to
 * the partner's, and the CPU switches to the partner at once
 * (sched_handoff: on its home CPU, with nothing more important queued
 * there; else through the run queue as the general path does).
 * ipc_fastpath returns 1 when it did the whole syscall (the registers are
 * set), 0 when syscall_dispatch must run it; it checks what the general
 * path checks (the syscall table's rows for these two: no right needed,
 * not allowed to a module task, hence no pinned gate either; the
 * capability, its right and its object's generation) before it changes
 * anything, so the outcome is the same either way.  Under the big kernel
 * lock, as every syscall. */
static inline struct endpoint *fast_ep(struct task *t, uint32_t slot, int right, uint32_t *badge)
{
	if (slot >= NCAPS)
		return 0;
	const struct cap *c = &t->caps[slot];
	if (c->type != CAP_ENDPOINT || (c->rights & right) != right || c->obj >= MAX_ENDPOINTS)
		return 0;
	struct endpoint *ep = &endpoints[c->obj];
	if (!ep->h.used || ep->h.gen != c->extra)
		return 0;	/* as ipc_endpoint_of: the object is gone */
	*badge = c->badge;
	return ep;
}

static inline void set_msg(struct trapframe *d, const struct trapframe *s, uint32_t badge)
{
	d->eax = 0;
	d->ebx = badge;
	d->ecx = s->ecx;
	d->edx = s->edx;
	d->esi = s->esi;
	d->edi = s->edi;
	d->ebp = s->ebp;
}

static int fast_call(struct task *t, struct trapframe *tf)
{
	uint32_t badge;
	struct endpoint *ep = fast_ep(t, tf->ebx & 0xFF, RIGHT_SEND, &badge);
	struct task *r = ep ? ep->recv_head : 0;
	if (!r)
		return 0;	/* an error, or nobody waits: the general path */
	q_pop(&ep->recv_head, &ep->recv_tail);
	r->waiting_on = 0;
	set_msg(r->tf, tf, badge);
	set_deadline(t, tf->ebx >> 8);	/* for the reply */
	r->caller = t;
	t->callee = r;
	t->state = T_REPLY;
	sched_handoff(r);
	return 1;
}

static int fast_reply_recv(struct task *t, struct trapframe *tf)
{
	struct task *c = t->caller;
	uint32_t badge;
	if (!c)
		return 0;
	struct endpoint *ep = fast_ep(t, tf->ebx, RIGHT_RECV, &badge);
	if (!ep || ep->send_head || (t->bound && t->bound->bits))
		return 0;	/* the receive would not block at once */
	set_msg(c->tf, tf, 0);
	t->caller = 0;
	c->callee = 0;
	t->state = T_RECV;
	t->waiting_on = ep;
	q_push(&ep->recv_head, &ep->recv_tail, t);
	sched_handoff(c);
	return 1;
}

int ipc_fastpath(struct task *t)
{
	struct trapframe *tf = t->tf;
	if (t->is_module || (t->secure & SECURE_PIN) || (tf->ecx & (MSG_PAGES_MASK | MSG_CAP)))
		return 0;
	if (tf->eax == SYS_CALL)
		return fast_call(t, tf);
	if (tf->eax == SYS_REPLY_RECV)
		return fast_reply_recv(t, tf);
	return 0;
}

/* Bit 31 is never used: results >= 0 are bits, < 0 are errors. */
void ipc_notify_obj(struct notification *n, uint32_t bits)
{
	n->bits |= bits & 0x7FFFFFFFu;
	if (n->waiter && n->bits) {
		struct task *w = n->waiter;
		n->waiter = 0;
		w->waiting_on = 0;
		ipc_set_result(w, (int)n->bits, 0);
		n->bits = 0;
		sched_ready(w);
	} else if (n->bound && n->bits && n->bound->state == T_RECV) {
		struct task *w = n->bound;
		struct endpoint *ep = w->waiting_on;
		q_remove(&ep->recv_head, &ep->recv_tail, w);
		w->waiting_on = 0;
		take_signal(w, n);
		sched_ready(w);
	}
}

int ipc_notify_bind(struct task *t, uint32_t slot)
{
	struct notification *n = ipc_notify_of(t, slot, RIGHT_RECV, 0);
	if (!n)
		return E_BADCAP;
	if (n->bound && n->bound != t)
		return E_INVAL;
	if (t->bound && t->bound != n)
		t->bound->bound = 0;
	n->bound = t;
	t->bound = n;
	return 0;
}

int ipc_notify(struct task *t, uint32_t slot, uint32_t bits)
{
	struct notification *n = ipc_notify_of(t, slot, RIGHT_SEND, 0);
	if (!n)
		return E_BADCAP;
	ipc_notify_obj(n, bits);
	return 0;
}

int ipc_wait(struct task *t, uint32_t slot, int block, uint32_t timeout_ms)
{
	struct notification *n = ipc_notify_of(t, slot, RIGHT_RECV, 0);
	if (!n)
		return E_BADCAP;
	if (n->bits || !block) {
		uint32_t b = n->bits;
		n->bits = 0;
		return (int)b;
	}
	if (n->waiter)
		return E_INVAL;	/* one waiter per notification */
	n->waiter = t;
	t->waiting_on = n;
	t->state = T_NOTIFY;
	set_deadline(t, timeout_ms);
	schedule();
	return KEEP_REGS;
}

/* Take t out of the wait it is in (a queue, a notification, a server's
 * pending reply), leaving it runnable with `status`.  Used when its time
 * limit passes. */
static void abandon_wait(struct task *t, int status)
{
	if (t->state == T_SEND || t->state == T_RECV) {
		struct endpoint *ep = t->waiting_on;
		q_remove(&ep->send_head, &ep->send_tail, t);
		q_remove(&ep->recv_head, &ep->recv_tail, t);
	} else if (t->state == T_NOTIFY) {
		struct notification *n = t->waiting_on;
		if (n && n->waiter == t)
			n->waiter = 0;
	} else if (t->state == T_REPLY) {
		/* the server keeps the request; its reply will find no caller */
		if (t->callee && t->callee->caller == t)
			t->callee->caller = 0;
		t->callee = 0;
	}
	t->waiting_on = 0;
	ipc_set_result(t, status, 0);
	sched_ready(t);
}

void ipc_tick(void)
{
	for (int i = 1; i < MAX_TASKS; i++) {
		struct task *t = &tasks[i];
		if (!t->wake_tick || (int32_t)(ticks - t->wake_tick) < 0)
			continue;
		t->wake_tick = 0;
		if (t->state == T_SEND || t->state == T_RECV || t->state == T_NOTIFY || t->state == T_REPLY)
			abandon_wait(t, E_TIMEOUT);
	}
}

/* t is dying: take it out of every IPC relation. */
void ipc_task_gone(struct task *t)
{
	if (t->state == T_SEND || t->state == T_RECV) {
		struct endpoint *ep = t->waiting_on;
		if (ep) {
			q_remove(&ep->send_head, &ep->send_tail, t);
			q_remove(&ep->recv_head, &ep->recv_tail, t);
		}
	}
	if (t->state == T_NOTIFY && t->waiting_on) {
		struct notification *n = t->waiting_on;
		if (n->waiter == t)
			n->waiter = 0;
	}
	t->waiting_on = 0;
	if (t->bound) {
		t->bound->bound = 0;
		t->bound = 0;
	}
	if (t->callee && t->callee->caller == t)
		t->callee->caller = 0;
	t->callee = 0;
	if (t->caller) {
		struct task *c = t->caller;
		t->caller = 0;
		c->callee = 0;
		ipc_set_result(c, E_DEAD, 0);
		sched_ready(c);
	}
}
