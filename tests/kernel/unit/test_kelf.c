/* microkernel/elf.c on real boot modules (build/utest.elf, linked by our
 * user.ld) and on corrupted copies of them. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "microkernel/elf.h"
#include "lib/include/bareflow/abi.h"

static uint8_t *img;
static size_t len;

static void load(void)
{
	FILE *f = fopen("build/utest.elf", "rb");
	cr_assert(f, "build/utest.elf missing (run make first)");
	fseek(f, 0, SEEK_END);
	len = (size_t)ftell(f);
	rewind(f);
	img = malloc(len);
	cr_assert_eq(fread(img, 1, len, f), len);
	fclose(f);
}
static void unload(void) { free(img); }

TestSuite(elf, .init = load, .fini = unload);

static int parse(const char **why)
{
	struct elf_image e;
	return elf_parse(img, len, USER_BASE, USER_HEAP_BASE, &e, why);
}

static uint32_t phoff(void) { return *(uint32_t *)(img + 28); }
static uint8_t *ph(int i) { return img + phoff() + 32 * i; }
static int first_load(void)
{
	for (int i = 0; i < *(uint16_t *)(img + 44); i++)
		if (*(uint32_t *)ph(i) == 1)
			return i;
	return -1;
}

Test(elf, accepts_a_real_module)
{
	struct elf_image e;
	const char *why = 0;
	cr_assert_eq(elf_parse(img, len, USER_BASE, USER_HEAP_BASE, &e, &why), 0, "%s", why);
	cr_assert_geq(e.nsegs, 2);
	cr_assert_geq(e.entry, USER_BASE);
	int text = 0, data = 0;
	for (int i = 0; i < e.nsegs; i++) {
		cr_assert(!(e.segs[i].writable && e.segs[i].executable));
		text |= e.segs[i].executable;
		data |= e.segs[i].writable;
	}
	cr_assert(text && data);
}

#define REJECT(name, mutate, msg)                             \
	Test(elf, name)                                       \
	{                                                     \
		const char *why = 0;                          \
		mutate;                                       \
		cr_assert_eq(parse(&why), E_BADELF);          \
		cr_assert(why && strstr(why, msg), "got: %s", why); \
	}

REJECT(rejects_truncated_header, len = 40, "shorter")
REJECT(rejects_bad_magic, img[1] = 'X', "magic")
REJECT(rejects_64bit, img[4] = 2, "32-bit")
REJECT(rejects_big_endian, img[5] = 2, "little-endian")
REJECT(rejects_shared_object, img[16] = 3, "ET_EXEC")
REJECT(rejects_other_machine, img[18] = 62, "i386")
REJECT(rejects_phdrs_outside_file, *(uint32_t *)(img + 28) = (uint32_t)len - 10, "outside the file")
REJECT(rejects_absurd_phnum, *(uint16_t *)(img + 44) = 1000, "count")
REJECT(rejects_bad_phentsize, *(uint16_t *)(img + 42) = 56, "header size")
REJECT(rejects_wx_segment, *(uint32_t *)(ph(first_load()) + 24) = 7, "W^X")
REJECT(rejects_filesz_over_memsz, *(uint32_t *)(ph(first_load()) + 16) = 0x7FFFFFFF, "exceeds")
REJECT(rejects_data_outside_file, *(uint32_t *)(ph(first_load()) + 4) = (uint32_t)len, "outside the file")
REJECT(rejects_kernel_address, *(uint32_t *)(ph(first_load()) + 8) = 0x100000, "user image range")
REJECT(rejects_wrapping_segment, (*(uint32_t *)(ph(first_load()) + 8) = 0x4FFFF000,
       *(uint32_t *)(ph(first_load()) + 20) = 0xFFFFF000), "user image range")
REJECT(rejects_entry_outside_code, *(uint32_t *)(img + 24) = 0x4FFFFFF0, "entry")
REJECT(rejects_no_loadable_segment, for (int i = 0; i < *(uint16_t *)(img + 44); i++)
       *(uint32_t *)ph(i) = 4, "no loadable")

Test(elf, rejects_overlapping_segments)
{
	int a = first_load();
	int b = -1;
	for (int i = a + 1; i < *(uint16_t *)(img + 44); i++)
		if (*(uint32_t *)ph(i) == 1) { b = i; break; }
	cr_assert_geq(b, 0);
	*(uint32_t *)(ph(b) + 8) = *(uint32_t *)(ph(a) + 8);
	const char *why = 0;
	cr_assert_eq(parse(&why), E_BADELF);
	cr_assert(strstr(why, "share a page"), "got: %s", why);
}

Test(elf, random_corruption_never_crashes)
{
	/* fixed seed: every run flips the same bytes */
	srand(20261125);
	uint8_t *orig = malloc(len);
	memcpy(orig, img, len);
	for (int round = 0; round < 20000; round++) {
		memcpy(img, orig, len);
		for (int k = 0; k < 4; k++)
			img[rand() % 256] = (uint8_t)rand();
		size_t l = (size_t)rand() % (len + 1);
		struct elf_image e;
		const char *why;
		if (elf_parse(img, l, USER_BASE, USER_HEAP_BASE, &e, &why) == 0) {
			for (int i = 0; i < e.nsegs; i++) {
				cr_assert_leq(e.segs[i].offset + (uint64_t)e.segs[i].filesz, l);
				cr_assert(!(e.segs[i].writable && e.segs[i].executable));
			}
		}
	}
	free(orig);
}
