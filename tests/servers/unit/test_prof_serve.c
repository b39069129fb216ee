/* The profiler's work (servers/profiler/prof_serve.c) driven directly: a
 * module's signals tier its functions up at the thresholds through a
 * stand-in jit server (JIT_SHARE / JIT_FUNC_TIER / JIT_TIER over a client
 * connection), each request kind answers from what it saw, malformed
 * requests get PROF_EINVAL / PROF_ENOENT; a hostile module's page (every
 * field of it, also changing between and during signals) makes its
 * profile invalid, reported once, and is never read outside the view;
 * then the client library (prof_client.c) against it.  The view has a
 * PROT_NONE page on either side, so a read outside it crashes the test. */
#include <criterion/criterion.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include "servers/profiler/prof_serve.h"
#include "servers/profiler/prof_client.h"
#include "servers/jit/server/jit_proto.h"

/* ---- a module's params and data, as the jit server shares them ---------- */
#define VIEW_PAGES 6	/* params (4 pages), then data */
#define VIEW_AT    PAGE_SIZE	/* where the view lands in our "address space" */
/* a guard page on either side of the view: a read outside it crashes the test */
static uint8_t arena[(VIEW_PAGES + 2) * PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));
static struct rt_params *params = (struct rt_params *)(arena + VIEW_AT);
static uint32_t *data_word(uint32_t off) { return (uint32_t *)(arena + VIEW_AT + (RT_DATA_VA - RT_PARAMS_VA) + off); }
#define COUNTER(f) (*data_word(16 * (f)))

static void module(uint32_t nfuncs)
{
	memset(arena + VIEW_AT, 0, VIEW_PAGES * PAGE_SIZE);
	params->magic = RT_MAGIC;
	strcpy(params->module, "sum");
	params->nfuncs = nfuncs;
	params->thresholds[0] = 100, params->thresholds[1] = 1000, params->thresholds[2] = 10000;
	for (uint32_t f = 0; f < nfuncs; f++) {
		snprintf(params->funcs[f].name, RT_NAME_MAX, "f%u", f);
		params->funcs[f].defined = 1;
		params->funcs[f].counter_va = RT_DATA_VA + 16 * f;
		params->funcs[f].cycles_va = RT_DATA_VA + 16 * f + 8;
	}
}

/* ---- the jit server, as far as the profiler uses it --------------------- */
static uint32_t serial = 7, start_tier[RT_MAX_FUNCS], share_pages;
static int tier_calls, tier_fail, last_f, last_tier, jit_dead;
static void (*on_tier)(void);	/* the module, running while the jit compiles */
static int fake_jit(void *ctx, struct bf_msg *m)
{
	(void)ctx;
	uint32_t op = m->label & MSG_LABEL_MASK;
	cr_assert_eq(m->badge, 0, "the client sends no badge; the kernel stamps it");
	if (jit_dead)
		return E_DEAD;
	struct bf_msg r = { 0, { 0, 0, 0, 0 }, 0 };
	if (m->w[0] != 3) {
		r.w[0] = (uint32_t)JIT_EINVAL;
	} else if (op == JIT_SHARE) {
		r.w[0] = serial;
		if (m->w[1] != serial)
			r = (struct bf_msg){ MSG_SHARE_RO, { serial, 0, VIEW_AT, share_pages }, 0 };
	} else if (op == JIT_FUNC_TIER) {
		r.w[0] = start_tier[m->w[1]];
	} else if (op == JIT_TIER) {
		tier_calls++;
		if (on_tier)
			on_tier();
		last_f = (int)m->w[1], last_tier = (int)m->w[2];
		r.w[0] = tier_fail == 2 ? (uint32_t)JIT_EGONE : tier_fail ? (uint32_t)JIT_ECOMPILE : 0;
		r.w[1] = 5000u + m->w[2];	/* compile cycles */
	} else {
		r.w[0] = (uint32_t)JIT_EINVAL;
	}
	*m = r;
	return 0;
}

/* ---- the profiler's environment ----------------------------------------- */
static char out[8192];
static size_t outlen;
static int capture(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(out + outlen, sizeof out - outlen, fmt, ap);
	va_end(ap);
	outlen += n > 0 ? (size_t)n : 0;
	return n;
}
static uint32_t unmapped_va, unmapped_pages;
static void unmap(void *ctx, uint32_t va, uint32_t n) { (void)ctx; unmapped_va = va, unmapped_pages = n; }
static uint64_t clock_now;
static int module_runs;	/* the module calls on (another CPU) while we work */
static uint64_t now(void)
{
	if (module_runs) {
		params->done_calls += 7;
		params->cycles_total += 7 * 100;
	}
	return clock_now += 10;
}

static struct prof_server srv;

static void setup(void)
{
	static const struct prof_env env = { 0, capture, unmap, now };
	struct bf_conn jit = { 0, (uintptr_t)arena, fake_jit };
	cr_assert_eq(mprotect(arena, VIEW_AT, PROT_NONE), 0);
	cr_assert_eq(mprotect(arena + VIEW_AT + VIEW_PAGES * PAGE_SIZE, PAGE_SIZE, PROT_NONE), 0);
	module(3);
	serial = 7;
	share_pages = VIEW_PAGES;
	on_tier = 0;
	memset(start_tier, 0, sizeof start_tier);
	tier_calls = tier_fail = jit_dead = 0;
	outlen = 0;
	out[0] = 0;
	unmapped_va = unmapped_pages = 0;
	module_runs = 0;
	prof_init(&srv, &env, &jit);
}

TestSuite(prof_serve, .init = setup);

static struct bf_msg req(uint32_t label, uint32_t a, uint32_t b, uint32_t c)
{
	struct bf_msg m = { label, { a, b, c, 0 }, 0 };
	prof_serve(&srv, &m);
	return m;
}
#define R(m) ((int32_t)(m).w[0])
#define H 3	/* the module's jit handle */

/* the harness made `calls` entry calls in `cycles`, then signalled */
static void run(uint32_t calls, uint64_t cycles)
{
	params->done_calls = calls;
	params->cycles_total = cycles;
	prof_signal(&srv, 1u << H);
}

Test(prof_serve, tiers_up_at_each_threshold)
{
	COUNTER(1) = 99;
	run(99, 99000);
	cr_assert_eq(tier_calls, 0, "below the first threshold");
	COUNTER(1) = 100;
	run(100, 100000);
	cr_assert_eq(tier_calls, 1);
	cr_assert_eq(last_f, 1);
	cr_assert_eq(last_tier, 1);
	COUNTER(1) = 20000;
	run(20000, 300000);
	cr_assert_eq(tier_calls, 2, "one request for the highest tier crossed");
	cr_assert_eq(last_tier, 3);
	struct bf_msg m = req(PROF_QUERY, H, 1, 3);
	cr_assert_eq(R(m), 3, "current tier");
	cr_assert_eq(m.w[1], 20000, "calls");
	cr_assert_eq(m.w[2], 2, "tier-ups");
	cr_assert_gt(m.w[3], 0, "latency from the signal to tier 3");
	COUNTER(1) = 90000;
	run(90000, 900000);
	cr_assert_eq(tier_calls, 2, "nothing above tier 3");
}

Test(prof_serve, phases_between_tier_changes)
{
	COUNTER(0) = 100;
	run(100, 100 * 900);
	COUNTER(0) = 1000;
	run(1000, 100 * 900 + 900 * 400);
	struct bf_msg m = req(PROF_PHASE, H, 0, 0);
	cr_assert_eq(R(m), 0, "tier 0 first");
	cr_assert_eq(m.w[1], 100);
	cr_assert_eq(m.w[2], 900, "cycles per call");
	m = req(PROF_PHASE, H, 1, 0);
	cr_assert_eq(R(m), 1);
	cr_assert_eq(m.w[1], 900);
	cr_assert_eq(m.w[2], 400);
	cr_assert_eq(R(req(PROF_PHASE, H, 2, 0)), 2, "the phase now running");
	cr_assert_eq(R(req(PROF_PHASE, H, 3, 0)), PROF_ENOENT);
	cr_assert_eq(R(req(PROF_PHASE, H, 0xFFFFFFFFu, 0)), PROF_ENOENT);
}

/* On two CPUs the module makes calls while the profiler reads its page:
 * the phases still cover every call, each once. */
Test(prof_serve, phases_cover_every_call_while_the_module_runs_on)
{
	module_runs = 1;
	COUNTER(0) = 100;
	run(100, 100 * 900);
	COUNTER(0) = 1000;
	run(1000, 100 * 900 + 900 * 400);
	COUNTER(0) = 10000;
	run(10000, 100 * 900 + 900 * 400 + 9000 * 300);
	params->finished = 1;
	run(20000, 100 * 900 + 900 * 400 + 9000 * 300 + 10000 * 200);
	uint32_t total = 0;
	for (uint32_t p = 0; p < 4; p++) {
		struct bf_msg m = req(PROF_PHASE, H, p, 0);
		cr_assert_eq(R(m), (int32_t)p, "phase %u", p);
		total += m.w[1];
	}
	cr_assert_eq(total, params->done_calls, "%u of %u calls in a phase", total, params->done_calls);
}

Test(prof_serve, functions_may_start_above_tier_zero)
{
	start_tier[2] = 2;
	COUNTER(2) = 500;
	run(1, 10);
	cr_assert_eq(R(req(PROF_QUERY, H, 2, 0)), 2);
	cr_assert_eq(tier_calls, 0, "500 calls do not reach tier 3");
}

Test(prof_serve, a_failed_tier_up_is_reported_once)
{
	tier_fail = 1;
	COUNTER(0) = 150;
	run(150, 10);
	cr_assert(strstr(out, "profiler: sum: tier 1 of f0 failed (-204)"), "%s", out);
	COUNTER(0) = 5000;
	run(5000, 10);
	cr_assert_eq(tier_calls, 1, "not retried on every signal");
}

/* On two CPUs a module may end while its tier-up compiles: the jit says
 * JIT_EGONE, and that is no failure to print on the console (the shell's
 * next prompt would carry it). */
Test(prof_serve, a_module_gone_under_its_tier_up_is_not_reported)
{
	tier_fail = 2;
	COUNTER(0) = 150;
	run(150, 10);
	cr_assert_eq(tier_calls, 1);
	cr_assert(!strstr(out, "failed"), "%s", out);
}

Test(prof_serve, stats_and_curve)
{
	params->mismatches = 2;
	params->finished = 1;
	params->curve_bucket = 10;
	params->ncurve = 2;
	params->curve[0] = 800, params->curve[1] = 300;
	run(20, 1000);
	struct bf_msg m = req(PROF_STATS, H, 0, 0);
	cr_assert_eq(R(m), 20);
	cr_assert_eq(m.w[1], 2);
	cr_assert_eq(m.w[2], 1);
	cr_assert_eq(R(req(PROF_CURVE, H, 0, 0)), 2);
	cr_assert(strstr(out, "curve sum 10 800\ncurve sum 20 300\n"), "%s", out);
}

/* PROF_SWAPS prints the harness's records of tier changes; nswaps is the
 * module's to write, so one past RT_SWAP_MAX is refused, never followed. */
Test(prof_serve, swaps_are_printed_and_a_hostile_count_refused)
{
	params->nswaps = 2;
	params->swaps[0] = (struct rt_swap){ 99, 101, 9000, 250000, 4000, 240000, 100 };
	params->swaps[1] = (struct rt_swap){ 999, 1000, 4000, 300000, 3500, 290000, 999 };
	run(2000, 10);
	cr_assert_eq(R(req(PROF_SWAPS, H, 0, 0)), 2);
	cr_assert(strstr(out, "swap sum 0 99 101 9000 250000 4000 240000 100\n"
			      "swap sum 1 999 1000 4000 300000 3500 290000 999\n"), "%s", out);
	params->nswaps = RT_SWAP_MAX + 1;
	cr_assert_eq(R(req(PROF_SWAPS, H, 0, 0)), PROF_EBADPAGE);
	params->nswaps = 0xFFFFFFFFu;
	cr_assert_eq(R(req(PROF_SWAPS, H, 0, 0)), PROF_EBADPAGE);
}

Test(prof_serve, print_and_reset)
{
	COUNTER(1) = 150;
	run(150, 1500);
	cr_assert_eq(R(req(PROF_PRINT, 0, 0, 0)), 0);
	cr_assert(strstr(out, "MODULE     FUNCTION"), "%s", out);
	cr_assert(strstr(out, "f1"), "%s", out);
	cr_assert(strstr(out, "150 calls of the entry, running"), "%s", out);
	cr_assert_eq(R(req(PROF_RESET, 0, 0, 0)), 0);
	cr_assert_eq(req(PROF_QUERY, H, 1, 0).w[1], 150, "the counter itself");
	outlen = 0;
	req(PROF_PRINT, 0, 0, 0);
	cr_assert(strstr(out, "sum        f1                        0"), "counted from the reset: %s", out);
}

Test(prof_serve, a_reload_replaces_the_view_and_forget_drops_it)
{
	run(1, 10);
	cr_assert_eq(unmapped_pages, 0);
	serial = 8;	/* the slot was loaded again */
	run(1, 10);
	cr_assert_eq(unmapped_va, VIEW_AT, "the old view goes");
	cr_assert_eq(unmapped_pages, VIEW_PAGES);
	unmapped_pages = 0;
	cr_assert_eq(R(req(PROF_FORGET, H, 0, 0)), 0);
	cr_assert_eq(unmapped_pages, VIEW_PAGES);
	cr_assert_eq(R(req(PROF_STATS, H, 0, 0)), PROF_EINVAL, "forgotten");
}

Test(prof_serve, malformed_requests_are_refused)
{
	cr_assert_eq(R(req(PROF_STATS, H, 0, 0)), PROF_EINVAL, "never signalled");
	cr_assert_eq(R(req(PROF_QUERY, H, 0, 0)), PROF_EINVAL);
	cr_assert_eq(R(req(PROF_PHASE, H, 0, 0)), PROF_EINVAL);
	cr_assert_eq(R(req(PROF_CURVE, H, 0, 0)), PROF_EINVAL);
	run(1, 10);
	static const uint32_t ops[] = { PROF_FORGET, PROF_QUERY, PROF_PHASE, PROF_STATS, PROF_CURVE };
	for (unsigned i = 0; i < sizeof ops / sizeof ops[0]; i++) {
		cr_assert_eq(R(req(ops[i], PROF_SLOTS, 0, 0)), PROF_EINVAL, "op %x", ops[i]);
		cr_assert_eq(R(req(ops[i], 0xFFFFFFFFu, 0, 0)), PROF_EINVAL, "op %x", ops[i]);
	}
	cr_assert_eq(R(req(PROF_QUERY, H, RT_MAX_FUNCS, 0)), PROF_EINVAL, "no such function");
	cr_assert_eq(R(req(PROF_OP_END, 0, 0, 0)), PROF_EINVAL);
	cr_assert_eq(R(req(0, 0, 0, 0)), PROF_EINVAL);
	struct bf_msg m = req(0x1234 | MSG_GRANT, 0, 0, 0);
	cr_assert_eq(R(m), PROF_EINVAL);
	cr_assert_eq(m.label, 0, "nothing travels back");
}

Test(prof_serve, signals_for_unknown_or_dead_modules_do_nothing)
{
	prof_signal(&srv, 1u << 5);	/* the jit knows no handle 5 */
	cr_assert_eq(R(req(PROF_STATS, 5, 0, 0)), PROF_EINVAL);
	jit_dead = 1;
	prof_signal(&srv, 1u << H);
	cr_assert_eq(R(req(PROF_STATS, H, 0, 0)), PROF_EINVAL);
	prof_signal(&srv, 0x80000000u);	/* bit 31 is no module's */
}

/* ---- a hostile module: its parameter page and data are its to write ------ */
#define VIEW_END (RT_PARAMS_VA + VIEW_PAGES * PAGE_SIZE)	/* module address */

/* From p to the end of the view, no NUL byte. */
static void no_nul_to_the_end(void *p)
{
	memset(p, 'A', (size_t)(arena + VIEW_AT + VIEW_PAGES * PAGE_SIZE - (uint8_t *)p));
}

static int count(const char *what)
{
	int n = 0;
	for (const char *p = out; (p = strstr(p, what)); p++)
		n++;
	return n;
}

/* Everything printed is printable, line by line. */
static void assert_printable(void)
{
	for (size_t i = 0; i < outlen; i++)
		cr_assert(out[i] == '\n' || (out[i] >= 0x20 && out[i] < 0x7f),
			  "byte %zu of the output is 0x%02x: %s", i, (uint8_t)out[i], out);
}

/* The page is invalid: said once, no tier-up, queries refused, the table
 * says so; nothing read outside the view (or the test would crash): every
 * request that reads the page first, the checks after. */
static void assert_ignored(const char *why)
{
	static const uint32_t ops[] = { PROF_QUERY, PROF_PHASE, PROF_STATS, PROF_CURVE };
	int r[4], printed = R(req(PROF_PRINT, 0, 0, 0));
	for (unsigned i = 0; i < 4; i++)
		r[i] = R(req(ops[i], H, 0, 0));
	cr_assert_eq(R(req(PROF_RESET, 0, 0, 0)), 0);
	prof_signal(&srv, 1u << H);
	cr_assert_eq(count("invalid parameter page:"), 1, "reported once, not per signal: %s", out);
	cr_assert(strstr(out, why), "the reason (%s): %s", why, out);
	cr_assert_eq(tier_calls, 0, "no tier-up from an invalid page");
	for (unsigned i = 0; i < 4; i++)
		cr_assert_eq(r[i], PROF_EBADPAGE, "op %x", ops[i]);
	cr_assert_eq(printed, 0);
	cr_assert(strstr(out, "invalid parameter page ("), "the table says so: %s", out);
	assert_printable();
}

Test(prof_serve, an_address_near_4gib_makes_the_page_invalid)
{
	static const uint32_t bad[] = { 0xFFFFFFFCu, 0xFFFFFFF8u, 0xFFFFFFF0u, 0xFFFFF000u,
					RT_PARAMS_VA + 0xB0000000u - 4 };
	char why[64];
	for (unsigned i = 0; i < sizeof bad / sizeof bad[0]; i++)
		for (int cyc = 0; cyc < 2; cyc++) {
			setup();
			if (cyc)
				params->funcs[1].cycles_va = bad[i];
			else
				params->funcs[1].counter_va = bad[i];
			COUNTER(0) = 150;	/* a valid function, over its threshold */
			run(150, 1500);
			snprintf(why, sizeof why, "funcs[1].%s = 0x%x", cyc ? "cycles_va" : "counter_va",
				 bad[i]);
			assert_ignored(why);
		}
}

Test(prof_serve, counters_outside_the_view_make_the_page_invalid)
{
	static const uint32_t bad[] = {
		VIEW_END - 2,		/* straddles the end */
		VIEW_END,		/* just past it (the guard page) */
		RT_PARAMS_VA - 4,	/* below the view */
		RT_PARAMS_VA + 64,	/* in the view, but the params, not data */
		RT_DATA_VA + 2,		/* unaligned */
		0x12345678u,
	};
	char why[64];
	for (unsigned i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		setup();
		params->funcs[2].counter_va = bad[i];
		run(1, 10);
		snprintf(why, sizeof why, "funcs[2].counter_va = 0x%x", bad[i]);
		assert_ignored(why);
	}
	setup();
	params->funcs[0].cycles_va = VIEW_END - 4;	/* 8 bytes: straddles */
	run(1, 10);
	assert_ignored("funcs[0].cycles_va");
}

Test(prof_serve, the_last_words_of_the_view_are_valid_counters)
{
	params->funcs[0].counter_va = VIEW_END - 4;
	params->funcs[1].cycles_va = VIEW_END - 8;
	*(uint32_t *)(arena + VIEW_AT + VIEW_PAGES * PAGE_SIZE - 4) = 150;
	run(150, 10);
	cr_assert_eq(count("invalid"), 0, "%s", out);
	cr_assert_eq(tier_calls, 1);
	cr_assert_eq(req(PROF_QUERY, H, 0, 0).w[1], 150);
}

Test(prof_serve, huge_nfuncs_or_ncurve_make_the_page_invalid)
{
	static const struct { uint32_t nfuncs, ncurve, magic; const char *why; } bad[] = {
		{ RT_MAX_FUNCS + 1, 0, RT_MAGIC, "nfuncs = 0x101" },	/* RT_MAX_FUNCS 256 */
		{ 0x80000000u, 0, RT_MAGIC, "nfuncs = 0x80000000" },
		{ 0xFFFFFFFFu, 0, RT_MAGIC, "nfuncs = 0xffffffff" },
		{ 3, RT_CURVE_MAX + 1, RT_MAGIC, "ncurve = 0x101" },
		{ 3, 0xFFFFFFFFu, RT_MAGIC, "ncurve = 0xffffffff" },
		{ 3, 0, 0x41414141u, "magic = 0x41414141" },
	};
	for (unsigned i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		setup();
		params->nfuncs = bad[i].nfuncs;
		params->ncurve = bad[i].ncurve;
		params->curve_bucket = 1;
		params->magic = bad[i].magic;
		COUNTER(0) = 150;
		run(150, 10);
		assert_ignored(bad[i].why);
	}
	/* the largest valid ones */
	setup();
	module(RT_MAX_FUNCS);
	params->ncurve = RT_CURVE_MAX;
	params->curve_bucket = 1;
	COUNTER(RT_MAX_FUNCS - 1) = 150;
	run(150, 10);
	cr_assert_eq(count("invalid"), 0, "%s", out);
	cr_assert_eq(last_f, RT_MAX_FUNCS - 1);
	cr_assert_eq(R(req(PROF_CURVE, H, 0, 0)), RT_CURVE_MAX);
	cr_assert_eq(R(req(PROF_QUERY, H, RT_MAX_FUNCS - 1, 0)), 1);
	cr_assert_eq(R(req(PROF_QUERY, H, RT_MAX_FUNCS, 0)), PROF_EINVAL);
}

Test(prof_serve, an_unterminated_name_is_cut_and_made_printable)
{
	memset(params->module, 'x', RT_NAME_MAX);	/* no NUL ... */
	params->handle = 0x41414141u;			/* ... nor in what follows */
	params->entry_index = 0x41414141u;
	memset(params->funcs[0].name, 'y', RT_NAME_MAX);
	memcpy(params->funcs[1].name, "a\x1b[2J\r\nb\x7f\x80\xff", 11);	/* no NUL either */
	memset(params->funcs[1].name + 11, 'z', RT_NAME_MAX - 11);
	params->funcs[1].counter_va = RT_DATA_VA + 0x144;	/* NUL only in its third byte */
	*data_word(0x144) = 150;
	tier_fail = 1;
	params->ncurve = 1;
	run(150, 10);
	cr_assert(strstr(out, "profiler: xxxxxxxxxxxxxxxxxxxxxxxx: tier 1 of a?[2J??b???zzzzzzzzzzzzz "
			      "failed (-204)\n"), "%s", out);
	req(PROF_PRINT, 0, 0, 0);
	cr_assert(strstr(out, "\nxxxxxxxxxxxxxxxxxxxxxxxx yyyyyyyyyyyyyyyyyyyyyyyy      0"), "%s", out);
	req(PROF_CURVE, H, 0, 0);
	cr_assert(strstr(out, "curve xxxxxxxxxxxxxxxxxxxxxxxx 0 0\n"), "%s", out);
	assert_printable();
}

Test(prof_serve, a_name_running_to_the_end_of_the_view_is_not_followed)
{
	no_nul_to_the_end(params->module);	/* the whole page after the magic, and the data */
	run(1, 10);
	assert_ignored("nfuncs = 0x41414141");
	cr_assert(strstr(out, "profiler: AAAAAAAAAAAAAAAAAAAAAAAA (handle 3): invalid parameter page"),
		  "%s", out);
}

Test(prof_serve, a_page_changing_between_signals)
{
	COUNTER(1) = 150;
	run(150, 1500);
	cr_assert_eq(tier_calls, 1, "a valid page first");
	/* then the module rewrites it: names without end, wild addresses,
	 * counters (in the data, at the end of the view) far over the thresholds */
	memset(params->module, 'x', RT_NAME_MAX);
	no_nul_to_the_end(params->funcs[2].name);
	const uint32_t A4 = 0x41414141u;	/* the harness's own words, no NUL either */
	const uint64_t A8 = 0x4141414141414141ull;
	run(A4, A8);
	req(PROF_PRINT, 0, 0, 0);
	run(A4, A8);
	run(A4, A8);
	cr_assert_eq(tier_calls, 1, "nothing from the rewritten page");
	cr_assert_eq(count("invalid parameter page:"), 1, "once, not per signal: %s", out);
	cr_assert(strstr(out, "invalid parameter page: ncurve = 0x41414141"), "%s", out);
	cr_assert_eq(R(req(PROF_QUERY, H, 1, 0)), PROF_EBADPAGE);
	assert_printable();
	/* a reload is a new page: judged afresh */
	module(3);
	serial = 8;
	outlen = 0;
	out[0] = 0;
	run(1, 10);
	cr_assert_eq(count("invalid"), 0, "%s", out);
	cr_assert_eq(R(req(PROF_STATS, H, 0, 0)), 1);
}

/* JIT_TIER takes long: the module runs meanwhile and rewrites its page. */
static void rewrite_during_compile(void)
{
	no_nul_to_the_end(params->funcs[0].name);
	params->nfuncs = 0xFFFFFFFFu;
}

Test(prof_serve, a_page_changing_during_a_scan_is_read_once)
{
	on_tier = rewrite_during_compile;
	tier_fail = 1;
	COUNTER(0) = 150;
	run(150, 10);
	cr_assert(strstr(out, "profiler: sum: tier 1 of f0 failed (-204)\n"),
		  "the name as it was checked: %s", out);
	cr_assert_eq(count("invalid"), 0, "the scan works on what it read: %s", out);
	run(150, 10);
	cr_assert_eq(count("invalid parameter page: nfuncs = 0xffffffff"), 1, "the next one sees it: %s",
		     out);
	assert_printable();
}

Test(prof_serve, a_view_too_big_to_be_a_modules_is_refused)
{
	/* not the module's doing but the jit's, which we trust: still checked */
	share_pages = 0xFFFFFu;	/* pages * PAGE_SIZE would be 0xFFFFF000 */
	params->funcs[1].counter_va = VIEW_END;	/* the guard page */
	run(1, 10);
	cr_assert(strstr(out, "profiler: handle 3: a view of 1048575 pages cannot be a module's\n"),
		  "%s", out);
	cr_assert_eq(unmapped_va, VIEW_AT);
	cr_assert_eq(unmapped_pages, 0xFFFFFu, "dropped");
	cr_assert_eq(R(req(PROF_STATS, H, 0, 0)), PROF_EINVAL);
	outlen = 0;
	out[0] = 0;
	run(1, 10);
	cr_assert_eq(outlen, 0, "said once for that load: %s", out);
}

Test(prof_serve, entry_calls_are_never_an_error_code_nor_negative_phases)
{
	params->done_calls = (uint32_t)PROF_EINVAL;
	run((uint32_t)PROF_EINVAL, 10);
	cr_assert_eq(R(req(PROF_STATS, H, 0, 0)), 0x7fffffff, "a count, saturated");
	setup();
	COUNTER(0) = 100;
	run(1000, 100000);
	COUNTER(0) = 1000;
	run(5, 10);	/* entry calls and cycles went backwards */
	struct bf_msg m = req(PROF_PHASE, H, 1, 0);
	cr_assert_eq(R(m), 1);
	cr_assert_eq(m.w[1], 0, "no calls, not 4 billion");
	cr_assert_eq(m.w[2], 0);
}

/* ---- the client library, connected straight to prof_serve --------------- */
static int direct(void *ctx, struct bf_msg *m)
{
	(void)ctx;
	prof_serve(&srv, m);
	return 0;
}
static const struct bf_conn conn = { 0, 0, direct };

Test(prof_serve, the_client_library_speaks_the_protocol)
{
	params->mismatches = 1;
	params->curve_bucket = 5;
	params->ncurve = 1;
	COUNTER(1) = 100;
	run(100, 1000);
	struct prof_func pf;
	cr_assert_eq(profc_query(&conn, H, 1, 1, &pf), 1);
	cr_assert_eq(pf.calls, 100);
	cr_assert_eq(pf.tierups, 1);
	struct prof_phase_info ph;
	cr_assert_eq(profc_phase(&conn, H, 0, &ph), 0);
	cr_assert_eq(ph.calls, 100);
	cr_assert_eq(ph.cycles_per_call, 10);
	cr_assert_eq(profc_phase(&conn, H, 9, &ph), PROF_ENOENT);
	struct prof_stats st;
	cr_assert_eq(profc_stats(&conn, H, &st), 100);
	cr_assert_eq(st.mismatches, 1);
	cr_assert_eq(st.finished, 0);
	cr_assert_eq(profc_curve(&conn, H), 1);
	cr_assert_eq(profc_print(&conn), 0);
	cr_assert_eq(profc_reset(&conn), 0);
	cr_assert_eq(profc_forget(&conn, H), 0);
	cr_assert_eq(profc_stats(&conn, H, &st), PROF_EINVAL);
}
