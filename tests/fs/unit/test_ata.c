/* The ATA PIO driver against a simulated IDE controller (register-level:
 * status/BSY/DRQ/ERR, IDENTIFY, READ/WRITE SECTORS with multi-sector
 * counts, FLUSH CACHE, soft reset), including faults: bad sectors, a drive
 * stuck busy, a floating bus, an ATAPI device.  Then the FAT16 core runs on
 * the driver and mtools/fsck.fat judge the result. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "servers/fs/ata.h"
#include "servers/fs/fat.h"
#include "tests/fs/lib/fatimg.h"
#include "tests/fs/lib/mtcheck.h"

enum { IDLE, PIO_IN, PIO_OUT };
/* The simulated drive keeps time in microseconds: every port access takes
 * 1 us, and the driver's sleeps (wait_irq, pause) move the clock on, so a
 * slow or stalled disk and the driver's timeouts meet exactly as in time,
 * repeatably.  Like QEMU's IDE model, it ignores a command written while
 * BSY or DRQ is set, and a PIO transfer takes each sector's address from
 * the task-file registers as it goes (advancing them), so a driver that
 * rewrites the registers during another command's data phase sends data to
 * the wrong sector -- the corruption the driver must make impossible. */
struct sim {
	uint8_t *disk;
	uint32_t sectors;
	uint8_t err, count, lba[3], drive, status, ctrl;
	int state;
	uint8_t buf[512];
	unsigned pos;
	uint32_t remaining;
	uint64_t now_us, busy_until_us;
	unsigned busy_us;		/* busy time of each sector / command */
	bool irq_armed;			/* INTRQ rises when the busy time ends */
	long bad_lba;
	unsigned bad_tries;		/* fail only this many times (0 = always) */
	bool hang, floating, atapi, slave_present;
	long stall_after;		/* after this many sectors written ... */
	uint64_t stall_us;		/* ... stay busy this long, once (0: hang) */
	unsigned flushes, commands, resets, cmds_while_busy, irq_waits, irqs;
	uint64_t port_ops, sectors_written;
};
static struct sim S;

static bool selected_present(struct sim *s)
{
	return !(s->drive & 0x10) || s->slave_present;
}

static void tick(struct sim *s)
{
	s->port_ops++;
	s->now_us++;
}

static bool busy(const struct sim *s) { return s->hang || s->now_us < s->busy_until_us; }
static bool intrq(const struct sim *s) { return s->irq_armed && !busy(s) && !(s->ctrl & 0x02); }

static void go_busy(struct sim *s, uint64_t us)
{
	s->busy_until_us = s->now_us + us;
	s->irq_armed = true;
}

static uint8_t status_read(struct sim *s, bool ack)
{
	if (s->floating)
		return 0xFF;
	if (!selected_present(s))
		return 0;
	if (busy(s))
		return 0x80;
	if (ack && intrq(s)) {
		s->irq_armed = false;	/* reading STATUS ends the interrupt */
		s->irqs++;
	}
	return s->status;
}

static void fail_cmd(struct sim *s, uint8_t err)
{
	s->err = err;
	s->status = 0x41;	/* DRDY | ERR */
	s->state = IDLE;
}

static uint32_t reg_lba(const struct sim *s)
{
	return s->lba[0] | s->lba[1] << 8 | s->lba[2] << 16 | (uint32_t)(s->drive & 0x0F) << 24;
}

static void advance_lba(struct sim *s)
{
	uint32_t l = reg_lba(s) + 1;
	s->lba[0] = (uint8_t)l;
	s->lba[1] = (uint8_t)(l >> 8);
	s->lba[2] = (uint8_t)(l >> 16);
	s->drive = (uint8_t)((s->drive & 0xF0) | ((l >> 24) & 0x0F));
}

static bool bad_sector(struct sim *s, uint32_t lba)
{
	if (s->bad_lba < 0 || lba != (uint32_t)s->bad_lba)
		return false;
	if (s->bad_tries && --s->bad_tries == 0)
		s->bad_lba = -1;	/* a transient error: fine next time */
	return true;
}

static void load_sector(struct sim *s)
{
	uint32_t lba = reg_lba(s);
	go_busy(s, s->busy_us);
	if (lba >= s->sectors || bad_sector(s, lba)) {
		fail_cmd(s, 0x40);	/* UNC */
		return;
	}
	memcpy(s->buf, s->disk + (size_t)lba * 512, 512);
	s->pos = 0;
	s->state = PIO_IN;
	s->status = 0x48;	/* DRDY | DRQ */
}

static void put_str(uint16_t *w, const char *str, unsigned words)
{
	char tmp[64];
	memset(tmp, ' ', sizeof tmp);
	memcpy(tmp, str, strlen(str));
	for (unsigned i = 0; i < words; i++)
		w[i] = (uint16_t)((uint8_t)tmp[2 * i] << 8 | (uint8_t)tmp[2 * i + 1]);
}

static void command(struct sim *s, uint8_t cmd)
{
	uint32_t lba = reg_lba(s);
	uint32_t n = s->count ? s->count : 256;
	if (busy(s) || (s->status & 0x08)) {
		s->cmds_while_busy++;	/* QEMU ignores it */
		return;
	}
	s->commands++;
	s->err = 0;
	switch (cmd) {
	case 0xEC: {
		uint16_t id[256] = {0};
		if (s->atapi) {
			s->lba[1] = 0x14;
			s->lba[2] = 0xEB;
			fail_cmd(s, 0x04);
			return;
		}
		put_str(id + 10, "SIM-SERIAL-0042", 10);
		put_str(id + 27, "BareFlow Simulated ATA Disk", 20);
		id[49] = 1u << 9;
		id[60] = (uint16_t)s->sectors;
		id[61] = (uint16_t)(s->sectors >> 16);
		memcpy(s->buf, id, 512);
		s->pos = 0;
		s->remaining = 1;
		s->state = PIO_IN;
		s->status = 0x48;
		go_busy(s, s->busy_us);
		return;
	}
	case 0x20:
		if (lba + n > s->sectors)
			return fail_cmd(s, 0x10);	/* IDNF */
		s->remaining = n;
		load_sector(s);
		return;
	case 0x30:
		if (lba + n > s->sectors)
			return fail_cmd(s, 0x10);
		s->remaining = n;
		s->pos = 0;
		s->state = PIO_OUT;
		s->status = 0x48;	/* DRQ at once: no interrupt for the first sector */
		return;
	case 0xE7:
		s->flushes++;
		s->status = 0x40;
		go_busy(s, s->busy_us);
		return;
	default:
		fail_cmd(s, 0x04);	/* ABRT */
	}
}

static uint8_t sim_inb(void *ctx, uint16_t port)
{
	struct sim *s = ctx;
	tick(s);
	if (s->floating)
		return 0xFF;
	switch (port) {
	case 0x1F1: return s->err;
	case 0x1F2: return s->count;
	case 0x1F3: case 0x1F4: case 0x1F5: return s->lba[port - 0x1F3];
	case 0x1F6: return s->drive;
	case 0x1F7: return status_read(s, true);
	case 0x3F6: return status_read(s, false);
	default: return 0xFF;
	}
}

static void sim_outb(void *ctx, uint16_t port, uint8_t v)
{
	struct sim *s = ctx;
	tick(s);
	switch (port) {
	case 0x1F2: s->count = v; break;
	case 0x1F3: case 0x1F4: case 0x1F5: s->lba[port - 0x1F3] = v; break;
	case 0x1F6: s->drive = v; break;
	case 0x1F7: command(s, v); break;
	case 0x3F6:
		if ((v & 0x04) && !(s->ctrl & 0x04)) {
			s->resets++;
			s->state = IDLE;
			s->status = 0x40;
			s->err = 1;
			s->busy_until_us = s->now_us + 3;
			s->irq_armed = false;
		}
		s->ctrl = v;
		break;
	}
}

static uint16_t sim_inw(void *ctx, uint16_t port)
{
	struct sim *s = ctx;
	uint16_t w;
	tick(s);
	if (port != 0x1F0 || s->state != PIO_IN || busy(s))
		return 0xFFFF;
	w = (uint16_t)(s->buf[s->pos] | s->buf[s->pos + 1] << 8);
	s->pos += 2;
	if (s->pos == 512) {
		if (--s->remaining == 0) {
			s->state = IDLE;
			s->status = 0x40;
		} else {
			advance_lba(s);
			load_sector(s);
		}
	}
	return w;
}

static void sim_outw(void *ctx, uint16_t port, uint16_t v)
{
	struct sim *s = ctx;
	tick(s);
	if (port != 0x1F0 || s->state != PIO_OUT || busy(s))
		return;
	s->buf[s->pos] = (uint8_t)v;
	s->buf[s->pos + 1] = (uint8_t)(v >> 8);
	s->pos += 2;
	if (s->pos == 512) {
		uint32_t lba = reg_lba(s);
		s->pos = 0;
		go_busy(s, s->busy_us);
		if (lba >= s->sectors || bad_sector(s, lba))
			return fail_cmd(s, 0x40);
		memcpy(s->disk + (size_t)lba * 512, s->buf, 512);
		if (s->stall_after >= 0 && s->sectors_written++ == (uint64_t)s->stall_after) {
			s->busy_until_us = s->now_us + s->stall_us;	/* a throttled disk */
			s->hang = s->stall_us == 0;			/* ... or a dead one */
			s->stall_after = -1;
		}
		if (--s->remaining == 0) {
			s->state = IDLE;
			s->status = 0x40;
		} else {
			advance_lba(s);
		}
	}
}

static uint32_t sim_now_ms(void *ctx) { return (uint32_t)(((struct sim *)ctx)->now_us / 1000); }

/* What the fs server's IRQ 14 wait does: return when the interrupt line
 * is up (at once if it already is), or after ms. */
static void sim_wait_irq(void *ctx, uint32_t ms)
{
	struct sim *s = ctx;
	uint64_t until = s->now_us + (uint64_t)ms * 1000;
	s->irq_waits++;
	if (intrq(s))
		return;
	if (s->irq_armed && !s->hang && !(s->ctrl & 0x02) && s->busy_until_us <= until)
		s->now_us = s->busy_until_us;
	else
		s->now_us = until;
}

static void sim_pause(void *ctx, uint32_t ms) { ((struct sim *)ctx)->now_us += (uint64_t)ms * 1000; }

/* Polling (nIEN set) and interrupt-driven, both against the same drive. */
static const struct ata_io IO = {&S, sim_inb, sim_outb, sim_inw, sim_outw, sim_now_ms, 0, sim_pause};
static const struct ata_io IO_IRQ = {&S, sim_inb, sim_outb, sim_inw, sim_outw, sim_now_ms, sim_wait_irq, sim_pause};

static void sim_reset(uint32_t sectors)
{
	free(S.disk);
	memset(&S, 0, sizeof S);
	S.sectors = sectors;
	S.disk = calloc(sectors, 512);
	S.status = 0x40;
	S.bad_lba = -1;
	S.stall_after = -1;
}

Test(ata, identify)
{
	struct ata_dev d;
	sim_reset(20000);
	cr_assert_eq(ata_probe(&d, &IO, ATA_PRIMARY_BASE, ATA_PRIMARY_CTRL, false), ATA_OK);
	cr_assert_eq(d.sectors, 20000);
	cr_assert_str_eq(d.model, "BareFlow Simulated ATA Disk");
	cr_assert_str_eq(d.serial, "SIM-SERIAL-0042");
	cr_assert_eq(S.resets, 1);
	cr_assert(S.ctrl & 0x02, "interrupts should be masked (nIEN)");
}

Test(ata, read_write_round_trip_with_busy_delays)
{
	struct ata_dev d;
	static uint8_t out[600 * 512], in[600 * 512];
	sim_reset(4096);
	S.busy_us = 5;
	cr_assert_eq(ata_probe(&d, &IO, ATA_PRIMARY_BASE, ATA_PRIMARY_CTRL, false), ATA_OK);
	fill_pattern(out, sizeof out, 77, 0);
	cr_assert_eq(ata_write(&d, 100, 600, out), ATA_OK);	/* 3 commands: 256+256+88 */
	cr_assert(memcmp(S.disk + 100 * 512, out, sizeof out) == 0);
	cr_assert_eq(ata_read(&d, 100, 600, in), ATA_OK);
	cr_assert(memcmp(in, out, sizeof in) == 0);
	cr_assert_eq(ata_read(&d, 4095, 1, in), ATA_OK);
	cr_assert_eq(ata_read(&d, 150, 1, in), ATA_OK);
	cr_assert(memcmp(in, out + 50 * 512, 512) == 0);
	cr_assert_eq(ata_flush(&d), ATA_OK);
	cr_assert_eq(S.flushes, 1);
	cr_assert_eq(d.sectors_written, 600);
}

Test(ata, range_and_argument_errors)
{
	struct ata_dev d;
	uint8_t b[1024];
	sim_reset(1000);
	cr_assert_eq(ata_probe(&d, &IO, ATA_PRIMARY_BASE, ATA_PRIMARY_CTRL, false), ATA_OK);
	unsigned before = S.commands;
	cr_assert_eq(ata_read(&d, 1000, 1, b), ATA_ERANGE);
	cr_assert_eq(ata_read(&d, 999, 2, b), ATA_ERANGE);
	cr_assert_eq(ata_write(&d, 0xFFFFFFFF, 2, b), ATA_ERANGE);
	cr_assert_eq(ata_read(&d, 0, 0, b), ATA_EINVAL);
	cr_assert_eq(S.commands, before, "no command for a bad request");
	cr_assert_str_eq(ata_strerror(ATA_ERANGE), "sector out of range");
}

Test(ata, bad_sector_reports_error)
{
	struct ata_dev d;
	static uint8_t b[8 * 512];
	sim_reset(1000);
	cr_assert_eq(ata_probe(&d, &IO, ATA_PRIMARY_BASE, ATA_PRIMARY_CTRL, false), ATA_OK);
	S.bad_lba = 13;
	cr_assert_eq(ata_read(&d, 10, 8, b), ATA_EDEV);
	cr_assert_eq(d.last_error, 0x40);
	cr_assert_eq(ata_write(&d, 12, 4, b), ATA_EDEV);
	/* the drive still works afterwards */
	cr_assert_eq(ata_read(&d, 20, 8, b), ATA_OK);
}

Test(ata, stuck_busy_times_out_in_time_not_polls)
{
	struct ata_dev d;
	uint8_t b[512];
	sim_reset(1000);
	cr_assert_eq(ata_probe(&d, &IO_IRQ, ATA_PRIMARY_BASE, ATA_PRIMARY_CTRL, false), ATA_OK);
	d.timeout_ms = 50;
	S.hang = true;
	uint64_t t0 = S.now_us;
	cr_assert_eq(ata_read(&d, 0, 1, b), ATA_ETIMEOUT);
	uint64_t spent = S.now_us - t0;
	/* each attempt waits its 50 ms, then gives up: bounded in time */
	cr_assert_geq(spent, 50000 * (ATA_RETRIES + 1), "gave up after %llu us", (unsigned long long)spent);
	cr_assert_lt(spent, 4 * 50000 * (ATA_RETRIES + 1), "waited %llu us", (unsigned long long)spent);
	cr_assert_lt(S.port_ops, 100000, "a wait sleeps on the interrupt instead of spinning");
	cr_assert_eq(ata_write(&d, 0, 1, b), ATA_ETIMEOUT);
	S.hang = false;
	cr_assert_eq(ata_read(&d, 0, 1, b), ATA_OK);
	cr_assert_eq(S.cmds_while_busy, 0);
}

/* A disk at 8 I/O operations per second (QEMU's throttling.iops-total=8):
 * 125 ms a sector, far slower than any poll count survives.  Everything
 * completes, through interrupts, without spinning. */
Test(ata, slow_disk_interrupt_driven)
{
	struct ata_dev d;
	static uint8_t out[40 * 512], in[40 * 512];
	sim_reset(4096);
	S.busy_us = 125000;
	cr_assert_eq(ata_probe(&d, &IO_IRQ, ATA_PRIMARY_BASE, ATA_PRIMARY_CTRL, false), ATA_OK);
	cr_assert_eq(S.ctrl & 0x02, 0, "interrupts enabled (nIEN clear) when the server can wait for them");
	fill_pattern(out, sizeof out, 12, 0);
	for (uint32_t i = 0; i < 40; i++)
		cr_assert_eq(ata_write(&d, 200 + i, 1, out + i * 512), ATA_OK);
	cr_assert_eq(ata_read(&d, 200, 40, in), ATA_OK);
	cr_assert(memcmp(in, out, sizeof in) == 0);
	cr_assert_eq(ata_flush(&d), ATA_OK);
	cr_assert_geq(S.now_us, 80ull * 125000, "the drive's time passed");
	cr_assert_geq(S.irqs, 80, "each sector's completion came as an interrupt");
	cr_assert_lt(S.port_ops, 200000, "no busy spinning: %llu port accesses", (unsigned long long)S.port_ops);
	cr_assert_eq(d.retries, 0);
	cr_assert_eq(S.cmds_while_busy, 0);
}

/* The data-loss case of a slow disk: a two-sector write stalls after its
 * first sector for longer than the driver waits.  The driver must end that
 * command (reset) and write the same sectors again; the next request must
 * land where it says, never in the abandoned command's second sector. */
static void stalled_write_case(uint64_t stall_us, int want)
{
	struct ata_dev d;
	static uint8_t a[2 * 512], b[512], old[3 * 512];
	sim_reset(1000);
	fill_pattern(old, sizeof old, 5, 0);
	memcpy(S.disk + 10 * 512, old, 2 * 512);
	memcpy(S.disk + 20 * 512, old + 1024, 512);
	cr_assert_eq(ata_probe(&d, &IO_IRQ, ATA_PRIMARY_BASE, ATA_PRIMARY_CTRL, false), ATA_OK);
	d.timeout_ms = 100;
	fill_pattern(a, sizeof a, 6, 0);
	fill_pattern(b, sizeof b, 7, 0);
	S.stall_after = 0;
	S.stall_us = stall_us;
	cr_assert_eq(ata_write(&d, 10, 2, a), want);
	S.hang = false;	/* a dead drive came back: the next request must be clean */
	cr_assert_eq(ata_write(&d, 20, 1, b), ATA_OK);
	cr_assert(memcmp(S.disk + 20 * 512, b, 512) == 0, "the second request's sector holds its data");
	for (int k = 0; k < 2; k++) {
		const uint8_t *sec = S.disk + (10 + k) * 512;
		cr_assert(memcmp(sec, a + k * 512, 512) == 0 || (want != ATA_OK && memcmp(sec, old + k * 512, 512) == 0),
			  "sector %d holds its own request's data or its old contents", 10 + k);
		cr_assert(memcmp(sec, b, 512) != 0, "sector %d was written with another request's data", 10 + k);
	}
	cr_assert_eq(S.cmds_while_busy, 0, "a command was written while BSY or DRQ was set");
	cr_assert_geq(S.resets, 2, "the abandoned command was ended by a channel reset");
}

Test(ata, stalled_write_is_retried_never_misdirected) { stalled_write_case(150000, ATA_OK); }
Test(ata, stalled_write_that_stays_stuck_fails_upward) { stalled_write_case(0, ATA_ETIMEOUT); }

Test(ata, transient_error_retried_permanent_one_reported)
{
	struct ata_dev d;
	static uint8_t b[8 * 512];
	sim_reset(1000);
	cr_assert_eq(ata_probe(&d, &IO_IRQ, ATA_PRIMARY_BASE, ATA_PRIMARY_CTRL, false), ATA_OK);
	S.bad_lba = 13;
	S.bad_tries = 1;
	cr_assert_eq(ata_read(&d, 10, 8, b), ATA_OK);
	cr_assert_eq(d.retries, 1);
	S.bad_lba = 13;
	S.bad_tries = 0;
	cr_assert_eq(ata_write(&d, 12, 4, b), ATA_EDEV);
	cr_assert_eq(d.retries, 1 + ATA_RETRIES, "bounded: %u retries", d.retries);
	cr_assert_eq(d.last_error, 0x40);
	cr_assert_eq(ata_read(&d, 20, 8, b), ATA_OK);
	cr_assert_eq(S.cmds_while_busy, 0);
}

Test(ata, absent_and_wrong_devices)
{
	struct ata_dev d;
	sim_reset(1000);
	S.floating = true;
	cr_assert_eq(ata_probe(&d, &IO, ATA_PRIMARY_BASE, ATA_PRIMARY_CTRL, false), ATA_ENODEV);
	sim_reset(1000);
	cr_assert_eq(ata_probe(&d, &IO, ATA_PRIMARY_BASE, ATA_PRIMARY_CTRL, true), ATA_ENODEV);
	sim_reset(1000);
	S.atapi = true;
	cr_assert_eq(ata_probe(&d, &IO, ATA_PRIMARY_BASE, ATA_PRIMARY_CTRL, false), ATA_ENOTATA);
	struct ata_io bad = IO;
	bad.inw = NULL;
	cr_assert_eq(ata_probe(&d, &bad, ATA_PRIMARY_BASE, ATA_PRIMARY_CTRL, false), ATA_EINVAL);
}

Test(ata, fat16_core_on_the_driver)
{
	struct testimg t;
	struct ata_dev d;
	struct blockdev bd;
	struct fat_vol vol;
	struct fat_file f;
	static uint8_t buf[300000], want[200000];
	char out[8192];
	cr_assert_eq(testimg_make(&t, 16384, 4, NULL, 1), 0);
	t.data = img_load(t.img, &t.sectors);
	sim_reset(t.sectors);
	memcpy(S.disk, t.data, (size_t)t.sectors * 512);
	S.busy_us = 2;
	cr_assert_eq(ata_probe(&d, &IO, ATA_PRIMARY_BASE, ATA_PRIMARY_CTRL, false), ATA_OK);
	bd = ata_blockdev(&d);
	cr_assert_eq(fat_mount(&vol, &bd, 0), 0, "%s", fat_errmsg(&vol));
	cr_assert_eq(fat_open(&vol, &f, "big.bin", FAT_O_READ), 0);
	cr_assert_eq(fat_read(&f, buf, sizeof buf), 200000);
	fill_pattern(want, 200000, 8, 0);
	cr_assert(memcmp(buf, want, 200000) == 0);
	fat_close(&f);
	cr_assert_eq(fat_open(&vol, &f, "Written Through ATA.bin", FAT_O_WRITE | FAT_O_CREAT), 0);
	fill_pattern(buf, 123457, 99, 0);
	cr_assert_eq(fat_write(&f, buf, 123457), 123457);
	cr_assert_eq(fat_close(&f), 0);
	cr_assert_eq(fat_unmount(&vol), 0);
	cr_assert_geq(S.flushes, 1, "sync must flush the drive cache");
	img_save(t.img, S.disk, S.sectors);
	cr_assert_eq(fsck_check(t.img, out, sizeof out), 0, "%s", out);
	size_t len;
	uint8_t *got = mt_read(t.img, "/Written Through ATA.bin", &len);
	cr_assert_eq(len, 123457);
	cr_assert(memcmp(got, buf, len) == 0);
	free(got);
	testimg_free(&t);
}
