/* The profiler server: set-up here (its notification bound, the jit
 * server's endpoint as a client connection); the work in prof_serve.c,
 * the loop in lib/user/serve.c.  Modules pay no IPC per call: their
 * runtime signals the notification only when a threshold is crossed.
 * Protocol: prof_proto.h, docs/jit-protocol.md. */
#include "lib/user/serve.h"
#include "lib/user/sys.h"
#include "servers/profiler/prof_proto.h"
#include "servers/profiler/prof_serve.h"

static void unmap(void *ctx, uint32_t va, uint32_t pages)
{
	(void)ctx;
	bf_unmap(va, pages);
}

static uint64_t now(void) { return bf_rdtsc(); }

static void dispatch(void *s, struct bf_msg *m) { prof_serve(s, m); }
static void on_signal(void *s, uint32_t bits) { prof_signal(s, bits); }

int main(void)
{
	static struct prof_server srv;
	static const struct prof_env env = { 0, bf_printf, unmap, now };
	if (bf_notify_bind(PROF_SLOT_NOTIFY) < 0) {
		bf_printf("profiler: cannot bind the module notification\n");
		return 1;
	}
	struct bf_conn jit = bf_conn_cap(PROF_SLOT_JIT);
	prof_init(&srv, &env, &jit);
	serve_loop(PROF_SLOT_EP, dispatch, on_signal, &srv);
}
