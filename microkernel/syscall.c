/* The syscall table.  Number in EAX, arguments in EBX ECX EDX ESI EDI EBP,
 * result in EAX (>= 0, or an E_* error).  docs/syscalls.md is the reference.
 *
 * Each row names the handler and the right the call needs.  syscall_dispatch
 * checks that right once, before the handler runs (seL4's decode, then
 * invoke): a call without it never reaches its handler.  Handlers (sys_*.c)
 * then only decode their arguments and call the code of the object they act
 * on; they check every other capability, pointer and length (uaccess.c), and
 * none may fault in the kernel. */
#include "microkernel/syscall.h"
#include "microkernel/secure.h"

typedef int (*syscall_fn)(struct sys *s);

/* A module task (SYS_TASK_CREATE) may make only the calls marked MODULE:
 * exactly what the module runtime needs (lib/rt: exit, the profiler's
 * signal, console output).  Its surface is the kernel's decision, not the
 * jit's: whatever code ends up in a module task, every other number is
 * E_PERM there. */
#define MODULE 1

static const struct {
	syscall_fn fn;
	uint8_t need;	/* enum sys_need */
	uint8_t module;	/* allowed from a module task */
} table[SYS_COUNT] = {
	[SYS_NULL]		= { sys_null, NEED_NONE },
	[SYS_CONSOLE_WRITE]	= { sys_console_write, NEED_NONE, MODULE },
	/* the console's input is init's shell's: any task that could read
	 * it, even without blocking, would take the user's keystrokes */
	[SYS_CONSOLE_READ]	= { sys_console_read, NEED_PLATFORM },
	[SYS_EXIT]		= { sys_exit, NEED_NONE, MODULE },
	[SYS_YIELD]		= { sys_yield, NEED_NONE },
	[SYS_CALL]		= { sys_call, NEED_NONE },	/* IPC checks its own caps */
	[SYS_RECV]		= { sys_recv, NEED_NONE },
	[SYS_REPLY]		= { sys_reply, NEED_NONE },
	[SYS_REPLY_RECV]	= { sys_reply_recv, NEED_NONE },
	[SYS_NOTIFY]		= { sys_notify, NEED_NONE, MODULE },
	[SYS_WAIT]		= { sys_wait, NEED_NONE },
	[SYS_POLL]		= { sys_poll, NEED_NONE },
	[SYS_ENDPOINT_CREATE]	= { sys_endpoint_create, NEED_NONE },
	[SYS_NOTIFY_CREATE]	= { sys_notify_create, NEED_NONE },
	[SYS_CAP_COPY]		= { sys_cap_copy, NEED_CONTROL },
	[SYS_CAP_DELETE]	= { sys_cap_delete, NEED_NONE },
	[SYS_SPAWN]		= { sys_spawn, NEED_PLATFORM },
	[SYS_TASK_START]	= { sys_task_start, NEED_CONTROL },
	[SYS_TASK_KILL]		= { sys_task_kill, NEED_CONTROL },
	[SYS_TASK_INFO]		= { sys_task_info, NEED_NONE },	/* by index: public */
	[SYS_REAP]		= { sys_reap, NEED_PLATFORM },
	[SYS_MAP_ANON]		= { sys_map_anon, NEED_NONE },	/* its own space only */
	[SYS_UNMAP]		= { sys_unmap, NEED_NONE },
	[SYS_MEM_INFO]		= { sys_mem_info, NEED_NONE },
	[SYS_IRQ_BIND]		= { sys_irq_bind, NEED_IRQ },
	[SYS_IRQ_ACK]		= { sys_irq_ack, NEED_IRQ },
	[SYS_IOPORT_GRANT]	= { sys_ioport_grant, NEED_CONTROL },
	[SYS_CODE_INSTALL]	= { sys_code_install, NEED_COMPILE },
	[SYS_DISPATCH_SET]	= { sys_dispatch_set, NEED_COMPILE },
	/* the walk covers every page table of every task with interrupts
	 * off, and describes other tasks' memory */
	[SYS_AUDIT]		= { sys_audit, NEED_PLATFORM },
	[SYS_POWEROFF]		= { sys_poweroff, NEED_PLATFORM },
	[SYS_BOOTINFO]		= { sys_bootinfo, NEED_NONE },
	[SYS_TIME]		= { sys_time, NEED_NONE },
	[SYS_TASK_CREATE]	= { sys_task_create, NEED_PLATFORM },
	[SYS_TASK_SET_ENTRY]	= { sys_task_set_entry, NEED_CONTROL },
	[SYS_NOTIFY_BIND]	= { sys_notify_bind, NEED_NONE },
	[SYS_TASK_LIMIT]	= { sys_task_limit, NEED_CONTROL },
	/* which module tasks get the verifier and pinned syscalls */
	[SYS_SECURE]		= { sys_secure, NEED_PLATFORM },
	[SYS_TASK_AFFINITY]	= { sys_task_affinity, NEED_CONTROL },
	/* public like SYS_TASK_INFO; its reset checks the platform right */
	[SYS_CPU_INFO]		= { sys_cpu_info, NEED_NONE },
};

int syscall_need(uint32_t nr)
{
	return nr < SYS_COUNT ? table[nr].need : NEED_NONE;
}

int syscall_module_ok(uint32_t nr)
{
	return nr < SYS_COUNT && table[nr].module;
}

/* The rights column: 0 if s->t may make a call that needs `need`, with
 * what the check found filled in; else the error the call returns. */
static int check_right(struct sys *s, int need)
{
	switch (need) {
	case NEED_PLATFORM:
		return task_has_platform(s->t) ? 0 : E_PERM;
	case NEED_CONTROL:
		s->x = cap_task(s->t, A1, RIGHT_CONTROL);
		return s->x ? 0 : E_BADCAP;
	case NEED_COMPILE:
		s->x = cap_task(s->t, A1, RIGHT_COMPILE);
		return s->x ? 0 : E_BADCAP;
	case NEED_IRQ:
		s->c = cap_get(s->t, A1, CAP_IRQ, 0);
		return s->c ? 0 : E_BADCAP;
	default:
		return 0;
	}
}

void syscall_dispatch(struct task *t)
{
	struct sys call = { t, 0, 0 }, *s = &call;
	uint32_t nr = t->tf->eax;
	int r;
	if (!secure_syscall_site_ok(t, t->tf->eip)) {
		/* pinned: the only way in is the runtime's gate (secure.c) */
		task_kill(t, DEATH_SYSCALL_SITE, 0x80, 0, 0);
		return;
	}
	if (t->is_module && !syscall_module_ok(nr))
		r = E_PERM;	/* any other number, known or not */
	else
		r = nr < SYS_COUNT && table[nr].fn ? check_right(s, table[nr].need) : E_NOSYS;
	if (r == 0)
		r = table[nr].fn(s);
	if (r != KEEP_REGS)
		t->tf->eax = (uint32_t)r;
}
