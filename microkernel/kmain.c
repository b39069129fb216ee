/* Boot: check the CPU, take over memory from the multiboot map, find the
 * other processors, build the kernel's page tables, turn on PAE+NX paging,
 * set up traps and the timer, start the other processors, start init from
 * the boot module called "init", and schedule. */
#include <string.h>
#include "microkernel/kernel.h"
#include "microkernel/task.h"
#include "microkernel/physmem.h"
#include "microkernel/secure.h"
#include "microkernel/percpu.h"
#include "microkernel/arch/x86/cpu.h"
#include "microkernel/arch/x86/gdt.h"
#include "microkernel/arch/x86/pic.h"
#include "microkernel/arch/x86/fpu.h"
#include "microkernel/arch/x86/serial.h"

#define MB_BOOT_MAGIC 0x2BADB002
#define MAX_BOOTMODS 16

volatile uint32_t ticks;
extern char _text_start[], _text_end[], _rodata_start[], _rodata_end[];
extern char _data_start[], _kernel_end[];

static struct bootmod {
	uint32_t start, end;
	char name[32];
} bootmods[MAX_BOOTMODS];
static int nbootmods;
static char cmdline[256];

const char *boot_cmdline(void) { return cmdline; }

int bootmod_find(const char *name, uint32_t len, const uint8_t **data, uint32_t *size)
{
	for (int i = 0; i < nbootmods; i++)
		if (strlen(bootmods[i].name) == len && !memcmp(bootmods[i].name, name, len)) {
			*data = (const uint8_t *)bootmods[i].start;
			*size = bootmods[i].end - bootmods[i].start;
			return 0;
		}
	return E_NOENT;
}

static void copy_str(char *dst, uint32_t max, const char *src)
{
	uint32_t n = 0;
	while (src && src[n] && n + 1 < max) {
		dst[n] = src[n];
		n++;
	}
	dst[n] = 0;
}

/* A module's name: the last word of its command line ("/boot/fs.elf fs"),
 * or the file's base name without ".elf". */
static void module_name(char *out, uint32_t max, const char *s)
{
	const char *w = s, *p;
	for (p = s; *p; p++)
		if (*p == ' ' && p[1])
			w = p + 1;
	if (w == s)
		for (p = s; *p; p++)
			if (*p == '/')
				w = p + 1;
	copy_str(out, max, w);
	size_t n = strlen(out);
	if (n > 4 && !strcmp(out + n - 4, ".elf"))
		out[n - 4] = 0;
}

static void check_cpu(int *smep, int *smap)
{
	uint32_t a, b, c, d, maxext;
	cpuid(0, &a, &b, &c, &d);
	uint32_t maxstd = a;
	cpuid(1, &a, &b, &c, &d);
	int pae = (d >> 6) & 1;
	cpuid(0x80000000u, &maxext, &b, &c, &d);
	int nx = 0;
	if (maxext >= 0x80000001u) {
		cpuid(0x80000001u, &a, &b, &c, &d);
		nx = (d >> 20) & 1;
	}
	*smep = *smap = 0;
	if (maxstd >= 7) {
		cpuid(7, &a, &b, &c, &d);
		*smep = (b >> 7) & 1;
		*smap = (b >> 20) & 1;
	}
	if (!pae || !nx) {
		kprintf("\nBareFlow cannot run on this CPU: it lacks %s.\n"
			"BareFlow enforces W^X with PAE paging and the NX bit; "
			"run QEMU with -cpu max.\n", !pae ? "PAE" : "the NX (no-execute) bit");
		qemu_exit(3);
		halt_forever();
	}
}

static void read_multiboot(uint32_t magic, const uint8_t *mbi,
			   struct mem_range *ram, int *nram, uint32_t *ram_top)
{
	if (magic != MB_BOOT_MAGIC)
		panic("not booted by a multiboot loader (magic %08x)", magic);
	uint32_t flags = *(const uint32_t *)mbi;
	if (flags & (1u << 2))
		copy_str(cmdline, sizeof cmdline, (const char *)*(const uint32_t *)(mbi + 16));
	if (flags & (1u << 3)) {
		uint32_t count = *(const uint32_t *)(mbi + 20);
		const uint32_t *m = (const uint32_t *)*(const uint32_t *)(mbi + 24);
		for (uint32_t i = 0; i < count && nbootmods < MAX_BOOTMODS; i++, m += 4) {
			struct bootmod *b = &bootmods[nbootmods++];
			b->start = m[0];
			b->end = m[1];
			module_name(b->name, sizeof b->name, (const char *)m[2]);
		}
	}
	*nram = 0;
	*ram_top = 0;
	if (!(flags & (1u << 6)))
		panic("the boot loader gave no memory map");
	uint32_t len = *(const uint32_t *)(mbi + 44);
	const uint8_t *p = (const uint8_t *)*(const uint32_t *)(mbi + 48);
	for (const uint8_t *e = p; e < p + len && *nram < 16; e += *(const uint32_t *)e + 4) {
		uint64_t base = *(const uint64_t *)(e + 4), l = *(const uint64_t *)(e + 12);
		if (*(const uint32_t *)(e + 20) != 1)
			continue;
		ram[(*nram)++] = (struct mem_range){ base, l };
		if (base < KERNEL_LIMIT) {
			uint64_t end = base + l > KERNEL_LIMIT ? KERNEL_LIMIT : base + l;
			if (end > *ram_top)
				*ram_top = (uint32_t)end;
		}
	}
}

static void start_init(void)
{
	const uint8_t *data;
	uint32_t size;
	if (bootmod_find("init", 4, &data, &size))
		panic("no boot module named \"init\"");
	struct task *t = task_alloc("init", 4, 0);
	if (!t || task_load_elf(t, data, size, 0))
		panic("cannot start init");
	/* init's fixed capabilities (abi.h INIT_SLOT_*) */
	struct cap deaths;
	if ((death_notify = ipc_obj_create(t, CAP_NOTIFY, &deaths)) < 0)
		panic("no notification for init");
	cap_set(t, INIT_SLOT_DEATHS, deaths);
	t->caps[INIT_SLOT_PLATFORM] = (struct cap){ CAP_PLATFORM, RIGHT_ALL, 0, 0, 0 };
	t->caps[INIT_SLOT_IRQ_ATA] = (struct cap){ CAP_IRQ, RIGHT_ALL, 14, 0, 0 };
	t->caps[INIT_SLOT_IO_ATA] = (struct cap){ CAP_IOPORT, RIGHT_ALL, 0x1F0, 0, 8 };
	t->caps[INIT_SLOT_IO_ATA2] = (struct cap){ CAP_IOPORT, RIGHT_ALL, 0x3F6, 0, 1 };
	sched_ready(t);
}

void kmain(uint32_t magic, const uint8_t *mbi)
{
	serial_init();
	kprintf("BareFlow microkernel\n");
	int smep, smap;
	check_cpu(&smep, &smap);

	struct mem_range ram[16], reserved[MAX_BOOTMODS + 2];
	int nram, nres = 0;
	uint32_t ram_top;
	read_multiboot(magic, mbi, ram, &nram, &ram_top);
	smp_early();	/* ACPI, with paging still off; CPU 0's state */
	reserved[nres++] = (struct mem_range){ 0, 0x100000 };	/* BIOS, VGA */
	reserved[nres++] = (struct mem_range){ (uint32_t)_text_start,
		(uint32_t)_kernel_end - (uint32_t)_text_start };
	for (int i = 0; i < nbootmods; i++)
		reserved[nres++] = (struct mem_range){ bootmods[i].start,
			bootmods[i].end - bootmods[i].start };
	frame_init(ram, nram, reserved, nres);

	struct kseg segs[] = {
		{ (uint32_t)_text_start, (uint32_t)_text_end, VM_EXEC },
		{ (uint32_t)_rodata_start, (uint32_t)_rodata_end, 0 },
		{ (uint32_t)_data_start, (uint32_t)_kernel_end, VM_WRITE },
	};
	if (vm_kernel_init(ram_top, segs, 3))
		panic("cannot build the kernel page tables");
	/* A PDPT with only the kernel directory: CR3 while no task's is used. */
	paddr_t kpdpt = frame_alloc();
	if (!kpdpt)
		panic("out of memory at boot");
	memset(phys_to_virt(kpdpt), 0, FRAME_SIZE);
	*(uint64_t *)phys_to_virt(kpdpt) = vm_kernel_pd() | 1;
	paging_enable(kpdpt, smep, smap);
	gdt_init(0);
	idt_init();
	kernel_lock();	/* held from here to the first task (task_first_run) */
	fpu_init();
	pic_init();
	irq_init();
	pit_init(HZ);
	pic_unmask(0);
	pic_unmask(4);
	kprintf("kernel: PAE+NX paging on (SMEP %s, SMAP %s), %u MiB RAM, %u frames free, %d boot modules\n",
		smep ? "on" : "off", smap ? "on" : "off", ram_top >> 20, frames_free(), nbootmods);
	rtboot_init();
	smp_init();
	start_init();
	sched_start();
}
