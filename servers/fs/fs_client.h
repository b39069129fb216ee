/* Client side of the fs protocol (docs/fs-protocol.md): what init's shell
 * and other tasks call.  Portable: requests go through a connection
 * (lib/conn.h; the guest's is bf_conn_cap() on the fs endpoint, host tests
 * connect straight to fs_serve). */
#ifndef BF_FS_CLIENT_H
#define BF_FS_CLIENT_H
#include <stddef.h>
#include <stdint.h>
#include "servers/fs/fs_proto.h"
#include "servers/fs/fs_serve.h"
#include "lib/conn.h"

struct fsc {
	struct bf_conn t;
	uint8_t *buf;
	uint32_t size;
};

/* Buffer layout: [0,1024) first path, [1024,2048) second path, then data. */
#define FSC_PATH2 1024u
#define FSC_DATA  2048u

struct fsc_statfs {
	uint32_t cluster_bytes, clusters, free_clusters;
};

/* buf: `pages` page-aligned pages of the caller's memory to share. */
int fsc_attach(struct fsc *c, const struct bf_conn *t, void *buf, uint32_t pages);
int fsc_open(struct fsc *c, const char *path, unsigned flags, uint32_t *size);
int32_t fsc_read(struct fsc *c, int h, void *dst, uint32_t n);
int32_t fsc_write(struct fsc *c, int h, const void *src, uint32_t n);
int fsc_seek(struct fsc *c, int h, uint32_t pos);
int fsc_truncate(struct fsc *c, int h, uint32_t size);
int fsc_close(struct fsc *c, int h);
/* out receives one struct fs_dirent (cap >= sizeof(struct fs_dirent) + 768) */
int fsc_stat(struct fsc *c, const char *path, struct fs_dirent *out, size_t cap);
/* Calls fn for every entry of a directory; returns the count or an error. */
int fsc_listdir(struct fsc *c, const char *path, void (*fn)(void *arg, const struct fs_dirent *e), void *arg);
int fsc_mkdir(struct fsc *c, const char *path);
int fsc_unlink(struct fsc *c, const char *path);
int fsc_rmdir(struct fsc *c, const char *path);
int fsc_rename(struct fsc *c, const char *from, const char *to);
int fsc_sync(struct fsc *c);
int fsc_statfs(struct fsc *c, struct fsc_statfs *st);
/* Up to 64 pages of file data granted to us: *va / *pages, returns bytes. */
int32_t fsc_read_grant(struct fsc *c, int h, uint32_t n, uint32_t *va, uint32_t *pages);
/* The message of this client's last error. */
const char *fsc_errmsg(struct fsc *c);
#endif
