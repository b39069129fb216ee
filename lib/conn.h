/* A client's connection to a server: how every client library (fs, jit,
 * profiler) sends a request and gets its reply, without knowing how the
 * message travels: by IPC in the guest (bf_conn_cap(), lib/user/sys.h), or
 * straight into a server's dispatch function in host tests.  With it no
 * caller builds a message by hand.  Portable. */
#ifndef BF_LIB_CONN_H
#define BF_LIB_CONN_H
#include <stdint.h>
#include "lib/include/bareflow/abi.h"

struct bf_conn {
	void *ctx;
	/* addresses in messages are offsets from base: 0 in the guest, where
	 * they are the 32-bit virtual addresses themselves */
	uintptr_t base;
	/* request in, reply out; < 0 (an E_* code): the IPC failed */
	int (*call)(void *ctx, struct bf_msg *m);
};

/* One request, its reply in *reply: 0, or the IPC error (an E_* code). */
int bf_conn_send(const struct bf_conn *c, uint32_t label, uint32_t w0, uint32_t w1,
		 uint32_t w2, uint32_t w3, struct bf_msg *reply);

/* One request.  Returns the IPC error if the call failed, else the
 * reply's w0 as a signed result; the whole reply in *reply if not NULL.
 * For servers whose codes lie below E_SERVER_BASE (jit, profiler). */
int bf_conn_call(const struct bf_conn *c, uint32_t label, uint32_t w0, uint32_t w1,
		 uint32_t w2, uint32_t w3, struct bf_msg *reply);

/* Between addresses in messages and pointers of this side. */
static inline void *bf_conn_ptr(const struct bf_conn *c, uint32_t addr)
{
	return (void *)(c->base + addr);
}
static inline uint32_t bf_conn_addr(const struct bf_conn *c, const void *p)
{
	return (uint32_t)((uintptr_t)p - c->base);
}
#endif
