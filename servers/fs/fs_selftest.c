/* The fs server's in-guest self-test (kernel command line "fs.selftest"):
 * before serving, it writes /FSTEST.TXT through the ATA driver and the
 * FAT16 core, syncs, reads it back, and measures raw vs FAT sequential
 * throughput in TSC cycles.  One "TEST PASS|FAIL fs-guest NAME" line per
 * check; tests/fs/qemu/qemu_fs.sh boots it and judges the disk afterwards with
 * fsck.fat and mtype.  The ratios are reported, not asserted: I/O
 * completion in QEMU follows the host's timing. */
#include <stdint.h>
#include <string.h>
#include "lib/fmt.h"
#include "lib/user/sys.h"
#include "servers/fs/fs_selftest.h"

#define BENCH_BUF (USER_HEAP_BASE + 0x00200000u)

static void report(const char *name, int ok, const char *detail)
{
	bf_printf("TEST %s fs-guest %s%s%s\n", ok ? "PASS" : "FAIL", name, detail ? ": " : "", detail ? detail : "");
}

/* In-guest check on the real (emulated) IDE disk, and the benchmark. */
void fs_selftest(struct fs_server *srv, struct ata_dev *ata)
{
	struct fat_vol *v = &srv->vol;
	struct fat_file f;
	static const char text[] = "written by the BareFlow fs server through its ATA driver\n";
	uint8_t *buf = (uint8_t *)BENCH_BUF;
	const uint32_t size = 512u * 1024u, pages = size / PAGE_SIZE;
	char line[160];
	int r;

	if (!srv->mounted) {
		report("mount", 0, srv->why);
		return;
	}
	r = fat_open(v, &f, "/FSTEST.TXT", FAT_O_WRITE | FAT_O_CREAT | FAT_O_TRUNC);
	if (r == 0) {
		for (int i = 0; i < 100 && r >= 0; i++)
			r = fat_write(&f, text, sizeof text - 1);
		r = r < 0 ? r : fat_close(&f);
	}
	if (r >= 0)
		r = fat_sync(v);
	report("write+sync", r >= 0, r < 0 ? fat_errmsg(v) : 0);
	char back[sizeof text];
	r = fat_open(v, &f, "/fstest.txt", FAT_O_READ);
	int ok = r == 0 && fat_size(&f) == 100 * (sizeof text - 1) && fat_read(&f, back, sizeof text - 1) ==
		 (int32_t)(sizeof text - 1) && memcmp(back, text, sizeof text - 1) == 0;
	if (r == 0)
		fat_close(&f);
	report("read back", ok, 0);

	if (bf_map_anon(BENCH_BUF, pages, MAP_READ | MAP_WRITE) < 0) {
		report("bench", 0, "no memory");
		return;
	}
	/* each measurement three times, interleaved; the minimum counts */
	uint64_t t_fw = ~0ull, t_fr = ~0ull, t_rr = ~0ull, t_rw = ~0ull, t0, dt;
	uint64_t s_fw = 0, s_fr = 0, s0;
	uint32_t first = 0;
	ok = 1;
	/* FLUSH CACHE waits on the host's fsync, which polling turns into guest
	 * cycles: keep it out of both write measurements */
	int (*flush)(void *) = v->dev.flush;
	v->dev.flush = 0;
	for (int rep = 0; rep < 3 && ok; rep++) {
		for (uint32_t i = 0; i < size; i++)
			buf[i] = (uint8_t)(i * 31 + 7);
		t0 = bf_rdtsc();
		s0 = ata->sectors_written + ata->sectors_read;
		r = fat_open(v, &f, "/BENCH.BIN", FAT_O_WRITE | FAT_O_CREAT | FAT_O_TRUNC);
		for (uint32_t off = 0; r >= 0 && off < size; off += 64 * 1024)
			r = fat_write(&f, buf + off, 64 * 1024);
		if (r >= 0)
			r = fat_close(&f);
		if (r >= 0)
			r = fat_sync(v);
		dt = bf_rdtsc() - t0;
		t_fw = dt < t_fw ? dt : t_fw;
		s_fw = ata->sectors_written + ata->sectors_read - s0;
		memset(buf, 0, size);
		t0 = bf_rdtsc();
		s0 = ata->sectors_written + ata->sectors_read;
		r = r < 0 ? r : fat_open(v, &f, "/BENCH.BIN", FAT_O_READ);
		first = r >= 0 ? f.first : 0;
		for (uint32_t off = 0; r >= 0 && off < size; off += 64 * 1024)
			r = fat_read(&f, buf + off, 64 * 1024);
		if (r >= 0)
			fat_close(&f);
		dt = bf_rdtsc() - t0;
		t_fr = dt < t_fr ? dt : t_fr;
		s_fr = ata->sectors_written + ata->sectors_read - s0;
		ok = r >= 0;
		for (uint32_t i = 0; ok && i < size; i++)
			ok = buf[i] == (uint8_t)(i * 31 + 7);
		/* the same sectors, raw, where the file lives */
		uint32_t lba = v->data_lba + (first - 2) * v->spc;
		t0 = bf_rdtsc();
		for (uint32_t off = 0; off < size; off += 64 * 1024)
			ata_read(ata, lba + off / 512, 128, buf + off);
		dt = bf_rdtsc() - t0;
		t_rr = dt < t_rr ? dt : t_rr;
		t0 = bf_rdtsc();
		for (uint32_t off = 0; off < size; off += 64 * 1024)
			ata_write(ata, lba + off / 512, 128, buf + off);
		dt = bf_rdtsc() - t0;
		t_rw = dt < t_rw ? dt : t_rw;
	}
	v->dev.flush = flush;
	report("bench file intact", ok, ok ? 0 : fat_errmsg(v));
	bf_snprintf(line, sizeof line, "%u KiB: raw read %u kcycles, FAT read %u kcycles (%u%%); raw write %u, FAT write %u (%u%%)",
		    size / 1024, (unsigned)(t_rr / 1000), (unsigned)(t_fr / 1000),
		    (unsigned)(t_fr * 100 / (t_rr ? t_rr : 1)), (unsigned)(t_rw / 1000), (unsigned)(t_fw / 1000),
		    (unsigned)(t_fw * 100 / (t_rw ? t_rw : 1)));
	bf_printf("fs: bench %s\n", line);
	bf_printf("fs: bench sectors moved for %u data sectors: FAT write %u, FAT read %u\n",
		  size / 512, (unsigned)s_fw, (unsigned)s_fr);
	/* I/O completion in QEMU follows the host's timing, so these ratios are
	 * reported, not asserted (the target is <= 110%) */
	fat_unlink(v, "/BENCH.BIN");
	fat_sync(v);
	bf_unmap(BENCH_BUF, pages);
	bf_printf("fs: selftest done\n");
}
