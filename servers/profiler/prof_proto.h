/* The profiler server's IPC protocol (docs/jit-protocol.md).  Modules
 * never call it: they signal its notification (one bit per jit handle)
 * when a call counter crosses a threshold, and it reads their counters
 * through a read-only view the jit server shares. */
#ifndef BF_PROF_PROTO_H
#define BF_PROF_PROTO_H

enum prof_op {
	PROF_PRINT = 0x5000,	/* print the profile table -> 0 */
	PROF_RESET,		/* forget samples and compile times -> 0 */
	PROF_FORGET,		/* w0 = jit handle: the module is gone -> 0 */
	PROF_QUERY,		/* w0 = handle, w1 = function, w2 = tier T -> w0 =
				 * current tier, w1 = calls, w2 = tier-ups done,
				 * w3 = cycles from the threshold signal to tier T's
				 * code being live */
	PROF_PHASE,		/* w0 = handle, w1 = phase -> w0 = top tier of the
				 * hottest function in it, w1 = entry calls,
				 * w2 = cycles per call; PROF_ENOENT past the end */
	PROF_STATS,		/* w0 = handle -> w0 = entry calls done (at most
				 * 0x7fffffff), w1 = results
				 * that differed from the first, w2 = finished */
	PROF_CURVE,		/* w0 = handle: print "curve MODULE CALL CYCLES" lines
				 * (average cycles per call per bucket) -> points */
	PROF_SWAPS,		/* w0 = handle: print "swap MODULE K SIGNAL_CALL LIVE_CALL
				 * BEFORE PEAK AFTER LATENCY PEAK_CALL" lines, the tier changes as the
				 * module's harness recorded them (lib/rt/rt.h) -> count */
	PROF_OP_END
};
#define PROF_EINVAL (-300)
#define PROF_ENOENT (-301)
#define PROF_EBADPAGE (-302)	/* the module's parameter page is invalid: ignored */

/* The profiler's capability slots, filled by init. */
#define PROF_SLOT_EP     0	/* its endpoint (receive) */
#define PROF_SLOT_NOTIFY 1	/* the notification modules signal (receive, bound) */
#define PROF_SLOT_JIT    2	/* the jit server's endpoint (send, badge 2) */
#endif
