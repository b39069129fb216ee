/* Client side of the jit server's protocol (docs/jit-protocol.md): what
 * init and the profiler call, so neither builds a message by hand.
 * Portable: requests go through a connection (lib/conn.h).  Each call
 * returns the server's result (>= 0) or a negative code: a JIT_E* from
 * the server, or the kernel's E_* when the IPC itself failed
 * (bf_ipc_failed(), lib/include/bareflow/abi.h). */
#ifndef BF_JIT_CLIENT_H
#define BF_JIT_CLIENT_H
#include <stdint.h>
#include "lib/conn.h"
#include "servers/jit/server/jit_proto.h"

/* Where a loaded module task starts: its entry and the entry's argument. */
struct jit_loaded {
	uint32_t eip, arg;
};

/* What a recompilation did. */
struct jit_tiered {
	uint32_t cycles;	/* compile time */
	uint32_t addr;		/* the new code */
	uint32_t bytes;
};

/* Hand the module task in our slot `task` to the jit server, without the
 * right to start or kill it: a handle. */
int jitc_new(const struct bf_conn *c, uint32_t task, int32_t arg, uint32_t calls, uint32_t curve);
int jitc_thresholds(const struct bf_conn *c, int h, const uint32_t t[3]);
/* Grant the `pages` pages at va holding an LLBC file of len bytes.  If the
 * IPC failed the pages are still the caller's; otherwise they are gone. */
int jitc_load(const struct bf_conn *c, int h, uint32_t va, uint32_t pages, uint32_t len,
	      struct jit_loaded *out);
int jitc_load_embedded(const struct bf_conn *c, int h, uint32_t index, struct jit_loaded *out);
/* Recompile function f at `tier` (out may be NULL). */
int jitc_tier(const struct bf_conn *c, int h, uint32_t f, int tier, struct jit_tiered *out);
int jitc_tier_all(const struct bf_conn *c, int h, int tier);	/* functions recompiled */
int jitc_func_tier(const struct bf_conn *c, int h, uint32_t f);
int jitc_func(const struct bf_conn *c, int h, const char *name);	/* index, by the first 8 bytes */
/* The module's load serial; when it differs from `known`, the reply
 * shares its params and data read-only: *va, *pages (else *pages = 0). */
int jitc_share(const struct bf_conn *c, int h, uint32_t known, uint32_t *va, uint32_t *pages);
int jitc_unload(const struct bf_conn *c, int h);
int jitc_print(const struct bf_conn *c);
/* The embedded module at index: its name (8 bytes at most) and size. */
int jitc_embedded(const struct bf_conn *c, uint32_t index, char name[9], uint32_t *size);
#endif
