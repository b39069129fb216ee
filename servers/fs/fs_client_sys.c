/* The guest transport of the fs client library: a bf_call on the fs
 * server's endpoint capability. */
#include "lib/user/sys.h"
#include "servers/fs/fs_client.h"

static int sys_call(void *ctx, struct fs_msg *m)
{
	struct bf_msg b = {m->label, {m->w[0], m->w[1], m->w[2], m->w[3]}, 0};
	int r = bf_call((uint32_t)(uintptr_t)ctx, &b);
	if (r < 0)
		return r;
	m->label = b.label;
	for (int i = 0; i < 4; i++)
		m->w[i] = b.w[i];
	return 0;
}

struct fsc_transport fsc_sys_transport(uint32_t cap)
{
	struct fsc_transport t = {(void *)(uintptr_t)cap, 0, sys_call};
	return t;
}
