/* init's session with the fs server, over the fs client library
 * (servers/fs/fs_client.h). */
#ifndef INIT_INITFS_H
#define INIT_INITFS_H
#include "servers/fs/fs_client.h"

/* The attached session, attaching first if needed; NULL (and *err) when
 * the fs server is absent or refuses. */
struct fsc *initfs(int *err);
/* Sync the disk (before power-off); 0 when there is no disk to sync. */
int initfs_sync(void);
/* The fs server died: the next initfs() attaches to the new instance. */
void initfs_reset(void);
/* An fs or IPC error in words, with the server's message when it has one. */
const char *initfs_strerror(int err);
#endif
