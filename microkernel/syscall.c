/* The syscall table.  Number in EAX, arguments in EBX ECX EDX ESI EDI EBP,
 * result in EAX (>= 0, or an E_* error).  Handlers check every capability,
 * pointer and length (uaccess.c); none may fault in the kernel.
 * docs/syscalls.md is the reference. */
#include <string.h>
#include "microkernel/kernel.h"
#include "microkernel/task.h"
#include "microkernel/physmem.h"
#include "microkernel/arch/x86/cpu.h"

#define A1 (t->tf->ebx)
#define A2 (t->tf->ecx)
#define A3 (t->tf->edx)
#define A4 (t->tf->esi)
#define A5 (t->tf->edi)
#define A6 (t->tf->ebp)

typedef int (*syscall_fn)(struct task *t);

static int sys_null(struct task *t) { (void)t; return 0; }

static int sys_console_write(struct task *t)
{
	uint32_t buf = A1, len = A2;
	if (len > 4096)
		return E_INVAL;
	char tmp[256];
	for (uint32_t off = 0; off < len; off += sizeof tmp) {
		uint32_t n = len - off < sizeof tmp ? len - off : sizeof tmp;
		if (copy_from_user(t, tmp, buf + off, n))
			return E_FAULT;
		for (uint32_t i = 0; i < n; i++)
			kprintf("%c", tmp[i]);
	}
	return (int)len;
}

/* (buf, len, nonblock): the console's input is init's shell's.  Any task
 * that could read it, even without blocking, would take the user's
 * keystrokes from the shell, so only the platform holder may. */
static int sys_console_read(struct task *t)
{
	if (!task_has_platform(t))
		return E_PERM;
	return console_read(t, A1, A2, A3 & 1);
}

static int sys_exit(struct task *t)
{
	task_kill(t, DEATH_EXIT, A1, 0, 0);
	return 0;	/* not reached: t is gone */
}

static int sys_yield(struct task *t)
{
	(void)t;
	need_resched = 1;
	return 0;
}

static void msg_from_regs(struct task *t, struct msg *m, uint32_t label)
{
	m->label = label;
	m->w[0] = A3;
	m->w[1] = A4;
	m->w[2] = A5;
	m->w[3] = A6;
	m->badge = 0;
}

static int sys_call(struct task *t)
{
	struct msg m;
	msg_from_regs(t, &m, A2);
	return ipc_call(t, A1, &m);
}

static int sys_recv(struct task *t) { return ipc_recv(t, A1); }

static int sys_reply(struct task *t)
{
	struct msg m;
	msg_from_regs(t, &m, A2);	/* same layout as a call; EBX unused */
	return ipc_reply(t, &m);
}

static int sys_reply_recv(struct task *t)
{
	struct msg m;
	msg_from_regs(t, &m, A2);
	if (t->caller)
		ipc_reply(t, &m);	/* a failed reply is the caller's error */
	return ipc_recv(t, A1);
}

static int sys_notify(struct task *t) { return ipc_notify(t, A1, A2); }
static int sys_wait(struct task *t) { return ipc_wait(t, A1, 1); }
static int sys_poll(struct task *t) { return ipc_wait(t, A1, 0); }

static int new_cap(struct task *t, int type, int obj)
{
	int slot = cap_alloc(t);
	if (slot < 0)
		return E_NOSPC;
	t->caps[slot].type = (uint8_t)type;
	t->caps[slot].rights = RIGHT_ALL;
	t->caps[slot].obj = (uint16_t)obj;
	t->caps[slot].badge = 0;
	return slot;
}

/* A fresh endpoint or notification from its fixed table, and a capability
 * to it with all rights. */
static int create_object(struct task *t, int type)
{
	int n = type == CAP_ENDPOINT ? MAX_ENDPOINTS : MAX_NOTIFY;
	for (int i = 0; i < n; i++) {
		int *used = type == CAP_ENDPOINT ? &endpoints[i].used : &notifications[i].used;
		if (*used)
			continue;
		int slot = new_cap(t, type, i);
		if (slot < 0)
			return slot;
		if (type == CAP_ENDPOINT)
			memset(&endpoints[i], 0, sizeof endpoints[i]);
		else
			memset(&notifications[i], 0, sizeof notifications[i]);
		*used = 1;
		return slot;
	}
	return E_NOMEM;
}

static int sys_endpoint_create(struct task *t) { return create_object(t, CAP_ENDPOINT); }
static int sys_notify_create(struct task *t) { return create_object(t, CAP_NOTIFY); }

/* (task cap, src slot, badge, rights): a copy with fewer or equal rights
 * (and, for endpoints, a badge) into a free slot of the target. */
static int sys_cap_copy(struct task *t)
{
	struct task *x = cap_task(t, A1, RIGHT_CONTROL);
	if (!x)
		return E_BADCAP;
	if (A2 >= NCAPS || t->caps[A2].type == CAP_NONE)
		return E_BADCAP;
	struct cap c = t->caps[A2];
	if (c.type == CAP_PLATFORM)
		return E_PERM;
	c.rights &= (uint8_t)A4;
	/* Only an unbadged capability (the creator's) may be badged: a badge
	 * is how a server tells clients apart, so a client that could copy
	 * its own badged capability with another badge would pose as another
	 * client.  A badged one keeps its badge, as with MSG_CAP. */
	if ((c.type == CAP_ENDPOINT || c.type == CAP_NOTIFY) && c.badge == 0)
		c.badge = A3;
	int slot = cap_alloc(x);
	if (slot < 0)
		return E_NOSPC;
	x->caps[slot] = c;
	return slot;
}

static int sys_cap_delete(struct task *t)
{
	if (A1 >= NCAPS || t->caps[A1].type == CAP_NONE)
		return E_BADCAP;
	memset(&t->caps[A1], 0, sizeof t->caps[A1]);
	return 0;
}

static int read_name(struct task *t, uint32_t ptr, uint32_t len, char *out, uint32_t max)
{
	if (len == 0 || len >= max)
		return E_INVAL;
	if (copy_from_user(t, out, ptr, len))
		return E_FAULT;
	out[len] = 0;
	return 0;
}

static int give_task_cap(struct task *t, struct task *x)
{
	int slot = cap_alloc(t);
	if (slot < 0)
		return E_NOSPC;
	t->caps[slot].type = CAP_TASK;
	t->caps[slot].rights = RIGHT_ALL;
	t->caps[slot].obj = (uint16_t)(x - tasks);
	t->caps[slot].badge = x->gen;
	return slot;
}

static uint32_t ms_to_ticks(uint32_t ms) { return ms ? (ms + 1000 / HZ - 1) / (1000 / HZ) : 0; }

/* The common part of SYS_SPAWN and SYS_TASK_CREATE: (name, len, prio,
 * budget_ms) -> a new task in T_EMBRYO, or NULL with *err.  A boot module
 * of that name must exist when `module` is asked for. */
static struct task *new_task(struct task *t, int want_module, const uint8_t **data,
			     uint32_t *size, int *err)
{
	char name[32];
	if (!task_has_platform(t)) {
		*err = E_PERM;
		return 0;
	}
	if ((*err = read_name(t, A1, A2, name, sizeof name)))
		return 0;
	if (want_module && bootmod_find(name, A2, data, size)) {
		*err = E_NOENT;
		return 0;
	}
	if (cap_alloc(t) < 0) {
		*err = E_NOSPC;
		return 0;
	}
	struct task *x = task_alloc(name, (int)A3, ms_to_ticks(A4));
	*err = x ? 0 : E_NOMEM;
	return x;
}

/* (name, len, prio, budget_ms, arg): a task from a boot module, not yet
 * started, so the caller can hand it capabilities first. */
static int sys_spawn(struct task *t)
{
	const uint8_t *data = 0;
	uint32_t size = 0;
	int r;
	struct task *x = new_task(t, 1, &data, &size, &r);
	if (!x)
		return r;
	r = task_load_elf(x, data, size, A5);
	if (r) {
		task_discard(x);
		return r;
	}
	return give_task_cap(t, x);
}

/* (name, len, prio, budget_ms): an empty task with only a stack, for a
 * JIT-compiled module; code arrives by SYS_CODE_INSTALL. */
static int sys_task_create(struct task *t)
{
	int r;
	struct task *x = new_task(t, 0, 0, 0, &r);
	if (!x)
		return r;
	if ((r = task_setup_stack(x))) {
		task_discard(x);
		return r;
	}
	return give_task_cap(t, x);
}

static int sys_task_set_entry(struct task *t)
{
	struct task *x = cap_task(t, A1, RIGHT_CONTROL);
	if (!x)
		return E_BADCAP;
	if (x->state != T_EMBRYO)
		return E_INVAL;
	unsigned fl;
	if (vm_lookup(&x->as, A2, 0, &fl) || !(fl & VM_EXEC))
		return E_FAULT;
	task_set_entry(x, A2, A3);
	return 0;
}

static int sys_task_start(struct task *t)
{
	struct task *x = cap_task(t, A1, RIGHT_CONTROL);
	if (!x)
		return E_BADCAP;
	if (x->state != T_EMBRYO)
		return E_INVAL;
	if (!x->tf->eip)
		return E_INVAL;
	sched_ready(x);
	return 0;
}

static int sys_task_kill(struct task *t)
{
	struct task *x = cap_task(t, A1, RIGHT_CONTROL);
	if (!x)
		return E_BADCAP;
	task_kill(x, DEATH_KILLED, 0, 0, 0);
	return 0;
}

/* (index, info*, by_cap): by_cap = 1 makes the index a task capability. */
static int sys_task_info(struct task *t)
{
	struct task *x;
	if (A3 == 1) {
		if (!(x = cap_task(t, A1, 0)))
			return E_BADCAP;
	} else if (A1 >= MAX_TASKS) {
		return E_INVAL;
	} else {
		x = &tasks[A1];
	}
	struct bf_task_info info;
	memset(&info, 0, sizeof info);
	if (x->state != T_FREE) {
		info.id = x->id;
		memcpy(info.name, x->name, sizeof info.name);
		info.state = (uint32_t)x->state;
		info.prio = (uint32_t)x->prio;
		info.frames = x->as.pages;
		info.ticks = x->ticks;
		info.budget = x->budget;
	}
	return copy_to_user(t, A2, &info, sizeof info);
}

static int sys_reap(struct task *t)
{
	struct bf_death d;
	if (!task_has_platform(t))
		return E_PERM;
	if (user_range(t, A1, sizeof d, 1))
		return E_FAULT;
	int r = death_pop(&d);
	if (r)
		return r;
	return copy_to_user(t, A1, &d, sizeof d);
}

/* (va, npages, flags): fresh zeroed pages in the task's heap range. */
static int sys_map_anon(struct task *t)
{
	uint32_t va = A1, n = A2, fl = A3;
	if ((fl & MAP_WRITE) && (fl & MAP_EXEC))
		return E_WX;
	if (fl & MAP_EXEC)
		return E_PERM;	/* executable memory comes only from the JIT path */
	if (va & (PAGE_SIZE - 1) || n == 0 || n > 65536)
		return E_INVAL;
	if (va < USER_HEAP_BASE || va >= USER_DISPATCH_VA || n > (USER_DISPATCH_VA - va) / PAGE_SIZE)
		return E_INVAL;
	for (uint32_t i = 0; i < n; i++) {
		paddr_t pa = frame_alloc();
		int r = pa ? 0 : E_NOMEM;
		if (pa) {
			memset(phys_to_virt(pa), 0, PAGE_SIZE);
			r = vm_map(&t->as, va + i * PAGE_SIZE, pa, (fl & MAP_WRITE) ? VM_WRITE : 0);
			frame_unref(pa);
		}
		if (r) {
			while (i--)
				vm_unmap(&t->as, va + i * PAGE_SIZE);
			return r;
		}
	}
	return 0;
}

/* (va, npages): drop mappings in the heap or grant window. */
static int sys_unmap(struct task *t)
{
	uint32_t va = A1, n = A2;
	if (va & (PAGE_SIZE - 1) || n == 0 || n > 65536)
		return E_INVAL;
	int heap = va >= USER_HEAP_BASE && va < USER_DISPATCH_VA &&
		   n <= (USER_DISPATCH_VA - va) / PAGE_SIZE;
	int grant = va >= USER_GRANT_BASE && va < USER_GRANT_TOP &&
		    n <= (USER_GRANT_TOP - va) / PAGE_SIZE;
	if (!heap && !grant)
		return E_INVAL;
	for (uint32_t i = 0; i < n; i++)
		vm_unmap(&t->as, va + i * PAGE_SIZE);
	return 0;
}

static int sys_mem_info(struct task *t)
{
	struct bf_mem_info m = { frames_total(), frames_used(), frames_free(), PAGE_SIZE };
	return copy_to_user(t, A1, &m, sizeof m);
}

static int sys_irq_bind(struct task *t)
{
	struct cap *irq = cap_get(t, A1, CAP_IRQ, 0);
	struct cap *n = cap_get(t, A2, CAP_NOTIFY, RIGHT_SEND);
	if (!irq || !n)
		return E_BADCAP;
	if (A3 == 0 || (A3 & 0x80000000u))
		return E_INVAL;
	return irq_bind(irq->obj, n->obj, A3, t);
}

static int sys_irq_ack(struct task *t)
{
	struct cap *irq = cap_get(t, A1, CAP_IRQ, 0);
	if (!irq)
		return E_BADCAP;
	irq_ack(irq->obj);
	return 0;
}

/* (task cap, io cap): open the ports of the io cap in the task's bitmap. */
static int sys_ioport_grant(struct task *t)
{
	struct task *x = cap_task(t, A1, RIGHT_CONTROL);
	struct cap *io = cap_get(t, A2, CAP_IOPORT, 0);
	if (!x || !io)
		return E_BADCAP;
	for (uint32_t p = io->obj; p < (uint32_t)io->obj + io->extra && p < IOMAP_BYTES * 8; p++)
		x->iomap[p / 8] &= (uint8_t)~(1u << (p % 8));
	x->has_io = 1;
	if (x == current)
		arch_switch_space(x);
	return 0;
}

/* (task cap, src va, npages, dst va, kind): see code.c. */
static int sys_code_install(struct task *t)
{
	struct task *x = cap_task(t, A1, RIGHT_COMPILE);
	if (!x)
		return E_BADCAP;
	return code_install(t, x, A2, A3, A4, A5);
}

/* (task cap, index, value): see code.c. */
static int sys_dispatch_set(struct task *t)
{
	struct task *x = cap_task(t, A1, RIGHT_COMPILE);
	if (!x)
		return E_BADCAP;
	return code_dispatch_set(x, A2, A3);
}

/* Platform only, as documented: the walk covers every page table of every
 * task with interrupts off, so any task calling it in a loop would stall
 * the whole system, and its result describes other tasks' memory. */
static int sys_audit(struct task *t)
{
	if (!task_has_platform(t))
		return E_PERM;
	struct bf_audit a;
	memset(&a, 0, sizeof a);
	for (int i = 1; i < MAX_TASKS; i++)
		if (tasks[i].state != T_FREE)
			vm_audit(&tasks[i].as, &a, tasks[i].id);
	return copy_to_user(t, A1, &a, sizeof a);
}

static int sys_poweroff(struct task *t)
{
	if (!task_has_platform(t))
		return E_PERM;
	kprintf("kernel: power off (status %u)\n", A1);
	qemu_exit(A1);
	outw(0x604, 0x2000);	/* ACPI S5 on QEMU's pc machine */
	halt_forever();
}

static int sys_bootinfo(struct task *t)
{
	const char *c = boot_cmdline();
	uint32_t n = (uint32_t)strlen(c) + 1;
	if (n > A2)
		return E_INVAL;
	return copy_to_user(t, A1, c, n) ? E_FAULT : (int)n - 1;
}

static int sys_time(struct task *t) { (void)t; return (int)(ticks & 0x7FFFFFFF); }

static int sys_notify_bind(struct task *t) { return ipc_notify_bind(t, A1); }

static const syscall_fn table[SYS_COUNT] = {
	[SYS_NULL] = sys_null,
	[SYS_CONSOLE_WRITE] = sys_console_write,
	[SYS_CONSOLE_READ] = sys_console_read,
	[SYS_EXIT] = sys_exit,
	[SYS_YIELD] = sys_yield,
	[SYS_CALL] = sys_call,
	[SYS_RECV] = sys_recv,
	[SYS_REPLY] = sys_reply,
	[SYS_REPLY_RECV] = sys_reply_recv,
	[SYS_NOTIFY] = sys_notify,
	[SYS_WAIT] = sys_wait,
	[SYS_POLL] = sys_poll,
	[SYS_ENDPOINT_CREATE] = sys_endpoint_create,
	[SYS_NOTIFY_CREATE] = sys_notify_create,
	[SYS_CAP_COPY] = sys_cap_copy,
	[SYS_CAP_DELETE] = sys_cap_delete,
	[SYS_SPAWN] = sys_spawn,
	[SYS_TASK_START] = sys_task_start,
	[SYS_TASK_KILL] = sys_task_kill,
	[SYS_TASK_INFO] = sys_task_info,
	[SYS_REAP] = sys_reap,
	[SYS_MAP_ANON] = sys_map_anon,
	[SYS_UNMAP] = sys_unmap,
	[SYS_MEM_INFO] = sys_mem_info,
	[SYS_IRQ_BIND] = sys_irq_bind,
	[SYS_IRQ_ACK] = sys_irq_ack,
	[SYS_IOPORT_GRANT] = sys_ioport_grant,
	[SYS_CODE_INSTALL] = sys_code_install,
	[SYS_DISPATCH_SET] = sys_dispatch_set,
	[SYS_AUDIT] = sys_audit,
	[SYS_POWEROFF] = sys_poweroff,
	[SYS_BOOTINFO] = sys_bootinfo,
	[SYS_TIME] = sys_time,
	[SYS_TASK_CREATE] = sys_task_create,
	[SYS_TASK_SET_ENTRY] = sys_task_set_entry,
	[SYS_NOTIFY_BIND] = sys_notify_bind,
};

void syscall_dispatch(struct task *t)
{
	uint32_t nr = t->tf->eax;
	int r = nr < SYS_COUNT && table[nr] ? table[nr](t) : E_NOSYS;
	if (r != KEEP_REGS)
		t->tf->eax = (uint32_t)r;
}
