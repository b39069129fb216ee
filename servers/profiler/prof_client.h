/* Client side of the profiler's protocol (docs/jit-protocol.md): what
 * init's shell and tests call, so none of them builds a message by hand.
 * Portable: requests go through a connection (lib/conn.h).  Each call
 * returns the result (>= 0) or a negative code: PROF_E* from the
 * profiler, or the kernel's E_* when the IPC itself failed. */
#ifndef BF_PROF_CLIENT_H
#define BF_PROF_CLIENT_H
#include <stdint.h>
#include "lib/conn.h"
#include "servers/profiler/prof_proto.h"

/* PROF_QUERY: one function of a module. */
struct prof_func {
	uint32_t calls;
	uint32_t tierups;
	uint32_t latency;	/* cycles from the threshold signal to the asked tier's code being live */
};

/* PROF_PHASE: the stretch of entry calls between two tier changes. */
struct prof_phase_info {
	uint32_t calls;
	uint32_t cycles_per_call;
};

/* PROF_STATS: how the module's run went. */
struct prof_stats {
	uint32_t mismatches;	/* results that differed from the first */
	uint32_t finished;
};

int profc_print(const struct bf_conn *c);	/* the table, on the console */
int profc_reset(const struct bf_conn *c);
int profc_forget(const struct bf_conn *c, int h);
/* Function f of module h: its current tier; out (may be NULL) as above. */
int profc_query(const struct bf_conn *c, int h, uint32_t f, int tier, struct prof_func *out);
/* Phase i of module h: the top tier of its hottest function. */
int profc_phase(const struct bf_conn *c, int h, uint32_t i, struct prof_phase_info *out);
/* Module h: entry calls done. */
int profc_stats(const struct bf_conn *c, int h, struct prof_stats *out);
/* Print module h's "curve MODULE CALLS CYCLES" points: how many. */
int profc_curve(const struct bf_conn *c, int h);
/* Prints the module's tier changes as it lived them ("swap ..." lines,
 * prof_proto.h); returns how many. */
int profc_swaps(const struct bf_conn *c, int h);
#endif
