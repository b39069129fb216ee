/* The jit server: an unprivileged ring-3 task.  It compiles modules for
 * the tasks init creates and hands the code to the kernel; it can install
 * code only into tasks it holds a COMPILE capability for, and never keeps a
 * writable view of code that runs.  Protocol: jit_proto.h. */
#include <string.h>
#include "lib/user/sys.h"
#include "servers/jit/server/jitsrv.h"
#include "servers/jit/server/jit_proto.h"
#include "servers/jit/server/rtsyms.h"

#define EP 0	/* our endpoint (receive right), given by init */

static int handle_new(struct bf_msg *m)
{
	if (!(m->label & MSG_CAP))
		return JIT_EINVAL;
	int task = (int)m->w[1];
	int h = jmod_new(task, (int32_t)m->w[0], m->w[2], m->w[3]);
	if (h < 0)
		bf_cap_delete((uint32_t)task);
	return h;
}

static int handle_load(struct bf_msg *m, uint32_t *eip, uint32_t *params)
{
	struct jmod *j = jmod_get(m->w[0]);
	int have_pages = (m->label & MSG_GRANT) != 0;
	uint32_t va = m->w[2], pages = m->w[3], len = m->w[1];
	int r;
	if (!j)
		r = JIT_EINVAL;
	else if (!have_pages || len > pages * PAGE_SIZE)
		r = JIT_EINVAL;
	else
		r = jmod_load(j, (const uint8_t *)va, len, eip, params);
	if (have_pages)
		bf_unmap(va, pages);	/* the file's pages are ours now: drop them */
	return r;
}

static int handle_load_embedded(struct bf_msg *m, uint32_t *eip, uint32_t *params)
{
	struct jmod *j = jmod_get(m->w[0]);
	if (!j || m->w[1] >= embedded_count)
		return j ? JIT_ENOENT : JIT_EINVAL;
	const struct embedded_module *e = &embedded_modules[m->w[1]];
	return jmod_load(j, e->data, e->size, eip, params);
}

static int handle_func(struct bf_msg *m)
{
	struct jmod *j = jmod_get(m->w[0]);
	if (!j || !j->loaded)
		return JIT_EINVAL;
	char want[9];
	jit_name_unpack(m->w[1], m->w[2], want);
	for (uint32_t i = 0; i < j->nfuncs; i++) {
		const char *n = j->m->funcs[i]->v.name;
		if (n && !strncmp(n, want, 8) && (strlen(want) < 8 ? !n[strlen(want)] : 1))
			return (int)i;
	}
	return JIT_ENOENT;
}

int main(void)
{
	struct bf_msg m;
	if (bf_map_anon(SCRATCH_VA, SCRATCH_SIZE / PAGE_SIZE, MAP_READ | MAP_WRITE)) {
		bf_printf("jit: no memory for the compiler's scratch arena\n");
		return 1;
	}
	int r = bf_recv(EP, &m);
	for (;;) {
		uint32_t op = m.label & MSG_LABEL_MASK, badge = m.badge;
		struct bf_msg out = { 0, { 0, 0, 0, 0 }, 0 };
		if (r < 0) {
			r = bf_recv(EP, &m);
			continue;
		}
		int from_init = badge == JIT_BADGE_INIT;
		int res;
		switch (op) {
		case JIT_NEW:
			res = from_init ? handle_new(&m) : JIT_EPERM;
			break;
		case JIT_THRESHOLDS: {
			struct jmod *j = jmod_get(m.w[0]);
			res = !from_init ? JIT_EPERM : !j || j->loaded ? JIT_EINVAL : 0;
			if (res == 0) {
				j->thresholds[0] = m.w[1];
				j->thresholds[1] = m.w[2];
				j->thresholds[2] = m.w[3];
			}
			break;
		}
		case JIT_LOAD:
		case JIT_LOAD_EMBEDDED: {
			uint32_t eip = 0, params = 0;
			if (!from_init) {
				res = JIT_EPERM;
				if (m.label & MSG_GRANT)
					bf_unmap(m.w[2], m.w[3]);
			} else {
				res = op == JIT_LOAD ? handle_load(&m, &eip, &params)
						     : handle_load_embedded(&m, &eip, &params);
			}
			out.w[1] = eip;
			out.w[2] = params;
			break;
		}
		case JIT_TIER: {
			struct jmod *j = jmod_get(m.w[0]);
			uint32_t cyc = 0, addr = 0, bytes = 0;
			res = j ? jmod_tier(j, m.w[1], (int)m.w[2], &cyc, &addr, &bytes) : JIT_EINVAL;
			out.w[1] = cyc;
			out.w[2] = addr;
			out.w[3] = bytes;
			break;
		}
		case JIT_SHARE: {
			struct jmod *j = jmod_get(m.w[0]);
			if (!j || !j->loaded) {
				res = JIT_EINVAL;
			} else {
				res = (int)j->serial;
				if (m.w[1] != j->serial) {
					out.label = MSG_SHARE_RO;
					out.w[2] = VIEW_VA(m.w[0]);
					out.w[3] = PARAMS_PAGES + j->data_pages;
				}
			}
			break;
		}
		case JIT_UNLOAD: {
			struct jmod *j = jmod_get(m.w[0]);
			res = !from_init ? JIT_EPERM : !j ? JIT_EINVAL : 0;
			if (res == 0)
				jmod_unload(j);
			break;
		}
		case JIT_PRINT:
			jmod_print();
			res = 0;
			break;
		case JIT_EMBEDDED:
			if (m.w[0] >= embedded_count) {
				res = JIT_ENOENT;
			} else {
				jit_name_pack(embedded_modules[m.w[0]].name, &out.w[1], &out.w[2]);
				out.w[3] = embedded_modules[m.w[0]].size;
				res = 0;
			}
			break;
		case JIT_FUNC:
			res = handle_func(&m);
			break;
		case JIT_FUNC_TIER: {
			struct jmod *j = jmod_get(m.w[0]);
			res = j && j->loaded && m.w[1] < j->nfuncs ? j->tier[m.w[1]] : JIT_EINVAL;
			break;
		}
		case JIT_TIER_ALL: {
			struct jmod *j = jmod_get(m.w[0]);
			res = !from_init ? JIT_EPERM : !j || !j->loaded ? JIT_EINVAL : 0;
			for (uint32_t f = 0; res >= 0 && j && f < j->nfuncs; f++) {
				uint32_t cyc, addr, bytes;
				if (j->m->funcs[f]->is_decl)
					continue;
				int e = jmod_tier(j, f, (int)m.w[1], &cyc, &addr, &bytes);
				res = e < 0 ? e : res + 1;
			}
			break;
		}
		default:
			if (m.label & MSG_PAGES_MASK)
				bf_unmap(m.w[2], m.w[3]);
			res = JIT_EINVAL;
		}
		out.w[0] = (uint32_t)res;
		r = bf_reply_recv(EP, &out);
		m = out;
	}
}
