/* The fs client library against the server's request handling, connected
 * in-process (a transport that stamps the badge as the kernel would): the
 * shell's commands (ls, cat, write, rm, mkdir, df) end to end, two clients
 * at once, a client that dies, and fsck.fat on the result. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "servers/fs/fs_client.h"
#include "tests/fs/lib/fatimg.h"
#include "tests/fs/lib/mtcheck.h"

static struct testimg t;
static struct fs_server srv;
static uint8_t *arena;
static size_t arena_used;
#define ARENA (16u << 20)

static void *palloc(void *ctx, uint32_t n)
{
	(void)ctx;
	if (arena_used + n * FS_PAGE > ARENA)
		return NULL;
	void *p = arena + arena_used;
	arena_used += n * FS_PAGE;
	return p;
}
static void prelease(void *ctx, void *va, uint32_t n) { (void)ctx; (void)va; (void)n; }

struct conn { uint32_t badge; bool dead; };
static int direct(void *ctx, struct bf_msg *m)
{
	struct conn *c = ctx;
	if (c->dead)
		return E_DEAD;	/* as the kernel says it; the client makes it FS_EDEAD */
	m->badge = c->badge;
	fs_server_handle(&srv, m);
	return 0;
}

static void setup(struct fsc *a, struct conn *ca, uint32_t badge)
{
	ca->badge = badge;
	ca->dead = false;
	struct bf_conn tr = {ca, (uintptr_t)arena, direct};
	cr_assert_gt(fsc_attach(a, &tr, palloc(NULL, 4), 4), 0);
}

static void start(void)
{
	arena = aligned_alloc(FS_PAGE, ARENA);
	arena_used = 0;
	struct fs_env env = {NULL, (uintptr_t)arena, palloc, prelease};
	cr_assert_eq(testimg_make(&t, 8192, 2, NULL, 1), 0);
	t.data = img_load(t.img, &t.sectors);
	memdev_init(&t.md, t.data, t.sectors);
	t.bd = memdev_blockdev(&t.md);
	fs_server_init(&srv, &env);
	cr_assert_eq(fs_server_mount(&srv, &t.bd, NULL), 0);
}

static char listing[8192];
static void add_line(void *arg, const struct fs_dirent *e)
{
	(void)arg;
	size_t n = strlen(listing);
	snprintf(listing + n, sizeof listing - n, "%s%s %u\n", e->name, (e->attr & 0x10) ? "/" : "", e->size);
}

Test(fs_client, shell_commands_end_to_end)
{
	struct fsc c;
	struct conn cc;
	start();
	setup(&c, &cc, 11);
	/* ls / */
	listing[0] = 0;
	cr_assert_eq(fsc_listdir(&c, "/", add_line, NULL), 14);
	cr_assert(strstr(listing, "hello.txt 13\n"), "%s", listing);
	cr_assert(strstr(listing, "Sub Dir Long/ 0\n"), "%s", listing);
	/* ls of a 120-entry directory through a 2-page data area */
	listing[0] = 0;
	cr_assert_eq(fsc_listdir(&c, "many", add_line, NULL), 120);
	/* cat big.bin (200000 bytes through a 14 KiB window) */
	uint32_t size;
	int h = fsc_open(&c, "big.bin", FAT_O_READ, &size);
	cr_assert_geq(h, 0);
	cr_assert_eq(size, 200000);
	static uint8_t got[200000], want[200000];
	cr_assert_eq(fsc_read(&c, h, got, sizeof got), 200000);
	fill_pattern(want, sizeof want, 8, 0);
	cr_assert(memcmp(got, want, sizeof got) == 0);
	cr_assert_eq(fsc_close(&c, h), 0);
	/* write FILE TEXT */
	h = fsc_open(&c, "/notes from the shell.txt", FAT_O_WRITE | FAT_O_CREAT | FAT_O_TRUNC, NULL);
	cr_assert_geq(h, 0);
	cr_assert_eq(fsc_write(&c, h, "hello from BareFlow\n", 20), 20);
	cr_assert_eq(fsc_close(&c, h), 0);
	/* mkdir, rename, rm */
	cr_assert_eq(fsc_mkdir(&c, "shell dir"), 0);
	cr_assert_eq(fsc_rename(&c, "/notes from the shell.txt", "shell dir/notes.txt"), 0);
	cr_assert_eq(fsc_unlink(&c, "hello.txt"), 0);
	cr_assert_eq(fsc_rmdir(&c, "emptydir"), 0);
	cr_assert_eq(fsc_rmdir(&c, "shell dir"), FAT_ENOTEMPTY);
	cr_assert(strstr(fsc_errmsg(&c), "not empty"), "%s", fsc_errmsg(&c));
	cr_assert_eq(fsc_open(&c, "missing", FAT_O_READ, NULL), FAT_ENOENT);
	cr_assert(strstr(fsc_errmsg(&c), "not found"), "%s", fsc_errmsg(&c));
	/* stat + df */
	struct { struct fs_dirent d; char name[800]; } st;
	cr_assert_eq(fsc_stat(&c, "shell dir/notes.txt", &st.d, sizeof st), 0);
	cr_assert_eq(st.d.size, 20);
	cr_assert_str_eq(st.d.name, "notes.txt");
	struct fsc_statfs sf;
	cr_assert_eq(fsc_statfs(&c, &sf), 0);
	cr_assert_eq(sf.cluster_bytes, 1024);
	cr_assert_gt(sf.free_clusters, 0);
	/* a whole file by page grant */
	h = fsc_open(&c, "big.bin", FAT_O_READ, NULL);
	uint32_t va, pages;
	cr_assert_eq(fsc_read_grant(&c, h, 100000, &va, &pages), 100000);
	cr_assert_eq(pages, 25);
	cr_assert(memcmp(arena + va, want, 100000) == 0);
	cr_assert_eq(fsc_close(&c, h), 0);
	cr_assert_eq(fsc_sync(&c), 0);
	img_save(t.img, t.data, t.sectors);
	char out[4096];
	cr_assert_eq(fsck_check(t.img, out, sizeof out), 0, "%s", out);
	size_t len;
	uint8_t *txt = mt_read(t.img, "/shell dir/notes.txt", &len);
	cr_assert_eq(len, 20);
	cr_assert(memcmp(txt, "hello from BareFlow\n", 20) == 0);
	free(txt);
	testimg_free(&t);
	free(arena);
}

/* The shell's `write F x` then `rm F`: the file's cluster goes back to the
 * free list (a lost cluster here once made fsck.fat reclaim one). */
Test(fs_client, write_then_rm_frees_the_cluster)
{
	struct fsc c;
	struct conn cc;
	struct fsc_statfs before, after;
	start();
	setup(&c, &cc, 12);
	cr_assert_eq(fsc_statfs(&c, &before), 0);
	int h = fsc_open(&c, "B.TXT", FAT_O_WRITE | FAT_O_CREAT | FAT_O_TRUNC, NULL);
	cr_assert_geq(h, 0);
	cr_assert_eq(fsc_write(&c, h, "x\n", 2), 2);
	cr_assert_eq(fsc_close(&c, h), 0);
	cr_assert_eq(fsc_unlink(&c, "B.TXT"), 0);
	cr_assert_eq(fsc_statfs(&c, &after), 0);
	cr_assert_eq(after.free_clusters, before.free_clusters);
	cr_assert_eq(fsc_sync(&c), 0);
	img_save(t.img, t.data, t.sectors);
	char out[4096];
	cr_assert_eq(fsck_check(t.img, out, sizeof out), 0, "%s", out);
	testimg_free(&t);
	free(arena);
}

Test(fs_client, two_clients_and_a_dead_one)
{
	struct fsc a, b;
	struct conn ca, cb;
	start();
	setup(&a, &ca, 21);
	setup(&b, &cb, 22);
	int ha = fsc_open(&a, "log.txt", FAT_O_WRITE | FAT_O_CREAT, NULL);
	cr_assert_geq(ha, 0);
	cr_assert_eq(fsc_write(&a, ha, "from a\n", 7), 7);
	/* b cannot use a's handle, nor open the file for writing meanwhile */
	cr_assert_eq(fsc_write(&b, ha, "x", 1), FAT_EBADF);
	cr_assert_eq(fsc_open(&b, "log.txt", FAT_O_WRITE, NULL), FAT_EBUSY);
	/* a dies; init reports it; its file is closed (entry written) */
	ca.dead = true;
	cr_assert_eq(fsc_write(&a, ha, "lost", 4), FS_EDEAD);
	struct bf_msg gone = {FS_CLIENT_GONE, {21, 0, 0, 0}, 0};
	fs_server_handle(&srv, &gone);
	cr_assert_eq((int)gone.w[0], 0);
	int hb = fsc_open(&b, "log.txt", FAT_O_RDWR | FAT_O_APPEND, NULL);
	cr_assert_geq(hb, 0);
	cr_assert_eq(fsc_write(&b, hb, "from b\n", 7), 7);
	cr_assert_eq(fsc_seek(&b, hb, 0), 0);
	char buf[32] = {0};
	cr_assert_eq(fsc_read(&b, hb, buf, sizeof buf), 14);
	cr_assert_str_eq(buf, "from a\nfrom b\n");
	cr_assert_eq(fsc_close(&b, hb), 0);
	/* a comes back (restarted task, same badge): needs a new session */
	ca.dead = false;
	cr_assert_eq(fsc_open(&a, "log.txt", FAT_O_READ, NULL), FS_ENOSESSION);
	testimg_free(&t);
	free(arena);
}
