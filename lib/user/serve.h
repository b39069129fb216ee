/* The one receive/reply loop of every BareFlow server (fs, jit, profiler).
 *
 * A server is: set-up in main(), then serve_loop() on its endpoint with a
 * dispatch function that turns a request into its reply in place (pure:
 * no receive or reply of its own, so host tests call it directly), and
 * optionally a function for the signals of a notification bound to the
 * server (SYS_NOTIFY_BIND), which have no caller to answer. */
#ifndef BF_USER_SERVE_H
#define BF_USER_SERVE_H
#include <stdint.h>
#include "lib/include/bareflow/abi.h"

/* m: the request (label, words, the caller's badge); on return the reply
 * (label with any MSG_* flags, words). */
typedef void (*serve_fn)(void *ctx, struct bf_msg *m);
/* bits: the pending bits of the bound notification. */
typedef void (*serve_notify_fn)(void *ctx, uint32_t bits);

/* Receive on ep forever: each call is dispatched and answered with one
 * SYS_REPLY_RECV, each signal goes to notify (ignored if NULL), a failed
 * receive is retried. */
void serve_loop(uint32_t ep, serve_fn dispatch, serve_notify_fn notify, void *ctx)
	__attribute__((noreturn));
#endif
