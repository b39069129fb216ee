/* microkernel/code.c: code installation (frames move, never writable where
 * they run, one holder only, quota, ranges, kinds) and the dispatch table
 * (read-only in the module, entries only to installed code). */
#include <criterion/criterion.h>
#include <string.h>
#include "tests/kernel/unit/kernel_env.h"

static struct task *jit, *mod;

static void setup(void)
{
	fake_kernel_init();
	jit = fake_task(1);
	mod = fake_task(2);
	mod->code_limit = 4;
}

TestSuite(code, .init = setup);

/* n pages the jit wrote at va, each filled with its index + 1 */
static void stage(uint32_t va, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++) {
		paddr_t pa = frame_alloc();
		memset(phys_to_virt(pa), (int)i + 1, PAGE_SIZE);
		cr_assert_eq(vm_map(&jit->as, va + i * PAGE_SIZE, pa, VM_WRITE), 0);
		frame_unref(pa);
	}
}

static unsigned flags_at(struct task *t, uint32_t va, paddr_t *pa)
{
	unsigned fl = 0;
	cr_assert_eq(vm_lookup(&t->as, va, pa, &fl), 0, "mapped at %x", va);
	return fl;
}

Test(code, code_moves_read_execute_and_leaves_the_installer)
{
	stage(USER_HEAP_BASE, 2);
	cr_assert_eq(code_install(jit, mod, USER_HEAP_BASE, 2, USER_CODE_BASE, INSTALL_CODE), 0);
	for (uint32_t i = 0; i < 2; i++) {
		paddr_t pa;
		cr_assert_eq(flags_at(mod, USER_CODE_BASE + i * PAGE_SIZE, &pa), VM_EXEC, "R+X, never W");
		cr_assert_eq(frame_refcount(pa), 1, "the module's mapping is the one holder");
		cr_assert_eq(((uint8_t *)phys_to_virt(pa))[100], i + 1, "the bytes the jit wrote");
		cr_assert_eq(vm_lookup(&jit->as, USER_HEAP_BASE + i * PAGE_SIZE, 0, 0), E_FAULT,
			     "the installer lost its view");
	}
	cr_assert_eq(mod->code_pages, 2);
}

Test(code, data_kinds_land_nx)
{
	paddr_t pa;
	stage(USER_HEAP_BASE, 3);
	cr_assert_eq(code_install(jit, mod, USER_HEAP_BASE, 1, USER_HEAP_BASE, INSTALL_DATA), 0);
	cr_assert_eq(flags_at(mod, USER_HEAP_BASE, &pa), VM_WRITE);
	cr_assert_eq(code_install(jit, mod, USER_HEAP_BASE + PAGE_SIZE, 1, USER_HEAP_BASE + PAGE_SIZE,
				  INSTALL_RODATA), 0);
	cr_assert_eq(flags_at(mod, USER_HEAP_BASE + PAGE_SIZE, &pa), 0, "read-only, NX");
	cr_assert_eq(mod->code_pages, 0, "data is not counted as code");
}

Test(code, shared_data_leaves_the_installer_a_read_only_view)
{
	paddr_t a, b;
	stage(USER_HEAP_BASE, 1);
	cr_assert_eq(code_install(jit, mod, USER_HEAP_BASE, 1, USER_HEAP_BASE + 0x10000, INSTALL_DATA_SHARED), 0);
	cr_assert_eq(flags_at(mod, USER_HEAP_BASE + 0x10000, &a), VM_WRITE);
	cr_assert_eq(flags_at(jit, USER_HEAP_BASE, &b), 0, "the installer may only read");
	cr_assert_eq(a, b);
	cr_assert_eq(frame_refcount(a), 2);
	/* that frame has two holders now: it can never become code */
	struct task *other = fake_task(3);
	other->code_limit = 4;
	cr_assert_eq(code_install(jit, other, USER_HEAP_BASE, 1, USER_CODE_BASE, INSTALL_CODE), E_PERM);
}

Test(code, a_frame_with_another_holder_is_refused_and_nothing_moves)
{
	stage(USER_HEAP_BASE, 2);
	paddr_t pa;
	vm_lookup(&jit->as, USER_HEAP_BASE + PAGE_SIZE, &pa, 0);
	cr_assert_eq(vm_map(&mod->as, USER_GRANT_BASE, pa, 0), 0);	/* shared by IPC, say */
	cr_assert_eq(code_install(jit, mod, USER_HEAP_BASE, 2, USER_CODE_BASE, INSTALL_CODE), E_PERM);
	cr_assert_eq(vm_lookup(&mod->as, USER_CODE_BASE, 0, 0), E_FAULT, "all or nothing");
	cr_assert_eq(vm_lookup(&jit->as, USER_HEAP_BASE, 0, 0), 0);
	cr_assert_eq(mod->code_pages, 0);
}

Test(code, refusals)
{
	stage(USER_HEAP_BASE, 1);
	cr_assert_eq(code_install(jit, jit, USER_HEAP_BASE, 1, USER_CODE_BASE, INSTALL_CODE), E_PERM,
		     "no task installs code into itself");
	cr_assert_eq(code_install(jit, mod, USER_HEAP_BASE, 0, USER_CODE_BASE, INSTALL_CODE), E_INVAL);
	cr_assert_eq(code_install(jit, mod, USER_HEAP_BASE + 1, 1, USER_CODE_BASE, INSTALL_CODE), E_INVAL);
	cr_assert_eq(code_install(jit, mod, USER_HEAP_BASE, 1, USER_CODE_BASE, INSTALL_KINDS), E_INVAL);
	cr_assert_eq(code_install(jit, mod, USER_HEAP_BASE, 1, USER_HEAP_BASE, INSTALL_CODE), E_INVAL,
		     "code only in the code range");
	cr_assert_eq(code_install(jit, mod, USER_HEAP_BASE, 1, USER_CODE_BASE, INSTALL_DATA), E_INVAL,
		     "data only in the heap range");
	cr_assert_eq(code_install(jit, mod, USER_HEAP_BASE, 2, USER_CODE_TOP - PAGE_SIZE, INSTALL_CODE),
		     E_INVAL, "past the top of the range");
	cr_assert_eq(code_install(jit, mod, USER_HEAP_BASE + PAGE_SIZE, 1, USER_CODE_BASE, INSTALL_CODE),
		     E_FAULT, "nothing mapped at the source");
	cr_assert_eq(code_install(jit, mod, USER_HEAP_BASE, 5, USER_CODE_BASE, INSTALL_CODE), E_NOSPC,
		     "over the code quota");
	cr_assert_eq(code_install(jit, mod, USER_HEAP_BASE, 1, USER_CODE_BASE, INSTALL_CODE), 0);
	stage(USER_HEAP_BASE, 1);
	cr_assert_eq(code_install(jit, mod, USER_HEAP_BASE, 1, USER_CODE_BASE, INSTALL_CODE), E_EXIST);
}

Test(code, remove_unmaps_old_code_and_returns_the_quota)
{
	stage(USER_HEAP_BASE, 3);
	cr_assert_eq(code_install(jit, mod, USER_HEAP_BASE, 3, USER_CODE_BASE, INSTALL_CODE), 0);
	cr_assert_eq(code_install(jit, mod, 0, 2, USER_CODE_BASE + PAGE_SIZE, INSTALL_REMOVE), 0);
	cr_assert_eq(mod->code_pages, 1);
	cr_assert_eq(vm_lookup(&mod->as, USER_CODE_BASE + PAGE_SIZE, 0, 0), E_FAULT);
	cr_assert_eq(vm_lookup(&mod->as, USER_CODE_BASE, 0, 0), 0);
}

/* On SMP the module may run on another CPU while its entry changes: the
 * other CPUs serialize (arch_code_publish) before the store, never after,
 * and a cleared entry publishes nothing. */
Test(code, new_code_is_published_before_the_dispatch_store)
{
	stage(USER_HEAP_BASE, 1);
	cr_assert_eq(code_install(jit, mod, USER_HEAP_BASE, 1, USER_CODE_BASE, INSTALL_CODE), 0);
	cr_assert_eq(code_dispatch_set(mod, 3, USER_CODE_BASE + 0x40, 0), 0);
	uint32_t *table = phys_to_virt(mod->dispatch);
	code_publish_calls = 0;
	code_publish_watch = &table[3];
	cr_assert_eq(code_dispatch_set(mod, 3, USER_CODE_BASE + 0x80, 0), 0);
	code_publish_watch = 0;
	cr_assert_eq(code_publish_calls, 1, "the swap publishes once");
	cr_assert_eq(code_publish_saw, USER_CODE_BASE + 0x40, "before the store, not after");
	cr_assert_eq(table[3], USER_CODE_BASE + 0x80);
	cr_assert_eq(code_dispatch_set(mod, 3, 0, 0), 0);
	cr_assert_eq(code_publish_calls, 1, "clearing an entry makes no code reachable");
}

/* DISPATCH_SAFE_POINT (issue 18): a swap for a module running on another
 * CPU neither interrupts that CPU (no publish) nor stores at once; the
 * store is done at the module's next safe point (code_dispatch_flush), in
 * order, and only if its target is still installed and not retired; a
 * store without the flag first does the waiting ones, so none lands after
 * it (reclamation keeping their code: below). */
Test(code, safe_point_swap_waits_for_the_module_and_interrupts_no_cpu)
{
	stage(USER_HEAP_BASE, 2);
	cr_assert_eq(code_install(jit, mod, USER_HEAP_BASE, 2, USER_CODE_BASE, INSTALL_CODE), 0);
	cr_assert_eq(code_dispatch_set(mod, 3, USER_CODE_BASE + 0x40, 0), 0);
	uint32_t *table = phys_to_virt(mod->dispatch);
	mod->cpu = 0;		/* running on another CPU */
	code_publish_calls = 0;
	cr_assert_eq(code_dispatch_set(mod, 3, USER_CODE_BASE + 0x80, DISPATCH_SAFE_POINT), 0);
	cr_assert_eq(code_dispatch_set(mod, 4, USER_CODE_BASE + PAGE_SIZE, DISPATCH_SAFE_POINT), 0);
	cr_assert_eq(code_publish_calls, 0, "no CPU interrupted");
	cr_assert_eq(table[3], USER_CODE_BASE + 0x40, "not stored while it runs");
	cr_assert_eq(table[4], 0);
	cr_assert_eq(code_dispatch_set(mod, 4, USER_HEAP_BASE, DISPATCH_SAFE_POINT), E_FAULT,
		     "checked when asked, as ever");
	code_dispatch_flush(mod);	/* its safe point */
	cr_assert_eq(table[3], USER_CODE_BASE + 0x80);
	cr_assert_eq(table[4], USER_CODE_BASE + PAGE_SIZE);
	cr_assert_eq(mod->npend, 0);
	/* a store without the flag does the waiting ones first: none lands after it */
	cr_assert_eq(code_dispatch_set(mod, 5, USER_CODE_BASE + PAGE_SIZE + 8, DISPATCH_SAFE_POINT), 0);
	cr_assert_eq(code_dispatch_set(mod, 5, 0, 0), 0);
	cr_assert_eq(table[5], 0);
	cr_assert_eq(mod->npend, 0);
	code_dispatch_flush(mod);
	cr_assert_eq(table[5], 0, "not overwritten later by the waiting one");
	mod->cpu = -1;
	/* a module on no CPU: stored at once, as without the flag */
	cr_assert_eq(code_dispatch_set(mod, 8, USER_CODE_BASE + 0x40, DISPATCH_SAFE_POINT), 0);
	cr_assert_eq(table[8], USER_CODE_BASE + 0x40);
}

Test(code, dispatch_table_is_read_only_and_points_only_at_code)
{
	stage(USER_HEAP_BASE, 1);
	cr_assert_eq(code_install(jit, mod, USER_HEAP_BASE, 1, USER_CODE_BASE, INSTALL_CODE), 0);
	cr_assert_eq(code_dispatch_set(mod, 3, USER_CODE_BASE + 0x40, 0), 0);
	paddr_t pa;
	cr_assert_eq(flags_at(mod, USER_DISPATCH_VA, &pa), 0, "the module reads its table, never writes it");
	cr_assert_eq(pa, mod->dispatch);
	cr_assert_eq(((uint32_t *)phys_to_virt(pa))[3], USER_CODE_BASE + 0x40);
	cr_assert_eq(code_dispatch_set(mod, 3, 0, 0), 0, "0 clears an entry");
	cr_assert_eq(((uint32_t *)phys_to_virt(pa))[3], 0);
	cr_assert_eq(code_dispatch_set(mod, 4, USER_HEAP_BASE, 0), E_FAULT, "data is not code");
	cr_assert_eq(code_dispatch_set(mod, 4, USER_CODE_BASE + PAGE_SIZE, 0), E_FAULT, "nothing installed there");
	cr_assert_eq(code_dispatch_set(mod, PAGE_SIZE / 4, 0, 0), E_INVAL, "past the table");
	/* the table page has two holders, so it can never be installed */
	cr_assert_eq(frame_refcount(pa), 2);
}

/* ---- retired code (INSTALL_RETIRE, code_reclaim) ---------------------- */

#define STACK_PAGE (USER_STACK_TOP - PAGE_SIZE)

/* mod with one stack page, stopped (on no CPU), its stack pointer at sp */
static uint32_t *stopped_with_stack(uint32_t sp)
{
	paddr_t pa = frame_alloc();
	memset(phys_to_virt(pa), 0, PAGE_SIZE);
	cr_assert_eq(vm_map(&mod->as, STACK_PAGE, pa, VM_WRITE), 0);
	frame_unref(pa);
	mod->cpu = -1;
	mod->tf->esp = sp;
	mod->tf->eip = USER_HEAP_BASE;	/* somewhere else */
	return phys_to_virt(pa);
}

static void install_two(void)
{
	stage(USER_HEAP_BASE, 2);
	cr_assert_eq(code_install(jit, mod, USER_HEAP_BASE, 2, USER_CODE_BASE, INSTALL_CODE), 0);
}

Test(code, retired_code_nothing_reaches_is_freed_at_once)
{
	stopped_with_stack(USER_STACK_TOP - 64);
	install_two();
	uint32_t used = frames_used();
	cr_assert_eq(code_install(jit, mod, 0, 1, USER_CODE_BASE, INSTALL_RETIRE), 0);
	cr_assert_eq(vm_lookup(&mod->as, USER_CODE_BASE, 0, 0), E_FAULT, "unmapped");
	cr_assert_eq(mod->code_pages, 1, "its quota back");
	cr_assert_eq(frames_used(), used - 1, "its frame back");
	cr_assert_eq(mod->nretired, 0);
	cr_assert_eq(vm_lookup(&mod->as, USER_CODE_BASE + PAGE_SIZE, 0, 0), 0, "the other page stays");
}

Test(code, a_return_address_on_the_stack_keeps_it_until_it_is_gone)
{
	uint32_t *stack = stopped_with_stack(USER_STACK_TOP - 64);
	install_two();
	stack[1024 - 8] = USER_CODE_BASE + 17;	/* a frame of the old code, above sp */
	cr_assert_eq(code_install(jit, mod, 0, 1, USER_CODE_BASE, INSTALL_RETIRE), 0);
	cr_assert_eq(vm_lookup(&mod->as, USER_CODE_BASE, 0, 0), 0, "still reachable: kept");
	cr_assert_eq(mod->nretired, 1);
	cr_assert_eq(code_reclaim(mod), 0, "a scan while the frame is there frees nothing");
	stack[1024 - 8] = 0x12345678;	/* the frame returned */
	cr_assert_eq(code_reclaim(mod), 1);
	cr_assert_eq(vm_lookup(&mod->as, USER_CODE_BASE, 0, 0), E_FAULT);
	cr_assert_eq(mod->nretired, 0);
}

Test(code, words_below_the_stack_pointer_are_dead)
{
	uint32_t *stack = stopped_with_stack(USER_STACK_TOP - 64);
	install_two();
	stack[1024 - 32] = USER_CODE_BASE + 17;	/* below sp: a frame that returned */
	cr_assert_eq(code_install(jit, mod, 0, 1, USER_CODE_BASE, INSTALL_RETIRE), 0);
	cr_assert_eq(vm_lookup(&mod->as, USER_CODE_BASE, 0, 0), E_FAULT);
}

Test(code, registers_and_dispatch_entries_keep_it)
{
	stopped_with_stack(USER_STACK_TOP - 64);
	install_two();
	mod->tf->edx = USER_CODE_BASE + 0x40;	/* an entry loaded, about to be called */
	cr_assert_eq(code_install(jit, mod, 0, 1, USER_CODE_BASE, INSTALL_RETIRE), 0);
	cr_assert_eq(code_reclaim(mod), 0);
	mod->tf->edx = 0;
	mod->tf->eip = USER_CODE_BASE + 3;	/* stopped inside it */
	cr_assert_eq(code_reclaim(mod), 0);
	mod->tf->eip = USER_HEAP_BASE;
	cr_assert_eq(code_reclaim(mod), 1);
	/* a dispatch entry into it */
	cr_assert_eq(code_dispatch_set(mod, 5, USER_CODE_BASE + PAGE_SIZE, 0), 0);
	cr_assert_eq(code_install(jit, mod, 0, 1, USER_CODE_BASE + PAGE_SIZE, INSTALL_RETIRE), 0);
	cr_assert_eq(vm_lookup(&mod->as, USER_CODE_BASE + PAGE_SIZE, 0, 0), 0, "dispatched to: kept");
	cr_assert_eq(code_dispatch_set(mod, 5, 0, 0), 0);
	cr_assert_eq(code_reclaim(mod), 1);
}

Test(code, a_running_task_is_scanned_at_its_tick)
{
	stopped_with_stack(USER_STACK_TOP - 64);
	install_two();
	mod->cpu = 0;	/* running in ring 3 on a CPU: its registers are not in tf */
	cr_assert_eq(code_install(jit, mod, 0, 1, USER_CODE_BASE, INSTALL_RETIRE), 0);
	cr_assert_eq(vm_lookup(&mod->as, USER_CODE_BASE, 0, 0), 0, "not now");
	cr_assert_eq(code_reclaim(mod), 1, "at its tick (sched.c), stopped there");
}

/* A store waiting for the module's safe point keeps its code from being
 * freed, and lands only if its code is still there then. */
Test(code, a_waiting_dispatch_store_keeps_its_code_and_lands_only_if_still_there)
{
	stopped_with_stack(USER_STACK_TOP - 64);
	install_two();
	cr_assert_eq(code_dispatch_set(mod, 0, USER_CODE_BASE, 0), 0);
	uint32_t *table = phys_to_virt(mod->dispatch);
	mod->cpu = 0;
	cr_assert_eq(code_dispatch_set(mod, 7, USER_CODE_BASE + PAGE_SIZE, DISPATCH_SAFE_POINT), 0);
	cr_assert_eq(mod->npend, 1);
	mod->cpu = -1;
	cr_assert_eq(code_install(jit, mod, 0, 1, USER_CODE_BASE + PAGE_SIZE, INSTALL_RETIRE), 0);
	cr_assert_eq(vm_lookup(&mod->as, USER_CODE_BASE + PAGE_SIZE, 0, 0), 0,
		     "kept: a waiting store points into it");
	code_dispatch_flush(mod);
	cr_assert_eq(table[7], 0, "retired meanwhile: not dispatched to");
	cr_assert_eq(code_reclaim(mod), 1, "and then freed");
}

Test(code, retired_code_is_neither_dispatched_to_nor_installed_over)
{
	stopped_with_stack(USER_STACK_TOP - 64);
	install_two();
	mod->cpu = 0;
	cr_assert_eq(code_install(jit, mod, 0, 1, USER_CODE_BASE, INSTALL_RETIRE), 0);
	cr_assert_eq(code_dispatch_set(mod, 1, USER_CODE_BASE + 8, 0), E_FAULT);
	cr_assert_eq(code_install(jit, mod, 0, 1, USER_CODE_BASE, INSTALL_RETIRE), E_EXIST, "once");
	cr_assert_eq(code_install(jit, mod, 0, 1, USER_CODE_BASE + 2 * PAGE_SIZE, INSTALL_RETIRE), E_FAULT,
		     "only installed code retires");
	cr_assert_eq(code_install(jit, mod, 0, 1, USER_HEAP_BASE, INSTALL_RETIRE), E_INVAL, "code range only");
}

Test(code, a_stack_pointer_outside_the_stack_frees_nothing)
{
	stopped_with_stack(USER_HEAP_BASE);
	install_two();
	cr_assert_eq(code_install(jit, mod, 0, 1, USER_CODE_BASE, INSTALL_RETIRE), 0);
	cr_assert_eq(vm_lookup(&mod->as, USER_CODE_BASE, 0, 0), 0);
}

Test(code, a_full_list_is_e_again_while_the_task_runs)
{
	mod->code_limit = RETIRE_MAX + 1;
	stopped_with_stack(USER_STACK_TOP - 64);
	mod->cpu = 0;
	for (uint32_t i = 0; i <= RETIRE_MAX; i++) {
		stage(USER_HEAP_BASE, 1);
		cr_assert_eq(code_install(jit, mod, USER_HEAP_BASE, 1, USER_CODE_BASE + i * PAGE_SIZE,
					  INSTALL_CODE), 0);
	}
	for (uint32_t i = 0; i < RETIRE_MAX; i++)
		cr_assert_eq(code_install(jit, mod, 0, 1, USER_CODE_BASE + i * PAGE_SIZE, INSTALL_RETIRE), 0);
	uint32_t last = USER_CODE_BASE + RETIRE_MAX * PAGE_SIZE;
	cr_assert_eq(code_install(jit, mod, 0, 1, last, INSTALL_RETIRE), E_AGAIN);
	mod->cpu = -1;	/* stopped: the retire scans first and makes room */
	cr_assert_eq(code_install(jit, mod, 0, 1, last, INSTALL_RETIRE), 0);
	cr_assert_eq(mod->code_pages, 0);
}

/* The quota holds 4 pages; 100 versions of a function come and go in it. */
Test(code, the_quota_is_reused_through_reclamation)
{
	stopped_with_stack(USER_STACK_TOP - 64);
	uint32_t used = 0;
	for (uint32_t v = 0; v < 100; v++) {
		if (v == 2)
			used = frames_used();	/* page tables made, one version held */
		uint32_t va = USER_CODE_BASE + (v % 2) * PAGE_SIZE;
		stage(USER_HEAP_BASE, 1);
		cr_assert_eq(code_install(jit, mod, USER_HEAP_BASE, 1, va, INSTALL_CODE), 0, "version %u", v);
		cr_assert_eq(code_dispatch_set(mod, 0, va, 0), 0);
		if (v)
			cr_assert_eq(code_install(jit, mod, 0, 1, USER_CODE_BASE + ((v - 1) % 2) * PAGE_SIZE,
						  INSTALL_RETIRE), 0);
	}
	cr_assert_eq(mod->code_pages, 1);
	cr_assert_eq(frames_used(), used, "one version held, as at the start: none leaked (%u vs %u)", frames_used(), used);
}
