/* See serve.h.  One request at a time, to completion: a server owes at
 * most one reply, and SYS_REPLY_RECV pays it and waits for the next
 * caller in one trap. */
#include "lib/user/serve.h"
#include "lib/user/sys.h"

void serve_loop(uint32_t ep, serve_fn dispatch, serve_notify_fn notify, void *ctx)
{
	struct bf_msg m;
	int r = bf_recv(ep, &m);
	for (;;) {
		if (r < 0) {
			r = bf_recv(ep, &m);
			continue;
		}
		if (m.badge == NOTIFY_BADGE) {	/* a signal: nobody to answer */
			if (notify)
				notify(ctx, m.label);
			r = bf_recv(ep, &m);
			continue;
		}
		dispatch(ctx, &m);
		r = bf_reply_recv(ep, &m);
	}
}
