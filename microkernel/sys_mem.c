/* Syscalls on memory: anonymous pages and unmapping in the caller's own
 * heap and grant window, frame counts, code installation and dispatch
 * entries (code.c does the work; RIGHT_COMPILE on the target was checked
 * by syscall.c), and the W^X audit of every address space (platform
 * holder only, checked by syscall.c). */
#include "microkernel/syscall.h"
#include "microkernel/physmem.h"

/* n pages from va lie inside [lo, hi) (n > 0, va page-aligned). */
static int inside(uint32_t va, uint32_t n, uint32_t lo, uint32_t hi)
{
	return va >= lo && va < hi && n <= (hi - va) / PAGE_SIZE;
}

/* (va, npages, flags): fresh zeroed pages in the task's heap range. */
int sys_map_anon(struct sys *s)
{
	uint32_t va = A1, n = A2, fl = A3;
	if ((fl & MAP_WRITE) && (fl & MAP_EXEC))
		return E_WX;
	if (fl & MAP_EXEC)
		return E_PERM;	/* executable memory comes only from the JIT path */
	if (va & (PAGE_SIZE - 1) || n == 0 || n > 65536)
		return E_INVAL;
	if (!inside(va, n, USER_HEAP_BASE, USER_DISPATCH_VA))
		return E_INVAL;
	return task_map_zeroed(s->t, va, n, (fl & MAP_WRITE) ? VM_WRITE : 0);
}

/* (va, npages): drop mappings in the heap or grant window. */
int sys_unmap(struct sys *s)
{
	uint32_t va = A1, n = A2;
	if (va & (PAGE_SIZE - 1) || n == 0 || n > 65536)
		return E_INVAL;
	if (!inside(va, n, USER_HEAP_BASE, USER_DISPATCH_VA) && !inside(va, n, USER_GRANT_BASE, USER_GRANT_TOP))
		return E_INVAL;
	for (uint32_t i = 0; i < n; i++)
		vm_unmap(&s->t->as, va + i * PAGE_SIZE);
	return 0;
}

int sys_mem_info(struct sys *s)
{
	struct bf_mem_info m = { frames_total(), frames_used(), frames_free(), PAGE_SIZE };
	return copy_to_user(s->t, A1, &m, sizeof m);
}

/* (task, src va, npages, dst va, kind): see code.c. */
int sys_code_install(struct sys *s) { return code_install(s->t, s->x, A2, A3, A4, A5); }

/* (task, index, value, flags): see code.c. */
int sys_dispatch_set(struct sys *s)
{
	if (A4 & ~DISPATCH_SAFE_POINT)
		return E_INVAL;
	return code_dispatch_set(s->x, A2, A3, A4);
}

int sys_audit(struct sys *s)
{
	struct bf_audit a;
	tasks_audit(&a);
	return copy_to_user(s->t, A1, &a, sizeof a);
}
