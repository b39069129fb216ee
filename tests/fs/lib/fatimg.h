/* Builds test images at test time: a source tree of files with long names,
 * nested directories, empty, one-cluster and multi-cluster files, copied
 * onto a fresh `mkfs.fat -F 16` image with mtools. */
#ifndef BF_TESTS_FS_FATIMG_H
#define BF_TESTS_FS_FATIMG_H
#include <stdint.h>
#include "servers/fs/fat.h"
#include "tests/fs/lib/memdev.h"

struct testimg {
	char dir[256];		/* temp directory */
	char img[300];		/* image path */
	char src[300];		/* source tree copied onto it */
	uint8_t *data;
	uint32_t sectors;
	struct memdev md;
	struct blockdev bd;
	struct fat_vol vol;
};

/* mkfs.fat -F 16 -s spc [extra] of kb KiB; populate: 0 none, 1 standard tree. */
int testimg_make(struct testimg *t, unsigned kb, unsigned spc, const char *extra, int populate);
/* Load the image file into memory and mount it (flags FAT_MOUNT_*). */
int testimg_mount(struct testimg *t, unsigned flags);
/* Write memory back to the image file (after fat_sync/unmount). */
int testimg_save(struct testimg *t);
void testimg_free(struct testimg *t);
#endif
