/* The harness's native backend (the 32-bit host build, build/host32/):
 * the JIT's code, data and dispatch table, and the runtime ELF, are put at
 * the harness's fixed addresses in this very process -- code read+execute,
 * data read+write, table read-only, as in the guest -- and called
 * directly, timed with rdtsc.  See harness.h.
 *
 * The window 0x00080000-0x08000000 is reserved (PROT_NONE) before main,
 * so nothing of the process lands there; each load clears it and maps
 * what the code needs.  A call runs on this process's stack through a
 * small trampoline (harness_native_call.asm) that sets ECX/EDX for the
 * JIT's register convention.  A fault (SIGSEGV, SIGBUS, SIGILL, SIGFPE) or
 * a hang (2 s, SIGALRM) inside the call jumps back out and is reported as
 * that call's error, so a JIT bug fails one test, not the whole run. */
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/time.h>

#include "tests/jit/diff/harness.h"

#define WINDOW_LO 0x00080000u
#define WINDOW_HI 0x08000000u
#define CALL_SECONDS 2

uint64_t jh_trampoline(uint32_t entry, const uint32_t *words, uint32_t nw, uint32_t ecx, uint32_t edx);

static int reserved;
static sigjmp_buf escape;
static volatile sig_atomic_t in_call;

static void on_fault(int sig)
{
	if (in_call)
		siglongjmp(escape, sig);
	signal(sig, SIG_DFL);
	raise(sig);
}

__attribute__((constructor)) static void reserve_window(void)
{
	void *p = mmap((void *)WINDOW_LO, WINDOW_HI - WINDOW_LO, PROT_NONE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED_NOREPLACE, -1, 0);
	reserved = p == (void *)WINDOW_LO;
	static uint8_t altstack[64 * 1024];
	stack_t ss = { .ss_sp = altstack, .ss_size = sizeof altstack };
	sigaltstack(&ss, 0);
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_fault;
	sa.sa_flags = SA_ONSTACK | SA_NODEFER;
	int sigs[] = { SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGALRM, SIGTRAP };
	for (unsigned i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
		sigaction(sigs[i], &sa, 0);
}

bool jh_native(void) { return true; }

static uint32_t pg(uint32_t n) { return (n + 0xfff) & ~0xfffu; }

/* Clear the whole window back to nothing mapped (reserved, no access). */
static void clear_window(void)
{
	mmap((void *)WINDOW_LO, WINDOW_HI - WINDOW_LO, PROT_NONE,
	     MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED, -1, 0);
}

/* len bytes at va (page-rounded), given these contents, then `prot`. */
static int place(struct jh *h, uint32_t va, const void *bytes, uint32_t len, uint32_t size, int prot)
{
	uint32_t a = va & ~0xfffu, e = pg(va + size + (size == 0));
	if (a < WINDOW_LO || e > WINDOW_HI) {
		snprintf(h->err, sizeof h->err, "0x%08x+%u is outside the native window", va, size);
		return -1;
	}
	if (mprotect((void *)a, e - a, PROT_READ | PROT_WRITE)) {
		snprintf(h->err, sizeof h->err, "mprotect failed at 0x%08x", a);
		return -1;
	}
	memset((void *)a, 0, e - a);
	if (len)
		memcpy((void *)va, bytes, len);
	mprotect((void *)a, e - a, prot);
	return 0;
}

/* The runtime ELF's segments with their own rights (never W and X). */
static int map_runtime(struct jh *h)
{
	for (int i = 0; i < h->nseg; i++) {
		int prot = PROT_READ | ((h->seg[i].flags & 1) ? PROT_EXEC : (h->seg[i].flags & 2) ? PROT_WRITE : 0);
		if (place(h, h->seg[i].vaddr, h->seg[i].bytes, h->seg[i].filesz, h->seg[i].memsz, prot))
			return -1;
	}
	return 0;
}

void jhb_close(struct jh *h)
{
	(void)h;
	if (reserved)
		clear_window();
}

int jhb_load(struct jh *h, const uint32_t *table, uint32_t nt)
{
	if (!reserved) {
		snprintf(h->err, sizeof h->err, "the native window 0x%08x-0x%08x could not be reserved",
			 WINDOW_LO, WINDOW_HI);
		return -1;
	}
	clear_window();
	if (map_runtime(h) ||
	    place(h, JH_CODE, h->o.code, h->o.code_len, h->o.code_len, PROT_READ | PROT_EXEC) ||
	    place(h, JH_DATA, h->o.data, h->o.data_len,
		  h->o.bss_len ? h->o.bss_off + h->o.bss_len : h->o.data_len, PROT_READ | PROT_WRITE) ||
	    place(h, JH_TABLE, table, 4 * nt, 4 * nt, PROT_READ))
		return -1;
	return 0;
}

static inline uint64_t tsc_begin(void)
{
	uint32_t lo, hi;
	__asm__ volatile("lfence\n\trdtsc\n\tlfence" : "=a"(lo), "=d"(hi) :: "memory");
	return (uint64_t)hi << 32 | lo;
}

static inline uint64_t tsc_end(void)
{
	uint32_t lo, hi;
	__asm__ volatile("rdtscp\n\tlfence" : "=a"(lo), "=d"(hi) :: "ecx", "memory");
	return (uint64_t)hi << 32 | lo;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

/* One guarded call; 0, or -1 with h->err. */
static int guarded(struct jh *h, const char *fn, uint32_t entry, const uint32_t *words, int nw,
		   const uint32_t regs[2], uint64_t *ret, uint64_t *cycles)
{
	struct itimerval limit = { { 0, 0 }, { CALL_SECONDS, 0 } }, off = { { 0, 0 }, { 0, 0 } };
	int sig = sigsetjmp(escape, 1);
	if (sig) {
		in_call = 0;
		setitimer(ITIMER_REAL, &off, 0);
		snprintf(h->err, sizeof h->err, "%s: %s", fn,
			 sig == SIGALRM ? "did not return within 2 s" : strsignal(sig));
		return -1;
	}
	setitimer(ITIMER_REAL, &limit, 0);
	in_call = 1;
	uint64_t t0 = tsc_begin();
	*ret = jh_trampoline(entry, words, (uint32_t)nw, regs[0], regs[1]);
	uint64_t t1 = tsc_end();
	in_call = 0;
	setitimer(ITIMER_REAL, &off, 0);
	*cycles = t1 - t0;
	return 0;
}

/* `repeat` calls (at least one), the data restored before each (the
 * module's globals as the image had them); the least and the median
 * cycles go to h. */
static int timed(struct jh *h, const char *fn, uint32_t entry, const uint32_t *words, int nw,
		 const uint32_t regs[2], const uint8_t *data, uint32_t data_len, uint64_t *ret)
{
	uint32_t n = h->repeat ? h->repeat : 1;
	uint64_t *c = malloc(sizeof *c * n);
	if (!c)
		return -1;
	for (uint32_t i = 0; i < n; i++) {
		if (data_len)
			memcpy((void *)JH_DATA, data, data_len);
		if (h->o.bss_len)	/* and the bss zero again */
			memset((void *)(JH_DATA + h->o.bss_off), 0, h->o.bss_len);
		if (guarded(h, fn, entry, words, nw, regs, ret, &c[i])) {
			free(c);
			return -1;
		}
	}
	qsort(c, n, sizeof *c, cmp_u64);
	h->cycles_min = c[0];
	h->cycles_median = c[n / 2];
	free(c);
	return 0;
}

int jhb_call(struct jh *h, const char *fn, uint32_t entry, const uint32_t *words, int nw,
	     const uint32_t regs[2], uint64_t *ret)
{
	return timed(h, fn, entry, words, nw, regs, h->o.data, h->o.data_len, ret);
}

int jh_call_native(struct jh *h, const char *fn, const uint32_t *args, int nargs, uint64_t *ret)
{
	uint32_t entry = jh_resolve(h, fn), regs[2] = { 0, 0 };
	if (!entry) {
		snprintf(h->err, sizeof h->err, "no symbol %s", fn);
		return -1;
	}
	clear_window();
	if (map_runtime(h))
		return -1;
	return timed(h, fn, entry, args, nargs, regs, 0, 0, ret);
}

int jhb_install(struct jh *h, uint32_t base, const uint8_t *code, uint32_t len, uint32_t slot, uint32_t entry)
{
	if (place(h, base, code, len, 0x100000, PROT_READ | PROT_EXEC))
		return -1;
	mprotect((void *)(JH_TABLE + (4 * slot & ~0xfffu)), 0x1000, PROT_READ | PROT_WRITE);
	((volatile uint32_t *)JH_TABLE)[slot] = entry;
	mprotect((void *)(JH_TABLE + (4 * slot & ~0xfffu)), 0x1000, PROT_READ);
	return 0;
}

void jhb_read(struct jh *h, uint32_t addr, void *buf, uint32_t n)
{
	(void)h;
	memcpy(buf, (const void *)addr, n);
}
