/* The module entry harness (see rt.h).  Runs in the module task, ring 3,
 * as installed read+execute code: it keeps its state on the stack and in
 * struct rt_params, never in globals of its own. */
#include <stdint.h>
#include "lib/fmt.h"
#include "lib/rt/rt.h"
#include "lib/user/sys.h"

typedef int32_t (*entry_fn)(int32_t);

/* gate.asm: module code is called so that it returns to a bundle start */
int32_t rt_call_module(entry_fn fn, int32_t arg);

/* The runtime makes its syscalls through gate.asm's bf_sys only (the
 * pinned gate), not through lib/user's stubs; the module's end is the C
 * library's _Exit (libc/exit.c), the same one exit() and abort() take. */
_Noreturn void _Exit(int status);


/* Has a function's counter crossed its next threshold?  Then the caller
 * tells the profiler, which reads the counters itself and asks for the
 * next tier. */
static int check_thresholds(struct rt_params *p)
{
	int crossed = 0;
	for (uint32_t f = 0; f < p->nfuncs && f < RT_MAX_FUNCS; f++) {
		uint32_t lvl = p->next_level[f];
		if (lvl >= 3 || !p->funcs[f].counter_va)
			continue;
		uint32_t count = *(volatile uint32_t *)p->funcs[f].counter_va;
		while (lvl < 3 && count >= p->thresholds[lvl])
			lvl++;
		if (lvl != p->next_level[f]) {
			p->next_level[f] = lvl;
			crossed = 1;
		}
	}
	return crossed;
}

/* The record of tier changes (rt.h struct rt_swap), kept on our stack and
 * written to p->swaps as it fills. */
struct swaps {
	uint32_t ring[RT_SWAP_WIN];	/* wall cycles of the last calls */
	struct rt_swap *open;		/* the change being recorded */
	uint64_t signal_tsc, after_sum;
	uint32_t after_n;
	/* a signal given while the last change was not live yet (on two
	 * CPUs the module runs on during a compile): its change is recorded
	 * when it goes live, from the calls just before */
	uint32_t pend, pend_call;
	uint64_t pend_tsc;
};

static void swap_close(struct swaps *w)
{
	if (w->open && w->after_n)
		w->open->after = (uint32_t)(w->after_sum / w->after_n);
	w->open = 0;
}

/* Call j took `wall` cycles, start to start. */
static void swap_call(struct swaps *w, uint32_t j, uint32_t wall)
{
	w->ring[j % RT_SWAP_WIN] = wall;
	struct rt_swap *s = w->open;
	if (!s || j < s->signal_call)
		return;
	if (!s->live_call || j <= s->live_call) {
		if (wall > s->peak) {
			s->peak = wall;
			s->peak_call = j;
		}
	} else {
		w->after_sum += wall;
		if (++w->after_n == RT_SWAP_WIN)
			swap_close(w);
	}
}

/* The harness signals after call i. */
static void swap_signal(struct rt_params *p, struct swaps *w, uint32_t i)
{
	if (w->open && !w->open->live_call) {
		if (!w->pend) {	/* still waiting for the last one's code */
			w->pend = 1;
			w->pend_call = i;
			w->pend_tsc = bf_rdtsc();
		}
		return;
	}
	swap_close(w);
	if (p->nswaps >= RT_SWAP_MAX)
		return;
	struct rt_swap *s = &p->swaps[p->nswaps++];
	uint32_t n = i < RT_SWAP_WIN ? i : RT_SWAP_WIN;
	uint64_t sum = 0;
	for (uint32_t k = 0; k < n; k++)
		sum += w->ring[k];
	s->signal_call = i;
	s->live_call = 0;
	s->before = n ? (uint32_t)(sum / n) : 0;
	s->peak = s->after = s->latency = s->peak_call = 0;
	w->open = s;
	w->after_n = 0;
	w->after_sum = 0;
	w->signal_tsc = bf_rdtsc();
}

/* Call i goes through a dispatch entry that changed, starting at t0. */
static void swap_live(struct rt_params *p, struct swaps *w, uint32_t i, uint64_t t0)
{
	if (w->open && !w->open->live_call) {
		w->open->live_call = i;
		w->open->latency = (uint32_t)(t0 - w->signal_tsc);
		return;
	}
	if (!w->pend)
		return;
	/* the pending signal's change: before = the last calls, peak = the
	 * slowest of them (the calls since its signal are not all kept) */
	w->pend = 0;
	swap_close(w);
	if (p->nswaps >= RT_SWAP_MAX)
		return;
	struct rt_swap *s = &p->swaps[p->nswaps++];
	uint32_t n = i < RT_SWAP_WIN ? i : RT_SWAP_WIN;
	uint64_t sum = 0;
	uint32_t peak = 0;
	uint32_t peak_call = 0;
	for (uint32_t k = 0; k < n; k++) {
		sum += w->ring[k];
		if (w->ring[k] > peak) {
			peak = w->ring[k];
			peak_call = i - 1 - (i - 1 - k) % RT_SWAP_WIN;	/* ring[k]'s call */
		}
	}
	s->signal_call = w->pend_call;
	s->live_call = i;
	s->before = n ? (uint32_t)(sum / n) : 0;
	s->peak = peak;
	s->peak_call = peak_call;
	s->after = 0;
	s->latency = (uint32_t)(t0 - w->pend_tsc);
	w->open = s;
	w->after_n = 0;
	w->after_sum = 0;
}

void rt_main(struct rt_params *p)
{
	if (p->magic != RT_MAGIC)
		_Exit(-1);
	const volatile uint32_t *dispatch = (const volatile uint32_t *)USER_DISPATCH_VA;
	uint64_t bucket_cycles = 0, last_t0 = 0;
	uint32_t in_bucket = 0;
	entry_fn last_fn = 0;
	struct swaps w;
	w.open = 0;
	w.pend = 0;
	for (uint32_t k = 0; k < RT_SWAP_WIN; k++)
		w.ring[k] = 0;
	p->nswaps = 0;
	for (uint32_t i = 0; i < p->calls; i++) {
		/* re-read every call: the jit server swaps entries while we run */
		entry_fn fn = (entry_fn)dispatch[p->entry_index];
		uint64_t t0 = bf_rdtsc();
		if (i) {
			swap_call(&w, i - 1, (uint32_t)(t0 - last_t0));
			if (fn != last_fn)
				swap_live(p, &w, i, t0);
		}
		last_t0 = t0;
		last_fn = fn;
		int32_t r = rt_call_module(fn, p->arg);
		uint64_t dt = bf_rdtsc() - t0;
		if (i == 0)
			p->first_result = r;
		else if (r != p->first_result)
			p->mismatches++;
		p->last_result = r;
		p->cycles_total += dt;
		p->done_calls = i + 1;
		if (p->curve_bucket) {
			bucket_cycles += dt;
			if (++in_bucket == p->curve_bucket) {
				if (p->ncurve < RT_CURVE_MAX)
					p->curve[p->ncurve++] = (uint32_t)(bucket_cycles / in_bucket);
				bucket_cycles = 0;
				in_bucket = 0;
			}
		}
		if (check_thresholds(p)) {
			swap_signal(p, &w, i);
			bf_notify(p->notify_slot, p->notify_bit);
		}
	}
	swap_close(&w);
	p->finished = 1;
	bf_notify(p->notify_slot, p->notify_bit);	/* last profile snapshot */
	_Exit(p->first_result);
}

/* For module code that wants to print (declare: void rt_print(const char *)). */
void rt_print(const char *s)
{
	uint32_t n = 0;
	while (s[n])
		n++;
	bf_sys(SYS_CONSOLE_WRITE, (uint32_t)s, n, 0, 0, 0, 0);
}
