/* One GDT per CPU: flat kernel and user segments, the CPU's own TSS, and
 * the per-CPU segment (SEG_PERCPU, base = its struct cpu, so %gs reaches
 * it: percpu.h).  The TSS carries the kernel stack for traps from ring 3
 * and an I/O permission bitmap for ports 0..0x3FF that is reloaded with
 * each task's own map when it runs: that is how the fs server, and nobody
 * else, may touch the ATA ports.  The per-CPU segment has DPL 0: ring 3
 * cannot load it. */
#include <stdint.h>
#include <string.h>
#include "microkernel/kernel.h"
#include "microkernel/task.h"
#include "microkernel/percpu.h"
#include "microkernel/arch/x86/gdt.h"

struct tss {
	uint32_t link, esp0, ss0, esp1, ss1, esp2, ss2, cr3, eip, eflags;
	uint32_t eax, ecx, edx, ebx, esp, ebp, esi, edi;
	uint32_t es, cs, ss, ds, fs, gs, ldt;
	uint16_t trap, iomap_base;
	uint8_t iomap[IOMAP_BYTES + 1];	/* + the terminating 0xFF */
} __attribute__((packed));

static uint64_t gdt[MAX_CPUS][7];
static struct tss tss[MAX_CPUS] __attribute__((aligned(16)));

static uint64_t seg(uint32_t base, uint32_t limit, uint8_t access, uint8_t flags)
{
	return (uint64_t)(limit & 0xFFFF) | ((uint64_t)(base & 0xFFFFFF) << 16) |
	       ((uint64_t)access << 40) | ((uint64_t)((limit >> 16) & 0xF) << 48) |
	       ((uint64_t)(flags & 0xF) << 52) | ((uint64_t)(base >> 24) << 56);
}

/* CPU `id`'s GDT and TSS, loaded on the CPU that runs this. */
void gdt_init(int id)
{
	uint64_t *g = gdt[id];
	struct tss *ts = &tss[id];
	g[0] = 0;
	g[1] = seg(0, 0xFFFFF, 0x9A, 0xC);	/* kernel code */
	g[2] = seg(0, 0xFFFFF, 0x92, 0xC);	/* kernel data */
	g[3] = seg(0, 0xFFFFF, 0xFA, 0xC);	/* user code, DPL 3 */
	g[4] = seg(0, 0xFFFFF, 0xF2, 0xC);	/* user data, DPL 3 */
	memset(ts, 0, sizeof *ts);
	ts->ss0 = SEG_KDATA;
	cpus[id].tss_esp0 = (uint32_t *)((char *)ts + offsetof(struct tss, esp0));	/* aligned: tss[] is */
	ts->iomap_base = (uint16_t)offsetof(struct tss, iomap);
	memset(ts->iomap, 0xFF, sizeof ts->iomap);
	g[5] = seg((uint32_t)ts, sizeof *ts - 1, 0x89, 0x0);
	g[6] = seg((uint32_t)&cpus[id], sizeof cpus[id] - 1, 0x92, 0x4);	/* per-CPU, bytes */

	struct { uint16_t limit; uint32_t base; } __attribute__((packed)) gdtr =
		{ sizeof gdt[0] - 1, (uint32_t)g };
	__asm__ volatile("lgdt %0\n"
			 "ljmp $0x08, $1f\n"
			 "1: mov $0x10, %%ax\n"
			 "mov %%ax, %%ds\n mov %%ax, %%es\n mov %%ax, %%fs\n"
			 "mov %%ax, %%ss\n"
			 "mov $0x30, %%ax\n mov %%ax, %%gs\n"
			 "mov $0x28, %%ax\n ltr %%ax" :: "m"(gdtr) : "eax", "memory");
}

void tss_set_kernel_stack(uint32_t esp0) { tss[mycpu()->id].esp0 = esp0; }

void tss_set_iomap(const uint8_t *map)
{
	memcpy(tss[mycpu()->id].iomap, map, IOMAP_BYTES);
}
