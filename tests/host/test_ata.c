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
#include "tests/fs/fatimg.h"
#include "tests/fs/mtcheck.h"

enum { IDLE, PIO_IN, PIO_OUT };
struct sim {
	uint8_t *disk;
	uint32_t sectors;
	uint8_t err, count, lba[3], drive, status, ctrl;
	int state;
	uint8_t buf[512];
	unsigned pos;
	uint32_t cur, remaining;
	unsigned busy_left, busy_per_op;
	long bad_lba;
	bool hang, floating, atapi, slave_present;
	unsigned flushes, commands, resets;
	uint64_t port_ops;
};
static struct sim S;

static bool selected_present(struct sim *s)
{
	return !(s->drive & 0x10) || s->slave_present;
}

static uint8_t status_read(struct sim *s)
{
	if (s->floating)
		return 0xFF;
	if (!selected_present(s))
		return 0;
	if (s->hang)
		return 0x80;
	if (s->busy_left) {
		s->busy_left--;
		return 0x80;
	}
	return s->status;
}

static void fail_cmd(struct sim *s, uint8_t err)
{
	s->err = err;
	s->status = 0x41;	/* DRDY | ERR */
	s->state = IDLE;
}

static void load_sector(struct sim *s)
{
	if (s->bad_lba >= 0 && s->cur == (uint32_t)s->bad_lba) {
		fail_cmd(s, 0x40);	/* UNC */
		return;
	}
	memcpy(s->buf, s->disk + (size_t)s->cur * 512, 512);
	s->pos = 0;
	s->state = PIO_IN;
	s->status = 0x48;	/* DRDY | DRQ */
	s->busy_left = s->busy_per_op;
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
	uint32_t lba = s->lba[0] | s->lba[1] << 8 | s->lba[2] << 16 | (uint32_t)(s->drive & 0x0F) << 24;
	uint32_t n = s->count ? s->count : 256;
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
		s->cur = 0;
		s->state = PIO_IN;
		s->status = 0x48;
		s->busy_left = s->busy_per_op;
		return;
	}
	case 0x20:
		if (lba + n > s->sectors)
			return fail_cmd(s, 0x10);	/* IDNF */
		s->cur = lba;
		s->remaining = n;
		load_sector(s);
		return;
	case 0x30:
		if (lba + n > s->sectors)
			return fail_cmd(s, 0x10);
		s->cur = lba;
		s->remaining = n;
		s->pos = 0;
		s->state = PIO_OUT;
		s->status = 0x48;
		s->busy_left = s->busy_per_op;
		return;
	case 0xE7:
		s->flushes++;
		s->status = 0x40;
		s->busy_left = s->busy_per_op;
		return;
	default:
		fail_cmd(s, 0x04);	/* ABRT */
	}
}

static uint8_t sim_inb(void *ctx, uint16_t port)
{
	struct sim *s = ctx;
	s->port_ops++;
	if (s->floating)
		return 0xFF;
	switch (port) {
	case 0x1F1: return s->err;
	case 0x1F2: return s->count;
	case 0x1F3: case 0x1F4: case 0x1F5: return s->lba[port - 0x1F3];
	case 0x1F6: return s->drive;
	case 0x1F7: case 0x3F6: return status_read(s);
	default: return 0xFF;
	}
}

static void sim_outb(void *ctx, uint16_t port, uint8_t v)
{
	struct sim *s = ctx;
	s->port_ops++;
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
			s->busy_left = 3;
		}
		s->ctrl = v;
		break;
	}
}

static uint16_t sim_inw(void *ctx, uint16_t port)
{
	struct sim *s = ctx;
	uint16_t w;
	s->port_ops++;
	if (port != 0x1F0 || s->state != PIO_IN)
		return 0xFFFF;
	w = (uint16_t)(s->buf[s->pos] | s->buf[s->pos + 1] << 8);
	s->pos += 2;
	if (s->pos == 512) {
		if (--s->remaining == 0) {
			s->state = IDLE;
			s->status = 0x40;
		} else {
			s->cur++;
			load_sector(s);
		}
	}
	return w;
}

static void sim_outw(void *ctx, uint16_t port, uint16_t v)
{
	struct sim *s = ctx;
	s->port_ops++;
	if (port != 0x1F0 || s->state != PIO_OUT)
		return;
	s->buf[s->pos] = (uint8_t)v;
	s->buf[s->pos + 1] = (uint8_t)(v >> 8);
	s->pos += 2;
	if (s->pos == 512) {
		if (s->bad_lba >= 0 && s->cur == (uint32_t)s->bad_lba)
			return fail_cmd(s, 0x40);
		memcpy(s->disk + (size_t)s->cur * 512, s->buf, 512);
		s->pos = 0;
		s->busy_left = s->busy_per_op;
		if (--s->remaining == 0) {
			s->state = IDLE;
			s->status = 0x40;
		} else {
			s->cur++;
		}
	}
}

static const struct ata_io IO = {&S, sim_inb, sim_outb, sim_inw, sim_outw, 0};

static void sim_reset(uint32_t sectors)
{
	free(S.disk);
	memset(&S, 0, sizeof S);
	S.sectors = sectors;
	S.disk = calloc(sectors, 512);
	S.status = 0x40;
	S.bad_lba = -1;
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
	S.busy_per_op = 5;
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

Test(ata, stuck_busy_times_out)
{
	struct ata_dev d;
	uint8_t b[512];
	sim_reset(1000);
	cr_assert_eq(ata_probe(&d, &IO, ATA_PRIMARY_BASE, ATA_PRIMARY_CTRL, false), ATA_OK);
	d.timeout = 5000;
	S.hang = true;
	cr_assert_eq(ata_read(&d, 0, 1, b), ATA_ETIMEOUT);
	cr_assert_eq(ata_write(&d, 0, 1, b), ATA_ETIMEOUT);
	cr_assert_lt(S.port_ops, 100000, "waits are bounded");
	S.hang = false;
	cr_assert_eq(ata_read(&d, 0, 1, b), ATA_OK);
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
	S.busy_per_op = 2;
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
