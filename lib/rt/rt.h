/* The module runtime: trusted native code that the kernel maps, read +
 * execute, at RT_BASE in every module task (boot module `rt`, see
 * docs/secure-jit.md), beside the JIT-compiled code.
 * It holds what module code may call (exports.txt: memcpy, memset,
 * memmove, memcmp, strlen, the 64-bit division helpers, rt_print, the
 * printf family (printf.c), a libm and the float <-> 64-bit integer
 * conversions (math/), a C library subset (libc/, docs/libc.md);
 * lib/rt/include/ declares them for modules) and the entry harness,
 * which calls the module's entry function through the dispatch table
 * `calls` times, timing each call with rdtsc and telling the profiler when
 * a function's call counter crosses a tiering threshold.
 *
 * The harness reads its parameters from struct rt_params, the first page
 * of the module's data (read+write for the module, shared read-only with
 * the profiler).  The runtime itself has no writable data. */
#ifndef BF_RT_H
#define BF_RT_H
#include <stdint.h>

#define RT_BASE        0x60000000u	/* runtime code; its first bytes are the gate */
#define RT_GATE        RT_BASE		/* bf_sys, the runtime's one syscall site */
#define RT_IMAGE_BASE  0x60100000u	/* the module's tier-0 image */
#define RT_RECOMP_BASE 0x60800000u	/* recompiled functions */
#define RT_PARAMS_VA   0x50000000u	/* struct rt_params */
#define RT_DATA_VA     0x50004000u	/* module globals and call counters */
#define RT_LIBC_VA     0x50003F00u	/* struct rt_libc, at the end of the params pages */
#define RT_HEAP_VA     0x51000000u	/* malloc's heap, when the loader gives one */
/* Functions of a module, declared ones (the runtime's it calls) included:
 * one dispatch entry each.  The kernel's dispatch page holds 1024; this
 * bound is what the parameter pages below hold (struct rt_params, checked
 * at the end) and what the jit server and profiler keep per module. */
#define RT_MAX_FUNCS   256
#define RT_NAME_MAX    24
#define RT_MAGIC       0x52544D31u	/* "RTM1" */
#define RT_CURVE_MAX   256		/* per-bucket cycle averages kept */
#define RT_SWAP_MAX    8		/* tier changes the harness records */
#define RT_SWAP_WIN    8		/* calls averaged before and after one */

struct rt_func {
	char name[RT_NAME_MAX];
	uint32_t counter_va;	/* its call counter in module data, 0 if none */
	uint32_t cycles_va;	/* its 64-bit tier-0 cycle total (inclusive), 0 if none */
	uint32_t defined;
};

/* One tier change of the entry function as the module lived it, in wall
 * cycles per call (rdtsc from the start of one call to the start of the
 * next: everything the module's CPU did meanwhile counts, a compile that
 * took it too).  A change begins when the harness signals the profiler
 * and ends at the first call that goes through a new dispatch entry. */
struct rt_swap {
	uint32_t signal_call;	/* the call after which the harness signalled */
	uint32_t live_call;	/* the first call of the new code (0: none yet) */
	uint32_t before;	/* mean of the RT_SWAP_WIN calls before the signal */
	uint32_t peak;		/* the slowest call from the signal to the one after live_call */
	uint32_t after;		/* mean of the RT_SWAP_WIN calls after those */
	uint32_t latency;	/* cycles from the signal to the start of live_call */
	uint32_t peak_call;	/* which call was the slowest */
};

struct rt_params {
	uint32_t magic;
	char module[RT_NAME_MAX];
	uint32_t handle;	/* the jit server's module handle */
	uint32_t entry_index;	/* dispatch-table index of the entry function */
	int32_t arg;
	uint32_t calls;		/* how many times to call the entry */
	uint32_t notify_slot;	/* capability slot of the profiler's notification */
	uint32_t notify_bit;
	uint32_t thresholds[3];	/* calls that trigger tiers 1, 2, 3 */
	uint32_t curve_bucket;	/* calls per averaged point of the curve, 0 = none */
	uint32_t nfuncs;
	struct rt_func funcs[RT_MAX_FUNCS];
	/* written by the harness */
	uint32_t done_calls;
	int32_t first_result, last_result;
	uint32_t mismatches;	/* calls whose result differed from the first */
	uint64_t cycles_total;
	uint32_t next_level[RT_MAX_FUNCS];	/* thresholds already signalled */
	uint32_t ncurve;
	uint32_t curve[RT_CURVE_MAX];	/* average cycles per call, per bucket */
	uint32_t finished;
	uint32_t nswaps;
	struct rt_swap swaps[RT_SWAP_MAX];
};

/* The C library's state (lib/rt/libc/): the runtime has no writable data
 * of its own, so what C keeps between calls (errno, rand's seed, strtok's
 * position, where the heap is) lives in the module's own params pages,
 * at RT_LIBC_VA; the runtime reaches it through the symbol rt_libc, which
 * rt.ld puts there (a test harness puts it elsewhere).  The loader (the
 * jit server) fills heap_va/heap_size; everything else starts as zero. */
struct rt_libc {
	uintptr_t heap_va;	/* malloc's heap: page aligned, 0 = none */
	uintptr_t heap_size;	/* its bytes */
	uintptr_t strtok_next;	/* where strtok(NULL, ...) goes on, 0 = nothing left */
	int32_t err;		/* errno */
	uint32_t rand_x;	/* rand's state XOR 1 (zero means C's seed 1) */
	uint32_t spare[11];	/* (pointers are uintptr_t: the host tests build this too) */
};
_Static_assert(sizeof(struct rt_params) <= RT_LIBC_VA - RT_PARAMS_VA,
	       "struct rt_params runs into struct rt_libc");
_Static_assert(sizeof(struct rt_libc) <= RT_DATA_VA - RT_LIBC_VA,
	       "struct rt_libc runs into the module data");
#endif
