/* Ring-3 view of the kernel: thin wrappers over the syscalls in
 * lib/include/bareflow/abi.h, console printing, and the IPC connection to
 * a server for the client libraries (lib/conn.h). */
#ifndef BF_USER_SYS_H
#define BF_USER_SYS_H
#include <stdint.h>
#include "lib/include/bareflow/abi.h"
#include "lib/abi_names.h"
#include "lib/conn.h"

int bf_sys(int nr, uint32_t a1, uint32_t a2, uint32_t a3, uint32_t a4, uint32_t a5, uint32_t a6);
int bf_ipc(int nr, uint32_t cap, struct bf_msg *m);

static inline int bf_call(uint32_t cap, struct bf_msg *m) { return bf_ipc(SYS_CALL, cap, m); }
static inline int bf_recv(uint32_t cap, struct bf_msg *m) { return bf_ipc(SYS_RECV, cap, m); }
static inline int bf_reply(struct bf_msg *m) { return bf_ipc(SYS_REPLY, 0, m); }
static inline int bf_reply_recv(uint32_t cap, struct bf_msg *m) { return bf_ipc(SYS_REPLY_RECV, cap, m); }
static inline int bf_notify(uint32_t cap, uint32_t bits) { return bf_sys(SYS_NOTIFY, cap, bits, 0, 0, 0, 0); }
static inline int bf_wait(uint32_t cap) { return bf_sys(SYS_WAIT, cap, 0, 0, 0, 0, 0); }
/* Bits, or E_TIMEOUT once ms have passed with none. */
static inline int bf_wait_timeout(uint32_t cap, uint32_t ms) { return bf_sys(SYS_WAIT, cap, ms ? ms : 1, 0, 0, 0, 0); }
static inline int bf_notify_bind(uint32_t cap) { return bf_sys(SYS_NOTIFY_BIND, cap, 0, 0, 0, 0, 0); }
static inline int bf_poll(uint32_t cap) { return bf_sys(SYS_POLL, cap, 0, 0, 0, 0, 0); }
static inline int bf_yield(void) { return bf_sys(SYS_YIELD, 0, 0, 0, 0, 0, 0); }
static inline int bf_endpoint_create(void) { return bf_sys(SYS_ENDPOINT_CREATE, 0, 0, 0, 0, 0, 0); }
static inline int bf_notify_create(void) { return bf_sys(SYS_NOTIFY_CREATE, 0, 0, 0, 0, 0, 0); }
static inline int bf_cap_copy(uint32_t task, uint32_t src, uint32_t badge, uint32_t rights)
{ return bf_sys(SYS_CAP_COPY, task, src, badge, rights, 0, 0); }
static inline int bf_cap_delete(uint32_t cap) { return bf_sys(SYS_CAP_DELETE, cap, 0, 0, 0, 0, 0); }
static inline int bf_task_start(uint32_t task) { return bf_sys(SYS_TASK_START, task, 0, 0, 0, 0, 0); }
static inline int bf_task_kill(uint32_t task) { return bf_sys(SYS_TASK_KILL, task, 0, 0, 0, 0, 0); }
/* cause: DEATH_DEADLINE or DEATH_INTERRUPTED, said in the death report */
static inline int bf_task_kill_cause(uint32_t task, uint32_t cause) { return bf_sys(SYS_TASK_KILL, task, cause, 0, 0, 0, 0); }
static inline int bf_task_info(uint32_t idx, struct bf_task_info *i)
{ return bf_sys(SYS_TASK_INFO, idx, (uint32_t)i, 0, 0, 0, 0); }
static inline int bf_task_info_cap(uint32_t cap, struct bf_task_info *i)
{ return bf_sys(SYS_TASK_INFO, cap, (uint32_t)i, 1, 0, 0, 0); }
static inline int bf_reap(struct bf_death *d) { return bf_sys(SYS_REAP, (uint32_t)d, 0, 0, 0, 0, 0); }
static inline int bf_map_anon(uint32_t va, uint32_t n, uint32_t fl) { return bf_sys(SYS_MAP_ANON, va, n, fl, 0, 0, 0); }
static inline int bf_unmap(uint32_t va, uint32_t n) { return bf_sys(SYS_UNMAP, va, n, 0, 0, 0, 0); }
static inline int bf_mem_info(struct bf_mem_info *m) { return bf_sys(SYS_MEM_INFO, (uint32_t)m, 0, 0, 0, 0, 0); }
static inline int bf_irq_bind(uint32_t irq, uint32_t notify, uint32_t bit) { return bf_sys(SYS_IRQ_BIND, irq, notify, bit, 0, 0, 0); }
static inline int bf_irq_ack(uint32_t irq) { return bf_sys(SYS_IRQ_ACK, irq, 0, 0, 0, 0, 0); }
static inline int bf_ioport_grant(uint32_t task, uint32_t io) { return bf_sys(SYS_IOPORT_GRANT, task, io, 0, 0, 0, 0); }
static inline int bf_code_install(uint32_t task, uint32_t src, uint32_t n, uint32_t dst, uint32_t kind)
{ return bf_sys(SYS_CODE_INSTALL, task, src, n, dst, kind, 0); }
static inline int bf_dispatch_set(uint32_t task, uint32_t idx, uint32_t val)
{ return bf_sys(SYS_DISPATCH_SET, task, idx, val, 0, 0, 0); }
static inline int bf_dispatch_set_flags(uint32_t task, uint32_t idx, uint32_t val, uint32_t flags)
{ return bf_sys(SYS_DISPATCH_SET, task, idx, val, flags, 0, 0); }
static inline int bf_audit(struct bf_audit *a) { return bf_sys(SYS_AUDIT, (uint32_t)a, 0, 0, 0, 0, 0); }
static inline int bf_poweroff(uint32_t status) { return bf_sys(SYS_POWEROFF, status, 0, 0, 0, 0, 0); }
static inline int bf_bootinfo(char *buf, uint32_t len) { return bf_sys(SYS_BOOTINFO, (uint32_t)buf, len, 0, 0, 0, 0); }
static inline int bf_time(void) { return bf_sys(SYS_TIME, 0, 0, 0, 0, 0, 0); }
static inline int bf_task_limit(uint32_t task, uint32_t mem_pages, uint32_t flags)
{ return bf_sys(SYS_TASK_LIMIT, task, mem_pages, flags, 0, 0, 0); }
/* SECURE_* flags for module tasks created from now on (init only). */
static inline int bf_secure_get(void) { return bf_sys(SYS_SECURE, SECURE_GET, 0, 0, 0, 0, 0); }
static inline int bf_secure_set(uint32_t flags) { return bf_sys(SYS_SECURE, SECURE_SET, flags, 0, 0, 0, 0); }
/* cpu: the CPU the task prefers; flags AFFINITY_PIN: only that one */
static inline int bf_task_affinity(uint32_t task, uint32_t cpu, uint32_t flags)
{ return bf_sys(SYS_TASK_AFFINITY, task, cpu, flags, 0, 0, 0); }
/* The number of CPUs, and cpu's figures in *i (CPU_INFO_RESET: init only) */
static inline int bf_cpu_info(uint32_t cpu, struct bf_cpu_info *i, uint32_t flags)
{ return bf_sys(SYS_CPU_INFO, cpu, (uint32_t)i, flags, 0, 0, 0); }
static inline int bf_task_set_entry(uint32_t task, uint32_t eip, uint32_t arg)
{ return bf_sys(SYS_TASK_SET_ENTRY, task, eip, arg, 0, 0, 0); }
/* The time-stamp counter; under QEMU -icount shift=0 it counts guest
 * instructions, which makes measurements repeat exactly. */
static inline uint64_t bf_rdtsc(void)
{
	uint32_t lo, hi;
	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

int bf_spawn(const char *name, int prio, uint32_t budget_ms, uint32_t arg);
/* A module task (the module syscalls only); mem_pages: its memory limit,
 * 0 for the kernel's default. */
int bf_task_create(const char *name, int prio, uint32_t budget_ms, uint32_t mem_pages);
int bf_write(const char *buf, uint32_t len);
int bf_read(char *buf, uint32_t len, int nonblock);
void bf_exit(int status) __attribute__((noreturn));
int bf_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
const char *bf_strerror(int err);
/* Requests by SYS_CALL on the endpoint capability in slot cap. */
struct bf_conn bf_conn_cap(uint32_t cap);
/* The same with a time limit on every call (E_TIMEOUT when it passes). */
struct bf_conn bf_conn_cap_timeout(uint32_t cap, uint32_t timeout_ms);

#endif
