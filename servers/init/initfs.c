/* See initfs.h.  The buffer shared with the fs server lives at a fixed
 * place in init's heap range; a restarted server knows no session, so init
 * attaches again (init.c calls initfs_reset when the fs server dies). */
#include <string.h>
#include "lib/fmt.h"
#include "servers/init/init.h"
#include "servers/init/initfs.h"
#include "servers/fs/fat.h"

/* init never waits for the fs server without a bound; a request on a
 * disk throttled to 8 I/O operations per second takes seconds, not this. */
#define FS_CALL_TIMEOUT_MS 60000

#define INITFS_BUF_VA    0x5F000000u
#define INITFS_BUF_PAGES 4u

static struct fsc session;
static int attached, mapped;

struct fsc *initfs(int *err)
{
	if (attached)
		return &session;
	struct child *fs = child_by_name("fs");
	if (!fs || fs->endpoint < 0) {
		*err = FS_ENODISK;
		return 0;
	}
	if (!mapped) {
		if ((*err = bf_map_anon(INITFS_BUF_VA, INITFS_BUF_PAGES, MAP_READ | MAP_WRITE)) < 0)
			return 0;
		mapped = 1;
	}
	struct bf_conn t = bf_conn_cap_timeout((uint32_t)fs->endpoint, FS_CALL_TIMEOUT_MS);
	int r = fsc_attach(&session, &t, (void *)INITFS_BUF_VA, INITFS_BUF_PAGES);
	if (r < 0) {
		*err = r;
		return 0;
	}
	attached = 1;
	return &session;
}

int initfs_sync(void)
{
	if (!child_by_name("fs"))
		return 0;	/* no fs server: nothing to sync */
	int r;
	struct fsc *c = initfs(&r);
	if (c)
		r = fsc_sync(c);
	return r == FS_ENODISK ? 0 : r;
}

void initfs_reset(void)
{
	attached = 0;
}

const char *initfs_strerror(int err)
{
	static char buf[160];
	const char *base;
	switch (err) {
	case FS_ENOSESSION: base = "no session with the fs server"; break;
	case FS_ERANGE: base = "request outside the shared buffer"; break;
	case FS_ENODISK: base = "no disk or no FAT16 volume"; break;
	case FS_EPERM: base = "not allowed"; break;
	case FS_EBADOP: base = "bad request"; break;
	case FS_ENOMEM: base = "fs server out of memory"; break;
	case FS_EDEAD: base = "the fs server died"; break;
	case FS_EIPC: base = "the fs server cannot be called"; break;
	case FS_ETIMEOUT: base = "the fs server did not answer in time"; break;
	default:
		base = err < 0 && err >= -FAT_NERR + 1 ? fat_strerror(err) : bf_strerror(err);
	}
	const char *detail = attached && err < 0 && err > -100 ? fsc_errmsg(&session) : 0;
	if (detail && *detail && strcmp(detail, base)) {
		bf_snprintf(buf, sizeof buf, "%s (%s)", base, detail);
		return buf;
	}
	return base;
}
