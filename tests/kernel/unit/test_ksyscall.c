/* microkernel/syscall.c: the rights column.  Every syscall's required right
 * is what docs/syscalls.md says, and a call without it is refused before
 * its handler runs (nothing happens: no stub reached, no capability, frame
 * or task state changes), for each class of right; with it, the call gets
 * through.  The handlers run for real (sys_*.c, code.c, cap.c, ipc.c);
 * what they would ask of task.c, uaccess.c and the hardware is stubbed
 * here and counted. */
#include <criterion/criterion.h>
#include <setjmp.h>
#include <string.h>
#include "tests/kernel/unit/kernel_env.h"
#include "microkernel/syscall.h"

/* ---- stand-ins, each counting that a handler got this far ------------- */
static int reached;
static jmp_buf powered_off;

void task_kill(struct task *t, uint32_t c, uint32_t st, uint32_t e, uint32_t cr2)
{ (void)t; (void)c; (void)st; (void)e; (void)cr2; reached++; }
struct task *task_alloc(const char *n, int p, uint32_t b) { (void)n; (void)p; (void)b; reached++; return 0; }
int task_load_elf(struct task *t, const uint8_t *e, uint32_t l, uint32_t a)
{ (void)t; (void)e; (void)l; (void)a; reached++; return E_BADELF; }
int task_setup_stack(struct task *t) { (void)t; reached++; return 0; }
void task_set_entry(struct task *t, uint32_t eip, uint32_t a) { (void)t; (void)eip; (void)a; reached++; }
void task_discard(struct task *t) { (void)t; reached++; }
int task_map_zeroed(struct task *t, uint32_t va, uint32_t n, unsigned f)
{ (void)t; (void)va; (void)n; (void)f; reached++; return 0; }
void task_open_ports(struct task *x, uint32_t f, uint32_t n) { (void)x; (void)f; (void)n; reached++; }
void task_info(const struct task *x, struct bf_task_info *o) { (void)x; memset(o, 0, sizeof *o); reached++; }
void tasks_audit(struct bf_audit *o) { memset(o, 0, sizeof *o); reached++; }
int death_pop(struct bf_death *o) { (void)o; reached++; return E_AGAIN; }
int user_range(struct task *t, uint32_t va, uint32_t l, int w) { (void)t; (void)va; (void)l; (void)w; reached++; return 0; }
int copy_from_user(struct task *t, void *d, uint32_t va, uint32_t l)
{ (void)t; (void)va; memset(d, 'a', l); reached++; return 0; }
int copy_to_user(struct task *t, uint32_t va, const void *s, uint32_t l)
{ (void)t; (void)va; (void)s; (void)l; reached++; return 0; }
int console_read(struct task *t, uint32_t b, uint32_t l, int nb) { (void)t; (void)b; (void)l; (void)nb; reached++; return 0; }
int irq_bind(int irq, int n, uint32_t bit, struct task *o) { (void)irq; (void)n; (void)bit; (void)o; reached++; return 0; }
void irq_ack(int irq) { (void)irq; reached++; }
int bootmod_find(const char *n, uint32_t l, const uint8_t **d, uint32_t *s)
{ (void)n; (void)l; (void)d; (void)s; reached++; return -1; }
const char *boot_cmdline(void) { reached++; return ""; }
void qemu_exit(uint32_t code) { (void)code; reached++; longjmp(powered_off, 1); }
int sched_affinity(struct task *t, uint32_t cpu, int pin) { (void)t; (void)cpu; (void)pin; reached++; return 0; }
int cpu_info(uint32_t cpu, struct bf_cpu_info *o) { (void)cpu; memset(o, 0, sizeof *o); reached++; return 1; }
void cpu_lock_reset(void) { reached++; }

/* ---- a caller, a target, and a call ----------------------------------- */
static struct task *caller, *target;
enum { SLOT_ARG = 3, SLOT_PLATFORM = 9, SLOT_IO = 10, SLOT_NOTIFY = 11 };

static void setup(void)
{
	fake_kernel_init();
	memset(endpoints, 0, sizeof endpoints);
	memset(notifications, 0, sizeof notifications);
	caller = fake_task(1);
	target = fake_task(2);
	target->state = T_EMBRYO;
	target->code_limit = 4;
	endpoints[0].h.used = notifications[0].h.used = 1;
	fake_cap(caller, 0, CAP_ENDPOINT, RIGHT_ALL, 0, 0);
	fake_cap(caller, SLOT_IO, CAP_IOPORT, RIGHT_ALL, 0x1F0, 0);
	caller->caps[SLOT_IO].extra = 8;	/* ports 0x1F0-0x1F7 */
	fake_cap(caller, SLOT_NOTIFY, CAP_NOTIFY, RIGHT_ALL, 0, 0);
	paddr_t pa = frame_alloc();	/* a page the caller wrote, to install */
	vm_map(&caller->as, USER_HEAP_BASE, pa, VM_WRITE);
	frame_unref(pa);
	reached = sched_ready_calls = schedule_calls = 0;
}

TestSuite(syscall_rights, .init = setup);

static int sys(uint32_t nr, uint32_t a1, uint32_t a2, uint32_t a3, uint32_t a4, uint32_t a5)
{
	struct trapframe *tf = caller->tf;
	tf->eax = nr;
	tf->ebx = a1, tf->ecx = a2, tf->edx = a3, tf->esi = a4, tf->edi = a5, tf->ebp = 0;
	current = caller;
	if (setjmp(powered_off) == 0)
		syscall_dispatch(caller);
	else
		tf->eax = 0;	/* SYS_POWEROFF got as far as the machine */
	return (int)tf->eax;
}

/* Arguments that would get each call past its own checks, so only the
 * right stands in the way: slot SLOT_ARG for the capability argument,
 * real capabilities for the second ones. */
static int call(uint32_t nr)
{
	if (nr == SYS_CODE_INSTALL)	/* the page staged in setup() */
		return sys(nr, SLOT_ARG, USER_HEAP_BASE, 1, USER_CODE_BASE, INSTALL_CODE);
	uint32_t a2 = nr == SYS_IOPORT_GRANT ? SLOT_IO : nr == SYS_IRQ_BIND ? SLOT_NOTIFY
		    : nr == SYS_SPAWN || nr == SYS_TASK_CREATE ? 4 : 0;	/* name length */
	return sys(nr, SLOT_ARG, a2, 1, 0, 0);
}

/* The column as docs/syscalls.md documents it. */
static int documented_need(uint32_t nr)
{
	switch (nr) {
	case SYS_CONSOLE_READ: case SYS_SPAWN: case SYS_TASK_CREATE: case SYS_REAP:
	case SYS_AUDIT: case SYS_POWEROFF: case SYS_SECURE:
		return NEED_PLATFORM;
	case SYS_CAP_COPY: case SYS_TASK_START: case SYS_TASK_KILL: case SYS_TASK_SET_ENTRY:
	case SYS_IOPORT_GRANT: case SYS_TASK_LIMIT: case SYS_TASK_AFFINITY:
		return NEED_CONTROL;
	case SYS_CODE_INSTALL: case SYS_DISPATCH_SET:
		return NEED_COMPILE;
	case SYS_IRQ_BIND: case SYS_IRQ_ACK:
		return NEED_IRQ;
	default:
		return NEED_NONE;
	}
}

Test(syscall_rights, the_column_is_the_documented_one)
{
	int seen[NEED_CLASSES] = { 0 };
	for (uint32_t nr = 0; nr < SYS_COUNT; nr++) {
		cr_assert_eq(syscall_need(nr), documented_need(nr), "syscall %u", nr);
		seen[syscall_need(nr)]++;
	}
	for (int c = 0; c < NEED_CLASSES; c++)
		cr_assert_gt(seen[c], 0, "class %d is used", c);
}

Test(syscall_rights, unknown_numbers_are_enosys)
{
	cr_assert_eq(sys(SYS_COUNT, 0, 0, 0, 0, 0), E_NOSYS);
	cr_assert_eq(sys(0xFFFFFFFFu, 0, 0, 0, 0, 0), E_NOSYS);
	cr_assert_eq(reached, 0);
}

/* A refused call changed nothing: no handler reached a stub, nobody was
 * scheduled, no capability or frame moved, the target is as it was. */
static void refused(uint32_t nr, int want, const char *why)
{
	struct cap caps[NCAPS], tcaps[NCAPS];
	memcpy(caps, caller->caps, sizeof caps);
	memcpy(tcaps, target->caps, sizeof tcaps);
	uint32_t frames = frames_used();
	int state = target->state;
	cr_assert_eq(call(nr), want, "syscall %u %s", nr, why);
	cr_assert_eq(reached, 0, "syscall %u %s: its handler ran", nr, why);
	cr_assert_eq(sched_ready_calls + schedule_calls, 0, "syscall %u %s", nr, why);
	cr_assert_eq(memcmp(caps, caller->caps, sizeof caps), 0, "syscall %u %s", nr, why);
	cr_assert_eq(memcmp(tcaps, target->caps, sizeof tcaps), 0, "syscall %u %s", nr, why);
	cr_assert_eq(frames_used(), frames, "syscall %u %s", nr, why);
	cr_assert_eq(target->state, state, "syscall %u %s", nr, why);
}

static int count_class(int need)
{
	int n = 0;
	for (uint32_t nr = 0; nr < SYS_COUNT; nr++)
		n += syscall_need(nr) == need;
	return n;
}

Test(syscall_rights, platform_calls_without_the_platform_capability_are_eperm)
{
	/* everything else a call could want is there */
	fake_cap(caller, SLOT_ARG, CAP_TASK, RIGHT_ALL, 2, target->gen);
	for (uint32_t nr = 0; nr < SYS_COUNT; nr++)
		if (syscall_need(nr) == NEED_PLATFORM)
			refused(nr, E_PERM, "without the platform capability");
	cr_assert_eq(count_class(NEED_PLATFORM), 7);	/* SYS_SECURE too */
}

/* A task-right class: refused with a capability that has every right but
 * that one, with an empty slot, with a capability to a dead task, and with
 * a capability of another type. */
static void task_class(int need, int right)
{
	fake_cap(caller, SLOT_PLATFORM, CAP_PLATFORM, RIGHT_ALL, 0, 0);
	for (uint32_t nr = 0; nr < SYS_COUNT; nr++) {
		if (syscall_need(nr) != need)
			continue;
		fake_cap(caller, SLOT_ARG, CAP_TASK, RIGHT_ALL & ~right, 2, target->gen);
		refused(nr, E_BADCAP, "without the right");
		memset(&caller->caps[SLOT_ARG], 0, sizeof caller->caps[SLOT_ARG]);
		refused(nr, E_BADCAP, "with an empty slot");
		fake_cap(caller, SLOT_ARG, CAP_TASK, RIGHT_ALL, 2, target->gen + 1);
		refused(nr, E_BADCAP, "with a capability that outlived its task");
		fake_cap(caller, SLOT_ARG, CAP_ENDPOINT, RIGHT_ALL, 0, 0);
		refused(nr, E_BADCAP, "with an endpoint capability");
	}
}

Test(syscall_rights, control_calls_without_right_control_are_ebadcap)
{
	task_class(NEED_CONTROL, RIGHT_CONTROL);
	cr_assert_eq(count_class(NEED_CONTROL), 7);
}

Test(syscall_rights, compile_calls_without_right_compile_are_ebadcap)
{
	task_class(NEED_COMPILE, RIGHT_COMPILE);
	cr_assert_eq(count_class(NEED_COMPILE), 2);
}

Test(syscall_rights, irq_calls_without_an_irq_capability_are_ebadcap)
{
	fake_cap(caller, SLOT_PLATFORM, CAP_PLATFORM, RIGHT_ALL, 0, 0);
	fake_cap(caller, SLOT_ARG, CAP_NOTIFY, RIGHT_ALL, 0, 0);
	for (uint32_t nr = 0; nr < SYS_COUNT; nr++)
		if (syscall_need(nr) == NEED_IRQ)
			refused(nr, E_BADCAP, "with a notification for an IRQ");
	cr_assert_eq(count_class(NEED_IRQ), 2);
}

/* With the right, each call of each class reaches its handler. */
Test(syscall_rights, with_the_right_every_call_gets_through)
{
	fake_cap(caller, SLOT_PLATFORM, CAP_PLATFORM, RIGHT_ALL, 0, 0);
	for (uint32_t nr = 0; nr < SYS_COUNT; nr++) {
		int need = syscall_need(nr);
		if (need == NEED_NONE)
			continue;
		caller->caps[SLOT_ARG] = (struct cap){ 0 };
		if (need == NEED_IRQ)
			fake_cap(caller, SLOT_ARG, CAP_IRQ, RIGHT_ALL, 14, 0);
		else
			fake_cap(caller, SLOT_ARG, CAP_TASK, RIGHT_ALL, 2, target->gen);
		target->state = T_EMBRYO;
		target->tf->eip = USER_BASE;
		reached = sched_ready_calls = 0;
		uint32_t before = frames_used();
		int r = call(nr);
		/* a handler that ran either reached a stand-in, scheduled the
		 * target, gave it a capability, installed code in it or built
		 * its dispatch table */
		int ran = reached || sched_ready_calls || target->caps[0].type != CAP_NONE ||
			  target->code_pages || frames_used() != before;
		cr_assert(ran, "syscall %u (class %d) did not reach its handler (%d)", nr, need, r);
		memset(target->caps, 0, sizeof target->caps);
	}
}

/* A module task (SYS_TASK_CREATE) makes the runtime's calls and nothing
 * else: every other number, known or not, is E_PERM before any handler. */
Test(isolate, a_module_task_may_make_only_the_module_syscalls)
{
	int allowed = 0;
	for (uint32_t nr = 0; nr < SYS_COUNT + 8; nr++) {
		int ok = syscall_module_ok(nr);
		allowed += ok;
		if (nr == SYS_EXIT || nr == SYS_NOTIFY || nr == SYS_CONSOLE_WRITE)
			cr_assert(ok, "syscall %u is the runtime's", nr);
		else
			cr_assert(!ok, "syscall %u must be refused to modules", nr);
	}
	cr_assert_eq(allowed, 3);
}
