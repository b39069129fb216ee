/* ATA PIO driver (IDENTIFY, LBA28 READ/WRITE SECTORS, FLUSH CACHE) in
 * polling mode with bounded waits.  Portable: every port access goes through
 * struct ata_io, so the ring-3 fs server plugs in its in/out instructions
 * (after the kernel grants it the IDE ports) and the host tests plug in a
 * simulated controller.  Interrupts are masked (nIEN) — the server polls. */
#ifndef BF_FS_ATA_H
#define BF_FS_ATA_H
#include <stdbool.h>
#include <stdint.h>
#include "servers/fs/blockdev.h"

#define ATA_PRIMARY_BASE	0x1F0
#define ATA_PRIMARY_CTRL	0x3F6
#define ATA_SECONDARY_BASE	0x170
#define ATA_SECONDARY_CTRL	0x376
#define ATA_LBA28_MAX		(1u << 28)
#define ATA_DEFAULT_TIMEOUT	1000000u	/* status polls before giving up */

enum ata_err {
	ATA_OK = 0,
	ATA_ENODEV = -1,	/* nothing on the bus / drive absent */
	ATA_ETIMEOUT = -2,	/* BSY or DRQ did not settle within the poll budget */
	ATA_EDEV = -3,		/* the drive set ERR (see ata_dev.last_error) */
	ATA_EFAULT = -4,	/* the drive set DF (device fault) */
	ATA_ERANGE = -5,	/* sector outside the drive / LBA28 */
	ATA_ENOTATA = -6,	/* ATAPI or SATA signature: not a PATA disk */
	ATA_EINVAL = -7,
};

struct ata_io {
	void *ctx;
	uint8_t (*inb)(void *ctx, uint16_t port);
	void (*outb)(void *ctx, uint16_t port, uint8_t val);
	uint16_t (*inw)(void *ctx, uint16_t port);
	void (*outw)(void *ctx, uint16_t port, uint16_t val);
	/* Optional: let time pass without touching the ports (the reset is
	 * finished by the controller on its own time; QEMU's needs the
	 * emulator's main loop, which a tight polling loop can starve). */
	void (*pause)(void *ctx, uint32_t ms);
};

struct ata_dev {
	struct ata_io io;
	uint16_t base, ctrl;
	bool slave;
	uint32_t timeout;	/* polls; ATA_DEFAULT_TIMEOUT after probe */
	uint32_t sectors;	/* LBA28 user-addressable sectors */
	char model[41];
	char serial[21];
	uint8_t last_status, last_error;
	uint64_t sectors_read, sectors_written;
};

/* Reset the channel, select the drive, IDENTIFY it. */
int ata_probe(struct ata_dev *d, const struct ata_io *io, uint16_t base, uint16_t ctrl, bool slave);
int ata_read(struct ata_dev *d, uint32_t lba, uint32_t count, void *buf);
int ata_write(struct ata_dev *d, uint32_t lba, uint32_t count, const void *buf);
int ata_flush(struct ata_dev *d);
/* The drive as a struct blockdev for the FAT core. */
struct blockdev ata_blockdev(struct ata_dev *d);
const char *ata_strerror(int err);
#endif
