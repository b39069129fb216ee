/* The profiler's work, portable (no syscalls): main.c feeds it the
 * requests and the module signals of its endpoint through serve_loop
 * (lib/user/serve.h); host tests feed it directly
 * (tests/servers/unit/test_prof_serve.c).
 *
 * Per module (by jit handle) and function: calls, read from the counters
 * that tier-0..2 code keeps in module data; current tier; compile time of
 * each tier; per module the cycles per entry call in each phase between
 * tier changes.  A module signals bit `handle % 31` when a counter crosses
 * a threshold; prof_signal then reads the counters through a read-only
 * view the jit server shares (JIT_SHARE) and asks it for the highest tier
 * whose threshold was crossed (JIT_TIER).  Printing, unmapping a view and
 * the clock go through struct prof_env; the jit server through a client
 * connection (jit_client.h), whose base maps the view's addresses.
 *
 * The view is the module's own memory, so it is hostile: a page whose
 * fields are out of range (magic, nfuncs, ncurve, a counter address
 * outside the module's data) makes that module's profile invalid --
 * reported once, no more tier-ups, PROF_EBADPAGE to queries -- and the
 * profiler never reads outside the view. */
#ifndef BF_PROF_SERVE_H
#define BF_PROF_SERVE_H
#include <stdint.h>
#include "lib/conn.h"
#include "lib/rt/rt.h"

#define PROF_SLOTS 16
#define PROF_MAX_PHASES 8

struct prof_env {
	void *ctx;
	int (*print)(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
	void (*unmap)(void *ctx, uint32_t va, uint32_t pages);	/* a view we drop */
	uint64_t (*now)(void);	/* cycles */
};

struct prof_phase {
	uint32_t calls0, calls1;	/* entry calls at its start and end */
	uint64_t cycles0, cycles1;
	uint8_t tier;			/* tier of the hottest function during it */
};

/* What the profiler uses of a module's parameter page.  The module can
 * write that page at any moment, also while we read it: page() reads each
 * field once into this copy, then checks it; only the copy is used.  Names
 * are cut at RT_NAME_MAX bytes, terminated and printable. */
struct prof_fn {
	char name[RT_NAME_MAX + 1];
	uint32_t counter_va, cycles_va;	/* 0, or inside the module's data in the view */
	uint32_t defined;
};

struct prof_page {
	char module[RT_NAME_MAX + 1];
	uint32_t nfuncs;		/* <= RT_MAX_FUNCS */
	uint32_t ncurve;		/* <= RT_CURVE_MAX */
	uint32_t curve_bucket;
	uint32_t thresholds[3];
	uint32_t done_calls, mismatches, finished;
	struct prof_fn funcs[RT_MAX_FUNCS];
};

struct prof_module {
	uint32_t serial;		/* jit load serial of the view we hold */
	const volatile uint8_t *view;	/* read-only view: params page(s), then data */
	uint32_t view_va, view_pages, view_size;
	const char *bad;		/* the field that made its page invalid (reported once) */
	char name[RT_NAME_MAX + 1];	/* its name as last read, printable */
	uint8_t tier[RT_MAX_FUNCS];	/* 0..3 */
	uint32_t tierups[RT_MAX_FUNCS];
	uint32_t compile[RT_MAX_FUNCS][4];	/* compile cycles per tier */
	uint32_t base[RT_MAX_FUNCS];		/* counters at the last reset */
	uint32_t latency[RT_MAX_FUNCS][4];	/* signal -> tier's code live, cycles */
	uint32_t calls_t0[RT_MAX_FUNCS];	/* calls made while it was at tier 0 */
	int nphases;
	struct prof_phase ph[PROF_MAX_PHASES];
	int done;
};

struct prof_server {
	struct prof_env env;
	struct bf_conn jit;
	struct prof_module mods[PROF_SLOTS];
	struct prof_page pg;	/* the page of the module at hand (page()) */
};

void prof_init(struct prof_server *s, const struct prof_env *env, const struct bf_conn *jit);
/* One request in place: m holds the request, then the reply. */
void prof_serve(struct prof_server *s, struct bf_msg *m);
/* The bits of the module notification: scan those modules, tier up. */
void prof_signal(struct prof_server *s, uint32_t bits);
#endif
