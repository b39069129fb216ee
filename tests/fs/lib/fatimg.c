/* See fatimg.h. */
#include "tests/fs/lib/fatimg.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static void put_file(const char *dir, const char *name, size_t size, uint32_t seed)
{
	char path[1024];
	uint8_t *buf = malloc(size ? size : 1);
	FILE *f;
	snprintf(path, sizeof path, "%s/%s", dir, name);
	fill_pattern(buf, size, seed, 0);
	f = fopen(path, "wb");
	if (f) {
		fwrite(buf, 1, size, f);
		fclose(f);
	}
	free(buf);
}

static void populate(const char *src, unsigned clus)
{
	char p[1024];
	put_file(src, "empty.txt", 0, 1);
	put_file(src, "hello.txt", 13, 2);
	put_file(src, "UPPER.TXT", 700, 3);
	put_file(src, "MixedCase.Txt", 1500, 4);
	put_file(src, "A long file name with spaces.txt", 3000, 5);
	put_file(src, "exactly_one_cluster.bin", clus, 6);
	put_file(src, "cluster_plus_one.bin", clus + 1, 7);
	put_file(src, "big.bin", 200000, 8);
	put_file(src, "longname_one.txt", 10, 9);
	put_file(src, "longname_two.txt", 20, 10);
	put_file(src, "a.b.c.d", 30, 11);
	snprintf(p, sizeof p, "%s/Sub Dir Long/level2/level3", src);
	shell("mkdir -p '%s'", p);
	put_file(p, "deep file.txt", 5000, 12);
	snprintf(p, sizeof p, "%s/Sub Dir Long", src);
	put_file(p, "in sub.bin", 70000, 13);
	snprintf(p, sizeof p, "%s/emptydir", src);
	mkdir(p, 0755);
	snprintf(p, sizeof p, "%s/many", src);
	mkdir(p, 0755);
	for (int i = 0; i < 120; i++) {
		char n[64];
		snprintf(n, sizeof n, "file_number_%03d.dat", i);
		put_file(p, n, (size_t)i * 37, 100 + (uint32_t)i);
	}
}

int testimg_make(struct testimg *t, unsigned kb, unsigned spc, const char *extra, int pop)
{
	memset(t, 0, sizeof *t);
	if (!tmpdir_make(t->dir, sizeof t->dir))
		return -1;
	snprintf(t->img, sizeof t->img, "%s/disk.img", t->dir);
	snprintf(t->src, sizeof t->src, "%s/src", t->dir);
	mkdir(t->src, 0755);
	if (shell("mkfs.fat -C -F 16 -s %u %s '%s' %u >/dev/null 2>&1", spc, extra ? extra : "",
		  t->img, kb) != 0)
		return -1;
	if (pop) {
		populate(t->src, spc * 512);
		if (shell("cd '%s' && MTOOLS_SKIP_CHECK=1 mcopy -s -Q -i '%s' * ::/ 2>&1", t->src, t->img) != 0)
			return -1;
	}
	return 0;
}

int testimg_mount(struct testimg *t, unsigned flags)
{
	free(t->data);
	t->data = img_load(t->img, &t->sectors);
	if (!t->data)
		return -100;
	memdev_init(&t->md, t->data, t->sectors);
	t->bd = memdev_blockdev(&t->md);
	return fat_mount(&t->vol, &t->bd, flags);
}

int testimg_save(struct testimg *t)
{
	return img_save(t->img, t->data, t->sectors);
}

void testimg_free(struct testimg *t)
{
	free(t->data);
	t->data = NULL;
	tmpdir_remove(t->dir);
}
