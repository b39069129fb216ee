/* Kernel integration tests, run by init when the kernel command line says
 * test=NAME (tests/qemu/ boots them).  Each check prints "TEST PASS name"
 * or "TEST FAIL name: why"; the verdict leaves QEMU through the
 * isa-debug-exit device. */
#include <string.h>
#include "servers/init/init.h"

#include "servers/init/selftest.h"

static int test_ipc(void)
{
	uint32_t before = frames_used();
	int ep = bf_endpoint_create();
	struct child *srv = spawn("utest", ROLE_PING_SERVER, 0);
	struct child *cli = spawn("utest", ROLE_PING_CLIENT, 0);
	if (ep < 0 || !srv || !cli)
		return 1;
	check(bf_cap_copy(srv->cap, ep, 0, RIGHT_RECV) == 0, "ipc.cap_copy_server", "", 0, 0);
	check(bf_cap_copy(cli->cap, ep, 42, RIGHT_SEND) == 0, "ipc.cap_copy_client", "", 0, 0);
	uint32_t sid = srv->id, cid = cli->id;
	int t0 = bf_time();
	bf_task_start(srv->cap);
	bf_task_start(cli->cap);
	struct bf_death d;
	int r = await_death(cid, &d);
	int t1 = bf_time();
	check(r == 0 && d.cause == DEATH_EXIT && d.status == 0, "ipc.pingpong_10000",
	      "client ended with cause %ld status %ld", d.cause, d.status);
	r = await_death(sid, &d);
	check(r == 0 && d.cause == DEATH_EXIT && d.status == 0, "ipc.server_exit",
	      "server ended with cause %ld status %ld", d.cause, d.status);
	bf_printf("selftest: 10000 calls took %d ticks\n", t1 - t0);
	bf_cap_delete((uint32_t)ep);
	check(frames_used() == before, "ipc.no_frame_leak", "frames %ld -> %ld",
	      before, frames_used());
	/* a call on a capability of the wrong kind or an empty slot */
	struct bf_msg m = { 1, { 0, 0, 0, 0 }, 0 };
	check(bf_call(INIT_SLOT_DEATHS, &m) == E_BADCAP, "ipc.call_on_notification", "", 0, 0);
	check(bf_call(NCAPS - 1, &m) == E_BADCAP, "ipc.call_on_empty_slot", "", 0, 0);
	check(bf_call(1000, &m) == E_BADCAP, "ipc.call_on_bad_slot", "", 0, 0);
	check(bf_reply(&m) == E_INVAL, "ipc.reply_without_caller", "", 0, 0);
	return 0;
}

static int test_grant(void)
{
	uint32_t before = frames_used();
	int ep = bf_endpoint_create();
	struct child *srv = spawn("utest", ROLE_GRANT_SERVER, 0);
	struct child *cli = spawn("utest", ROLE_GRANT_CLIENT, 0);
	if (ep < 0 || !srv || !cli)
		return 1;
	bf_cap_copy(srv->cap, ep, 0, RIGHT_RECV);
	bf_cap_copy(cli->cap, ep, 7, RIGHT_SEND);
	uint32_t sid = srv->id, cid = cli->id;
	bf_task_start(srv->cap);
	bf_task_start(cli->cap);
	struct bf_death d;
	int r = await_death(sid, &d);
	check(r == 0 && d.cause == DEATH_WRITE_RO, "grant.readonly_share_write_kills",
	      "server ended with cause %ld status %ld", d.cause, d.status);
	r = await_death(cid, &d);
	check(r == 0 && d.cause == DEATH_EXIT && d.status == 0, "grant.client_checks",
	      "client ended with cause %ld status %ld", d.cause, d.status);
	bf_cap_delete((uint32_t)ep);
	check(frames_used() == before, "grant.no_frame_leak", "frames %ld -> %ld",
	      before, frames_used());
	return 0;
}

static int test_faults(void)
{
	static const struct { uint32_t role, cause; const char *name; } cases[] = {
		{ ROLE_WRITE_RO, DEATH_WRITE_RO, "fault.write_readonly" },
		{ ROLE_EXEC_DATA, DEATH_EXEC_NX, "fault.execute_data" },
		{ ROLE_READ_KERNEL, DEATH_KERNEL_ACCESS, "fault.read_kernel" },
		{ ROLE_CLI, DEATH_GP, "fault.cli" },
		{ ROLE_DIVIDE, DEATH_DIVIDE, "fault.divide_by_zero" },
		{ ROLE_STACK_OVERFLOW, DEATH_STACK_OVERFLOW, "fault.stack_overflow" },
		{ ROLE_SPIN, DEATH_BUDGET, "fault.cpu_budget" },
		{ ROLE_PORT_IO, DEATH_GP, "fault.io_port_without_right" },
		{ ROLE_UD, DEATH_UD, "fault.invalid_opcode" },
		{ ROLE_NULL, DEATH_PAGE_FAULT, "fault.null_pointer" },
	};
	/* a bystander server that must keep serving through all of it */
	int err;
	struct child *by = server_start("utest", 5, ROLE_ECHO_SERVER, 0, &err);
	if (!by)
		return 1;
	by->restart = 0;
	for (unsigned i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		uint32_t before = frames_used();
		struct child *c = spawn("utest", cases[i].role, cases[i].role == ROLE_SPIN ? 300 : 0);
		if (!c)
			return 1;
		uint32_t id = c->id;
		bf_task_start(c->cap);
		struct bf_death d;
		int r = await_death(id, &d);
		check(r == 0 && d.cause == cases[i].cause, cases[i].name,
		      "cause %ld, expected %ld", d.cause, cases[i].cause);
		if (frames_used() != before)
			check(0, "fault.frames_released", "frames %ld -> %ld", before, frames_used());
	}
	check(1, "fault.kernel_survived", "", 0, 0);
	struct bf_msg em = { 1, { 41, 0, 0, 0 }, 0 };
	check(bf_call(by->endpoint, &em) == 0 && em.w[0] == 42 && by->alive,
	      "fault.bystander_still_serving", "w0=%ld", em.w[0], 0);
	struct bf_audit au;
	check(bf_audit(&au) == 0 && au.wx_violations == 0 && au.user_kernel == 0,
	      "fault.audit_clean_after_faults", "wx %ld exposed %ld", au.wx_violations, au.user_kernel);
	/* with the right, the same port is fine */
	struct child *c = spawn("utest", ROLE_PORT_IO_OK, 0);
	if (!c)
		return 1;
	uint32_t id = c->id;
	bf_ioport_grant(c->cap, INIT_SLOT_IO_ATA);
	bf_task_start(c->cap);
	struct bf_death d;
	int r = await_death(id, &d);
	check(r == 0 && d.cause == DEATH_EXIT && d.status == 0, "fault.io_port_with_right",
	      "cause %ld status %ld", d.cause, d.status);
	return 0;
}

static int run_role(uint32_t role, uint32_t budget_ms, struct bf_death *d)
{
	struct child *c = spawn("utest", role, budget_ms);
	if (!c)
		return -1;
	uint32_t id = c->id;
	bf_task_start(c->cap);
	return await_death(id, d);
}

static int test_syscalls(void)
{
	struct bf_death d = { 0 };
	/* a task holding only a receive right cannot call */
	struct child *c = spawn("utest", ROLE_NO_RIGHT, 0);
	int ep = bf_endpoint_create();
	if (!c || ep < 0)
		return 1;
	bf_cap_copy(c->cap, ep, 0, RIGHT_RECV);
	uint32_t id = c->id;
	bf_task_start(c->cap);
	check(await_death(id, &d) == 0 && d.cause == DEATH_EXIT && d.status == 0,
	      "syscall.no_send_right_refused", "cause %ld status %ld", d.cause, d.status);
	/* 100,000 random syscalls from an unprivileged task */
	uint32_t before = frames_used();
	int r = run_role(ROLE_SYSCALL_FUZZ, 20000, &d);
	check(r == 0 && d.cause == DEATH_EXIT && d.status == 0, "syscall.fuzz_100000",
	      "cause %ld status %ld", d.cause, d.status);
	check(frames_used() == before, "syscall.fuzz_no_frame_leak", "frames %ld -> %ld",
	      before, frames_used());
	struct bf_audit fa;
	check(bf_audit(&fa) == 0 && fa.wx_violations == 0 && fa.user_kernel == 0,
	      "syscall.fuzz_audit_clean", "wx %ld exposed %ld", fa.wx_violations, fa.user_kernel);

	char ok[4] = "ok\n";
	check(bf_write((const char *)0x100000, 4) == E_FAULT, "syscall.kernel_pointer", "", 0, 0);
	check(bf_write((const char *)0x70000000, 4) == E_FAULT, "syscall.unmapped_pointer", "", 0, 0);
	check(bf_write(ok, 0xFFFFFFFFu) == E_INVAL, "syscall.huge_length", "", 0, 0);
	check(bf_sys(SYS_CONSOLE_WRITE, 0xBFFFFFFFu, 2, 0, 0, 0, 0) == E_FAULT,
	      "syscall.range_crosses_top", "", 0, 0);
	check(bf_sys(999, 0, 0, 0, 0, 0, 0) == E_NOSYS, "syscall.unknown_number", "", 0, 0);
	check(bf_sys(-1, 0, 0, 0, 0, 0, 0) == E_NOSYS, "syscall.negative_number", "", 0, 0);
	check(bf_mem_info((struct bf_mem_info *)USER_BASE) == E_FAULT,
	      "syscall.write_to_readonly_user_page", "", 0, 0);
	check(bf_reap((struct bf_death *)0xC0001000u) == E_FAULT, "syscall.reap_kernel_pointer", "", 0, 0);
	check(bf_map_anon(USER_HEAP_BASE, 1, MAP_WRITE | MAP_EXEC) == E_WX, "syscall.map_wx_refused", "", 0, 0);
	check(bf_map_anon(USER_HEAP_BASE, 1, MAP_EXEC) == E_PERM, "syscall.map_exec_refused", "", 0, 0);
	check(bf_map_anon(0x1000, 1, MAP_WRITE) == E_INVAL, "syscall.map_outside_heap", "", 0, 0);
	check(bf_map_anon(USER_HEAP_BASE + 1, 1, MAP_WRITE) == E_INVAL, "syscall.map_unaligned", "", 0, 0);
	check(bf_map_anon(USER_HEAP_BASE, 2, MAP_WRITE) == 0, "syscall.map_ok", "", 0, 0);
	check(bf_map_anon(USER_HEAP_BASE, 1, MAP_WRITE) == E_EXIST, "syscall.map_twice", "", 0, 0);
	check(bf_unmap(USER_HEAP_BASE, 2) == 0, "syscall.unmap", "", 0, 0);
	check(bf_unmap(USER_BASE, 1) == E_INVAL, "syscall.unmap_own_text_refused", "", 0, 0);
	check(bf_spawn("nosuchmodule", 3, 0, 0) == E_NOENT, "syscall.spawn_unknown", "", 0, 0);
	check(bf_sys(SYS_SPAWN, 0x100000, 4, 3, 0, 0, 0) == E_FAULT, "syscall.spawn_kernel_name", "", 0, 0);
	check(bf_task_info(9999, 0) == E_INVAL, "syscall.task_info_range", "", 0, 0);
	check(bf_task_kill(INIT_SLOT_PLATFORM) == E_BADCAP, "syscall.kill_non_task_cap", "", 0, 0);
	check(bf_cap_delete(NCAPS + 5) == E_BADCAP, "syscall.cap_delete_range", "", 0, 0);
	check(bf_notify(INIT_SLOT_PLATFORM, 1) == E_BADCAP, "syscall.notify_wrong_cap", "", 0, 0);
	check(bf_irq_bind(INIT_SLOT_IRQ_ATA, INIT_SLOT_DEATHS, 0) == E_INVAL, "syscall.irq_bind_zero_bit", "", 0, 0);
	struct bf_audit a;
	check(bf_audit(&a) == 0 && a.wx_violations == 0 && a.user_kernel == 0 && a.entries > 0,
	      "syscall.audit_clean", "wx %ld, exposed %ld", a.wx_violations, a.user_kernel);
	return 0;
}

/* Machine code written by init (standing in for the JIT server), installed
 * into an empty task, reached through its dispatch table. */
static const uint8_t fn41[] = { 0xB8, 41, 0, 0, 0, 0xC3 };	/* mov eax,41; ret */
static const uint8_t fn42[] = { 0xB8, 42, 0, 0, 0, 0xC3 };	/* mov eax,42; ret */
static const uint8_t entry_call_dispatch[] = {
	0xFF, 0x15, 0x00, 0xF0, 0xFF, 0x5F,	/* call [USER_DISPATCH_VA] */
	0x89, 0xC3,				/* mov ebx, eax */
	0xB8, SYS_EXIT, 0, 0, 0,		/* mov eax, SYS_EXIT */
	0xCD, 0x80,				/* int 0x80 */
};
static const uint8_t entry_write_code[] = {
	0xC6, 0x05, 0x00, 0x00, 0x10, 0x60, 0x90,	/* mov byte [CODE_VA], 0x90 */
};
static const uint8_t entry_write_dispatch[] = {
	0xC7, 0x05, 0x00, 0xF0, 0xFF, 0x5F, 1, 0, 0, 0,	/* mov dword [dispatch], 1 */
};
static const uint8_t entry_jump_stack[] = {
	0xBC, 0x00, 0x00, 0xFF, 0xBF,	/* mov esp, USER_STACK_TOP */
	0x83, 0xEC, 0x10,		/* sub esp, 16 */
	0xFF, 0xE4,			/* jmp esp */
};

static int run_module(const char *name, const uint8_t *entry, uint32_t n,
		      int use_dispatch, struct bf_death *d)
{
	int t = bf_task_create(name, 3, 1000, 0);
	if (t < 0)
		return t;
	uint8_t *page = (uint8_t *)USER_HEAP_BASE;
	int r = bf_map_anon(USER_HEAP_BASE, 1, MAP_READ | MAP_WRITE);
	if (r)
		return r;
	memset(page, 0xCC, PAGE_SIZE);		/* int3 fill */
	memcpy(page, fn41, sizeof fn41);
	memcpy(page + 16, fn42, sizeof fn42);
	memcpy(page + 32, entry, n);
	if ((r = bf_code_install(t, USER_HEAP_BASE, 1, CODE_VA, INSTALL_CODE)))
		return r;
	if (use_dispatch && (r = bf_dispatch_set(t, 0, CODE_VA + 16)))
		return r;
	if ((r = bf_task_set_entry(t, CODE_VA + 32, 0)))
		return r;
	struct bf_task_info info;
	bf_task_info_cap(t, &info);
	if ((r = bf_task_start(t)))
		return r;
	r = await_death(info.id, d);
	bf_cap_delete(t);
	return r;
}

/* test=code and test=isolation install hand-written code (raw int 0x80,
 * plain ret, calls anywhere) to test W^X, the install path and the module
 * syscall surface, not the sandbox: their module tasks are made with the
 * secure switch off (verify and pin are on by default).  test=secure runs
 * the verified, pinned twins of these checks. */
static int unverified(int (*fn)(void))
{
	int was = bf_secure_get();
	bf_secure_set(0);
	int r = fn();
	bf_secure_set(was < 0 ? 0u : (uint32_t)was);
	return r;
}

static int test_code_raw(void);
static int test_code(void) { return unverified(test_code_raw); }

static int test_code_raw(void)
{
	/* the page table for init's heap range is made once, on first use */
	bf_map_anon(USER_HEAP_BASE, 1, MAP_WRITE);
	bf_unmap(USER_HEAP_BASE, 1);
	uint32_t before = frames_used();
	struct bf_death d;
	int r = run_module("jitmod", entry_call_dispatch, sizeof entry_call_dispatch, 1, &d);
	check(r == 0 && d.cause == DEATH_EXIT && d.status == 42, "code.install_and_dispatch",
	      "r=%ld status=%ld", r, d.status);
	check(bf_write((const char *)USER_HEAP_BASE, 1) == E_FAULT, "code.installer_lost_its_page", "", 0, 0);
	r = run_module("jitmod", entry_write_code, sizeof entry_write_code, 0, &d);
	check(r == 0 && d.cause == DEATH_WRITE_RO, "code.module_writes_its_code",
	      "r=%ld cause=%ld", r, d.cause);
	r = run_module("jitmod", entry_write_dispatch, sizeof entry_write_dispatch, 1, &d);
	check(r == 0 && d.cause == DEATH_WRITE_RO, "code.module_writes_dispatch_table",
	      "r=%ld cause=%ld", r, d.cause);
	r = run_module("jitmod", entry_jump_stack, sizeof entry_jump_stack, 0, &d);
	check(r == 0 && d.cause == DEATH_EXEC_NX, "code.module_jumps_to_data",
	      "r=%ld cause=%ld", r, d.cause);
	check(frames_used() == before, "code.no_frame_leak", "frames %ld -> %ld", before, frames_used());

	/* refusals */
	int t = bf_task_create("jitmod", 3, 1000, 0);
	bf_map_anon(USER_HEAP_BASE, 1, MAP_READ | MAP_WRITE);
	check(bf_code_install(t, USER_HEAP_BASE, 1, USER_HEAP_BASE, INSTALL_CODE) == E_INVAL,
	      "code.install_outside_code_range", "", 0, 0);
	check(bf_code_install(t, USER_HEAP_BASE + PAGE_SIZE, 1, CODE_VA, INSTALL_CODE) == E_FAULT,
	      "code.install_unmapped_source", "", 0, 0);
	check(bf_code_install(t, USER_HEAP_BASE, 600, CODE_VA, INSTALL_CODE) == E_NOSPC,
	      "code.install_over_code_cap", "", 0, 0);
	check(bf_code_install(INIT_SLOT_PLATFORM, USER_HEAP_BASE, 1, CODE_VA, INSTALL_CODE) == E_BADCAP,
	      "code.install_without_task_cap", "", 0, 0);
	check(bf_dispatch_set(t, 0, USER_HEAP_BASE) == E_FAULT, "code.dispatch_to_non_code", "", 0, 0);
	check(bf_dispatch_set(t, 5000, 0) == E_INVAL, "code.dispatch_index_range", "", 0, 0);
	check(bf_dispatch_set_flags(t, 0, 0, 2) == E_INVAL, "code.dispatch_unknown_flag", "", 0, 0);
	check(bf_code_install(t, USER_HEAP_BASE, 1, CODE_VA, INSTALL_CODE) == 0,
	      "code.install_ok", "", 0, 0);
	check(bf_code_install(t, USER_HEAP_BASE, 1, CODE_VA, INSTALL_CODE) == E_FAULT,
	      "code.source_gone_after_install", "", 0, 0);
	struct bf_audit a;
	check(bf_audit(&a) == 0 && a.wx_violations == 0 && a.user_kernel == 0,
	      "code.audit_clean", "wx %ld exposed %ld", a.wx_violations, a.user_kernel);
	bf_task_kill(t);
	bf_cap_delete(t);
	return 0;
}

static int test_restart(void)
{
	int err;
	struct child *c = server_start("utest", 5, ROLE_ECHO_SERVER, 0, &err);
	if (!c)
		return 1;
	int ep = c->endpoint;
	struct bf_msg m = { 1, { 41, 0, 0, 0 }, 0 };
	check(bf_call(ep, &m) == 0 && m.w[0] == 42, "restart.first_call", "r w0=%ld", m.w[0], 0);
	uint32_t old = c->id;
	bf_task_kill(c->cap);
	handle_deaths(0);
	struct child *n = child_by_name("utest");
	check(n && n->id != old && n->restarts == 1, "restart.server_restarted", "", 0, 0);
	m.w[0] = 99;
	check(bf_call(ep, &m) == 0 && m.w[0] == 100, "restart.call_after_restart", "w0=%ld", m.w[0], 0);
	/* A server that keeps dying is restarted every time, later and later
	 * (back-off), never given up on: 6 more deaths in a row. */
	int t0 = bf_time(), all = 1;
	for (int k = 0; k < 6 && all; k++) {
		struct child *s = child_by_name("utest");
		if (!s)
			break;
		bf_task_kill((uint32_t)s->cap);
		handle_deaths(0);
		for (int waited = 0; !child_by_name("utest") && waited < 3000; waited += 10) {
			uint32_t ms = restarts_due();
			if (!child_by_name("utest"))
				bf_wait_timeout(INIT_SLOT_DEATHS, ms ? ms : 10);
		}
		all = child_by_name("utest") != 0;
	}
	n = child_by_name("utest");
	int took = bf_time() - t0;
	check(all && n && n->restarts == 7, "restart.backoff_never_gives_up", "restarts %ld", n ? (long)n->restarts : -1, 0);
	/* 100 + 200 + ... + 1600 ms of back-off: 3.1 s, not at once */
	check(took >= 200, "restart.backoff_waits", "%ld ticks for 6 restarts", took, 0);
	m.w[0] = 5;
	check(bf_call(ep, &m) == 0 && m.w[0] == 6, "restart.serves_after_backoff", "w0=%ld", m.w[0], 0);
	return 0;
}

/* IRQs reach user-level drivers as notifications. */
static int test_irq(void)
{
	struct child *c = spawn("utest", ROLE_IRQ_DRIVER, 2000);
	if (!c)
		return 1;
	uint32_t id = c->id;
	check(bf_cap_copy(c->cap, INIT_SLOT_IRQ_ATA, 0, RIGHT_ALL) == 0, "irq.cap_given", "", 0, 0);
	bf_ioport_grant(c->cap, INIT_SLOT_IO_ATA);
	bf_ioport_grant(c->cap, INIT_SLOT_IO_ATA2);
	bf_task_start(c->cap);
	struct bf_death d;
	int r = await_death(id, &d);
	check(r == 0 && d.cause == DEATH_EXIT && d.status == 0, "irq.delivered_as_notification",
	      "cause %ld status %ld", d.cause, d.status);
	check(bf_irq_bind(INIT_SLOT_PLATFORM, INIT_SLOT_DEATHS, 1) == E_BADCAP,
	      "irq.bind_needs_irq_cap", "", 0, 0);
	return 0;
}

/* The IPC round trip: client and server on CPU 0 (on more CPUs, pinned
 * there: the fast path's cost with the big lock), then, on more CPUs, the
 * client on CPU 1 ("ipc_round_trip_cross": a wakeup by IPI each way;
 * under -icount both CPUs' instructions count, in turn). */
static int bench_pair(uint32_t client_cpu, uint32_t cross)
{
	int ep = bf_endpoint_create();
	struct child *srv = spawn("utest", ROLE_PING_SERVER, 0);
	struct child *cli = spawn("utest", ROLE_BENCH_CLIENT | cross << 8, 0);
	if (ep < 0 || !srv || !cli)
		return 1;
	bf_cap_copy(srv->cap, ep, 0, RIGHT_RECV);
	bf_cap_copy(cli->cap, ep, 7, RIGHT_SEND);
	struct bf_cpu_info ci;
	if (bf_cpu_info(0, &ci, 0) > 1) {
		bf_task_affinity((uint32_t)srv->cap, 0, AFFINITY_PIN);
		bf_task_affinity((uint32_t)cli->cap, client_cpu, AFFINITY_PIN);
	}
	uint32_t cid = cli->id;
	bf_task_start(srv->cap);
	bf_task_start(cli->cap);
	struct bf_death d;
	return await_death(cid, &d) || d.status;
}

static int test_bench(void)
{
	struct bf_cpu_info ci;
	int r = bench_pair(0, 0);
	if (!r && bf_cpu_info(0, &ci, 0) > 1)
		r = bench_pair(1, 1);
	return r;
}

/* The utest role: console theft and badge forgery (see utest.c). */
static int hostile_role(void)
{
	uint32_t before = frames_used();
	int ep = bf_endpoint_create();
	struct child *c = spawn("utest", ROLE_HOSTILE, 2000);
	if (ep < 0 || !c)
		return 1;
	uint32_t id = c->id;
	bf_cap_copy(c->cap, ep, 42, RIGHT_SEND);		/* its slot 0 */
	bf_cap_copy(c->cap, c->cap, 0, RIGHT_CONTROL);	/* slot 1: itself */
	bf_task_start(c->cap);
	struct bf_msg m;
	int r = bf_recv(ep, &m);
	check(r == 0 && m.badge == 42, "hostile.badge_cannot_be_forged",
	      "r=%ld badge=%ld", r, m.badge);
	uint32_t bits = r == 0 ? m.w[0] : ~0u;
	bf_reply(&m);
	check(!(bits & 1), "hostile.console_input_is_inits", "bits %lx", (long)bits, 0);
	check(!(bits & ~1u), "hostile.refusals", "attacks that worked: bits %lx", (long)bits, 0);
	struct bf_death d;
	r = await_death(id, &d);
	check(r == 0 && d.cause == DEATH_KILLED, "hostile.kill_self_mid_syscall",
	      "cause %ld status %ld", d.cause, d.status);
	bf_cap_delete((uint32_t)ep);
	check(frames_used() == before, "hostile.role_no_frame_leak", "frames %ld -> %ld",
	      before, frames_used());
	return 0;
}

/* A hostile or compromised task against the kernel: each check is an
 * attack that once worked (see docs/threat-model.md). */
static int test_hostile(void)
{
	bf_map_anon(USER_HEAP_BASE, 1, MAP_WRITE);	/* page table made once */
	bf_unmap(USER_HEAP_BASE, 1);
	uint32_t before = frames_used();

	/* A frame the installer shares (here: a data page it keeps a
	 * read-only view of, task a holding it writable) must not become
	 * code in task b: a would write code that b runs. */
	int a = bf_task_create("jitmod", 3, 1000, 0);
	int b = bf_task_create("jitmod", 3, 1000, 0);
	bf_map_anon(USER_HEAP_BASE, 1, MAP_READ | MAP_WRITE);
	check(bf_code_install(a, USER_HEAP_BASE, 1, USER_HEAP_BASE, INSTALL_DATA_SHARED) == 0,
	      "hostile.data_shared_ok", "", 0, 0);
	int r = bf_code_install(b, USER_HEAP_BASE, 1, CODE_VA, INSTALL_CODE);
	check(r == E_PERM, "hostile.install_shared_frame_as_code", "r=%ld", r, 0);
	r = bf_code_install(b, USER_HEAP_BASE, 1, USER_HEAP_BASE, INSTALL_DATA);
	check(r == E_PERM, "hostile.install_shared_frame_as_data", "r=%ld", r, 0);
	bf_unmap(USER_HEAP_BASE, 1);
	bf_task_kill(a);
	bf_task_kill(b);
	bf_cap_delete((uint32_t)a);
	bf_cap_delete((uint32_t)b);
	struct bf_death d;
	while (bf_reap(&d) == 0)
		;
	check(frames_used() == before, "hostile.no_frame_leak", "frames %ld -> %ld",
	      before, frames_used());
	return hostile_role();
}

int selftest_modules(const char *name, int *found);
int selftest_isolation(void);
int selftest_secure(void);
int selftest_soak(uint32_t runs);
int selftest_fpu(void);
int selftest_attacks(void);
static int test_isolation(void) { return unverified(selftest_isolation); }
static int test_secure(void) { return selftest_secure(); }
static int soak100(void) { return selftest_soak(100); }
static int test_soak(void) { return unverified(soak100); }	/* 10 M random syscalls */

int selftest_smp(const char *name, int *found);

int selftest(const char *name)
{
	int found, r = selftest_modules(name, &found);
	if (found)
		return r;
	r = selftest_smp(name, &found);
	if (found)
		return r;
	static const struct { const char *name; int (*fn)(void); } tests[] = {
		{ "ipc", test_ipc }, { "grant", test_grant }, { "faults", test_faults },
		{ "syscalls", test_syscalls }, { "code", test_code }, { "restart", test_restart },
		{ "bench", test_bench }, { "irq", test_irq }, { "hostile_kernel", test_hostile },
		{ "isolation", test_isolation }, { "soak", test_soak }, { "secure", test_secure },
		{ "fpu", selftest_fpu }, { "attacks", selftest_attacks },
	};
	for (unsigned i = 0; i < sizeof tests / sizeof tests[0]; i++)
		if (!strcmp(name, tests[i].name)) {
			int r = tests[i].fn();
			return r || failures;
		}
	bf_printf("selftest: no test named '%s'\n", name);
	return 1;
}
