/* ATA PIO.  Register use follows the ATA/ATAPI-6 command set: base+0 data,
 * +1 error, +2 sector count, +3..+5 LBA, +6 drive/head, +7 status/command;
 * ctrl: alternate status / device control.
 *
 * Every command is one `transfer` (issue, move each sector at DRQ, check the
 * end status); `request` wraps it in the recovery rule of ata.h: reset the
 * channel and try the same sectors again, a bounded number of times.  The
 * status register (not the alternate one) is read while waiting: reading it
 * is what ends the drive's interrupt request, so the next command's
 * interrupt is a fresh edge. */
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

/* Status reads before a wait starts to sleep: a drive that is ready within
 * a few microseconds (QEMU's DRQ after WRITE, a cached read) costs no sleep. */
#define SPIN_POLLS	64u

static uint8_t in8(struct ata_dev *d, unsigned reg) { return d->io.inb(d->io.ctx, (uint16_t)(d->base + reg)); }
static void out8(struct ata_dev *d, unsigned reg, uint8_t v) { d->io.outb(d->io.ctx, (uint16_t)(d->base + reg), v); }
static uint8_t alt_status(struct ata_dev *d) { return d->io.inb(d->io.ctx, d->ctrl); }
static uint32_t now(struct ata_dev *d) { return d->io.now_ms(d->io.ctx); }

/* Device control: interrupts on exactly when the server can wait for them. */
static void control(struct ata_dev *d, uint8_t bits)
{
	d->io.outb(d->io.ctx, d->ctrl, (uint8_t)(bits | (d->io.wait_irq ? 0 : CTL_NIEN)));
}

/* ~400 ns: four reads of the alternate status register. */
static void delay400(struct ata_dev *d)
{
	for (int i = 0; i < 4; i++)
		(void)alt_status(d);
}

/* Let time pass while waiting: the interrupt (or a slice) when the server
 * has one, else an occasional pause so the controller's emulation runs. */
static void wait_a_little(struct ata_dev *d, uint32_t polls, uint32_t left_ms)
{
	if (polls < SPIN_POLLS)
		return;
	if (d->io.wait_irq)
		d->io.wait_irq(d->io.ctx, left_ms < ATA_IRQ_SLICE_MS ? left_ms : ATA_IRQ_SLICE_MS);
	else if (d->io.pause && polls % 4096 == 0)
		d->io.pause(d->io.ctx, 1);
}

/* Wait until BSY is clear and, when `need` is given, one of its bits (or
 * ERR/DF) is set.  Returns the status, or ATA_ENODEV (floating bus, or
 * nothing answering a wait for DRDY) / ATA_ETIMEOUT after timeout_ms. */
static int wait_status(struct ata_dev *d, uint8_t need)
{
	uint32_t start = now(d);
	for (uint32_t polls = 0;; polls++) {
		uint8_t s = in8(d, REG_STATUS);
		if (s == 0xFF || (s == 0 && (need & ST_DRDY)))
			return ATA_ENODEV;	/* floating bus / no drive selected */
		if (!(s & ST_BSY) && (!need || (s & (need | ST_ERR | ST_DF)))) {
			d->last_status = s;
			return s;
		}
		uint32_t spent = now(d) - start;
		if (spent >= d->timeout_ms) {
			d->timeouts++;
			return ATA_ETIMEOUT;
		}
		wait_a_little(d, polls, d->timeout_ms - spent);
	}
}

/* ERR / DF in a settled status as an error code. */
static int status_error(struct ata_dev *d, int s)
{
	if (s < 0)
		return s;
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

/* Software reset of the channel: ends whatever command the drive was in
 * (a data phase a timeout abandoned included) and waits until it is ready
 * for a new one. */
static int reset_channel(struct ata_dev *d)
{
	d->resets++;
	control(d, CTL_SRST);
	delay400(d);
	control(d, 0);
	if (d->io.pause)
		d->io.pause(d->io.ctx, 20);
	int s = wait_status(d, 0);
	if (s < 0)
		return s;
	out8(d, REG_DRIVE, (uint8_t)(0xA0 | (d->slave ? 0x10 : 0)));
	delay400(d);
	/* A present drive shows DRDY once the reset is over (QEMU completes
	 * it asynchronously). */
	s = wait_status(d, ST_DRDY);
	return s < 0 ? s : ATA_OK;
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
	int r, s;
	if (!io || !io->inb || !io->outb || !io->inw || !io->outw || !io->now_ms)
		return ATA_EINVAL;
	*d = (struct ata_dev){0};
	d->io = *io;
	d->base = base;
	d->ctrl = ctrl;
	d->slave = slave;
	d->timeout_ms = ATA_DEFAULT_TIMEOUT_MS;
	if (alt_status(d) == 0xFF)
		return ATA_ENODEV;	/* floating bus: no controller/drives */
	if ((r = reset_channel(d)) < 0)
		return r;
	out8(d, REG_COUNT, 0);
	out8(d, REG_LBA0, 0);
	out8(d, REG_LBA1, 0);
	out8(d, REG_LBA2, 0);
	out8(d, REG_CMD, CMD_IDENTIFY);
	delay400(d);
	s = in8(d, REG_STATUS);
	if (s == 0 || s == 0xFF)
		return ATA_ENODEV;
	if ((s = wait_status(d, 0)) < 0)
		return s;
	if (in8(d, REG_LBA1) != 0 || in8(d, REG_LBA2) != 0)
		return ATA_ENOTATA;	/* ATAPI (14/EB) or SATA (3C/C3) signature */
	if ((r = status_error(d, wait_status(d, ST_DRQ))) < 0)
		return r == ATA_EDEV ? ATA_ENODEV : r;
	for (int i = 0; i < 256; i++)
		id[i] = d->io.inw(d->io.ctx, (uint16_t)(base + REG_DATA));
	if ((r = status_error(d, wait_status(d, 0))) < 0)
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

/* Issue a command, but only to a drive that is idle: BSY and DRQ both
 * clear.  A drive still in another command's data phase gets ATA_EDEV
 * here, which makes `request` reset the channel before trying again. */
static int command(struct ata_dev *d, uint8_t cmd, uint32_t lba, uint32_t n)
{
	int s = wait_status(d, 0);
	if (s < 0)
		return s;
	select_drive(d, (uint8_t)(lba >> 24));
	if ((s = wait_status(d, 0)) < 0)
		return s;
	if (s & ST_DRQ)
		return ATA_EDEV;	/* a data phase nobody finished */
	out8(d, REG_COUNT, (uint8_t)n);	/* 0 means 256 */
	out8(d, REG_LBA0, (uint8_t)lba);
	out8(d, REG_LBA1, (uint8_t)(lba >> 8));
	out8(d, REG_LBA2, (uint8_t)(lba >> 16));
	out8(d, REG_CMD, cmd);
	delay400(d);
	return ATA_OK;
}

/* One READ or WRITE SECTORS command of n (1..256) sectors, or a FLUSH
 * CACHE (n = 0). */
static int transfer(struct ata_dev *d, uint8_t cmd, uint32_t lba, uint32_t n, uint8_t *p)
{
	int r = command(d, cmd, lba, n & 0xFF);
	if (r < 0)
		return r;
	for (uint32_t s = 0; s < n; s++) {
		if ((r = status_error(d, wait_status(d, ST_DRQ))) < 0)
			return r;
		if (!(d->last_status & ST_DRQ))
			return ATA_EDEV;
		for (int i = 0; i < 256; i++, p += 2) {
			uint16_t port = (uint16_t)(d->base + REG_DATA);
			if (cmd == CMD_WRITE) {
				d->io.outw(d->io.ctx, port, (uint16_t)(p[0] | p[1] << 8));
			} else {
				uint16_t w = d->io.inw(d->io.ctx, port);
				p[0] = (uint8_t)w;
				p[1] = (uint8_t)(w >> 8);
			}
		}
		delay400(d);
	}
	/* the end: BSY clear, no DRQ left, no ERR/DF */
	int s = wait_status(d, 0);
	if ((r = status_error(d, s)) < 0)
		return r;
	if (s & ST_DRQ)
		return ATA_EDEV;	/* the drive wants more than the command said */
	if (cmd == CMD_WRITE)
		d->sectors_written += n;
	else if (cmd == CMD_READ)
		d->sectors_read += n;
	return ATA_OK;
}

/* A command with the recovery rule: on any failure but a missing drive,
 * reset the channel and issue the same command again, ATA_RETRIES times
 * at most.  The channel is left reset after a final failure too, so the
 * next request starts on an idle drive. */
static int request(struct ata_dev *d, uint8_t cmd, uint32_t lba, uint32_t n, uint8_t *p)
{
	for (uint32_t attempt = 0;; attempt++) {
		int r = transfer(d, cmd, lba, n, p);
		if (r == ATA_OK)
			return r;
		uint8_t err = d->last_error;
		reset_channel(d);
		d->last_error = err;
		if (r == ATA_ENODEV || attempt == ATA_RETRIES)
			return r;
		d->retries++;
	}
}

static int check_range(struct ata_dev *d, uint32_t lba, uint32_t count)
{
	if (count == 0)
		return ATA_EINVAL;
	if (lba >= d->sectors || count > d->sectors - lba)
		return ATA_ERANGE;
	return ATA_OK;
}

static int read_or_write(struct ata_dev *d, uint8_t cmd, uint32_t lba, uint32_t count, uint8_t *p)
{
	int r;
	if ((r = check_range(d, lba, count)) < 0)
		return r;
	while (count) {
		uint32_t n = count > 256 ? 256 : count;
		if ((r = request(d, cmd, lba, n, p)) < 0)
			return r;
		p += n * 512;
		lba += n;
		count -= n;
	}
	return ATA_OK;
}

int ata_read(struct ata_dev *d, uint32_t lba, uint32_t count, void *buf)
{
	return read_or_write(d, CMD_READ, lba, count, buf);
}

int ata_write(struct ata_dev *d, uint32_t lba, uint32_t count, const void *buf)
{
	/* transfer() only reads from the buffer for a write */
	return read_or_write(d, CMD_WRITE, lba, count, (uint8_t *)(uintptr_t)buf);
}

int ata_flush(struct ata_dev *d)
{
	return request(d, CMD_FLUSH, 0, 0, 0);
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
