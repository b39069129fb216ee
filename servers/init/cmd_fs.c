/* Shell commands for the disk: ls, cat, write, rm, mkdir, rmdir, df. */
#include <string.h>
#include "servers/init/init.h"
#include "servers/init/initfs.h"
#include "servers/fs/fat.h"

static void ls_entry(void *ctx, const struct fs_dirent *d)
{
	(void)ctx;
	bf_printf("  %-5s %8u  %s\n", (d->attr & FAT_ATTR_DIR) ? "<DIR>" : "", d->size,
		  d->name[0] ? d->name : d->sfn);
}

int cmd_ls(int argc, char **argv)
{
	const char *path = argc > 1 ? argv[1] : "/";
	int r;
	struct fsc *c = initfs(&r);
	if (c)
		r = fsc_listdir(c, path, ls_entry, 0);
	if (r < 0) {
		bf_printf("ls: %s: %s\n", path, initfs_strerror(r));
		return -1;
	}
	return 0;
}

int cmd_cat(int argc, char **argv)
{
	if (argc != 2) {
		bf_printf("cat: usage: cat FILE\n");
		return -1;
	}
	int h;
	struct fsc *c = initfs(&h);
	if (c)
		h = fsc_open(c, argv[1], FAT_O_READ, 0);
	if (h < 0) {
		bf_printf("cat: %s: %s\n", argv[1], initfs_strerror(h));
		return -1;
	}
	static char buf[4096];
	int32_t n;
	while ((n = fsc_read(c, h, buf, sizeof buf)) > 0)
		bf_write(buf, (uint32_t)n);
	fsc_close(c, h);
	if (n < 0) {
		bf_printf("cat: %s: %s\n", argv[1], initfs_strerror(n));
		return -1;
	}
	return 0;
}

int cmd_write(int argc, char **argv)
{
	if (argc < 3) {
		bf_printf("write: usage: write FILE TEXT...\n");
		return -1;
	}
	/* the arguments came from one line, so their text fits one too */
	static char text[SHELL_LINE_MAX + 1];
	size_t len = 0;
	for (int i = 2; i < argc; i++) {
		size_t n = strlen(argv[i]);
		memcpy(text + len, argv[i], n);
		len += n;
		text[len++] = i + 1 < argc ? ' ' : '\n';
	}
	int r;
	struct fsc *fc = initfs(&r);
	if (!fc) {
		bf_printf("write: %s: %s\n", argv[1], initfs_strerror(r));
		return -1;
	}
	/* Refuse before touching anything when the text cannot fit: an
	 * existing file is not truncated, no empty file is left behind. */
	struct fsc_statfs st;
	static union { struct fs_dirent d; char room[sizeof(struct fs_dirent) + FAT_NAME_BUF]; } old;
	int existed = fsc_stat(fc, argv[1], &old.d, sizeof old) == 0;
	uint32_t have = existed ? old.d.size : 0;
	if (fsc_statfs(fc, &st) == 0 && st.cluster_bytes) {
		uint64_t cb = st.cluster_bytes, need = (len + cb - 1) / cb, owned = (have + cb - 1) / cb;
		if (need > st.free_clusters + owned) {
			bf_printf("write: %s: disk full (%u bytes to write, %u bytes free)\n", argv[1],
				  (unsigned)len, (unsigned)((st.free_clusters + owned) * cb));
			return -1;
		}
	}
	int h = fsc_open(fc, argv[1], FAT_O_WRITE | FAT_O_CREAT | FAT_O_TRUNC, 0);
	if (h < 0) {
		bf_printf("write: %s: %s\n", argv[1], initfs_strerror(h));
		return -1;
	}
	r = fsc_write(fc, h, text, (uint32_t)len);
	int c = fsc_close(fc, h);	/* close syncs the file */
	if (r < 0 || c < 0 || (size_t)r != len) {
		int err = r < 0 ? r : c < 0 ? c : FAT_ENOSPC;
		if (!existed)
			fsc_unlink(fc, argv[1]);	/* no empty or partial new file */
		bf_printf("write: %s: %s\n", argv[1], initfs_strerror(err));
		return -1;
	}
	bf_printf("wrote %d bytes to %s\n", r, argv[1]);
	return 0;
}

static int path_cmd(int argc, char **argv, int (*op)(struct fsc *, const char *), const char *done)
{
	if (argc != 2) {
		bf_printf("%s: usage: %s PATH\n", argv[0], argv[0]);
		return -1;
	}
	int r;
	struct fsc *c = initfs(&r);
	if (c)
		r = op(c, argv[1]);
	if (r < 0) {
		bf_printf("%s: %s: %s\n", argv[0], argv[1], initfs_strerror(r));
		return -1;
	}
	bf_printf("%s %s\n", done, argv[1]);
	return 0;
}

int cmd_rm(int argc, char **argv) { return path_cmd(argc, argv, fsc_unlink, "removed"); }
int cmd_mkdir(int argc, char **argv) { return path_cmd(argc, argv, fsc_mkdir, "created"); }
int cmd_rmdir(int argc, char **argv) { return path_cmd(argc, argv, fsc_rmdir, "removed directory"); }

int cmd_df(int argc, char **argv)
{
	(void)argc; (void)argv;
	struct fsc_statfs st;
	int r;
	struct fsc *c = initfs(&r);
	if (c)
		r = fsc_statfs(c, &st);
	if (r < 0) {
		bf_printf("df: %s\n", initfs_strerror(r));
		return -1;
	}
	/* in bytes first: clusters of 512 bytes are half a KiB each */
	uint64_t total = (uint64_t)st.clusters * st.cluster_bytes;
	uint64_t avail = (uint64_t)st.free_clusters * st.cluster_bytes;
	bf_printf("disk: %u KiB total, %u KiB used, %u KiB free (%u clusters of %u bytes)\n",
		  (unsigned)(total / 1024), (unsigned)((total - avail) / 1024), (unsigned)(avail / 1024),
		  st.clusters, st.cluster_bytes);
	return 0;
}
