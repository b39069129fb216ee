/* The guest transport of the fs client library: a bf_call on the fs
 * server's endpoint capability.  A failed call becomes FS_EDEAD / FS_EIPC:
 * the kernel's error numbers overlap enum fat_err's (E_DEAD and
 * FAT_EBADNAME are both -7), and a bad name must never read as a dead
 * server. */
#include "lib/user/sys.h"
#include "servers/fs/fs_client.h"

static int sys_call(void *ctx, struct fs_msg *m)
{
	struct bf_msg b = {m->label, {m->w[0], m->w[1], m->w[2], m->w[3]}, 0};
	int r = bf_call((uint32_t)(uintptr_t)ctx, &b);
	if (r < 0)
		return r == E_DEAD ? FS_EDEAD : FS_EIPC;
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
