/* Test helpers for the FAT16 core: an in-memory block device over a disk
 * image (with a write log for crash cuts and fault injection) and helpers
 * that make images with mkfs.fat / mtools at test time. */
#ifndef BF_TESTS_FS_MEMDEV_H
#define BF_TESTS_FS_MEMDEV_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "servers/fs/blockdev.h"

struct memdev {
	uint8_t *data;
	uint32_t sectors;
	uint64_t reads, writes, sectors_written;	/* counters */
	long write_budget;	/* < 0: unlimited; else sector writes before the "crash" */
	bool crashed;		/* a write was dropped */
	long fail_read_lba;	/* >= 0: reads of this sector fail */
	long fail_write_lba;	/* >= 0: writes of this sector fail (nothing written) */
	/* optional log of every sector written, in order */
	uint32_t *log_lba;
	uint8_t *log_data;
	size_t log_len, log_cap;
};

void memdev_init(struct memdev *m, uint8_t *data, uint32_t sectors);
struct blockdev memdev_blockdev(struct memdev *m);
void memdev_log_enable(struct memdev *m, size_t cap);
void memdev_free_log(struct memdev *m);

/* Image files */
uint8_t *img_load(const char *path, uint32_t *sectors);	/* malloc'd */
int img_save(const char *path, const uint8_t *data, uint32_t sectors);
/* Runs a shell command (printf-style), returns its exit status. */
int shell(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Output of a shell command into buf (NUL-terminated); returns exit status. */
int shell_out(char *buf, size_t cap, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* A fresh temporary directory (mkdtemp under $TMPDIR or /tmp). */
const char *tmpdir_make(char *buf, size_t cap);
void tmpdir_remove(const char *dir);
/* fsck.fat -n on an image: 0 when clean; output goes to buf if non-NULL. */
int fsck_check(const char *img, char *buf, size_t cap);
/* Deterministic file contents: byte i of file `seed`. */
void fill_pattern(uint8_t *buf, size_t n, uint32_t seed, size_t offset);
#endif
