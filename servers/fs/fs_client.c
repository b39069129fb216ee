/* See fs_client.h. */
#include <string.h>
#include "servers/fs/fs_client.h"
#include "servers/fs/fat.h"

/* < 0: the server's error, or FS_EDEAD / FS_EIPC when the IPC itself
 * failed: the kernel's error numbers overlap enum fat_err's (E_DEAD and
 * FAT_EBADNAME are both -7), and a bad name must never read as a dead
 * server. */
static int call(struct fsc *c, uint32_t label, uint32_t a, uint32_t b, uint32_t d, uint32_t e, struct bf_msg *out)
{
	struct bf_msg m;
	int r = bf_conn_send(&c->t, label, a, b, d, e, &m);
	if (r < 0)
		return r == E_DEAD ? FS_EDEAD : r == E_TIMEOUT ? FS_ETIMEOUT : FS_EIPC;
	if (out)
		*out = m;
	return (int32_t)m.w[0];
}

static uint32_t addr(struct fsc *c, const void *p) { return bf_conn_addr(&c->t, p); }

static int put_path(struct fsc *c, uint32_t off, const char *path)
{
	size_t n = strlen(path);
	if (n >= FSC_PATH2)
		return FAT_EBADNAME;
	memcpy(c->buf + off, path, n + 1);
	return 0;
}

int fsc_attach(struct fsc *c, const struct bf_conn *t, void *buf, uint32_t pages)
{
	c->t = *t;
	c->buf = buf;
	c->size = pages * FS_PAGE;
	if (pages == 0 || pages > FS_MAX_BUF_PAGES || c->size <= FSC_DATA)
		return FAT_EINVAL;
	return call(c, FS_ATTACH | MSG_SHARE_RW, 0, 0, addr(c, buf), pages, NULL);
}

int fsc_open(struct fsc *c, const char *path, unsigned flags, uint32_t *size)
{
	struct bf_msg m;
	int r = put_path(c, 0, path);
	if (r < 0)
		return r;
	r = call(c, FS_OPEN, 0, flags, 0, 0, &m);
	if (r >= 0 && size)
		*size = m.w[1];
	return r;
}

int32_t fsc_read(struct fsc *c, int h, void *dst, uint32_t n)
{
	uint32_t done = 0, room = c->size - FSC_DATA;
	while (done < n) {
		uint32_t k = n - done < room ? n - done : room;
		int r = call(c, FS_READ, (uint32_t)h, FSC_DATA, k, 0, NULL);
		if (r < 0)
			return done ? (int32_t)done : r;
		memcpy((uint8_t *)dst + done, c->buf + FSC_DATA, (size_t)r);
		done += (uint32_t)r;
		if ((uint32_t)r < k)
			break;
	}
	return (int32_t)done;
}

int32_t fsc_write(struct fsc *c, int h, const void *src, uint32_t n)
{
	uint32_t done = 0, room = c->size - FSC_DATA;
	while (done < n) {
		uint32_t k = n - done < room ? n - done : room;
		memcpy(c->buf + FSC_DATA, (const uint8_t *)src + done, k);
		int r = call(c, FS_WRITE, (uint32_t)h, FSC_DATA, k, 0, NULL);
		if (r < 0)
			return done ? (int32_t)done : r;
		done += (uint32_t)r;
		if ((uint32_t)r < k)
			break;
	}
	return (int32_t)done;
}

int fsc_seek(struct fsc *c, int h, uint32_t pos) { return call(c, FS_SEEK, (uint32_t)h, pos, 0, 0, NULL); }
int fsc_truncate(struct fsc *c, int h, uint32_t size) { return call(c, FS_TRUNCATE, (uint32_t)h, size, 0, 0, NULL); }
int fsc_close(struct fsc *c, int h) { return call(c, FS_CLOSE, (uint32_t)h, 0, 0, 0, NULL); }
int fsc_sync(struct fsc *c) { return call(c, FS_SYNC, 0, 0, 0, 0, NULL); }

int fsc_stat(struct fsc *c, const char *path, struct fs_dirent *out, size_t cap)
{
	int r = put_path(c, 0, path);
	if (r < 0)
		return r;
	r = call(c, FS_STAT, 0, FSC_DATA, 0, 0, NULL);
	if (r < 0)
		return r;
	struct fs_dirent *e = (struct fs_dirent *)(c->buf + FSC_DATA);
	if (e->reclen > cap || e->reclen < sizeof *e)
		return FS_ERANGE;
	memcpy(out, e, e->reclen);
	return 0;
}

int fsc_listdir(struct fsc *c, const char *path, void (*fn)(void *arg, const struct fs_dirent *e), void *arg)
{
	struct bf_msg m;
	uint32_t cookie = 0;
	int total = 0, r = put_path(c, 0, path);
	if (r < 0)
		return r;
	for (;;) {
		r = call(c, FS_READDIR, 0, cookie, FSC_DATA, c->size - FSC_DATA, &m);
		if (r < 0)
			return r;
		uint32_t off = FSC_DATA;
		for (int i = 0; i < r; i++) {
			const struct fs_dirent *e = (const struct fs_dirent *)(c->buf + off);
			if (e->reclen < sizeof *e || e->reclen > c->size - off)
				return FS_ERANGE;
			fn(arg, e);
			off += e->reclen;
		}
		total += r;
		cookie = m.w[1];
		if (m.w[2])
			return total;
	}
}

static int path_op(struct fsc *c, uint32_t op, const char *path)
{
	int r = put_path(c, 0, path);
	return r < 0 ? r : call(c, op, 0, 0, 0, 0, NULL);
}

int fsc_mkdir(struct fsc *c, const char *path) { return path_op(c, FS_MKDIR, path); }
int fsc_unlink(struct fsc *c, const char *path) { return path_op(c, FS_UNLINK, path); }
int fsc_rmdir(struct fsc *c, const char *path) { return path_op(c, FS_RMDIR, path); }

int fsc_rename(struct fsc *c, const char *from, const char *to)
{
	int r;
	if ((r = put_path(c, 0, from)) < 0 || (r = put_path(c, FSC_PATH2, to)) < 0)
		return r;
	return call(c, FS_RENAME, 0, FSC_PATH2, 0, 0, NULL);
}

int fsc_statfs(struct fsc *c, struct fsc_statfs *st)
{
	struct bf_msg m;
	int r = call(c, FS_STATFS, 0, 0, 0, 0, &m);
	if (r >= 0) {
		st->cluster_bytes = m.w[1];
		st->clusters = m.w[2];
		st->free_clusters = m.w[3];
	}
	return r;
}

int32_t fsc_read_grant(struct fsc *c, int h, uint32_t n, uint32_t *va, uint32_t *pages)
{
	struct bf_msg m;
	int r = call(c, FS_READ_GRANT, (uint32_t)h, n, 0, 0, &m);
	if (r >= 0) {
		*va = m.w[2];
		*pages = m.w[3];
	}
	return r;
}

const char *fsc_errmsg(struct fsc *c)
{
	const uint32_t off = FSC_PATH2, len = FSC_DATA - FSC_PATH2;
	if (call(c, FS_ERRMSG, off, len, 0, 0, NULL) < 0)
		return "(no message: fs server unreachable)";
	return (const char *)c->buf + off;
}
