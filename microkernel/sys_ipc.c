/* Syscalls of IPC and capabilities: call, receive, reply, notifications,
 * new endpoints and notifications, capability copy and delete.  Decode
 * only: ipc.c checks the capabilities it is handed and moves messages,
 * cap.c keeps the slots; SYS_CAP_COPY's RIGHT_CONTROL on the target task
 * was checked by syscall.c. */
#include <string.h>
#include "microkernel/syscall.h"

/* The message of a call or reply: label in ECX, words in EDX ESI EDI EBP
 * (the same layout both ways; EBX is the capability, or unused). */
static void msg_from_regs(struct sys *s, struct msg *m)
{
	m->label = A2;
	m->w[0] = A3;
	m->w[1] = A4;
	m->w[2] = A5;
	m->w[3] = A6;
	m->badge = 0;
}

/* (cap | timeout_ms << 8, label, w0..w3): see CALL_CAP in abi.h. */
int sys_call(struct sys *s)
{
	struct msg m;
	msg_from_regs(s, &m);
	return ipc_call(s->t, A1 & 0xFF, A1 >> 8, &m);
}

int sys_recv(struct sys *s) { return ipc_recv(s->t, A1); }

int sys_reply(struct sys *s)
{
	struct msg m;
	msg_from_regs(s, &m);
	return ipc_reply(s->t, &m);
}

int sys_reply_recv(struct sys *s)
{
	struct msg m;
	msg_from_regs(s, &m);
	if (s->t->caller)
		ipc_reply(s->t, &m);	/* a failed reply is the caller's error */
	return ipc_recv(s->t, A1);
}

int sys_notify(struct sys *s) { return ipc_notify(s->t, A1, A2); }
int sys_wait(struct sys *s) { return ipc_wait(s->t, A1, 1, A2); }	/* (cap, timeout_ms) */
int sys_poll(struct sys *s) { return ipc_wait(s->t, A1, 0, 0); }
int sys_notify_bind(struct sys *s) { return ipc_notify_bind(s->t, A1); }

/* A fresh endpoint or notification, owned by the caller (and counted
 * against its quota), and a capability to it with all rights; the object
 * is taken only once the slot is sure. */
static int create(struct sys *s, int type)
{
	int slot = cap_alloc(s->t);
	if (slot < 0)
		return E_NOSPC;
	struct cap c;
	int r = ipc_obj_create(s->t, type, &c);
	if (r < 0)
		return r;
	cap_set(s->t, slot, c);
	return slot;
}

int sys_endpoint_create(struct sys *s) { return create(s, CAP_ENDPOINT); }
int sys_notify_create(struct sys *s) { return create(s, CAP_NOTIFY); }

/* (task, src slot, badge, rights mask) -> the slot in the target. */
int sys_cap_copy(struct sys *s) { return cap_copy(s->t, s->x, A2, A3, A4); }

int sys_cap_delete(struct sys *s)
{
	if (A1 >= NCAPS || s->t->caps[A1].type == CAP_NONE)
		return E_BADCAP;
	cap_clear(s->t, (int)A1);	/* the object goes with its last capability */
	return 0;
}
