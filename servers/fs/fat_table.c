/* The file allocation table: a one-sector cache over FAT copy 0, written to
 * every copy (0 first, then 1, ...) when flushed, so the copies never differ
 * by more than the sector being written.  Every chain walk is bounded by the
 * cluster count and every value is range-checked. */
#include "servers/fs/fat_int.h"

int fat_flush(struct fat_vol *v)
{
	int r;
	if (!v->fat_dirty)
		return FAT_OK;
	for (uint32_t i = 0; i < v->nfats; i++) {
		r = fat_dev_write(v, v->fat_lba + i * v->fat_sz + v->fat_cached, 1, v->fatbuf);
		if (r < 0)
			return r;
	}
	v->fat_dirty = false;
	return FAT_OK;
}

static int fat_load(struct fat_vol *v, uint32_t sec)
{
	int r;
	if (v->fat_cached == sec)
		return FAT_OK;
	if ((r = fat_flush(v)) < 0)
		return r;
	v->fat_cached = UINT32_MAX;
	r = fat_dev_read(v, v->fat_lba + sec, 1, v->fatbuf);
	if (r == FAT_EIO && v->nfats > 1)	/* fall back to the second copy */
		r = fat_dev_read(v, v->fat_lba + v->fat_sz + sec, 1, v->fatbuf);
	if (r < 0)
		return r;
	v->fat_cached = sec;
	return FAT_OK;
}

int fat_get(struct fat_vol *v, uint32_t clus, uint32_t *val)
{
	int r;
	if (clus > v->nclus + 1)
		return fat_fail(v, FAT_ECORRUPT, "cluster %u out of range", (unsigned)clus);
	if ((r = fat_load(v, clus / (FAT_SECTOR / 2))) < 0)
		return r;
	*val = rd16(v->fatbuf + (clus % (FAT_SECTOR / 2)) * 2);
	return FAT_OK;
}

int fat_set(struct fat_vol *v, uint32_t clus, uint32_t val)
{
	int r;
	uint32_t old;
	if (!fat_clus_ok(v, clus))
		return fat_fail(v, FAT_ECORRUPT, "setting FAT entry of cluster %u", (unsigned)clus);
	if ((r = fat_get(v, clus, &old)) < 0)
		return r;
	if (v->free_count != UINT32_MAX) {
		if (old == 0 && val != 0)
			v->free_count--;
		else if (old != 0 && val == 0)
			v->free_count++;
	}
	wr16(v->fatbuf + (clus % (FAT_SECTOR / 2)) * 2, (uint16_t)val);
	v->fat_dirty = true;
	return FAT_OK;
}

int fat_next(struct fat_vol *v, uint32_t clus, uint32_t *next)
{
	uint32_t val;
	int r = fat_get(v, clus, &val);
	if (r < 0)
		return r;
	if (val >= FAT_EOC_MIN)
		return 0;
	if (val == 0)
		return fat_fail(v, FAT_ECORRUPT, "cluster chain runs into free cluster after %u",
				(unsigned)clus);
	if (val == FAT_BADCLUS)
		return fat_fail(v, FAT_ECORRUPT, "cluster chain runs into bad cluster after %u",
				(unsigned)clus);
	if (!fat_clus_ok(v, val))
		return fat_fail(v, FAT_ECORRUPT, "cluster chain points out of range (%u -> %u)",
				(unsigned)clus, (unsigned)val);
	*next = val;
	return 1;
}

int fat_chain_len(struct fat_vol *v, uint32_t first, uint32_t *len)
{
	uint32_t n = 0, c = first;
	int r;
	*len = 0;
	if (first == 0)
		return FAT_OK;
	if (!fat_clus_ok(v, first))
		return fat_fail(v, FAT_ECORRUPT, "first cluster %u out of range", (unsigned)first);
	for (;;) {
		if (++n > v->nclus)
			return fat_fail(v, FAT_ECORRUPT, "cluster chain from %u loops", (unsigned)first);
		if ((r = fat_next(v, c, &c)) < 0)
			return r;
		if (r == 0)
			break;
	}
	*len = n;
	return FAT_OK;
}

int fat_count_free(struct fat_vol *v)
{
	uint32_t n = 0, val;
	int r;
	for (uint32_t c = 2; c <= v->nclus + 1; c++) {
		if ((r = fat_get(v, c, &val)) < 0)
			return r;
		n += (val == 0);
	}
	v->free_count = n;
	return FAT_OK;
}

int fat_zero_cluster(struct fat_vol *v, uint32_t clus)
{
	static const uint8_t zero[FAT_SECTOR];
	int r;
	for (uint32_t i = 0; i < v->spc; i++)
		if ((r = fat_dev_write(v, fat_clus_lba(v, clus) + i, 1, zero)) < 0)
			return r;
	return FAT_OK;
}

int fat_alloc(struct fat_vol *v, uint32_t prev, uint32_t *out)
{
	uint32_t c = v->next_free, val;
	int r;
	if (!fat_writable(v))
		return FAT_EROFS;
	if (v->free_count == 0)
		return fat_fail(v, FAT_ENOSPC, "no free cluster");
	for (uint32_t i = 0; i < v->nclus; i++, c++) {
		if (!fat_clus_ok(v, c))
			c = 2;
		if ((r = fat_get(v, c, &val)) < 0)
			return r;
		if (val != 0)
			continue;
		if ((r = fat_set(v, c, FAT_EOC)) < 0)
			return r;
		if (prev && (r = fat_set(v, prev, c)) < 0)
			return r;
		v->next_free = c + 1;
		*out = c;
		return FAT_OK;
	}
	v->free_count = 0;
	return fat_fail(v, FAT_ENOSPC, "no free cluster");
}

int fat_free_chain(struct fat_vol *v, uint32_t first)
{
	uint32_t c = first, val;
	int r;
	for (uint32_t n = 0; n < v->nclus && fat_clus_ok(v, c); n++) {
		if ((r = fat_get(v, c, &val)) < 0)
			return r;
		if (val == 0 || val == FAT_BADCLUS)
			break;	/* corrupt chain: free no further than what we own */
		if ((r = fat_set(v, c, 0)) < 0)
			return r;
		if (c < v->next_free)
			v->next_free = c;
		if (val >= FAT_EOC_MIN)
			break;
		c = val;
	}
	return FAT_OK;
}
