/* The fs server's request handling (servers/fs/fs_serve.c) driven directly
 * with protocol messages: sessions, per-client handles, buffer bounds,
 * batched readdir, read by page grant, a dead client's files closed, no
 * disk, and the result judged by fsck.fat. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>
#include "servers/fs/fs_serve.h"
#include "tests/fs/lib/fatimg.h"

static struct testimg t;
static struct fs_server srv;
static int pages_out;

/* pages come from an arena; message addresses are offsets into it */
static uint8_t *arena;
static size_t arena_used;
#define ARENA (32u << 20)

static void *palloc(void *ctx, uint32_t n)
{
	(void)ctx;
	if (!arena)
		arena = aligned_alloc(FS_PAGE, ARENA);
	if (arena_used + n * FS_PAGE > ARENA)
		return NULL;
	pages_out += (int)n;
	void *p = arena + arena_used;
	arena_used += n * FS_PAGE;
	return p;
}
static void prelease(void *ctx, void *va, uint32_t n)
{
	(void)ctx;
	(void)va;
	pages_out -= (int)n;
}
static struct fs_env env = {NULL, 0, palloc, prelease};
static uint32_t A(void *p) { return (uint32_t)((uint8_t *)p - arena); }
static uint8_t *P(uint32_t a) { return arena + a; }

static struct bf_msg req(uint32_t badge, uint32_t label, uint32_t a, uint32_t b, uint32_t c, uint32_t d)
{
	struct bf_msg m = {label, {a, b, c, d}, badge};
	fs_server_handle(&srv, &m);
	return m;
}

static uint8_t *attach(uint32_t badge, uint32_t pages)
{
	uint8_t *buf = palloc(NULL, pages);
	struct bf_msg m = req(badge, FS_ATTACH | MSG_SHARE_RW, 0, 0, A(buf), pages);
	cr_assert_eq((int)m.w[0], (int)(pages * FS_PAGE));
	return buf;
}

static void setup(void)
{
	cr_assert_eq(testimg_make(&t, 8192, 2, NULL, 1), 0);
	t.data = img_load(t.img, &t.sectors);
	memdev_init(&t.md, t.data, t.sectors);
	t.bd = memdev_blockdev(&t.md);
	palloc(NULL, 0);
	env.base = (uintptr_t)arena;
	fs_server_init(&srv, &env);
	cr_assert_eq(fs_server_mount(&srv, &t.bd, NULL), 0);
}

Test(fs_server, session_files_and_bounds)
{
	setup();
	uint8_t *b = attach(5, 4);
	strcpy((char *)b, "hello.txt");
	struct bf_msg m = req(5, FS_OPEN, 0, FAT_O_READ, 0, 0);
	int h = (int)m.w[0];
	cr_assert_geq(h, 0);
	cr_assert_eq(m.w[1], 13);
	m = req(5, FS_READ, (uint32_t)h, 100, 64, 0);
	cr_assert_eq((int)m.w[0], 13);
	uint8_t want[13];
	fill_pattern(want, 13, 2, 0);
	cr_assert(memcmp(b + 100, want, 13) == 0);
	/* bounds and ownership */
	cr_assert_eq((int)req(5, FS_READ, (uint32_t)h, 4 * FS_PAGE - 10, 11, 0).w[0], FS_ERANGE);
	cr_assert_eq((int)req(5, FS_READ, (uint32_t)h, 0xFFFFFFF0u, 0x20, 0).w[0], FS_ERANGE);
	uint8_t *b2 = attach(6, 1);
	cr_assert_eq((int)req(6, FS_READ, (uint32_t)h, 0, 10, 0).w[0], FAT_EBADF);
	cr_assert_eq((int)req(6, FS_CLOSE, (uint32_t)h, 0, 0, 0).w[0], FAT_EBADF);
	cr_assert_eq((int)req(6, FS_READ, 999, 0, 10, 0).w[0], FAT_EBADF);
	memset(b2, 'x', FS_PAGE);	/* unterminated path */
	cr_assert_eq((int)req(6, FS_OPEN, 0, FAT_O_READ, 0, 0).w[0], FS_ERANGE);
	cr_assert_eq((int)req(7, FS_OPEN, 0, FAT_O_READ, 0, 0).w[0], FS_ENOSESSION);
	cr_assert_eq((int)req(5, 0x4699, 0, 0, 0, 0).w[0], FS_EBADOP);
	cr_assert_eq((int)req(5, FS_CLIENT_GONE, 6, 0, 0, 0).w[0], FS_EPERM);
	/* errors carry messages */
	strcpy((char *)b, "no such file");
	cr_assert_eq((int)req(5, FS_OPEN, 0, FAT_O_READ, 0, 0).w[0], FAT_ENOENT);
	m = req(5, FS_ERRMSG, 200, 100, 0, 0);
	cr_assert(strstr((char *)b + 200, "not found"), "%s", (char *)b + 200);
	cr_assert_eq((int)req(5, FS_CLOSE, (uint32_t)h, 0, 0, 0).w[0], 0);
	cr_assert_eq((int)req(5, FS_CLOSE, (uint32_t)h, 0, 0, 0).w[0], FAT_EBADF);
	/* the server releases buffers when clients go */
	cr_assert_eq((int)req(0, FS_CLIENT_GONE, 5, 0, 0, 0).w[0], 0);
	cr_assert_eq((int)req(0, FS_CLIENT_GONE, 6, 0, 0, 0).w[0], 0);
	cr_assert_eq(pages_out, 0);
	testimg_free(&t);
}

Test(fs_server, write_readdir_statfs_and_fsck)
{
	setup();
	uint8_t *b = attach(9, 2);
	strcpy((char *)b, "/Sub Dir Long/written by server.txt");
	int h = (int)req(9, FS_OPEN, 0, FAT_O_WRITE | FAT_O_CREAT, 0, 0).w[0];
	cr_assert_geq(h, 0);
	fill_pattern(b + 4096, 4096, 3, 0);
	for (int i = 0; i < 5; i++)
		cr_assert_eq((int)req(9, FS_WRITE, (uint32_t)h, 4096, 4096, 0).w[0], 4096);
	cr_assert_eq((int)req(9, FS_CLOSE, (uint32_t)h, 0, 0, 0).w[0], 0);
	strcpy((char *)b, "/Sub Dir Long/written by server.txt");
	cr_assert_eq((int)req(9, FS_STAT, 0, 1024, 0, 0).w[0], 0);
	struct fs_dirent *d = (struct fs_dirent *)(b + 1024);
	cr_assert_eq(d->size, 5 * 4096);
	cr_assert_str_eq(d->name, "written by server.txt");
	strcpy((char *)b, "newdir");
	cr_assert_eq((int)req(9, FS_MKDIR, 0, 0, 0, 0).w[0], 0);
	strcpy((char *)b + 100, "newdir renamed");
	cr_assert_eq((int)req(9, FS_RENAME, 0, 100, 0, 0).w[0], 0);
	/* readdir of a 120-entry directory in small batches */
	strcpy((char *)b, "/many");
	uint32_t cookie = 0, total = 0;
	int batches = 0, done = 0;
	while (!done) {
		struct bf_msg m = req(9, FS_READDIR, 0, cookie, 2048, 700);
		cr_assert_geq((int)m.w[0], 1);
		uint32_t off = 2048;
		for (uint32_t i = 0; i < m.w[0]; i++) {
			struct fs_dirent *e = (struct fs_dirent *)(b + off);
			cr_assert(!strncmp(e->name, "file_number_", 12), "%s", e->name);
			off += e->reclen;
		}
		total += m.w[0];
		cookie = m.w[1];
		done = (int)m.w[2];
		batches++;
	}
	cr_assert_eq(total, 120);
	cr_assert_gt(batches, 5);
	struct bf_msg m = req(9, FS_STATFS, 0, 0, 0, 0);
	cr_assert_eq((int)m.w[0], 0);
	cr_assert_eq(m.w[1], 1024);
	cr_assert_lt(m.w[3], m.w[2]);
	cr_assert_eq((int)req(9, FS_SYNC, 0, 0, 0, 0).w[0], 0);
	img_save(t.img, t.data, t.sectors);
	char out[4096];
	cr_assert_eq(fsck_check(t.img, out, sizeof out), 0, "%s", out);
	req(0, FS_CLIENT_GONE, 9, 0, 0, 0);
	testimg_free(&t);
}

Test(fs_server, read_by_page_grant)
{
	setup();
	uint8_t *b = attach(3, 1);
	strcpy((char *)b, "big.bin");
	int h = (int)req(3, FS_OPEN, 0, FAT_O_READ, 0, 0).w[0];
	static uint8_t want[200000];
	fill_pattern(want, sizeof want, 8, 0);
	uint32_t got = 0;
	while (got < sizeof want) {
		struct bf_msg m = req(3, FS_READ_GRANT, (uint32_t)h, FS_GRANT_MAX_PAGES * FS_PAGE, 0, 0);
		cr_assert_gt((int)m.w[0], 0);
		cr_assert(m.label & MSG_GRANT);
		cr_assert_eq(m.w[3], FS_GRANT_MAX_PAGES);
		uint8_t *pg = P(m.w[2]);
		cr_assert(memcmp(pg, want + got, m.w[0]) == 0);
		got += m.w[0];
		prelease(NULL, pg, m.w[3]);
	}
	struct bf_msg m = req(3, FS_READ_GRANT, (uint32_t)h, 100, 0, 0);
	cr_assert_eq((int)m.w[0], 0);	/* end of file: empty grant */
	prelease(NULL, P(m.w[2]), m.w[3]);
	cr_assert_eq((int)req(3, FS_READ_GRANT, (uint32_t)h, 0, 0, 0).w[0], FS_ERANGE);
	req(0, FS_CLIENT_GONE, 3, 0, 0, 0);
	cr_assert_eq(pages_out, 0);
	testimg_free(&t);
}

Test(fs_server, dead_client_files_are_closed)
{
	setup();
	uint8_t *b = attach(1, 1);
	uint8_t *c = attach(2, 1);
	strcpy((char *)b, "hello.txt");
	strcpy((char *)c, "hello.txt");
	cr_assert_geq((int)req(1, FS_OPEN, 0, FAT_O_RDWR, 0, 0).w[0], 0);
	cr_assert_eq((int)req(2, FS_OPEN, 0, FAT_O_RDWR, 0, 0).w[0], FAT_EBUSY);
	/* 16 handles per client */
	int n = 0;
	while ((int)req(1, FS_OPEN, 0, FAT_O_READ, 0, 0).w[0] == FAT_EBUSY && n < 3)
		n++;
	req(0, FS_CLIENT_GONE, 1, 0, 0, 0);
	cr_assert_geq((int)req(2, FS_OPEN, 0, FAT_O_RDWR, 0, 0).w[0], 0);
	for (int i = 0; i < 15; i++)
		cr_assert_geq((int)req(2, FS_OPEN, 0, FAT_O_READ | FAT_O_CREAT, 0, 0).w[0], FAT_EBUSY);
	strcpy((char *)c, "UPPER.TXT");
	int k = 0, r;
	while ((r = (int)req(2, FS_OPEN, 0, FAT_O_READ, 0, 0).w[0]) >= 0)
		k++;
	cr_assert_eq(r, FAT_EMFILE);
	cr_assert_eq(k, FS_FILES_PER_CLIENT - 1);
	req(0, FS_CLIENT_GONE, 2, 0, 0, 0);
	testimg_free(&t);
}

Test(fs_server, no_disk)
{
	palloc(NULL, 0);
	env.base = (uintptr_t)arena;
	fs_server_init(&srv, &env);
	cr_assert_eq(fs_server_mount(&srv, NULL, "ATA: no ATA drive"), FS_ENODISK);
	uint8_t *b = attach(4, 1);
	strcpy((char *)b, "x");
	cr_assert_eq((int)req(4, FS_OPEN, 0, FAT_O_READ, 0, 0).w[0], FS_ENODISK);
	req(4, FS_ERRMSG, 100, 200, 0, 0);
	cr_assert_str_eq((char *)b + 100, "no file system: ATA: no ATA drive");
	req(0, FS_CLIENT_GONE, 4, 0, 0, 0);
}
