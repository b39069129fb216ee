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
 * pinned gate), not through lib/user's stubs. */
static void rt_exit(int32_t status)
{
	for (;;)
		bf_sys(SYS_EXIT, (uint32_t)status, 0, 0, 0, 0, 0);
}


/* Tell the profiler when a function's counter has crossed its next
 * threshold; it reads the counters itself and asks for the next tier. */
static void check_thresholds(struct rt_params *p)
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
	if (crossed)
		bf_notify(p->notify_slot, p->notify_bit);
}

void rt_main(struct rt_params *p)
{
	if (p->magic != RT_MAGIC)
		rt_exit(-1);
	const volatile uint32_t *dispatch = (const volatile uint32_t *)USER_DISPATCH_VA;
	uint64_t bucket_cycles = 0;
	uint32_t in_bucket = 0;
	for (uint32_t i = 0; i < p->calls; i++) {
		/* re-read every call: the jit server swaps entries while we run */
		entry_fn fn = (entry_fn)dispatch[p->entry_index];
		uint64_t t0 = bf_rdtsc();
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
		check_thresholds(p);
	}
	p->finished = 1;
	bf_notify(p->notify_slot, p->notify_bit);	/* last profile snapshot */
	rt_exit(p->first_result);
}

/* For module code that wants to print (declare: void rt_print(const char *)). */
void rt_print(const char *s)
{
	uint32_t n = 0;
	while (s[n])
		n++;
	bf_sys(SYS_CONSOLE_WRITE, (uint32_t)s, n, 0, 0, 0, 0);
}
