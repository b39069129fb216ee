/* See jit_client.h: one function a request, the message layout of
 * jit_proto.h in one place. */
#include "servers/jit/server/jit_client.h"

int jitc_new(const struct bf_conn *c, uint32_t task, int32_t arg, uint32_t calls, uint32_t curve)
{
	uint32_t label = JIT_NEW | MSG_CAP | MSG_CAP_DROP(RIGHT_CONTROL);
	return bf_conn_call(c, label, (uint32_t)arg, task, calls, curve, 0);
}

int jitc_thresholds(const struct bf_conn *c, int h, const uint32_t t[3])
{
	return bf_conn_call(c, JIT_THRESHOLDS, (uint32_t)h, t[0], t[1], t[2], 0);
}

static int loaded(int r, const struct bf_msg *m, struct jit_loaded *out)
{
	if (r >= 0 && out) {
		out->eip = m->w[1];
		out->arg = m->w[2];
	}
	return r;
}

int jitc_load(const struct bf_conn *c, int h, uint32_t va, uint32_t pages, uint32_t len,
	      struct jit_loaded *out)
{
	struct bf_msg m;
	return loaded(bf_conn_call(c, JIT_LOAD | MSG_GRANT, (uint32_t)h, len, va, pages, &m), &m, out);
}

int jitc_load_embedded(const struct bf_conn *c, int h, uint32_t index, struct jit_loaded *out)
{
	struct bf_msg m;
	return loaded(bf_conn_call(c, JIT_LOAD_EMBEDDED, (uint32_t)h, index, 0, 0, &m), &m, out);
}

int jitc_tier(const struct bf_conn *c, int h, uint32_t f, int tier, struct jit_tiered *out)
{
	struct bf_msg m;
	int r = bf_conn_call(c, JIT_TIER, (uint32_t)h, f, (uint32_t)tier, 0, &m);
	if (r >= 0 && out) {
		out->cycles = m.w[1];
		out->addr = m.w[2];
		out->bytes = m.w[3];
	}
	return r;
}

int jitc_tier_all(const struct bf_conn *c, int h, int tier)
{
	return bf_conn_call(c, JIT_TIER_ALL, (uint32_t)h, (uint32_t)tier, 0, 0, 0);
}

int jitc_func_tier(const struct bf_conn *c, int h, uint32_t f)
{
	return bf_conn_call(c, JIT_FUNC_TIER, (uint32_t)h, f, 0, 0, 0);
}

int jitc_func(const struct bf_conn *c, int h, const char *name)
{
	uint32_t a, b;
	jit_name_pack(name, &a, &b);
	return bf_conn_call(c, JIT_FUNC, (uint32_t)h, a, b, 0, 0);
}

int jitc_share(const struct bf_conn *c, int h, uint32_t known, uint32_t *va, uint32_t *pages)
{
	struct bf_msg m;
	int r = bf_conn_call(c, JIT_SHARE, (uint32_t)h, known, 0, 0, &m);
	*va = *pages = 0;
	if (r >= 0 && (m.label & MSG_SHARE_RO)) {
		*va = m.w[2];
		*pages = m.w[3];
	}
	return r;
}

int jitc_unload(const struct bf_conn *c, int h)
{
	return bf_conn_call(c, JIT_UNLOAD, (uint32_t)h, 0, 0, 0, 0);
}

int jitc_print(const struct bf_conn *c)
{
	return bf_conn_call(c, JIT_PRINT, 0, 0, 0, 0, 0);
}

int jitc_embedded(const struct bf_conn *c, uint32_t index, char name[9], uint32_t *size)
{
	struct bf_msg m;
	int r = bf_conn_call(c, JIT_EMBEDDED, index, 0, 0, 0, &m);
	if (r >= 0) {
		jit_name_unpack(m.w[1], m.w[2], name);
		if (size)
			*size = m.w[3];
	}
	return r;
}
