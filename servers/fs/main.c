/* The fs server: a ring-3 task that owns the IDE controller (init grants it
 * ports 0x1F0-0x1F7 and 0x3F6), drives the disk with the ATA PIO driver,
 * mounts the FAT16 volume on it and answers the protocol of
 * docs/fs-protocol.md on its endpoint (slot 0): set-up here, requests in
 * fs_serve.c, the loop in lib/user/serve.c.  IRQ 14 (its capability in
 * slot 1) is bound to a notification of its own: the driver sleeps on it
 * until the disk interrupts (or a slice passes) instead of polling.  With
 * "fs.selftest" on the kernel command line it first runs fs_selftest.c. */
#include <stdint.h>
#include <string.h>
#include "lib/fmt.h"
#include "lib/user/serve.h"
#include "lib/user/sys.h"
#include "servers/fs/ata.h"
#include "servers/fs/fs_selftest.h"

static uint8_t p_inb(void *c, uint16_t port)
{
	uint8_t v;
	(void)c;
	__asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}
static void p_outb(void *c, uint16_t port, uint8_t v)
{
	(void)c;
	__asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}
static uint16_t p_inw(void *c, uint16_t port)
{
	uint16_t v;
	(void)c;
	__asm__ volatile("inw %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}
static void p_outw(void *c, uint16_t port, uint16_t v)
{
	(void)c;
	__asm__ volatile("outw %0, %1" : : "a"(v), "Nd"(port));
}
/* Time passes in the kernel and other tasks, never on the ports. */
static void p_pause(void *c, uint32_t ms)
{
	(void)c;
	int until = bf_time() + (int)(ms + 9) / 10 + 1;
	while (bf_time() < until)
		bf_yield();
}
/* The kernel's tick count (HZ = 100) as milliseconds. */
static uint32_t p_now_ms(void *c)
{
	(void)c;
	return (uint32_t)bf_time() * 10u;
}

#define SLOT_IRQ 1
static int irq_notify = -1;

/* Sleep until IRQ 14 or ms pass; an interrupt is acknowledged at once
 * (the kernel masked it): the driver reads the status register next, which
 * ends the drive's request, so the next one is a fresh edge. */
static void p_wait_irq(void *c, uint32_t ms)
{
	(void)c;
	if (bf_wait_timeout((uint32_t)irq_notify, ms ? ms : 1) > 0)
		bf_irq_ack(SLOT_IRQ);
}

static struct ata_io port_io = {0, p_inb, p_outb, p_inw, p_outw, p_now_ms, 0, p_pause};

/* Interrupts when the IRQ can be bound, else polling (still bounded in
 * time). */
static void setup_irq(void)
{
	irq_notify = bf_notify_create();
	if (irq_notify >= 0 && bf_irq_bind(SLOT_IRQ, (uint32_t)irq_notify, 1) == 0)
		port_io.wait_irq = p_wait_irq;
	else
		bf_printf("fs: IRQ 14 not available: the disk driver polls\n");
}

/* Pages handed out with FS_READ_GRANT replies: mapped at one scratch
 * address; a granted reply moves them away, so the address is free again. */
#define GRANT_SCRATCH (USER_HEAP_BASE + 0x00100000u)

static void *page_alloc(void *ctx, uint32_t n)
{
	(void)ctx;
	int r = bf_map_anon(GRANT_SCRATCH, n, MAP_READ | MAP_WRITE);
	if (r == E_EXIST) {	/* an earlier grant was not delivered */
		bf_unmap(GRANT_SCRATCH, FS_GRANT_MAX_PAGES);
		r = bf_map_anon(GRANT_SCRATCH, n, MAP_READ | MAP_WRITE);
	}
	return r < 0 ? 0 : (void *)GRANT_SCRATCH;
}

static void page_release(void *ctx, void *va, uint32_t n)
{
	(void)ctx;
	bf_unmap((uint32_t)va, n);
}

static struct fs_server srv;
static struct ata_dev ata;

static int strstr_simple(const char *hay, const char *needle)
{
	size_t n = strlen(needle);
	for (; *hay; hay++)
		if (!strncmp(hay, needle, n))
			return 1;
	return 0;
}

/* A request, and the first I/O error said once on the console: from it on
 * the volume is read-only (fat_mount.c), and the user must know why. */
static void dispatch(void *ctx, struct bf_msg *m)
{
	static int told;
	struct fs_server *s = ctx;
	fs_server_handle(s, m);
	if (s->mounted && s->vol.io_error && !told) {
		told = 1;
		bf_printf("fs: disk I/O error (%s, after %u retries): the volume is read-only "
			  "from now on; nothing more is written to it\n", s->vol.io_msg, ata.retries);
	}
}

int main(void)
{
	static const struct fs_env env = {0, 0, page_alloc, page_release};
	char cmd[256];
	struct blockdev bd;
	struct fat_statfs sf;
	int r;

	fs_server_init(&srv, &env);
	setup_irq();
	r = ata_probe(&ata, &port_io, ATA_PRIMARY_BASE, ATA_PRIMARY_CTRL, false);
	if (r < 0) {
		char why[96];
		bf_snprintf(why, sizeof why, "ATA primary master: %s", ata_strerror(r));
		fs_server_mount(&srv, 0, why);
		bf_printf("fs: no disk (%s)\n", why);
	} else {
		bd = ata_blockdev(&ata);
		if (fs_server_mount(&srv, &bd, 0) < 0) {
			bf_printf("fs: disk '%s' (%u sectors): %s\n", ata.model, ata.sectors, srv.why);
		} else if ((r = fat_statfs(&srv.vol, &sf)) < 0) {
			bf_printf("fs: disk '%s': %s\n", ata.model, fat_errmsg(&srv.vol));
		} else {
			bf_printf("fs: FAT16 volume '%s' on '%s': %u clusters of %u bytes, %u free%s\n",
				  sf.label, ata.model, sf.total_clusters, sf.cluster_bytes, sf.free_clusters,
				  srv.vol.part_lba ? " (MBR partition)" : "");
		}
	}
	if (bf_bootinfo(cmd, sizeof cmd) >= 0 && strstr_simple(cmd, "fs.selftest"))
		fs_selftest(&srv, &ata);
	serve_loop(0, dispatch, 0, &srv);
}
