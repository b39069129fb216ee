/* The roles utest plays in the kernel's integration tests: init spawns it
 * with one as the argument (bits 0-7; bits 8-31: a seed for the fuzzers)
 * and the capabilities the role needs.  Shared by tests/guest/utest.c and
 * servers/init/selftest*.c. */
#ifndef TESTS_GUEST_ROLES_H
#define TESTS_GUEST_ROLES_H
enum {
	ROLE_PING_SERVER = 1, ROLE_PING_CLIENT = 2,
	ROLE_GRANT_SERVER = 3, ROLE_GRANT_CLIENT = 4,
	ROLE_ECHO_SERVER = 5, ROLE_PORT_IO_OK = 6, ROLE_NO_RIGHT = 7,
	ROLE_SYSCALL_FUZZ = 8, ROLE_BENCH_CLIENT = 9, ROLE_IRQ_DRIVER = 20, ROLE_HOSTILE = 21,
	ROLE_SYSCALL_FUZZ_MODULE = 22, ROLE_SYSCALL_FUZZ_CAPS = 23, ROLE_OBJECT_HOG = 24,
	ROLE_SILENT_SERVER = 25,
	ROLE_FP_WORKER = 26, ROLE_FP_FRESH = 27, ROLE_FP_XM = 28, ROLE_FP_MF = 29,
	ROLE_PRINTF = 30, ROLE_TLB_READER = 31, ROLE_RECURSER = 32,
	ROLE_WAKEE = 33, ROLE_LOCK_HOG = 34,
	ROLE_WRITE_RO = 10, ROLE_EXEC_DATA, ROLE_READ_KERNEL, ROLE_CLI,
	ROLE_DIVIDE, ROLE_STACK_OVERFLOW, ROLE_SPIN, ROLE_PORT_IO, ROLE_UD,
	ROLE_NULL,
};

/* ROLE_TLB_READER (servers/init/selftest_smp.c): it reads, over and over,
 * the two words of the page its dispatch entry 0 names -- a generation
 * and the page's own address -- and reports in a page init installed at
 * TLB_REPORT_VA (init keeps a read-only view).  Generations only grow per
 * address; a word from a page that is no longer mapped there would show
 * an older generation or another page's address. */
#define TLB_REPORT_VA 0x50000000u
#define TLB_VA_A      0x60100000u
#define TLB_VA_B      0x60101000u
struct tlb_report {
	volatile uint32_t count;	/* reads done */
	volatile uint32_t seen_va, seen_gen;	/* the last one */
	volatile uint32_t stale;	/* a generation older than one seen at that address */
	volatile uint32_t wrong_page;	/* a page that says it is at another address */
};

/* ROLE_RECURSER (test=reclaim, servers/init/selftest_smp.c): calls, over
 * and over, the function its dispatch entry 0 names with RECLAIM_DEPTH.
 * Every version init installs returns its argument by calling itself
 * through entry 0 with the argument less one, so a round of RECLAIM_DEPTH
 * levels runs whichever versions the entry names meanwhile, and returns
 * into each version it came from.  It reports at RECLAIM_REPORT_VA. */
#define RECLAIM_REPORT_VA 0x50000000u
#define RECLAIM_DEPTH 1000
struct reclaim_report {
	volatile uint32_t rounds;	/* rounds done */
	volatile uint32_t wrong;	/* rounds that did not return RECLAIM_DEPTH */
	volatile uint32_t last;		/* the last result */
};

/* ROLE_LOCK_HOG (test=tick, servers/init/selftest_smp.c): maps and
 * unmaps LOCK_HOG_PAGES zeroed pages over and over, so the CPU it runs on
 * holds the big kernel lock most of the time, until killed; between
 * rounds it counts to LOCK_HOG_GAP in ring 3, so other CPUs get it too. */
#define LOCK_HOG_PAGES 256
#define LOCK_HOG_GAP 20000

/* ROLE_WAKEE (test=wake, servers/init/selftest_smp.c): waits on the
 * notification in its slot 0 and counts each wakeup at WAKE_REPORT_VA. */
#define WAKE_REPORT_VA 0x50000000u
struct wake_report {
	volatile uint32_t count;
};
#endif
