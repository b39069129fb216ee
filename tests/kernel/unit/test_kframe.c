/* microkernel/frame.c: allocation from the memory map, reserved ranges,
 * reference counts, leak accounting. */
#include <criterion/criterion.h>
#include "microkernel/frame.h"

static void init_simple(void)
{
	struct mem_range ram[] = { { 0, 0x9F000 }, { 0x100000, 0x700000 } };	/* 640K + 7M */
	struct mem_range res[] = { { 0x100000, 0x23456 } };			/* "kernel" */
	frame_init(ram, 2, res, 1);
}

Test(frame, counts_only_whole_usable_frames)
{
	init_simple();
	/* low: frames 1..0x9E (frame 0 reserved) = 158; high: 0x700 - 0x24 = 1756 */
	cr_assert_eq(frames_total(), 158 + 0x700 - 0x24);
	cr_assert_eq(frames_used(), 0);
	cr_assert_eq(frames_free(), frames_total());
}

Test(frame, never_hands_out_reserved_or_frame_zero)
{
	init_simple();
	uint32_t n = 0;
	paddr_t pa;
	while ((pa = frame_alloc())) {
		cr_assert_neq(pa, 0);
		cr_assert(!(pa >= 0x100000 && pa < 0x124000), "reserved frame %x handed out", pa);
		cr_assert(!(pa >= 0x9F000 && pa < 0x100000), "hole frame %x handed out", pa);
		cr_assert_eq(pa & 0xFFF, 0);
		n++;
	}
	cr_assert_eq(n, frames_total());
	cr_assert_eq(frames_free(), 0);
	cr_assert_eq(frame_alloc(), 0, "exhaustion returns 0");
}

Test(frame, refcount_frees_on_last_unref)
{
	init_simple();
	paddr_t pa = frame_alloc();
	cr_assert_eq(frame_refcount(pa), 1);
	cr_assert(frame_ref(pa));
	cr_assert_eq(frame_refcount(pa), 2);
	cr_assert_not(frame_unref(pa));
	cr_assert_eq(frames_used(), 1);
	cr_assert(frame_unref(pa));
	cr_assert_eq(frames_used(), 0);
	cr_assert_not(frame_unref(pa), "double free is refused");
	cr_assert_eq(frames_used(), 0);
	cr_assert_not(frame_ref(pa), "a free frame cannot gain a holder");
}

Test(frame, reserved_and_foreign_frames_are_untouchable)
{
	init_simple();
	cr_assert_not(frame_ref(0x100000));
	cr_assert_not(frame_unref(0x100000));
	cr_assert_not(frame_is_ram(0xA0000));
	cr_assert_not(frame_is_ram(0x3FFFF000));
	cr_assert_eq(frame_refcount(0x100000), 0);
}

Test(frame, no_leak_after_alloc_free_cycles)
{
	init_simple();
	paddr_t held[100];
	for (int round = 0; round < 5; round++) {
		for (int i = 0; i < 100; i++)
			held[i] = frame_alloc();
		for (int i = 0; i < 100; i++)
			frame_unref(held[i]);
	}
	cr_assert_eq(frames_used(), 0);
}

Test(frame, ram_above_one_gib_is_ignored)
{
	struct mem_range ram[] = { { 0x3FF00000, 0x200000 } };
	frame_init(ram, 1, 0, 0);
	cr_assert_eq(frames_total(), 0x100, "only the part below 1 GiB");
}
