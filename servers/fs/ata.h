/* ATA PIO driver (IDENTIFY, LBA28 READ/WRITE SECTORS, FLUSH CACHE).
 * Portable: every port access goes through struct ata_io, so the ring-3 fs
 * server plugs in its in/out instructions (after the kernel grants it the
 * IDE ports) and its IRQ 14 notification, and the host tests plug in a
 * simulated controller.
 *
 * What it guarantees, whatever the disk does:
 *   - every wait is bounded in time (ata_io.now_ms), never in polls: a slow
 *     disk is waited for, a dead one is given up on after `timeout_ms`;
 *   - no command is written while the drive shows BSY or DRQ: a command
 *     left half-done by a timeout or an error (DRQ still set, the drive
 *     waiting for data) is ended by a channel reset first, so its data can
 *     never be taken as the next command's;
 *   - after an error or a timeout the channel is reset and the same request
 *     is tried again, at most ATA_RETRIES more times; a request that still
 *     fails returns its error, and nothing is reported done that was not.
 * With ata_io.wait_irq the drive interrupts (nIEN clear) and the driver
 * sleeps until IRQ 14 or a short slice passes (a lost interrupt costs a
 * slice, never the request); without it the driver polls. */
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
/* Longest wait for one step of a command (BSY to clear, the next sector's
 * DRQ, completion).  ATA allows 30 s for a spin-up; a throttled QEMU disk
 * at 8 IOPS needs 125 ms a sector. */
#define ATA_DEFAULT_TIMEOUT_MS	10000u
#define ATA_RETRIES		2u	/* extra attempts after a failed one */
#define ATA_IRQ_SLICE_MS	20u	/* longest sleep between status checks */

enum ata_err {
	ATA_OK = 0,
	ATA_ENODEV = -1,	/* nothing on the bus / drive absent */
	ATA_ETIMEOUT = -2,	/* BSY or DRQ did not settle in time */
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
	/* Required: a monotonic clock in milliseconds (wraps; only
	 * differences are used).  Every timeout is measured on it. */
	uint32_t (*now_ms)(void *ctx);
	/* Optional: sleep until the drive's interrupt or `ms` pass.  Its
	 * presence switches the drive to interrupt mode (nIEN clear). */
	void (*wait_irq)(void *ctx, uint32_t ms);
	/* Optional: let time pass without touching the ports (the reset is
	 * finished by the controller on its own time; QEMU's needs the
	 * emulator's main loop, which a tight polling loop can starve). */
	void (*pause)(void *ctx, uint32_t ms);
};

struct ata_dev {
	struct ata_io io;
	uint16_t base, ctrl;
	bool slave;
	uint32_t timeout_ms;	/* ATA_DEFAULT_TIMEOUT_MS after probe */
	uint32_t sectors;	/* LBA28 user-addressable sectors */
	char model[41];
	char serial[21];
	uint8_t last_status, last_error;
	uint64_t sectors_read, sectors_written;
	uint32_t retries, resets, timeouts;	/* recoveries, for the record */
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
