/* COM1 (16550 UART): the kernel console.  Output is polled; input arrives
 * on IRQ 4 and is queued for the console-read syscall (console.c). */
#include "microkernel/arch/x86/cpu.h"
#include "microkernel/arch/x86/serial.h"

#define COM1 0x3F8

void serial_init(void)
{
	outb(COM1 + 1, 0x00);	/* no interrupts while we configure */
	outb(COM1 + 3, 0x80);	/* DLAB: divisor follows */
	outb(COM1 + 0, 0x01);	/* 115200 baud */
	outb(COM1 + 1, 0x00);
	outb(COM1 + 3, 0x03);	/* 8N1 */
	/* FIFOs stay off: turning them on flushes input that is already
	 * waiting (piped input arrives before we boot), and QEMU holds
	 * further bytes back until we read each one. */
	outb(COM1 + 2, 0x00);
	outb(COM1 + 4, 0x0B);	/* DTR, RTS, OUT2 (routes the IRQ) */
	outb(COM1 + 1, 0x01);	/* interrupt on received data */
}

void serial_putc(char c)
{
	if (c == '\n')
		serial_putc('\r');
	for (int i = 0; i < 100000 && !(inb(COM1 + 5) & 0x20); i++)
		;
	outb(COM1, (uint8_t)c);
}

int serial_getc_nowait(void)
{
	if (inb(COM1 + 5) & 0x01)
		return inb(COM1);
	return -1;
}

void serial_rx_irq(int on)
{
	outb(COM1 + 1, on ? 0x01 : 0x00);
}
