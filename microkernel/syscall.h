/* Inside the syscall layer: what syscall_dispatch hands a handler, and the
 * handlers, one file per kind of object they act on.
 *
 * A handler only decodes: it reads its arguments from the caller's
 * registers, checks what the kernel object's own code does not, and calls
 * that code (task.c, ipc.c, cap.c, code.c, vm.c, ...).  The right a call
 * needs is not a handler's business: it sits in the table's column in
 * syscall.c and is checked there once, before the handler runs. */
#ifndef KERNEL_SYSCALL_H
#define KERNEL_SYSCALL_H
#include "microkernel/task.h"
#include "microkernel/kernel.h"

/* The right a syscall needs, checked by syscall_dispatch (docs/syscalls.md). */
enum sys_need {
	NEED_NONE,	/* any task */
	NEED_PLATFORM,	/* the caller holds the platform capability, else E_PERM */
	NEED_CONTROL,	/* arg 1 is a capability to a live task with RIGHT_CONTROL, else E_BADCAP */
	NEED_COMPILE,	/* arg 1 is a capability to a live task with RIGHT_COMPILE, else E_BADCAP */
	NEED_IRQ,	/* arg 1 is an IRQ capability, else E_BADCAP */
	NEED_CLASSES
};

/* One call being served: the caller, and what the rights check found. */
struct sys {
	struct task *t;		/* the caller */
	struct task *x;		/* NEED_CONTROL, NEED_COMPILE: the task arg 1 names */
	struct cap *c;		/* NEED_IRQ: the capability arg 1 names */
};

/* Arguments in EBX ECX EDX ESI EDI EBP. */
#define A1 (s->t->tf->ebx)
#define A2 (s->t->tf->ecx)
#define A3 (s->t->tf->edx)
#define A4 (s->t->tf->esi)
#define A5 (s->t->tf->edi)
#define A6 (s->t->tf->ebp)

/* syscall.c: the right syscall nr needs (NEED_NONE for unknown numbers). */
int syscall_need(uint32_t nr);
/* syscall.c: may a module task make syscall nr? */
int syscall_module_ok(uint32_t nr);

/* sys_task.c: task life */
int sys_exit(struct sys *s);
int sys_yield(struct sys *s);
int sys_spawn(struct sys *s);
int sys_task_create(struct sys *s);
int sys_task_set_entry(struct sys *s);
int sys_task_start(struct sys *s);
int sys_task_kill(struct sys *s);
int sys_task_info(struct sys *s);
int sys_reap(struct sys *s);
int sys_task_limit(struct sys *s);
int sys_task_affinity(struct sys *s);

/* sys_ipc.c: IPC and capabilities */
int sys_call(struct sys *s);
int sys_recv(struct sys *s);
int sys_reply(struct sys *s);
int sys_reply_recv(struct sys *s);
int sys_notify(struct sys *s);
int sys_wait(struct sys *s);
int sys_poll(struct sys *s);
int sys_notify_bind(struct sys *s);
int sys_endpoint_create(struct sys *s);
int sys_notify_create(struct sys *s);
int sys_cap_copy(struct sys *s);
int sys_cap_delete(struct sys *s);

/* sys_mem.c: memory, code installation, the audit */
int sys_map_anon(struct sys *s);
int sys_unmap(struct sys *s);
int sys_mem_info(struct sys *s);
int sys_code_install(struct sys *s);
int sys_dispatch_set(struct sys *s);
int sys_audit(struct sys *s);

/* sys_machine.c: console, IRQs, I/O ports, power, boot information, time,
 * the secure-JIT switch, the CPUs */
int sys_null(struct sys *s);
int sys_console_write(struct sys *s);
int sys_console_read(struct sys *s);
int sys_irq_bind(struct sys *s);
int sys_irq_ack(struct sys *s);
int sys_ioport_grant(struct sys *s);
int sys_poweroff(struct sys *s);
int sys_bootinfo(struct sys *s);
int sys_time(struct sys *s);
int sys_secure(struct sys *s);
int sys_cpu_info(struct sys *s);
#endif
