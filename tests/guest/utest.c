/* utest: the ring-3 side of the kernel's QEMU integration tests.  init
 * spawns it with a role number (the spawn argument) and the capabilities
 * that role needs; see servers/init/selftest.c for what each role proves. */
#include <stdint.h>
#include "lib/user/sys.h"

#include "tests/guest/roles.h"

#define LABEL_PING 0x100
#define LABEL_STOP 0xDEAD
#define HEAP ((uint8_t *)USER_HEAP_BASE)

static const char read_only[] = "this string lives on a read-only page";
static uint8_t data_page[64] = { 0xC3 };	/* "ret", but on an NX page */
volatile uint32_t sink;

static void ping_server(void)
{
	struct bf_msg m;
	int r = bf_recv(0, &m);
	for (;;) {
		if (r < 0) {
			bf_printf("utest: server recv failed: %s\n", bf_strerror(r));
			bf_exit(1);
		}
		if (m.label == LABEL_STOP) {
			m.label = 0;
			bf_reply(&m);
			bf_exit(0);
		}
		/* a reply that depends on every word and on the badge */
		m.label = m.label + 1;
		m.w[0] = m.w[0] + 1;
		m.w[1] = m.w[1] ^ 0x5A5A5A5Au;
		m.w[2] = m.w[2] * 3u;
		m.w[3] = m.w[3] - 7u + m.badge;
		r = bf_reply_recv(0, &m);
	}
}

static int ping_client(uint32_t calls)
{
	for (uint32_t i = 0; i < calls; i++) {
		struct bf_msg m = { LABEL_PING, { i, i * 7u, i ^ 0xFFFFu, 1000u + i }, 0 };
		int r = bf_call(0, &m);
		if (r < 0 || m.label != LABEL_PING + 1 || m.w[0] != i + 1 ||
		    m.w[1] != ((i * 7u) ^ 0x5A5A5A5Au) || m.w[2] != (i ^ 0xFFFFu) * 3u ||
		    m.w[3] != 1000u + i - 7u + 42u) {
			bf_printf("utest: call %u bad reply (r=%d label=%x w=%x %x %x %x)\n",
				  i, r, m.label, m.w[0], m.w[1], m.w[2], m.w[3]);
			return 1;
		}
	}
	struct bf_msg stop = { LABEL_STOP, { 0, 0, 0, 0 }, 0 };
	bf_call(0, &stop);
	bf_printf("utest: %u IPC round trips with correct payloads\n", calls);
	return 0;
}

/* Receives a granted pair of pages, checks them, then a read-only shared
 * page, which it tries to write: that must kill it. */
static void grant_server(void)
{
	struct bf_msg m;
	if (bf_recv(0, &m) < 0 || !(m.label & MSG_GRANT) || m.w[3] != 2)
		bf_exit(2);
	uint8_t *p = (uint8_t *)m.w[2];
	uint32_t sum = 0;
	for (uint32_t i = 0; i < 2 * PAGE_SIZE; i++) {
		if (p[i] != (uint8_t)(i * 13 + 1))
			bf_exit(3);
		sum += p[i];
	}
	p[5] = 0x77;		/* granted pages are ours now, writable */
	m.label = 1;
	m.w[0] = sum;
	m.w[1] = p[5];
	bf_reply_recv(0, &m);
	if (!(m.label & MSG_SHARE_RO))
		bf_exit(4);
	volatile uint8_t *ro = (uint8_t *)m.w[2];
	if (ro[0] != 0xAB)
		bf_exit(5);
	bf_printf("utest: read-only share seen, now writing it\n");
	ro[0] = 1;		/* must be fatal: WRITE_RO */
	bf_exit(6);
}

static int grant_client(void)
{
	if (bf_map_anon(USER_HEAP_BASE, 3, MAP_READ | MAP_WRITE))
		return 10;
	uint32_t expect = 0;
	for (uint32_t i = 0; i < 2 * PAGE_SIZE; i++) {
		HEAP[i] = (uint8_t)(i * 13 + 1);
		expect += HEAP[i];
	}
	struct bf_msg m = { MSG_GRANT | 1, { 0, 0, USER_HEAP_BASE, 2 }, 0 };
	if (bf_call(0, &m) < 0 || m.w[0] != expect || m.w[1] != 0x77)
		return 11;
	/* the grant moved the pages: they are no longer ours */
	if (bf_write((const char *)HEAP, 1) != E_FAULT)
		return 12;
	HEAP[2 * PAGE_SIZE] = 0xAB;
	struct bf_msg s = { MSG_SHARE_RO | 2, { 0, 0, USER_HEAP_BASE + 2 * PAGE_SIZE, 1 }, 0 };
	int r = bf_call(0, &s);
	if (r != E_DEAD)
		return 13;	/* the server died writing our page */
	if (HEAP[2 * PAGE_SIZE] != 0xAB)
		return 14;	/* and our copy is untouched */
	/* bad grants are refused before anything moves */
	struct bf_msg bad = { MSG_GRANT | 1, { 0, 0, USER_HEAP_BASE + 123, 1 }, 0 };
	if (bf_call(0, &bad) != E_INVAL)
		return 15;
	struct bf_msg code = { MSG_GRANT | 1, { 0, 0, USER_BASE, 1 }, 0 };
	if (bf_call(0, &code) != E_PERM)
		return 16;	/* executable pages never travel */
	bf_printf("utest: grant and read-only share behaved\n");
	return 0;
}

static void echo_server(void)
{
	struct bf_msg m;
	int r = bf_recv(0, &m);
	for (;;) {
		if (r >= 0)
			m.w[0] += 1;
		r = bf_reply_recv(0, &m);
	}
}

#pragma GCC diagnostic ignored "-Winfinite-recursion"
/* Holds only a receive right to the endpoint in slot 0: calling must be
 * refused, as must calling through empty or out-of-range slots. */
static int no_right(void)
{
	struct bf_msg m = { 1, { 0, 0, 0, 0 }, 0 };
	if (bf_call(0, &m) != E_BADCAP || bf_call(1, &m) != E_BADCAP ||
	    bf_call(0xFFFFFFFFu, &m) != E_BADCAP)
		return 1;
	bf_printf("utest: calls without a send right were refused\n");
	return 0;
}

/* xorshift32: a fixed seed gives the same syscall sequence every run. */
static uint32_t rng_state;
static uint32_t rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 17;
	rng_state ^= rng_state << 5;
	return rng_state;
}

static uint32_t interesting(void)
{
	static const uint32_t v[] = {
		0, 1, 2, 31, 32, 4096, 0x7FFFFFFF, 0x80000000u, 0xFFFFFFFFu,
		0x100000, 0x3FFFF000, USER_BASE, USER_BASE + 0x1000, USER_HEAP_BASE,
		USER_HEAP_BASE + 0x1000, USER_DISPATCH_VA, USER_CODE_BASE, USER_GRANT_BASE,
		USER_STACK_TOP - 64, USER_STACK_TOP, USER_TOP - 1, USER_TOP,
	};
	switch (rnd() % 4) {
	case 0: return rnd();
	case 1: return rnd() % 64;
	default: return v[rnd() % (sizeof v / sizeof v[0])];
	}
}

/* Random syscalls with random and boundary arguments.  Calls that may
 * block for good (receive, wait, call, blocking read) or end the task get
 * capability slots that cannot be valid, so they must fail, not block.
 * Three ways to run (role):
 *   ROLE_SYSCALL_FUZZ          no capabilities at all;
 *   ROLE_SYSCALL_FUZZ_CAPS     real ones (init gives slot 0: an endpoint to
 *                              an echo server, 1: a notification, 2: an
 *                              unstarted task): calls and waits on them
 *                              carry short time limits;
 *   ROLE_SYSCALL_FUZZ_MODULE   under the module syscall surface: every
 *                              call but exit/notify/console write must be
 *                              E_PERM, or the exit status counts it. */
static int syscall_fuzz(uint32_t role, uint32_t seed, uint32_t count)
{
	int caps = role == ROLE_SYSCALL_FUZZ_CAPS, module = role == ROLE_SYSCALL_FUZZ_MODULE;
	rng_state = seed;
	bf_printf("utest: syscall fuzzer (%s), seed %u, %u calls\n",
		  caps ? "real capabilities" : module ? "module surface" : "no capabilities", seed, count);
	uint32_t errors = 0, violations = 0;
	for (uint32_t i = 0; i < count; i++) {
		uint32_t nr = rnd() % (SYS_COUNT + 3);
		uint32_t a[6];
		for (int k = 0; k < 6; k++)
			a[k] = interesting();
		switch (nr) {
		case SYS_EXIT:
			continue;
		case SYS_CALL:
			a[0] = caps ? CALL_CAP(rnd() % 4, 1 + rnd() % 20) : NCAPS + (a[0] % 1000);
			a[1] &= ~MSG_GRANT;	/* giving its own pages away would end it, not the kernel */
			break;
		case SYS_WAIT:
			a[0] = caps ? rnd() % 4 : NCAPS + (a[0] % 1000);
			a[1] = 1 + rnd() % 20;	/* a real notification: a short wait */
			break;
		case SYS_RECV: case SYS_REPLY_RECV:
			a[0] = NCAPS + (a[0] % 1000);
			break;
		case SYS_CONSOLE_READ:
			a[2] = 1;
			break;
		case SYS_CONSOLE_WRITE:
			a[1] %= 8;	/* keep the console readable */
			break;
		}
		int r = bf_sys((int)nr, a[0], a[1], a[2], a[3], a[4], a[5]);
		if (r < 0)
			errors++;
		if (module && nr != SYS_NOTIFY && nr != SYS_CONSOLE_WRITE && r != E_PERM) {
			if (violations++ < 5)
				bf_printf("\nutest: module surface: syscall %u returned %d, not E_PERM\n", nr, r);
		}
	}
	bf_printf("\nutest: %u syscalls done, %u refused with an error\n", count, errors);
	return (int)violations;
}

/* Endpoints and notifications until the kernel says no: the quota must
 * stop it (E_QUOTA) long before the tables are full.  Exit status: how
 * many it made, or 100 + the error when it was not E_QUOTA. */
static int object_hog(void)
{
	int made = 0, r;
	while ((r = (made & 1) ? bf_notify_create() : bf_endpoint_create()) >= 0 || r == E_NOSPC) {
		if (r == E_NOSPC)
			break;	/* out of capability slots first: delete to go on */
		made++;
	}
	if (r == E_NOSPC)
		return 200;
	return r == E_QUOTA ? made : 100 - r;
}


/* Round trips to the ping server; under -icount shift=0 rdtsc counts
 * guest instructions, so the figure repeats exactly. */
static int bench_client(uint32_t calls, uint32_t cross)
{
	struct bf_msg m = { LABEL_PING, { 0, 0, 0, 0 }, 0 };
	bf_call(0, &m);		/* warm up: page tables, caches of QEMU */
	uint64_t t0 = bf_rdtsc();
	for (uint32_t i = 0; i < calls; i++) {
		m.label = LABEL_PING;
		bf_call(0, &m);
	}
	uint64_t t1 = bf_rdtsc();
	uint64_t n0 = bf_rdtsc();
	for (uint32_t i = 0; i < calls; i++)
		bf_sys(SYS_NULL, 0, 0, 0, 0, 0, 0);
	uint64_t n1 = bf_rdtsc();
	bf_printf("bench: ipc_round_trip%s %u\n", cross ? "_cross" : "", (uint32_t)((t1 - t0) / calls));
	bf_printf("bench: null_syscall %u\n", (uint32_t)((n1 - n0) / calls));
	struct bf_msg stop = { LABEL_STOP, { 0, 0, 0, 0 }, 0 };
	bf_call(0, &stop);
	return 0;
}

static inline void port_out(uint16_t port, uint8_t v) { __asm__ volatile("outb %0, %1" :: "a"(v), "Nd"(port)); }
static inline uint8_t port_in(uint16_t port) { uint8_t v; __asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port)); return v; }
static inline uint16_t port_inw(uint16_t port) { uint16_t v; __asm__ volatile("inw %1, %0" : "=a"(v) : "Nd"(port)); return v; }

/* A user-level driver's interrupt path: IRQ 14 (slot 0) bound to our own
 * notification, an IDENTIFY sent to the disk with interrupts enabled, the
 * interrupt received as a signal, acknowledged, the data read. */
static int irq_driver(void)
{
	int n = bf_notify_create();
	if (n < 0 || bf_irq_bind(0, (uint32_t)n, 0x4) < 0)
		return 1;
	port_out(0x3F6, 0x00);		/* nIEN clear: the drive may interrupt */
	port_out(0x1F6, 0xA0);		/* master */
	port_out(0x1F7, 0xEC);		/* IDENTIFY DEVICE */
	int bits = bf_wait((uint32_t)n);
	uint8_t st = port_in(0x1F7);	/* reading STATUS acknowledges the drive */
	uint16_t id[256];
	for (int i = 0; i < 256; i++)
		id[i] = port_inw(0x1F0);
	bf_irq_ack(0);
	port_out(0x3F6, 0x02);		/* back to polled mode for the fs server */
	char model[9];
	for (int i = 0; i < 4; i++) {
		model[2 * i] = (char)(id[27 + i] >> 8);
		model[2 * i + 1] = (char)id[27 + i];
	}
	model[8] = 0;
	bf_printf("utest: IRQ 14 arrived as signal %x, status %x, drive '%s'\n", bits, st, model);
	return bits == 0x4 && (st & 0x08) && model[0] == 'Q' ? 0 : 2;
}

/* A hostile task (test=hostile_kernel): slot 0 an endpoint capability
 * badged 42 (init receives on it), slot 1 a task capability to itself.
 * Each attack that works sets a bit of the status it sends init; then it
 * kills itself in the middle of a syscall. */
static uint32_t hostile_attacks(void)
{
	uint32_t status = 0;
	char buf[16];
	/* the console's input belongs to init's shell, not to whoever asks */
	if (bf_read(buf, sizeof buf, 1) != E_PERM)
		status |= 1;
	/* an endpoint is neither an IRQ nor an I/O port right */
	if (bf_irq_bind(0, 0, 1) != E_BADCAP || bf_ioport_grant(1, 0) != E_BADCAP)
		status |= 2;
	/* slot 1 carries RIGHT_CONTROL only: no code into anyone with it,
	 * and a copy cannot add the rights it lacks */
	int self = bf_cap_copy(1, 1, 0, RIGHT_ALL);
	if (bf_code_install(1, USER_HEAP_BASE, 1, USER_CODE_BASE, INSTALL_CODE) != E_BADCAP ||
	    self < 0 || bf_code_install((uint32_t)self, USER_HEAP_BASE, 1, USER_CODE_BASE, INSTALL_CODE) != E_BADCAP ||
	    bf_dispatch_set((uint32_t)self, 0, 0) != E_BADCAP)
		status |= 4;
	/* its own image, dispatch table and code stay out of SYS_UNMAP's reach */
	uint32_t text = (uint32_t)(uintptr_t)hostile_attacks & ~(PAGE_SIZE - 1);
	if (bf_unmap(text, 1) != E_INVAL || bf_unmap(USER_DISPATCH_VA, 1) != E_INVAL ||
	    bf_unmap(USER_CODE_BASE, 1) != E_INVAL || bf_unmap(USER_HEAP_BASE, 0x10000000u) != E_INVAL)
		status |= 8;
	/* no executable anonymous memory, nothing outside the heap, no wrap */
	if (bf_map_anon(USER_HEAP_BASE, 1, MAP_READ | MAP_EXEC) != E_PERM ||
	    bf_map_anon(USER_DISPATCH_VA - PAGE_SIZE, 2, MAP_WRITE) != E_INVAL ||
	    bf_map_anon(0xFFFFF000u, 2, MAP_WRITE) != E_INVAL ||
	    bf_map_anon(0x00100000u, 1, MAP_WRITE) != E_INVAL)
		status |= 16;
	/* code never travels by IPC, read-only pages never become writable:
	 * refused before the call blocks */
	struct bf_msg g = { MSG_GRANT | 1, { 0, 0, text, 1 }, 0 };
	struct bf_msg s = { MSG_SHARE_RW | 1, { 0, 0, (uint32_t)(uintptr_t)read_only & ~(PAGE_SIZE - 1), 1 }, 0 };
	struct bf_msg c = { MSG_CAP | 1, { 0, 1000, 0, 0 }, 0 };
	if (bf_call(0, &g) != E_PERM || bf_call(0, &s) != E_PERM || bf_call(0, &c) != E_BADCAP)
		status |= 32;
	/* the audit is init's: it walks every task's page tables */
	struct bf_audit a;
	if (bf_audit(&a) != E_PERM)
		status |= 64;
	/* EFLAGS.AC set by ring 3 (it would switch SMAP off in the kernel):
	 * the kernel clears its own copy, and ours comes back untouched */
	uint32_t fl;
	__asm__ volatile("pushf; orl $0x40000, (%%esp); popf; pushf; pop %0" : "=r"(fl) :: "memory", "cc");
	struct bf_mem_info mi;
	int r = bf_mem_info(&mi);
	uint32_t after;
	__asm__ volatile("pushf; pop %0; pushf; andl $~0x40000, (%%esp); popf" : "=r"(after) :: "memory", "cc");
	if (!(fl & 0x40000) || r != 0 || mi.frames_total == 0 || !(after & 0x40000))
		status |= 128;
	return status;
}

static int hostile(void)
{
	uint32_t status = hostile_attacks();
	/* a badged capability keeps its badge when copied: a client must not
	 * mint another client's badge; init checks what it receives */
	int k = bf_cap_copy(1, 0, 7, RIGHT_SEND);
	struct bf_msg m = { 1, { status, 0, 0, 0 }, 0 };
	bf_call(k >= 0 ? (uint32_t)k : 0, &m);
	bf_task_kill(1);	/* itself, mid-syscall: it must not come back */
	return 99;
}

/* See roles.h: read the page dispatch entry 0 names until killed. */
static __attribute__((noreturn)) int tlb_reader(void)
{
	const volatile uint32_t *dispatch = (const volatile uint32_t *)USER_DISPATCH_VA;
	struct tlb_report *r = (struct tlb_report *)TLB_REPORT_VA;
	uint32_t newest[2] = { 0, 0 };
	for (;;) {
		uint32_t va = dispatch[0];
		const volatile uint32_t *page = (const volatile uint32_t *)va;
		uint32_t gen = page[0], tag = page[1];
		uint32_t k = va == TLB_VA_B;
		if (tag != va)
			r->wrong_page++;
		if (gen < newest[k])
			r->stale++;
		else
			newest[k] = gen;
		r->seen_va = va;
		r->seen_gen = gen;
		if ((++r->count & 15) == 0)
			bf_yield();	/* on one CPU, init gets its turn */
	}
}

/* A new task's FPU state is what FNINIT gives, MXCSR 0x1F80, and every
 * x87 and SSE register zero: nothing of the tasks before it shows.  Here,
 * not in utest_fpu.c: this file has no SSE code that could run first. */
static uint8_t fx[512] __attribute__((aligned(16)));
static int fp_fresh(void)
{
	__asm__ volatile("fxsave %0" : "=m"(fx));
	uint32_t fcw = fx[0] | fx[1] << 8, fsw = fx[2] | fx[3] << 8, ftw = fx[4];
	uint32_t mxcsr = fx[24] | fx[25] << 8 | (uint32_t)fx[26] << 16 | (uint32_t)fx[27] << 24;
	uint32_t dirty = 0;
	for (int i = 32; i < 32 + 8 * 16 + 8 * 16; i++)	/* st0-7 / mm0-7, xmm0-7 */
		dirty += fx[i] != 0;
	bf_printf("utest: fresh FPU state: fcw %x fsw %x tags %x mxcsr %x, %u register bytes not zero\n",
		  fcw, fsw, ftw, mxcsr, dirty);
	return fcw != 0x037F || fsw != 0 || ftw != 0 || mxcsr != 0x1F80 || dirty != 0;
}

int fp_worker(uint32_t seed);	/* utest_fpu.c */
int fp_fault(uint32_t role);
int printf_role(void);		/* utest_printf.c */

/* See roles.h: count wakeups, until killed. */
static __attribute__((noreturn)) int wakee(void)
{
	struct wake_report *r = (struct wake_report *)WAKE_REPORT_VA;
	for (;;) {
		bf_wait(0);
		r->count++;
	}
}

/* See roles.h: in the kernel, zeroing pages under the lock, nearly all the time. */
static __attribute__((noreturn)) int lock_hog(void)
{
	for (;;) {
		if (bf_map_anon(USER_HEAP_BASE, LOCK_HOG_PAGES, MAP_READ | MAP_WRITE) == 0)
			bf_unmap(USER_HEAP_BASE, LOCK_HOG_PAGES);
		for (uint32_t i = 0; i < LOCK_HOG_GAP; i++)
			sink++;	/* the lock free for a while: others get it */
	}
}

/* See roles.h: f(RECLAIM_DEPTH) through dispatch entry 0, until killed. */
static __attribute__((noreturn)) int recurser(void)
{
	const volatile uint32_t *dispatch = (const volatile uint32_t *)USER_DISPATCH_VA;
	struct reclaim_report *r = (struct reclaim_report *)RECLAIM_REPORT_VA;
	for (;;) {
		uint32_t (*f)(uint32_t) = (uint32_t (*)(uint32_t))dispatch[0];
		uint32_t v = f(RECLAIM_DEPTH);
		r->last = v;
		r->wrong += v != RECLAIM_DEPTH;
		r->rounds++;
	}
}

static uint32_t recurse(uint32_t n)
{
	volatile uint8_t pad[512];
	pad[0] = (uint8_t)n;
	return recurse(n + 1) + pad[0];
}

int main(uint32_t arg)
{
	uint32_t role = arg & 0xFF, seed = arg >> 8;	/* a role, and a seed for the fuzzers */
	switch (role) {
	case ROLE_PING_SERVER: ping_server(); break;
	case ROLE_PING_CLIENT: return ping_client(10000);
	case ROLE_GRANT_SERVER: grant_server(); break;
	case ROLE_GRANT_CLIENT: return grant_client();
	case ROLE_ECHO_SERVER: echo_server(); break;
	case ROLE_PORT_IO_OK: {
		uint8_t v;
		__asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"((uint16_t)0x1F7));
		return 0;
	}
	case ROLE_NO_RIGHT: return no_right();
	case ROLE_IRQ_DRIVER: return irq_driver();
	case ROLE_HOSTILE: return hostile();
	case ROLE_SYSCALL_FUZZ: case ROLE_SYSCALL_FUZZ_CAPS: case ROLE_SYSCALL_FUZZ_MODULE:
		return syscall_fuzz(role, seed ? seed : 0x5EED1234u, 100000);
	case ROLE_OBJECT_HOG: return object_hog();
	case ROLE_SILENT_SERVER: {	/* takes a request, never answers */
		struct bf_msg m;
		int n = bf_notify_create();
		bf_recv(0, &m);
		for (;;)
			bf_wait((uint32_t)n);
	}
	case ROLE_BENCH_CLIENT: return bench_client(1000, seed);
	case ROLE_TLB_READER: return tlb_reader();
	case ROLE_RECURSER: return recurser();
	case ROLE_WAKEE: return wakee();
	case ROLE_LOCK_HOG: return lock_hog();
	case ROLE_FP_FRESH: return fp_fresh();
	case ROLE_FP_WORKER: return fp_worker(seed);
	case ROLE_FP_XM: case ROLE_FP_MF: return fp_fault(role);
	case ROLE_PRINTF: return printf_role();
	case ROLE_WRITE_RO: *(volatile char *)read_only = 'X'; break;
	case ROLE_EXEC_DATA: ((void (*)(void))data_page)(); break;
	case ROLE_READ_KERNEL: sink = *(volatile uint32_t *)0x100000; break;
	case ROLE_CLI: __asm__ volatile("cli"); break;
	case ROLE_DIVIDE: { volatile int z = 0; sink = 10 / z; break; }
	case ROLE_STACK_OVERFLOW: sink = recurse(0); break;
	case ROLE_SPIN: for (;;) sink++;
	case ROLE_PORT_IO: { uint8_t v; __asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"((uint16_t)0x1F7)); sink = v; break; }
	case ROLE_UD: __asm__ volatile("ud2"); break;
	case ROLE_NULL: sink = *(volatile uint32_t *)0; break;
	}
	bf_printf("utest: role %u survived, which it must not\n", role);
	return 99;
}
