/* User pointers.  Every pointer and length a task hands the kernel is
 * checked page by page against that task's own page tables before the
 * kernel touches it, so a bad argument is E_FAULT and never a kernel page
 * fault.  SMAP (when the CPU has it) forbids any other access to user
 * pages: the copies below open the window with stac/clac. */
#include <string.h>
#include "microkernel/kernel.h"
#include "microkernel/task.h"
#include "microkernel/arch/x86/cpu.h"

extern int smap_enabled;

int user_range(struct task *t, uint32_t va, uint32_t len, int write)
{
	if (len == 0)
		return 0;
	if (va < USER_BASE || va >= USER_TOP || len > USER_TOP - va)
		return E_FAULT;
	for (uint32_t p = va & ~(PAGE_SIZE - 1); p < va + len; p += PAGE_SIZE) {
		unsigned fl;
		if (vm_lookup(&t->as, p, 0, &fl))
			return E_FAULT;
		if (write && !(fl & VM_WRITE))
			return E_FAULT;
		if (p + PAGE_SIZE < p)
			break;
	}
	return 0;
}

/* Only valid for the running task: its page tables are loaded. */
int copy_from_user(struct task *t, void *dst, uint32_t va, uint32_t len)
{
	if (user_range(t, va, len, 0))
		return E_FAULT;
	if (smap_enabled) stac();
	memcpy(dst, (const void *)va, len);
	if (smap_enabled) clac();
	return 0;
}

int copy_to_user(struct task *t, uint32_t va, const void *src, uint32_t len)
{
	if (user_range(t, va, len, 1))
		return E_FAULT;
	if (smap_enabled) stac();
	memcpy((void *)va, src, len);
	if (smap_enabled) clac();
	return 0;
}
