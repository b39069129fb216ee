/* microkernel/vm.c: PAE page tables, W^X refusal, the audit, teardown. */
#include <criterion/criterion.h>
#include <string.h>
#include "tests/kernel/unit/kernel_env.h"

static struct addrspace as;

static void setup(void)
{
	fake_ram_init();
	struct kseg segs[] = {
		{ 0x100000, 0x105000, VM_EXEC },
		{ 0x105000, 0x107000, 0 },
		{ 0x107000, 0x110000, VM_WRITE },
	};
	cr_assert_eq(vm_kernel_init(FAKE_RAM_MB << 20, segs, 3), 0);
	cr_assert_eq(vm_space_create(&as), 0);
}

TestSuite(vm, .init = setup);

Test(vm, writable_and_executable_is_refused)
{
	paddr_t pa = frame_alloc();
	cr_assert_eq(vm_map(&as, USER_BASE, pa, VM_WRITE | VM_EXEC), E_WX);
	cr_assert_eq(vm_lookup(&as, USER_BASE, 0, 0), E_FAULT, "nothing was mapped");
	struct kseg bad = { 0x100000, 0x101000, VM_WRITE | VM_EXEC };
	cr_assert_eq(vm_kernel_init(FAKE_RAM_MB << 20, &bad, 1), E_WX);
}

Test(vm, map_lookup_unmap_roundtrip)
{
	paddr_t pa = frame_alloc();
	cr_assert_eq(vm_map(&as, USER_BASE + 0x5000, pa, VM_EXEC), 0);
	cr_assert_eq(frame_refcount(pa), 2, "the mapping holds a reference");
	paddr_t got;
	unsigned fl;
	cr_assert_eq(vm_lookup(&as, USER_BASE + 0x5123, &got, &fl), 0);
	cr_assert_eq(got, pa);
	cr_assert_eq(fl, VM_EXEC);
	cr_assert_eq(vm_map(&as, USER_BASE + 0x5000, pa, 0), E_EXIST);
	cr_assert_eq(vm_unmap(&as, USER_BASE + 0x5000), 0);
	cr_assert_eq(frame_refcount(pa), 1);
	cr_assert_eq(vm_unmap(&as, USER_BASE + 0x5000), E_NOENT);
}

Test(vm, only_user_range_and_aligned)
{
	paddr_t pa = frame_alloc();
	cr_assert_eq(vm_map(&as, 0x1000, pa, 0), E_INVAL, "kernel range");
	cr_assert_eq(vm_map(&as, USER_TOP, pa, 0), E_INVAL, "top GiB");
	cr_assert_eq(vm_map(&as, USER_BASE + 1, pa, 0), E_INVAL, "unaligned");
	cr_assert_eq(vm_map(&as, USER_BASE, 0x1000, 0), E_INVAL, "frame that is not RAM");
	frame_unref(pa);
	cr_assert_eq(vm_map(&as, USER_BASE, pa, 0), E_INVAL, "free frame");
}

Test(vm, audit_is_clean_and_finds_injected_violation)
{
	paddr_t a = frame_alloc(), b = frame_alloc();
	vm_map(&as, USER_BASE, a, VM_EXEC);
	vm_map(&as, USER_BASE + 0x1000, b, VM_WRITE);
	frame_unref(a);		/* the mapping is the code's only holder */
	struct bf_audit au;
	memset(&au, 0, sizeof au);
	vm_audit(&as, &au, 7);
	cr_assert_eq(au.spaces, 1);
	cr_assert_gt(au.entries, 2);
	cr_assert_eq(au.wx_violations, 0);
	cr_assert_eq(au.user_kernel, 0);
	/* corrupt a leaf by hand: RW set, NX clear, as a buggy kernel might */
	uint64_t *pdpt = phys_to_virt(as.pdpt);
	uint64_t *pd = phys_to_virt((paddr_t)(pdpt[1] & ~0xFFFull));
	uint64_t *pt = phys_to_virt((paddr_t)(pd[0] & 0x000FFFFFFFFFF000ull));
	pt[1] &= ~(1ull << 63);
	memset(&au, 0, sizeof au);
	vm_audit(&as, &au, 7);
	cr_assert_eq(au.wx_violations, 1);
	cr_assert_eq(au.first_bad_va, USER_BASE + 0x1000);
	cr_assert_eq(au.first_bad_task, 7);
}

/* Per-space W^X is not enough: the same frame executable here and
 * writable in another address space is a writable view of running code. */
Test(vm, audit_finds_code_frame_writable_elsewhere)
{
	paddr_t a = frame_alloc();
	vm_map(&as, USER_BASE, a, VM_EXEC);
	frame_unref(a);
	struct bf_audit au;
	memset(&au, 0, sizeof au);
	vm_audit(&as, &au, 7);
	cr_assert_eq(au.wx_violations, 0, "one holder: clean");
	struct addrspace other;
	cr_assert_eq(vm_space_create(&other), 0);
	cr_assert_eq(vm_map(&other, USER_HEAP_BASE, a, VM_WRITE), 0);
	memset(&au, 0, sizeof au);
	vm_audit(&other, &au, 8);
	vm_audit(&as, &au, 7);
	cr_assert_eq(au.wx_violations, 1);
	cr_assert_eq(au.first_bad_va, USER_BASE);
	cr_assert_eq(au.first_bad_task, 7);
	vm_space_destroy(&other);
}

Test(vm, kernel_map_is_supervisor_with_section_rights)
{
	struct bf_audit au;
	memset(&au, 0, sizeof au);
	vm_audit(&as, &au, 1);
	cr_assert_eq(au.user_kernel, 0);
	cr_assert_eq(au.wx_violations, 0);
	uint64_t *kpd = phys_to_virt(vm_kernel_pd());
	uint64_t *pt = phys_to_virt((paddr_t)(kpd[0] & 0x000FFFFFFFFFF000ull));
	cr_assert_eq(pt[0], 0, "page 0 unmapped (NULL)");
	cr_assert(!(pt[0x100] >> 63), "text executable");
	cr_assert(!(pt[0x100] & 2), "text read-only");
	cr_assert(pt[0x105] >> 63, "rodata no-execute");
	cr_assert(!(pt[0x105] & 2), "rodata read-only");
	cr_assert(pt[0x107] >> 63 && (pt[0x107] & 2), "data RW+NX");
	cr_assert(kpd[4] & 0x80, "2 MiB pages outside the image");
	cr_assert(kpd[4] >> 63, "direct map no-execute");
}

Test(vm, destroy_releases_every_frame)
{
	vm_space_destroy(&as);
	uint32_t base = frames_used();
	cr_assert_eq(vm_space_create(&as), 0);
	for (uint32_t i = 0; i < 300; i++) {	/* crosses page-table boundaries */
		paddr_t pa = frame_alloc();
		cr_assert_eq(vm_map(&as, USER_BASE + i * 0x2000 * 3, pa, VM_WRITE), 0);
		frame_unref(pa);
	}
	cr_assert_gt(frames_used(), base + 300);
	vm_space_destroy(&as);
	cr_assert_eq(frames_used(), base);
}

Test(vm, shared_frame_survives_one_unmap)
{
	struct addrspace other;
	cr_assert_eq(vm_space_create(&other), 0);
	paddr_t pa = frame_alloc();
	vm_map(&as, USER_BASE, pa, VM_WRITE);
	vm_map(&other, USER_GRANT_BASE, pa, 0);
	frame_unref(pa);
	vm_space_destroy(&as);
	cr_assert_eq(frame_refcount(pa), 1, "still mapped in the other space");
	vm_space_destroy(&other);
	cr_assert_eq(frame_refcount(pa), 0);
}
