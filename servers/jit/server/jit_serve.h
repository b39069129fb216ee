/* The jit server's request handling, portable (no syscalls): main.c feeds
 * it the messages of its endpoint through serve_loop (lib/user/serve.h);
 * host tests feed it directly (tests/servers/unit/test_jit_serve.c).  It decodes a
 * request, checks who may make it (by badge: docs/jit-protocol.md), calls
 * the module slots (jmod.h) and encodes the reply.  What a request brings
 * and does not keep (granted pages, a capability) is given back through
 * struct jit_env. */
#ifndef BF_JIT_SERVE_H
#define BF_JIT_SERVE_H
#include <stdint.h>
#include "lib/include/bareflow/abi.h"
#include "servers/jit/server/rtsyms.h"

struct jit_env {
	void *ctx;
	/* message addresses are offsets from base (0 in the server) */
	uintptr_t base;
	/* drop pages that came with a request (they are mapped at va) */
	void (*unmap)(void *ctx, uint32_t va, uint32_t pages);
	/* drop a capability that came with a request */
	void (*cap_delete)(void *ctx, uint32_t slot);
	/* the modules linked into the server (JIT_EMBEDDED, JIT_LOAD_EMBEDDED) */
	const struct embedded_module *embedded;
	unsigned nembedded;
};

/* One request in place: m holds the request (with the caller's badge),
 * then the reply. */
void jit_serve(const struct jit_env *env, struct bf_msg *m);
#endif
