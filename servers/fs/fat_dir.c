/* Directory entries: iteration over the fixed root region or a subdirectory
 * chain, assembly of VFAT long names (sequence numbers and checksum checked;
 * a broken set falls back to the 8.3 name), adding entries (LFN set written
 * before its short entry, FAT flushed before any entry that references
 * clusters), removing them (short entry first) and updating them. */
#include "servers/fs/fat_int.h"

static const uint8_t lfn_off[LFN_CHARS] = {1, 3, 5, 7, 9, 14, 16, 18, 20, 22, 24, 28, 30};

void dir_it_start(struct dir_it *it, uint32_t first)
{
	it->first = first;
	it->clus = first;
	it->index = 0;
	it->mark = first;
	it->pow = 1;
	it->len = 0;
}

int dir_it_get(struct fat_vol *v, struct dir_it *it, uint8_t **ent, uint32_t *lba)
{
	uint32_t l;
	int r;
	if (it->first == 0) {
		if (it->index >= v->root_ents)
			return 0;
		l = v->root_lba + it->index / DIR_PER_SEC;
	} else {
		if (it->clus == 0 || it->index >= DIR_MAX_ENTS)
			return 0;
		if (!fat_clus_ok(v, it->clus))
			return fat_fail(v, FAT_ECORRUPT, "directory cluster %u out of range",
					(unsigned)it->clus);
		l = fat_clus_lba(v, it->clus) + (it->index % (DIR_PER_SEC * v->spc)) / DIR_PER_SEC;
	}
	if ((r = fat_win_load(v, l)) < 0)
		return r;
	*ent = v->win + (it->index % DIR_PER_SEC) * DIRENT_SIZE;
	if (lba)
		*lba = l;
	return 1;
}

int dir_it_next(struct fat_vol *v, struct dir_it *it)
{
	uint32_t next;
	int r;
	it->index++;
	if (it->first == 0)
		return it->index < v->root_ents;
	if (it->clus == 0)
		return 0;
	if (it->index % (DIR_PER_SEC * v->spc) == 0) {
		if ((r = fat_next(v, it->clus, &next)) < 0)
			return r;
		if (r == 0) {
			it->clus = 0;
			return 0;
		}
		if (next == it->mark)
			return fat_fail(v, FAT_ECORRUPT, "directory cluster chain loops at %u", (unsigned)next);
		if (++it->len == it->pow) {
			it->mark = next;
			it->pow *= 2;
			it->len = 0;
		}
		it->clus = next;
	}
	return it->index < DIR_MAX_ENTS;
}

int dir_read(struct fat_vol *v, struct dir_it *it, struct fat_found *f)
{
	unsigned expect = 0, total = 0;
	uint8_t sum = 0;
	uint32_t lfn_first = 0;
	uint8_t *e;
	uint32_t lba;
	int r;

	f->lfn_len = 0;
	for (;;) {
		if ((r = dir_it_get(v, it, &e, &lba)) <= 0)
			return r;
		if (e[0] == 0)
			return 0;
		if (e[0] == DE_FREE) {
			expect = 0;
		} else if ((e[DE_ATTR] & 0x3F) == FAT_ATTR_LFN) {
			unsigned ord = e[0] & 0x1F, k;
			if (e[0] & 0x40) {
				expect = (ord >= 1 && ord <= LFN_MAX_ENTS) ? ord : 0;
				total = 0;
				sum = e[13];
				lfn_first = it->index;
				if (expect) {
					unsigned len = (ord - 1) * LFN_CHARS;
					for (k = 0; k < LFN_CHARS && rd16(e + lfn_off[k]) != 0; k++)
						len++;
					total = len;
					if (len == 0 || len > FAT_NAME_MAX)
						expect = 0;
				}
			} else if (!(expect > 1 && ord == expect - 1 && e[13] == sum && !(e[0] & 0x80))) {
				expect = 0;
			} else {
				expect = ord;
			}
			if (expect) {
				for (k = 0; k < LFN_CHARS; k++) {
					unsigned pos = (expect - 1) * LFN_CHARS + k;
					if (pos < total)
						f->lfn[pos] = rd16(e + lfn_off[k]);
				}
				if (expect == 1)
					expect = 0x100;	/* complete: wait for the short entry */
			}
		} else {
			memcpy(f->ent, e, DIRENT_SIZE);
			f->loc.dir = it->first;
			f->loc.sfn_idx = it->index;
			f->loc.lba = lba;
			f->loc.off = (uint16_t)((it->index % DIR_PER_SEC) * DIRENT_SIZE);
			f->loc.first_idx = it->index;
			if (expect == 0x100 && fat_lfn_sum(e) == sum) {
				bool ok = true;
				for (unsigned k = 0; k < total; k++)
					if (f->lfn[k] == 0 || f->lfn[k] == 0xFFFF)
						ok = false;
				if (ok) {
					f->lfn_len = total;
					f->lfn[total] = 0;
					f->loc.first_idx = lfn_first;
				}
			}
			r = dir_it_next(v, it);
			if (r < 0)
				return r;
			return 1;
		}
		if ((r = dir_it_next(v, it)) <= 0)
			return r;
	}
}

static bool is_dot(const uint8_t *e)
{
	return e[0] == '.';
}

int dir_find(struct fat_vol *v, uint32_t dir, const struct fat_name *n, struct fat_found *f)
{
	struct dir_it it;
	int r;
	dir_it_start(&it, dir);
	while ((r = dir_read(v, &it, f)) == 1) {
		if ((f->ent[DE_ATTR] & FAT_ATTR_VOLID) || is_dot(f->ent))
			continue;
		if (f->lfn_len && fat_ucs2_eq_ci(f->lfn, f->lfn_len, n->lfn, n->len))
			return FAT_OK;
		if (n->match83 && memcmp(f->ent, n->sfn, 11) == 0)
			return FAT_OK;
		/* a short name with OEM characters (no long name), "é.txt" */
		uint16_t sn[12];
		unsigned sl = fat_sfn_to_ucs2(f->ent, sn);
		if (!f->lfn_len && fat_ucs2_eq_ci(sn, sl, n->lfn, n->len))
			return FAT_OK;
	}
	return r < 0 ? r : FAT_ENOENT;
}

int dir_is_empty(struct fat_vol *v, uint32_t dir)
{
	struct dir_it it;
	static struct fat_found f;	/* large; the core is single-threaded */
	int r;
	dir_it_start(&it, dir);
	while ((r = dir_read(v, &it, &f)) == 1)
		if (!(f.ent[DE_ATTR] & FAT_ATTR_VOLID) && !is_dot(f.ent))
			return 0;
	return r < 0 ? r : 1;
}

void fat_fill_stat(const struct fat_found *f, struct fat_stat *st)
{
	fat_sfn_display(f->ent, st->sfn);
	if (f->lfn_len) {
		fat_ucs2_to_utf8(f->lfn, f->lfn_len, st->name, sizeof st->name);
	} else {
		uint16_t sn[12];
		fat_ucs2_to_utf8(sn, fat_sfn_to_ucs2(f->ent, sn), st->name, sizeof st->name);
	}
	st->attr = f->ent[DE_ATTR];
	st->is_dir = (st->attr & FAT_ATTR_DIR) != 0;
	st->size = st->is_dir ? 0 : rd32(f->ent + DE_SIZE);
	st->first_cluster = de_first(f->ent);
	st->wdate = rd16(f->ent + DE_WDATE);
	st->wtime = rd16(f->ent + DE_WTIME);
}

void dir_make_entry(struct fat_vol *v, uint8_t ent[DIRENT_SIZE], uint8_t attr, uint32_t first, uint32_t size)
{
	uint32_t now = v->clock();
	memset(ent, 0, DIRENT_SIZE);
	memset(ent, ' ', 11);
	ent[DE_ATTR] = attr;
	wr16(ent + DE_CTIME, (uint16_t)now);
	wr16(ent + DE_CDATE, (uint16_t)(now >> 16));
	wr16(ent + DE_ADATE, (uint16_t)(now >> 16));
	wr16(ent + DE_WTIME, (uint16_t)now);
	wr16(ent + DE_WDATE, (uint16_t)(now >> 16));
	wr16(ent + DE_CLUS_LO, (uint16_t)first);
	wr32(ent + DE_SIZE, size);
}

/* Pick the numeric tail ~N for a basis not used by any alias in dir. */
static int make_alias(struct fat_vol *v, uint32_t dir, const struct fat_name *n, uint8_t sfn[11])
{
	static uint8_t used[128];	/* tails 0..1023 */
	static struct fat_found f;
	uint8_t basis[11];
	unsigned blen = 0, tail, digits, p;
	struct dir_it it;
	int r;

	fat_sfn_basis(n, basis);
	while (blen < 8 && basis[blen] != ' ')
		blen++;
	memset(used, 0, sizeof used);
	dir_it_start(&it, dir);
	while ((r = dir_read(v, &it, &f)) == 1) {
		const uint8_t *e = f.ent;
		unsigned t = 0, d = 0, q, lim;
		if (memcmp(e + 8, basis + 8, 3) != 0)
			continue;
		for (p = 1; p < 8 && e[p] != '~'; p++)
			;
		if (p >= 8)
			continue;
		for (q = p + 1; q < 8 && e[q] >= '0' && e[q] <= '9' && t < 1024; q++, d++)
			t = t * 10 + (e[q] - '0');
		if (d == 0 || t >= 1024 || (q < 8 && e[q] != ' '))
			continue;
		lim = blen < 7 - d ? blen : 7 - d;
		if (p == lim && memcmp(e, basis, p) == 0)
			used[t / 8] |= (uint8_t)(1u << (t % 8));
	}
	if (r < 0)
		return r;
	for (tail = 1; tail < 1024; tail++)
		if (!(used[tail / 8] & (1u << (tail % 8))))
			break;
	if (tail >= 1024)
		return fat_fail(v, FAT_EEXIST, "no free 8.3 alias for this name");
	digits = tail < 10 ? 1 : tail < 100 ? 2 : tail < 1000 ? 3 : 4;
	memcpy(sfn, basis, 11);
	p = blen < 7 - digits ? blen : 7 - digits;
	memset(sfn + p, ' ', 8 - p);
	sfn[p] = '~';
	for (unsigned i = digits, t = tail; i > 0; i--, t /= 10)
		sfn[p + i] = (uint8_t)('0' + t % 10);
	return FAT_OK;
}

/* Find `count` consecutive free entries, growing a subdirectory if needed. */
static int find_free_run(struct fat_vol *v, uint32_t dir, unsigned count, uint32_t *start)
{
	struct dir_it it;
	uint32_t run = 0, last = dir, lba, nc;
	uint8_t *e;
	int r;

	dir_it_start(&it, dir);
	for (;;) {
		r = dir_it_get(v, &it, &e, &lba);
		if (r < 0)
			return r;
		if (r == 0)
			break;
		if (it.clus)
			last = it.clus;
		if (e[0] == 0 || e[0] == DE_FREE) {
			if (run == 0)
				*start = it.index;
			if (++run == count)
				return FAT_OK;
		} else {
			run = 0;
		}
		if ((r = dir_it_next(v, &it)) < 0)
			return r;
		if (r == 0)
			break;
	}
	if (dir == 0)
		return fat_fail(v, FAT_EROOTFULL, "no room for %u entries in the root directory", count);
	/* it.index is now the directory's size in entries */
	if (it.index + count > DIR_MAX_ENTS)
		return fat_fail(v, FAT_EDIRFULL, "directory would exceed %u entries", DIR_MAX_ENTS);
	while (run < count) {
		/* new cluster: allocated (end of chain), zeroed, only then linked */
		if ((r = fat_alloc(v, 0, &nc)) < 0)
			return r;
		if ((r = fat_zero_cluster(v, nc)) < 0)
			return r;
		if ((r = fat_set(v, last, nc)) < 0)
			return r;
		if (run == 0)
			*start = it.index;
		run += DIR_PER_SEC * v->spc;
		last = nc;
	}
	return FAT_OK;
}

/* Seek an iterator to entry index idx (walks the chain from the start). */
static int dir_it_seek(struct fat_vol *v, struct dir_it *it, uint32_t dir, uint32_t idx)
{
	uint32_t per = DIR_PER_SEC * v->spc, next;
	int r;
	dir_it_start(it, dir);
	if (dir == 0) {
		it->index = idx;
		return FAT_OK;
	}
	for (uint32_t k = 0; k < idx / per; k++) {
		if ((r = fat_next(v, it->clus, &next)) < 0)
			return r;
		if (r == 0)
			return fat_fail(v, FAT_ECORRUPT, "directory shorter than expected");
		it->clus = next;
	}
	it->index = idx;
	return FAT_OK;
}

int dir_add(struct fat_vol *v, uint32_t dir, const struct fat_name *n, const uint8_t proto[DIRENT_SIZE],
	    struct fat_loc *loc)
{
	uint8_t sfn[11], ntres = 0, sum, *e;
	unsigned nlfn = 0, total;
	uint32_t start = 0, lba = 0;
	struct dir_it it;
	int r;

	if (!fat_writable(v))
		return FAT_EROFS;
	if (n->fits83) {
		memcpy(sfn, n->sfn, 11);
		ntres = n->ntres;
	} else {
		if ((r = make_alias(v, dir, n, sfn)) < 0)
			return r;
		nlfn = (n->len + LFN_CHARS - 1) / LFN_CHARS;
	}
	total = nlfn + 1;
	if ((r = find_free_run(v, dir, total, &start)) < 0)
		return r;
	if ((r = fat_flush(v)) < 0)	/* clusters referenced below are on disk first */
		return r;
	sum = fat_lfn_sum(sfn);
	if ((r = dir_it_seek(v, &it, dir, start)) < 0)
		return r;
	for (unsigned k = 0; k < total; k++) {
		if ((r = dir_it_get(v, &it, &e, &lba)) <= 0)
			return r < 0 ? r : fat_fail(v, FAT_ECORRUPT, "directory ended while adding");
		if (k < nlfn) {
			unsigned ord = nlfn - k;
			memset(e, 0, DIRENT_SIZE);
			e[0] = (uint8_t)(ord | (k == 0 ? 0x40 : 0));
			e[DE_ATTR] = FAT_ATTR_LFN;
			e[13] = sum;
			for (unsigned c = 0; c < LFN_CHARS; c++) {
				unsigned pos = (ord - 1) * LFN_CHARS + c;
				uint16_t ch = pos < n->len ? n->lfn[pos] : pos == n->len ? 0 : 0xFFFF;
				wr16(e + lfn_off[c], ch);
			}
		} else {
			memcpy(e, proto, DIRENT_SIZE);
			memcpy(e, sfn, 11);
			e[DE_NTRES] = ntres;
			loc->dir = dir;
			loc->first_idx = start;
			loc->sfn_idx = it.index;
			loc->lba = lba;
			loc->off = (uint16_t)(e - v->win);
		}
		if (k + 1 == total || (it.index + 1) % DIR_PER_SEC == 0)
			if ((r = fat_win_store(v)) < 0)
				return r;
		if (k + 1 < total && (r = dir_it_next(v, &it)) <= 0)
			return r < 0 ? r : fat_fail(v, FAT_ECORRUPT, "directory ended while adding");
	}
	return FAT_OK;
}

int dir_remove(struct fat_vol *v, const struct fat_loc *loc)
{
	int r;
	if (!fat_writable(v))
		return FAT_EROFS;
	/* the short entry goes first: from then on the file is gone */
	if ((r = fat_win_load(v, loc->lba)) < 0)
		return r;
	v->win[loc->off] = DE_FREE;
	if ((r = fat_win_store(v)) < 0)
		return r;
	return dir_remove_lfn(v, loc);
}

int dir_remove_lfn(struct fat_vol *v, const struct fat_loc *loc)
{
	struct dir_it it;
	uint8_t *e;
	int r;
	if (loc->first_idx == loc->sfn_idx)
		return FAT_OK;
	if ((r = dir_it_seek(v, &it, loc->dir, loc->first_idx)) < 0)
		return r;
	while (it.index < loc->sfn_idx) {
		if ((r = dir_it_get(v, &it, &e, NULL)) <= 0)
			return r;
		if ((e[DE_ATTR] & 0x3F) == FAT_ATTR_LFN)
			e[0] = DE_FREE;
		if (it.index + 1 == loc->sfn_idx || (it.index + 1) % DIR_PER_SEC == 0)
			if ((r = fat_win_store(v)) < 0)
				return r;
		if ((r = dir_it_next(v, &it)) <= 0)
			return r;
	}
	return FAT_OK;
}

int dir_update(struct fat_vol *v, const struct fat_loc *loc, uint32_t first, uint32_t size, bool touch)
{
	uint8_t *e;
	int r;
	if (!fat_writable(v))
		return FAT_EROFS;
	if ((r = fat_flush(v)) < 0)
		return r;
	if ((r = fat_win_load(v, loc->lba)) < 0)
		return r;
	e = v->win + loc->off;
	wr16(e + DE_CLUS_HI, 0);
	wr16(e + DE_CLUS_LO, (uint16_t)first);
	wr32(e + DE_SIZE, size);
	if (touch) {
		uint32_t now = v->clock();
		wr16(e + DE_WTIME, (uint16_t)now);
		wr16(e + DE_WDATE, (uint16_t)(now >> 16));
		wr16(e + DE_ADATE, (uint16_t)(now >> 16));
		e[DE_ATTR] |= FAT_ATTR_ARCH;
	}
	return fat_win_store(v);
}
