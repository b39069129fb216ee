/* The FAT16 core reads exactly what mkfs.fat + mtools wrote: names (8.3,
 * lower-case flags, VFAT long names), nested directories, empty, one-cluster
 * and multi-cluster files, on volumes of several sizes and cluster sizes. */
#include <criterion/criterion.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "servers/fs/fat.h"
#include "tests/fs/lib/fatimg.h"

static struct testimg t;

/* Compare directory `rel` of the host source tree with the volume. */
static void compare_dir(const char *rel, int depth)
{
	char hp[1024], vp[1024];
	struct fat_dir d;
	struct fat_stat st;
	int n_vol = 0, n_host = 0, r;
	DIR *hd;
	struct dirent *de;

	cr_assert_lt(depth, 10);
	snprintf(hp, sizeof hp, "%s%s", t.src, rel);
	hd = opendir(hp);
	cr_assert_not_null(hd, "%s", hp);
	while ((de = readdir(hd))) {
		struct stat hs;
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		n_host++;
		snprintf(hp, sizeof hp, "%s%s/%s", t.src, rel, de->d_name);
		snprintf(vp, sizeof vp, "%s/%s", rel, de->d_name);
		stat(hp, &hs);
		r = fat_stat(&t.vol, vp, &st);
		cr_assert_eq(r, 0, "stat %s: %s", vp, fat_errmsg(&t.vol));
		cr_assert_str_eq(st.name, de->d_name);
		if (S_ISDIR(hs.st_mode)) {
			cr_assert(st.is_dir, "%s should be a directory", vp);
			compare_dir(vp, depth + 1);
			continue;
		}
		cr_assert(!st.is_dir);
		cr_assert_eq(st.size, (uint32_t)hs.st_size, "%s size", vp);
		/* contents, read in odd-sized pieces and in one go */
		uint8_t *want = malloc((size_t)hs.st_size + 1), *got = malloc((size_t)hs.st_size + 1024);
		FILE *f = fopen(hp, "rb");
		cr_assert_eq(fread(want, 1, (size_t)hs.st_size, f), (size_t)hs.st_size);
		fclose(f);
		struct fat_file ff;
		cr_assert_eq(fat_open(&t.vol, &ff, vp, FAT_O_READ), 0, "%s: %s", vp, fat_errmsg(&t.vol));
		uint32_t off = 0, step = 1;
		for (;;) {
			int32_t k = fat_read(&ff, got + off, step);
			cr_assert_geq(k, 0, "read %s: %s", vp, fat_errmsg(&t.vol));
			if (k == 0)
				break;
			off += (uint32_t)k;
			step = step * 3 + 7;
		}
		cr_assert_eq(off, (uint32_t)hs.st_size);
		cr_assert(memcmp(want, got, off) == 0, "%s content differs", vp);
		cr_assert_eq(fat_seek(&ff, 0), 0);
		cr_assert_eq(fat_read(&ff, got, (uint32_t)hs.st_size + 1000), (int32_t)hs.st_size);
		cr_assert(memcmp(want, got, off) == 0, "%s content differs (one read)", vp);
		if (hs.st_size > 10) {
			cr_assert_eq(fat_seek(&ff, (uint32_t)hs.st_size - 7), 0);
			cr_assert_eq(fat_read(&ff, got, 100), 7);
			cr_assert(memcmp(want + hs.st_size - 7, got, 7) == 0);
		}
		cr_assert_eq(fat_close(&ff), 0);
		free(want);
		free(got);
	}
	closedir(hd);
	/* and the volume lists nothing more */
	cr_assert_eq(fat_opendir(&t.vol, &d, rel[0] ? rel : "/"), 0, "%s", fat_errmsg(&t.vol));
	while ((r = fat_readdir(&d, &st)) == 1)
		n_vol++;
	cr_assert_eq(r, 0, "%s", fat_errmsg(&t.vol));
	cr_assert_eq(n_vol, n_host, "directory '%s': %d entries on the volume, %d on the host", rel, n_vol,
		     n_host);
}

static void check_free_vs_mtools(void)
{
	struct fat_statfs sf;
	char out[8192];
	char *p;
	unsigned long long mfree;
	cr_assert_eq(fat_statfs(&t.vol, &sf), 0);
	shell_out(out, sizeof out, "MTOOLS_SKIP_CHECK=1 mdir -i '%s' :: 2>&1", t.img);
	p = strstr(out, "bytes free");
	cr_assert_not_null(p, "%s", out);
	while (p > out && p[-1] == ' ')
		p--;
	while (p > out && (p[-1] == ' ' || (p[-1] >= '0' && p[-1] <= '9')))
		p--;
	char num[64];
	size_t k = 0;
	for (; *p && k < sizeof num - 1 && (*p == ' ' || (*p >= '0' && *p <= '9')); p++)
		if (*p != ' ')
			num[k++] = *p;
	num[k] = 0;
	mfree = strtoull(num, NULL, 10);
	cr_assert_eq((unsigned long long)sf.free_clusters * sf.cluster_bytes, mfree,
		     "free: ours %u clusters, mdir %llu bytes", sf.free_clusters, mfree);
}

static void run(unsigned kb, unsigned spc, const char *extra)
{
	cr_assert_eq(testimg_make(&t, kb, spc, extra, 1), 0, "mkfs/mcopy failed");
	cr_assert_eq(testimg_mount(&t, FAT_MOUNT_RDONLY), 0, "mount: %s", fat_errmsg(&t.vol));
	cr_assert_eq(t.vol.clus_bytes, spc * 512);
	compare_dir("", 0);
	check_free_vs_mtools();
	cr_assert_eq(t.md.writes, 0, "a read-only mount wrote");
	testimg_free(&t);
}

Test(fat_read, small_1k_clusters) { run(4096, 1, NULL); }
Test(fat_read, mid_2k_clusters) { run(16384, 4, NULL); }
Test(fat_read, big_8k_clusters) { run(32768, 16, NULL); }
Test(fat_read, big_4k_clusters_1fat) { run(65536, 8, "-f 1"); }
Test(fat_read, tiny_root_many_fats) { run(8192, 2, "-r 512 -f 2 -R 8"); }

Test(fat_read, lookup_is_case_insensitive_and_takes_aliases)
{
	struct fat_stat st;
	cr_assert_eq(testimg_make(&t, 8192, 2, NULL, 1), 0);
	cr_assert_eq(testimg_mount(&t, FAT_MOUNT_RDONLY), 0);
	cr_assert_eq(fat_stat(&t.vol, "/HELLO.TXT", &st), 0);
	cr_assert_str_eq(st.name, "hello.txt");
	cr_assert_eq(fat_stat(&t.vol, "a long FILE name with spaces.TXT", &st), 0);
	cr_assert_eq(fat_stat(&t.vol, st.sfn, &st), 0);
	cr_assert_str_eq(st.name, "A long file name with spaces.txt");
	cr_assert_eq(fat_stat(&t.vol, "longname_two.txt", &st), 0);
	cr_assert_str_eq(st.sfn, "LONGNA~2.TXT");
	cr_assert_eq(fat_stat(&t.vol, "LONGNA~1.TXT", &st), 0);
	cr_assert_str_eq(st.name, "longname_one.txt");
	cr_assert_eq(fat_stat(&t.vol, "//Sub Dir Long/./level2/../level2/level3/deep file.txt", &st), 0);
	cr_assert_eq(st.size, 5000);
	cr_assert_eq(fat_stat(&t.vol, "/", &st), 0);
	cr_assert(st.is_dir);
	cr_assert_eq(fat_stat(&t.vol, "nope.txt", &st), FAT_ENOENT);
	cr_assert_eq(fat_stat(&t.vol, "hello.txt/x", &st), FAT_ENOTDIR);
	cr_assert_eq(fat_stat(&t.vol, "bad*name", &st), FAT_EBADNAME);
	testimg_free(&t);
}
