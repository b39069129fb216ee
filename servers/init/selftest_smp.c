/* Integration tests of the kernel on more than one CPU (kernel command
 * line test=NAME, booted by tests/qemu/smp.sh at -smp 1 and -smp 2).
 *
 * test=tlb: TLB shootdown.  A reader task (utest ROLE_TLB_READER), pinned
 * to CPU 1, reads without pause the page its dispatch entry 0 names (a
 * generation and the page's own address).  init, on CPU 0, plays the jit:
 * it installs a new page at the other of two addresses, points the entry
 * there, waits until the reader has seen it, and unmaps the old page
 * (INSTALL_REMOVE) -- 2000 times, so every address is unmapped and mapped
 * again with a fresh frame a thousand times under the reader's feet.  A
 * CPU that kept a stale TLB entry would read an old generation or another
 * page's words (the freed frame reused).  Then init unmaps the page the
 * reader is using: the reader must die of a page fault at that address,
 * having read it at most once more -- the read that was under way.
 *
 * test=reclaim: reclamation of old code (INSTALL_RETIRE, microkernel/
 * code.c code_reclaim).  A recurser (utest ROLE_RECURSER), pinned to CPU
 * 1, computes f(1000) over and over, f calling itself through dispatch
 * entry 0, and at the bottom a leaf that yields.  init swaps f 10,000
 * times: each version at a fresh page (one
 * of 1024, in turn) at an offset that changes with each reuse of the page,
 * the rest of the page int3; then it retires the version before.  The
 * code quota (512 pages) would be used up after 512 swaps without
 * reclamation; a version freed while a frame of it is on the recurser's
 * stack would kill it when the frame returns (the page unmapped, or
 * reused with int3 where the return lands).  Every round must return
 * 1000, the recurser must live to the end, old versions must have been
 * kept for a while (frames of them on its stack) and freed, and its
 * frames must all come back. */
#include <string.h>
#include "servers/init/init.h"
#include "servers/init/selftest.h"
#include "lib/fmt.h"

#define STAGE 0x58000000u	/* where init writes a page before installing it */
#define VIEW  0x58100000u	/* init's read-only view of the reader's report */
#define SWAPS 2000
#define SPIN_LIMIT 2000000
#define CODE_QUOTA 512	/* the kernel's default code quota (microkernel/task.h) */

static int ncpus(void)
{
	struct bf_cpu_info ci;
	int n = bf_cpu_info(0, &ci, 0);
	return n > 0 ? n : 1;
}

/* A fresh frame with (gen, va) installed at va in the task: R+X, like code. */
static int install_gen(int task, uint32_t va, uint32_t gen)
{
	int r = bf_map_anon(STAGE, 1, MAP_READ | MAP_WRITE);
	if (r)
		return r;
	volatile uint32_t *p = (volatile uint32_t *)STAGE;
	p[0] = gen;
	p[1] = va;
	r = bf_code_install((uint32_t)task, STAGE, 1, va, INSTALL_CODE);
	if (r)
		bf_unmap(STAGE, 1);
	return r;
}

/* Until cond holds or the limit: on one CPU the reader needs our time. */
#define WAIT_FOR(cond) ({ int _s = 0; while (!(cond) && _s++ < SPIN_LIMIT) bf_yield(); (cond); })

static int test_tlb(void)
{
	bf_map_anon(USER_HEAP_BASE, 1, MAP_WRITE);	/* page tables made once */
	bf_unmap(USER_HEAP_BASE, 1);
	bf_map_anon(STAGE, 1, MAP_WRITE);
	bf_unmap(STAGE, 1);
	uint32_t before = frames_used();
	int n = ncpus(), err;
	uint32_t cpu = n > 1 ? 1 : 0;
	struct child *c = child_start("utest", 4, 0, ROLE_TLB_READER, 0, &err);
	if (!c)
		return 1;
	int task = c->cap;
	uint32_t id = c->id;
	check(bf_task_affinity((uint32_t)task, cpu, AFFINITY_PIN) == 0, "tlb.reader_pinned", "cpu %ld", (long)cpu, 0);
	/* its report page: writable for it, a read-only view for us */
	if (bf_map_anon(VIEW, 1, MAP_READ | MAP_WRITE) ||
	    bf_code_install((uint32_t)task, VIEW, 1, TLB_REPORT_VA, INSTALL_DATA_SHARED))
		return 1;
	const struct tlb_report *rep = (const struct tlb_report *)VIEW;
	uint32_t gen = 1, cur = TLB_VA_A;
	if (install_gen(task, cur, gen) || bf_dispatch_set((uint32_t)task, 0, cur) ||
	    bf_task_start((uint32_t)task))
		return 1;
	check(WAIT_FOR(rep->count > 0), "tlb.reader_runs", "", 0, 0);
	struct bf_task_info info;
	bf_task_info_cap((uint32_t)task, &info);
	if (n > 1)
		check(info.cpu == 1, "tlb.reader_on_cpu1", "it runs on CPU %ld", (long)info.cpu, 0);

	int swaps = 0, lost = 0;
	for (; swaps < SWAPS; swaps++) {
		uint32_t other = cur == TLB_VA_A ? TLB_VA_B : TLB_VA_A;
		gen++;
		if (install_gen(task, other, gen) || bf_dispatch_set((uint32_t)task, 0, other))
			break;
		/* once the reader has seen the new page it never loads the
		 * old address again (its next loads of the entry see ours) */
		if (!WAIT_FOR(rep->seen_gen == gen)) {
			lost = 1;
			break;
		}
		if (bf_code_install((uint32_t)task, 0, 1, cur, INSTALL_REMOVE))
			break;
		cur = other;
	}
	if (lost)
		bf_printf("tlb: after %d remaps the reader still reads generation %u at %08x, not %u: "
			  "a stale TLB entry\n", swaps, rep->seen_gen, rep->seen_va, gen);
	check(swaps == SWAPS && !lost, "tlb.remap_2000_times_each_seen",
	      "%ld remaps, then the reader never saw the next one", (long)swaps, 0);
	check(rep->stale == 0 && rep->wrong_page == 0, "tlb.never_a_stale_read",
	      "stale generations %ld, words of another page %ld", (long)rep->stale, (long)rep->wrong_page);
	bf_printf("tlb: %d CPUs, reader on CPU %u: %u reads, %d remaps\n", n, info.cpu, rep->count, swaps);

	/* the page under its feet goes: it faults there, at most one read later */
	uint32_t c0 = rep->count;
	int r = bf_code_install((uint32_t)task, 0, 1, cur, INSTALL_REMOVE);
	uint32_t c1 = rep->count;
	struct bf_death d;
	int dr = await_death(id, &d);
	uint32_t c2 = rep->count;
	check(r == 0 && dr == 0 && d.cause == DEATH_PAGE_FAULT && (d.cr2 & ~(PAGE_SIZE - 1)) == cur,
	      "tlb.unmapped_page_faults", "cause %ld cr2 %lx", (long)d.cause, (long)d.cr2);
	check(c2 - c1 <= 1, "tlb.no_read_after_the_unmap", "%ld reads after it (%ld before)",
	      (long)(c2 - c1), (long)(c1 - c0));
	bf_unmap(VIEW, 1);
	check(frames_used() == before, "tlb.no_frame_leak", "frames %ld -> %ld", (long)before, (long)frames_used());
	struct bf_audit a;
	check(bf_audit(&a) == 0 && a.wx_violations == 0 && a.user_kernel == 0, "tlb.audit_clean",
	      "wx %ld exposed %ld", (long)a.wx_violations, (long)a.user_kernel);
	return 0;
}

#define RECLAIM_VA    0x60200000u	/* the versions' pages, in turn */
#define RECLAIM_SLOTS 1024	/* more than the code quota: without reclamation the quota, not the slots, runs out */
#define RECLAIM_SWAPS 10000

/* f(n) = n ? f(n - 1) + 1 : leaf(), calling itself through dispatch
 * entry 0 and the leaf through entry 1 */
static const uint8_t f_code[] = {
	0x8B, 0x44, 0x24, 0x04,		/* mov eax, [esp + 4] */
	0x85, 0xC0,			/* test eax, eax */
	0x74, 0x0E,			/* jz bottom */
	0x48,				/* dec eax */
	0x50,				/* push eax */
	0xA1, 0, 0, 0, 0,		/* mov eax, [USER_DISPATCH_VA] */
	0xFF, 0xD0,			/* call eax */
	0x83, 0xC4, 0x04,		/* add esp, 4 */
	0x40,				/* inc eax */
	0xC3,				/* ret */
	0xFF, 0x25, 0, 0, 0, 0,		/* bottom: jmp [USER_DISPATCH_VA + 4] */
};
#define F_ENTRY0 11	/* where f_code holds the entries' addresses */
#define F_ENTRY1 24

/* The leaf, at the bottom of every round: yield, return 0.  It is never
 * retired, so at the yield no register of the recurser points into f:
 * only its stack, 1000 return addresses deep, holds the versions of f it
 * came through -- on one CPU init swaps and retires right then. */
#define LEAF_VA 0x601FF000u
static const uint8_t leaf_code[] = {
	0xB8, SYS_YIELD, 0, 0, 0,	/* mov eax, SYS_YIELD */
	0xCD, 0x80,			/* int 0x80 */
	0x31, 0xC0,			/* xor eax, eax */
	0xC3,				/* ret */
};

/* code at page + off, the rest of the page int3; f's entry addresses set */
static int install_f(int task, uint32_t page, uint32_t off, const uint8_t *code, uint32_t len)
{
	int r = bf_map_anon(STAGE, 1, MAP_READ | MAP_WRITE);
	if (r)
		return r;
	uint8_t *p = (uint8_t *)STAGE;
	memset(p, 0xCC, PAGE_SIZE);
	memcpy(p + off, code, len);
	if (code == f_code) {
		uint32_t d0 = USER_DISPATCH_VA, d1 = USER_DISPATCH_VA + 4;
		memcpy(p + off + F_ENTRY0, &d0, 4);
		memcpy(p + off + F_ENTRY1, &d1, 4);
	}
	r = bf_code_install((uint32_t)task, STAGE, 1, page, INSTALL_CODE);
	if (r)
		bf_unmap(STAGE, 1);
	return r;
}

static int test_reclaim(void)
{
	bf_map_anon(STAGE, 1, MAP_WRITE);	/* page tables made once */
	bf_unmap(STAGE, 1);
	bf_map_anon(VIEW, 1, MAP_WRITE);
	bf_unmap(VIEW, 1);
	uint32_t before = frames_used();
	int n = ncpus(), err;
	uint32_t cpu = n > 1 ? 1 : 0;
	struct child *c = child_start("utest", 4, 0, ROLE_RECURSER, 0, &err);
	if (!c)
		return 1;
	int task = c->cap;
	uint32_t id = c->id;
	check(bf_task_affinity((uint32_t)task, cpu, AFFINITY_PIN) == 0, "reclaim.recurser_pinned", "cpu %ld",
	      (long)cpu, 0);
	if (bf_map_anon(VIEW, 1, MAP_READ | MAP_WRITE) ||
	    bf_code_install((uint32_t)task, VIEW, 1, RECLAIM_REPORT_VA, INSTALL_DATA_SHARED))
		return 1;
	const struct reclaim_report *rep = (const struct reclaim_report *)VIEW;
	static uint32_t uses[RECLAIM_SLOTS];
	memset(uses, 0, sizeof uses);
	uint32_t prev = RECLAIM_VA;
	uses[0] = 1;
	if (install_f(task, LEAF_VA, 0, leaf_code, sizeof leaf_code) ||
	    bf_dispatch_set((uint32_t)task, 1, LEAF_VA) ||
	    install_f(task, prev, 0, f_code, sizeof f_code) || bf_dispatch_set((uint32_t)task, 0, prev) ||
	    bf_task_start((uint32_t)task))
		return 1;
	check(WAIT_FOR(rep->rounds > 0), "reclaim.recurser_runs", "", 0, 0);
	uint32_t rounds0 = rep->rounds, slot = 0, held = 0, max_retired = 0, max_pages = 0;
	int swaps = 0, r = 0;
	struct bf_task_info info;
	for (; swaps < RECLAIM_SWAPS; swaps++) {
		uint32_t page = 0, entry = 0;
		for (int tries = 0; tries < SPIN_LIMIT; tries++) {
			slot = (slot + 1) % RECLAIM_SLOTS;
			page = RECLAIM_VA + slot * PAGE_SIZE;
			entry = page + (uses[slot] % (PAGE_SIZE / 64)) * 64;
			r = install_f(task, page, entry - page, f_code, sizeof f_code);
			if (r != E_EXIST && r != E_NOSPC)
				break;
			held++;		/* a retired version still there: its turn later */
			if (r == E_NOSPC || slot == 0)
				bf_yield();
		}
		if (r || (r = bf_dispatch_set((uint32_t)task, 0, entry)))
			break;
		uses[slot]++;
		/* the version before goes when nothing of the recurser reaches
		 * it; E_AGAIN: its list is full until its next tick */
		for (int k = 0; (r = bf_code_install((uint32_t)task, 0, 1, prev, INSTALL_RETIRE)) == E_AGAIN &&
				k < SPIN_LIMIT; k++)
			bf_yield();
		if (r)
			break;
		prev = page;
		if ((swaps & 63) == 63) {
			bf_task_info_cap((uint32_t)task, &info);
			max_retired = info.code_retired > max_retired ? info.code_retired : max_retired;
			max_pages = info.code_pages > max_pages ? info.code_pages : max_pages;
			bf_yield();	/* on one CPU, the recurser's turn */
		}
	}
	check(swaps == RECLAIM_SWAPS, "reclaim.swapped_10000_times", "%ld swaps, then %ld", (long)swaps, (long)r);
	bf_task_info_cap((uint32_t)task, &info);
	bf_printf("reclaim: %d CPUs, recurser pinned to CPU %u: %u rounds during %d swaps; at most %u pages held, "
		  "%u retired and waiting; %u reclaimed; a slot still held %u times\n", n, info.home,
		  rep->rounds - rounds0, swaps, max_pages, max_retired, info.code_reclaimed, held);
	check(rep->wrong == 0 && rep->rounds > rounds0, "reclaim.every_round_right",
	      "%ld wrong of %ld rounds", (long)rep->wrong, (long)rep->rounds);
	check(info.state != 0 && info.code_reclaimed >= RECLAIM_SWAPS - CODE_QUOTA,
	      "reclaim.old_versions_freed", "%ld pages reclaimed", (long)info.code_reclaimed, 0);
	check(max_retired > 0, "reclaim.versions_on_the_stack_kept",
	      "no retired version ever waited: nothing was kept for a frame", 0, 0);
	struct bf_death d;
	bf_task_kill((uint32_t)task);
	int dr = await_death(id, &d);
	check(dr == 0 && d.cause == DEATH_KILLED, "reclaim.recurser_lived_to_the_end",
	      "cause %ld eip %lx", (long)d.cause, (long)d.eip);
	bf_unmap(VIEW, 1);
	check(frames_used() == before, "reclaim.no_frame_leak", "frames %ld -> %ld", (long)before,
	      (long)frames_used());
	struct bf_audit a;
	check(bf_audit(&a) == 0 && a.wx_violations == 0 && a.user_kernel == 0, "reclaim.audit_clean",
	      "wx %ld exposed %ld", (long)a.wx_violations, (long)a.user_kernel);
	return 0;
}

/* test=wake: a wakeup across CPUs while its sender keeps running, as the
 * module harness does after it signals the profiler.  The wakee, pinned
 * to CPU 1, waits on a notification; init signals it and spins, without
 * a syscall, until the wakee has counted the wakeup -- 20 times.  It
 * prints the slowest in rdtsc cycles ("bench: wake_worst"): under
 * -icount QEMU runs the vCPUs in turn, and without the PAUSE after a
 * sent IPI (microkernel/lock.c) CPU 1 would wait for QEMU's 100 ms
 * round-robin slice; tests/qemu/smp.sh checks the figure there. */
static int test_wake(void)
{
	bf_map_anon(VIEW, 1, MAP_WRITE);	/* page tables made once */
	bf_unmap(VIEW, 1);
	uint32_t before = frames_used();
	int n = ncpus(), err;
	struct child *c = child_start("utest", 4, 0, ROLE_WAKEE, 0, &err);
	int nf = bf_notify_create();
	if (!c || nf < 0)
		return 1;
	int task = c->cap;
	uint32_t id = c->id;
	bf_task_affinity((uint32_t)task, n > 1 ? 1 : 0, AFFINITY_PIN);
	if (bf_cap_copy((uint32_t)task, (uint32_t)nf, 0, RIGHT_RECV) < 0 ||
	    bf_map_anon(VIEW, 1, MAP_READ | MAP_WRITE) ||
	    bf_code_install((uint32_t)task, VIEW, 1, WAKE_REPORT_VA, INSTALL_DATA_SHARED) ||
	    bf_task_start((uint32_t)task))
		return 1;
	const struct wake_report *rep = (const struct wake_report *)VIEW;
	uint64_t worst = 0;
	int k = 0;
	for (; k < 20; k++) {
		uint32_t seen = rep->count;
		uint64_t t0 = bf_rdtsc();
		bf_notify((uint32_t)nf, 1);
		uint32_t spins = 0;
		while (rep->count == seen && spins++ < 2000000000u)
			if (n == 1)
				bf_yield();	/* on one CPU it runs only when we let it */
		if (rep->count == seen)
			break;
		uint64_t dt = bf_rdtsc() - t0;
		worst = dt > worst ? dt : worst;
	}
	check(k == 20, "wake.every_wakeup_arrives", "%ld of 20", (long)k, 0);
	bf_printf("bench: wake_worst %llu\n", (unsigned long long)worst);
	struct bf_death d;
	bf_task_kill((uint32_t)task);
	check(await_death(id, &d) == 0 && d.cause == DEATH_KILLED, "wake.wakee_killed", "cause %ld",
	      (long)d.cause, 0);
	bf_unmap(VIEW, 1);
	bf_cap_delete((uint32_t)nf);
	check(frames_used() == before, "wake.no_frame_leak", "frames %ld -> %ld", (long)before,
	      (long)frames_used());
	return 0;
}

/* test=tick: a timer tick never waits for the big kernel lock (micro-
 * kernel/arch/x86/idt.c tick_deferred).  A lock hog (utest ROLE_LOCK_HOG)
 * pinned to one CPU is in the kernel, holding the lock, nearly all the
 * time; a spinner (ROLE_SPIN) pinned to the other runs in ring 3.  For
 * 60 ticks, some of the spinner's CPU's ticks must have found the lock
 * held and gone back without waiting, none may have waited for it unless
 * two before it were late already (TICKS_LATE_MAX), and every late one
 * must have been done by a later tick (but the last two, maybe): late,
 * not lost.  The time (CPU 0's ticks) must have gone on meanwhile.
 * Both ways: the spinner on CPU 0 (the PIT's ticks, which also keep the
 * time) and on CPU 1 (its local APIC timer).  One CPU: nothing to test. */
static void tick_case(int spin_cpu)
{
	char what[48];
	int err;
	struct child *hog = child_start("utest", 3, 0, ROLE_LOCK_HOG, 0, &err);
	struct child *sp = child_start("utest", 3, 0, ROLE_SPIN, 0, &err);
	int nf = bf_notify_create();
	if (!hog || !sp || nf < 0) {
		check(0, "tick.started", "children %ld", (long)err, 0);
		return;
	}
	bf_task_affinity((uint32_t)hog->cap, (uint32_t)(1 - spin_cpu), AFFINITY_PIN);
	bf_task_affinity((uint32_t)sp->cap, (uint32_t)spin_cpu, AFFINITY_PIN);
	bf_task_start((uint32_t)hog->cap);
	bf_task_start((uint32_t)sp->cap);
	bf_wait_timeout((uint32_t)nf, 50);	/* both under way */
	struct bf_cpu_info ci;
	struct bf_task_info t0, t1;
	bf_cpu_info(0, &ci, CPU_INFO_RESET);
	bf_task_info_cap((uint32_t)sp->cap, &t0);
	int w0 = bf_time();
	bf_wait_timeout((uint32_t)nf, 600);
	bf_cpu_info((uint32_t)spin_cpu, &ci, 0);
	bf_task_info_cap((uint32_t)sp->cap, &t1);
	int w = bf_time() - w0;
	uint32_t charged = t1.ticks - t0.ticks;
	bf_printf("tick: spinner on CPU %d: %d ticks, charged %u; %u late, %u of them done, %u waited "
		  "for the lock (%u cycles)\n", spin_cpu, w, charged, ci.ticks_deferred,
		  ci.ticks_done_late, ci.tick_waits, ci.tick_spin);
	bf_snprintf(what, sizeof what, "tick.cpu%d_ticks_wait_only_after_two_late", spin_cpu);
	check(ci.tick_waits * 2 <= ci.ticks_deferred, what, "%ld waits, %ld late",
	      (long)ci.tick_waits, (long)ci.ticks_deferred);
	bf_snprintf(what, sizeof what, "tick.cpu%d_some_found_the_lock_held", spin_cpu);
	check(ci.ticks_deferred > 0, what, "%ld deferred", (long)ci.ticks_deferred, 0);
	bf_snprintf(what, sizeof what, "tick.cpu%d_late_ticks_done", spin_cpu);
	check(ci.ticks_done_late + 2 >= ci.ticks_deferred && ci.ticks_done_late <= ci.ticks_deferred,
	      what, "%ld of %ld done", (long)ci.ticks_done_late, (long)ci.ticks_deferred);
	check(w >= 60, "tick.time_goes_on", "%ld ticks in 600 ms", (long)w, 0);
	struct bf_death d;
	bf_task_kill((uint32_t)sp->cap);
	await_death(sp->id, &d);
	bf_task_kill((uint32_t)hog->cap);
	await_death(hog->id, &d);
	bf_cap_delete((uint32_t)nf);
}

static int test_tick(void)
{
	if (ncpus() < 2) {
		check(1, "tick.one_cpu_nothing_to_test", "", 0, 0);
		return 0;
	}
	tick_case(0);
	tick_case(1);
	return 0;
}

int selftest_smp(const char *name, int *found)
{
	static const struct { const char *name; int (*fn)(void); } tests[] = {
		{ "tlb", test_tlb }, { "reclaim", test_reclaim },
		{ "wake", test_wake }, { "tick", test_tick },
	};
	*found = 0;
	for (unsigned i = 0; i < sizeof tests / sizeof tests[0]; i++)
		if (!strcmp(name, tests[i].name)) {
			*found = 1;
			return tests[i].fn() || failures;
		}
	return 0;
}
