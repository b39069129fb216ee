/* The legacy 8259 pair and the 8253/8254 timer (what QEMU's pc machine
 * gives us without ACPI/APIC parsing). */
#include <stdint.h>
#include "microkernel/arch/x86/cpu.h"
#include "microkernel/arch/x86/pic.h"

static uint16_t mask = 0xFFFF;

static void write_mask(void)
{
	outb(0x21, (uint8_t)mask);
	outb(0xA1, (uint8_t)(mask >> 8));
}

void pic_init(void)
{
	outb(0x20, 0x11); outb(0xA0, 0x11);	/* ICW1: init, ICW4 follows */
	outb(0x21, 32);   outb(0xA1, 40);	/* vector offsets */
	outb(0x21, 4);    outb(0xA1, 2);	/* cascade on IRQ 2 */
	outb(0x21, 1);    outb(0xA1, 1);	/* 8086 mode */
	mask = 0xFFFF & ~(1u << 2);		/* cascade line always open */
	write_mask();
}

void pic_mask(int irq) { mask |= (uint16_t)(1u << irq); write_mask(); }
void pic_unmask(int irq) { mask &= (uint16_t)~(1u << irq); write_mask(); }

void pic_eoi(int irq)
{
	if (irq >= 8)
		outb(0xA0, 0x20);
	outb(0x20, 0x20);
}

void pit_init(unsigned hz)
{
	uint32_t div = 1193182u / hz;
	outb(0x43, 0x36);	/* channel 0, lobyte/hibyte, square wave */
	outb(0x40, (uint8_t)div);
	outb(0x40, (uint8_t)(div >> 8));
}
