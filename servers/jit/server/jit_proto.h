/* The jit server's IPC protocol (docs/jit-protocol.md).  Requests are IPC
 * calls on the jit server's endpoint; the badge says who calls (init or
 * the profiler).  Replies: w0 = result (>= 0) or a negative JIT_E* code;
 * the server prints the reader's or compiler's message on the console,
 * prefixed "jit: MODULE:", so a failure always says what and where. */
#ifndef BF_JIT_PROTO_H
#define BF_JIT_PROTO_H
#include <stdint.h>

/* The server holds at most this many modules loaded at once (a handle
 * names one of them); JIT_NEW answers JIT_ENOSPC when all are taken.
 * Init keeps fewer than this for the shell's `jit` and `prof` after a
 * run ends (servers/init/modrun.c), so new runs always find one free. */
#define JIT_MODULE_SLOTS   16

#define JIT_BADGE_INIT     0	/* init calls with its own, unbadged capability */
#define JIT_BADGE_PROFILER 2

enum jit_op {
	JIT_NEW = 0x4A00,	/* init, MSG_CAP: w1 = module task cap (needs COMPILE),
				 * w0 = entry argument, w2 = calls, w3 = curve bucket
				 * -> w0 = handle */
	JIT_THRESHOLDS,		/* init: w0 = handle, w1..w3 = tier thresholds -> 0 */
	JIT_LOAD,		/* init, MSG_GRANT pages holding an LLBC file:
				 * w0 = handle, w1 = file length
				 * -> w0 = 0, w1 = entry eip, w2 = entry argument (params va) */
	JIT_LOAD_EMBEDDED,	/* init: w0 = handle, w1 = index of an embedded module
				 * -> as JIT_LOAD */
	JIT_TIER,		/* profiler or init: w0 = handle, w1 = function index,
				 * w2 = tier -> w0 = 0, w1 = compile cycles, w2 = code
				 * address, w3 = code bytes */
	JIT_SHARE,		/* profiler: w0 = handle, w1 = serial it knows
				 * -> w0 = current serial; if different, the reply carries
				 * MSG_SHARE_RO pages (w2, w3): params page then data */
	JIT_UNLOAD,		/* init: w0 = handle -> 0 */
	JIT_PRINT,		/* init: print the code cache (shell `jit`) -> 0 */
	JIT_EMBEDDED,		/* init: w0 = index -> w0 = 0, w1..w2 = first 8 name
				 * bytes; JIT_ENOENT past the end */
	JIT_FUNC,		/* init: w0 = handle, w1..w2 = first 8 bytes of a
				 * function name -> w0 = index */
	JIT_FUNC_TIER,		/* any: w0 = handle, w1 = function -> its current tier */
	JIT_TIER_ALL,		/* init: w0 = handle, w1 = tier: every defined function
				 * -> w0 = functions recompiled */
	JIT_OP_END
};

#define JIT_EINVAL   (-200)	/* bad handle, function, tier or argument */
#define JIT_ENOSPC   (-201)	/* no free module slot / memory */
#define JIT_EFORMAT  (-202)	/* LLBC header invalid (message printed) */
#define JIT_EBITCODE (-203)	/* bitcode malformed (message printed) */
#define JIT_ECOMPILE (-204)	/* unsupported IR (message names function, instruction) */
#define JIT_EINSTALL (-205)	/* the kernel refused the installation */
#define JIT_EPERM    (-206)	/* operation not allowed for this caller */
#define JIT_ENOENT   (-207)	/* no such embedded module / function */
#define JIT_ELIMIT   (-208)	/* JIT_TIER: the function was recompiled
				 * JIT_MAX_RECOMPILES times already (message printed) */
#define JIT_EGONE    (-209)	/* JIT_TIER: the module's task ended while its
				 * code was compiled (on two CPUs a module may end
				 * before its tier-up lands): nothing installed, and
				 * nothing printed -- it is not an error of anyone's */

/* Recompilations (JIT_TIER requests, failed ones included) of one
 * function of a loaded module: 100, 1000 and 10000 calls take it to
 * tiers 1, 2 and 3.  Old code stays mapped until the module ends, so
 * this bounds what a module that lies about its profile can make the jit
 * server do and keep (docs/jit-protocol.md). */
#define JIT_MAX_RECOMPILES 3

/* 8 name bytes in two words (little-endian), for names in registers. */
static inline void jit_name_pack(const char *s, uint32_t *a, uint32_t *b)
{
	uint8_t buf[8] = { 0 };
	for (int i = 0; i < 8 && s[i]; i++)
		buf[i] = (uint8_t)s[i];
	*a = buf[0] | buf[1] << 8 | buf[2] << 16 | (uint32_t)buf[3] << 24;
	*b = buf[4] | buf[5] << 8 | buf[6] << 16 | (uint32_t)buf[7] << 24;
}

static inline void jit_name_unpack(uint32_t a, uint32_t b, char out[9])
{
	for (int i = 0; i < 4; i++) {
		out[i] = (char)(a >> (8 * i));
		out[4 + i] = (char)(b >> (8 * i));
	}
	out[8] = 0;
}
#endif
