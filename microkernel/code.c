/* Code installation and the dispatch table: the only way code reaches a
 * task, and the only way a running module's calls change target.
 *
 * Guarantees (docs/syscalls.md, "Code installation"):
 *  - a frame moves from the installer to the target only if the
 *    installer's mapping is its one holder, and for code the installer
 *    loses it: nobody keeps a writable view of code that runs;
 *  - code lands read+execute in the code range, counted against the
 *    target's quota; data lands NX in the heap range;
 *  - the dispatch table is a page the target can read but not write; an
 *    entry is 0 or the address of code installed in the target, and it
 *    changes with one aligned 32-bit store, after every other CPU running
 *    the target has serialized (arch_code_publish), so the target, running
 *    or not, sees it old or new, never torn, and new code only once its
 *    bytes and mappings are visible to it.  With DISPATCH_SAFE_POINT the
 *    store to a target running on another CPU waits for the target's next
 *    safe point instead (code_dispatch_flush), where it is not running
 *    its code and goes back to it by a serializing iret.
 *  - old code is freed only when nothing of the task can reach it:
 *    INSTALL_RETIRE puts it on the task's list, and code_reclaim unmaps
 *    it while the task is stopped (switched out, or in the kernel at a
 *    timer tick) and no register, no word of its stack from its stack
 *    pointer up, and no dispatch entry points into it; nothing may be
 *    dispatched into it meanwhile (docs/jit-protocol.md, "Reclaiming old
 *    code").  A module that hides a code address elsewhere (the heap, an
 *    SSE register) can only fault in its own task: the pages are unmapped
 *    in it before their frames go back;
 *  - the secure JIT (secure.c): nothing lands in or leaves the range of
 *    the runtime the kernel mapped; a verified task's code passes the
 *    verifier first (E_VERIFY), and its dispatch entries are bundle
 *    starts of verified code or runtime exports.
 * The caller has checked the capability (the syscall table's rights
 * column); everything else is checked here, before anything moves.
 * Portable (host-tested in tests/kernel/unit/test_kcode.c). */
#include <string.h>
#include "microkernel/task.h"
#include "microkernel/physmem.h"
#include "microkernel/secure.h"

/* Where a kind may land: code in the code range, data in the heap range. */
static void install_range(uint32_t kind, uint32_t *lo, uint32_t *hi)
{
	int code = kind == INSTALL_CODE || kind == INSTALL_REMOVE || kind == INSTALL_RETIRE;
	*lo = code ? USER_CODE_BASE : USER_HEAP_BASE;
	*hi = code ? USER_CODE_TOP : USER_DISPATCH_VA;
}

/* kind INSTALL_REMOVE: old code goes, and gives its quota back. */
static int remove_code(struct task *x, uint32_t dst, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++)
		if (vm_unmap(&x->as, dst + i * PAGE_SIZE) == 0)
			x->code_pages--;
	return 0;
}

/* Does [va, va + n pages) meet a retired range of x? */
static int retired_at(const struct task *x, uint32_t va, uint32_t n)
{
	for (uint32_t i = 0; i < x->nretired; i++) {
		uint32_t a = x->retired[i].va, b = a + x->retired[i].n * PAGE_SIZE;
		if (va < b && a < va + n * PAGE_SIZE)
			return 1;
	}
	return 0;
}

/* kind INSTALL_RETIRE: installed code goes on x's list and is unmapped by
 * code_reclaim once nothing of x reaches it: now if x is stopped (not
 * running on any CPU: its registers are in x->tf), else at its next
 * timer tick (sched.c).  A full list is E_AGAIN: x's ticks drain it. */
static int retire_code(struct task *x, uint32_t dst, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++) {
		unsigned fl;
		if (vm_lookup(&x->as, dst + i * PAGE_SIZE, 0, &fl) || !(fl & VM_EXEC))
			return E_FAULT;	/* only installed code retires */
	}
	if (retired_at(x, dst, n))
		return E_EXIST;
	if (x->nretired == RETIRE_MAX && x->cpu < 0)
		code_reclaim(x);
	if (x->nretired == RETIRE_MAX)
		return E_AGAIN;
	x->retired[x->nretired].va = dst;
	x->retired[x->nretired].n = n;
	x->nretired++;
	if (x->cpu < 0)
		code_reclaim(x);
	return 0;
}

/* Mark the retired ranges of x that w points into. */
static void mark(const struct task *x, uint32_t w, uint8_t *busy)
{
	for (uint32_t i = 0; i < x->nretired; i++)
		if (w - x->retired[i].va < x->retired[i].n * PAGE_SIZE)
			busy[i] = 1;
}

uint32_t code_reclaim(struct task *x)
{
	if (!x->nretired)
		return 0;
	uint8_t busy[RETIRE_MAX];
	memset(busy, 0, sizeof busy);
	uint32_t lo = 0xFFFFFFFFu, hi = 0;
	for (uint32_t i = 0; i < x->nretired; i++) {
		uint32_t a = x->retired[i].va, b = a + x->retired[i].n * PAGE_SIZE;
		lo = a < lo ? a : lo;
		hi = b > hi ? b : hi;
	}
#define MARK(w) do { uint32_t w_ = (w); if (w_ - lo < hi - lo) mark(x, w_, busy); } while (0)
	/* the registers: eip, and any that may hold an address it will call
	 * or jump to (a dispatch entry loaded before the call) */
	const struct trapframe *tf = x->tf;
	MARK(tf->eip); MARK(tf->eax); MARK(tf->ebx); MARK(tf->ecx);
	MARK(tf->edx); MARK(tf->esi); MARK(tf->edi); MARK(tf->ebp);
	if (x->dispatch) {
		const volatile uint32_t *table = phys_to_virt(x->dispatch);
		for (uint32_t k = 0; k < PAGE_SIZE / 4; k++)
			MARK(table[k]);
	}
	for (uint32_t k = 0; k < x->npend && k < DISPATCH_PEND_MAX; k++)
		MARK(x->pend[k].val);	/* a store still to come (code_dispatch_flush checks it again) */
	/* the stack from its pointer up: return addresses and spills.  A
	 * stack pointer outside the stack (a module that moved its stack)
	 * leaves everything where it is. */
	uint32_t stack_lo = USER_STACK_TOP - USER_STACK_PAGES * PAGE_SIZE;
	uint32_t sp = tf->esp & ~3u;
	if (sp < stack_lo || sp > USER_STACK_TOP)
		return 0;
	while (sp < USER_STACK_TOP) {
		uint32_t page = sp & ~(PAGE_SIZE - 1);
		paddr_t pa;
		if (vm_lookup(&x->as, page, &pa, 0) == 0) {
			const volatile uint32_t *w = phys_to_virt(pa);
			for (uint32_t k = (sp - page) / 4; k < PAGE_SIZE / 4; k++)
				MARK(w[k]);
		}
		sp = page + PAGE_SIZE;
	}
#undef MARK
	uint32_t freed = 0, kept = 0;
	for (uint32_t i = 0; i < x->nretired; i++) {
		if (busy[i]) {
			x->retired[kept++] = x->retired[i];
			continue;
		}
		uint32_t before = x->code_pages;
		remove_code(x, x->retired[i].va, x->retired[i].n);
		freed += before - x->code_pages;
	}
	x->nretired = kept;
	x->code_reclaimed += freed;
	return freed;
}

/* Every source page mapped and held by the installer alone, every
 * destination page free. */
static int check_frames(struct task *t, struct task *x, uint32_t src, uint32_t n, uint32_t dst)
{
	for (uint32_t i = 0; i < n; i++) {
		paddr_t pa;
		if (vm_lookup(&t->as, src + i * PAGE_SIZE, &pa, 0))
			return E_FAULT;
		/* A frame also mapped elsewhere (a shared page, an
		 * INSTALL_DATA_SHARED view, a dispatch table) would leave
		 * someone a writable view of code that runs, or of another
		 * task's data, which no audit of a single address space can see. */
		if (frame_refcount(pa) != 1)
			return E_PERM;
		if (vm_lookup(&x->as, dst + i * PAGE_SIZE, 0, 0) == 0)
			return E_EXIST;
	}
	return 0;
}

int code_install(struct task *t, struct task *x, uint32_t src, uint32_t n, uint32_t dst, uint32_t kind)
{
	uint32_t lo, hi;
	if (x == t)
		return E_PERM;	/* no task installs code into itself */
	if (n == 0 || n > 4096 || (src | dst) & (PAGE_SIZE - 1) || kind >= INSTALL_KINDS)
		return E_INVAL;
	install_range(kind, &lo, &hi);
	if (dst < lo || dst >= hi || n > (hi - dst) / PAGE_SIZE)
		return E_INVAL;
	int r;
	if ((kind == INSTALL_CODE || kind == INSTALL_REMOVE || kind == INSTALL_RETIRE) &&
	    (r = secure_check_range(x, dst, n)))
		return r;
	if (kind == INSTALL_REMOVE)
		return remove_code(x, dst, n);
	if (kind == INSTALL_RETIRE)
		return retire_code(x, dst, n);
	if (kind == INSTALL_CODE && x->code_pages + n > x->code_limit)
		return E_NOSPC;
	if (kind == INSTALL_CODE && retired_at(x, dst, n))
		return E_EXIST;	/* the old code there is not reclaimed yet */
	if ((r = check_frames(t, x, src, n, dst)))
		return r;
	if (kind == INSTALL_CODE && (r = secure_verify_install(t, x, src, n, dst)))
		return r;	/* nothing moved */
	unsigned fl = kind == INSTALL_CODE ? VM_EXEC
		    : kind == INSTALL_DATA || kind == INSTALL_DATA_SHARED ? VM_WRITE : 0;
	for (uint32_t i = 0; i < n; i++) {
		paddr_t pa;
		vm_lookup(&t->as, src + i * PAGE_SIZE, &pa, 0);
		if ((r = vm_map(&x->as, dst + i * PAGE_SIZE, pa, fl))) {
			while (i--)
				vm_unmap(&x->as, dst + i * PAGE_SIZE);
			return r;
		}
	}
	for (uint32_t i = 0; i < n; i++) {
		paddr_t pa;
		vm_lookup(&t->as, src + i * PAGE_SIZE, &pa, 0);
		frame_ref(pa);		/* hold it across the unmap */
		vm_unmap(&t->as, src + i * PAGE_SIZE);
		if (kind == INSTALL_DATA_SHARED)
			vm_map(&t->as, src + i * PAGE_SIZE, pa, 0);	/* read-only view */
		frame_unref(pa);
	}
	if (kind == INSTALL_CODE)
		x->code_pages += n;
	return 0;
}

/* The table page, mapped read-only in x on first use; the task holds a
 * reference of its own besides the mapping's (released in task.c). */
static int dispatch_table(struct task *x, volatile uint32_t **table)
{
	if (!x->dispatch) {
		paddr_t pa = frame_alloc();
		if (!pa)
			return E_NOMEM;
		memset(phys_to_virt(pa), 0, PAGE_SIZE);
		int r = vm_map(&x->as, USER_DISPATCH_VA, pa, 0);
		if (r) {
			frame_unref(pa);
			return r;
		}
		x->dispatch = pa;
	}
	*table = phys_to_virt(x->dispatch);
	return 0;
}

/* May x's entries point at val (0, or installed code, not retired, and
 * for a verified task a bundle start)?  0 or the error. */
static int dispatch_target_ok(struct task *x, uint32_t val)
{
	unsigned fl;
	if (!val)
		return 0;
	if (val < USER_CODE_BASE || val >= USER_CODE_TOP || vm_lookup(&x->as, val, 0, &fl) ||
	    !(fl & VM_EXEC))
		return E_FAULT;	/* only installed code may be dispatched to */
	if (retired_at(x, val, 1))
		return E_FAULT;	/* retired code is on its way out */
	return secure_check_target(x, val, 0);
}

/* The stores x waits for, in order.  Each target is checked again: code
 * removed or retired since its store was asked for is not dispatched to
 * (the entry keeps what it had). */
void code_dispatch_flush(struct task *x)
{
	uint32_t n = x->npend;
	x->npend = 0;
	if (!x->dispatch)
		return;		/* gone with its task */
	volatile uint32_t *table = phys_to_virt(x->dispatch);
	for (uint32_t i = 0; i < n && i < DISPATCH_PEND_MAX; i++)
		if (dispatch_target_ok(x, x->pend[i].val) == 0)
			table[x->pend[i].idx] = x->pend[i].val;
}

int code_dispatch_set(struct task *x, uint32_t idx, uint32_t val, uint32_t flags)
{
	volatile uint32_t *table;
	if (idx >= PAGE_SIZE / 4)
		return E_INVAL;
	int r;
	if ((r = dispatch_target_ok(x, val)))
		return r;
	if ((r = dispatch_table(x, &table)))
		return r;
	/* Running on another CPU and it may wait: the store is done at x's
	 * next safe point -- its next timer tick, in the kernel on its own CPU,
	 * or when it leaves the CPU (sched.c) -- and x goes back
	 * to its code by iret, which serializes: the cross-modifying code
	 * protocol holds without interrupting x's CPU, which under QEMU costs
	 * the module a stall and the caller a wait with the big lock held
	 * (issue 18).  The swap is late by at most a tick. */
	if ((flags & DISPATCH_SAFE_POINT) && val && x->cpu >= 0 && x->npend < DISPATCH_PEND_MAX) {
		x->pend[x->npend].idx = idx;
		x->pend[x->npend].val = val;
		x->npend++;
		return 0;
	}
	/* The code's bytes and page table entries were written before this
	 * call, and x86 stores become visible to every CPU in order, so a CPU
	 * that reads `val` from the table also sees them.  What stores do not
	 * order is instruction fetch: the other CPUs running x serialize
	 * first (arch_code_publish).  Then one aligned store, seen old or new
	 * by a module running on another CPU at the same moment, never torn
	 * (docs/jit-protocol.md, "Swaps on more than one CPU").  Stores still
	 * waiting for a safe point go first, so none lands after this one. */
	if (val || x->npend)
		arch_code_publish(&x->as);
	if (x->npend)
		code_dispatch_flush(x);
	table[idx] = val;	/* one aligned store: the swap */
	return 0;
}
