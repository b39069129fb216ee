/* The fs server's IPC protocol (docs/fs-protocol.md).  Shared by the server
 * and its clients.  A request is an IPC call: label = FS_* operation (low 20
 * bits), four words; paths and file data travel through a buffer of pages
 * the client shares with the server once (FS_ATTACH, MSG_SHARE_RW), named
 * by byte offsets inside it.  Replies: w0 = result (>= 0) or a negative
 * code (enum fat_err, or FS_E* below), further words per operation. */
#ifndef BF_FS_PROTO_H
#define BF_FS_PROTO_H
#include <stdint.h>

enum fs_op {
	FS_ATTACH = 0x4600,	/* share buffer: MSG_SHARE_RW, w2 = va, w3 = pages -> w0 = size */
	FS_OPEN,		/* w0 = path off, w1 = FAT_O_* flags -> w0 = handle, w1 = size */
	FS_READ,		/* w0 = handle, w1 = buf off, w2 = len -> w0 = bytes */
	FS_WRITE,		/* w0 = handle, w1 = buf off, w2 = len -> w0 = bytes */
	FS_SEEK,		/* w0 = handle, w1 = position -> w0 = 0 */
	FS_CLOSE,		/* w0 = handle -> w0 = 0 (result of the final fsync) */
	FS_STAT,		/* w0 = path off, w1 = out off (struct fs_dirent) -> w0 = 0 */
	FS_READDIR,		/* w0 = path off, w1 = cookie, w2 = out off, w3 = out len
				 * -> w0 = entries stored (struct fs_dirent each), w1 = next cookie,
				 *    w2 = 1 when the directory is exhausted */
	FS_MKDIR,		/* w0 = path off */
	FS_UNLINK,		/* w0 = path off (files) */
	FS_RMDIR,		/* w0 = path off (empty directories) */
	FS_RENAME,		/* w0 = from off, w1 = to off */
	FS_SYNC,		/* -> w0 = 0 */
	FS_STATFS,		/* -> w1 = cluster bytes, w2 = total clusters, w3 = free clusters */
	FS_TRUNCATE,		/* w0 = handle, w1 = size */
	FS_READ_GRANT,		/* w0 = handle, w1 = len (<= FS_GRANT_MAX_PAGES pages)
				 * -> reply label has MSG_GRANT, w0 = bytes, w2 = va, w3 = pages */
	FS_ERRMSG,		/* w0 = out off, w1 = out len -> message of the client's last error */
	FS_CLIENT_GONE,		/* from init only (badge 0): w0 = badge of a dead client */
	FS_OP_END
};

/* Protocol errors beyond enum fat_err. */
#define FS_ENOSESSION	(-100)	/* no buffer attached (FS_ATTACH first) */
#define FS_ERANGE	(-101)	/* offset/length outside the shared buffer, or unterminated path */
#define FS_ENODISK	(-102)	/* no disk or no mountable FAT16 volume (see FS_ERRMSG) */
#define FS_EPERM	(-103)	/* operation reserved to init */
#define FS_EBADOP	(-104)	/* unknown operation or unexpected pages */
#define FS_ENOMEM	(-105)	/* server out of pages / client slots */
/* The call itself failed (client side: the transport maps the kernel's
 * IPC errors here, so they never collide with enum fat_err's codes). */
#define FS_EDEAD	(-106)	/* the fs server died during the call */
#define FS_EIPC		(-107)	/* no fs server to call (bad capability, ...) */
#define FS_ETIMEOUT	(-108)	/* the fs server did not answer within the caller's time limit */

#define FS_MAX_CLIENTS		16
#define FS_FILES_PER_CLIENT	16
#define FS_MAX_BUF_PAGES	16
/* A whole file in one grant (a module's LLBC on its way to the jit
 * server): the most pages one IPC message carries, 1 MiB. */
#define FS_GRANT_MAX_PAGES	256
#define FS_PATH_MAX		1024

/* One directory entry as FS_STAT / FS_READDIR store it (variable length:
 * `reclen` bytes, 4-aligned; the name is NUL-terminated UTF-8). */
struct fs_dirent {
	uint32_t reclen;
	uint32_t size;
	uint16_t wdate, wtime;
	uint8_t attr;		/* FAT_ATTR_* (0x10 = directory) */
	uint8_t pad[3];
	char sfn[13];		/* 8.3 alias */
	char name[];		/* long name */
};
#endif
