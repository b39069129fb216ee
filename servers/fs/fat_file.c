/* Open files: open/create, read, write, seek, truncate, fsync, close.
 * Data moves straight between the caller's buffer and the device in whole
 * sectors (runs of contiguous clusters on reads); partial sectors go through
 * the volume's window.  A file's directory entry is rewritten only at
 * fsync/close/sync and only after the FAT sectors it depends on (see
 * docs/fat16.md, "Write ordering"). */
#include "servers/fs/fat_int.h"

static bool same_loc(const struct fat_loc *a, const struct fat_loc *b)
{
	return a->lba == b->lba && a->off == b->off;
}

bool fat_loc_is_open(struct fat_vol *v, const struct fat_loc *loc)
{
	for (int i = 0; i < FAT_MAX_OPEN; i++)
		if (v->open[i] && same_loc(&v->open[i]->loc, loc))
			return true;
	return false;
}

static int check_handle(struct fat_file *f, unsigned need)
{
	if (!f || !f->open || !f->vol || !f->vol->mounted)
		return FAT_EBADF;
	if ((f->mode & need) != need)
		return fat_fail(f->vol, FAT_EBADF, "file not open for %s",
				need & FAT_O_WRITE ? "writing" : "reading");
	return FAT_OK;
}

int fat_open(struct fat_vol *v, struct fat_file *f, const char *path, unsigned flags)
{
	static struct fat_found fd;
	static struct fat_name name;
	bool wr = (flags & FAT_O_WRITE) != 0;
	uint32_t dir, len;
	const char *last;
	size_t n;
	int r, slot = -1;

	memset(f, 0, sizeof *f);
	if (!(flags & FAT_O_RDWR) || ((flags & (FAT_O_TRUNC | FAT_O_APPEND)) && !wr))
		return fat_fail(v, FAT_EINVAL, "bad open flags 0x%x", flags);
	if ((r = path_parent(v, path, &dir, &last, &n)) < 0)
		return r;
	if (!last)
		return fat_fail(v, FAT_EISDIR, "open of the root directory");
	if ((n == 1 && last[0] == '.') || (n == 2 && last[0] == '.' && last[1] == '.'))
		return fat_fail(v, FAT_EISDIR, "open of a directory");
	if (fat_name_parse(last, n, &name) < 0)
		return fat_fail(v, FAT_EBADNAME, "invalid file name");
	for (int i = 0; i < FAT_MAX_OPEN && slot < 0; i++)
		if (!v->open[i])
			slot = i;
	if (slot < 0)
		return fat_fail(v, FAT_EMFILE, "%d files already open", FAT_MAX_OPEN);
	r = dir_find(v, dir, &name, &fd);
	if (r == FAT_OK) {
		if ((flags & FAT_O_CREAT) && (flags & FAT_O_EXCL))
			return fat_fail(v, FAT_EEXIST, "file exists");
		if (fd.ent[DE_ATTR] & FAT_ATTR_DIR)
			return fat_fail(v, FAT_EISDIR, "is a directory");
		if (wr && !fat_writable(v))
			return FAT_EROFS;
		if (wr && (fd.ent[DE_ATTR] & FAT_ATTR_RDONLY))
			return fat_fail(v, FAT_EACCES, "file has the read-only attribute");
		for (int i = 0; i < FAT_MAX_OPEN; i++)
			if (v->open[i] && same_loc(&v->open[i]->loc, &fd.loc) &&
			    (wr || (v->open[i]->mode & FAT_O_WRITE)))
				return fat_fail(v, FAT_EBUSY, "file is open for writing elsewhere");
		f->first = de_first(fd.ent);
		f->size = rd32(fd.ent + DE_SIZE);
		if (f->first == 0 && f->size != 0)
			return fat_fail(v, FAT_ECORRUPT, "file of %u bytes has no clusters", (unsigned)f->size);
		if ((r = fat_chain_len(v, f->first, &len)) < 0)
			return r;
		if ((uint64_t)len * v->clus_bytes < f->size)
			return fat_fail(v, FAT_ECORRUPT, "cluster chain (%u clusters) shorter than size %u",
					(unsigned)len, (unsigned)f->size);
		f->loc = fd.loc;
		f->attr = fd.ent[DE_ATTR];
	} else if (r == FAT_ENOENT) {
		uint8_t proto[DIRENT_SIZE];
		if (!(flags & FAT_O_CREAT))
			return fat_fail(v, FAT_ENOENT, "no such file");
		if (!fat_writable(v))
			return FAT_EROFS;
		dir_make_entry(v, proto, FAT_ATTR_ARCH, 0, 0);
		if ((r = dir_add(v, dir, &name, proto, &f->loc)) < 0)
			return r;
		f->attr = FAT_ATTR_ARCH;
	} else {
		return r;
	}
	f->vol = v;
	f->mode = flags;
	f->open = true;
	v->open[slot] = f;
	if ((flags & FAT_O_TRUNC) && f->size > 0 && (r = fat_truncate(f, 0)) < 0) {
		v->open[slot] = NULL;
		f->open = false;
		return r;
	}
	return FAT_OK;
}

/* Cluster number `idx` of the file's chain, allocating (and linking) new
 * clusters at the end when `alloc`. */
static int cluster_at(struct fat_file *f, uint32_t idx, bool alloc, uint32_t *out)
{
	struct fat_vol *v = f->vol;
	uint32_t c, i, nx;
	int r;
	if (f->first == 0) {
		if (!alloc)
			return fat_fail(v, FAT_ECORRUPT, "file has no clusters");
		if ((r = fat_alloc(v, 0, &c)) < 0)
			return r;
		f->first = c;
		f->meta_dirty = true;
		f->cur_clus = c;
		f->cur_idx = 0;
	}
	if (f->cur_clus && f->cur_idx <= idx) {
		c = f->cur_clus;
		i = f->cur_idx;
	} else {
		c = f->first;
		i = 0;
	}
	if (!fat_clus_ok(v, c))
		return fat_fail(v, FAT_ECORRUPT, "file cluster %u out of range", (unsigned)c);
	for (uint32_t steps = 0; i < idx; i++) {
		if (++steps > v->nclus)
			return fat_fail(v, FAT_ECORRUPT, "cluster chain loops");
		if ((r = fat_next(v, c, &nx)) < 0)
			return r;
		if (r == 0) {
			if (!alloc)
				return fat_fail(v, FAT_ECORRUPT, "cluster chain ends before the file does");
			if ((r = fat_alloc(v, c, &nx)) < 0)
				return r;
		}
		c = nx;
	}
	f->cur_clus = c;
	f->cur_idx = idx;
	*out = c;
	return FAT_OK;
}

int32_t fat_read(struct fat_file *f, void *buf, uint32_t n)
{
	struct fat_vol *v;
	uint8_t *dst = buf;
	uint32_t done = 0;
	int r;
	if ((r = check_handle(f, FAT_O_READ)) < 0)
		return r;
	v = f->vol;
	if (f->pos >= f->size)
		return 0;
	if (n > f->size - f->pos)
		n = f->size - f->pos;
	if (n > INT32_MAX)
		n = INT32_MAX;
	while (done < n) {
		uint32_t rem = n - done, ci = f->pos / v->clus_bytes, c, s, off, lba;
		if ((r = cluster_at(f, ci, false, &c)) < 0)
			return done ? (int32_t)done : r;
		s = (f->pos % v->clus_bytes) / FAT_SECTOR;
		off = f->pos % FAT_SECTOR;
		lba = fat_clus_lba(v, c) + s;
		if (off == 0 && rem >= FAT_SECTOR) {
			/* whole sectors, across physically contiguous clusters */
			uint32_t run = v->spc - s, last = c, nx, nsec, endidx;
			while ((uint64_t)run * FAT_SECTOR < rem) {
				if ((r = fat_next(v, last, &nx)) < 0)
					return done ? (int32_t)done : r;
				if (r == 0 || nx != last + 1)
					break;
				last = nx;
				run += v->spc;
			}
			nsec = rem / FAT_SECTOR < run ? rem / FAT_SECTOR : run;
			if ((r = fat_dev_read(v, lba, nsec, dst + done)) < 0)
				return done ? (int32_t)done : r;
			endidx = (f->pos + nsec * FAT_SECTOR - 1) / v->clus_bytes;
			f->cur_clus = c + (endidx - ci);
			f->cur_idx = endidx;
			done += nsec * FAT_SECTOR;
			f->pos += nsec * FAT_SECTOR;
		} else {
			uint32_t k = FAT_SECTOR - off < rem ? FAT_SECTOR - off : rem;
			if ((r = fat_win_load(v, lba)) < 0)
				return done ? (int32_t)done : r;
			memcpy(dst + done, v->win + off, k);
			done += k;
			f->pos += k;
		}
	}
	return (int32_t)done;
}

/* Write n bytes at f->pos from src (NULL: zeros). */
static int32_t do_write(struct fat_file *f, const uint8_t *src, uint32_t n)
{
	static const uint8_t zero[FAT_SECTOR];
	struct fat_vol *v = f->vol;
	uint32_t done = 0;
	int r = FAT_OK;
	while (done < n) {
		uint32_t rem = n - done, c, s, off, lba;
		if ((r = cluster_at(f, f->pos / v->clus_bytes, true, &c)) < 0)
			break;
		s = (f->pos % v->clus_bytes) / FAT_SECTOR;
		off = f->pos % FAT_SECTOR;
		lba = fat_clus_lba(v, c) + s;
		if (off == 0 && rem >= FAT_SECTOR) {
			uint32_t nsec = v->spc - s, want = rem / FAT_SECTOR, ci = f->pos / v->clus_bytes;
			uint32_t last = c, nx, endidx;
			/* extend the run over physically contiguous clusters,
			 * allocating at the end of the chain as needed */
			while (src && nsec < want) {
				int k = fat_next(v, last, &nx);
				if (k == 0 && fat_alloc(v, last, &nx) < 0)
					break;
				if (k < 0 || nx != last + 1)
					break;
				last = nx;
				nsec += v->spc;
			}
			if (want < nsec)
				nsec = want;
			if (!src)
				nsec = 1;
			r = fat_dev_write(v, lba, nsec, src ? src + done : zero);
			if (r < 0)
				break;
			endidx = (f->pos + nsec * FAT_SECTOR - 1) / v->clus_bytes;
			f->cur_clus = c + (endidx - ci);
			f->cur_idx = endidx;
			done += nsec * FAT_SECTOR;
			f->pos += nsec * FAT_SECTOR;
		} else {
			uint32_t k = FAT_SECTOR - off < rem ? FAT_SECTOR - off : rem;
			if (off == 0 && f->pos >= f->size) {
				v->win_lba = UINT32_MAX;	/* past the end: no need to read */
				memset(v->win, 0, FAT_SECTOR);
				v->win_lba = lba;
			} else if ((r = fat_win_load(v, lba)) < 0) {
				break;
			}
			if (src)
				memcpy(v->win + off, src + done, k);
			else
				memset(v->win + off, 0, k);
			if ((r = fat_win_store(v)) < 0)
				break;
			done += k;
			f->pos += k;
		}
		if (f->pos > f->size)
			f->size = f->pos;
		f->meta_dirty = true;
	}
	if (f->pos > f->size)
		f->size = f->pos;
	if (done)
		f->meta_dirty = true;
	return done ? (int32_t)done : r;
}

int32_t fat_write(struct fat_file *f, const void *buf, uint32_t n)
{
	int32_t r;
	if ((r = check_handle(f, FAT_O_WRITE)) < 0)
		return r;
	if (!fat_writable(f->vol))
		return FAT_EROFS;
	if (f->mode & FAT_O_APPEND)
		f->pos = f->size;
	if (n == 0)
		return 0;
	if (n > INT32_MAX)
		n = INT32_MAX;
	if ((uint64_t)f->pos + n > UINT32_MAX)
		return fat_fail(f->vol, FAT_EFBIG, "file would exceed 4 GiB - 1");
	if (f->pos > f->size) {	/* fill the gap with zeros */
		uint32_t want = f->pos, gap = f->pos - f->size;
		f->pos = f->size;
		r = do_write(f, NULL, gap);
		if (r < 0 || (uint32_t)r != gap)
			return r < 0 ? r : FAT_ENOSPC;
		f->pos = want;
	}
	return do_write(f, buf, n);
}

int fat_seek(struct fat_file *f, uint32_t pos)
{
	int r;
	if ((r = check_handle(f, 0)) < 0)
		return r;
	f->pos = pos;
	return FAT_OK;
}

uint32_t fat_tell(const struct fat_file *f) { return f->pos; }
uint32_t fat_size(const struct fat_file *f) { return f->size; }

int fat_truncate(struct fat_file *f, uint32_t size)
{
	struct fat_vol *v;
	uint32_t keep, lastc, nx, old;
	int r;
	if ((r = check_handle(f, FAT_O_WRITE)) < 0)
		return r;
	v = f->vol;
	if (!fat_writable(v))
		return FAT_EROFS;
	if (size > f->size) {
		uint32_t pos = f->pos, gap = size - f->size;
		int32_t w;
		f->pos = f->size;
		w = do_write(f, NULL, gap);
		f->pos = pos;
		if (w < 0)
			return w;
		return (uint32_t)w == gap ? FAT_OK : fat_fail(v, FAT_ENOSPC, "no room to extend");
	}
	if (size == f->size)
		return FAT_OK;
	/* shrink: the directory entry stops referencing the clusters first,
	 * then the FAT lets them go */
	keep = (uint32_t)(((uint64_t)size + v->clus_bytes - 1) / v->clus_bytes);
	if (keep == 0) {
		old = f->first;
		f->first = 0;
		f->size = 0;
		f->cur_clus = 0;
		if ((r = dir_update(v, &f->loc, 0, 0, true)) < 0)
			return r;
		f->meta_dirty = false;
		return old ? fat_free_chain(v, old) : FAT_OK;
	}
	if ((r = cluster_at(f, keep - 1, false, &lastc)) < 0)
		return r;
	r = fat_next(v, lastc, &nx);
	if (r < 0)
		return r;
	f->size = size;
	if ((r = dir_update(v, &f->loc, f->first, size, true)) < 0)
		return r;
	f->meta_dirty = false;
	if (fat_next(v, lastc, &nx) == 1) {
		if ((r = fat_set(v, lastc, FAT_EOC)) < 0)
			return r;
		if ((r = fat_free_chain(v, nx)) < 0)
			return r;
	}
	f->cur_clus = lastc;
	f->cur_idx = keep - 1;
	return FAT_OK;
}

int fat_fsync(struct fat_file *f)
{
	struct fat_vol *v;
	int r;
	if ((r = check_handle(f, 0)) < 0)
		return r;
	v = f->vol;
	if (f->meta_dirty) {
		if ((r = dir_update(v, &f->loc, f->first, f->size, true)) < 0)
			return r;
		f->meta_dirty = false;
	}
	if (v->io_error)	/* what was written before may not be on the disk */
		return fat_fail(v, FAT_EIO, "the volume had an I/O error (%s)", v->io_msg);
	if (v->flags & FAT_MOUNT_RDONLY)
		return FAT_OK;
	if ((r = fat_flush(v)) < 0)
		return r;
	if (v->dev.flush && v->dev.flush(v->dev.ctx) != 0)
		return fat_fail(v, FAT_EIO, "device cache flush failed");
	return FAT_OK;
}

int fat_close(struct fat_file *f)
{
	int r = FAT_OK;
	if (!f || !f->open || !f->vol)
		return FAT_EBADF;
	if (f->vol->mounted && (f->mode & FAT_O_WRITE) && f->meta_dirty)
		r = fat_fsync(f);
	for (int i = 0; i < FAT_MAX_OPEN; i++)
		if (f->vol->open[i] == f)
			f->vol->open[i] = NULL;
	f->open = false;
	return r;
}
