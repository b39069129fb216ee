/* libFuzzer target: operation sequences on a healthy FAT16 volume.  The
 * input picks a geometry (sectors per cluster, FAT copies, root size) for
 * a volume this harness formats itself, then a sequence of create / write /
 * truncate / unlink / mkdir / rmdir / rename / sync / remount operations on
 * a few fixed paths.  A model of every file's bytes says what must happen;
 * after each sync an internal fsck checks the on-disk structure: FAT copies
 * identical, every chain valid and exactly as long as its file, no cluster
 * used twice, no lost cluster, sizes and bytes as the model says.  Any
 * divergence aborts. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "servers/fs/fat.h"

#define MAXSEC 9000u
static uint8_t disk[MAXSEC * 512];
static uint32_t nsec;
static struct fat_vol vol;
static struct blockdev bd;

static int rd(void *c, uint32_t lba, uint32_t n, void *b)
{
	(void)c;
	if (lba >= nsec || n > nsec - lba)
		return -1;
	memcpy(b, disk + (size_t)lba * 512, (size_t)n * 512);
	return 0;
}
static int wr(void *c, uint32_t lba, uint32_t n, const void *b)
{
	(void)c;
	if (lba >= nsec || n > nsec - lba)
		return -1;
	memcpy(disk + (size_t)lba * 512, b, (size_t)n * 512);
	return 0;
}

static void put16(uint8_t *p, uint32_t v) { p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); }
static uint32_t get16(const uint8_t *p) { return (uint32_t)(p[0] | p[1] << 8); }

static void format(uint8_t g)
{
	uint32_t spc = (g & 1) ? 2 : 1, nfats = (g & 2) ? 2 : 1;
	uint32_t roots[4] = {16, 32, 64, 512}, rootents = roots[(g >> 2) & 3];
	uint32_t rsvd = 1 + ((g >> 4) & 3), clusters = 4090, fatsz = ((clusters + 2) * 2 + 511) / 512;
	nsec = rsvd + nfats * fatsz + rootents / 16 + clusters * spc;
	memset(disk, 0, (size_t)nsec * 512);
	uint8_t *b = disk;
	b[0] = 0xEB, b[1] = 0x3C, b[2] = 0x90;
	memcpy(b + 3, "BAREFLOW", 8);
	put16(b + 11, 512);
	b[13] = (uint8_t)spc;
	put16(b + 14, rsvd);
	b[16] = (uint8_t)nfats;
	put16(b + 17, rootents);
	put16(b + 19, nsec);
	b[21] = 0xF8;
	put16(b + 22, fatsz);
	b[38] = 0x29;
	memcpy(b + 43, "FUZZ       FAT16   ", 19);
	b[510] = 0x55, b[511] = 0xAA;
	for (uint32_t k = 0; k < nfats; k++) {
		uint8_t *f = disk + (size_t)(rsvd + k * fatsz) * 512;
		put16(f, 0xFFF8);
		put16(f + 2, 0xFFFF);
	}
}

/* The model: fixed paths, their kind and bytes. */
#define NP 8
static const char *const paths[NP] = {
	"/f1.txt", "/Long File Name Number Two.data", "/d", "/d/f3",
	"/d/Nested Long Name.x", "/d/e", "/d/e/deep.bin", "/UPPER.BIN",
};
static const int parent[NP] = {-1, -1, -1, 2, 2, 2, 5, -1};
static const bool isdir[NP] = {0, 0, 1, 0, 0, 1, 0, 0};
#define MAXF 40000u
static bool exists[NP];
static uint8_t *data[NP];
static uint32_t size[NP];

static const uint8_t *in;
static size_t inlen;
static uint32_t take(uint32_t n)
{
	uint32_t v = 0;
	for (int i = 0; i < 3 && inlen; i++, in++, inlen--)
		v = v << 8 | *in;
	return n ? v % n : 0;
}

#define CHECK(c) do { if (!(c)) abort(); } while (0)
static bool full;	/* disk or root full seen: later failures allowed */

static bool parent_ok(int i) { return parent[i] < 0 || exists[parent[i]]; }

static void fsck_internal(void)
{
	static uint8_t used[8192];
	struct fat_vol *v = &vol;
	const uint8_t *fat0 = disk + (size_t)v->fat_lba * 512;
	memset(used, 0, sizeof used);
	for (uint32_t k = 1; k < v->nfats; k++)
		CHECK(memcmp(fat0, fat0 + (size_t)k * v->fat_sz * 512, (size_t)v->fat_sz * 512) == 0);
	for (int i = 0; i < NP; i++) {
		struct fat_stat st;
		int r = fat_stat(v, paths[i], &st);
		if (!exists[i]) {
			CHECK(r == FAT_ENOENT || r == FAT_ENOTDIR);
			continue;
		}
		CHECK(r == 0 && st.is_dir == isdir[i]);
		uint32_t c = st.first_cluster, n = 0;
		uint32_t want = isdir[i] ? 0 : (size[i] + v->clus_bytes - 1) / v->clus_bytes;
		while (c) {
			CHECK(c >= 2 && c <= v->nclus + 1 && !used[c]);
			used[c] = 1;
			n++;
			uint32_t nx = get16(fat0 + c * 2);
			if (nx >= 0xFFF8)
				break;
			c = nx;
		}
		if (isdir[i])
			CHECK(n >= 1);
		else
			CHECK(n == want && st.size == size[i]);
		if (!isdir[i]) {
			static uint8_t buf[MAXF + 1];
			struct fat_file f;
			CHECK(fat_open(v, &f, paths[i], FAT_O_READ) == 0);
			CHECK(fat_read(&f, buf, MAXF + 1) == (int32_t)size[i]);
			CHECK(memcmp(buf, data[i], size[i]) == 0);
			fat_close(&f);
		}
	}
	for (uint32_t c = 2; c <= v->nclus + 1; c++)
		CHECK((get16(fat0 + c * 2) != 0) == (used[c] != 0));	/* nothing lost */
}

static void op(void)
{
	uint32_t kind = take(10);
	int i = (int)take(NP), r;
	struct fat_file f;
	if (kind == 0 && !isdir[i]) {			/* create */
		r = fat_open(&vol, &f, paths[i], FAT_O_WRITE | FAT_O_CREAT | FAT_O_EXCL);
		if (exists[i])
			CHECK(r == FAT_EEXIST);
		else if (!parent_ok(i))
			CHECK(r == FAT_ENOENT);
		else if (r == FAT_EROOTFULL || r == FAT_ENOSPC)
			full = true;
		else {
			CHECK(r == 0);
			exists[i] = true;
			size[i] = 0;
			fat_close(&f);
		}
	} else if ((kind == 1 || kind == 2) && !isdir[i] && exists[i]) {	/* write / truncate */
		CHECK(fat_open(&vol, &f, paths[i], FAT_O_RDWR) == 0);
		if (kind == 1) {
			uint32_t off = take(size[i] + 3000), len = take(6000), seed = take(256);
			if (off + len > MAXF)
				len = 0;
			static uint8_t buf[8192];
			for (uint32_t k = 0; k < len; k++)
				buf[k] = (uint8_t)(seed + k * 13);
			CHECK(fat_seek(&f, off) == 0);
			int32_t w = fat_write(&f, buf, len);
			if (w == FAT_ENOSPC || (w >= 0 && (uint32_t)w < len)) {
				full = true;	/* model the part that was written */
				len = w > 0 ? (uint32_t)w : 0;
				if (w < 0 && off > size[i])
					len = 0;
			} else
				CHECK(w == (int32_t)len);
			if (len && off > size[i])
				memset(data[i] + size[i], 0, off - size[i]);
			memcpy(data[i] + off, buf, len);
			if (len && off + len > size[i])
				size[i] = off + len;
			if (w < 0 && fat_size(&f) > size[i]) {	/* gap filled before ENOSPC */
				memset(data[i] + size[i], 0, fat_size(&f) - size[i]);
				size[i] = fat_size(&f);
			}
		} else {
			uint32_t ns = take(MAXF);
			r = fat_truncate(&f, ns);
			if (r == FAT_ENOSPC) {
				full = true;
				ns = fat_size(&f);
			} else
				CHECK(r == 0);
			if (ns > size[i])
				memset(data[i] + size[i], 0, ns - size[i]);
			size[i] = ns;
		}
		CHECK(fat_close(&f) == 0);
	} else if (kind == 3) {				/* unlink / rmdir */
		bool kids = false;
		for (int k = 0; k < NP; k++)
			kids |= exists[k] && parent[k] == i;
		r = isdir[i] ? fat_rmdir(&vol, paths[i]) : fat_unlink(&vol, paths[i]);
		if (!exists[i])
			CHECK(r == FAT_ENOENT || r == FAT_ENOTDIR);
		else if (kids)
			CHECK(r == FAT_ENOTEMPTY);
		else {
			CHECK(r == 0);
			exists[i] = false;
		}
	} else if (kind == 4 && isdir[i]) {		/* mkdir */
		r = fat_mkdir(&vol, paths[i]);
		if (exists[i])
			CHECK(r == FAT_EEXIST);
		else if (!parent_ok(i))
			CHECK(r == FAT_ENOENT);
		else if (r == FAT_EROOTFULL || r == FAT_ENOSPC)
			full = true;
		else {
			CHECK(r == 0);
			exists[i] = true;
		}
	} else if (kind == 5 && !isdir[i] && exists[i]) {	/* rename file to another file path */
		int j = (int)take(NP);
		if (isdir[j] || j == i)
			return;
		r = fat_rename(&vol, paths[i], paths[j]);
		if (exists[j])
			CHECK(r == FAT_EEXIST);
		else if (!parent_ok(j))
			CHECK(r == FAT_ENOENT);
		else if (r == FAT_EROOTFULL || r == FAT_ENOSPC)
			full = true;
		else {
			CHECK(r == 0);
			exists[j] = true;
			exists[i] = false;
			memcpy(data[j], data[i], size[i]);
			size[j] = size[i];
		}
	} else if (kind == 6) {
		CHECK(fat_sync(&vol) == 0);
		fsck_internal();
	} else if (kind == 7) {
		CHECK(fat_unmount(&vol) == 0);
		CHECK(fat_mount(&vol, &bd, 0) == 0);
		fsck_internal();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	if (n < 1)
		return 0;
	in = d + 1;
	inlen = n - 1;
	format(d[0]);
	bd = (struct blockdev){NULL, rd, wr, NULL, nsec};
	CHECK(fat_mount(&vol, &bd, 0) == 0);
	for (int i = 0; i < NP; i++) {
		if (!data[i])
			data[i] = malloc(MAXF + 8192);
		exists[i] = false;
		size[i] = 0;
	}
	full = false;
	for (int k = 0; k < 64 && inlen; k++)
		op();
	CHECK(fat_unmount(&vol) == 0);
	CHECK(fat_mount(&vol, &bd, FAT_MOUNT_RDONLY) == 0);
	fsck_internal();
	return 0;
}
