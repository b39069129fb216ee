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
 * having read it at most once more -- the read that was under way. */
#include <string.h>
#include "servers/init/init.h"
#include "servers/init/selftest.h"

#define STAGE 0x58000000u	/* where init writes a page before installing it */
#define VIEW  0x58100000u	/* init's read-only view of the reader's report */
#define SWAPS 2000
#define SPIN_LIMIT 2000000

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

int selftest_smp(const char *name, int *found)
{
	static const struct { const char *name; int (*fn)(void); } tests[] = {
		{ "tlb", test_tlb },
	};
	*found = 0;
	for (unsigned i = 0; i < sizeof tests / sizeof tests[0]; i++)
		if (!strcmp(name, tests[i].name)) {
			*found = 1;
			return tests[i].fn() || failures;
		}
	return 0;
}
