/* Tasks: one address space, one kernel stack, a capability table and the
 * IPC state.  Kernel objects live in fixed tables (no kernel heap): tasks,
 * endpoints and notifications are indexed; a capability names one by index
 * and, for tasks, by generation so a stale capability to a dead task is
 * refused rather than reaching its successor. */
#ifndef KERNEL_TASK_H
#define KERNEL_TASK_H
#include <stdint.h>
#include "microkernel/vm.h"
#include "lib/include/bareflow/abi.h"

#define MAX_TASKS     64
#define MAX_ENDPOINTS 64
#define MAX_NOTIFY    64
#define KSTACK_SIZE   8192
#define NPRIO         8
#define IOMAP_BYTES   128	/* ports 0..0x3FF */
#define CODE_LIMIT_DEFAULT 512	/* pages of JIT code a task may hold */
#define RETIRE_MAX 64		/* retired code ranges a task may have waiting (INSTALL_RETIRE) */
#define DISPATCH_PEND_MAX 8	/* dispatch stores a running task may have waiting */
#define MODULE_MEM_DEFAULT 4096	/* frames a module task may hold (16 MiB) */
#define FPU_STATE_SIZE 512	/* an FXSAVE image */

enum task_state {	/* abi.h's TASK_* for SYS_TASK_INFO, in the same order */
	T_FREE = TASK_FREE, T_EMBRYO = TASK_NEW, T_RUNNABLE = TASK_READY, T_SEND = TASK_SEND,
	T_RECV = TASK_RECV, T_REPLY = TASK_REPLY, T_NOTIFY = TASK_WAIT, T_CONSOLE = TASK_INPUT,
	T_ZOMBIE = TASK_ZOMBIE
};

struct trapframe {
	uint32_t gs, fs, es, ds;
	uint32_t edi, esi, ebp, esp0, ebx, edx, ecx, eax;	/* pusha */
	uint32_t trapno, err;
	uint32_t eip, cs, eflags;
	uint32_t esp, ss;	/* from ring 3 only */
};

struct cap {
	uint8_t type;		/* CAP_* */
	uint8_t rights;		/* RIGHT_* */
	uint16_t obj;		/* index in its table, or IRQ / first port */
	uint32_t badge;		/* endpoint: given to the receiver; task: generation */
	uint32_t extra;		/* ioport: count */
};

struct msg {
	uint32_t label, w[4];
	uint32_t badge;
};

struct task {
	/* x87/SSE registers while switched out (arch/x86/fpu.c); FXSAVE
	 * needs 16-byte alignment, which this first member gives */
	uint8_t fpu[FPU_STATE_SIZE] __attribute__((aligned(16)));
	uint32_t id;		/* unique for the life of the system */
	uint32_t gen;		/* bumps when the slot is reused */
	char name[16];
	int state, prio;
	struct addrspace as;
	uint32_t kesp;		/* saved kernel stack pointer while switched out */
	uint32_t fctx[6];	/* its resume frame after a direct switch (sched_handoff, isr.asm swtch_direct) */
	struct trapframe *tf;	/* its user registers (top of the kernel stack) */
	struct cap caps[NCAPS];

	struct task *qnext;	/* run queue or wait queue link */
	void *waiting_on;	/* endpoint / notification it blocks on */
	struct task *caller;	/* whose reply we owe (after a receive) */
	struct task *callee;	/* who owes us a reply (during a call) */
	struct msg out;		/* message waiting to be delivered */
	uint32_t console_buf, console_len;

	uint32_t ticks, budget;	/* CPU time used; limit (0 = none) */
	uint32_t slice;
	uint8_t iomap[IOMAP_BYTES];	/* TSS I/O bitmap (bit set = denied) */
	int has_io;		/* any port open in iomap */
	uint32_t grant_cursor;
	uint32_t code_pages, code_limit;
	/* retired code (INSTALL_RETIRE): unmapped by code_reclaim once no
	 * register, stack word or dispatch entry of the task points into it */
	struct { uint32_t va, n; } retired[RETIRE_MAX];
	uint32_t nretired;
	uint32_t code_reclaimed;	/* pages code_reclaim freed, ever */
	paddr_t dispatch;	/* frame of the dispatch table, or 0 */
	/* dispatch stores waiting for the task's next safe point
	 * (code_dispatch_set DISPATCH_SAFE_POINT), in order */
	struct { uint32_t idx, val; } pend[DISPATCH_PEND_MAX];
	uint32_t npend;
	struct notification *bound;	/* see SYS_NOTIFY_BIND */
	uint32_t wake_tick;	/* blocked with a time limit: E_TIMEOUT at this tick (0 = none) */
	int is_module;		/* made by SYS_TASK_CREATE: the module syscall surface only */
	uint32_t secure;	/* SECURE_* (secure.c): fixed at creation */

	/* SMP (sched.c, percpu.h) */
	int cpu;		/* the CPU it runs on, -1 when it is not running */
	int rq;			/* the CPU whose run queue holds it, -1 when on none */
	int fpu_cpu;		/* the CPU whose FPU registers hold its state (its fpu_owner), or -1 */
	uint8_t home;		/* the CPU it prefers: queued there when it wakes */
	uint8_t pinned;		/* runs on its home only (idle CPUs do not take it) */
	uint8_t is_idle;	/* a CPU's idle task: kernel only, never queued */
};

/* What every endpoint and notification has (ipc_obj.c). */
struct obj_head {
	int used;
	uint32_t gen;		/* bumped when freed: capabilities carry it in cap.extra */
	uint32_t refs;		/* live capabilities to it */
	struct task *owner;	/* it goes when its owner dies */
};

struct endpoint {
	struct obj_head h;
	struct task *send_head, *send_tail;	/* callers waiting */
	struct task *recv_head, *recv_tail;	/* receivers waiting */
};

struct notification {
	struct obj_head h;
	uint32_t bits;
	struct task *waiter;
	struct task *bound;	/* its signals end this task's receive too */
};

extern struct task tasks[MAX_TASKS];
/* The running task is per CPU: `current` is defined by percpu.h, which
 * only the kernel's non-portable files include. */
extern struct endpoint endpoints[MAX_ENDPOINTS];
extern struct notification notifications[MAX_NOTIFY];

/* task.c */
struct task *task_alloc(const char *name, int prio, uint32_t budget_ticks);
int  task_load_elf(struct task *t, const uint8_t *elf, uint32_t len, uint32_t arg);
int  task_setup_stack(struct task *t);
void task_set_entry(struct task *t, uint32_t eip, uint32_t arg);
void task_discard(struct task *t);	/* never-started task, no report */
void task_kill(struct task *t, uint32_t cause, uint32_t status, uint32_t err, uint32_t cr2);
int  task_map_zeroed(struct task *t, uint32_t va, uint32_t n, unsigned flags);	/* all or none */
void task_open_ports(struct task *x, uint32_t first, uint32_t count);
void task_info(const struct task *x, struct bf_task_info *out);
void tasks_audit(struct bf_audit *out);	/* every live task's page tables */
int  death_pop(struct bf_death *out);

/* cap.c */
int  cap_alloc(struct task *t);		/* free slot index or -1 */
int  cap_new(struct task *t, int type, int obj, uint32_t badge);	/* all rights: slot or E_NOSPC */
void cap_set(struct task *t, int slot, struct cap c);	/* counts the object's references */
void cap_clear(struct task *t, int slot);
int  cap_copy(struct task *t, struct task *x, uint32_t src, uint32_t badge, uint32_t rights);
struct cap *cap_get(struct task *t, uint32_t slot, int type, int rights);
struct task *cap_task(struct task *t, uint32_t slot, int rights);
int  task_has_platform(struct task *t);

/* sched.c */
void sched_init(void);
void sched_ready(struct task *t);	/* make runnable, enqueue */
void sched_remove(struct task *t);	/* take off the run queue */
void schedule(void);			/* pick and switch */
void sched_handoff(struct task *next);	/* current blocked: run next now */
void sched_tick(void);			/* timer: account and maybe preempt */
void sched_yield(void);			/* the running task gives up the CPU at the syscall's end */
int  sched_affinity(struct task *t, uint32_t cpu, int pinned);	/* 0 or E_INVAL */
int  cpu_info(uint32_t cpu, struct bf_cpu_info *out);	/* the number of CPUs, or E_INVAL */
void cpu_lock_reset(void);		/* every CPU's lock figures to 0 */
void sched_start(void) __attribute__((noreturn));

/* ipc.c */
int  ipc_call(struct task *t, uint32_t cap, uint32_t timeout_ms, const struct msg *m);
int  ipc_recv(struct task *t, uint32_t cap);
int  ipc_reply(struct task *t, const struct msg *m);
int  ipc_fastpath(struct task *t);	/* SYS_CALL, SYS_REPLY_RECV: 1 done, 0 take syscall_dispatch */
int  ipc_notify(struct task *t, uint32_t cap, uint32_t bits);
int  ipc_wait(struct task *t, uint32_t cap, int block, uint32_t timeout_ms);
int  ipc_notify_bind(struct task *t, uint32_t cap);
void ipc_tick(void);			/* timer: end the waits whose time is up */

/* ipc_obj.c: endpoints and notifications as objects */
int  ipc_obj_create(struct task *t, int type, struct cap *out);	/* index, E_NOMEM, E_QUOTA */
void ipc_obj_ref(const struct cap *c, int delta);	/* a capability to it came / went */
void ipc_obj_owner_gone(struct task *t);
struct endpoint *ipc_endpoint_of(struct task *t, uint32_t slot, int right, uint32_t *badge);
struct notification *ipc_notify_of(struct task *t, uint32_t slot, int right, int *index);
void ipc_notify_obj(struct notification *n, uint32_t bits);
void ipc_task_gone(struct task *t);
void ipc_set_result(struct task *t, int status, const struct msg *m);

/* code.c */
int  code_install(struct task *t, struct task *x, uint32_t src, uint32_t n, uint32_t dst, uint32_t kind);
int  code_dispatch_set(struct task *x, uint32_t idx, uint32_t val, uint32_t flags);
/* x is in the kernel on its CPU, or on none: do its waiting dispatch
 * stores (the return to its code is an iret, which serializes) */
void code_dispatch_flush(struct task *x);
/* x is stopped (its registers in x->tf): unmap its retired code that no
 * register, stack word or dispatch entry reaches -> pages freed */
uint32_t code_reclaim(struct task *x);

/* arch glue */
void arch_switch_space(struct task *t);	/* CR3 + TSS esp0 + I/O bitmap */
void arch_leave_space(const struct addrspace *as);	/* if loaded, load kernel-only */
void swtch(uint32_t *save_esp, uint32_t new_esp);
void swtch_direct(uint32_t *save_esp, uint32_t *save_ctx, uint32_t new_esp, uint32_t *new_ctx, uint32_t new_tf);
void fast_resume(void);
void trapret(void);
void task_first_run(void);	/* a new task's first return: drop the lock, trapret */
#endif
