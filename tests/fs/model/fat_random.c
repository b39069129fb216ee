/* Random operation sequences on the FAT16 core against an in-memory model.
 * After every checkpoint the image must pass `fsck.fat -n`, `mdir` must list
 * exactly the model's paths and `mtype` must read exactly the model's bytes;
 * the core itself must read the same after a remount.  Seeds are fixed and
 * printed; FAT_RANDOM_SEED=n reruns one.  Prints TEST PASS/FAIL lines. */
#pragma GCC diagnostic ignored "-Wformat-truncation"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "servers/fs/fat.h"
#include "tests/fs/lib/fatimg.h"
#include "tests/fs/lib/mtcheck.h"

#define MAXN 400
struct node {
	char path[700];
	bool dir, live;
	uint8_t *data;
	uint32_t size;
};
static struct node nodes[MAXN];
static int nnodes;
static struct testimg t;
static uint64_t rng;
static char failmsg[4096];
static int failed;
static uint64_t total_bytes;

static uint32_t rnd(uint32_t n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return n ? (uint32_t)(rng % n) : 0;
}

static void fail(const char *fmt, ...)
{
	va_list ap;
	if (failed++)
		return;
	va_start(ap, fmt);
	vsnprintf(failmsg, sizeof failmsg, fmt, ap);
	va_end(ap);
}

static struct node *find(const char *path)
{
	for (int i = 0; i < nnodes; i++)
		if (nodes[i].live && strcasecmp(nodes[i].path, path) == 0)
			return &nodes[i];
	return NULL;
}

static struct node *pick(int want_dir)	/* -1 any */
{
	int c[MAXN], n = 0;
	for (int i = 0; i < nnodes; i++)
		if (nodes[i].live && (want_dir < 0 || nodes[i].dir == want_dir))
			c[n++] = i;
	return n ? &nodes[c[rnd((uint32_t)n)]] : NULL;
}

static struct node *add(const char *path, bool dir)
{
	for (int i = 0; i < nnodes; i++)
		if (!nodes[i].live) {
			memset(&nodes[i], 0, sizeof nodes[i]);
			snprintf(nodes[i].path, sizeof nodes[i].path, "%s", path);
			nodes[i].dir = dir;
			nodes[i].live = true;
			return &nodes[i];
		}
	if (nnodes >= MAXN)
		return NULL;
	struct node *n = &nodes[nnodes++];
	memset(n, 0, sizeof *n);
	snprintf(n->path, sizeof n->path, "%s", path);
	n->dir = dir;
	n->live = true;
	return n;
}

static void rand_name(char *buf, size_t cap)
{
	static const char *forms[] = {"file%u.txt", "DATA%u.BIN", "A Long Name %u with spaces.text", "x%u",
				      "Mixed%uCase.Dat", "very_long_file_name_number_%u_here.data", "d%u", "%u"};
	snprintf(buf, cap, forms[rnd(8)], rnd(60));
}

static void parent_path(struct node **dir, char *buf, size_t cap)
{
	*dir = rnd(3) ? pick(1) : NULL;
	snprintf(buf, cap, "%s", *dir ? (*dir)->path : "");
}

static bool has_children(const struct node *d)
{
	size_t n = strlen(d->path);
	for (int i = 0; i < nnodes; i++)
		if (nodes[i].live && &nodes[i] != d && strncasecmp(nodes[i].path, d->path, n) == 0 &&
		    nodes[i].path[n] == '/')
			return true;
	return false;
}

static void write_at(struct node *n, uint32_t off, uint32_t len)
{
	struct fat_file f;
	uint8_t *buf = malloc(len + 1);
	fill_pattern(buf, len, rnd(1u << 30), 0);
	int r = fat_open(&t.vol, &f, n->path, FAT_O_RDWR);
	if (r < 0) {
		fail("open %s for write: %s", n->path, fat_errmsg(&t.vol));
		free(buf);
		return;
	}
	fat_seek(&f, off);
	uint32_t done = 0;
	while (done < len) {
		uint32_t k = 1 + rnd(len - done);
		int32_t w = fat_write(&f, buf + done, k);
		if (w != (int32_t)k) {
			fail("write %s +%u: %d %s", n->path, off + done, w, fat_errmsg(&t.vol));
			break;
		}
		done += k;
	}
	if (fat_close(&f) < 0)
		fail("close %s: %s", n->path, fat_errmsg(&t.vol));
	if (len > 0 && off + len > n->size) {	/* a 0-byte write does not extend */
		n->data = realloc(n->data, off + len);
		if (off > n->size)
			memset(n->data + n->size, 0, off - n->size);
		total_bytes += off + len - n->size;
		n->size = off + len;
	}
	memcpy(n->data + off, buf, len);
	free(buf);
}

static void op(int verbose)
{
	char path[700], name[64], parent[600];
	struct node *d, *n;
	struct fat_file f;
	int r;
	uint32_t kind = rnd(100);
	if (kind < 25) {		/* create */
		parent_path(&d, parent, sizeof parent);
		rand_name(name, sizeof name);
		snprintf(path, sizeof path, "%s/%s", parent, name);
		n = find(path);
		r = fat_open(&t.vol, &f, path, FAT_O_WRITE | FAT_O_CREAT | FAT_O_EXCL);
		if (verbose)
			printf("create %s -> %d\n", path, r);
		if (n) {
			if (r != FAT_EEXIST)
				fail("create existing %s: %d", path, r);
			if (r == 0)
				fat_close(&f);
			return;
		}
		if (r == FAT_EROOTFULL && !d)
			return;
		if (r < 0) {
			fail("create %s: %s", path, fat_errmsg(&t.vol));
			return;
		}
		fat_close(&f);
		n = add(path, false);
		if (n && total_bytes < 2000000)
			write_at(n, 0, rnd(4) ? rnd(3000) : rnd(120000));
	} else if (kind < 45) {		/* write somewhere */
		if (!(n = pick(0)) || total_bytes > 2500000)
			return;
		uint32_t off = rnd(n->size + 3000), len = rnd(4) ? rnd(2000) : rnd(40000);
		if (verbose)
			printf("write %s at %u len %u\n", n->path, off, len);
		write_at(n, off, len);
	} else if (kind < 55) {		/* truncate */
		if (!(n = pick(0)))
			return;
		uint32_t ns = rnd(n->size + 5000);
		if (verbose)
			printf("truncate %s %u -> %u\n", n->path, n->size, ns);
		if ((r = fat_open(&t.vol, &f, n->path, FAT_O_WRITE)) < 0 || (r = fat_truncate(&f, ns)) < 0) {
			fail("truncate %s: %s", n->path, fat_errmsg(&t.vol));
			return;
		}
		fat_close(&f);
		if (ns > n->size) {
			n->data = realloc(n->data, ns);
			memset(n->data + n->size, 0, ns - n->size);
			total_bytes += ns - n->size;
		}
		n->size = ns;
	} else if (kind < 65) {		/* delete */
		if (!(n = pick(0)))
			return;
		r = fat_unlink(&t.vol, n->path);
		if (verbose)
			printf("unlink %s -> %d\n", n->path, r);
		if (r < 0)
			fail("unlink %s: %s", n->path, fat_errmsg(&t.vol));
		n->live = false;
		free(n->data);
		n->data = NULL;
	} else if (kind < 78) {		/* rename file or directory */
		if (!(n = pick(-1)))
			return;
		if (rnd(5) == 0) {	/* change only the case of the last component */
			snprintf(path, sizeof path, "%s", n->path);
			char *slash = strrchr(path, '/');
			for (char *q = slash + 1; *q; q++)
				if ((*q >= 'a' && *q <= 'z') || (*q >= 'A' && *q <= 'Z'))
					*q ^= 0x20;
			*slash = 0;
			snprintf(parent, sizeof parent, "%s", path);
			*slash = '/';
			d = parent[0] ? find(parent) : NULL;
		} else {
			parent_path(&d, parent, sizeof parent);
			rand_name(name, sizeof name);
			snprintf(path, sizeof path, "%s/%s", parent, name);
		}
		r = fat_rename(&t.vol, n->path, path);
		if (verbose)
			printf("rename %s %s -> %d\n", n->path, path, r);
		size_t ol = strlen(n->path);
		bool into_self = n->dir && strncasecmp(path, n->path, ol) == 0 && path[ol] == '/';
		struct node *ex = find(path);
		if (into_self) {
			if (r != FAT_EINVAL && r != FAT_EEXIST)
				fail("rename dir into itself %s -> %s: %d", n->path, path, r);
			return;
		}
		if (ex && ex != n) {
			if (r != FAT_EEXIST)
				fail("rename onto existing %s: %d", path, r);
			return;
		}
		if (r == FAT_EROOTFULL && !d)
			return;
		if (r < 0) {
			fail("rename %s -> %s: %s", n->path, path, fat_errmsg(&t.vol));
			return;
		}
		char old[700];
		snprintf(old, sizeof old, "%s", n->path);
		for (int i = 0; i < nnodes; i++) {
			struct node *c = &nodes[i];
			if (c->live && strncasecmp(c->path, old, ol) == 0 && (c->path[ol] == '/' || c == n)) {
				char np[1400];
				snprintf(np, sizeof np, "%s%s", path, c->path + ol);
				snprintf(c->path, sizeof c->path, "%s", np);
			}
		}
	} else if (kind < 88) {		/* mkdir */
		parent_path(&d, parent, sizeof parent);
		rand_name(name, sizeof name);
		snprintf(path, sizeof path, "%s/%s", parent, name);
		if (strlen(path) > 200)
			return;
		r = fat_mkdir(&t.vol, path);
		if (verbose)
			printf("mkdir %s -> %d\n", path, r);
		if (find(path)) {
			if (r != FAT_EEXIST)
				fail("mkdir existing %s: %d", path, r);
			return;
		}
		if (r == FAT_EROOTFULL && !d)
			return;
		if (r < 0) {
			fail("mkdir %s: %s", path, fat_errmsg(&t.vol));
			return;
		}
		add(path, true);
	} else if (kind < 94) {		/* rmdir */
		if (!(n = pick(1)))
			return;
		r = fat_rmdir(&t.vol, n->path);
		if (verbose)
			printf("rmdir %s -> %d\n", n->path, r);
		if (has_children(n)) {
			if (r != FAT_ENOTEMPTY)
				fail("rmdir non-empty %s: %d", n->path, r);
			return;
		}
		if (r < 0)
			fail("rmdir %s: %s", n->path, fat_errmsg(&t.vol));
		n->live = false;
	} else {
		if ((r = fat_sync(&t.vol)) < 0)
			fail("sync: %s", fat_errmsg(&t.vol));
	}
}

static int cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* fsck.fat, mdir listing, mtype contents, and our own re-read. */
static void checkpoint(const char *when)
{
	static char out[1 << 16];
	char *list, *want, *lines[MAXN];
	int k = 0;
	size_t len = 0;
	if (fat_unmount(&t.vol) < 0)
		fail("unmount: %s", fat_errmsg(&t.vol));
	testimg_save(&t);
	if (fsck_check(t.img, out, sizeof out) != 0)
		fail("%s: fsck.fat -n:\n%s", when, out);
	for (int i = 0; i < nnodes; i++)
		if (nodes[i].live) {
			lines[k] = malloc(600);
			snprintf(lines[k], 600, "%s%s", nodes[i].path, nodes[i].dir ? "/" : "");
			k++;
		}
	qsort(lines, (size_t)k, sizeof lines[0], cmp);
	want = malloc(1 << 20);
	want[0] = 0;
	for (int i = 0; i < k; i++) {
		len += (size_t)snprintf(want + len, (1 << 20) - len, "%s\n", lines[i]);
		free(lines[i]);
	}
	mt_list(t.img, &list);
	if (strcmp(list, want) != 0)
		fail("%s: mdir lists\n%s\nmodel has\n%s", when, list, want);
	free(list);
	free(want);
	if (testimg_mount(&t, 0) < 0)
		fail("remount: %s", fat_errmsg(&t.vol));
	for (int i = 0; i < nnodes && !failed; i++) {
		struct node *n = &nodes[i];
		if (!n->live || n->dir)
			continue;
		size_t ml;
		uint8_t *got = mt_read(t.img, n->path, &ml);
		if (!got || ml != n->size || memcmp(got, n->data, n->size) != 0)
			fail("%s: mtype %s: %zu bytes, model %u", when, n->path, got ? ml : 0, n->size);
		free(got);
		struct fat_file f;
		uint8_t *buf = malloc(n->size + 1);
		if (fat_open(&t.vol, &f, n->path, FAT_O_READ) < 0 ||
		    fat_read(&f, buf, n->size + 1) != (int32_t)n->size || memcmp(buf, n->data, n->size) != 0)
			fail("%s: core re-read of %s differs", when, n->path);
		fat_close(&f);
		free(buf);
	}
}

static void run(uint64_t seed, unsigned kb, unsigned spc, const char *extra, int ops)
{
	char name[128];
	snprintf(name, sizeof name, "fat_random seed=%llu %uK spc=%u %s ops=%d", (unsigned long long)seed, kb,
		 spc, extra ? extra : "", ops);
	printf("running %s\n", name);
	fflush(stdout);
	rng = seed * 0x9E3779B97F4A7C15ull + 1;
	failed = 0;
	total_bytes = 0;
	for (int i = 0; i < nnodes; i++)
		free(nodes[i].data);
	memset(nodes, 0, sizeof nodes);
	nnodes = 0;
	if (testimg_make(&t, kb, spc, extra, 0) != 0 || testimg_mount(&t, 0) != 0) {
		printf("TEST FAIL %s: cannot make image\n", name);
		return;
	}
	int verbose = getenv("FAT_RANDOM_VERBOSE") != NULL;
	for (int i = 1; i <= ops && !failed; i++) {
		op(verbose);
		if (i % 150 == 0 || i == ops) {
			char when[64];
			snprintf(when, sizeof when, "after op %d", i);
			checkpoint(when);
		}
	}
	if (failed)
		printf("TEST FAIL %s\n%s\n(image kept: %s)\n", name, failmsg, t.img);
	else
		printf("TEST PASS %s\n", name);
	free(t.data);
	t.data = NULL;
	if (!failed)
		tmpdir_remove(t.dir);
}

int main(void)
{
	const char *s = getenv("FAT_RANDOM_SEED");
	if (s) {
		run(strtoull(s, NULL, 10), 8192, 2, NULL, 600);
		return failed ? 1 : 0;
	}
	int bad = 0;
	run(1, 8192, 2, NULL, 600);
	bad += failed != 0;
	run(2, 4096, 1, "-r 64", 600);
	bad += failed != 0;
	run(3, 16384, 8, NULL, 600);
	bad += failed != 0;
	run(4, 32768, 4, "-f 1", 450);
	bad += failed != 0;
	return bad ? 1 : 0;
}
