/* FAT16 file system core: mounts a FAT16 volume on a struct blockdev and
 * offers path-based file and directory operations.  No allocation: every
 * state lives in caller-supplied structs (struct fat_vol, fat_file, fat_dir).
 * Paths are '/'-separated from the root ("/a/b.txt" or "a/b.txt"); names are
 * UTF-8 (BMP), compared case-insensitively in ASCII; long names are stored
 * as VFAT LFN entries with a generated 8.3 alias.
 *
 * Every function returns FAT_OK (0) / a non-negative count, or a negative
 * enum fat_err; fat_strerror() names the code and fat_errmsg() gives the
 * detailed message of the volume's last error.  See docs/fat16.md for the
 * on-disk rules and the write ordering that makes crashes repairable. */
#ifndef BF_FS_FAT_H
#define BF_FS_FAT_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "servers/fs/blockdev.h"

enum fat_err {
	FAT_OK = 0,
	FAT_EIO = -1,		/* the block device reported an error */
	FAT_ENOENT = -2,	/* no such file or directory */
	FAT_EEXIST = -3,	/* name already exists */
	FAT_ENOSPC = -4,	/* disk full */
	FAT_EROOTFULL = -5,	/* root directory has no free entry */
	FAT_ECORRUPT = -6,	/* corrupt structure (cluster chain loop, range) */
	FAT_EBADNAME = -7,	/* invalid file name or path */
	FAT_ENOTDIR = -8,	/* a path component is not a directory */
	FAT_EISDIR = -9,	/* is a directory */
	FAT_ENOTEMPTY = -10,	/* directory not empty */
	FAT_EROFS = -11,	/* volume mounted read-only */
	FAT_EACCES = -12,	/* file has the read-only attribute */
	FAT_EBADFS = -13,	/* boot sector / BPB invalid: not a FAT volume */
	FAT_EFAT12 = -14,	/* volume is FAT12, not supported */
	FAT_EFAT32 = -15,	/* volume is FAT32, not supported */
	FAT_EINVAL = -16,	/* invalid argument */
	FAT_EBADF = -17,	/* file handle not open / wrong mode */
	FAT_EBUSY = -18,	/* file is open elsewhere */
	FAT_EMFILE = -19,	/* too many open files on the volume */
	FAT_EFBIG = -20,	/* file would exceed 4 GiB - 1 */
	FAT_EDIRFULL = -21,	/* subdirectory reached 65536 entries */
};
#define FAT_NERR 22

#define FAT_SECTOR	512u
#define FAT_NAME_MAX	255	/* UCS-2 characters in a long name */
#define FAT_NAME_BUF	768	/* bytes for a UTF-8 name + NUL */
#define FAT_MAX_OPEN	32	/* open files per volume */
#define FAT_DEPTH_MAX	64	/* directory nesting we follow */

/* Mount flags. */
#define FAT_MOUNT_RDONLY 1u

/* Open flags. */
#define FAT_O_READ	0x01u
#define FAT_O_WRITE	0x02u
#define FAT_O_RDWR	(FAT_O_READ | FAT_O_WRITE)
#define FAT_O_CREAT	0x04u	/* create if missing */
#define FAT_O_EXCL	0x08u	/* with CREAT: fail if it exists */
#define FAT_O_TRUNC	0x10u	/* truncate to 0 on open */
#define FAT_O_APPEND	0x20u	/* every write goes to the end */

/* Attribute bits (on disk). */
#define FAT_ATTR_RDONLY	0x01u
#define FAT_ATTR_HIDDEN	0x02u
#define FAT_ATTR_SYSTEM	0x04u
#define FAT_ATTR_VOLID	0x08u
#define FAT_ATTR_DIR	0x10u
#define FAT_ATTR_ARCH	0x20u
#define FAT_ATTR_LFN	0x0Fu

/* Returns the current time as DOS date (high 16 bits) and time (low 16). */
typedef uint32_t (*fat_clock_fn)(void);

struct fat_vol {
	struct blockdev dev;
	unsigned flags;
	uint32_t part_lba;	/* first sector of the volume on the device (MBR partition) */
	uint32_t part_sectors;	/* its length (the device's, when not partitioned) */
	/* geometry, all validated at mount */
	uint32_t tot_sec;
	uint32_t fat_lba;	/* first sector of FAT copy 0 */
	uint32_t fat_sz;	/* sectors per FAT copy */
	uint32_t nfats;
	uint32_t root_lba;
	uint32_t root_secs;
	uint32_t root_ents;
	uint32_t data_lba;
	uint32_t spc;		/* sectors per cluster */
	uint32_t clus_bytes;
	uint32_t nclus;		/* data clusters; valid numbers 2 .. nclus+1 */
	uint8_t media;
	char label[12];
	/* free-space bookkeeping (free_count == UINT32_MAX: not yet counted) */
	uint32_t free_count;
	uint32_t next_free;
	/* one-sector FAT cache, written to every copy on flush */
	uint32_t fat_cached;	/* sector index within a FAT copy, or UINT32_MAX */
	bool fat_dirty;
	uint8_t fatbuf[FAT_SECTOR];
	/* one-sector window for directory and partial data I/O (write-through) */
	uint32_t win_lba;	/* UINT32_MAX when empty */
	uint8_t win[FAT_SECTOR];
	struct fat_file *open[FAT_MAX_OPEN];
	fat_clock_fn clock;
	bool mounted;
	/* The first device error: from then on the volume is read-only and no
	 * sector is written (see fat_dev_write).  io_msg says what failed. */
	bool io_error;
	char io_msg[96];
	char msg[160];		/* detail of the last error */
};

/* Where a directory entry lives on disk. */
struct fat_loc {
	uint32_t dir;		/* first cluster of the directory, 0 = root */
	uint32_t first_idx;	/* entry index of its first LFN entry (or the SFN) */
	uint32_t sfn_idx;	/* entry index of the short entry */
	uint32_t lba;		/* sector holding the short entry */
	uint16_t off;		/* byte offset of the short entry in that sector */
};

struct fat_file {
	struct fat_vol *vol;
	struct fat_loc loc;
	uint32_t first;		/* first cluster, 0 if empty */
	uint32_t size;
	uint32_t pos;
	uint32_t cur_clus;	/* cluster number cur_idx of the chain, 0 if unknown */
	uint32_t cur_idx;
	unsigned mode;		/* FAT_O_* */
	uint8_t attr;
	bool meta_dirty;	/* size/first cluster changed since written */
	bool open;
};

struct fat_stat {
	char name[FAT_NAME_BUF];	/* long name if present, else 8.3 */
	char sfn[13];			/* the 8.3 alias as "NAME.EXT" */
	uint32_t size;
	uint32_t first_cluster;
	uint8_t attr;
	bool is_dir;
	uint16_t wdate, wtime;		/* DOS date/time of last write */
};

struct fat_dir {
	struct fat_vol *vol;
	uint32_t first;		/* 0 = root */
	uint32_t clus;		/* current cluster (subdirectories) */
	uint32_t index;		/* next entry index within the directory */
	uint32_t mark, pow, len;	/* loop detection state */
	bool end;
};

struct fat_statfs {
	uint32_t cluster_bytes;
	uint32_t total_clusters;
	uint32_t free_clusters;
	uint32_t total_sectors;
	char label[12];
};

/* Volume */
int fat_mount(struct fat_vol *v, const struct blockdev *dev, unsigned flags);
int fat_sync(struct fat_vol *v);		/* flush FAT, open files' entries, device */
int fat_unmount(struct fat_vol *v);		/* sync + close all open files */
int fat_statfs(struct fat_vol *v, struct fat_statfs *st);
void fat_set_clock(struct fat_vol *v, fat_clock_fn clock);

/* Files */
int fat_open(struct fat_vol *v, struct fat_file *f, const char *path, unsigned flags);
int32_t fat_read(struct fat_file *f, void *buf, uint32_t n);
int32_t fat_write(struct fat_file *f, const void *buf, uint32_t n);
int fat_seek(struct fat_file *f, uint32_t pos);	/* past the end: the next non-empty write zero-fills the gap */
uint32_t fat_tell(const struct fat_file *f);
uint32_t fat_size(const struct fat_file *f);
int fat_truncate(struct fat_file *f, uint32_t size);	/* shrink or zero-extend */
int fat_fsync(struct fat_file *f);
int fat_close(struct fat_file *f);

/* Names */
int fat_stat(struct fat_vol *v, const char *path, struct fat_stat *st);
int fat_unlink(struct fat_vol *v, const char *path);	/* files only */
int fat_mkdir(struct fat_vol *v, const char *path);
int fat_rmdir(struct fat_vol *v, const char *path);
int fat_rename(struct fat_vol *v, const char *from, const char *to);
int fat_opendir(struct fat_vol *v, struct fat_dir *d, const char *path);
/* 1 = entry returned, 0 = end of directory, < 0 error.  Skips ".", "..",
 * the volume label and deleted entries. */
int fat_readdir(struct fat_dir *d, struct fat_stat *st);

/* Errors */
const char *fat_strerror(int err);
const char *fat_errmsg(const struct fat_vol *v);
#endif
