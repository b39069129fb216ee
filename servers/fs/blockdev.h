/* The block-device interface the FAT16 core runs on (FatFs-style: the core
 * knows nothing about the driver).  Sectors are 512 bytes.  read/write move
 * `count` whole sectors starting at `lba`; both return 0 on success and a
 * negative value on any device error.  `flush` (may be NULL) makes earlier
 * writes durable (ATA FLUSH CACHE); the core calls it at sync.
 * `sectors` is the device size; the core refuses a volume larger than it. */
#ifndef BF_FS_BLOCKDEV_H
#define BF_FS_BLOCKDEV_H
#include <stdint.h>

#define BLOCKDEV_SECTOR 512u

struct blockdev {
	void *ctx;
	int (*read)(void *ctx, uint32_t lba, uint32_t count, void *buf);
	int (*write)(void *ctx, uint32_t lba, uint32_t count, const void *buf);
	int (*flush)(void *ctx);
	uint32_t sectors;
};
#endif
