/* Mount: boot sector / BPB validation (Microsoft FAT spec rules: the FAT
 * type follows from the cluster count alone), device access with bounds
 * checks, the sector window, sync and free-space report. */
#include "servers/fs/fat_int.h"

/* A request the device could not do (the driver has already retried it):
 * nothing can be assumed about what reached the disk, and metadata written
 * on top of a failed write would spread the damage, so the volume turns
 * read-only for good and every later write is refused before it reaches
 * the device.  The first failure is kept in io_msg. */
static int device_failed(struct fat_vol *v, const char *op, uint32_t lba, uint32_t n)
{
	if (!v->io_error) {
		v->io_error = true;
		v->flags |= FAT_MOUNT_RDONLY;
		bf_snprintf(v->io_msg, sizeof v->io_msg, "%s of sectors %u+%u failed", op,
			    (unsigned)lba, (unsigned)n);
	}
	return fat_fail(v, FAT_EIO, "%s sector %u; the volume is now read-only", op, (unsigned)lba);
}

int fat_dev_read(struct fat_vol *v, uint32_t lba, uint32_t n, void *buf)
{
	if (n == 0 || lba >= v->tot_sec || n > v->tot_sec - lba)
		return fat_fail(v, FAT_ECORRUPT, "read of sectors %u+%u outside the volume",
				(unsigned)lba, (unsigned)n);
	if (v->dev.read(v->dev.ctx, v->part_lba + lba, n, buf) != 0)
		return device_failed(v, "reading", lba, n);
	return FAT_OK;
}

int fat_dev_write(struct fat_vol *v, uint32_t lba, uint32_t n, const void *buf)
{
	if (n == 0 || lba >= v->tot_sec || n > v->tot_sec - lba)
		return fat_fail(v, FAT_ECORRUPT, "write of sectors %u+%u outside the volume",
				(unsigned)lba, (unsigned)n);
	if (lba < v->fat_lba)	/* never touch the boot sector / reserved area */
		return fat_fail(v, FAT_ECORRUPT, "refusing write to reserved sector %u", (unsigned)lba);
	if (v->io_error)
		return fat_fail(v, FAT_EROFS, "read-only after an I/O error (%s)", v->io_msg);
	if (v->dev.write(v->dev.ctx, v->part_lba + lba, n, buf) != 0)
		return device_failed(v, "writing", lba, n);
	if (v->win_lba != UINT32_MAX && v->win_lba >= lba && v->win_lba - lba < n)
		v->win_lba = UINT32_MAX;	/* window now stale */
	return FAT_OK;
}

int fat_win_load(struct fat_vol *v, uint32_t lba)
{
	int r;
	if (v->win_lba == lba)
		return FAT_OK;
	v->win_lba = UINT32_MAX;
	if ((r = fat_dev_read(v, lba, 1, v->win)) < 0)
		return r;
	v->win_lba = lba;
	return FAT_OK;
}

int fat_win_store(struct fat_vol *v)
{
	uint32_t lba = v->win_lba;
	int r;
	if (lba == UINT32_MAX)
		return fat_fail(v, FAT_EINVAL, "no sector in window");
	r = fat_dev_write(v, lba, 1, v->win);
	if (r == FAT_OK)
		v->win_lba = lba;
	return r;
}

bool fat_writable(struct fat_vol *v)
{
	if (v->io_error) {
		fat_fail(v, FAT_EROFS, "read-only after an I/O error (%s)", v->io_msg);
		return false;
	}
	if (v->flags & FAT_MOUNT_RDONLY) {
		fat_fail(v, FAT_EROFS, "volume is mounted read-only");
		return false;
	}
	return true;
}

static uint32_t default_clock(void)
{
	/* 2026-01-01 00:00:00 in DOS format */
	return (uint32_t)(((2026 - 1980) << 9) | (1 << 5) | 1) << 16;
}

void fat_set_clock(struct fat_vol *v, fat_clock_fn clock)
{
	v->clock = clock ? clock : default_clock;
}

static int check_bpb(struct fat_vol *v, const uint8_t *b)
{
	uint32_t bps = rd16(b + 11), spc = b[13], rsvd = rd16(b + 14), nfats = b[16];
	uint32_t rootents = rd16(b + 17), tot16 = rd16(b + 19), fatsz = rd16(b + 22);
	uint32_t tot32 = rd32(b + 32), tot, rootsecs, meta, datasec, nclus;
	uint8_t media = b[21];

	if (b[510] != 0x55 || b[511] != 0xAA)
		return fat_fail(v, FAT_EBADFS, "boot sector signature 55 AA missing");
	if (!(b[0] == 0xEB && b[2] == 0x90) && b[0] != 0xE9)
		return fat_fail(v, FAT_EBADFS, "boot sector has no jump instruction");
	if (bps != 512)
		return fat_fail(v, FAT_EBADFS, "%u bytes per sector (only 512 supported)", (unsigned)bps);
	if (spc == 0 || (spc & (spc - 1)) != 0)
		return fat_fail(v, FAT_EBADFS, "sectors per cluster %u is not a power of two", (unsigned)spc);
	if (rsvd == 0)
		return fat_fail(v, FAT_EBADFS, "no reserved sectors");
	if (nfats == 0 || nfats > 4)
		return fat_fail(v, FAT_EBADFS, "%u FAT copies", (unsigned)nfats);
	if (media != 0xF0 && media < 0xF8)
		return fat_fail(v, FAT_EBADFS, "media byte 0x%x invalid", (unsigned)media);
	if (fatsz == 0 || rootents == 0)
		return fat_fail(v, FAT_EFAT32, "BPB describes a FAT32 volume (16-bit FAT size or root entries 0)");
	if ((rootents * DIRENT_SIZE) % FAT_SECTOR != 0)
		return fat_fail(v, FAT_EBADFS, "root entry count %u not a whole number of sectors",
				(unsigned)rootents);
	tot = tot16 ? tot16 : tot32;
	if (tot16 && tot32 && tot16 != tot32)
		return fat_fail(v, FAT_EBADFS, "16- and 32-bit total sector counts disagree");
	rootsecs = rootents * DIRENT_SIZE / FAT_SECTOR;
	meta = rsvd + nfats * fatsz + rootsecs;	/* <= 65535 + 4*65535 + 2048: no overflow */
	if (tot <= meta)
		return fat_fail(v, FAT_EBADFS, "volume of %u sectors has no data area", (unsigned)tot);
	datasec = tot - meta;
	nclus = datasec / spc;
	if (nclus < 4085)
		return fat_fail(v, FAT_EFAT12, "%u clusters: this is a FAT12 volume", (unsigned)nclus);
	if (nclus >= 65525)
		return fat_fail(v, FAT_EFAT32, "%u clusters: this is a FAT32 volume", (unsigned)nclus);
	if (fatsz * (FAT_SECTOR / 2) < nclus + 2)
		return fat_fail(v, FAT_EBADFS, "FAT of %u sectors too small for %u clusters",
				(unsigned)fatsz, (unsigned)nclus);
	if (v->part_sectors && tot > v->part_sectors)
		return fat_fail(v, FAT_EBADFS, "volume of %u sectors larger than the %u-sector %s",
				(unsigned)tot, (unsigned)v->part_sectors, v->part_lba ? "partition" : "device");
	v->tot_sec = tot;
	v->fat_lba = rsvd;
	v->fat_sz = fatsz;
	v->nfats = nfats;
	v->root_lba = rsvd + nfats * fatsz;
	v->root_secs = rootsecs;
	v->root_ents = rootents;
	v->data_lba = meta;
	v->spc = spc;
	v->clus_bytes = spc * FAT_SECTOR;
	v->nclus = nclus;
	v->media = media;
	if (b[38] == 0x29) {
		memcpy(v->label, b + 43, 11);
		for (int i = 10; i >= 0 && v->label[i] == ' '; i--)
			v->label[i] = 0;
	}
	return FAT_OK;
}

int fat_mount(struct fat_vol *v, const struct blockdev *dev, unsigned flags)
{
	int r;
	uint32_t fat0;
	memset(v, 0, sizeof *v);
	v->dev = *dev;
	v->flags = flags;
	v->clock = default_clock;
	v->win_lba = UINT32_MAX;
	v->fat_cached = UINT32_MAX;
	v->free_count = UINT32_MAX;
	v->next_free = 2;
	if (!dev->read || (!dev->write && !(flags & FAT_MOUNT_RDONLY)))
		return fat_fail(v, FAT_EINVAL, "block device lacks read/write");
	if (dev->sectors == 1)
		return fat_fail(v, FAT_EBADFS, "device too small");
	v->tot_sec = 1;	/* allow reading the boot sector */
	v->part_sectors = dev->sectors;
	if ((r = fat_win_load(v, 0)) < 0)
		return r;
	if ((r = fat_find_partition(v, v->win, &v->part_lba, &v->part_sectors)) < 0)
		return r;
	if (r == 1) {	/* the volume's own boot sector, at the partition's start */
		v->win_lba = UINT32_MAX;
		if ((r = fat_win_load(v, 0)) < 0)
			return r;
	}
	if ((r = check_bpb(v, v->win)) < 0)
		return r;
	v->win_lba = UINT32_MAX;
	if ((r = fat_get(v, 0, &fat0)) < 0)
		return r;
	if ((fat0 & 0xFF) != v->media)
		return fat_fail(v, FAT_EBADFS, "FAT[0]=0x%x does not match media byte 0x%x",
				(unsigned)fat0, (unsigned)v->media);
	/* Read the whole first FAT now: a volume whose FAT cannot be read is
	 * refused here rather than shown as empty or full later. */
	if ((r = fat_count_free(v)) < 0)
		return r;
	v->mounted = true;
	return FAT_OK;
}

int fat_sync(struct fat_vol *v)
{
	int r, first_err = FAT_OK;
	if (!v->mounted)
		return FAT_EINVAL;
	for (int i = 0; i < FAT_MAX_OPEN; i++) {
		if (v->open[i] && v->open[i]->meta_dirty) {
			r = fat_fsync(v->open[i]);
			if (r < 0 && first_err == FAT_OK)
				first_err = r;
		}
	}
	if ((r = fat_flush(v)) < 0)
		return r;
	if (v->io_error)	/* never report as durable what may not be */
		return fat_fail(v, FAT_EIO, "the volume had an I/O error (%s)", v->io_msg);
	if (!(v->flags & FAT_MOUNT_RDONLY) && v->dev.flush && v->dev.flush(v->dev.ctx) != 0)
		return fat_fail(v, FAT_EIO, "device cache flush failed");
	return first_err;
}

int fat_unmount(struct fat_vol *v)
{
	int r;
	if (!v->mounted)
		return FAT_EINVAL;
	r = fat_sync(v);
	for (int i = 0; i < FAT_MAX_OPEN; i++) {
		if (v->open[i]) {
			v->open[i]->open = false;
			v->open[i] = NULL;
		}
	}
	v->mounted = false;
	return r;
}

int fat_statfs(struct fat_vol *v, struct fat_statfs *st)
{
	int r;
	if (!v->mounted)
		return FAT_EINVAL;
	if (v->free_count == UINT32_MAX && (r = fat_count_free(v)) < 0)
		return r;
	st->cluster_bytes = v->clus_bytes;
	st->total_clusters = v->nclus;
	st->free_clusters = v->free_count;
	st->total_sectors = v->tot_sec;
	memcpy(st->label, v->label, sizeof st->label);
	return FAT_OK;
}
