/* init's fs client.  Paths and small data go through a buffer init shares
 * read-write with the fs server once (and again after the server was
 * restarted: the new instance has no session); file contents for loading
 * modules come back as granted pages. */
#include <string.h>
#include "lib/fmt.h"
#include "servers/init/init.h"
#include "servers/init/fsclient.h"
#include "servers/fs/fat.h"

static int attached;
static char errbuf[160];

static int fs_ep(void)
{
	struct child *c = child_by_name("fs");
	return c ? c->endpoint : -1;
}

static int attach(void)
{
	int ep = fs_ep();
	if (ep < 0)
		return FS_ENODISK;
	static int mapped;
	if (!mapped) {
		if (bf_map_anon(FSC_BUF_VA, FSC_BUF_PAGES, MAP_READ | MAP_WRITE))
			return FS_ENOMEM;
		mapped = 1;
	}
	struct bf_msg m = { FS_ATTACH | MSG_SHARE_RW, { 0, 0, FSC_BUF_VA, FSC_BUF_PAGES }, 0 };
	int r = bf_call((uint32_t)ep, &m);
	if (r < 0)
		return r;
	if ((int32_t)m.w[0] < 0)
		return (int32_t)m.w[0];
	attached = 1;
	return 0;
}

/* One request; re-attaches once if the server lost our session. */
static int call(uint32_t op, uint32_t a, uint32_t b, uint32_t c, uint32_t d, struct bf_msg *out)
{
	for (int attempt = 0; attempt < 2; attempt++) {
		if (!attached) {
			int r = attach();
			if (r < 0)
				return r;
		}
		struct bf_msg m = { op, { a, b, c, d }, 0 };
		int ep = fs_ep();
		int r = ep < 0 ? FS_ENODISK : bf_call((uint32_t)ep, &m);
		if (r == E_DEAD || r == E_BADCAP) {
			attached = 0;
			continue;
		}
		if (r < 0)
			return r;
		if ((int32_t)m.w[0] == FS_ENOSESSION) {
			attached = 0;
			continue;
		}
		if (out)
			*out = m;
		return (int32_t)m.w[0];
	}
	return FS_ENOSESSION;
}

static uint32_t put_path(uint32_t off, const char *path)
{
	size_t n = strnlen(path, FS_PATH_MAX - 1);
	memcpy((char *)FSC_BUF_VA + off, path, n);
	((char *)FSC_BUF_VA)[off + n] = 0;
	return off;
}

int fsc_open(const char *path, uint32_t flags, uint32_t *size)
{
	struct bf_msg m;
	if (!attached && attach() < 0)
		return FS_ENODISK;
	int r = call(FS_OPEN, put_path(0, path), flags, 0, 0, &m);
	if (r >= 0 && size)
		*size = m.w[1];
	return r;
}

int fsc_read_grant(int h, uint32_t len, uint32_t *va, uint32_t *pages)
{
	struct bf_msg m;
	int r = call(FS_READ_GRANT, (uint32_t)h, len, 0, 0, &m);
	if (r >= 0 && (m.label & MSG_GRANT)) {
		*va = m.w[2];
		*pages = m.w[3];
	} else if (r >= 0) {
		*va = 0;
		*pages = 0;
	}
	return r;
}

int fsc_read(int h, char *out, uint32_t len)
{
	uint32_t max = FSC_BUF_PAGES * PAGE_SIZE;
	if (len > max)
		len = max;
	int r = call(FS_READ, (uint32_t)h, 0, len, 0, 0);
	if (r > 0)
		memcpy(out, (char *)FSC_BUF_VA, (uint32_t)r);
	return r;
}

int fsc_write(int h, const char *data, uint32_t len)
{
	uint32_t max = FSC_BUF_PAGES * PAGE_SIZE;
	if (len > max)
		len = max;
	memcpy((char *)FSC_BUF_VA, data, len);
	return call(FS_WRITE, (uint32_t)h, 0, len, 0, 0);
}

int fsc_close(int h) { return call(FS_CLOSE, (uint32_t)h, 0, 0, 0, 0); }

int fsc_path_op(uint32_t op, const char *path)
{
	if (!attached && attach() < 0)
		return FS_ENODISK;
	return call(op, put_path(0, path), 0, 0, 0, 0);
}

int fsc_readdir(const char *path, uint32_t *cookie, int *done,
		void (*each)(const struct fs_dirent *d, void *ctx), void *ctx)
{
	struct bf_msg m;
	if (!attached && attach() < 0)
		return FS_ENODISK;
	uint32_t out = 1024, outlen = FSC_BUF_PAGES * PAGE_SIZE - 1024;
	int r = call(FS_READDIR, put_path(0, path), *cookie, out, outlen, &m);
	if (r < 0)
		return r;
	const uint8_t *p = (const uint8_t *)FSC_BUF_VA + out;
	for (int i = 0; i < r; i++) {
		const struct fs_dirent *d = (const struct fs_dirent *)p;
		if (d->reclen < sizeof *d || d->reclen > outlen)
			break;
		each(d, ctx);
		p += d->reclen;
	}
	*cookie = m.w[1];
	*done = m.w[2] == 1;
	return r;
}

int fsc_statfs(uint32_t *cluster_bytes, uint32_t *total, uint32_t *free)
{
	struct bf_msg m;
	int r = call(FS_STATFS, 0, 0, 0, 0, &m);
	if (r >= 0) {
		*cluster_bytes = m.w[1];
		*total = m.w[2];
		*free = m.w[3];
	}
	return r;
}

const char *fsc_strerror(int err)
{
	const char *base;
	switch (err) {
	case FS_ENOSESSION: base = "no session with the fs server"; break;
	case FS_ERANGE: base = "request outside the shared buffer"; break;
	case FS_ENODISK: base = "no disk or no FAT16 volume"; break;
	case FS_EPERM: base = "not allowed"; break;
	case FS_EBADOP: base = "bad request"; break;
	case FS_ENOMEM: base = "fs server out of memory"; break;
	case E_DEAD: base = "the fs server died"; break;
	default: base = err <= -100 || err > -1 || err < -FAT_NERR ? bf_strerror(err) : fat_strerror(err);
	}
	/* the server's detailed message, if it has one */
	struct bf_msg m;
	if (attached && err > -100 && err < 0 &&
	    call(FS_ERRMSG, 2048, 512, 0, 0, &m) >= 0 && ((char *)FSC_BUF_VA)[2048]) {
		bf_snprintf(errbuf, sizeof errbuf, "%s (%s)", base, (char *)FSC_BUF_VA + 2048);
		return errbuf;
	}
	return base;
}
