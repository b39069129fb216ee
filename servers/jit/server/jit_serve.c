/* See jit_serve.h.  Who may ask what (docs/jit-protocol.md): only init
 * (badge JIT_BADGE_INIT) creates, configures, loads, unloads and
 * recompiles everything; JIT_TIER and the queries are open to the
 * profiler too.  Every handle, index and length is checked here or by
 * module.c before it is used; an unknown operation, a bad handle or a
 * malformed request is JIT_EINVAL, never a fault, and the pages or the
 * capability a refused request brought are dropped. */
#include "servers/jit/server/jit_serve.h"
#include "servers/jit/server/jit_proto.h"
#include "servers/jit/server/jmod.h"

/* JIT_NEW: the module task's capability came with the message (MSG_CAP,
 * w1 = its slot here). */
static int do_new(const struct bf_msg *m)
{
	return jmod_new((int)m->w[1], (int32_t)m->w[0], m->w[2], m->w[3]);
}

/* JIT_LOAD: the file's pages were granted (w2, w3), w1 bytes long. */
static int do_load(const struct jit_env *e, struct jmod *j, const struct bf_msg *m, struct bf_msg *out)
{
	uint32_t va = m->w[2], pages = m->w[3], len = m->w[1];
	if (!(m->label & MSG_GRANT) || len > pages * PAGE_SIZE)
		return JIT_EINVAL;
	return jmod_load(j, (const uint8_t *)(e->base + va), len, &out->w[1], &out->w[2]);
}

static int do_load_embedded(const struct jit_env *e, struct jmod *j, const struct bf_msg *m,
			    struct bf_msg *out)
{
	if (m->w[1] >= e->nembedded)
		return JIT_ENOENT;
	const struct embedded_module *em = &e->embedded[m->w[1]];
	return jmod_load(j, em->data, em->size, &out->w[1], &out->w[2]);
}

static int do_share(struct jmod *j, const struct bf_msg *m, struct bf_msg *out)
{
	int serial = jmod_share(j, m->w[1], &out->w[2], &out->w[3]);
	if (serial >= 0 && out->w[3])
		out->label = MSG_SHARE_RO;
	return serial;
}

static int do_embedded(const struct jit_env *e, const struct bf_msg *m, struct bf_msg *out)
{
	if (m->w[0] >= e->nembedded)
		return JIT_ENOENT;
	jit_name_pack(e->embedded[m->w[0]].name, &out->w[1], &out->w[2]);
	out->w[3] = e->embedded[m->w[0]].size;
	return 0;
}

static int do_func(struct jmod *j, const struct bf_msg *m)
{
	char name[9];
	jit_name_unpack(m->w[1], m->w[2], name);
	return jmod_func(j, name);
}

/* Operations init alone may ask for. */
static int init_only(uint32_t op)
{
	return op == JIT_NEW || op == JIT_THRESHOLDS || op == JIT_LOAD || op == JIT_LOAD_EMBEDDED ||
	       op == JIT_UNLOAD || op == JIT_TIER_ALL;
}

/* Operations that name a module slot in w0. */
static int on_slot(uint32_t op)
{
	return op != JIT_NEW && op != JIT_PRINT && op != JIT_EMBEDDED;
}

static int request(const struct jit_env *e, const struct bf_msg *m, struct bf_msg *out)
{
	uint32_t op = m->label & MSG_LABEL_MASK;
	struct jmod *j = jmod_get(m->w[0]);
	if (op < JIT_NEW || op >= JIT_OP_END)
		return JIT_EINVAL;
	if (init_only(op) && m->badge != JIT_BADGE_INIT)
		return JIT_EPERM;
	if (on_slot(op) && !j)
		return JIT_EINVAL;
	switch (op) {
	case JIT_NEW:
		return m->label & MSG_CAP ? do_new(m) : JIT_EINVAL;
	case JIT_THRESHOLDS:
		return jmod_thresholds(j, m->w[1], m->w[2], m->w[3]);
	case JIT_LOAD:
		return do_load(e, j, m, out);
	case JIT_LOAD_EMBEDDED:
		return do_load_embedded(e, j, m, out);
	case JIT_TIER:
		return jmod_tier(j, m->w[1], (int)m->w[2], &out->w[1], &out->w[2], &out->w[3]);
	case JIT_TIER_ALL:
		return jmod_tier_all(j, (int)m->w[1]);
	case JIT_FUNC_TIER:
		return jmod_func_tier(j, m->w[1]);
	case JIT_FUNC:
		return do_func(j, m);
	case JIT_SHARE:
		return do_share(j, m, out);
	case JIT_UNLOAD:
		jmod_unload(j);
		return 0;
	case JIT_PRINT:
		jmod_print();
		return 0;
	default:	/* JIT_EMBEDDED */
		return do_embedded(e, m, out);
	}
}

void jit_serve(const struct jit_env *e, struct bf_msg *m)
{
	struct bf_msg out = { 0, { 0, 0, 0, 0 }, 0 };
	uint32_t op = m->label & MSG_LABEL_MASK;
	int r = request(e, m, &out);
	/* granted pages are the request's to consume: a load is done with
	 * them (its file was read into the module's arena), anything else
	 * never wanted them */
	if (m->label & MSG_PAGES_MASK)
		e->unmap(e->ctx, m->w[2], m->w[3]);
	/* the capability of a JIT_NEW stays with the slot it made */
	if ((m->label & MSG_CAP) && !(op == JIT_NEW && r >= 0))
		e->cap_delete(e->ctx, m->w[1]);
	out.w[0] = (uint32_t)r;
	*m = out;
}
