/* Integration tests of a module's whole life (kernel command line
 * test=NAME, booted by tests/qemu/modules.sh): modules from the FAT16
 * disk at every tier, tier-up at the thresholds, the embedded fallback,
 * hostile modules, and servers dying while modules run. */
#include <string.h>
#include "lib/fmt.h"
#include "servers/init/init.h"
#include "servers/init/modrun.h"
#include "servers/jit/server/jit_client.h"
#include "servers/profiler/prof_client.h"

static int failures;

static void check(int ok, const char *name, const char *detail)
{
	if (ok) {
		bf_printf("TEST PASS %s\n", name);
	} else {
		failures++;
		bf_printf("TEST FAIL %s: %s\n", name, detail);
	}
}

static int audit_clean(void)
{
	struct bf_audit a;
	return bf_audit(&a) == 0 && a.wx_violations == 0 && a.user_kernel == 0 && a.entries > 0;
}

/* Every module from the disk, at tier 0 and forced to tiers 1, 2, 3. */
static void test_every_module_every_tier(void)
{
	char name[64], detail[96];
	for (unsigned i = 0; i < expected_count; i++) {
		for (int tier = 0; tier <= 3; tier++) {
			struct run_opts o = { .calls = 3, .force_tier = tier, .quiet = 1 };
			struct run_result res;
			int r = modrun(expected_results[i].name, &o, &res);
			bf_snprintf(name, sizeof name, "module.%s.tier%d", expected_results[i].name, tier);
			bf_snprintf(detail, sizeof detail, "r=%d result=%d expected=%d disk=%d", r,
				    res.result, expected_results[i].result, res.from_disk);
			check(r == 0 && res.ok && res.from_disk, name, detail);
		}
	}
	check(audit_clean(), "module.audit_clean_after_all_tiers", "W+X or exposed kernel page");
}

/* On more than one CPU the jit compiles on CPU 1 while the module goes on
 * running its current tier on CPU 0, so a tier goes live some calls after
 * its threshold, how many depending on the two CPUs' speeds (the run is
 * without -icount: QEMU's -icount runs vCPUs in turn, not at once).  What
 * holds for every interleaving: the phases go up one tier at a time, each
 * begins at or after its threshold, and the tier the profiler reports is
 * the last phase's (or the one whose install came after the module's end,
 * which the kernel refuses). */
static void tierup_background(int h, int tier, uint32_t tierups)
{
	char detail[160];
	static const uint32_t threshold[4] = { 0, 100, 1000, 10000 };
	uint32_t start = 0, total = 0;
	int ok = 1, last = -1;
	for (uint32_t p = 0; p < 4; p++) {
		struct prof_phase_info ph = { 0, 0 };
		int t = profc_phase(&prof_server, h, p, &ph);
		if (t < 0)
			break;
		bf_printf("tierup: phase %u: tier %d from call %u, %u calls, %u cycles/call\n", p, t,
			  start, ph.calls, ph.cycles_per_call);
		if (t != (int)p || start < threshold[p])
			ok = 0;
		start += ph.calls;
		total += ph.calls;
		last = t;
	}
	bf_snprintf(detail, sizeof detail, "last phase tier %d, %u calls, tier-ups %u", last, total,
		    tierups);
	check(ok && last >= 0 && total == 20000 && tierups == (uint32_t)last,
	      "tierup.background_phases_in_order_after_thresholds", detail);
	bf_snprintf(detail, sizeof detail, "tier=%d last phase %d", tier, last);
	check(tier >= last, "tierup.background_tier_reported", detail);
}

/* sum(200) called 20,000 times: 0 -> 1 -> 2 -> 3 at 100 / 1000 / 10000. */
static void test_tierup(void)
{
	char detail[160];
	tier_thresholds[0] = 100;
	tier_thresholds[1] = 1000;
	tier_thresholds[2] = 10000;
	struct run_opts o = { .arg = 200, .have_arg = 1, .calls = 20000 };
	struct run_result res;
	int r = modrun("sum", &o, &res);
	check(r == 0 && res.cause == DEATH_EXIT, "tierup.ran_20000_calls", "module did not finish");
	struct prof_stats st = { 0, 0 };
	int calls = profc_stats(&prof_server, res.handle, &st);
	bf_snprintf(detail, sizeof detail, "calls=%d mismatches=%u", calls, st.mismatches);
	check(calls == 20000 && st.mismatches == 0, "tierup.every_result_equal_across_swaps", detail);
	struct prof_func pf = { 0, 0, 0 };
	int f = jitc_func(&jit_server, res.handle, "module_main");
	int tier = f < 0 ? f : profc_query(&prof_server, res.handle, (uint32_t)f, 0, &pf);
	struct bf_cpu_info ci;
	int cpus = bf_cpu_info(0, &ci, 0);
	if (cpus > 1) {
		tierup_background(res.handle, tier, pf.tierups);
	} else {
		bf_snprintf(detail, sizeof detail, "tier=%d tier-ups=%u", tier, pf.tierups);
		check(tier == 3 && pf.tierups == 3, "tierup.reached_tier3_in_three_steps", detail);
		/* phases: tier 0 for calls 1-100, 1 up to 1000, 2 up to 10000, then 3 */
		static const uint32_t want_calls[4] = { 100, 900, 9000, 10000 };
		uint32_t cyc[4] = { 0, 0, 0, 0 };
		int phases_ok = 1;
		for (uint32_t p = 0; p < 4; p++) {
			struct prof_phase_info ph = { 0, 0 };
			int t = profc_phase(&prof_server, res.handle, p, &ph);
			bf_printf("tierup: phase %u: tier %d, %u calls, %u cycles/call\n", p, t, ph.calls,
				  ph.cycles_per_call);
			if (t != (int)p || ph.calls != want_calls[p])
				phases_ok = 0;
			cyc[p] = ph.cycles_per_call;
		}
		check(phases_ok, "tierup.swaps_at_the_thresholds", "phase tiers or lengths differ");
		/* the harness recorded each change (lib/rt/rt.h struct rt_swap) */
		int ns = profc_swaps(&prof_server, res.handle);
		bf_snprintf(detail, sizeof detail, "%d records", ns);
		check(ns == 3, "tierup.harness_recorded_three_changes", detail);
		bf_snprintf(detail, sizeof detail, "cycles/call %u %u %u %u", cyc[0], cyc[1], cyc[2], cyc[3]);
		check(cyc[1] < cyc[0] && cyc[2] <= cyc[1] && cyc[3] <= cyc[2],
		      "tierup.cycles_per_call_fall_with_each_tier", detail);
	}
	check(audit_clean(), "tierup.audit_clean_after_recompiles", "W+X or exposed kernel page");
}

/* No disk attached (or a corrupt file): the embedded copy, with a reason. */
static void test_fallback(void)
{
	struct run_opts o = { .calls = 2 };
	struct run_result res;
	int r = modrun("fib", &o, &res);
	check(r == 0 && res.ok && !res.from_disk, "fallback.embedded_copy_used", "no fallback");
}

static void test_hostile(void)
{
	static const struct { const char *name; uint32_t cause; } cases[] = {
		{ "wrcode", DEATH_WRITE_RO }, { "wrdisp", DEATH_WRITE_RO },
		{ "jmpdata", DEATH_EXEC_NX }, { "rdkern", DEATH_KERNEL_ACCESS },
		{ "spin", DEATH_BUDGET },
	};
	char name[48], detail[64];
	for (unsigned i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct run_opts o = { .calls = 1, .budget_ms = 1500 };
		struct run_result res;
		modrun(cases[i].name, &o, &res);
		bf_snprintf(name, sizeof name, "hostile.%s_killed", cases[i].name);
		bf_snprintf(detail, sizeof detail, "cause %u, wanted %u", res.cause, cases[i].cause);
		check(res.cause == cases[i].cause && res.from_disk, name, detail);
		struct run_opts ok = { .calls = 2, .quiet = 1 };
		int r = modrun("crc32", &ok, &res);
		bf_snprintf(name, sizeof name, "hostile.%s_others_still_run", cases[i].name);
		check(r == 0 && res.ok, name, "a well-behaved module failed afterwards");
	}
	/* unsupported IR: a clear refusal, and the jit server keeps serving */
	struct run_opts fo = { .calls = 1, .from_embedded = 0 };
	struct run_result res;
	int r = modrun("float", &fo, &res);
	check(r < 0 && res.cause == 0, "hostile.float_refused_by_the_jit", "it ran");
	struct child *jit = child_by_name("jit");
	check(jit && jit->alive && jit->restarts == 0, "hostile.jit_survived_bad_module", "jit died");
	struct run_opts ok = { .calls = 2, .quiet = 1 };
	r = modrun("crc32", &ok, &res);
	check(r == 0 && res.ok, "hostile.jit_serves_after_refusal", "a later run failed");
	check(audit_clean(), "hostile.audit_clean", "W+X or exposed kernel page");
}

static void test_crash(void)
{
	static const char *victims[] = { "jit", "profiler", "fs" };
	char name[48];
	for (unsigned i = 0; i < 3; i++) {
		struct run_opts o = { .arg = 12, .have_arg = 1, .calls = 300, .kill_server = victims[i] };
		struct run_result res;
		int r = modrun("fib", &o, &res);
		bf_snprintf(name, sizeof name, "crash.%s_killed_module_finishes", victims[i]);
		check(r == 0 && res.cause == DEATH_EXIT && res.result == 144, name, "module did not finish");
		struct child *c = child_by_name(victims[i]);
		bf_snprintf(name, sizeof name, "crash.%s_restarted", victims[i]);
		check(c && c->alive && c->restarts >= 1, name, "not restarted");
		struct run_opts again = { .calls = 2, .quiet = 1 };
		r = modrun("sieve", &again, &res);
		bf_snprintf(name, sizeof name, "crash.%s_later_run_works", victims[i]);
		check(r == 0 && res.ok && res.from_disk, name, "a later run failed");
	}
	check(audit_clean(), "crash.audit_clean", "W+X or exposed kernel page");
}

/* make bench (bench/modules.sh, under -icount): per module, cycles per
 * call at each tier and natively (gcc -O2); the cycles curves of short
 * runs with low thresholds; time from a threshold to the new code. */
static void bench_modules(void)
{
	struct prof_phase_info ph;
	for (unsigned i = 0; i < expected_count; i++) {
		const char *n = expected_results[i].name;
		for (int tier = 0; tier <= 3; tier++) {
			tier_thresholds[0] = 1u << 30;
			tier_thresholds[1] = (1u << 30) + 1;
			tier_thresholds[2] = (1u << 30) + 2;
			struct run_opts o = { .calls = 20, .force_tier = tier, .quiet = 1 };
			struct run_result res;
			if (modrun(n, &o, &res) || !res.ok ||
			    profc_phase(&prof_server, res.handle, 0, &ph) < 0) {
				check(0, "bench.run", n);
				continue;
			}
			bf_printf("bench: jit %s %d %u\n", n, tier, ph.cycles_per_call);
		}
	}
	for (unsigned i = 0; i < expected_count; i++) {
		tier_thresholds[0] = 20;
		tier_thresholds[1] = 100;
		tier_thresholds[2] = 400;
		struct run_opts o = { .calls = 600, .curve = 10, .quiet = 1 };
		struct run_result res;
		if (modrun(expected_results[i].name, &o, &res) == 0)
			profc_curve(&prof_server, res.handle);
	}
	tier_thresholds[0] = 100;
	tier_thresholds[1] = 1000;
	tier_thresholds[2] = 10000;
	struct run_opts o = { .arg = 200, .have_arg = 1, .calls = 12000, .quiet = 1 };
	struct run_result res;
	if (modrun("sum", &o, &res) == 0) {
		int f = jitc_func(&jit_server, res.handle, "module_main");
		for (int t = 1; f >= 0 && t <= 3; t++) {
			struct prof_func pf = { 0, 0, 0 };
			profc_query(&prof_server, res.handle, (uint32_t)f, t, &pf);
			bf_printf("bench: tierup_latency %d %u\n", t, pf.latency);
		}
	}
	/* the native reference */
	int err;
	struct child *c = child_start("natbench", 3, 0, 20, 0, &err);
	if (!c) {
		bf_printf("bench: no native reference task: %s\n", bf_strerror(err));
		return;
	}
	uint32_t id = c->id;
	bf_task_start((uint32_t)c->cap);
	for (;;) {
		struct bf_death d;
		int done = 0;
		while (bf_reap(&d) == 0) {
			handle_death(&d);
			done |= d.task_id == id;
		}
		if (done)
			break;
		bf_wait(INIT_SLOT_DEATHS);
	}
}

/* make bench (bench/smp.sh): the tier-up demo as the module lives it.
 * sum(200) 12,000 times, tiers at 100 / 1000 / 10000: per tier change
 * the harness's record (lib/rt/rt.h struct rt_swap: wall cycles per call
 * before the signal, the slowest call until the new code runs, after it,
 * and signal -> first call of the new code), then the profiler's own
 * latency (its wake-up -> install done).  On one CPU the module stops
 * for the compile; on two it goes on while CPU 1 compiles. */
static void bench_swaps(void)
{
	struct bf_cpu_info ci;
	int ncpu = bf_cpu_info(0, &ci, 0);
	bf_printf("bench: cpus %d\n", ncpu);
	tier_thresholds[0] = 100;
	tier_thresholds[1] = 1000;
	tier_thresholds[2] = 10000;
	/* pinned to CPU 0, where modules live (the jit and the profiler have
	 * CPU 1): no CPU that idles may take it over while CPU 1 compiles */
	/* 16000 calls: on two CPUs a swap lands at the module's next tick
	 * after its compile (a safe point), and tier 3's, asked for at call
	 * 10000, went live after the 12000th in most runs */
	struct run_opts o = { .arg = 200, .have_arg = 1, .calls = 16000, .quiet = 1, .cpu = 1,
			      .hold = 1 };
	struct run_result res;
	struct modrun_job job;
	int r = modrun_start("sum", &o, &res, &job);
	if (r == 0) {
		/* the CPUs' figures from here: the module's run, not its load */
		bf_cpu_info(0, &ci, CPU_INFO_RESET);
		bf_task_start((uint32_t)job.task);
		struct bf_death d = { 0 };
		for (int left = 1; left;) {
			struct bf_death e;
			while (bf_reap(&e) == 0) {
				if (e.task_id == job.id) {
					d = e;
					left = 0;
				} else {
					handle_death(&e);
				}
			}
			if (left)
				bf_wait_timeout(INIT_SLOT_DEATHS, 100000);
		}
		r = modrun_ended(&job, &d, &res);
	}
	check(r == 0 && res.cause == DEATH_EXIT, "swapbench.ran", "module did not finish");
	/* per CPU over the module's run: the big lock (holds, waits), the
	 * interrupts its task lost (the longest one's vector and lock wait),
	 * its waits for other CPUs' acknowledgements */
	for (int c = 0; bf_cpu_info((uint32_t)c, &ci, 0) > c; c++)
		bf_printf("bench: cpu %d holds %u holdmax %u waits %u spin %llu spinmax %u irqs %u "
			  "irqcycles %llu irqmax %u vec %u spinin %u acks %u ackcycles %llu ackmax %u\n",
			  c, ci.lock_count, ci.lock_max, ci.lock_waits, (unsigned long long)ci.lock_spin,
			  ci.spin_max, ci.irq_n, (unsigned long long)ci.irq_cycles, ci.irq_max,
			  ci.irq_max_vec, ci.irq_max_spin, ci.ack_n, (unsigned long long)ci.ack_cycles,
			  ci.ack_max);
	if (r)
		return;
	int n = profc_swaps(&prof_server, res.handle);
	check(n >= 1, "swapbench.swaps_recorded", "no tier change recorded");
	int f = jitc_func(&jit_server, res.handle, "module_main");
	for (int t = 1; f >= 0 && t <= 3; t++) {
		struct prof_func pf = { 0, 0, 0 };
		profc_query(&prof_server, res.handle, (uint32_t)f, t, &pf);
		bf_printf("bench: tierup_latency %d %u\n", t, pf.latency);
	}
}

/* Two modules at once, compiled at tier 3 beforehand (no tier-up while
 * they run), pinned to CPUs cpu_a and cpu_b: the wall time (init's
 * rdtsc) from their start to the death of the second. */
static uint64_t pair_run(int cpu_a, int cpu_b, uint32_t calls)
{
	tier_thresholds[0] = 1u << 30;
	tier_thresholds[1] = (1u << 30) + 1;
	tier_thresholds[2] = (1u << 30) + 2;
	struct run_opts oa = { .arg = 200, .have_arg = 1, .calls = calls, .quiet = 1,
			       .force_tier = 3, .cpu = cpu_a + 1, .hold = 1,
			       .timeout_ms = 100000 };
	struct run_opts ob = oa;
	ob.cpu = cpu_b + 1;
	struct modrun_job ja, jb;
	struct run_result ra, rb;
	if (modrun_start("sum", &oa, &ra, &ja) < 0)
		return 0;
	if (modrun_start("sum", &ob, &rb, &jb) < 0) {
		bf_task_kill((uint32_t)ja.task);
		return 0;
	}
	struct bf_death da = { 0 }, db = { 0 };
	int left = 2;
	struct bf_cpu_info ci;
	bf_cpu_info(0, &ci, CPU_INFO_RESET);	/* the CPUs' figures of this run */
	uint64_t t0 = bf_rdtsc();
	bf_task_start((uint32_t)ja.task);
	bf_task_start((uint32_t)jb.task);
	while (left) {
		struct bf_death d;
		while (bf_reap(&d) == 0) {
			if (d.task_id == ja.id) {
				da = d;
				left--;
			} else if (d.task_id == jb.id) {
				db = d;
				left--;
			} else {
				handle_death(&d);
			}
		}
		if (left)
			bf_wait_timeout(INIT_SLOT_DEATHS, 100000);
	}
	uint64_t wall = bf_rdtsc() - t0;
	/* what else ran on each CPU meanwhile (switches: the modules' own
	 * starts and ends, init reaping, the profiler's last snapshot), and
	 * what the kernel took from them */
	for (int c = 0; bf_cpu_info((uint32_t)c, &ci, 0) > c; c++)
		bf_printf("bench: pair_cpu %d %d switches %u irqs %u irqcycles %llu lockwaits %u "
			  "spin %llu late %u\n", cpu_a == cpu_b ? 1 : 2, c, ci.switches, ci.irq_n,
			  (unsigned long long)ci.irq_cycles, ci.lock_waits,
			  (unsigned long long)ci.lock_spin, ci.ticks_deferred);
	int ok = modrun_ended(&ja, &da, &ra) == 0 && modrun_ended(&jb, &db, &rb) == 0;
	check(ok, "pairbench.results_right", "a module of the pair failed");
	if (ok)
		bf_printf("bench: pair_wall %d %llu\n", cpu_a == cpu_b ? 1 : 2, (unsigned long long)wall);
	return ok ? wall : 0;
}

/* make bench (bench/smp.sh, without -icount: the vCPUs must run at once):
 * two modules on one CPU, then on two, three times; each run's wall time
 * and CPU figures, then the best of each. */
static void bench_pair(void)
{
	struct bf_cpu_info ci;
	int n = bf_cpu_info(0, &ci, 0);
	check(n >= 2, "pairbench.two_cpus", "needs -smp 2");
	if (n < 2)
		return;
	uint64_t one = ~0ull, two = ~0ull;
	for (int k = 0; k < 3; k++) {
		uint64_t a = pair_run(0, 0, 100000), b = pair_run(0, 1, 100000);
		if (a && a < one)
			one = a;
		if (b && b < two)
			two = b;
	}
	bf_printf("bench: pair_one_cpu %llu\nbench: pair_two_cpus %llu\n", (unsigned long long)one,
		  (unsigned long long)two);
	bf_printf("bench: pair_ratio_x1000 %llu\n", (unsigned long long)(two * 1000 / one));
}

int selftest_modules(const char *name, int *found)
{
	static const struct { const char *name; void (*fn)(void); } tests[] = {
		{ "modules", test_every_module_every_tier }, { "tierup", test_tierup },
		{ "fallback", test_fallback }, { "hostile", test_hostile }, { "crash", test_crash },
		{ "modbench", bench_modules }, { "swapbench", bench_swaps },
		{ "pairbench", bench_pair },
	};
	*found = 0;
	for (unsigned i = 0; i < sizeof tests / sizeof tests[0]; i++)
		if (!strcmp(name, tests[i].name)) {
			*found = 1;
			tests[i].fn();
			return failures;
		}
	return 0;
}
