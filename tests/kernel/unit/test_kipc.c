/* microkernel/ipc.c and cap.c: call/receive/reply queueing, badges, page
 * grants and shares, capability transfer, notifications, partner death. */
#include <criterion/criterion.h>
#include <string.h>
#include "tests/kernel/unit/kernel_env.h"

static struct task *cli, *cli2, *srv;

static void setup(void)
{
	fake_kernel_init();
	memset(endpoints, 0, sizeof endpoints);
	memset(notifications, 0, sizeof notifications);
	srv = fake_task(1);
	cli = fake_task(2);
	cli2 = fake_task(3);
	endpoints[0].h.used = 1;
	fake_cap(srv, 0, CAP_ENDPOINT, RIGHT_RECV, 0, 0);
	fake_cap(cli, 0, CAP_ENDPOINT, RIGHT_SEND, 0, 111);
	fake_cap(cli2, 0, CAP_ENDPOINT, RIGHT_SEND, 0, 222);
	sched_ready_calls = schedule_calls = 0;
}

TestSuite(ipc, .init = setup);

static struct msg mk(uint32_t label, uint32_t a, uint32_t b, uint32_t c, uint32_t d)
{
	return (struct msg){ label, { a, b, c, d }, 0 };
}

Test(ipc, call_before_receive_queues_then_delivers_with_badge)
{
	struct msg m = mk(5, 1, 2, 3, 4);
	cr_assert_eq(ipc_call(cli, 0, 0, &m), KEEP_REGS);
	cr_assert_eq(cli->state, T_SEND);
	cr_assert_eq(endpoints[0].send_head, cli);
	cr_assert_eq(ipc_recv(srv, 0), KEEP_REGS);
	cr_assert_eq(srv->tf->eax, 0);
	cr_assert_eq(srv->tf->ebx, 111, "badge of the caller's capability");
	cr_assert_eq(srv->tf->ecx, 5);
	cr_assert_eq(srv->tf->edx, 1);
	cr_assert_eq(srv->tf->ebp, 4);
	cr_assert_eq(cli->state, T_REPLY);
	cr_assert_eq(srv->caller, cli);
	struct msg r = mk(9, 10, 20, 30, 40);
	cr_assert_eq(ipc_reply(srv, &r), 0);
	cr_assert_eq(cli->state, T_RUNNABLE);
	cr_assert_eq(cli->tf->eax, 0);
	cr_assert_eq(cli->tf->ecx, 9);
	cr_assert_eq(cli->tf->esi, 20);
	cr_assert_null(srv->caller);
}

Test(ipc, receive_first_then_call_hands_over_directly)
{
	cr_assert_eq(ipc_recv(srv, 0), KEEP_REGS);
	cr_assert_eq(srv->state, T_RECV);
	struct msg m = mk(7, 0, 0, 0, 0);
	ipc_call(cli, 0, 0, &m);
	cr_assert_eq(srv->state, T_RUNNABLE);
	cr_assert_eq(srv->tf->ecx, 7);
	cr_assert_eq(cli->state, T_REPLY);
	cr_assert_null(endpoints[0].recv_head);
}

Test(ipc, callers_are_served_in_order)
{
	struct msg a = mk(1, 0, 0, 0, 0), b = mk(2, 0, 0, 0, 0);
	ipc_call(cli, 0, 0, &a);
	ipc_call(cli2, 0, 0, &b);
	ipc_recv(srv, 0);
	cr_assert_eq(srv->tf->ecx, 1);
	struct msg r = mk(0, 0, 0, 0, 0);
	ipc_reply(srv, &r);
	ipc_recv(srv, 0);
	cr_assert_eq(srv->tf->ecx, 2);
	cr_assert_eq(srv->tf->ebx, 222);
}

Test(ipc, rights_are_checked)
{
	struct msg m = mk(1, 0, 0, 0, 0);
	cr_assert_eq(ipc_recv(cli, 0), E_BADCAP, "send-only cap cannot receive");
	cr_assert_eq(ipc_call(srv, 0, 0, &m), E_BADCAP, "receive-only cap cannot call");
	cr_assert_eq(ipc_call(cli, 5, 0, &m), E_BADCAP, "empty slot");
	cr_assert_eq(ipc_call(cli, 1000, 0, &m), E_BADCAP, "slot out of range");
	cr_assert_eq(ipc_reply(srv, &m), E_INVAL, "nobody to reply to");
}

Test(ipc, server_death_wakes_caller_with_error)
{
	struct msg m = mk(1, 0, 0, 0, 0);
	ipc_call(cli, 0, 0, &m);
	ipc_recv(srv, 0);
	ipc_task_gone(srv);
	cr_assert_eq(cli->state, T_RUNNABLE);
	cr_assert_eq((int)cli->tf->eax, E_DEAD);
}

Test(ipc, dead_caller_leaves_the_queue)
{
	struct msg m = mk(1, 0, 0, 0, 0);
	ipc_call(cli, 0, 0, &m);
	ipc_call(cli2, 0, 0, &m);
	ipc_task_gone(cli);
	cr_assert_eq(endpoints[0].send_head, cli2);
	ipc_recv(srv, 0);
	cr_assert_eq(srv->caller, cli2);
}

static void map_pages(struct task *t, uint32_t va, int n, unsigned fl, uint8_t fill)
{
	for (int i = 0; i < n; i++) {
		paddr_t pa = frame_alloc();
		memset(phys_to_virt(pa), fill + i, 4096);
		cr_assert_eq(vm_map(&t->as, va + i * 4096u, pa, fl), 0);
		frame_unref(pa);
	}
}

Test(ipc, grant_moves_pages)
{
	map_pages(cli, USER_HEAP_BASE, 3, VM_WRITE, 0x40);
	ipc_recv(srv, 0);
	struct msg m = mk(MSG_GRANT | 1, 0, 0, USER_HEAP_BASE, 3);
	ipc_call(cli, 0, 0, &m);
	uint32_t dst = srv->tf->edi;
	cr_assert_geq(dst, USER_GRANT_BASE);
	cr_assert_lt(dst, USER_GRANT_TOP);
	for (int i = 0; i < 3; i++) {
		paddr_t pa;
		unsigned fl;
		cr_assert_eq(vm_lookup(&srv->as, dst + i * 4096u, &pa, &fl), 0);
		cr_assert_eq(fl, VM_WRITE);
		cr_assert_eq(*(uint8_t *)phys_to_virt(pa), 0x40 + i);
		cr_assert_eq(frame_refcount(pa), 1);
		cr_assert_eq(vm_lookup(&cli->as, USER_HEAP_BASE + i * 4096u, 0, 0), E_FAULT,
			     "the sender lost it");
	}
}

Test(ipc, share_ro_keeps_sender_copy_and_strips_write)
{
	map_pages(cli, USER_HEAP_BASE, 1, VM_WRITE, 0x11);
	ipc_recv(srv, 0);
	struct msg m = mk(MSG_SHARE_RO, 0, 0, USER_HEAP_BASE, 1);
	ipc_call(cli, 0, 0, &m);
	unsigned fl;
	paddr_t a, b;
	cr_assert_eq(vm_lookup(&srv->as, srv->tf->edi, &a, &fl), 0);
	cr_assert_eq(fl, 0, "read-only");
	cr_assert_eq(vm_lookup(&cli->as, USER_HEAP_BASE, &b, 0), 0);
	cr_assert_eq(a, b);
	cr_assert_eq(frame_refcount(a), 2);
}

Test(ipc, bad_transfers_are_refused_before_anything_moves)
{
	map_pages(cli, USER_HEAP_BASE, 1, 0, 0x22);
	struct msg m;
	m = mk(MSG_GRANT, 0, 0, USER_HEAP_BASE + 4, 1);
	cr_assert_eq(ipc_call(cli, 0, 0, &m), E_INVAL, "unaligned");
	m = mk(MSG_GRANT, 0, 0, USER_HEAP_BASE, 0);
	cr_assert_eq(ipc_call(cli, 0, 0, &m), E_INVAL, "zero pages");
	m = mk(MSG_GRANT, 0, 0, USER_HEAP_BASE, MSG_MAX_PAGES + 1);
	cr_assert_eq(ipc_call(cli, 0, 0, &m), E_INVAL, "too many pages");
	m = mk(MSG_GRANT, 0, 0, USER_HEAP_BASE, 2);
	cr_assert_eq(ipc_call(cli, 0, 0, &m), E_FAULT, "second page unmapped");
	m = mk(MSG_SHARE_RW, 0, 0, USER_HEAP_BASE, 1);
	cr_assert_eq(ipc_call(cli, 0, 0, &m), E_PERM, "RW share of a read-only page");
	m = mk(MSG_GRANT | MSG_SHARE_RO, 0, 0, USER_HEAP_BASE, 1);
	cr_assert_eq(ipc_call(cli, 0, 0, &m), E_INVAL, "two modes at once");
	map_pages(cli, USER_CODE_BASE, 1, VM_EXEC, 0x90);
	m = mk(MSG_GRANT, 0, 0, USER_CODE_BASE, 1);
	cr_assert_eq(ipc_call(cli, 0, 0, &m), E_PERM, "executable pages never travel");
	m = mk(MSG_CAP, 0, 9, 0, 0);
	cr_assert_eq(ipc_call(cli, 0, 0, &m), E_BADCAP, "empty cap slot");
	cr_assert_null(endpoints[0].send_head, "nothing was queued");
	cr_assert_eq(vm_lookup(&cli->as, USER_HEAP_BASE, 0, 0), 0, "nothing moved");
}

Test(ipc, capability_transfer_copies_into_free_slot)
{
	fake_cap(cli, 4, CAP_NOTIFY, RIGHT_SEND, 3, 0);
	ipc_recv(srv, 0);
	struct msg m = mk(MSG_CAP, 0, 4, 0, 0);
	ipc_call(cli, 0, 0, &m);
	uint32_t slot = srv->tf->esi;
	cr_assert_lt(slot, NCAPS);
	cr_assert_eq(srv->caps[slot].type, CAP_NOTIFY);
	cr_assert_eq(srv->caps[slot].obj, 3);
	fake_cap(cli, 5, CAP_PLATFORM, RIGHT_ALL, 0, 0);
	m = mk(MSG_CAP, 0, 5, 0, 0);
	cr_assert_eq(ipc_call(cli, 0, 0, &m), E_PERM, "the platform right never travels");
}

Test(ipc, notifications_accumulate_and_wake_one_waiter)
{
	notifications[2].h.used = 1;
	fake_cap(cli, 1, CAP_NOTIFY, RIGHT_SEND, 2, 0);
	fake_cap(srv, 1, CAP_NOTIFY, RIGHT_RECV, 2, 0);
	cr_assert_eq(ipc_wait(srv, 1, 0, 0), 0, "poll with nothing pending");
	cr_assert_eq(ipc_notify(cli, 1, 0x4), 0);
	cr_assert_eq(ipc_notify(cli, 1, 0x1), 0);
	cr_assert_eq(ipc_wait(srv, 1, 1, 0), 0x5, "bits accumulate");
	cr_assert_eq(ipc_wait(srv, 1, 1, 0), KEEP_REGS, "now it blocks");
	cr_assert_eq(srv->state, T_NOTIFY);
	ipc_notify(cli, 1, 0x80000002u);
	cr_assert_eq(srv->state, T_RUNNABLE);
	cr_assert_eq(srv->tf->eax, 2, "bit 31 is never delivered");
	cr_assert_eq(ipc_wait(cli, 1, 1, 0), E_BADCAP, "send-only cannot wait");
	cr_assert_eq(ipc_notify(srv, 1, 1), E_BADCAP, "wait-only cannot signal");
}

Test(ipc, stale_task_capability_is_refused)
{
	fake_cap(cli, 6, CAP_TASK, RIGHT_ALL, 1, srv->gen);
	cr_assert_eq(cap_task(cli, 6, RIGHT_CONTROL), srv);
	srv->gen++;	/* the slot was reused */
	cr_assert_null(cap_task(cli, 6, RIGHT_CONTROL));
	srv->gen--;
	cli->caps[6].rights = RIGHT_COMPILE;
	cr_assert_null(cap_task(cli, 6, RIGHT_CONTROL), "missing right");
}

Test(ipc, bound_notification_ends_a_receive)
{
	notifications[4].h.used = 1;
	fake_cap(srv, 2, CAP_NOTIFY, RIGHT_RECV, 4, 0);
	fake_cap(cli, 2, CAP_NOTIFY, RIGHT_SEND, 4, 0);
	cr_assert_eq(ipc_notify_bind(srv, 2), 0);
	cr_assert_eq(ipc_notify_bind(cli, 2), E_BADCAP, "binding needs the receive right");
	/* blocked in a receive: the signal wakes it, seen as NOTIFY_BADGE */
	cr_assert_eq(ipc_recv(srv, 0), KEEP_REGS);
	cr_assert_eq(srv->state, T_RECV);
	ipc_notify(cli, 2, 0x12);
	cr_assert_eq(srv->state, T_RUNNABLE);
	cr_assert_eq(srv->tf->ebx, NOTIFY_BADGE);
	cr_assert_eq(srv->tf->ecx, 0x12);
	cr_assert_null(endpoints[0].recv_head, "it left the endpoint's queue");
	/* pending before the receive: returned at once, calls still work */
	ipc_notify(cli, 2, 0x1);
	cr_assert_eq(ipc_recv(srv, 0), KEEP_REGS);
	cr_assert_eq(srv->tf->ebx, NOTIFY_BADGE);
	cr_assert_eq(srv->tf->ecx, 0x1);
	struct msg m = mk(9, 1, 2, 3, 4);
	ipc_call(cli, 0, 0, &m);
	ipc_recv(srv, 0);
	cr_assert_eq(srv->tf->ebx, 111, "a call comes with its own badge");
	cr_assert_eq(srv->tf->ecx, 9);
	/* death unbinds */
	ipc_task_gone(srv);
	cr_assert_null(notifications[4].bound);
}

/* The partner dies at each point of a call; nobody is left pointing at
 * it, and the survivor is never left blocked. */
Test(ipc, caller_dies_while_server_owes_the_reply)
{
	struct msg m = mk(1, 0, 0, 0, 0);
	ipc_call(cli, 0, 0, &m);
	ipc_recv(srv, 0);
	cr_assert_eq(srv->caller, cli);
	ipc_task_gone(cli);
	cr_assert_null(srv->caller, "the server forgets the dead caller");
	cr_assert_eq(ipc_reply(srv, &m), E_INVAL);
}

Test(ipc, server_receiving_again_abandons_its_caller_with_E_DEAD)
{
	struct msg m = mk(1, 0, 0, 0, 0);
	ipc_call(cli, 0, 0, &m);
	ipc_recv(srv, 0);
	cr_assert_eq(ipc_recv(srv, 0), KEEP_REGS);
	cr_assert_eq(cli->state, T_RUNNABLE);
	cr_assert_eq((int)cli->tf->eax, E_DEAD);
	cr_assert_null(cli->callee);
	cr_assert_null(srv->caller);
}

Test(ipc, dead_receiver_leaves_the_queue_and_is_never_delivered_to)
{
	ipc_recv(srv, 0);
	cr_assert_eq(endpoints[0].recv_head, srv);
	ipc_task_gone(srv);
	cr_assert_null(endpoints[0].recv_head);
	struct msg m = mk(1, 0, 0, 0, 0);
	cr_assert_eq(ipc_call(cli, 0, 0, &m), KEEP_REGS);
	cr_assert_eq(cli->state, T_SEND, "queued, not handed to the dead");
	cr_assert_eq(endpoints[0].send_head, cli);
}

Test(ipc, dead_notification_waiter_is_forgotten)
{
	notifications[5].h.used = 1;
	fake_cap(srv, 3, CAP_NOTIFY, RIGHT_RECV, 5, 0);
	fake_cap(cli, 3, CAP_NOTIFY, RIGHT_SEND, 5, 0);
	cr_assert_eq(ipc_wait(srv, 3, 1, 0), KEEP_REGS);
	cr_assert_eq(notifications[5].waiter, srv);
	ipc_task_gone(srv);
	cr_assert_null(notifications[5].waiter);
	srv->state = T_FREE;
	int before = sched_ready_calls;
	ipc_notify(cli, 3, 4);
	cr_assert_eq(sched_ready_calls, before, "nobody woken");
	cr_assert_eq(notifications[5].bits, 4, "the signal waits");
}

Test(ipc, reply_the_caller_cannot_take_fails_without_moving_anything)
{
	struct msg m = mk(1, 0, 0, 0, 0);
	ipc_call(cli, 0, 0, &m);
	ipc_recv(srv, 0);
	for (int i = 0; i < NCAPS; i++)
		if (cli->caps[i].type == CAP_NONE)
			fake_cap(cli, i, CAP_ENDPOINT, RIGHT_SEND, 0, 0);
	fake_cap(srv, 5, CAP_ENDPOINT, RIGHT_SEND, 0, 9);
	struct msg r = mk(MSG_CAP, 0, 5, 0, 0);
	cr_assert_eq(ipc_reply(srv, &r), E_NOSPC);
	cr_assert_eq(cli->state, T_RUNNABLE);
	cr_assert_eq((int)cli->tf->eax, E_NOSPC, "the caller learns it too");
	cr_assert_eq(srv->caps[5].type, CAP_ENDPOINT, "the server keeps its capability");
	cr_assert_null(srv->caller);
}

/* The fast path (ipc_fastpath): SYS_CALL and SYS_REPLY_RECV in registers,
 * the partner already waiting; anything else is left to the general path
 * untouched (returns 0). */
static void regs(struct task *t, uint32_t nr, uint32_t ebx, uint32_t label)
{
	t->tf->eax = nr;
	t->tf->ebx = ebx;
	t->tf->ecx = label;
	t->tf->edx = 1;
	t->tf->esi = 2;
	t->tf->edi = 3;
	t->tf->ebp = 4;
}

Test(ipc, fastpath_call_to_a_waiting_receiver)
{
	cr_assert_eq(ipc_recv(srv, 0), KEEP_REGS);
	regs(cli, SYS_CALL, 0, 7);
	cr_assert_eq(ipc_fastpath(cli), 1);
	cr_assert_eq(srv->state, T_RUNNABLE);
	cr_assert_eq(srv->tf->eax, 0);
	cr_assert_eq(srv->tf->ebx, 111, "the caller's badge");
	cr_assert_eq(srv->tf->ecx, 7);
	cr_assert_eq(srv->tf->edx, 1);
	cr_assert_eq(srv->tf->ebp, 4);
	cr_assert_eq(cli->state, T_REPLY);
	cr_assert_eq(srv->caller, cli);
	cr_assert_eq(cli->callee, srv);
	cr_assert_null(endpoints[0].recv_head);
}

Test(ipc, fastpath_leaves_the_rest_to_the_general_path)
{
	regs(cli, SYS_CALL, 0, 7);
	cr_assert_eq(ipc_fastpath(cli), 0, "nobody waits: the caller must queue");
	cr_assert_null(endpoints[0].send_head);
	cr_assert_eq(ipc_recv(srv, 0), KEEP_REGS);
	regs(cli, SYS_CALL, 0, 7 | MSG_CAP);
	cr_assert_eq(ipc_fastpath(cli), 0, "a capability transfer");
	regs(cli, SYS_CALL, 5, 7);
	cr_assert_eq(ipc_fastpath(cli), 0, "an empty slot");
	regs(srv, SYS_CALL, 0, 7);
	cr_assert_eq(ipc_fastpath(srv), 0, "a receive right only");
	cli->is_module = 1;
	regs(cli, SYS_CALL, 0, 7);
	cr_assert_eq(ipc_fastpath(cli), 0, "a module task: E_PERM from syscall_dispatch");
	cli->is_module = 0;
	endpoints[0].h.gen++;
	cr_assert_eq(ipc_fastpath(cli), 0, "a stale capability");
	endpoints[0].h.gen--;
	cr_assert_eq(endpoints[0].recv_head, srv, "the receiver still waits");
	cr_assert_eq(srv->state, T_RECV);
	regs(cli, SYS_NULL, 0, 7);
	cr_assert_eq(ipc_fastpath(cli), 0);
}

Test(ipc, fastpath_reply_recv_answers_and_waits_again)
{
	cr_assert_eq(ipc_recv(srv, 0), KEEP_REGS);
	regs(cli, SYS_CALL, 0, 7);
	cr_assert_eq(ipc_fastpath(cli), 1);
	regs(srv, SYS_REPLY_RECV, 0, 9);
	cr_assert_eq(ipc_fastpath(srv), 1);
	cr_assert_eq(cli->state, T_RUNNABLE);
	cr_assert_eq(cli->tf->eax, 0);
	cr_assert_eq(cli->tf->ebx, 0, "replies carry no badge");
	cr_assert_eq(cli->tf->ecx, 9);
	cr_assert_eq(cli->tf->edi, 3);
	cr_assert_null(cli->callee);
	cr_assert_null(srv->caller);
	cr_assert_eq(srv->state, T_RECV);
	cr_assert_eq(endpoints[0].recv_head, srv);
	regs(srv, SYS_REPLY_RECV, 0, 9);
	cr_assert_eq(ipc_fastpath(srv), 0, "no reply owed: the general path");
}

Test(ipc, fastpath_reply_recv_with_a_caller_queued_takes_the_general_path)
{
	cr_assert_eq(ipc_recv(srv, 0), KEEP_REGS);
	regs(cli, SYS_CALL, 0, 7);
	cr_assert_eq(ipc_fastpath(cli), 1);
	struct msg m = mk(5, 0, 0, 0, 0);
	cr_assert_eq(ipc_call(cli2, 0, 0, &m), KEEP_REGS);
	cr_assert_eq(endpoints[0].send_head, cli2);
	regs(srv, SYS_REPLY_RECV, 0, 9);
	cr_assert_eq(ipc_fastpath(srv), 0, "the receive would not block");
	cr_assert_eq(srv->caller, cli, "nothing changed");
	cr_assert_eq(cli->state, T_REPLY);
}
