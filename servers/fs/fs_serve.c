/* Request handling of the fs server: sessions (one shared buffer per
 * client badge), per-client file handles, and the FAT16 operations.  Every
 * offset and length from a client is checked against its buffer; a client's
 * handles are only its own. */
#include <string.h>
#include "lib/fmt.h"
#include "servers/fs/fs_serve.h"

static uint8_t *ptr(struct fs_server *s, uint32_t addr) { return (uint8_t *)(s->env.base + addr); }
static uint32_t addr(struct fs_server *s, void *p) { return (uint32_t)((uintptr_t)p - s->env.base); }

void fs_server_init(struct fs_server *s, const struct fs_env *env)
{
	memset(s, 0, sizeof *s);
	s->env = *env;
	bf_snprintf(s->why, sizeof s->why, "no disk");
}

int fs_server_mount(struct fs_server *s, const struct blockdev *dev, const char *why)
{
	int r;
	s->mounted = false;
	if (!dev) {
		bf_snprintf(s->why, sizeof s->why, "%s", why ? why : "no disk");
		return FS_ENODISK;
	}
	r = fat_mount(&s->vol, dev, 0);
	if (r < 0) {
		bf_snprintf(s->why, sizeof s->why, "%s", fat_errmsg(&s->vol));
		return r;
	}
	s->mounted = true;
	return 0;
}

static struct fs_client *client_of(struct fs_server *s, uint32_t badge, bool create)
{
	struct fs_client *free_slot = NULL;
	for (int i = 0; i < FS_MAX_CLIENTS; i++) {
		if (s->clients[i].used && s->clients[i].badge == badge)
			return &s->clients[i];
		if (!s->clients[i].used && !free_slot)
			free_slot = &s->clients[i];
	}
	if (!create || !free_slot)
		return NULL;
	memset(free_slot, 0, sizeof *free_slot);
	free_slot->used = true;
	free_slot->badge = badge;
	return free_slot;
}

static void drop_client(struct fs_server *s, struct fs_client *c)
{
	int idx = (int)(c - s->clients) + 1;
	for (int i = 0; i < FAT_MAX_OPEN; i++)
		if (s->owner[i] == idx) {
			fat_close(&s->files[i]);
			s->owner[i] = 0;
		}
	if (c->buf && s->env.page_release)
		s->env.page_release(s->env.ctx, c->buf, c->size / FS_PAGE);
	memset(c, 0, sizeof *c);
}

/* A NUL-terminated path at offset off of the client's buffer. */
static const char *path_at(struct fs_client *c, uint32_t off)
{
	if (off >= c->size)
		return NULL;
	uint32_t max = c->size - off < FS_PATH_MAX ? c->size - off : FS_PATH_MAX;
	if (strnlen((const char *)c->buf + off, max) >= max)
		return NULL;
	return (const char *)c->buf + off;
}

static bool range_ok(struct fs_client *c, uint32_t off, uint32_t len)
{
	return off <= c->size && len <= c->size - off;
}

static struct fat_file *handle(struct fs_server *s, struct fs_client *c, uint32_t h)
{
	if (h >= FAT_MAX_OPEN || s->owner[h] != (int)(c - s->clients) + 1)
		return NULL;
	return &s->files[h];
}

static uint32_t store_dirent(uint8_t *out, uint32_t cap, const struct fat_stat *st)
{
	size_t nl = strlen(st->name) + 1;
	uint32_t need = (uint32_t)((sizeof(struct fs_dirent) + nl + 3) & ~(size_t)3);
	struct fs_dirent *d = (struct fs_dirent *)out;
	if (need > cap)
		return 0;
	memset(out, 0, need);
	d->reclen = need;
	d->size = st->size;
	d->wdate = st->wdate;
	d->wtime = st->wtime;
	d->attr = st->attr;
	memcpy(d->sfn, st->sfn, sizeof d->sfn);
	memcpy(d->name, st->name, nl);
	return need;
}

static int do_open(struct fs_server *s, struct fs_client *c, struct bf_msg *m)
{
	const char *p = path_at(c, m->w[0]);
	int slot = -1, mine = 0, idx = (int)(c - s->clients) + 1, r;
	if (!p)
		return FS_ERANGE;
	for (int i = 0; i < FAT_MAX_OPEN; i++) {
		if (s->owner[i] == idx)
			mine++;
		else if (!s->owner[i] && slot < 0)
			slot = i;
	}
	if (slot < 0 || mine >= FS_FILES_PER_CLIENT)
		return FAT_EMFILE;
	r = fat_open(&s->vol, &s->files[slot], p, m->w[1]);
	if (r < 0)
		return r;
	s->owner[slot] = idx;
	m->w[1] = fat_size(&s->files[slot]);
	return slot;
}

static int do_readdir(struct fs_server *s, struct fs_client *c, struct bf_msg *m)
{
	const char *p = path_at(c, m->w[0]);
	uint32_t cookie = m->w[1], off = m->w[2], len = m->w[3], n = 0, used = 0;
	struct fat_dir d;
	static struct fat_stat st;
	int r;
	if (!p || !range_ok(c, off, len))
		return FS_ERANGE;
	if ((r = fat_opendir(&s->vol, &d, p)) < 0)
		return r;
	for (uint32_t i = 0; i < cookie; i++)	/* skip what was returned before */
		if ((r = fat_readdir(&d, &st)) <= 0)
			break;
	m->w[2] = 0;
	for (;;) {
		r = fat_readdir(&d, &st);
		if (r < 0)
			return r;
		if (r == 0) {
			m->w[2] = 1;
			break;
		}
		uint32_t k = store_dirent(c->buf + off + used, len - used, &st);
		if (k == 0) {
			if (n == 0)
				return FS_ERANGE;	/* not even one entry fits */
			break;
		}
		used += k;
		n++;
	}
	m->w[1] = cookie + n;
	return (int)n;
}

static int do_read_grant(struct fs_server *s, struct fat_file *f, struct bf_msg *m)
{
	uint32_t len = m->w[1], pages;
	uint8_t *mem;
	int32_t got;
	if (len == 0 || len > FS_GRANT_MAX_PAGES * FS_PAGE)
		return FS_ERANGE;
	pages = (len + FS_PAGE - 1) / FS_PAGE;
	if (!s->env.page_alloc || !(mem = s->env.page_alloc(s->env.ctx, pages)))
		return FS_ENOMEM;
	got = fat_read(f, mem, len);
	if (got < 0) {
		if (s->env.page_release)
			s->env.page_release(s->env.ctx, mem, pages);
		return got;
	}
	memset(mem + got, 0, pages * FS_PAGE - (uint32_t)got);
	m->label |= MSG_GRANT;
	m->w[2] = addr(s, mem);
	m->w[3] = pages;
	return got;
}

static int dispatch(struct fs_server *s, struct bf_msg *m)
{
	uint32_t op = m->label & MSG_LABEL_MASK;
	struct fs_client *c;
	struct fat_file *f;
	const char *p, *q;

	if (op == FS_ATTACH) {
		if (!(m->label & MSG_SHARE_RW) || m->w[3] == 0 || m->w[3] > FS_MAX_BUF_PAGES)
			return FS_EBADOP;
		c = client_of(s, m->badge, true);
		if (!c)
			return FS_ENOMEM;
		if (c->buf && s->env.page_release)
			s->env.page_release(s->env.ctx, c->buf, c->size / FS_PAGE);
		c->buf = ptr(s, m->w[2]);
		c->size = m->w[3] * FS_PAGE;
		m->label &= MSG_LABEL_MASK;
		return (int)c->size;
	}
	if (m->label & MSG_PAGES_MASK) {	/* pages nobody asked for: give them back */
		if (s->env.page_release)
			s->env.page_release(s->env.ctx, ptr(s, m->w[2]), m->w[3]);
		return FS_EBADOP;
	}
	if (op == FS_CLIENT_GONE) {
		if (m->badge != 0)
			return FS_EPERM;
		if ((c = client_of(s, m->w[0], false)))
			drop_client(s, c);
		return 0;
	}
	if (!(c = client_of(s, m->badge, false)) || !c->buf)
		return FS_ENOSESSION;
	if (op == FS_ERRMSG) {
		if (!range_ok(c, m->w[0], m->w[1]) || m->w[1] == 0)
			return FS_ERANGE;
		return bf_snprintf((char *)c->buf + m->w[0], m->w[1], "%s", c->msg);
	}
	if (!s->mounted)
		return FS_ENODISK;
	switch (op) {
	case FS_OPEN:
		return do_open(s, c, m);
	case FS_READ:
	case FS_WRITE:
		if (!(f = handle(s, c, m->w[0])))
			return FAT_EBADF;
		if (!range_ok(c, m->w[1], m->w[2]))
			return FS_ERANGE;
		return op == FS_READ ? fat_read(f, c->buf + m->w[1], m->w[2])
				     : fat_write(f, c->buf + m->w[1], m->w[2]);
	case FS_READ_GRANT:
		if (!(f = handle(s, c, m->w[0])))
			return FAT_EBADF;
		return do_read_grant(s, f, m);
	case FS_SEEK:
		if (!(f = handle(s, c, m->w[0])))
			return FAT_EBADF;
		return fat_seek(f, m->w[1]);
	case FS_TRUNCATE:
		if (!(f = handle(s, c, m->w[0])))
			return FAT_EBADF;
		return fat_truncate(f, m->w[1]);
	case FS_CLOSE: {
		if (!(f = handle(s, c, m->w[0])))
			return FAT_EBADF;
		int r = fat_close(f);
		s->owner[m->w[0]] = 0;
		return r;
	}
	case FS_STAT: {
		static struct fat_stat st;
		int r;
		if (!(p = path_at(c, m->w[0])) || !range_ok(c, m->w[1], sizeof(struct fs_dirent) + FAT_NAME_BUF))
			return FS_ERANGE;
		if ((r = fat_stat(&s->vol, p, &st)) < 0)
			return r;
		store_dirent(c->buf + m->w[1], c->size - m->w[1], &st);
		m->w[1] = st.size;
		m->w[2] = st.attr;
		return 0;
	}
	case FS_READDIR:
		return do_readdir(s, c, m);
	case FS_MKDIR:
	case FS_UNLINK:
	case FS_RMDIR:
		if (!(p = path_at(c, m->w[0])))
			return FS_ERANGE;
		return op == FS_MKDIR ? fat_mkdir(&s->vol, p)
		     : op == FS_UNLINK ? fat_unlink(&s->vol, p) : fat_rmdir(&s->vol, p);
	case FS_RENAME:
		if (!(p = path_at(c, m->w[0])) || !(q = path_at(c, m->w[1])))
			return FS_ERANGE;
		return fat_rename(&s->vol, p, q);
	case FS_SYNC:
		return fat_sync(&s->vol);
	case FS_STATFS: {
		struct fat_statfs sf;
		int r = fat_statfs(&s->vol, &sf);
		if (r < 0)
			return r;
		m->w[1] = sf.cluster_bytes;
		m->w[2] = sf.total_clusters;
		m->w[3] = sf.free_clusters;
		return 0;
	}
	default:
		return FS_EBADOP;
	}
}

static const char *proto_msg(int r)
{
	switch (r) {
	case FS_ENOSESSION: return "no session: attach a buffer first";
	case FS_ERANGE: return "offset or length outside the shared buffer";
	case FS_EPERM: return "operation reserved to init";
	case FS_EBADOP: return "unknown operation";
	case FS_ENOMEM: return "server out of memory or client slots";
	default: return NULL;
	}
}

void fs_server_handle(struct fs_server *s, struct bf_msg *m)
{
	uint32_t op = m->label & MSG_LABEL_MASK;
	int r;
	s->requests++;
	m->label = op | (m->label & MSG_PAGES_MASK);
	r = dispatch(s, m);
	m->label &= ~(MSG_SHARE_RO | MSG_SHARE_RW);
	if (!(m->label & MSG_GRANT) || r < 0)
		m->label = op;
	m->w[0] = (uint32_t)r;
	if (r < 0) {
		struct fs_client *c = client_of(s, m->badge, false);
		if (c) {
			const char *pm = proto_msg(r);
			c->last_err = r;
			if (r == FS_ENODISK)
				bf_snprintf(c->msg, sizeof c->msg, "no file system: %s", s->why);
			else if (pm)
				bf_snprintf(c->msg, sizeof c->msg, "%s", pm);
			else
				bf_snprintf(c->msg, sizeof c->msg, "%s", s->vol.msg);
		}
	}
}
