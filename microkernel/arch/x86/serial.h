/* The COM1 UART: the kernel console's output and input bytes. */
#ifndef ARCH_X86_SERIAL_H
#define ARCH_X86_SERIAL_H
void serial_init(void);
void serial_putc(char c);
int  serial_getc_nowait(void);	/* -1 when no byte is waiting */
void serial_rx_irq(int on);	/* the received-data interrupt on / off */
#endif
