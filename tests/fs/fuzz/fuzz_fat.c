/* libFuzzer target for the FAT16 core: the input is the start of a disk
 * image (the rest of a 16384-sector device reads as zeros).  Mount, statfs,
 * walk every directory, read every file, then create/write/append/truncate/
 * mkdir/rename/unlink/rmdir/sync on the same volume.  Any crash, sanitizer
 * report, hang, write into the reserved area, or a file that does not read
 * back what was written is a finding. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "servers/fs/fat.h"

#define DEV_SECTORS 16384u
static uint8_t disk[DEV_SECTORS * 512];
static uint32_t dirty[4096];
static size_t ndirty;
static bool dirty_all;
static uint32_t reserved;

static int rd(void *ctx, uint32_t lba, uint32_t n, void *buf)
{
	(void)ctx;
	if (lba >= DEV_SECTORS || n > DEV_SECTORS - lba)
		return -1;
	memcpy(buf, disk + (size_t)lba * 512, (size_t)n * 512);
	return 0;
}

static int wr(void *ctx, uint32_t lba, uint32_t n, const void *buf)
{
	(void)ctx;
	if (lba >= DEV_SECTORS || n > DEV_SECTORS - lba)
		return -1;
	if (lba < reserved)
		abort();	/* the core must never write the reserved area */
	memcpy(disk + (size_t)lba * 512, buf, (size_t)n * 512);
	for (uint32_t i = 0; i < n; i++) {
		if (ndirty < sizeof dirty / sizeof dirty[0])
			dirty[ndirty++] = lba + i;
		else
			dirty_all = true;
	}
	return 0;
}

static struct fat_vol vol;
static uint8_t buf[8192];
static int budget;

static void walk(const char *dir, int depth)
{
	struct fat_dir d;
	struct fat_stat st;
	char path[1024];
	if (depth > 6 || fat_opendir(&vol, &d, dir) < 0)
		return;
	while (budget-- > 0 && fat_readdir(&d, &st) == 1) {
		size_t n = strlen(dir);
		if (n + strlen(st.name) + 2 > sizeof path)
			continue;
		memcpy(path, dir, n);
		path[n] = '/';
		strcpy(path + n + 1, st.name);
		struct fat_stat s2;
		if (budget > 300) {	/* lookups are O(entries): keep the walk linear-ish */
			fat_stat(&vol, path, &s2);
			fat_stat(&vol, st.sfn, &s2);
		}
		if (st.is_dir) {
			walk(path, depth + 1);
		} else {
			struct fat_file f;
			if (fat_open(&vol, &f, path, FAT_O_READ) == 0) {
				for (int k = 0; k < 64 && fat_read(&f, buf, sizeof buf) > 0; k++)
					;
				fat_seek(&f, st.size / 2);
				fat_read(&f, buf, 100);
				fat_close(&f);
			}
		}
	}
}

static void writes(void)
{
	struct fat_file f;
	static uint8_t pat[5000], back[6000];
	bool ok = true;
	for (size_t i = 0; i < sizeof pat; i++)
		pat[i] = (uint8_t)(i * 7 + 3);
	if (fat_open(&vol, &f, "/Fuzz Created File.txt", FAT_O_RDWR | FAT_O_CREAT | FAT_O_TRUNC) == 0) {
		ok &= fat_write(&f, pat, 3000) == 3000;
		ok &= fat_write(&f, pat + 3000, 2000) == 2000;
		ok &= fat_truncate(&f, 4500) == 0;
		ok &= fat_fsync(&f) == 0;
		ok &= fat_seek(&f, 0) == 0;
		if (ok && fat_read(&f, back, sizeof back) != 4500)
			abort();
		if (ok && memcmp(back, pat, 4500) != 0)
			abort();	/* our own data must read back */
		fat_close(&f);
	}
	fat_mkdir(&vol, "/FD");
	if (fat_open(&vol, &f, "/FD/inner name.bin", FAT_O_WRITE | FAT_O_CREAT) == 0) {
		fat_write(&f, pat, 1500);
		fat_close(&f);
	}
	fat_rename(&vol, "/FD/inner name.bin", "/moved.bin");
	fat_rename(&vol, "/FD", "/FD2");
	fat_unlink(&vol, "/moved.bin");
	fat_rmdir(&vol, "/FD2");
	fat_unlink(&vol, "/Fuzz Created File.txt");
	struct fat_statfs sf;
	fat_statfs(&vol, &sf);
	fat_sync(&vol);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct blockdev bd = {NULL, rd, wr, NULL, DEV_SECTORS};
	if (size > sizeof disk)
		size = sizeof disk;
	/* restore the zero background, then lay the input over it */
	if (dirty_all)
		memset(disk, 0, sizeof disk);
	else
		for (size_t i = 0; i < ndirty; i++)
			memset(disk + (size_t)dirty[i] * 512, 0, 512);
	ndirty = 0;
	dirty_all = false;
	static size_t last_size;
	if (last_size > size)
		memset(disk + size, 0, last_size - size);
	last_size = size;
	memcpy(disk, data, size);
	reserved = size >= 16 ? (uint32_t)(data[14] | data[15] << 8) : 0;

	if (fat_mount(&vol, &bd, 0) != 0)
		return 0;
	struct fat_statfs sf;
	fat_statfs(&vol, &sf);
	budget = 400;
	walk("", 0);
	writes();
	fat_unmount(&vol);
	return 0;
}
