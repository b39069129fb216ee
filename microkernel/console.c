/* The kernel console on COM1: kprintf for the kernel, and a line of
 * buffered input for the one task (init's shell) reading it. */
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
	uint32_t n = 0;
	char tmp[INBUF];
	while (in_count && n < t->console_len) {
		tmp[n++] = inbuf[in_head];
		in_head = (in_head + 1) % INBUF;
		in_count--;
	}
	return copy_to_user(t, t->console_buf, tmp, n) ? E_FAULT : (int)n;
}

void console_input_irq(void)
{
	int c;
	while ((c = serial_getc_nowait()) >= 0) {
		if (in_count < INBUF) {
			inbuf[(in_head + in_count) % INBUF] = (char)c;
			in_count++;
		}
	}
	if (in_count && death_notify >= 0)
		ipc_notify_obj(&notifications[death_notify], 2);	/* init: input */
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
