/* See conn.h. */
#include "lib/conn.h"

int bf_conn_send(const struct bf_conn *c, uint32_t label, uint32_t w0, uint32_t w1,
		 uint32_t w2, uint32_t w3, struct bf_msg *reply)
{
	*reply = (struct bf_msg){ label, { w0, w1, w2, w3 }, 0 };
	int r = c->call(c->ctx, reply);
	return r < 0 ? r : 0;
}

int bf_conn_call(const struct bf_conn *c, uint32_t label, uint32_t w0, uint32_t w1,
		 uint32_t w2, uint32_t w3, struct bf_msg *reply)
{
	struct bf_msg m;
	int r = bf_conn_send(c, label, w0, w1, w2, w3, &m);
	if (r < 0)
		return r;
	if (reply)
		*reply = m;
	return (int32_t)m.w[0];
}
