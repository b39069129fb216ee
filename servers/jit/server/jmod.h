/* The jit server's module slots as its request handling (jit_serve.c) sees
 * them: handles, operations and results, no compiler types.  module.c
 * keeps them (struct jmod is in jitsrv.h); host tests of jit_serve.c put
 * a stand-in behind this interface.  Errors are JIT_E* (jit_proto.h). */
#ifndef BF_JIT_JMOD_H
#define BF_JIT_JMOD_H
#include <stdint.h>

struct jmod;

/* A free slot for the module task in capability slot `task` (COMPILE
 * right): its handle, or JIT_ENOSPC. */
int  jmod_new(int task, int32_t arg, uint32_t calls, uint32_t curve);
/* The slot of a handle, or NULL. */
struct jmod *jmod_get(uint32_t handle);
/* Tier thresholds for the module's harness: only before the load. */
int  jmod_thresholds(struct jmod *j, uint32_t t1, uint32_t t2, uint32_t t3);
/* Validate, read, compile at tier 0 and install an LLBC file: *eip and
 * *params are the module task's entry and its argument.  A failed load
 * leaves the slot empty, so the embedded copy can be tried in it. */
int  jmod_load(struct jmod *j, const uint8_t *file, uint32_t len, uint32_t *eip, uint32_t *params);
/* Recompile function f at `tier` and swap its dispatch entry. */
int  jmod_tier(struct jmod *j, uint32_t f, int tier, uint32_t *cycles, uint32_t *addr, uint32_t *bytes);
/* Every defined function at `tier`: how many were recompiled. */
int  jmod_tier_all(struct jmod *j, int tier);
/* The current tier of function f. */
int  jmod_func_tier(struct jmod *j, uint32_t f);
/* The index of the function whose name starts with these (up to 8) bytes. */
int  jmod_func(struct jmod *j, const char *name8);
/* The load serial; unless it is `known`, also the read-only view of the
 * module's params and data to share (*va, *pages; else *pages = 0). */
int  jmod_share(struct jmod *j, uint32_t known, uint32_t *va, uint32_t *pages);
void jmod_unload(struct jmod *j);
void jmod_print(void);	/* the code cache, on the console */
#endif
