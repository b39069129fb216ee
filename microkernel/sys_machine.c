/* Syscalls on the machine: the console, IRQs and I/O ports for user-level
 * drivers, power off, the boot command line, the clock, the secure-JIT
 * switch (secure.c) and what each CPU does (sched.c).  Decode only;
 * the rights (platform holder for console input and power, an IRQ
 * capability, RIGHT_CONTROL on the task given ports) were checked by
 * syscall.c; the switch needs the platform capability. */
#include <string.h>
#include "microkernel/syscall.h"
#include "microkernel/secure.h"
#include "microkernel/arch/x86/cpu.h"

int sys_null(struct sys *s) { (void)s; return 0; }

int sys_console_write(struct sys *s)
{
	uint32_t buf = A1, len = A2;
	char tmp[256];
	if (len > 4096)
		return E_INVAL;
	for (uint32_t off = 0; off < len; off += sizeof tmp) {
		uint32_t n = len - off < sizeof tmp ? len - off : sizeof tmp;
		if (copy_from_user(s->t, tmp, buf + off, n))
			return E_FAULT;
		for (uint32_t i = 0; i < n; i++)
			kprintf("%c", tmp[i]);
	}
	return (int)len;
}

/* (buf, len, nonblock) */
int sys_console_read(struct sys *s) { return console_read(s->t, A1, A2, A3 & 1); }

/* (irq, notification, bit): the IRQ now signals that bit. */
int sys_irq_bind(struct sys *s)
{
	int index;
	if (!ipc_notify_of(s->t, A2, RIGHT_SEND, &index))
		return E_BADCAP;
	if (A3 == 0 || (A3 & 0x80000000u))
		return E_INVAL;
	return irq_bind(s->c->obj, index, A3, s->t);
}

int sys_irq_ack(struct sys *s)
{
	irq_ack(s->c->obj);
	return 0;
}

/* (task, io cap): open the ports of the io cap in the task's bitmap. */
int sys_ioport_grant(struct sys *s)
{
	struct cap *io = cap_get(s->t, A2, CAP_IOPORT, 0);
	if (!io)
		return E_BADCAP;
	task_open_ports(s->x, io->obj, io->extra);
	return 0;
}

int sys_poweroff(struct sys *s)
{
	kprintf("kernel: power off (status %u)\n", A1);
	qemu_exit(A1);
	outw(0x604, 0x2000);	/* ACPI S5 on QEMU's pc machine */
	halt_forever();
}

int sys_bootinfo(struct sys *s)
{
	const char *c = boot_cmdline();
	uint32_t n = (uint32_t)strlen(c) + 1;
	if (n > A2)
		return E_INVAL;
	return copy_to_user(s->t, A1, c, n) ? E_FAULT : (int)n - 1;
}

int sys_time(struct sys *s) { (void)s; return (int)(ticks & 0x7FFFFFFF); }

/* (cpu, info*, flags) -> the number of CPUs; CPU_INFO_RESET (the platform
 * holder only) then zeroes every CPU's lock figures. */
int sys_cpu_info(struct sys *s)
{
	struct bf_cpu_info info;
	if (A3 & ~(uint32_t)CPU_INFO_RESET)
		return E_INVAL;
	if ((A3 & CPU_INFO_RESET) && !task_has_platform(s->t))
		return E_PERM;
	int n = cpu_info(A1, &info);
	if (n < 0)
		return n;
	if (copy_to_user(s->t, A2, &info, sizeof info))
		return E_FAULT;
	if (A3 & CPU_INFO_RESET)
		cpu_lock_reset();
	return n;
}

/* (op, flags): SECURE_GET -> the switch; SECURE_SET -> set it for module
 * tasks created from now on (a task keeps the flags it was made with). */
int sys_secure(struct sys *s)
{
	if (A1 == SECURE_SET) {
		if (A2 & ~(uint32_t)SECURE_SWITCH)
			return E_INVAL;
		secure_switch = A2;
	} else if (A1 != SECURE_GET) {
		return E_INVAL;
	}
	return (int)secure_switch;
}
