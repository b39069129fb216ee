/* The kernel's isolation limits (issue: no module or task can hang,
 * starve or cripple the system): time limits on waits and calls, the
 * reclamation and quota of endpoints and notifications, the badges that
 * may not be minted, the memory quota of a limited address space, and the
 * module syscall surface (in test_ksyscall.c, with the table).  Each test
 * fails on a kernel without the limit. */
#include <criterion/criterion.h>
#include <string.h>
#include "tests/kernel/unit/kernel_env.h"
#include "microkernel/physmem.h"

static struct task *a, *b, *init_task;

static void setup(void)
{
	fake_kernel_init();
	memset(endpoints, 0, sizeof endpoints);
	memset(notifications, 0, sizeof notifications);
	init_task = fake_task(1);
	a = fake_task(2);
	b = fake_task(3);
	fake_cap(init_task, 31, CAP_PLATFORM, RIGHT_ALL, 0, 0);
	ticks = 1000;
	sched_ready_calls = schedule_calls = irq_notify_gone_calls = 0;
}

TestSuite(isolate, .init = setup);

/* An object made the way SYS_*_CREATE makes it, its capability in slot. */
static int make(struct task *t, int type, int slot)
{
	struct cap c;
	int r = ipc_obj_create(t, type, &c);
	if (r >= 0)
		cap_set(t, slot, c);
	return r;
}

/* n fresh pages from va on in t's space, all or none (as task.c maps). */
static int map_pages(struct task *t, uint32_t va, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++) {
		paddr_t pa = frame_alloc();
		int r = pa ? vm_map(&t->as, va + i * PAGE_SIZE, pa, VM_WRITE) : E_NOMEM;
		if (pa)
			frame_unref(pa);
		if (r) {
			while (i--)
				vm_unmap(&t->as, va + i * PAGE_SIZE);
			return r;
		}
	}
	return 0;
}

static void advance(uint32_t n)
{
	while (n--) {
		ticks++;
		ipc_tick();
	}
}

Test(isolate, a_timed_wait_ends_with_e_timeout)
{
	make(a, CAP_NOTIFY, 0);
	cr_assert_eq(ipc_wait(a, 0, 1, 50), KEEP_REGS);
	cr_assert_eq(a->state, T_NOTIFY);
	advance(4);
	cr_assert_eq(a->state, T_NOTIFY, "not before its time (50 ms = 5 ticks)");
	advance(1);
	cr_assert_eq(a->state, T_RUNNABLE);
	cr_assert_eq((int)a->tf->eax, E_TIMEOUT);
	cr_assert_null(notifications[0].waiter, "it no longer waits there");
	/* the notification works as before afterwards */
	cr_assert_eq(ipc_notify(a, 0, 2), 0);
	cr_assert_eq(ipc_wait(a, 0, 1, 0), 2);
}

Test(isolate, a_signal_before_the_time_limit_cancels_it)
{
	make(a, CAP_NOTIFY, 0);
	cr_assert_eq(ipc_wait(a, 0, 1, 30), KEEP_REGS);
	ipc_notify(a, 0, 1);
	cr_assert_eq(a->tf->eax, 1);
	/* a later wait without a limit is not ended by the old one */
	cr_assert_eq(ipc_wait(a, 0, 1, 0), KEEP_REGS);
	advance(100);
	cr_assert_eq(a->state, T_NOTIFY, "an unlimited wait has no deadline");
}

Test(isolate, a_call_nobody_receives_times_out_and_leaves_the_queue)
{
	make(init_task, CAP_ENDPOINT, 0);
	cap_copy(init_task, a, 0, 9, RIGHT_SEND);	/* a's slot 0 */
	struct msg m = { 1, { 0, 0, 0, 0 }, 0 };
	cr_assert_eq(ipc_call(a, 0, 20, &m), KEEP_REGS);
	cr_assert_eq(a->state, T_SEND);
	advance(2);
	cr_assert_eq(a->state, T_RUNNABLE);
	cr_assert_eq((int)a->tf->eax, E_TIMEOUT);
	cr_assert_null(endpoints[0].send_head);
}

Test(isolate, a_call_the_server_never_answers_times_out)
{
	make(init_task, CAP_ENDPOINT, 0);
	cap_copy(init_task, a, 0, 9, RIGHT_SEND);	/* a: the caller */
	cap_copy(init_task, b, 0, 0, RIGHT_RECV);	/* b: the server */
	struct msg m = { 1, { 0, 0, 0, 0 }, 0 };
	cr_assert_eq(ipc_recv(b, 0), KEEP_REGS);
	ipc_call(a, 0, 100, &m);
	cr_assert_eq(a->state, T_REPLY, "the server has the request");
	advance(10);
	cr_assert_eq(a->state, T_RUNNABLE);
	cr_assert_eq((int)a->tf->eax, E_TIMEOUT);
	cr_assert_null(b->caller, "the late reply finds nobody");
	struct msg r = { 2, { 7, 0, 0, 0 }, 0 };
	cr_assert_eq(ipc_reply(b, &r), E_INVAL);
	cr_assert_eq((int)a->tf->eax, E_TIMEOUT, "the caller's result stays");
}

Test(isolate, objects_go_with_their_owner_and_stale_caps_fail)
{
	int e = make(b, CAP_ENDPOINT, 0);
	int n = make(b, CAP_NOTIFY, 1);
	cr_assert_geq(e, 0);
	cap_copy(b, a, 0, 5, RIGHT_SEND);		/* a holds a send capability */
	cap_copy(b, a, 1, 0, RIGHT_RECV);		/* and may wait on b's notification */
	cr_assert_eq(ipc_wait(a, 1, 1, 0), KEEP_REGS);
	ipc_obj_owner_gone(b);				/* b dies */
	cr_assert_eq(a->state, T_RUNNABLE);
	cr_assert_eq((int)a->tf->eax, E_DEAD, "the waiter learns it");
	cr_assert_eq(endpoints[e].h.used, 0);
	cr_assert_eq(notifications[n].h.used, 0);
	cr_assert_eq(irq_notify_gone_calls, 1, "an IRQ bound to it is unbound");
	/* the slot is reused: a's old capabilities must not reach the new objects */
	int e2 = make(init_task, CAP_ENDPOINT, 2);
	cr_assert_eq(e2, e);
	struct msg m = { 1, { 0, 0, 0, 0 }, 0 };
	cr_assert_eq(ipc_call(a, 0, 0, &m), E_BADCAP);
	cr_assert_eq(ipc_notify(a, 1, 1), E_BADCAP);
}

Test(isolate, an_object_goes_with_its_last_capability)
{
	int e = make(init_task, CAP_ENDPOINT, 0);
	cap_copy(init_task, a, 0, 5, RIGHT_SEND);
	cr_assert_eq(endpoints[e].h.refs, 2);
	cap_clear(a, 0);
	cr_assert(endpoints[e].h.used, "one capability is left");
	cap_clear(init_task, 0);
	cr_assert_eq(endpoints[e].h.used, 0, "freed with its last capability");
}

Test(isolate, a_task_may_own_only_so_many_objects)
{
	int made = 0, r;
	for (int i = 0; i < 30 && (r = make(a, i & 1 ? CAP_NOTIFY : CAP_ENDPOINT, i)) >= 0; i++)
		made++;
	cr_assert_eq(r, E_QUOTA, "the quota, not the tables, stops it");
	cr_assert_eq(made, 16);
	for (int i = 0; i < 40; i++)	/* init is not limited */
		cr_assert_geq(make(init_task, CAP_NOTIFY, i % 30), 0, "init's object %d", i);
}

Test(isolate, badges_0_and_notify_badge_are_never_minted_on_send_capabilities)
{
	make(init_task, CAP_ENDPOINT, 0);
	cr_assert_eq(cap_copy(init_task, a, 0, 0, RIGHT_SEND), E_INVAL, "badge 0 reads as init");
	cr_assert_eq(cap_copy(init_task, a, 0, NOTIFY_BADGE, RIGHT_SEND), E_INVAL);
	cr_assert_geq(cap_copy(init_task, a, 0, 0, RIGHT_RECV), 0, "a receive capability needs no badge");
	cr_assert_geq(cap_copy(init_task, a, 0, 77, RIGHT_SEND), 0);
}

Test(isolate, a_limited_space_stops_at_its_quota_page_tables_included)
{
	a->as.limit = 10;
	uint32_t va = USER_HEAP_BASE;
	int r = 0, mapped = 0;
	while ((r = map_pages(a, va + mapped * PAGE_SIZE, 1)) == 0)
		mapped++;
	cr_assert_eq(r, E_QUOTA);
	cr_assert_eq(mapped + a->as.tables, 10, "%d pages + %u tables", mapped, a->as.tables);
	/* a page far away needs a new page table too */
	cr_assert_eq(map_pages(a, USER_HEAP_BASE + 0x00400000, 1), E_QUOTA);
	/* unlimited spaces are not affected */
	cr_assert_eq(map_pages(b, va, 64), 0);
}

Test(isolate, a_limited_space_leaves_the_reserve)
{
	a->as.limit = 1u << 30;		/* no quota to speak of */
	uint32_t free0 = frames_free();
	int r = map_pages(a, USER_HEAP_BASE, free0);
	cr_assert_eq(r, E_QUOTA);
	cr_assert_eq(a->as.pages, 0, "all or none");
	cr_assert_eq(frames_free(), free0 - a->as.tables, "only the page tables stay");
	uint32_t n = 0;
	while (map_pages(a, USER_HEAP_BASE + n * PAGE_SIZE, 1) == 0)
		n++;
	cr_assert_geq(frames_free(), VM_RESERVE, "%u free", frames_free());
	cr_assert_lt(frames_free(), VM_RESERVE + 4);
	cr_assert_eq(map_pages(b, USER_GRANT_BASE, 16), 0, "the reserve is there for others");
}

