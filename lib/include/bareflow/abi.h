/* The kernel/user ABI: syscall numbers, error codes, message labels,
 * capability kinds and rights, fault causes, address-space layout.
 * Shared by the microkernel and every ring-3 program.  docs/syscalls.md
 * documents each call; keep the two in step. */
#ifndef BAREFLOW_ABI_H
#define BAREFLOW_ABI_H
#include <stdint.h>

/* ---- Address-space layout (every task) -------------------------------- */
#define KERNEL_LIMIT     0x40000000u	/* 0..1 GiB: kernel, supervisor-only */
#define USER_BASE        0x40000000u	/* ELF images are linked here */
#define USER_HEAP_BASE   0x50000000u	/* sys_map_anon allowed from here */
#define USER_DISPATCH_VA 0x5FFFF000u	/* the module's dispatch table (R) */
#define USER_CODE_BASE   0x60000000u	/* installed JIT code (R+X) */
#define USER_CODE_TOP    0x70000000u
#define USER_GRANT_BASE  0x80000000u	/* pages received by IPC land here */
#define USER_GRANT_TOP   0xA0000000u
#define USER_STACK_TOP   0xBFFF0000u	/* stack grows down; guard page below */
#define USER_STACK_PAGES 16u
#define USER_TOP         0xC0000000u
#define PAGE_SIZE        4096u

/* ---- Syscall numbers (EAX); arguments in EBX ECX EDX ESI EDI EBP ------ */
enum {
	SYS_NULL = 0,		/* () -> 0: measures the trap path */
	SYS_CONSOLE_WRITE,	/* (buf, len) -> bytes written */
	SYS_CONSOLE_READ,	/* (buf, len, nonblock) -> bytes read */
	SYS_EXIT,		/* (status) -> does not return */
	SYS_YIELD,		/* () */
	SYS_CALL,		/* (cap | timeout_ms << 8, label, w0, w1, w2, w3) -> reply in regs */
	SYS_RECV,		/* (cap) -> badge in EBX, message in ECX.. */
	SYS_REPLY,		/* (-, label, w0, w1, w2, w3) */
	SYS_REPLY_RECV,		/* (cap, label, w0, w1, w2, w3) */
	SYS_NOTIFY,		/* (cap, bits) */
	SYS_WAIT,		/* (cap, timeout_ms) -> bits, or E_TIMEOUT; 0 ms = no limit */
	SYS_POLL,		/* (cap) -> bits, never blocks */
	SYS_ENDPOINT_CREATE,	/* () -> cap */
	SYS_NOTIFY_CREATE,	/* () -> cap */
	SYS_CAP_COPY,		/* (task cap, src cap, badge, rights) -> slot in task */
	SYS_CAP_DELETE,		/* (cap) */
	SYS_SPAWN,		/* (name, name_len, prio, budget_ms, arg) -> task cap */
	SYS_TASK_START,		/* (task cap) */
	SYS_TASK_KILL,		/* (task cap, cause: 0 or DEATH_KILLED/DEADLINE/INTERRUPTED) */
	SYS_TASK_INFO,		/* (index or cap, struct bf_task_info *, by_cap) */
	SYS_REAP,		/* (struct bf_death *) -> 0 or E_AGAIN */
	SYS_MAP_ANON,		/* (va, npages, flags) */
	SYS_UNMAP,		/* (va, npages) */
	SYS_MEM_INFO,		/* (struct bf_mem_info *) */
	SYS_IRQ_BIND,		/* (irq cap, notify cap, bit) */
	SYS_IRQ_ACK,		/* (irq cap) */
	SYS_IOPORT_GRANT,	/* (task cap, io cap) */
	SYS_CODE_INSTALL,	/* (task cap, src va, npages, dst va, kind) */
	SYS_DISPATCH_SET,	/* (task cap, index, value, DISPATCH_* flags) */
	SYS_AUDIT,		/* (struct bf_audit *) */
	SYS_POWEROFF,		/* (status) : platform right only */
	SYS_BOOTINFO,		/* (buf, len) -> kernel command line */
	SYS_TIME,		/* () -> ticks since boot (EAX) */
	SYS_TASK_CREATE,	/* (name, name_len, prio, budget_ms, mem_pages) -> module task cap */
	SYS_TASK_SET_ENTRY,	/* (task cap, eip, arg) */
	SYS_NOTIFY_BIND,	/* (notify cap): its signals also end our SYS_RECV */
	SYS_TASK_LIMIT,		/* (task cap, mem_pages, LIMIT_* flags): before its start */
	SYS_SECURE,		/* (op: 0 get / 1 set, SECURE_* flags) -> the flags for new module tasks */
	SYS_TASK_AFFINITY,	/* (task cap, cpu, AFFINITY_* flags): the CPU it prefers */
	SYS_CPU_INFO,		/* (cpu, struct bf_cpu_info *, CPU_INFO_* flags) -> number of CPUs */
	SYS_COUNT
};

/* ---- Errors: syscalls return >= 0 or one of these ---------------------- */
enum {
	E_OK = 0,
	E_INVAL = -1,	/* an argument is out of range */
	E_FAULT = -2,	/* a user pointer is not mapped as required */
	E_NOMEM = -3,	/* out of frames or kernel objects */
	E_PERM = -4,	/* the capability lacks the right */
	E_NOENT = -5,	/* no such object / boot module */
	E_BADCAP = -6,	/* the slot holds no capability of that kind */
	E_DEAD = -7,	/* the partner died during the call */
	E_WX = -8,	/* mapping would be writable and executable */
	E_AGAIN = -9,	/* nothing to return now */
	E_NOSYS = -10,	/* unknown syscall number */
	E_EXIST = -11,	/* the address is already mapped */
	E_NOSPC = -12,	/* the receiver has no room (grant window, code cap) */
	E_BADELF = -13,	/* boot module is not a valid ELF for BareFlow */
	E_TIMEOUT = -14,	/* the wait or call reached its time limit */
	E_QUOTA = -15,	/* the task's memory or kernel-object quota is used up */
	E_VERIFY = -16,	/* the code failed the verifier (docs/secure-jit.md) */
};
/* SYS_CALL's first argument: the capability slot in bits 0-7, and a time
 * limit for the whole call (waiting for the server, then for its reply)
 * in milliseconds in bits 8-31; 0 = none. */
#define CALL_CAP(slot, timeout_ms) ((uint32_t)(slot) | (uint32_t)(timeout_ms) << 8)
#define CALL_TIMEOUT_MAX 0xFFFFFFu
/* The jit server and the profiler answer with codes below E_SERVER_BASE
 * (-200.., -300..), so their clients tell an IPC failure (the request got
 * no answer) from a refusal with bf_ipc_failed().  The fs server's FAT
 * codes overlap the kernel's; its client turns IPC failures into
 * FS_EDEAD / FS_EIPC instead (servers/fs/fs_client.c). */
#define E_SERVER_BASE (-100)
static inline int bf_ipc_failed(int r) { return r < 0 && r > E_SERVER_BASE; }

/* ---- IPC message labels ----------------------------------------------- */
/* The low 20 bits are the protocol's own; the flags ask the kernel to
 * move memory or a capability with the message. */
#define MSG_LABEL_MASK 0x000FFFFFu
#define MSG_GRANT      0x01000000u	/* move pages: w2 = va, w3 = npages */
#define MSG_SHARE_RO   0x02000000u	/* map them read-only too (sender keeps) */
#define MSG_SHARE_RW   0x04000000u	/* map them read-write too */
#define MSG_CAP        0x08000000u	/* copy the capability in slot w1 */
#define MSG_CAP_DROP(r) (((uint32_t)(r) & 0xFu) << 20)	/* ... without these rights */
#define MSG_PAGES_MASK (MSG_GRANT | MSG_SHARE_RO | MSG_SHARE_RW)
#define MSG_MAX_PAGES  256u

/* A message as ring 3 sees it (SYS_CALL, SYS_RECV, replies): the label
 * and four words travel in registers; the badge is what a receive reports
 * (lib/user/syscall.asm fills and reads this layout). */
struct bf_msg {
	uint32_t label, w[4];
	uint32_t badge;
};

/* A receive that ended because the bound notification was signalled:
 * EBX (the badge) is NOTIFY_BADGE and ECX (the label) holds the bits. */
#define NOTIFY_BADGE 0xFFFFFFFFu

/* ---- Capabilities ------------------------------------------------------ */
#define NCAPS 32
enum { CAP_NONE, CAP_ENDPOINT, CAP_NOTIFY, CAP_TASK, CAP_IRQ, CAP_IOPORT, CAP_PLATFORM };
#define RIGHT_SEND    0x01	/* endpoint: call; notify: signal */
#define RIGHT_RECV    0x02	/* endpoint: receive; notify: wait */
#define RIGHT_CONTROL 0x04	/* task: start, kill, give caps */
#define RIGHT_COMPILE 0x08	/* task: install code, set dispatch */
#define RIGHT_ALL     0xFF
/* init's fixed slots, filled by the kernel at boot. */
#define INIT_SLOT_DEATHS   0	/* notification: the INIT_NOTIFY_* bits */
#define INIT_SLOT_PLATFORM 1	/* power off, audit, spawn */
#define INIT_SLOT_IRQ_ATA  2	/* IRQ 14 */
#define INIT_SLOT_IO_ATA   3	/* ports 0x1F0-0x1F7 */
#define INIT_SLOT_IO_ATA2  4	/* port 0x3F6 (device control) */

/* The bits of init's notification (INIT_SLOT_DEATHS). */
#define INIT_NOTIFY_DEATH     0x1	/* a task died: reports wait for SYS_REAP */
#define INIT_NOTIFY_INPUT     0x2	/* console input is waiting */

/* SYS_TASK_LIMIT flags. */
#define LIMIT_MODULE_SYSCALLS 0x1	/* only the module syscalls, as a module task */

/* ---- The secure JIT (docs/secure-jit.md) -------------------------------
 * Flags a module task gets when it is created (SYS_TASK_CREATE), from the
 * kernel's switch: `secure=verify,pin` / `secure=none` on the kernel
 * command line, SYS_SECURE at run time (init).  They never change for a
 * task afterwards.  SECURE_RT is not part of the switch: it says that the
 * kernel mapped the trusted runtime (boot module `rt`) into the task. */
#define SECURE_VERIFY 0x1	/* every code install into the task is verified */
#define SECURE_PIN    0x2	/* syscalls only from the runtime's gate, else killed */
#define SECURE_RT     0x4	/* the runtime is mapped by the kernel at RT_BASE */
#define SECURE_RANDOM 0x8	/* the jit server places functions at random
				   offsets (the kernel only carries the flag) */
#define SECURE_BLIND  0x10	/* the jit server blinds wide constants (ditto) */
#define SECURE_SWITCH (SECURE_VERIFY | SECURE_PIN | SECURE_RANDOM | SECURE_BLIND)
#define SECURE_GET 0		/* SYS_SECURE ops */
#define SECURE_SET 1

/* ---- CPUs (docs/architecture.md, "SMP") ------------------------------- */
#define AFFINITY_PIN     0x1	/* SYS_TASK_AFFINITY: run only there */
#define CPU_INFO_RESET   0x1	/* SYS_CPU_INFO: then zero every CPU's lock figures (init) */
#define CPU_NONE         0xFFFFFFFFu	/* bf_task_info.cpu: not running */

/* ---- Memory flags for sys_map_anon ------------------------------------ */
#define MAP_READ  0x1
#define MAP_WRITE 0x2
#define MAP_EXEC  0x4	/* refused together with MAP_WRITE */

/* ---- Kinds of SYS_CODE_INSTALL (docs/syscalls.md) ---------------------- */
#define INSTALL_CODE        0	/* read+execute in the code range, counted against the quota */
#define INSTALL_DATA        1	/* read+write+NX in the heap range */
#define INSTALL_RODATA      2	/* read-only in the heap range */
#define INSTALL_REMOVE      3	/* unmap code pages at dst (src ignored) */
#define INSTALL_DATA_SHARED 4	/* data; the installer keeps a read-only view */
#define INSTALL_RETIRE      5	/* old code at dst: unmapped once nothing can reach it (src ignored) */
/* SYS_DISPATCH_SET flags.  DISPATCH_SAFE_POINT: if the task runs on another
 * CPU now, store at its next safe point (its next timer tick, or when
 * it leaves that CPU) instead of interrupting that CPU to serialize it
 * first (docs/jit-protocol.md, "Swaps on more than one CPU"). */
#define DISPATCH_SAFE_POINT 1u
#define INSTALL_KINDS       6

/* ---- Fault causes in death reports ------------------------------------ */
enum {
	DEATH_EXIT = 0, DEATH_KILLED, DEATH_PAGE_FAULT, DEATH_WRITE_RO,
	DEATH_EXEC_NX, DEATH_KERNEL_ACCESS, DEATH_STACK_OVERFLOW,
	DEATH_GP, DEATH_UD, DEATH_DIVIDE, DEATH_BUDGET, DEATH_OTHER_TRAP,
	DEATH_DEADLINE,		/* killed by init at its wall-clock deadline */
	DEATH_INTERRUPTED,	/* killed by init: Ctrl-C at the console */
	DEATH_SYSCALL_SITE,	/* a pinned task trapped into the kernel outside the runtime's gate */
	DEATH_FPU,		/* an unmasked x87 (#MF) or SSE (#XM) exception */
	DEATH_CAUSES
};

struct bf_death {
	uint32_t task_id;
	char name[16];
	uint32_t cause;		/* DEATH_* */
	uint32_t status;	/* exit status, or trap number */
	uint32_t eip, cr2, err;
	uint32_t frames_released;
};

/* bf_task_info.state: the kernel's task states (microkernel/task.h), in
 * this order. */
enum {
	TASK_FREE, TASK_NEW, TASK_READY, TASK_SEND, TASK_RECV, TASK_REPLY,
	TASK_WAIT, TASK_INPUT, TASK_ZOMBIE
};

struct bf_task_info {
	uint32_t id;
	char name[16];
	uint32_t state;		/* 0 = no task at this index */
	uint32_t prio;
	uint32_t frames;	/* pages mapped in its address space */
	uint32_t ticks;		/* CPU time used, in timer ticks */
	uint32_t budget;	/* ticks allowed, 0 = unlimited */
	uint32_t secure;	/* SECURE_* flags of the task */
	uint32_t cpu;		/* the CPU it runs on now, or CPU_NONE */
	uint32_t home;		/* the CPU it prefers (SYS_TASK_AFFINITY) */
	uint32_t pinned;	/* runs on its home only */
	uint32_t code_pages;	/* installed code pages it holds */
	uint32_t code_retired;	/* of those, retired and waiting to be freed */
	uint32_t code_reclaimed;	/* code pages freed by reclamation so far */
	uint32_t mem_limit;	/* frames it may hold (page tables too), 0 = no limit */
	uint32_t mem_held;	/* frames it holds now, page tables included */
};
/* SYS_CPU_INFO: one CPU.  Cycles are rdtsc's (guest instructions under
 * -icount shift=0). */
struct bf_cpu_info {
	uint32_t online;
	uint32_t apic_id;
	uint32_t task_id;	/* the task running there, 0 when idle */
	char task[16];
	uint32_t load_pct;	/* busy share of its last full second */
	uint32_t ticks_busy, ticks_all;	/* its timer's ticks since boot */
	uint32_t queued;	/* runnable tasks waiting on its queue */
	uint32_t ipis;		/* IPIs it took */
	uint32_t lock_count;	/* times it held the big kernel lock */
	uint32_t lock_max;	/* its longest hold, cycles */
	uint32_t lock_waits;	/* holds it had to wait for */
	uint32_t pad;
	uint64_t lock_cycles;	/* cycles it held the lock, in total */
	uint64_t lock_spin;	/* cycles it waited for it */
	uint32_t spin_max;	/* its longest wait for it */
	/* interrupts taken from ring 3, entry to exit: what a task running
	 * there lost to the kernel (timer ticks, IPIs) */
	uint32_t irq_n, irq_max;	/* how many, the longest */
	uint32_t irq_max_vec;		/* the longest one's vector */
	uint32_t irq_max_spin;		/* its wait for the lock */
	uint32_t ack_n, ack_max;	/* its waits for other CPUs' acknowledgements */
	uint32_t ticks_deferred;	/* timer ticks that found the lock held: done late, not waited for */
	uint32_t tick_waits;	/* timer ticks that waited for it all the same (TICKS_LATE_MAX late already) */
	uint32_t tick_spin;	/* cycles they waited */
	uint32_t ticks_done_late;	/* late ones done since, by a tick that got the lock */
	uint32_t switches;	/* times it switched tasks by the scheduler (not the IPC handoff) */
	uint32_t pad2;
	uint64_t irq_cycles, ack_cycles;	/* in total */
};

struct bf_mem_info {
	uint32_t frames_total, frames_used, frames_free;
	uint32_t page_size;
};

struct bf_audit {
	uint32_t spaces;	/* address spaces walked */
	uint32_t entries;	/* present leaf entries checked */
	uint32_t wx_violations;	/* writable and executable */
	uint32_t user_kernel;	/* kernel range reachable from ring 3 */
	uint32_t first_bad_va;	/* for the message */
	uint32_t first_bad_task;
};
#endif
