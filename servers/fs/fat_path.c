/* Path lookup ('/'-separated, "." and ".." inside paths) and the
 * name-level operations: stat, readdir, mkdir, rmdir, unlink, rename. */
#include "servers/fs/fat_int.h"

static struct fat_found scratch;	/* the core is single-threaded */

/* Directory cluster named by ".." inside dir (0 = root). */
static int dotdot(struct fat_vol *v, uint32_t dir, uint32_t *parent)
{
	struct dir_it it;
	int r;
	if (dir == 0) {
		*parent = 0;
		return FAT_OK;
	}
	dir_it_start(&it, dir);
	while ((r = dir_read(v, &it, &scratch)) == 1) {
		if (memcmp(scratch.ent, "..         ", 11) == 0) {
			*parent = de_first(scratch.ent);
			if (*parent != 0 && !fat_clus_ok(v, *parent))
				return fat_fail(v, FAT_ECORRUPT, "'..' points to cluster %u", (unsigned)*parent);
			return FAT_OK;
		}
		if (it.index > 2)
			break;
	}
	return r < 0 ? r : fat_fail(v, FAT_ECORRUPT, "directory at cluster %u has no '..'", (unsigned)dir);
}

/* Step from directory *dir into component [s, s+n). */
static int step(struct fat_vol *v, uint32_t *dir, const char *s, size_t n)
{
	struct fat_name name;
	int r;
	if (n == 1 && s[0] == '.')
		return FAT_OK;
	if (n == 2 && s[0] == '.' && s[1] == '.')
		return dotdot(v, *dir, dir);
	if (fat_name_parse(s, n, &name) < 0)
		return fat_fail(v, FAT_EBADNAME, "bad path component");
	if ((r = dir_find(v, *dir, &name, &scratch)) < 0)
		return r == FAT_ENOENT ? fat_fail(v, r, "no directory named in path") : r;
	if (!(scratch.ent[DE_ATTR] & FAT_ATTR_DIR))
		return fat_fail(v, FAT_ENOTDIR, "path component is a file");
	*dir = de_first(scratch.ent);
	if (!fat_clus_ok(v, *dir))
		return fat_fail(v, FAT_ECORRUPT, "directory starts at invalid cluster %u", (unsigned)*dir);
	return FAT_OK;
}

static size_t comp_len(const char *s)
{
	size_t n = 0;
	while (s[n] && s[n] != '/')
		n++;
	return n;
}

int path_parent(struct fat_vol *v, const char *path, uint32_t *dir, const char **last, size_t *lastlen)
{
	const char *p = path;
	int r;
	*dir = 0;
	*last = NULL;
	*lastlen = 0;
	if (!v->mounted)
		return FAT_EINVAL;
	if (!path || strnlen(path, 4096) >= 4096)
		return fat_fail(v, FAT_EBADNAME, "path missing or too long");
	for (;;) {
		size_t n;
		while (*p == '/')
			p++;
		if (!*p)
			return FAT_OK;
		n = comp_len(p);
		const char *q = p + n;
		while (*q == '/')
			q++;
		if (!*q) {
			*last = p;
			*lastlen = n;
			return FAT_OK;
		}
		if ((r = step(v, dir, p, n)) < 0)
			return r;
		p += n;
	}
}

static bool is_dots(const char *s, size_t n)
{
	return (n == 1 && s[0] == '.') || (n == 2 && s[0] == '.' && s[1] == '.');
}

int path_lookup(struct fat_vol *v, const char *path, struct fat_found *f, bool *is_root)
{
	uint32_t dir;
	const char *last;
	size_t n;
	struct fat_name name;
	int r;
	*is_root = false;
	if ((r = path_parent(v, path, &dir, &last, &n)) < 0)
		return r;
	if (!last) {
		*is_root = true;
		return FAT_OK;
	}
	if (is_dots(last, n))
		return fat_fail(v, FAT_EBADNAME, "'.' or '..' as the last component");
	if (fat_name_parse(last, n, &name) < 0)
		return fat_fail(v, FAT_EBADNAME, "invalid name");
	r = dir_find(v, dir, &name, f);
	if (r == FAT_ENOENT)
		return fat_fail(v, r, "no such file or directory");
	return r;
}

/* Whole path as a directory (every component, dots allowed). */
static int path_dir(struct fat_vol *v, const char *path, uint32_t *dir)
{
	const char *last;
	size_t n;
	int r = path_parent(v, path, dir, &last, &n);
	if (r < 0 || !last)
		return r;
	return step(v, dir, last, n);
}

int fat_stat(struct fat_vol *v, const char *path, struct fat_stat *st)
{
	static struct fat_found f;
	bool root;
	int r = path_lookup(v, path, &f, &root);
	if (r < 0)
		return r;
	memset(st, 0, sizeof *st);
	if (root) {
		st->name[0] = '/';
		st->sfn[0] = '/';
		st->attr = FAT_ATTR_DIR;
		st->is_dir = true;
		return FAT_OK;
	}
	fat_fill_stat(&f, st);
	return FAT_OK;
}

int fat_opendir(struct fat_vol *v, struct fat_dir *d, const char *path)
{
	uint32_t dir;
	int r = path_dir(v, path, &dir);
	if (r < 0)
		return r;
	struct dir_it it;
	dir_it_start(&it, dir);
	d->vol = v;
	d->first = dir;
	d->clus = dir;
	d->index = 0;
	d->mark = it.mark;
	d->pow = it.pow;
	d->len = it.len;
	d->end = false;
	return FAT_OK;
}

int fat_readdir(struct fat_dir *d, struct fat_stat *st)
{
	static struct fat_found f;
	struct dir_it it = {d->first, d->clus, d->index, d->mark, d->pow, d->len};
	int r;
	if (!d->vol || !d->vol->mounted)
		return FAT_EBADF;
	if (d->end)
		return 0;
	while ((r = dir_read(d->vol, &it, &f)) == 1) {
		if ((f.ent[DE_ATTR] & FAT_ATTR_VOLID) || f.ent[0] == '.')
			continue;
		break;
	}
	d->clus = it.clus;
	d->index = it.index;
	d->mark = it.mark;
	d->pow = it.pow;
	d->len = it.len;
	if (r <= 0) {
		d->end = true;
		return r;
	}
	fat_fill_stat(&f, st);
	return 1;
}

/* Parent directory and parsed last name of a path that must name an entry. */
static int parent_and_name(struct fat_vol *v, const char *path, uint32_t *dir, struct fat_name *name)
{
	const char *last;
	size_t n;
	int r = path_parent(v, path, dir, &last, &n);
	if (r < 0)
		return r;
	if (!last)
		return fat_fail(v, FAT_EINVAL, "operation on the root directory");
	if (is_dots(last, n) || fat_name_parse(last, n, name) < 0)
		return fat_fail(v, FAT_EBADNAME, "invalid name");
	return FAT_OK;
}

int fat_unlink(struct fat_vol *v, const char *path)
{
	static struct fat_found f;
	bool root;
	int r;
	if ((r = path_lookup(v, path, &f, &root)) < 0)
		return r;
	if (root || (f.ent[DE_ATTR] & FAT_ATTR_DIR))
		return fat_fail(v, FAT_EISDIR, "unlink of a directory (use rmdir)");
	if (!fat_writable(v))
		return FAT_EROFS;
	if (f.ent[DE_ATTR] & FAT_ATTR_RDONLY)
		return fat_fail(v, FAT_EACCES, "file has the read-only attribute");
	if (fat_loc_is_open(v, &f.loc))
		return fat_fail(v, FAT_EBUSY, "file is open");
	if ((r = dir_remove(v, &f.loc)) < 0)
		return r;
	/* name gone first, then the clusters: a crash in between leaves a
	 * lost chain (fsck reclaims it), never a name over free clusters */
	if ((r = fat_free_chain(v, de_first(f.ent))) < 0)
		return r;
	return fat_flush(v);
}

int fat_mkdir(struct fat_vol *v, const char *path)
{
	static struct fat_name name;
	static uint8_t sec[FAT_SECTOR];
	uint8_t proto[DIRENT_SIZE];
	uint32_t dir, c;
	struct fat_loc loc;
	int r;
	if ((r = parent_and_name(v, path, &dir, &name)) < 0)
		return r;
	r = dir_find(v, dir, &name, &scratch);
	if (r == FAT_OK)
		return fat_fail(v, FAT_EEXIST, "name already exists");
	if (r != FAT_ENOENT)
		return r;
	if (!fat_writable(v))
		return FAT_EROFS;
	if ((r = fat_alloc(v, 0, &c)) < 0)
		return r;
	/* the new directory's cluster is complete on disk before anything names it */
	memset(sec, 0, sizeof sec);
	dir_make_entry(v, sec, FAT_ATTR_DIR, c, 0);
	sec[0] = '.';
	dir_make_entry(v, sec + DIRENT_SIZE, FAT_ATTR_DIR, dir, 0);
	sec[DIRENT_SIZE] = '.';
	sec[DIRENT_SIZE + 1] = '.';
	if ((r = fat_zero_cluster(v, c)) < 0 || (r = fat_dev_write(v, fat_clus_lba(v, c), 1, sec)) < 0 ||
	    (r = fat_flush(v)) < 0)	/* ... and allocated in the FAT on disk */
		goto undo;
	dir_make_entry(v, proto, FAT_ATTR_DIR, c, 0);
	if ((r = dir_add(v, dir, &name, proto, &loc)) < 0)
		goto undo;
	return FAT_OK;
undo:
	fat_set(v, c, 0);
	return r;
}

int fat_rmdir(struct fat_vol *v, const char *path)
{
	static struct fat_found f;
	bool root;
	uint32_t c;
	int r;
	if ((r = path_lookup(v, path, &f, &root)) < 0)
		return r;
	if (root)
		return fat_fail(v, FAT_EBUSY, "cannot remove the root directory");
	if (!(f.ent[DE_ATTR] & FAT_ATTR_DIR))
		return fat_fail(v, FAT_ENOTDIR, "rmdir of a file");
	if (!fat_writable(v))
		return FAT_EROFS;
	c = de_first(f.ent);
	if (!fat_clus_ok(v, c))
		return fat_fail(v, FAT_ECORRUPT, "directory starts at invalid cluster %u", (unsigned)c);
	if ((r = dir_is_empty(v, c)) < 0)
		return r;
	if (r == 0)
		return fat_fail(v, FAT_ENOTEMPTY, "directory not empty");
	if ((r = dir_remove(v, &f.loc)) < 0)
		return r;
	if ((r = fat_free_chain(v, c)) < 0)
		return r;
	return fat_flush(v);
}

/* Is directory `inner` the directory `outer` or below it? */
static int dir_within(struct fat_vol *v, uint32_t inner, uint32_t outer)
{
	uint32_t d = inner;
	int r;
	for (uint32_t n = 0; n <= v->nclus && d != 0; n++) {
		if (d == outer)
			return 1;
		if ((r = dotdot(v, d, &d)) < 0)
			return r;
	}
	return d == 0 ? 0 : fat_fail(v, FAT_ECORRUPT, "'..' chain loops");
}

/* A new name for the same entry that fits 8.3 ("hello.txt" -> "HELLO.TXT"):
 * rewrite the short entry in place (one sector: atomic), then drop its long
 * name entries, whose checksum no longer matches anyway. */
static int rename_in_place(struct fat_vol *v, const struct fat_found *old, const struct fat_name *n)
{
	struct fat_loc lfn = old->loc;
	int r;
	if ((r = fat_win_load(v, old->loc.lba)) < 0)
		return r;
	memcpy(v->win + old->loc.off, n->sfn, 11);
	v->win[old->loc.off + DE_NTRES] = n->ntres;
	if ((r = fat_win_store(v)) < 0)
		return r;
	if (lfn.first_idx == lfn.sfn_idx)
		return FAT_OK;
	/* dir_remove on a copy whose short entry is already rewritten:
	 * mark it free only in the LFN range */
	return dir_remove_lfn(v, &lfn);
}

int fat_rename(struct fat_vol *v, const char *from, const char *to)
{
	static struct fat_found old;
	static struct fat_name name;
	uint8_t proto[DIRENT_SIZE];
	uint32_t ndir, c;
	struct fat_loc nloc;
	bool root, isdir, same;
	int r;

	if ((r = path_lookup(v, from, &old, &root)) < 0)
		return r;
	if (root)
		return fat_fail(v, FAT_EINVAL, "cannot rename the root directory");
	if ((r = parent_and_name(v, to, &ndir, &name)) < 0)
		return r;
	if (!fat_writable(v))
		return FAT_EROFS;
	r = dir_find(v, ndir, &name, &scratch);
	if (r == FAT_OK && !(scratch.loc.lba == old.loc.lba && scratch.loc.off == old.loc.off))
		return fat_fail(v, FAT_EEXIST, "target name exists");
	if (r < 0 && r != FAT_ENOENT)
		return r;
	same = r == FAT_OK;	/* the target names the entry itself (a case change) */
	isdir = (old.ent[DE_ATTR] & FAT_ATTR_DIR) != 0;
	c = de_first(old.ent);
	if (isdir && ndir != old.loc.dir) {
		if (!fat_clus_ok(v, c))
			return fat_fail(v, FAT_ECORRUPT, "directory starts at invalid cluster %u", (unsigned)c);
		if ((r = dir_within(v, ndir, c)) < 0)
			return r;
		if (r == 1)
			return fat_fail(v, FAT_EINVAL, "cannot move a directory into itself");
	}
	if (same && name.fits83)
		return rename_in_place(v, &old, &name);
	/* new entry first, then "..", then the old entry goes: a crash in
	 * between leaves two names for one chain, which fsck resolves */
	memcpy(proto, old.ent, DIRENT_SIZE);
	if ((r = dir_add(v, ndir, &name, proto, &nloc)) < 0)
		return r;
	if (isdir && ndir != old.loc.dir) {
		struct dir_it it;
		uint8_t *e;
		dir_it_start(&it, c);
		for (int k = 0; k < 2; k++) {
			if ((r = dir_it_get(v, &it, &e, NULL)) < 0)
				return r;
			if (r == 1 && memcmp(e, "..         ", 11) == 0) {
				wr16(e + DE_CLUS_LO, (uint16_t)ndir);
				if ((r = fat_win_store(v)) < 0)
					return r;
				break;
			}
			if ((r = dir_it_next(v, &it)) <= 0)
				break;
		}
	}
	if ((r = dir_remove(v, &old.loc)) < 0)
		return r;
	for (int i = 0; i < FAT_MAX_OPEN; i++)
		if (v->open[i] && v->open[i]->loc.lba == old.loc.lba && v->open[i]->loc.off == old.loc.off)
			v->open[i]->loc = nloc;
	return FAT_OK;
}
