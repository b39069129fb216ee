/* Crash ordering.  A scenario of file-system operations with explicit syncs
 * runs once on a device that logs every sector write.  Then, for every
 * k = 0..N, the base image plus the first k logged writes is a "crash after
 * write k" image; each must be repaired by `fsck.fat -a` into one that
 * `fsck.fat -n` finds clean, and must still hold every file that was synced
 * and not touched since.  At each sync point the image must be clean without
 * repair and hold exactly the synced state (checked with mtools too).
 * Prints TEST PASS/FAIL lines. */
#pragma GCC diagnostic ignored "-Wformat-truncation"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <fcntl.h>
#include <unistd.h>
#include "servers/fs/fat.h"
#include "tests/fs/lib/fatimg.h"
#include "tests/fs/lib/mtcheck.h"

#define MAXE 256
#define MAXSYNC 16
struct ent {
	char path[256];
	bool dir, live;
	uint8_t *d;
	uint32_t n;
	uint32_t touched;	/* bit p: touched during phase p */
};
static struct ent m[MAXE];
static int nm;
static int phase;	/* phase p runs after snapshot p */
struct snap {
	struct ent e[MAXE];
	int n;
	size_t logpos;
};
static struct snap snaps[MAXSYNC];
static int nsnaps;
static struct testimg t;
static int failures;

static void fail(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	printf("  ");
	vprintf(fmt, ap);
	printf("\n");
	va_end(ap);
	failures++;
}

static struct ent *get(const char *p)
{
	for (int i = 0; i < nm; i++)
		if (m[i].live && !strcasecmp(m[i].path, p))
			return &m[i];
	return NULL;
}

static struct ent *newent(const char *p, bool dir)
{
	struct ent *e = &m[nm++];
	memset(e, 0, sizeof *e);
	snprintf(e->path, sizeof e->path, "%s", p);
	e->dir = dir;
	e->live = true;
	return e;
}

static void touch(struct ent *e) { e->touched |= 1u << phase; }

static void wr(const char *p, uint32_t off, uint32_t len, uint32_t seed, unsigned flags)
{
	struct fat_file f;
	struct ent *e = get(p);
	uint8_t *buf = malloc(len + 1);
	fill_pattern(buf, len, seed, 0);
	if (fat_open(&t.vol, &f, p, FAT_O_RDWR | flags) < 0) {
		fail("open %s: %s", p, fat_errmsg(&t.vol));
		return;
	}
	if (!e)
		e = newent(p, false);
	touch(e);
	fat_seek(&f, off);
	for (uint32_t done = 0; done < len;) {
		uint32_t k = len - done < 3000 ? len - done : 3000;
		if (fat_write(&f, buf + done, k) != (int32_t)k)
			fail("write %s: %s", p, fat_errmsg(&t.vol));
		done += k;
	}
	fat_close(&f);
	if (off + len > e->n) {
		e->d = realloc(e->d, off + len);
		memset(e->d + e->n, 0, off + len - e->n);
		e->n = off + len;
	}
	memcpy(e->d + off, buf, len);
	free(buf);
}
static void mk(const char *p, uint32_t len, uint32_t seed) { wr(p, 0, len, seed, FAT_O_CREAT | FAT_O_EXCL); }
static void app(const char *p, uint32_t len, uint32_t seed) { wr(p, get(p)->n, len, seed, 0); }
static void ovw(const char *p, uint32_t off, uint32_t len, uint32_t seed) { wr(p, off, len, seed, 0); }

static void trunc_to(const char *p, uint32_t n)
{
	struct fat_file f;
	struct ent *e = get(p);
	touch(e);
	if (fat_open(&t.vol, &f, p, FAT_O_WRITE) < 0 || fat_truncate(&f, n) < 0)
		fail("truncate %s: %s", p, fat_errmsg(&t.vol));
	fat_close(&f);
	if (n > e->n) {
		e->d = realloc(e->d, n);
		memset(e->d + e->n, 0, n - e->n);
	}
	e->n = n;
}

static void del(const char *p)
{
	struct ent *e = get(p);
	touch(e);
	if (fat_unlink(&t.vol, p) < 0)
		fail("unlink %s: %s", p, fat_errmsg(&t.vol));
	e->live = false;
}

static void mkd(const char *p)
{
	if (fat_mkdir(&t.vol, p) < 0)
		fail("mkdir %s: %s", p, fat_errmsg(&t.vol));
	touch(newent(p, true));
}

static void rmd(const char *p)
{
	struct ent *e = get(p);
	touch(e);
	if (fat_rmdir(&t.vol, p) < 0)
		fail("rmdir %s: %s", p, fat_errmsg(&t.vol));
	e->live = false;
}

static void ren(const char *a, const char *b)
{
	size_t n = strlen(a);
	if (fat_rename(&t.vol, a, b) < 0)
		fail("rename %s: %s", a, fat_errmsg(&t.vol));
	for (int i = 0; i < nm; i++)
		if (m[i].live && !strncasecmp(m[i].path, a, n) && (m[i].path[n] == 0 || m[i].path[n] == '/')) {
			char np[512];
			touch(&m[i]);
			snprintf(np, sizeof np, "%s%s", b, m[i].path + n);
			snprintf(m[i].path, sizeof m[i].path, "%s", np);
		}
}

static void snapshot(void)
{
	struct snap *s = &snaps[nsnaps++];
	s->n = 0;
	for (int i = 0; i < nm; i++)
		if (m[i].live) {
			s->e[s->n] = m[i];
			s->e[s->n].d = malloc(m[i].n + 1);
			memcpy(s->e[s->n].d, m[i].d, m[i].n);
			s->e[s->n].touched = (uint32_t)i;	/* index into m */
			s->n++;
		}
	s->logpos = t.md.log_len;
	phase = nsnaps;
}

static void sync_point(void)
{
	if (fat_sync(&t.vol) < 0)
		fail("sync: %s", fat_errmsg(&t.vol));
	snapshot();
}

static void scenario(void)
{
	char p[128];
	mk("new one.txt", 12000, 20);
	app("grow.dat", 9000, 21);
	trunc_to("shrink.dat", 5000);
	del("victim.txt");
	sync_point();
	mkd("dir2");
	mk("dir2/deep file with long name.dat", 25000, 22);
	for (int i = 0; i < 24; i++) {
		snprintf(p, sizeof p, "dir2/small file number %d", i);
		mk(p, (uint32_t)(i * 50), 100 + (uint32_t)i);
	}
	ren("ren me.txt", "dir2/renamed.txt");
	ren("dir", "dir2/dir moved");
	rmd("emptyd");
	ovw("Long Base Name.bin", 1000, 3000, 23);
	sync_point();
	app("new one.txt", 5000, 24);
	mk("unsynced.bin", 20000, 25);
	trunc_to("grow.dat", 0);
	del("dir2/deep file with long name.dat");
	for (int i = 0; i < 24; i += 3) {
		snprintf(p, sizeof p, "dir2/small file number %d", i);
		del(p);
	}
	sync_point();
	mk("after last sync", 8000, 26);
	ren("new one.txt", "new renamed.txt");
	trunc_to("shrink.dat", 100);
	app("dir2/renamed.txt", 3000, 27);
}

/* Files of snapshot s not touched in phase s+1 (all of them if exact). */
static bool check_state(const struct snap *s, bool exact, const char *what)
{
	bool ok = true;
	int seen = 0;
	for (int i = 0; i < s->n; i++) {
		const struct ent *e = &s->e[i];
		struct fat_stat st;
		if (!exact && (m[e->touched].touched >> (s - snaps + 1)) & 1)
			continue;
		if (fat_stat(&t.vol, e->path, &st) < 0 || st.is_dir != e->dir) {
			fail("%s: synced %s missing (%s)", what, e->path, fat_errmsg(&t.vol));
			ok = false;
			continue;
		}
		seen++;
		if (e->dir)
			continue;
		struct fat_file f;
		uint8_t *buf = malloc(e->n + 1);
		int32_t r = -1;
		if (fat_open(&t.vol, &f, e->path, FAT_O_READ) == 0) {
			r = fat_read(&f, buf, e->n + 1);
			fat_close(&f);
		}
		if (r != (int32_t)e->n || memcmp(buf, e->d, e->n) != 0) {
			fail("%s: synced %s has %d bytes, expected %u (or differs)", what, e->path, r, e->n);
			ok = false;
		}
		free(buf);
	}
	if (exact) {
		/* nothing more than the snapshot: count entries on the volume */
		int count = 0;
		char stack[64][300];
		int sp = 0;
		snprintf(stack[sp++], 300, "/");
		while (sp) {
			char dir[300];
			struct fat_dir d;
			struct fat_stat st;
			snprintf(dir, sizeof dir, "%s", stack[--sp]);
			if (fat_opendir(&t.vol, &d, dir) < 0)
				break;
			while (fat_readdir(&d, &st) == 1) {
				count++;
				if (st.is_dir && sp < 64)
					snprintf(stack[sp++], 300, "%s/%s", dir, st.name);
			}
		}
		if (count != s->n) {
			fail("%s: %d entries on the volume, %d synced", what, count, s->n);
			ok = false;
		}
	}
	return ok;
}

static int file_read(void *ctx, uint32_t lba, uint32_t n, void *buf)
{
	ssize_t want = (ssize_t)n * 512;
	return pread(*(int *)ctx, buf, (size_t)want, (off_t)lba * 512) == want ? 0 : -1;
}

static int run(unsigned kb, unsigned spc)
{
	static char out[1 << 16];
	uint8_t *base;
	uint32_t secs;
	size_t N;
	int bad_cuts = 0, multipass = 0;

	char geo[64];
	snprintf(geo, sizeof geo, "%uK spc=%u", kb, spc);
	for (int i = 0; i < nm; i++)
		free(m[i].d);
	nm = 0;
	nsnaps = 0;
	phase = 0;
	failures = 0;
	memset(&t, 0, sizeof t);
	if (testimg_make(&t, kb, spc, NULL, 0) != 0 || testimg_mount(&t, 0) != 0) {
		printf("TEST FAIL fat_crash %s: cannot make image\n", geo);
		return 1;
	}
	/* the base state, synced */
	mk("keep.txt", 3000, 1);
	mk("Long Base Name.bin", 40000, 2);
	mkd("dir");
	mk("dir/inner.txt", 5000, 3);
	mk("victim.txt", 7000, 4);
	mk("grow.dat", 1000, 5);
	mk("shrink.dat", 30000, 6);
	mkd("emptyd");
	mk("ren me.txt", 2000, 7);
	/* free clusters full of plausible directory entries naming keep.txt's
	 * clusters: a directory grown over them without zeroing first would
	 * cross-link keep.txt after a crash */
	{
		struct fat_stat st;
		struct fat_file f;
		static uint8_t junk[200 * 1024];
		fat_stat(&t.vol, "keep.txt", &st);
		for (size_t i = 0; i < sizeof junk; i += 32) {
			snprintf((char *)junk + i, 12, "JUNK%07zu", i / 32);
			junk[i + 11] = 0x20;
			junk[i + 26] = (uint8_t)st.first_cluster;
			junk[i + 27] = (uint8_t)(st.first_cluster >> 8);
			junk[i + 28] = 0xB8;
			junk[i + 29] = 0x0B;
		}
		fat_open(&t.vol, &f, "junk", FAT_O_WRITE | FAT_O_CREAT);
		fat_write(&f, junk, sizeof junk);
		fat_close(&f);
		fat_unlink(&t.vol, "junk");
	}
	fat_unmount(&t.vol);
	for (int i = 0; i < nm; i++)
		m[i].touched = 0;
	testimg_save(&t);
	base = img_load(t.img, &secs);
	if (testimg_mount(&t, 0) != 0)
		return 1;
	memdev_log_enable(&t.md, 100000);
	phase = 0;
	snapshot();
	scenario();
	N = t.md.log_len;
	printf("scenario: %zu sector writes, sync points at", N);
	for (int s = 0; s < nsnaps; s++)
		printf(" %zu", snaps[s].logpos);
	printf("\n");
	if (failures) {
		printf("TEST FAIL fat_crash %s scenario\n", geo);
		return 1;
	}
	printf("TEST PASS fat_crash %s scenario ran (%zu writes)\n", geo, N);

	uint8_t *img = malloc((size_t)secs * 512);
	memcpy(img, base, (size_t)secs * 512);
	int s = 0;
	for (size_t k = 0; k <= N; k++) {
		int before = failures;
		char what[64];
		if (k > 0)
			memcpy(img + (size_t)t.md.log_lba[k - 1] * 512, t.md.log_data + (k - 1) * 512, 512);
		while (s + 1 < nsnaps && snaps[s + 1].logpos <= k)
			s++;
		snprintf(what, sizeof what, "cut after write %zu", k);
		img_save(t.img, img, secs);
		bool at_sync = snaps[s].logpos == k && s > 0;
		if (at_sync) {
			if (fsck_check(t.img, out, sizeof out) != 0)
				fail("%s (sync point %d): not clean without repair:\n%s", what, s, out);
			char *list;
			int n = mt_list(t.img, &list);
			if (n != snaps[s].n)
				fail("%s: mdir lists %d paths, %d synced:\n%s", what, n, snaps[s].n, list);
			free(list);
		}
		/* dosfstools needs a second (third) pass for one state: a
		 * directory cross-linked in the window of a cross-directory
		 * rename (it truncates one name, then deletes it, then its
		 * orphaned long name).  Three passes must always suffice. */
		int pass;
		for (pass = 1; pass <= 3; pass++) {
			int rc = shell_out(out, sizeof out, "fsck.fat -a '%s' 2>&1", t.img);
			if (rc != 0 && rc != 1)
				fail("%s: fsck.fat -a exit %d:\n%s", what, rc, out);
			if (fsck_check(t.img, out, sizeof out) == 0)
				break;
		}
		if (pass > 3)
			fail("%s: still not clean after 3 passes of fsck.fat -a:\n%s", what, out);
		else if (pass > 1)
			multipass++;
		/* check the repaired file in place (reads only what it needs) */
		int fd = open(t.img, O_RDONLY);
		struct blockdev bd2 = {&fd, file_read, NULL, NULL, secs};
		if (fat_mount(&t.vol, &bd2, FAT_MOUNT_RDONLY) < 0)
			fail("%s: repaired image does not mount: %s", what, fat_errmsg(&t.vol));
		else
			check_state(&snaps[s], at_sync, what);
		close(fd);
		if (failures != before) {
			if (getenv("FAT_CRASH_KEEP")) {
				char keep[512];
				snprintf(keep, sizeof keep, "%s.cut%zu", t.img, k);
				img_save(keep, img, secs);
				printf("  kept %s\n", keep);
			}
			bad_cuts++;
			if (bad_cuts > 5)
				break;
		}
	}
	if (bad_cuts)
		printf("TEST FAIL fat_crash %s: %d of %zu cut images bad\n", geo, bad_cuts, N + 1);
	else
		printf("TEST PASS fat_crash %s: all %zu cut images repairable (%d needed >1 fsck pass), synced data kept\n",
		       geo, N + 1, multipass);
	if (!getenv("FAT_CRASH_KEEP"))
		tmpdir_remove(t.dir);
	memdev_free_log(&t.md);
	free(t.data);
	free(base);
	free(img);
	return bad_cuts ? 1 : 0;
}

int main(void)
{
	int bad = run(4096, 1);
	bad |= run(8192, 2);
	return bad;
}
