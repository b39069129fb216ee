/* init's client of the fs server (protocol: servers/fs/fs_proto.h). */
#ifndef INIT_FSCLIENT_H
#define INIT_FSCLIENT_H
#include <stdint.h>
#include "servers/fs/fs_proto.h"

#define FSC_BUF_VA    0x5F000000u	/* buffer shared read-write with fs */
#define FSC_BUF_PAGES 4u

int fsc_open(const char *path, uint32_t flags, uint32_t *size);
int fsc_read_grant(int h, uint32_t len, uint32_t *va, uint32_t *pages);
int fsc_read(int h, char *out, uint32_t len);
int fsc_write(int h, const char *data, uint32_t len);
int fsc_close(int h);
int fsc_path_op(uint32_t op, const char *path);	/* FS_MKDIR, FS_UNLINK, FS_RMDIR */
int fsc_readdir(const char *path, uint32_t *cookie, int *done,
		void (*each)(const struct fs_dirent *d, void *ctx), void *ctx);
int fsc_statfs(uint32_t *cluster_bytes, uint32_t *total, uint32_t *free);
const char *fsc_strerror(int err);	/* includes the server's last message */
#endif
