/* Isolation tests (test=isolation, and test=soak for the long campaign):
 * what a hostile module or task must not be able to do to everyone else.
 *   - a module task's syscall surface: raw code installed into one calls
 *     every number; all but exit/notify/console write are E_PERM;
 *   - random syscalls from a task under the module surface, and from one
 *     holding real capabilities (an endpoint to a live server, a
 *     notification, a task), with the frames and the page-table audit
 *     checked after each;
 *   - kernel objects: a task that creates endpoints and notifications in
 *     a loop is stopped by its quota, and what it made comes back when it
 *     dies;
 *   - time limits: a wait with a limit ends with E_TIMEOUT;
 *   - badges 0 and NOTIFY_BADGE are not minted on send capabilities. */
#include <string.h>
#include "lib/fmt.h"
#include "servers/init/init.h"
#include "servers/init/selftest.h"

/* Calls syscall 0, 1, ... SYS_COUNT + 3 (all but exit), each result into
 * the page at USER_HEAP_BASE, then exits.  EBX = ECX = EDX = 0. */
static const uint8_t every_syscall[] = {
	0xBF, 0x00, 0x00, 0x00, 0x50,	/*  0: mov edi, USER_HEAP_BASE */
	0x31, 0xF6,			/*  5: xor esi, esi */
	0x83, 0xFE, SYS_EXIT,		/*  7: cmp esi, SYS_EXIT */
	0x74, 0x11,			/* 10: je 29 */
	0x89, 0xF0,			/* 12: mov eax, esi */
	0x56, 0x57,			/* 14: push esi; push edi */
	0x31, 0xDB, 0x31, 0xC9, 0x31, 0xD2,	/* 16: xor ebx, ebx; xor ecx, ecx; xor edx, edx */
	0xCD, 0x80,			/* 22: int 0x80 */
	0x5F, 0x5E,			/* 24: pop edi; pop esi */
	0x89, 0x04, 0xB7,		/* 26: mov [edi + esi * 4], eax */
	0x46,				/* 29: inc esi */
	0x83, 0xFE, SYS_COUNT + 4,	/* 30: cmp esi, SYS_COUNT + 4 */
	0x72, 0xE4,			/* 33: jb 7 */
	0xB8, SYS_EXIT, 0, 0, 0,	/* 35: mov eax, SYS_EXIT */
	0x31, 0xDB,			/* 40: xor ebx, ebx */
	0xCD, 0x80,			/* 42: int 0x80 */
};

#define RESULTS ((const volatile int32_t *)(USER_HEAP_BASE + 0x10000))

static void test_module_surface(void)
{
	int t = bf_task_create("surface", 3, 1000, 0);
	uint8_t *page = (uint8_t *)USER_HEAP_BASE;
	bf_map_anon(USER_HEAP_BASE, 1, MAP_READ | MAP_WRITE);
	memset(page, 0xCC, PAGE_SIZE);
	memcpy(page, every_syscall, sizeof every_syscall);
	int r = t < 0 ? t : bf_code_install((uint32_t)t, USER_HEAP_BASE, 1, CODE_VA, INSTALL_CODE);
	/* the results page: the module writes it, init keeps a read-only view */
	bf_map_anon((uint32_t)RESULTS, 1, MAP_READ | MAP_WRITE);
	memset((void *)RESULTS, 0x7F, PAGE_SIZE);
	if (!r)
		r = bf_code_install((uint32_t)t, (uint32_t)RESULTS, 1, USER_HEAP_BASE, INSTALL_DATA_SHARED);
	struct bf_task_info info;
	bf_task_info_cap((uint32_t)t, &info);
	if (!r && !(r = bf_task_set_entry((uint32_t)t, CODE_VA, 0)))
		r = bf_task_start((uint32_t)t);
	struct bf_death d = { 0 };
	if (!r)
		r = await_death(info.id, &d);
	check(r == 0 && d.cause == DEATH_EXIT, "isolation.module_task_ran", "r=%ld cause=%ld", r, d.cause);
	int wrong = 0, first = -1;
	for (int nr = 0; nr < SYS_COUNT + 4; nr++) {
		if (nr == SYS_EXIT)
			continue;
		int32_t got = RESULTS[nr];
		int allowed = nr == SYS_NOTIFY || nr == SYS_CONSOLE_WRITE;
		if (allowed ? got == E_PERM : got != E_PERM) {
			wrong++;
			if (first < 0)
				first = nr;
		}
	}
	check(wrong == 0, "isolation.module_syscalls_e_perm",
	      "%ld numbers answered wrongly, the first %ld", wrong, first);
	check(RESULTS[SYS_NOTIFY_CREATE] == E_PERM && RESULTS[SYS_MAP_ANON] == E_PERM &&
	      RESULTS[SYS_WAIT] == E_PERM && RESULTS[SYS_ENDPOINT_CREATE] == E_PERM,
	      "isolation.module_cannot_block_or_allocate", "map_anon %ld wait %ld",
	      RESULTS[SYS_MAP_ANON], RESULTS[SYS_WAIT]);
	bf_unmap((uint32_t)RESULTS, 1);
	bf_cap_delete((uint32_t)t);
}

static int audit_clean(void)
{
	struct bf_audit a;
	return bf_audit(&a) == 0 && a.wx_violations == 0 && a.user_kernel == 0 && a.entries > 0;
}

/* How many objects init can still create (then gives them back). */
static int objects_available(void)
{
	static int slots[64];
	int n = 0, r;
	while (n < 64 && (r = (n & 1) ? bf_notify_create() : bf_endpoint_create()) >= 0)
		slots[n++] = r;
	for (int i = 0; i < n; i++)
		bf_cap_delete((uint32_t)slots[i]);
	return n;
}

/* One random-syscall run of `count`-ish calls in `role` (see utest.c), with
 * the frames, the audit and the object tables checked afterwards.
 * Returns 0 when everything held. */
static int fuzz_run(uint32_t role, uint32_t seed, int report)
{
	uint32_t before = frames_used();
	struct child *echo = 0, *idle = 0;
	struct child *c = spawn("utest", role | seed << 8, 30000);
	if (!c)
		return 1;
	uint32_t id = c->id;
	int ep = -1, n = -1;
	if (role == ROLE_SYSCALL_FUZZ_MODULE)
		bf_task_limit((uint32_t)c->cap, 0, LIMIT_MODULE_SYSCALLS);
	if (role == ROLE_SYSCALL_FUZZ_CAPS) {
		echo = spawn("utest", ROLE_ECHO_SERVER, 0);
		idle = spawn("utest", ROLE_NULL, 0);
		ep = bf_endpoint_create();
		n = bf_notify_create();
		if (!echo || !idle || ep < 0 || n < 0)
			return 1;
		bf_cap_copy((uint32_t)echo->cap, (uint32_t)ep, 0, RIGHT_RECV);
		bf_task_start((uint32_t)echo->cap);
		bf_cap_copy((uint32_t)c->cap, (uint32_t)ep, 7, RIGHT_SEND);		/* slot 0 */
		bf_cap_copy((uint32_t)c->cap, (uint32_t)n, 0, RIGHT_ALL);		/* slot 1 */
		bf_cap_copy((uint32_t)c->cap, (uint32_t)idle->cap, 0, RIGHT_ALL);	/* slot 2 */
	}
	bf_task_start((uint32_t)c->cap);
	struct bf_death d = { 0 };
	int r = await_death(id, &d);
	int ok = r == 0 && d.cause == DEATH_EXIT && d.status == 0;
	/* what it was given goes: the server, the idle task, the objects */
	struct child *helpers[2] = { echo, idle };
	for (int i = 0; i < 2; i++)
		if (helpers[i] && helpers[i]->alive) {
			uint32_t hid = helpers[i]->id;
			bf_task_kill((uint32_t)helpers[i]->cap);
			await_death(hid, &d);
		}
	if (ep >= 0)
		bf_cap_delete((uint32_t)ep);
	if (n >= 0)
		bf_cap_delete((uint32_t)n);
	struct bf_death other;
	while (bf_reap(&other) == 0)
		;
	int clean = audit_clean(), leak = frames_used() != before;
	if (report) {
		char name[64];
		bf_snprintf(name, sizeof name, "isolation.fuzz_role%u_seed%u", role, seed);
		check(ok, name, "cause %ld status %ld", d.cause, d.status);
		check(clean && !leak, "isolation.fuzz_audit_and_frames", "frames %ld -> %ld", before, frames_used());
	}
	return !ok || !clean || leak;
}

static void test_objects(void)
{
	int avail = objects_available();
	struct child *c = spawn("utest", ROLE_OBJECT_HOG, 2000);
	if (!c)
		return;
	uint32_t id = c->id;
	bf_task_start((uint32_t)c->cap);
	struct bf_death d;
	int r = await_death(id, &d);
	check(r == 0 && d.cause == DEATH_EXIT && d.status == 16, "isolation.object_quota",
	      "made %ld objects (cause %ld)", d.status, d.cause);
	check(objects_available() == avail, "isolation.objects_reclaimed_at_death",
	      "%ld available, %ld before", objects_available(), avail);
	/* the last capability's deletion frees an object too */
	int ep = bf_endpoint_create();
	bf_cap_delete((uint32_t)ep);
	check(objects_available() == avail, "isolation.object_freed_with_last_cap", "", 0, 0);
}

static void test_time_limits_and_badges(void)
{
	int n = bf_notify_create();
	int t0 = bf_time();
	int r = bf_wait_timeout((uint32_t)n, 50);
	int waited = bf_time() - t0;
	check(r == E_TIMEOUT && waited >= 5 && waited < 50, "isolation.wait_time_limit",
	      "r=%ld after %ld ticks", r, waited);
	bf_notify((uint32_t)n, 4);
	check(bf_wait_timeout((uint32_t)n, 50) == 4, "isolation.wait_limit_not_hit", "", 0, 0);
	/* a server that takes a call and never answers holds the caller only
	 * as long as the caller's limit */
	int sep = bf_endpoint_create();
	struct child *silent = spawn("utest", ROLE_SILENT_SERVER, 0);
	if (silent) {
		bf_cap_copy((uint32_t)silent->cap, (uint32_t)sep, 0, RIGHT_RECV);
		bf_task_start((uint32_t)silent->cap);
		struct bf_msg m = { 1, { 0, 0, 0, 0 }, 0 };
		t0 = bf_time();
		r = bf_call(CALL_CAP((uint32_t)sep, 200), &m);
		waited = bf_time() - t0;
		check(r == E_TIMEOUT && waited >= 20 && waited < 100, "isolation.call_time_limit",
		      "r=%ld after %ld ticks", r, waited);
		bf_task_kill((uint32_t)silent->cap);
	}
	bf_cap_delete((uint32_t)sep);
	int ep = bf_endpoint_create();
	struct child *c = spawn("utest", ROLE_NULL, 0);
	if (c) {
		check(bf_cap_copy((uint32_t)c->cap, (uint32_t)ep, 0, RIGHT_SEND) == E_INVAL,
		      "isolation.badge0_not_minted", "", 0, 0);
		check(bf_cap_copy((uint32_t)c->cap, (uint32_t)ep, NOTIFY_BADGE, RIGHT_SEND) == E_INVAL,
		      "isolation.notify_badge_not_minted", "", 0, 0);
		bf_task_kill((uint32_t)c->cap);
	}
	bf_cap_delete((uint32_t)ep);
	bf_cap_delete((uint32_t)n);
}

int selftest_isolation(void)
{
	bf_map_anon(USER_HEAP_BASE, 1, MAP_WRITE);	/* page tables made once */
	bf_unmap(USER_HEAP_BASE, 1);
	test_module_surface();
	test_objects();
	test_time_limits_and_badges();
	fuzz_run(ROLE_SYSCALL_FUZZ_MODULE, 11, 1);
	fuzz_run(ROLE_SYSCALL_FUZZ_CAPS, 12, 1);
	return failures;
}

/* make soak: `runs` random-syscall runs (100,000 calls each) over the three
 * roles and as many seeds, everything checked after each.  Run i uses seed
 * 1000 + i and role i % 3, so a failing run repeats alone with
 * soak_from=i (and soak_runs=1) on the kernel command line. */
int selftest_soak(uint32_t runs)
{
	static const uint32_t roles[3] = { ROLE_SYSCALL_FUZZ, ROLE_SYSCALL_FUZZ_MODULE, ROLE_SYSCALL_FUZZ_CAPS };
	uint32_t bad = 0, from = 0;
	char v[16];
	if (cmdline_value(boot_cmdline, "soak_from", v, sizeof v))
		parse_uint(v, &from);
	if (cmdline_value(boot_cmdline, "soak_runs", v, sizeof v))
		parse_uint(v, &runs);
	bf_printf("soak: runs %u..%u\n", from, from + runs - 1);
	for (uint32_t i = from; i < from + runs; i++) {
		uint32_t seed = 1000 + i;
		if (fuzz_run(roles[i % 3], seed, 0)) {
			bad++;
			bf_printf("TEST FAIL soak.run role %u seed %u\n", roles[i % 3], seed);
		}
	}
	bf_printf("soak: %u runs, %u00000 random syscalls, %u runs failed\n", runs, runs, bad);
	check(bad == 0, "soak.all_runs_clean", "%ld failed", bad, 0);
	return failures;
}
