/* The local APIC (xAPIC, memory-mapped): each CPU's timer and the
 * inter-processor interrupts.  Used only when ACPI shows more than one
 * CPU (smp.c); with one CPU the kernel runs on the 8259 PIC and the PIT
 * exactly as before.
 *
 * The boot CPU keeps the PIT (100 Hz on IRQ 0: the system's `ticks`, time
 * limits, its own scheduler tick) and its LINT0 as the BIOS set it
 * (ExtINT: the 8259's interrupts arrive there); its APIC timer only
 * serves busy waits at boot.  Every AP masks LINT0/LINT1 and ticks its
 * scheduler from its own APIC timer, periodic at HZ, calibrated against
 * the PIT's channel 2. */
#include "microkernel/kernel.h"
#include "microkernel/task.h"
#include "microkernel/vm.h"
#include "microkernel/arch/x86/cpu.h"
#include "microkernel/arch/x86/apic.h"

#define ID       0x020
#define TPR      0x080
#define EOI      0x0B0
#define SVR      0x0F0
#define ICR_LO   0x300
#define ICR_HI   0x310
#define LVT_TIMER 0x320
#define LVT_LINT0 0x350
#define LVT_LINT1 0x360
#define LVT_ERR  0x370
#define TIMER_INIT 0x380
#define TIMER_CUR  0x390
#define TIMER_DIV  0x3E0

#define LVT_MASKED   (1u << 16)
#define LVT_PERIODIC (1u << 17)
#define ICR_PENDING  (1u << 12)

static uint32_t ticks_per_ms;	/* of the timer, divided by 16 */

static inline uint32_t rd(uint32_t reg) { return *(volatile uint32_t *)(LAPIC_VA + reg); }
static inline void wr(uint32_t reg, uint32_t v) { *(volatile uint32_t *)(LAPIC_VA + reg) = v; }

void lapic_map(uint32_t pa)
{
	if (vm_kernel_map_mmio(LAPIC_VA, pa))
		panic("cannot map the local APIC");
}

uint32_t lapic_id(void) { return rd(ID) >> 24; }

void lapic_eoi(void) { wr(EOI, 0); }

/* This CPU's APIC: software-enabled with the spurious vector, all
 * priorities accepted; on an AP, LINT0/1 masked and the timer started. */
void lapic_init(int timer)
{
	wr(SVR, 0x100 | VEC_SPURIOUS);
	wr(TPR, 0);
	wr(LVT_ERR, LVT_MASKED);
	if (!timer) {
		wr(LVT_TIMER, LVT_MASKED);
		return;
	}
	wr(LVT_LINT0, LVT_MASKED);
	wr(LVT_LINT1, LVT_MASKED);
	wr(TIMER_DIV, 0x3);		/* divide by 16 */
	wr(LVT_TIMER, LVT_PERIODIC | VEC_TIMER);
	wr(TIMER_INIT, ticks_per_ms * (1000 / HZ));
	lapic_eoi();
}

/* The timer against the PIT's channel 2, gated through port 0x61, in
 * one-shot mode for 10 ms: its OUT2 (bit 5 of port 0x61) rises at the
 * end.  Boot CPU, before any AP starts. */
void lapic_calibrate(void)
{
	const uint32_t pit_10ms = 11932;	/* 1193182 Hz / 100 */
	wr(TIMER_DIV, 0x3);
	wr(LVT_TIMER, LVT_MASKED);
	uint8_t v = inb(0x61);
	outb(0x61, (uint8_t)((v & ~0x02) & ~0x01));	/* speaker off, gate low */
	outb(0x43, 0xB0);			/* channel 2, lo/hi, mode 0 */
	outb(0x42, (uint8_t)pit_10ms);
	outb(0x42, (uint8_t)(pit_10ms >> 8));
	v = inb(0x61) & (uint8_t)~0x02;
	outb(0x61, v | 1);			/* gate high: count */
	wr(TIMER_INIT, 0xFFFFFFFFu);
	for (uint32_t spins = 0; !(inb(0x61) & 0x20) && spins < 100000000u; spins++)
		;
	uint32_t elapsed = 0xFFFFFFFFu - rd(TIMER_CUR);
	wr(TIMER_INIT, 0);
	outb(0x61, v & (uint8_t)~1);
	ticks_per_ms = elapsed / 10;
	if (!ticks_per_ms)
		ticks_per_ms = 1;
}

void lapic_delay_us(uint32_t us)
{
	uint32_t n = (uint32_t)((uint64_t)ticks_per_ms * us / 1000) + 1;
	wr(LVT_TIMER, LVT_MASKED);
	wr(TIMER_INIT, n);
	while (rd(TIMER_CUR))
		__asm__ volatile("pause");
}

static void icr(uint32_t apic_id, uint32_t lo)
{
	wr(ICR_HI, apic_id << 24);
	wr(ICR_LO, lo);
	while (rd(ICR_LO) & ICR_PENDING)
		__asm__ volatile("pause");
}

void lapic_ipi(uint32_t apic_id, uint32_t vector) { icr(apic_id, vector); }

/* destination shorthand 11: all excluding self */
void lapic_ipi_others(uint32_t vector) { icr(0, (3u << 18) | vector); }

void lapic_init_ipi(uint32_t apic_id) { icr(apic_id, 0x4500); }	/* INIT, assert */

void lapic_startup_ipi(uint32_t apic_id, uint32_t page) { icr(apic_id, 0x4600 | (page >> 12)); }
