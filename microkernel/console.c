/* The kernel console on COM1: kprintf for the kernel, and buffered input
 * for the one task (init's shell) reading it.
 *
 * No input byte is ever dropped: when the buffer is full the kernel stops
 * taking bytes from the UART (its receive interrupt off) and leaves them
 * there; QEMU's UART, like a real one with flow control, then holds back
 * the rest of its input (a pipe simply waits).  Reading makes room and
 * takes in what waited.  Ctrl-C is an input byte like any other, in its
 * place in the stream: init reads the console while a module runs, and
 * stops the module when it meets one. */
#include <stdarg.h>
#include "lib/fmt.h"
#include "microkernel/kernel.h"
#include "microkernel/task.h"
#include "microkernel/arch/x86/serial.h"
#include "microkernel/arch/x86/cpu.h"

#define INBUF 512
static char inbuf[INBUF];
static unsigned in_head, in_count;
static struct task *reader;
static int rx_paused;		/* buffer full: bytes wait in the UART */

void kprintf(const char *fmt, ...)
{
	char buf[256];
	va_list ap;
	va_start(ap, fmt);
	int n = bf_vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	if (n > (int)sizeof buf - 1)
		n = sizeof buf - 1;
	for (int i = 0; i < n; i++)
		serial_putc(buf[i]);
}

void qemu_exit(uint32_t code)
{
	outl(0xF4, code);	/* isa-debug-exit: QEMU exits with (code << 1) | 1 */
}

void panic(const char *fmt, ...)
{
	char buf[256];
	va_list ap;
	va_start(ap, fmt);
	bf_vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	kprintf("\nKERNEL PANIC: %s\n", buf);
	qemu_exit(0x7F);
	halt_forever();
}

static int deliver_input(struct task *t)
{
	uint32_t n = in_count < t->console_len ? in_count : t->console_len;
	uint32_t first = n < INBUF - in_head ? n : INBUF - in_head;	/* up to the wrap */
	if (copy_to_user(t, t->console_buf, inbuf + in_head, first) ||
	    (n > first && copy_to_user(t, t->console_buf + first, inbuf, n - first)))
		return E_FAULT;	/* nothing taken: a bad buffer loses no input either */
	in_head = (in_head + n) % INBUF;
	in_count -= n;
	if (rx_paused && n) {
		rx_paused = 0;
		serial_rx_irq(1);
		console_input_irq();	/* what waited in the UART meanwhile */
	}
	return (int)n;
}

void console_input_irq(void)
{
	int c;
	while (in_count < INBUF && (c = serial_getc_nowait()) >= 0) {
		inbuf[(in_head + in_count) % INBUF] = (char)c;
		in_count++;
	}
	if (in_count == INBUF && !rx_paused) {
		rx_paused = 1;		/* leave the rest in the UART */
		serial_rx_irq(0);
	}
	if (in_count && death_notify >= 0)
		ipc_notify_obj(&notifications[death_notify], INIT_NOTIFY_INPUT);
	if (reader && in_count) {
		struct task *t = reader;
		reader = 0;
		/* copy_to_user needs t's page tables: do it when t runs */
		sched_ready(t);
	}
}

/* Blocks until at least one byte is there, unless nonblock. */
int console_read(struct task *t, uint32_t buf, uint32_t len, int nonblock)
{
	if (len == 0)
		return 0;
	if (user_range(t, buf, len, 1))
		return E_FAULT;
	t->console_buf = buf;
	t->console_len = len > INBUF ? INBUF : len;
	while (!in_count) {
		console_input_irq();	/* poll too: input may predate the IRQ */
		if (in_count)
			break;
		if (nonblock)
			return 0;
		if (reader && reader != t)
			return E_AGAIN;
		reader = t;
		t->state = T_CONSOLE;
		schedule();
	}
	return deliver_input(t);
}

void console_task_gone(struct task *t)
{
	if (reader == t)
		reader = 0;
}
