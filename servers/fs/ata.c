/* ATA PIO, polling.  Register use follows the ATA/ATAPI-6 command set:
 * base+0 data, +1 error, +2 sector count, +3..+5 LBA, +6 drive/head,
 * +7 status/command; ctrl: alternate status / device control. */
#include "servers/fs/ata.h"

#define REG_DATA	0
#define REG_ERROR	1
#define REG_COUNT	2
#define REG_LBA0	3
#define REG_LBA1	4
#define REG_LBA2	5
#define REG_DRIVE	6
#define REG_STATUS	7
#define REG_CMD		7

#define ST_ERR	0x01
#define ST_DRQ	0x08
#define ST_DF	0x20
#define ST_DRDY	0x40
#define ST_BSY	0x80

#define CTL_NIEN 0x02
#define CTL_SRST 0x04

#define CMD_READ	0x20
#define CMD_WRITE	0x30
#define CMD_FLUSH	0xE7
#define CMD_IDENTIFY	0xEC

static uint8_t in8(struct ata_dev *d, unsigned reg) { return d->io.inb(d->io.ctx, (uint16_t)(d->base + reg)); }
static void out8(struct ata_dev *d, unsigned reg, uint8_t v) { d->io.outb(d->io.ctx, (uint16_t)(d->base + reg), v); }
static uint8_t alt(struct ata_dev *d) { return d->io.inb(d->io.ctx, d->ctrl); }

/* ~400 ns: four reads of the alternate status register. */
static void delay400(struct ata_dev *d)
{
	for (int i = 0; i < 4; i++)
		(void)alt(d);
}

static int wait_not_busy(struct ata_dev *d)
{
	for (uint32_t i = 0; i < d->timeout; i++) {
		uint8_t s = alt(d);
		if (s == 0xFF)
			return ATA_ENODEV;
		if (!(s & ST_BSY))
			return ATA_OK;
	}
	return ATA_ETIMEOUT;
}

/* Wait until BSY clears, then require DRQ (data phase) unless ERR/DF. */
static int wait_drq(struct ata_dev *d)
{
	for (uint32_t i = 0; i < d->timeout; i++) {
		uint8_t s = alt(d);
		if (s & ST_BSY)
			continue;
		d->last_status = s;
		if (s & ST_ERR) {
			d->last_error = in8(d, REG_ERROR);
			(void)in8(d, REG_STATUS);
			return ATA_EDEV;
		}
		if (s & ST_DF) {
			(void)in8(d, REG_STATUS);
			return ATA_EFAULT;
		}
		if (s & ST_DRQ)
			return ATA_OK;
	}
	return ATA_ETIMEOUT;
}

/* End of a command: BSY clear, then status (reading STATUS acks the IRQ). */
static int finish(struct ata_dev *d)
{
	int r = wait_not_busy(d);
	uint8_t s;
	if (r < 0)
		return r;
	s = in8(d, REG_STATUS);
	d->last_status = s;
	if (s & ST_ERR) {
		d->last_error = in8(d, REG_ERROR);
		return ATA_EDEV;
	}
	if (s & ST_DF)
		return ATA_EFAULT;
	return ATA_OK;
}

static void select_drive(struct ata_dev *d, uint8_t lba_hi)
{
	out8(d, REG_DRIVE, (uint8_t)(0xE0 | (d->slave ? 0x10 : 0) | (lba_hi & 0x0F)));
	delay400(d);
}

static void copy_str(char *dst, const uint16_t *w, unsigned words)
{
	unsigned n = 0;
	for (unsigned i = 0; i < words; i++) {
		dst[n++] = (char)(w[i] >> 8);
		dst[n++] = (char)w[i];
	}
	while (n > 0 && (dst[n - 1] == ' ' || dst[n - 1] == 0))
		n--;
	dst[n] = 0;
	for (unsigned i = 0; i < n; i++)
		if ((unsigned char)dst[i] < 0x20 || (unsigned char)dst[i] > 0x7E)
			dst[i] = '?';
}

int ata_probe(struct ata_dev *d, const struct ata_io *io, uint16_t base, uint16_t ctrl, bool slave)
{
	uint16_t id[256];
	uint8_t s;
	int r;
	if (!io || !io->inb || !io->outb || !io->inw || !io->outw)
		return ATA_EINVAL;
	*d = (struct ata_dev){0};
	d->io = *io;
	d->base = base;
	d->ctrl = ctrl;
	d->slave = slave;
	d->timeout = ATA_DEFAULT_TIMEOUT;
	if (alt(d) == 0xFF)
		return ATA_ENODEV;	/* floating bus: no controller/drives */
	/* software reset of the channel, interrupts masked: we poll */
	d->io.outb(d->io.ctx, ctrl, CTL_NIEN | CTL_SRST);
	delay400(d);
	d->io.outb(d->io.ctx, ctrl, CTL_NIEN);
	if (d->io.pause)
		d->io.pause(d->io.ctx, 20);
	if ((r = wait_not_busy(d)) < 0)
		return r;
	out8(d, REG_DRIVE, (uint8_t)(0xA0 | (slave ? 0x10 : 0)));
	delay400(d);
	/* A present drive shows DRDY once the reset is over; wait for it
	 * (QEMU completes the reset asynchronously) before IDENTIFY, pausing
	 * now and then so the controller gets to finish. */
	for (uint32_t i = 0; i < d->timeout && !(alt(d) & ST_DRDY); i++)
		if (d->io.pause && i % 1024 == 1023 && i < 64 * 1024)
			d->io.pause(d->io.ctx, 10);
	out8(d, REG_COUNT, 0);
	out8(d, REG_LBA0, 0);
	out8(d, REG_LBA1, 0);
	out8(d, REG_LBA2, 0);
	out8(d, REG_CMD, CMD_IDENTIFY);
	delay400(d);
	s = in8(d, REG_STATUS);
	if (s == 0 || s == 0xFF)
		return ATA_ENODEV;
	if ((r = wait_not_busy(d)) < 0)
		return r;
	if (in8(d, REG_LBA1) != 0 || in8(d, REG_LBA2) != 0)
		return ATA_ENOTATA;	/* ATAPI (14/EB) or SATA (3C/C3) signature */
	if ((r = wait_drq(d)) < 0)
		return r == ATA_EDEV ? ATA_ENODEV : r;
	for (int i = 0; i < 256; i++)
		id[i] = d->io.inw(d->io.ctx, (uint16_t)(base + REG_DATA));
	if ((r = finish(d)) < 0)
		return r;
	if (!(id[49] & (1u << 9)))
		return ATA_ENOTATA;	/* no LBA: pre-ATA-2 drive */
	d->sectors = (uint32_t)id[60] | (uint32_t)id[61] << 16;
	if (d->sectors > ATA_LBA28_MAX)
		d->sectors = ATA_LBA28_MAX;
	copy_str(d->model, id + 27, 20);
	copy_str(d->serial, id + 10, 10);
	return ATA_OK;
}

static int command(struct ata_dev *d, uint8_t cmd, uint32_t lba, uint32_t n)
{
	int r = wait_not_busy(d);
	if (r < 0)
		return r;
	select_drive(d, (uint8_t)(lba >> 24));
	if ((r = wait_not_busy(d)) < 0)
		return r;
	out8(d, REG_COUNT, (uint8_t)n);	/* 0 means 256 */
	out8(d, REG_LBA0, (uint8_t)lba);
	out8(d, REG_LBA1, (uint8_t)(lba >> 8));
	out8(d, REG_LBA2, (uint8_t)(lba >> 16));
	out8(d, REG_CMD, cmd);
	delay400(d);
	return ATA_OK;
}

static int check_range(struct ata_dev *d, uint32_t lba, uint32_t count)
{
	if (count == 0)
		return ATA_EINVAL;
	if (lba >= d->sectors || count > d->sectors - lba)
		return ATA_ERANGE;
	return ATA_OK;
}

int ata_read(struct ata_dev *d, uint32_t lba, uint32_t count, void *buf)
{
	uint8_t *p = buf;
	int r;
	if ((r = check_range(d, lba, count)) < 0)
		return r;
	while (count) {
		uint32_t n = count > 256 ? 256 : count;
		if ((r = command(d, CMD_READ, lba, n & 0xFF)) < 0)
			return r;
		for (uint32_t s = 0; s < n; s++) {
			if ((r = wait_drq(d)) < 0)
				return r;
			for (int i = 0; i < 256; i++) {
				uint16_t w = d->io.inw(d->io.ctx, (uint16_t)(d->base + REG_DATA));
				p[0] = (uint8_t)w;
				p[1] = (uint8_t)(w >> 8);
				p += 2;
			}
			delay400(d);
			d->sectors_read++;
		}
		if ((r = finish(d)) < 0)
			return r;
		lba += n;
		count -= n;
	}
	return ATA_OK;
}

int ata_write(struct ata_dev *d, uint32_t lba, uint32_t count, const void *buf)
{
	const uint8_t *p = buf;
	int r;
	if ((r = check_range(d, lba, count)) < 0)
		return r;
	while (count) {
		uint32_t n = count > 256 ? 256 : count;
		if ((r = command(d, CMD_WRITE, lba, n & 0xFF)) < 0)
			return r;
		for (uint32_t s = 0; s < n; s++) {
			if ((r = wait_drq(d)) < 0)
				return r;
			for (int i = 0; i < 256; i++) {
				d->io.outw(d->io.ctx, (uint16_t)(d->base + REG_DATA), (uint16_t)(p[0] | p[1] << 8));
				p += 2;
			}
			delay400(d);
			d->sectors_written++;
		}
		if ((r = finish(d)) < 0)
			return r;
		lba += n;
		count -= n;
	}
	return ATA_OK;
}

int ata_flush(struct ata_dev *d)
{
	int r = command(d, CMD_FLUSH, 0, 0);
	if (r < 0)
		return r;
	return finish(d);
}

static int bd_read(void *ctx, uint32_t lba, uint32_t n, void *buf) { return ata_read(ctx, lba, n, buf); }
static int bd_write(void *ctx, uint32_t lba, uint32_t n, const void *buf) { return ata_write(ctx, lba, n, buf); }
static int bd_flush(void *ctx) { return ata_flush(ctx); }

struct blockdev ata_blockdev(struct ata_dev *d)
{
	struct blockdev b = {d, bd_read, bd_write, bd_flush, d->sectors};
	return b;
}

const char *ata_strerror(int err)
{
	switch (err) {
	case ATA_OK: return "ok";
	case ATA_ENODEV: return "no ATA drive";
	case ATA_ETIMEOUT: return "drive timed out";
	case ATA_EDEV: return "drive reported an error";
	case ATA_EFAULT: return "drive fault";
	case ATA_ERANGE: return "sector out of range";
	case ATA_ENOTATA: return "not an ATA disk (ATAPI/SATA/no LBA)";
	case ATA_EINVAL: return "invalid argument";
	default: return "unknown ATA error";
	}
}
