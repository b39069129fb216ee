/* What the FAT16 core writes, judged by fsck.fat -n and read back by mtools:
 * creation (8.3, lower-case, long names, aliases), writes of every shape,
 * truncate, delete, rename, mkdir/rmdir, both FATs in step, disk full,
 * root full, directory growth, and every error code of the name operations. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "servers/fs/fat.h"
#include "tests/fs/lib/fatimg.h"
#include "tests/fs/lib/mtcheck.h"

static struct testimg t;
static char out[1 << 16];

static void fresh(unsigned kb, unsigned spc, const char *extra)
{
	cr_assert_eq(testimg_make(&t, kb, spc, extra, 0), 0, "mkfs failed");
	cr_assert_eq(testimg_mount(&t, 0), 0, "mount: %s", fat_errmsg(&t.vol));
}

/* Sync, write the image out, require fsck.fat -n to be clean. */
static void judge(void)
{
	cr_assert_eq(fat_sync(&t.vol), 0, "sync: %s", fat_errmsg(&t.vol));
	cr_assert_eq(testimg_save(&t), 0);
	int rc = fsck_check(t.img, out, sizeof out);
	cr_assert_eq(rc, 0, "fsck.fat -n found problems:\n%s", out);
}

static void put(const char *path, uint32_t size, uint32_t seed)
{
	struct fat_file f;
	uint8_t *buf = malloc(size + 1);
	fill_pattern(buf, size, seed, 0);
	cr_assert_eq(fat_open(&t.vol, &f, path, FAT_O_WRITE | FAT_O_CREAT | FAT_O_TRUNC), 0, "%s: %s",
		     path, fat_errmsg(&t.vol));
	/* odd-sized pieces to exercise partial and whole-sector paths */
	for (uint32_t off = 0, step = 1; off < size; step = step * 5 + 3) {
		uint32_t k = size - off < step ? size - off : step;
		cr_assert_eq(fat_write(&f, buf + off, k), (int32_t)k, "%s", fat_errmsg(&t.vol));
		off += k;
	}
	cr_assert_eq(fat_close(&f), 0);
	free(buf);
}

static void expect_mtools(const char *path, uint32_t size, uint32_t seed)
{
	size_t len;
	uint8_t *got = mt_read(t.img, path, &len), *want = malloc(size + 1);
	cr_assert_not_null(got, "mtools cannot read %s", path);
	cr_assert_eq(len, size, "%s: mtools reads %zu bytes, expected %u", path, len, size);
	fill_pattern(want, size, seed, 0);
	cr_assert(memcmp(got, want, size) == 0, "%s: content differs under mtools", path);
	free(got);
	free(want);
}

Test(fat_write, created_files_read_back_by_mtools)
{
	char longname[300];
	fresh(8192, 2, NULL);
	memset(longname, 0, sizeof longname);
	strcpy(longname, "/");
	for (int i = 0; i < 200; i++)
		longname[1 + i] = (char)('a' + i % 26);
	strcat(longname, ".txt");
	put("/hello.txt", 13, 1);
	put("/UPPER.TXT", 1000, 2);
	put("/Mixed Case Name.text", 5000, 3);
	put(longname, 777, 4);
	put("/empty", 0, 5);
	put("/big.bin", 100000, 6);
	cr_assert_eq(fat_mkdir(&t.vol, "/dir one"), 0);
	cr_assert_eq(fat_mkdir(&t.vol, "/dir one/sub two"), 0);
	put("/dir one/sub two/inner file.dat", 3000, 7);
	judge();
	expect_mtools("/hello.txt", 13, 1);
	expect_mtools("/UPPER.TXT", 1000, 2);
	expect_mtools("/Mixed Case Name.text", 5000, 3);
	expect_mtools(longname, 777, 4);
	expect_mtools("/empty", 0, 5);
	expect_mtools("/big.bin", 100000, 6);
	expect_mtools("/dir one/sub two/inner file.dat", 3000, 7);
	char *list;
	mt_list(t.img, &list);
	char want[2048];
	snprintf(want, sizeof want, "/Mixed Case Name.text\n/UPPER.TXT\n%s\n/big.bin\n/dir one/\n"
		 "/dir one/sub two/\n/dir one/sub two/inner file.dat\n/empty\n/hello.txt\n", longname);
	cr_assert_str_eq(list, want);
	free(list);
	testimg_free(&t);
}

Test(fat_write, short_names_lowercase_flags_and_aliases)
{
	struct fat_stat st;
	char name[64];
	fresh(8192, 2, NULL);
	put("lower.txt", 5, 1);
	cr_assert_eq(fat_stat(&t.vol, "LOWER.TXT", &st), 0);
	cr_assert_str_eq(st.name, "lower.txt");
	cr_assert_str_eq(st.sfn, "lower.txt");	/* stored 8.3 with NT lower-case flags */
	for (int i = 0; i < 12; i++) {
		snprintf(name, sizeof name, "Long Name Number %d.text", i);
		put(name, (uint32_t)i, 10 + (uint32_t)i);
	}
	cr_assert_eq(fat_stat(&t.vol, "Long Name Number 0.text", &st), 0);
	cr_assert_str_eq(st.sfn, "LONGNA~1.TEX");
	cr_assert_eq(fat_stat(&t.vol, "Long Name Number 9.text", &st), 0);
	cr_assert_str_eq(st.sfn, "LONGN~10.TEX");
	judge();
	char *list;
	cr_assert_eq(mt_list(t.img, &list), 13);
	cr_assert_not_null(strstr(list, "/Long Name Number 11.text\n"));
	cr_assert_not_null(strstr(list, "/lower.txt\n"));
	free(list);
	for (int i = 0; i < 12; i++) {
		snprintf(name, sizeof name, "/Long Name Number %d.text", i);
		expect_mtools(name, (uint32_t)i, 10 + (uint32_t)i);
	}
	testimg_free(&t);
}

Test(fat_write, fat_copies_stay_identical)
{
	fresh(16384, 4, NULL);
	for (int i = 0; i < 20; i++) {
		char n[32];
		snprintf(n, sizeof n, "f%d", i);
		put(n, (uint32_t)(i * 3001), (uint32_t)i);
	}
	cr_assert_eq(fat_unlink(&t.vol, "f3"), 0);
	cr_assert_eq(fat_sync(&t.vol), 0);
	uint32_t fatb = t.vol.fat_sz * 512;
	uint8_t *f0 = t.data + t.vol.fat_lba * 512;
	cr_assert(memcmp(f0, f0 + fatb, fatb) == 0, "FAT copies differ after sync");
	judge();
	testimg_free(&t);
}

Test(fat_write, overwrite_append_seek_past_end_truncate)
{
	struct fat_file f;
	uint8_t buf[20000], want[20000];
	fresh(8192, 1, NULL);
	put("data.bin", 10000, 1);
	fill_pattern(want, 10000, 1, 0);
	cr_assert_eq(fat_open(&t.vol, &f, "data.bin", FAT_O_RDWR), 0);
	/* overwrite across a sector boundary */
	memset(buf, 0xAB, 1000);
	cr_assert_eq(fat_seek(&f, 500), 0);
	cr_assert_eq(fat_write(&f, buf, 1000), 1000);
	memset(want + 500, 0xAB, 1000);
	/* seek past the end and write: gap reads as zeros */
	cr_assert_eq(fat_seek(&f, 12345), 0);
	cr_assert_eq(fat_write(&f, "tail", 4), 4);
	memset(want + 10000, 0, 2345);
	memcpy(want + 12345, "tail", 4);
	cr_assert_eq(fat_size(&f), 12349);
	cr_assert_eq(fat_seek(&f, 0), 0);
	cr_assert_eq(fat_read(&f, buf, sizeof buf), 12349);
	cr_assert(memcmp(buf, want, 12349) == 0);
	/* shrink then grow: the regrown part is zeros, not the old bytes */
	cr_assert_eq(fat_truncate(&f, 3000), 0);
	cr_assert_eq(fat_truncate(&f, 5000), 0);
	memset(want + 3000, 0, 2000);
	cr_assert_eq(fat_seek(&f, 0), 0);
	cr_assert_eq(fat_read(&f, buf, sizeof buf), 5000);
	cr_assert(memcmp(buf, want, 5000) == 0);
	cr_assert_eq(fat_close(&f), 0);
	/* append mode */
	cr_assert_eq(fat_open(&t.vol, &f, "data.bin", FAT_O_WRITE | FAT_O_APPEND), 0);
	cr_assert_eq(fat_seek(&f, 0), 0);
	cr_assert_eq(fat_write(&f, "APP", 3), 3);
	memcpy(want + 5000, "APP", 3);
	cr_assert_eq(fat_close(&f), 0);
	judge();
	size_t len;
	uint8_t *got = mt_read(t.img, "/data.bin", &len);
	cr_assert_eq(len, 5003);
	cr_assert(memcmp(got, want, 5003) == 0);
	free(got);
	/* truncate to zero frees every cluster */
	struct fat_statfs a, b;
	cr_assert_eq(fat_open(&t.vol, &f, "data.bin", FAT_O_WRITE | FAT_O_TRUNC), 0);
	cr_assert_eq(fat_close(&f), 0);
	cr_assert_eq(fat_statfs(&t.vol, &a), 0);
	cr_assert_eq(a.free_clusters, a.total_clusters);
	judge();
	(void)b;
	testimg_free(&t);
}

Test(fat_write, delete_rename_mkdir_rmdir)
{
	struct fat_stat st;
	struct fat_statfs s0, s1;
	fresh(8192, 2, NULL);
	cr_assert_eq(fat_statfs(&t.vol, &s0), 0);
	cr_assert_eq(fat_mkdir(&t.vol, "a"), 0);
	cr_assert_eq(fat_mkdir(&t.vol, "a/b"), 0);
	cr_assert_eq(fat_mkdir(&t.vol, "c"), 0);
	put("a/b/file one.txt", 4000, 1);
	put("a/keep.txt", 100, 2);
	/* rename a file within and across directories, case-only rename */
	cr_assert_eq(fat_rename(&t.vol, "a/b/file one.txt", "a/b/renamed file.txt"), 0);
	cr_assert_eq(fat_rename(&t.vol, "a/b/renamed file.txt", "c/moved.txt"), 0);
	cr_assert_eq(fat_rename(&t.vol, "c/moved.txt", "c/MOVED.txt"), 0);
	cr_assert_eq(fat_stat(&t.vol, "c/moved.txt", &st), 0);
	cr_assert_str_eq(st.name, "MOVED.txt");
	/* same entry, 8.3 names: renamed in place, no duplicate short entry */
	cr_assert_eq(fat_rename(&t.vol, "c/MOVED.txt", "c/moved.txt"), 0);
	cr_assert_eq(fat_stat(&t.vol, "c/MOVED.TXT", &st), 0);
	cr_assert_str_eq(st.name, "moved.txt");
	cr_assert_str_eq(st.sfn, "moved.txt");
	cr_assert_eq(fat_rename(&t.vol, "c/moved.txt", "c/moved.txt"), 0);
	cr_assert_eq(fat_rename(&t.vol, "c/moved.txt", "c/MOVED.txt"), 0);
	cr_assert_eq(fat_stat(&t.vol, "c/moved.txt", &st), 0);
	cr_assert_str_eq(st.name, "MOVED.txt");
	/* move a directory: its ".." follows */
	cr_assert_eq(fat_rename(&t.vol, "a/b", "c/b moved"), 0);
	cr_assert_eq(fat_stat(&t.vol, "c/b moved/../moved.txt", &st), 0);
	cr_assert_eq(fat_rename(&t.vol, "c", "c/b moved/x"), FAT_EINVAL);
	cr_assert_eq(fat_rename(&t.vol, "a/keep.txt", "c/MOVED.txt"), FAT_EEXIST);
	cr_assert_eq(fat_rename(&t.vol, "nothere", "x"), FAT_ENOENT);
	judge();
	char *list;
	mt_list(t.img, &list);
	cr_assert_str_eq(list, "/a/\n/a/keep.txt\n/c/\n/c/MOVED.txt\n/c/b moved/\n");
	free(list);
	expect_mtools("/c/MOVED.txt", 4000, 1);
	cr_assert_eq(shell("MTOOLS_SKIP_CHECK=1 mdir -i '%s' '::/c/b moved/..' >/dev/null 2>&1", t.img), 0);
	/* rmdir rules */
	cr_assert_eq(fat_rmdir(&t.vol, "c"), FAT_ENOTEMPTY);
	cr_assert_eq(fat_rmdir(&t.vol, "c/MOVED.txt"), FAT_ENOTDIR);
	cr_assert_eq(fat_unlink(&t.vol, "c/b moved"), FAT_EISDIR);
	cr_assert_eq(fat_rmdir(&t.vol, "/"), FAT_EBUSY);
	cr_assert_eq(fat_rmdir(&t.vol, "c/b moved"), 0);
	cr_assert_eq(fat_unlink(&t.vol, "c/MOVED.txt"), 0);
	cr_assert_eq(fat_rmdir(&t.vol, "c"), 0);
	cr_assert_eq(fat_unlink(&t.vol, "a/keep.txt"), 0);
	cr_assert_eq(fat_rmdir(&t.vol, "a"), 0);
	cr_assert_eq(fat_stat(&t.vol, "a", &st), FAT_ENOENT);
	cr_assert_eq(fat_statfs(&t.vol, &s1), 0);
	cr_assert_eq(s1.free_clusters, s0.free_clusters, "clusters leaked");
	judge();
	mt_list(t.img, &list);
	cr_assert_str_eq(list, "");
	free(list);
	testimg_free(&t);
}

Test(fat_write, error_codes)
{
	struct fat_file f, g;
	char name[300];
	fresh(8192, 2, NULL);
	put("file.txt", 10, 1);
	cr_assert_eq(fat_mkdir(&t.vol, "dir"), 0);
	cr_assert_eq(fat_open(&t.vol, &f, "file.txt", FAT_O_WRITE | FAT_O_CREAT | FAT_O_EXCL), FAT_EEXIST);
	cr_assert_eq(fat_mkdir(&t.vol, "dir"), FAT_EEXIST);
	cr_assert_eq(fat_mkdir(&t.vol, "FILE.TXT"), FAT_EEXIST);
	cr_assert_eq(fat_open(&t.vol, &f, "missing", FAT_O_READ), FAT_ENOENT);
	cr_assert_eq(fat_open(&t.vol, &f, "nodir/x", FAT_O_READ | FAT_O_CREAT), FAT_ENOENT);
	cr_assert_eq(fat_open(&t.vol, &f, "file.txt/x", FAT_O_READ), FAT_ENOTDIR);
	cr_assert_eq(fat_open(&t.vol, &f, "dir", FAT_O_READ), FAT_EISDIR);
	cr_assert_eq(fat_open(&t.vol, &f, "/", FAT_O_READ), FAT_EISDIR);
	cr_assert_eq(fat_open(&t.vol, &f, "a:b", FAT_O_WRITE | FAT_O_CREAT), FAT_EBADNAME);
	cr_assert_eq(fat_open(&t.vol, &f, "trailingdot.", FAT_O_WRITE | FAT_O_CREAT), FAT_EBADNAME);
	cr_assert_eq(fat_mkdir(&t.vol, "dir/.."), FAT_EBADNAME);
	memset(name, 'x', 256);
	name[256] = 0;
	cr_assert_eq(fat_open(&t.vol, &f, name, FAT_O_WRITE | FAT_O_CREAT), FAT_EBADNAME);
	name[255] = 0;
	cr_assert_eq(fat_open(&t.vol, &f, name, FAT_O_WRITE | FAT_O_CREAT), 0, "%s", fat_errmsg(&t.vol));
	cr_assert_eq(fat_close(&f), 0);
	cr_assert_eq(fat_open(&t.vol, &f, "file.txt", 0), FAT_EINVAL);
	/* handles: wrong mode, busy, closed */
	cr_assert_eq(fat_open(&t.vol, &f, "file.txt", FAT_O_READ), 0);
	cr_assert_eq(fat_write(&f, "x", 1), FAT_EBADF);
	cr_assert_eq(fat_open(&t.vol, &g, "file.txt", FAT_O_READ), 0);
	cr_assert_eq(fat_close(&g), 0);
	cr_assert_eq(fat_open(&t.vol, &g, "file.txt", FAT_O_WRITE), FAT_EBUSY);
	cr_assert_eq(fat_unlink(&t.vol, "file.txt"), FAT_EBUSY);
	cr_assert_eq(fat_close(&f), 0);
	cr_assert_eq(fat_close(&f), FAT_EBADF);
	cr_assert_eq(fat_read(&f, name, 1), FAT_EBADF);
	/* messages */
	cr_assert_str_eq(fat_strerror(FAT_ENOSPC), "disk full");
	cr_assert_str_eq(fat_strerror(FAT_EROOTFULL), "root directory full");
	cr_assert_str_eq(fat_strerror(-999), "unknown error");
	cr_assert_eq(fat_stat(&t.vol, "missing", &(struct fat_stat){0}), FAT_ENOENT);
	cr_assert(strstr(fat_errmsg(&t.vol), "not found") != NULL, "%s", fat_errmsg(&t.vol));
	judge();
	/* read-only attribute, set by mattrib */
	cr_assert_eq(fat_unmount(&t.vol), 0);
	cr_assert_eq(shell("MTOOLS_SKIP_CHECK=1 mattrib -i '%s' +r ::/file.txt", t.img), 0);
	cr_assert_eq(testimg_mount(&t, 0), 0);
	cr_assert_eq(fat_open(&t.vol, &f, "file.txt", FAT_O_WRITE), FAT_EACCES);
	cr_assert_eq(fat_unlink(&t.vol, "file.txt"), FAT_EACCES);
	cr_assert_eq(fat_open(&t.vol, &f, "file.txt", FAT_O_READ), 0);
	cr_assert_eq(fat_close(&f), 0);
	/* read-only mount: every change refused, nothing written */
	cr_assert_eq(testimg_mount(&t, FAT_MOUNT_RDONLY), 0);
	cr_assert_eq(fat_open(&t.vol, &f, "new", FAT_O_WRITE | FAT_O_CREAT), FAT_EROFS);
	cr_assert_eq(fat_open(&t.vol, &f, "dir/new", FAT_O_READ | FAT_O_CREAT), FAT_EROFS);
	cr_assert_eq(fat_mkdir(&t.vol, "d2"), FAT_EROFS);
	cr_assert_eq(fat_rmdir(&t.vol, "dir"), FAT_EROFS);
	cr_assert_eq(fat_rename(&t.vol, "dir", "dir2"), FAT_EROFS);
	cr_assert_eq(fat_unlink(&t.vol, name), FAT_EROFS);
	cr_assert_eq(fat_sync(&t.vol), 0);
	cr_assert_eq(t.md.writes, 0);
	testimg_free(&t);
}

Test(fat_write, disk_full)
{
	struct fat_file f;
	struct fat_statfs sf;
	static uint8_t buf[65536];
	int32_t w;
	uint32_t total = 0;
	fresh(4096, 1, NULL);
	put("small.txt", 100, 1);
	cr_assert_eq(fat_open(&t.vol, &f, "huge.bin", FAT_O_WRITE | FAT_O_CREAT), 0);
	fill_pattern(buf, sizeof buf, 9, 0);
	while ((w = fat_write(&f, buf, sizeof buf)) == (int32_t)sizeof buf)
		total += (uint32_t)w;
	cr_assert_gt(w, 0, "the last write should be partial");
	total += (uint32_t)w;
	cr_assert_eq(fat_write(&f, buf, 1), FAT_ENOSPC);
	cr_assert_eq(fat_statfs(&t.vol, &sf), 0);
	cr_assert_eq(sf.free_clusters, 0);
	cr_assert_eq(fat_size(&f), total);
	cr_assert_eq(fat_close(&f), 0);
	cr_assert_eq(fat_mkdir(&t.vol, "nospace"), FAT_ENOSPC);
	judge();
	size_t len;
	uint8_t *got = mt_read(t.img, "/huge.bin", &len);
	cr_assert_eq(len, total);
	free(got);
	expect_mtools("/small.txt", 100, 1);
	cr_assert_eq(fat_unlink(&t.vol, "huge.bin"), 0);
	cr_assert_eq(fat_statfs(&t.vol, &sf), 0);
	cr_assert_eq(sf.free_clusters, sf.total_clusters - 1);
	judge();
	testimg_free(&t);
}

Test(fat_write, root_directory_full)
{
	struct fat_file f;
	char n[32];
	int i, r = 0;
	fresh(4096, 1, "-r 32");
	for (i = 0; i < 100; i++) {
		snprintf(n, sizeof n, "F%d.TXT", i);
		if ((r = fat_open(&t.vol, &f, n, FAT_O_WRITE | FAT_O_CREAT)) < 0)
			break;
		fat_close(&f);
	}
	cr_assert_eq(r, FAT_EROOTFULL, "%s", fat_errmsg(&t.vol));
	cr_assert_eq(i, 32);
	cr_assert_eq(fat_mkdir(&t.vol, "D"), FAT_EROOTFULL);
	/* a deleted entry makes room for a short name but not a long one */
	cr_assert_eq(fat_unlink(&t.vol, "F5.TXT"), 0);
	cr_assert_eq(fat_open(&t.vol, &f, "a long name here", FAT_O_WRITE | FAT_O_CREAT), FAT_EROOTFULL);
	cr_assert_eq(fat_open(&t.vol, &f, "NEW.TXT", FAT_O_WRITE | FAT_O_CREAT), 0);
	fat_close(&f);
	judge();
	char *list;
	cr_assert_eq(mt_list(t.img, &list), 32);
	free(list);
	testimg_free(&t);
}

Test(fat_write, subdirectory_grows_over_many_clusters)
{
	char n[64];
	struct fat_dir d;
	struct fat_stat st;
	int count = 0;
	fresh(4096, 1, NULL);
	cr_assert_eq(fat_mkdir(&t.vol, "many"), 0);
	for (int i = 0; i < 300; i++) {
		snprintf(n, sizeof n, "many/a file with a long name %03d", i);
		put(n, (uint32_t)i, (uint32_t)i);
	}
	for (int i = 0; i < 300; i += 2) {
		snprintf(n, sizeof n, "many/a file with a long name %03d", i);
		cr_assert_eq(fat_unlink(&t.vol, n), 0);
	}
	cr_assert_eq(fat_opendir(&t.vol, &d, "many"), 0);
	while (fat_readdir(&d, &st) == 1)
		count++;
	cr_assert_eq(count, 150);
	judge();
	char *list;
	cr_assert_eq(mt_list(t.img, &list), 151);
	cr_assert_not_null(strstr(list, "/many/a file with a long name 299\n"));
	free(list);
	expect_mtools("/many/a file with a long name 201", 201, 201);
	/* empty it and remove it */
	for (int i = 1; i < 300; i += 2) {
		snprintf(n, sizeof n, "many/a file with a long name %03d", i);
		cr_assert_eq(fat_unlink(&t.vol, n), 0);
	}
	cr_assert_eq(fat_rmdir(&t.vol, "many"), 0);
	judge();
	testimg_free(&t);
}

Test(fat_write, writes_into_mtools_populated_image)
{
	cr_assert_eq(testimg_make(&t, 16384, 4, NULL, 1), 0);
	cr_assert_eq(testimg_mount(&t, 0), 0);
	put("Sub Dir Long/level2/new in deep dir.bin", 9000, 42);
	cr_assert_eq(fat_unlink(&t.vol, "big.bin"), 0);
	cr_assert_eq(fat_rename(&t.vol, "many/file_number_007.dat", "moved 7.dat"), 0);
	judge();
	expect_mtools("/Sub Dir Long/level2/new in deep dir.bin", 9000, 42);
	expect_mtools("/moved 7.dat", 7 * 37, 107);
	testimg_free(&t);
}

Test(fat_write, unicode_names_both_ways)
{
	struct fat_stat st;
	fresh(8192, 2, NULL);
	cr_assert_eq(fat_unmount(&t.vol), 0);
	/* mtools writes a UTF-8 name; we read it */
	cr_assert_eq(shell("cd '%s' && printf 'from mtools' > 'café ünï.txt' && LC_ALL=C.UTF-8 "
			   "MTOOLS_SKIP_CHECK=1 mcopy -i '%s' 'café ünï.txt' ::/", t.dir, t.img), 0);
	cr_assert_eq(testimg_mount(&t, 0), 0);
	cr_assert_eq(fat_stat(&t.vol, "café ünï.txt", &st), 0, "%s", fat_errmsg(&t.vol));
	cr_assert_str_eq(st.name, "café ünï.txt");
	cr_assert_eq(st.size, 11);
	/* we write UTF-8 names (2- and 3-byte characters); mtools reads them */
	cr_assert_eq(fat_mkdir(&t.vol, "Ünïcödé Dir"), 0);
	put("Ünïcödé Dir/naïve €.txt", 3000, 5);
	put("日本語のファイル.txt", 100, 6);
	cr_assert_eq(fat_stat(&t.vol, "日本語のファイル.txt", &st), 0);
	cr_assert_str_eq(st.sfn, "______~1.TXT");
	/* invalid UTF-8 is a bad name */
	struct fat_file f;
	cr_assert_eq(fat_open(&t.vol, &f, "bad\xff.txt", FAT_O_WRITE | FAT_O_CREAT), FAT_EBADNAME);
	cr_assert_eq(fat_open(&t.vol, &f, "bad\xc3.txt", FAT_O_WRITE | FAT_O_CREAT), FAT_EBADNAME);
	judge();
	char *list;
	mt_list(t.img, &list);
	cr_assert_str_eq(list, "/café ünï.txt\n/Ünïcödé Dir/\n/Ünïcödé Dir/naïve €.txt\n/日本語のファイル.txt\n");
	free(list);
	expect_mtools("/Ünïcödé Dir/naïve €.txt", 3000, 5);
	expect_mtools("/日本語のファイル.txt", 100, 6);
	testimg_free(&t);
}

/* Names beyond ASCII that other tools make and that users type: mtools
 * stores "é.txt" as a short entry in code page 850 (no long name); names
 * beyond the BMP (emoji) are UTF-16 surrogate pairs in the long entries. */
Test(fat_write, oem_short_names_and_emoji)
{
	struct fat_stat st;
	struct fat_file f;
	char buf[32] = {0};
	fresh(8192, 2, NULL);
	cr_assert_eq(fat_unmount(&t.vol), 0);
	cr_assert_eq(shell("cd '%s' && printf 'accent' > 'é.txt' && LC_ALL=C.UTF-8 "
			   "MTOOLS_SKIP_CHECK=1 mcopy -i '%s' 'é.txt' ::/", t.dir, t.img), 0);
	cr_assert_eq(testimg_mount(&t, 0), 0);
	cr_assert_eq(fat_stat(&t.vol, "é.txt", &st), 0, "%s", fat_errmsg(&t.vol));
	cr_assert_str_eq(st.name, "é.txt", "shown as UTF-8, not '?'");
	cr_assert_eq(fat_stat(&t.vol, "É.TXT", &st), 0, "case-insensitive beyond ASCII");
	cr_assert_eq(fat_open(&t.vol, &f, "é.txt", FAT_O_READ), 0);
	cr_assert_eq(fat_read(&f, buf, sizeof buf), 6);
	cr_assert_str_eq(buf, "accent");
	fat_close(&f);
	struct fat_dir d;
	int seen = 0;
	cr_assert_eq(fat_opendir(&t.vol, &d, "/"), 0);
	while (fat_readdir(&d, &st) == 1)
		seen += !strcmp(st.name, "é.txt");
	cr_assert_eq(seen, 1);
	/* an emoji: four UTF-8 bytes, one surrogate pair on disk */
	put("😀 smile.txt", 500, 9);
	cr_assert_eq(fat_stat(&t.vol, "😀 smile.txt", &st), 0, "%s", fat_errmsg(&t.vol));
	cr_assert_str_eq(st.name, "😀 smile.txt");
	cr_assert_eq(fat_unmount(&t.vol), 0);
	static const uint8_t pair[] = {0x3D, 0xD8, 0x00, 0xDE, ' ', 0};	/* U+1F600, then ' ' */
	size_t len = (size_t)t.sectors * 512;
	bool found = false;
	for (size_t i = 0; i + sizeof pair <= len && !found; i++)
		found = memcmp(t.data + i, pair, sizeof pair) == 0;
	cr_assert_eq(testimg_save(&t), 0);
	cr_assert(found, "the long entry holds the surrogate pair D83D DE00");
	char out[4096];
	cr_assert_eq(fsck_check(t.img, out, sizeof out), 0, "%s", out);
	cr_assert_eq(testimg_mount(&t, 0), 0);
	/* invalid: a lone surrogate's UTF-8 form, and beyond U+10FFFF */
	cr_assert_eq(fat_open(&t.vol, &f, "x\xed\xa0\x80.txt", FAT_O_WRITE | FAT_O_CREAT), FAT_EBADNAME);
	cr_assert_eq(fat_open(&t.vol, &f, "x\xf4\x90\x80\x80.txt", FAT_O_WRITE | FAT_O_CREAT), FAT_EBADNAME);
	testimg_free(&t);
}

Test(fat_write, rename_while_open_for_writing)
{
	struct fat_file f;
	static uint8_t buf[20000];
	fresh(8192, 2, NULL);
	cr_assert_eq(fat_mkdir(&t.vol, "dst"), 0);
	cr_assert_eq(fat_open(&t.vol, &f, "open file.bin", FAT_O_WRITE | FAT_O_CREAT), 0);
	fill_pattern(buf, sizeof buf, 77, 0);
	cr_assert_eq(fat_write(&f, buf, 12000), 12000);
	/* renamed (across directories) while open and unsynced: the handle follows */
	cr_assert_eq(fat_rename(&t.vol, "open file.bin", "dst/renamed while open.bin"), 0);
	cr_assert_eq(fat_write(&f, buf + 12000, 8000), 8000);
	cr_assert_eq(fat_close(&f), 0);
	struct fat_stat st;
	cr_assert_eq(fat_stat(&t.vol, "open file.bin", &st), FAT_ENOENT);
	cr_assert_eq(fat_stat(&t.vol, "dst/renamed while open.bin", &st), 0);
	cr_assert_eq(st.size, 20000);
	judge();
	expect_mtools("/dst/renamed while open.bin", 20000, 77);
	testimg_free(&t);
}
