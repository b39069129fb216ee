/* Bad and corrupt volumes: every defect is an error code with a message,
 * never a crash, a hang or a write of garbage. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "servers/fs/fat.h"
#include "tests/fs/lib/fatimg.h"
#include "tests/fs/lib/mtcheck.h"

static struct testimg t;

static uint16_t g16(const uint8_t *p) { return (uint16_t)(p[0] | p[1] << 8); }
static void s16(uint8_t *p, uint16_t v) { p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); }

static int remount(void)
{
	memdev_init(&t.md, t.data, t.sectors);
	t.bd = memdev_blockdev(&t.md);
	return fat_mount(&t.vol, &t.bd, 0);
}

static int mount_patched(unsigned off, unsigned len, uint32_t val)
{
	uint8_t save[4];
	int r;
	memcpy(save, t.data + off, len);
	for (unsigned i = 0; i < len; i++)
		t.data[off + i] = (uint8_t)(val >> (8 * i));
	r = remount();
	memcpy(t.data + off, save, len);
	return r;
}

Test(fat_corrupt, bad_boot_sectors_rejected_at_mount)
{
	cr_assert_eq(testimg_make(&t, 8192, 2, NULL, 0), 0);
	cr_assert_eq(testimg_mount(&t, 0), 0);
	cr_assert_eq(mount_patched(510, 2, 0x0000), FAT_EBADFS);
	cr_assert(strstr(fat_errmsg(&t.vol), "signature"));
	cr_assert_eq(mount_patched(0, 1, 0x00), FAT_EBADFS);
	cr_assert_eq(mount_patched(11, 2, 1024), FAT_EBADFS);
	cr_assert(strstr(fat_errmsg(&t.vol), "bytes per sector"), "%s", fat_errmsg(&t.vol));
	cr_assert_eq(mount_patched(13, 1, 3), FAT_EBADFS);
	cr_assert_eq(mount_patched(13, 1, 0), FAT_EBADFS);
	cr_assert_eq(mount_patched(14, 2, 0), FAT_EBADFS);
	cr_assert_eq(mount_patched(16, 1, 0), FAT_EBADFS);
	cr_assert_eq(mount_patched(16, 1, 9), FAT_EBADFS);
	cr_assert_eq(mount_patched(21, 1, 0x12), FAT_EBADFS);
	cr_assert_eq(mount_patched(17, 2, 0), FAT_EFAT32);
	cr_assert_eq(mount_patched(22, 2, 0), FAT_EFAT32);
	cr_assert_eq(mount_patched(17, 2, 17), FAT_EBADFS);
	cr_assert_eq(mount_patched(22, 2, 1), FAT_EBADFS);	/* FAT too small */
	cr_assert(strstr(fat_errmsg(&t.vol), "too small"), "%s", fat_errmsg(&t.vol));
	cr_assert_eq(mount_patched(19, 2, 30), FAT_EBADFS);	/* no data area */
	cr_assert_eq(mount_patched(19, 2, 6000), FAT_EFAT12);	/* too few clusters */
	cr_assert_eq(mount_patched(19, 2, 0xFFFF), FAT_EBADFS);	/* larger than the device */
	cr_assert_eq(mount_patched(19, 2, 0), FAT_EBADFS);	/* both totals zero */
	/* FAT[0] must carry the media byte */
	cr_assert_eq(mount_patched(t.vol.fat_lba * 512, 1, 0x00), FAT_EBADFS);
	cr_assert_eq(remount(), 0);
	/* an all-zero and a random device */
	memset(t.data, 0, 512);
	cr_assert_eq(remount(), FAT_EBADFS);
	srand(7);
	for (int i = 0; i < 512; i++)
		t.data[i] = (uint8_t)rand();
	cr_assert_eq(remount(), FAT_EBADFS);
	testimg_free(&t);
}

Test(fat_corrupt, fat12_and_fat32_rejected)
{
	struct testimg a;
	char dir[256];
	cr_assert_not_null(tmpdir_make(dir, sizeof dir));
	cr_assert_eq(shell("mkfs.fat -C -F 12 '%s/a.img' 2048 >/dev/null 2>&1", dir), 0);
	cr_assert_eq(shell("mkfs.fat -C -F 32 -s 1 '%s/b.img' 40000 >/dev/null 2>&1", dir), 0);
	memset(&a, 0, sizeof a);
	snprintf(a.img, sizeof a.img, "%s/a.img", dir);
	cr_assert_eq(testimg_mount(&a, 0), FAT_EFAT12);
	cr_assert(strstr(fat_errmsg(&a.vol), "FAT12"), "%s", fat_errmsg(&a.vol));
	snprintf(a.img, sizeof a.img, "%s/b.img", dir);
	cr_assert_eq(testimg_mount(&a, 0), FAT_EFAT32);
	free(a.data);
	tmpdir_remove(dir);
}

Test(fat_corrupt, truncated_image_and_io_errors)
{
	struct fat_file f;
	struct fat_stat st;
	cr_assert_eq(testimg_make(&t, 8192, 2, NULL, 1), 0);
	cr_assert_eq(testimg_mount(&t, 0), 0);
	uint32_t full = t.sectors;
	t.md.sectors = full / 2;
	t.bd = memdev_blockdev(&t.md);
	cr_assert_eq(fat_mount(&t.vol, &t.bd, 0), FAT_EBADFS);
	cr_assert(strstr(fat_errmsg(&t.vol), "larger than"), "%s", fat_errmsg(&t.vol));
	/* reads failing: errors, not garbage */
	cr_assert_eq(remount(), 0);
	long fat_lba = (long)t.vol.fat_lba;
	t.md.fail_read_lba = 0;
	cr_assert_eq(fat_mount(&t.vol, &t.bd, 0), FAT_EIO);
	t.md.fail_read_lba = fat_lba;
	cr_assert_eq(fat_mount(&t.vol, &t.bd, 0), 0, "second FAT copy used: %s", fat_errmsg(&t.vol));
	/* ... but after an I/O error the volume is read-only */
	cr_assert(t.vol.io_error);
	cr_assert_eq(fat_open(&t.vol, &f, "new.txt", FAT_O_WRITE | FAT_O_CREAT), FAT_EROFS);
	cr_assert(strstr(fat_errmsg(&t.vol), "I/O error"), "%s", fat_errmsg(&t.vol));
	t.md.fail_read_lba = -1;
	cr_assert_eq(remount(), 0);
	t.md.fail_read_lba = (long)t.vol.root_lba;
	cr_assert_eq(fat_stat(&t.vol, "hello.txt", &st), FAT_EIO);
	t.md.fail_read_lba = -1;
	cr_assert_eq(fat_stat(&t.vol, "big.bin", &st), 0);
	cr_assert_eq(fat_open(&t.vol, &f, "big.bin", FAT_O_READ), 0);
	static uint8_t buf[300000];
	t.md.fail_read_lba = (long)(t.vol.data_lba + (st.first_cluster - 2) * t.vol.spc + 10);
	int32_t n = fat_read(&f, buf, sizeof buf);
	cr_assert(n == FAT_EIO || (n > 0 && n < 200000), "read returned %d", n);
	fat_close(&f);
	testimg_free(&t);
}

/* A write the device could not do: the error reaches the caller, the
 * volume turns read-only, and not one more sector is written -- not the
 * FAT, not a directory entry, not even at sync or unmount -- so what the
 * failed write left on the disk is not built upon. */
Test(fat_corrupt, write_error_makes_the_volume_read_only)
{
	struct fat_file f;
	static uint8_t buf[20000];
	cr_assert_eq(testimg_make(&t, 8192, 2, NULL, 1), 0);
	cr_assert_eq(testimg_mount(&t, 0), 0);
	cr_assert_eq(fat_open(&t.vol, &f, "a.bin", FAT_O_WRITE | FAT_O_CREAT), 0);
	cr_assert_eq(fat_write(&f, buf, 3000), 3000);
	cr_assert_eq(fat_fsync(&f), 0);
	t.md.write_budget = 0;	/* the device fails every write from here */
	int32_t n = fat_write(&f, buf, sizeof buf);
	cr_assert(n == FAT_EIO || (n >= 0 && n < (int32_t)sizeof buf), "write returned %d", n);
	cr_assert(t.vol.io_error, "the volume records the failure");
	uint64_t written = t.md.sectors_written;
	t.md.write_budget = -1;	/* even a device that works again is not written */
	cr_assert_eq(fat_write(&f, buf, 100), FAT_EROFS);
	int rc = fat_close(&f);
	cr_assert(rc == FAT_OK || rc == FAT_EROFS, "close: %d", rc);
	cr_assert_eq(fat_mkdir(&t.vol, "d"), FAT_EROFS);
	cr_assert_eq(fat_unlink(&t.vol, "hello.txt"), FAT_EROFS);
	cr_assert_lt(fat_sync(&t.vol), 0);
	cr_assert(strstr(fat_errmsg(&t.vol), "I/O error"), "%s", fat_errmsg(&t.vol));
	cr_assert_eq(t.md.sectors_written, written, "%llu sectors written after the error",
		     (unsigned long long)(t.md.sectors_written - written));
	/* reading still works */
	struct fat_stat st;
	cr_assert_eq(fat_stat(&t.vol, "hello.txt", &st), 0);
	fat_unmount(&t.vol);
	cr_assert_eq(t.md.sectors_written, written);
	testimg_free(&t);
}

static void s32(uint8_t *p, uint32_t v) { s16(p, (uint16_t)v); s16(p + 2, (uint16_t)(v >> 16)); }

/* A disk as partitioning tools leave it: an MBR, a 1 MiB gap, then the
 * FAT16 volume as partition 2 (partition 1: `first_type`, elsewhere). */
static uint8_t *partitioned(uint8_t first_type, uint8_t fat_type, uint32_t *secs)
{
	uint32_t gap = 2048, n = gap + t.sectors + 64;
	uint8_t *d = calloc(n, 512);
	memcpy(d + (size_t)gap * 512, t.data, (size_t)t.sectors * 512);
	uint8_t *e = d + 446;
	e[4] = first_type;		/* partition 1: after the FAT one */
	s32(e + 8, gap + t.sectors);
	s32(e + 12, 64);
	e += 16;
	e[0] = 0x80;
	e[4] = fat_type;		/* partition 2: the FAT16 volume */
	s32(e + 8, gap);
	s32(e + 12, t.sectors);
	d[510] = 0x55;
	d[511] = 0xAA;
	*secs = n;
	return d;
}

Test(fat_corrupt, partitioned_disks)
{
	struct fat_vol vol;
	struct fat_file f;
	struct memdev md;
	struct blockdev bd;
	uint32_t secs;
	cr_assert_eq(testimg_make(&t, 8192, 2, NULL, 1), 0);
	cr_assert_eq(testimg_mount(&t, 0), 0);
	/* the first FAT16 partition is mounted, for reading and writing */
	uint8_t *d = partitioned(0x83, 0x06, &secs);
	memdev_init(&md, d, secs);
	bd = memdev_blockdev(&md);
	cr_assert_eq(fat_mount(&vol, &bd, 0), 0, "%s", fat_errmsg(&vol));
	cr_assert_eq(vol.part_lba, 2048);
	cr_assert_eq(fat_open(&vol, &f, "hello.txt", FAT_O_READ), 0);
	fat_close(&f);
	cr_assert_eq(fat_open(&vol, &f, "in partition.txt", FAT_O_WRITE | FAT_O_CREAT), 0);
	cr_assert_eq(fat_write(&f, "inside", 6), 6);
	cr_assert_eq(fat_close(&f), 0);
	cr_assert_eq(fat_unmount(&vol), 0);
	for (int i = 0; i < 446; i++)
		cr_assert_eq(d[i], 0, "the MBR was written");
	char img[512], cmd[1024];
	snprintf(img, sizeof img, "%s/part.img", t.dir);
	cr_assert_eq(img_save(img, d, secs), 0);
	snprintf(cmd, sizeof cmd, "%s@@1048576", img);
	size_t len;
	uint8_t *got = mt_read(cmd, "/in partition.txt", &len);
	cr_assert(got && len == 6 && !memcmp(got, "inside", 6), "mtools reads the file from the partition");
	free(got);
	free(d);
	/* no FAT16 partition: refused, saying what is there */
	d = partitioned(0x83, 0x0C, &secs);
	memdev_init(&md, d, secs);
	bd = memdev_blockdev(&md);
	cr_assert_eq(fat_mount(&vol, &bd, 0), FAT_EBADFS);
	cr_assert(strstr(fat_errmsg(&vol), "partitioned disk with no FAT16 partition (1: Linux (0x83), 2: FAT32 (0x0c))"),
		  "%s", fat_errmsg(&vol));
	free(d);
	/* a FAT16 partition beyond the end of the disk */
	d = partitioned(0x83, 0x0E, &secs);
	memdev_init(&md, d, secs - 100);
	bd = memdev_blockdev(&md);
	cr_assert_eq(fat_mount(&vol, &bd, 0), FAT_EBADFS);
	cr_assert(strstr(fat_errmsg(&vol), "lies outside"), "%s", fat_errmsg(&vol));
	free(d);
	testimg_free(&t);
}

/* Point FAT entry `c` (both copies) at `val`. */
static void set_fat(uint32_t c, uint16_t val)
{
	for (uint32_t k = 0; k < t.vol.nfats; k++)
		s16(t.data + (t.vol.fat_lba + k * t.vol.fat_sz) * 512 + c * 2, val);
}
static uint16_t get_fat(uint32_t c) { return g16(t.data + t.vol.fat_lba * 512 + c * 2); }

Test(fat_corrupt, bad_cluster_chains)
{
	struct fat_file f;
	struct fat_stat st;
	uint32_t c0, c1, c2;
	cr_assert_eq(testimg_make(&t, 8192, 2, NULL, 1), 0);
	cr_assert_eq(testimg_mount(&t, 0), 0);
	cr_assert_eq(fat_stat(&t.vol, "big.bin", &st), 0);
	c0 = st.first_cluster;
	c1 = get_fat(c0);
	c2 = get_fat(c1);
	uint8_t *orig = malloc((size_t)t.sectors * 512);
	memcpy(orig, t.data, (size_t)t.sectors * 512);
	struct { uint32_t at; uint16_t val; const char *what; } cases[] = {
		{c1, (uint16_t)c0, "loops"},
		{c1, (uint16_t)c1, "loops"},
		{c0, 0xFFF0, "out of range"},
		{c0, 1, "out of range"},
		{c1, 0, "free cluster"},
		{c1, 0xFFF7, "bad cluster"},
		{c0, 0xFFFF, "shorter than size"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		memcpy(t.data, orig, (size_t)t.sectors * 512);
		set_fat(cases[i].at, cases[i].val);
		cr_assert_eq(remount(), 0);
		cr_assert_eq(fat_open(&t.vol, &f, "big.bin", FAT_O_RDWR), FAT_ECORRUPT, "case %zu", i);
		cr_assert(strstr(fat_errmsg(&t.vol), cases[i].what), "case %zu: %s", i, fat_errmsg(&t.vol));
		cr_assert_eq(fat_open(&t.vol, &f, "big.bin", FAT_O_WRITE | FAT_O_APPEND), FAT_ECORRUPT);
		/* deleting a file with a broken chain frees only what it owns */
		uint16_t other = get_fat(st.first_cluster + 1000 < t.vol.nclus ? st.first_cluster + 1000 : 2);
		cr_assert_eq(fat_unlink(&t.vol, "big.bin"), 0, "%s", fat_errmsg(&t.vol));
		cr_assert_eq(fat_sync(&t.vol), 0);
		cr_assert_eq(get_fat(st.first_cluster + 1000 < t.vol.nclus ? st.first_cluster + 1000 : 2), other);
		cr_assert_eq(memcmp(t.data, orig, (size_t)t.vol.fat_lba * 512), 0, "reserved area written");
	}
	(void)c2;
	/* a file entry pointing outside the volume */
	memcpy(t.data, orig, (size_t)t.sectors * 512);
	cr_assert_eq(remount(), 0);
	cr_assert_eq(fat_stat(&t.vol, "hello.txt", &st), 0);
	for (uint32_t i = 0; i < 512 * t.vol.root_secs; i += 32)
		if (g16(t.data + t.vol.root_lba * 512 + i + 26) == st.first_cluster)
			s16(t.data + t.vol.root_lba * 512 + i + 26, 0xFFF3);
	cr_assert_eq(remount(), 0);
	cr_assert_eq(fat_open(&t.vol, &f, "hello.txt", FAT_O_READ), FAT_ECORRUPT);
	free(orig);
	testimg_free(&t);
}

Test(fat_corrupt, directory_defects)
{
	struct fat_dir d;
	struct fat_stat st;
	int n = 0, r;
	cr_assert_eq(testimg_make(&t, 4096, 1, NULL, 1), 0);
	cr_assert_eq(testimg_mount(&t, 0), 0);
	cr_assert_eq(fat_stat(&t.vol, "many", &st), 0);
	uint32_t c = st.first_cluster, nx = get_fat(c);
	/* loop the directory's chain: the walk still ends */
	set_fat(nx, (uint16_t)c);
	cr_assert_eq(remount(), 0);
	cr_assert_eq(fat_opendir(&t.vol, &d, "many"), 0);
	while ((r = fat_readdir(&d, &st)) == 1)
		n++;
	cr_assert_eq(r, FAT_ECORRUPT, "a looping directory is corrupt (%d after %d entries)", r, n);
	cr_assert_leq(n, 120);
	cr_assert(strstr(fat_errmsg(&t.vol), "loops"), "%s", fat_errmsg(&t.vol));
	cr_assert_eq(fat_stat(&t.vol, "many/no such file", &st), FAT_ECORRUPT);
	cr_assert_eq(fat_open(&t.vol, &(struct fat_file){0}, "many/new", FAT_O_WRITE | FAT_O_CREAT),
		     FAT_ECORRUPT);
	/* a directory entry naming a bad cluster */
	cr_assert_eq(fat_stat(&t.vol, "Sub Dir Long", &st), 0);
	for (uint32_t i = 0; i < 512 * t.vol.root_secs; i += 32)
		if (g16(t.data + t.vol.root_lba * 512 + i + 26) == st.first_cluster &&
		    (t.data[t.vol.root_lba * 512 + i + 11] & 0x10))
			s16(t.data + t.vol.root_lba * 512 + i + 26, 0);
	cr_assert_eq(remount(), 0);
	cr_assert_eq(fat_opendir(&t.vol, &d, "Sub Dir Long"), FAT_ECORRUPT);
	cr_assert_eq(fat_stat(&t.vol, "Sub Dir Long/in sub.bin", &st), FAT_ECORRUPT);
	cr_assert_eq(fat_rmdir(&t.vol, "Sub Dir Long"), FAT_ECORRUPT);
	/* LFN with a wrong checksum: the 8.3 name is shown instead */
	cr_assert_eq(fat_stat(&t.vol, "A long file name with spaces.txt", &st), 0);
	for (uint32_t i = 0; i < 512 * t.vol.root_secs; i += 32) {
		uint8_t *e = t.data + t.vol.root_lba * 512 + i;
		if (e[11] == 0x0F && e[0] != 0xE5 && e[1] == 'A')
			e[13] ^= 0x55;
	}
	cr_assert_eq(remount(), 0);
	cr_assert_eq(fat_stat(&t.vol, "A long file name with spaces.txt", &st), FAT_ENOENT);
	cr_assert_eq(fat_stat(&t.vol, "ALONGF~1.TXT", &st), 0);
	cr_assert_str_eq(st.name, "ALONGF~1.TXT");
	testimg_free(&t);
}
