/* The fs server's request handling, portable (no syscalls): main.c feeds it
 * IPC messages through serve_loop (lib/user/serve.h); host tests feed it
 * directly.  Messages are struct bf_msg with the kernel's MSG_* label flags
 * (lib/include/bareflow/abi.h).  Page memory for FS_READ_GRANT and the
 * release of client buffers go through struct fs_env. */
#ifndef BF_FS_SERVE_H
#define BF_FS_SERVE_H
#include <stdbool.h>
#include <stdint.h>
#include "servers/fs/fat.h"
#include "servers/fs/fs_proto.h"
#include "lib/include/bareflow/abi.h"

#define FS_PAGE		4096u

struct fs_env {
	void *ctx;
	/* message addresses are offsets from base (0 in the server, where
	 * addresses are the 32-bit virtual addresses themselves) */
	uintptr_t base;
	/* npages of fresh read-write memory to hand over with a reply */
	void *(*page_alloc)(void *ctx, uint32_t npages);
	/* give back pages received from a client (its buffer) */
	void (*page_release)(void *ctx, void *va, uint32_t npages);
};

struct fs_client {
	bool used;
	uint32_t badge;
	uint8_t *buf;
	uint32_t size;
	int last_err;
	char msg[160];
};

struct fs_server {
	struct fs_env env;
	struct fat_vol vol;
	bool mounted;
	char why[160];		/* why there is no volume */
	struct fs_client clients[FS_MAX_CLIENTS];
	struct fat_file files[FAT_MAX_OPEN];
	int owner[FAT_MAX_OPEN];	/* client index + 1, 0 = free */
	uint32_t requests;
};

void fs_server_init(struct fs_server *s, const struct fs_env *env);
/* Mount the volume on dev (NULL: no disk, `why` says so). */
int fs_server_mount(struct fs_server *s, const struct blockdev *dev, const char *why);
/* Handle one request in place: m holds the request, then the reply. */
void fs_server_handle(struct fs_server *s, struct bf_msg *m);
#endif
