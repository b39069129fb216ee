/* microkernel/secure.c with code.c: the runtime the kernel maps (a copy
 * per task, read+execute, its range closed to installs and removals), the
 * flags a task gets from the switch, verification on install (E_VERIFY,
 * nothing moves), dispatch entries and entry points on bundle starts of
 * verified code, the pinned syscall site, the switch's words. */
#include <criterion/criterion.h>
#include <string.h>
#include "tests/kernel/unit/kernel_env.h"
#include "microkernel/secure.h"
#include "lib/rt/rt.h"

static struct task *jit, *mod;
/* a fake runtime: the gate (int 0x80 at 0x10), an export at 0x20, the entry at 0x40 */
static uint8_t rt_bytes[5000];
static const uint32_t rt_exports[] = { RT_BASE + 0x20 };
static struct rt_image rt = { rt_bytes, sizeof rt_bytes, RT_BASE + 0x40, RT_BASE + 0x12, rt_exports, 1 };

static void setup(void)
{
	fake_kernel_init();
	memset(rt_bytes, 0x90, sizeof rt_bytes);
	rt_bytes[0x10] = 0xCD;
	rt_bytes[0x11] = 0x80;
	rt_bytes[4999] = 0xAB;
	secure_rt = &rt;
	secure_switch = SECURE_VERIFY | SECURE_PIN;
	jit = fake_task(1);
	mod = fake_task(2);
	mod->code_limit = 8;
	mod->is_module = 1;
	cr_assert_eq(secure_task_init(mod), 0);
}

TestSuite(secure, .init = setup);

/* The jit's page at va: `code` then INT3. */
static void stage(uint32_t va, const uint8_t *code, uint32_t n)
{
	paddr_t pa = frame_alloc();
	memset(phys_to_virt(pa), 0xCC, PAGE_SIZE);
	memcpy(phys_to_virt(pa), code, n);
	cr_assert_eq(vm_map(&jit->as, va, pa, VM_WRITE), 0);
	frame_unref(pa);
}

Test(secure, the_runtime_is_mapped_read_execute_a_copy_per_task)
{
	cr_assert_eq(mod->secure, SECURE_RT | SECURE_VERIFY | SECURE_PIN);
	paddr_t pa0, pa1;
	unsigned fl;
	cr_assert_eq(vm_lookup(&mod->as, RT_BASE, &pa0, &fl), 0);
	cr_assert_eq(fl, VM_EXEC, "R+X, never W");
	cr_assert_eq(vm_lookup(&mod->as, RT_BASE + PAGE_SIZE, &pa1, &fl), 0, "5000 bytes: two pages");
	cr_assert_eq(vm_lookup(&mod->as, RT_BASE + 2 * PAGE_SIZE, 0, 0), E_FAULT);
	cr_assert_eq(frame_refcount(pa0), 1, "one holder: the audit's rule");
	cr_assert_eq(((uint8_t *)phys_to_virt(pa0))[0x10], 0xCD);
	cr_assert_eq(((uint8_t *)phys_to_virt(pa1))[4999 - 4096], 0xAB);
	cr_assert_eq(((uint8_t *)phys_to_virt(pa1))[5000 - 4096], 0xCC, "the tail is INT3");
	struct task *other = fake_task(3);
	cr_assert_eq(secure_task_init(other), 0);
	paddr_t pb;
	vm_lookup(&other->as, RT_BASE, &pb, 0);
	cr_assert_neq(pb, pa0, "another task has its own copy");
}

Test(secure, no_runtime_no_flags)
{
	secure_rt = 0;
	struct task *t = fake_task(3);
	cr_assert_eq(secure_task_init(t), 0);
	cr_assert_eq(t->secure, 0, "nothing to pin to, nothing mapped");
	cr_assert_eq(vm_lookup(&t->as, RT_BASE, 0, 0), E_FAULT);
}

Test(secure, the_switch_is_taken_at_creation)
{
	secure_switch = 0;
	struct task *t = fake_task(3);
	secure_task_init(t);
	cr_assert_eq(t->secure, SECURE_RT);
	secure_switch = SECURE_PIN;
	cr_assert_eq(mod->secure & SECURE_SWITCH, SECURE_VERIFY | SECURE_PIN, "an older task keeps its own");
}

Test(secure, the_runtimes_range_is_closed)
{
	stage(USER_HEAP_BASE, (const uint8_t[]){ 0x90 }, 1);
	cr_assert_eq(code_install(jit, mod, USER_HEAP_BASE, 1, RT_BASE + 0x8000, INSTALL_CODE), E_PERM);
	cr_assert_eq(code_install(jit, mod, USER_HEAP_BASE, 1, RT_IMAGE_BASE - PAGE_SIZE, INSTALL_CODE), E_PERM);
	cr_assert_eq(code_install(jit, mod, 0, 1, RT_BASE, INSTALL_REMOVE), E_PERM);
	cr_assert_eq(vm_lookup(&mod->as, RT_BASE, 0, 0), 0, "still there");
	cr_assert_eq(code_install(jit, mod, USER_HEAP_BASE, 1, RT_IMAGE_BASE, INSTALL_CODE), 0);
}

Test(secure, refused_code_moves_nothing)
{
	stage(USER_HEAP_BASE, (const uint8_t[]){ 0x31, 0xC0, 0xC3 }, 3);	/* xor eax, eax; ret */
	cr_assert_eq(code_install(jit, mod, USER_HEAP_BASE, 1, RT_IMAGE_BASE, INSTALL_CODE), E_VERIFY);
	cr_assert_eq(vm_lookup(&jit->as, USER_HEAP_BASE, 0, 0), 0, "the installer keeps its page");
	cr_assert_eq(vm_lookup(&mod->as, RT_IMAGE_BASE, 0, 0), E_FAULT, "the module has nothing");
	cr_assert_eq(mod->code_pages, 0);
	/* without the flag the same bytes go through */
	mod->secure &= ~SECURE_VERIFY;
	cr_assert_eq(code_install(jit, mod, USER_HEAP_BASE, 1, RT_IMAGE_BASE, INSTALL_CODE), 0);
}

Test(secure, a_multi_page_install_is_one_unit)
{
	/* page 0 jumps to page 1's start: inside the unit */
	paddr_t pa = frame_alloc();
	memset(phys_to_virt(pa), 0xCC, PAGE_SIZE);
	uint8_t *p = phys_to_virt(pa);
	p[0] = 0xE9;
	uint32_t rel = PAGE_SIZE - 5;
	memcpy(p + 1, &rel, 4);
	vm_map(&jit->as, USER_HEAP_BASE, pa, VM_WRITE);
	frame_unref(pa);
	stage(USER_HEAP_BASE + PAGE_SIZE, (const uint8_t[]){ 0x90 }, 1);
	cr_assert_eq(code_install(jit, mod, USER_HEAP_BASE, 2, RT_IMAGE_BASE, INSTALL_CODE), 0);
	/* the same jump alone, to a page another install brought: refused */
	stage(USER_HEAP_BASE + 2 * PAGE_SIZE, p, 5);	/* p is the module's now; its bytes still read */
	cr_assert_eq(code_install(jit, mod, USER_HEAP_BASE + 2 * PAGE_SIZE, 1, RT_IMAGE_BASE + 2 * PAGE_SIZE,
				  INSTALL_CODE), E_VERIFY);
}

Test(secure, dispatch_and_entry_only_at_bundle_starts_of_verified_code)
{
	stage(USER_HEAP_BASE, (const uint8_t[]){ 0x31, 0xC0 }, 2);
	cr_assert_eq(code_install(jit, mod, USER_HEAP_BASE, 1, RT_IMAGE_BASE, INSTALL_CODE), 0);
	cr_assert_eq(code_dispatch_set(mod, 0, RT_IMAGE_BASE, 0), 0);
	cr_assert_eq(code_dispatch_set(mod, 1, RT_IMAGE_BASE + 64, 0), 0);
	cr_assert_eq(code_dispatch_set(mod, 2, RT_IMAGE_BASE + 2, 0), E_FAULT, "mid-bundle");
	cr_assert_eq(code_dispatch_set(mod, 3, RT_BASE + 0x20, 0), 0, "a runtime export");
	cr_assert_eq(code_dispatch_set(mod, 4, RT_BASE + 0x40, 0), E_FAULT, "the runtime, not an export");
	cr_assert_eq(code_dispatch_set(mod, 5, RT_BASE, 0), E_FAULT, "the gate is no export");
	cr_assert_eq(code_dispatch_set(mod, 6, 0, 0), 0, "clearing an entry");
	cr_assert_eq(secure_check_target(mod, RT_BASE + 0x40, 1), 0, "the runtime's entry");
	cr_assert_eq(secure_check_target(mod, RT_IMAGE_BASE + 32, 1), 0);
	cr_assert_eq(secure_check_target(mod, RT_IMAGE_BASE + 33, 1), E_FAULT);
	cr_assert_eq(secure_check_target(mod, RT_BASE + 0x20, 1), E_FAULT, "an export is no entry point");
	cr_assert_eq(secure_check_target(mod, RT_IMAGE_BASE + PAGE_SIZE, 1), E_FAULT, "not installed");
	mod->secure &= ~SECURE_VERIFY;
	cr_assert_eq(code_dispatch_set(mod, 2, RT_IMAGE_BASE + 2, 0), 0, "unverified tasks: as before");
}

Test(secure, the_syscall_site)
{
	cr_assert(secure_syscall_site_ok(mod, RT_BASE + 0x12));
	cr_assert(!secure_syscall_site_ok(mod, RT_BASE + 0x14));
	cr_assert(!secure_syscall_site_ok(mod, RT_IMAGE_BASE + 2));
	mod->secure &= ~SECURE_PIN;
	cr_assert(secure_syscall_site_ok(mod, RT_IMAGE_BASE + 2), "not pinned: anywhere");
	cr_assert(secure_syscall_site_ok(jit, 0x40001234), "a server is never pinned");
}

Test(secure, the_switchs_words)
{
	cr_assert_eq(secure_parse("none", 4), 0);
	cr_assert_eq(secure_parse("verify", 6), SECURE_VERIFY);
	cr_assert_eq(secure_parse("pin", 3), SECURE_PIN);
	cr_assert_eq(secure_parse("verify,pin", 10), SECURE_VERIFY | SECURE_PIN);
	cr_assert_eq(secure_parse("pin,verify", 10), SECURE_VERIFY | SECURE_PIN);
	cr_assert_eq(secure_parse("on", 2), SECURE_VERIFY | SECURE_PIN | SECURE_RANDOM | SECURE_BLIND);
	cr_assert_eq(secure_parse("blind,pin", 9), SECURE_BLIND | SECURE_PIN);
	cr_assert_eq(secure_parse("random", 6), SECURE_RANDOM);
	cr_assert_eq(secure_parse("verify,random", 13), SECURE_VERIFY | SECURE_RANDOM);
	cr_assert_eq(secure_parse("verify,pin extra", 10), SECURE_VERIFY | SECURE_PIN, "the length bounds it");
	cr_assert_eq(secure_parse("verif", 5), -1);
	cr_assert_eq(secure_parse("verify,", 7), SECURE_VERIFY);
	cr_assert_eq(secure_parse("yes", 3), -1);
}
