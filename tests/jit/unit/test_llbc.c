/* lib/llbc.c: the LLBC container — every rejection llbc_validate makes,
 * each with its own code and message, the CRC-32, and the header's byte
 * layout. */
#include <criterion/criterion.h>
#include <stdint.h>
#include <string.h>
#include "lib/llbc.h"

/* A minimal payload that starts like raw bitcode. */
static const uint8_t payload[16] = { 'B', 'C', 0xC0, 0xDE, 0x35, 0x14, 0, 0,
				     5, 0, 0, 0, 0x62, 0x0c, 0x30, 0x24 };
static uint8_t file[LLBC_HEADER_SIZE + sizeof payload];

static void build(void)
{
	struct llbc_header h;
	cr_assert_eq(llbc_header_init(&h, "fib", "module_fib", 2, payload, sizeof payload), 0);
	llbc_header_encode(&h, file);
	memcpy(file + LLBC_HEADER_SIZE, payload, sizeof payload);
}

/* Recompute the CRC after editing the payload. */
static void fix_crc(void)
{
	struct llbc_header h;
	llbc_header_decode(file, &h);
	h.crc32 = llbc_crc32(file + LLBC_HEADER_SIZE, sizeof file - LLBC_HEADER_SIZE);
	llbc_header_encode(&h, file);
}

static void put32(size_t off, uint32_t v)
{
	file[off] = (uint8_t)v;
	file[off + 1] = (uint8_t)(v >> 8);
	file[off + 2] = (uint8_t)(v >> 16);
	file[off + 3] = (uint8_t)(v >> 24);
}

TestSuite(llbc, .init = build);

Test(llbc, header_is_128_bytes_with_fixed_offsets)
{
	cr_assert_eq(sizeof(struct llbc_header), 128);
	cr_assert_eq(offsetof(struct llbc_header, name), 4);
	cr_assert_eq(offsetof(struct llbc_header, entry), 36);
	cr_assert_eq(offsetof(struct llbc_header, bitcode_size), 100);
	cr_assert_eq(offsetof(struct llbc_header, crc32), 112);
	cr_assert_eq(offsetof(struct llbc_header, reserved), 120);
	/* the encoded bytes are little-endian at those offsets */
	cr_assert_eq(memcmp(file, "LLBC", 4), 0);
	cr_assert_str_eq((char *)file + 4, "fib");
	cr_assert_str_eq((char *)file + 36, "module_fib");
	cr_assert_eq(file[100], sizeof payload);
	cr_assert_eq(file[104], LLBC_VERSION);
	cr_assert_eq(file[108], 2);
}

Test(llbc, valid_file_accepted)
{
	struct llbc_header h;
	const uint8_t *p = NULL;
	cr_assert_eq(llbc_validate(file, sizeof file, &h, &p), LLBC_OK);
	cr_assert_eq(p, file + LLBC_HEADER_SIZE);
	cr_assert_str_eq(h.name, "fib");
	cr_assert_str_eq(h.entry, "module_fib");
	cr_assert_eq(h.opt_level, 2);
	cr_assert_eq(h.bitcode_size, sizeof payload);
}

Test(llbc, crc32_known_vectors)
{
	cr_assert_eq(llbc_crc32("123456789", 9), 0xCBF43926u);
	cr_assert_eq(llbc_crc32("", 0), 0);
	cr_assert_eq(llbc_crc32("a", 1), 0xE8B7BE43u);
	cr_assert_eq(llbc_crc32("The quick brown fox jumps over the lazy dog", 43), 0x414FA339u);
}

static void expect(int code)
{
	int rc = llbc_validate(file, sizeof file, NULL, NULL);
	cr_assert_eq(rc, code, "expected %d (%s), got %d (%s)", code, llbc_strerror(code), rc,
		     llbc_strerror(rc));
}

Test(llbc, rejects_short_file)
{
	for (size_t n = 0; n < LLBC_HEADER_SIZE; n++)
		cr_assert_eq(llbc_validate(file, n, NULL, NULL), LLBC_ERR_SHORT);
	cr_assert_eq(llbc_validate(NULL, 0, NULL, NULL), LLBC_ERR_SHORT);
}

Test(llbc, rejects_bad_magic)
{
	file[3] = 'D';
	expect(LLBC_ERR_MAGIC);
}

Test(llbc, rejects_unknown_version)
{
	put32(104, 2);
	expect(LLBC_ERR_VERSION);
	put32(104, 0);
	expect(LLBC_ERR_VERSION);
}

Test(llbc, rejects_size_mismatch)
{
	put32(100, sizeof payload + 1);
	expect(LLBC_ERR_SIZE);
	put32(100, sizeof payload - 4);
	expect(LLBC_ERR_SIZE);
	put32(100, sizeof payload);
	/* a truncated file disagrees with a correct field too */
	cr_assert_eq(llbc_validate(file, sizeof file - 1, NULL, NULL), LLBC_ERR_SIZE);
}

Test(llbc, rejects_nonzero_reserved)
{
	put32(120, 1);
	expect(LLBC_ERR_RESERVED);
	put32(120, 0);
	put32(124, 0x80000000u);
	expect(LLBC_ERR_RESERVED);
}

Test(llbc, rejects_unknown_flags)
{
	put32(116, 4);
	expect(LLBC_ERR_FLAGS);
}

Test(llbc, rejects_unterminated_name)
{
	memset(file + 4, 'x', LLBC_NAME_MAX);
	expect(LLBC_ERR_NAME_UNTERMINATED);
}

Test(llbc, rejects_empty_name)
{
	memset(file + 4, 0, LLBC_NAME_MAX);
	expect(LLBC_ERR_NAME_EMPTY);
}

Test(llbc, rejects_unterminated_entry)
{
	memset(file + 36, 'e', LLBC_ENTRY_MAX);
	expect(LLBC_ERR_ENTRY_UNTERMINATED);
}

Test(llbc, rejects_empty_entry)
{
	memset(file + 36, 0, LLBC_ENTRY_MAX);
	expect(LLBC_ERR_ENTRY_EMPTY);
}

Test(llbc, rejects_opt_level_out_of_range)
{
	put32(108, 4);
	expect(LLBC_ERR_OPT);
	put32(108, 0xffffffffu);
	expect(LLBC_ERR_OPT);
	put32(108, 3);
	expect(LLBC_OK);
}

Test(llbc, rejects_crc_mismatch)
{
	file[LLBC_HEADER_SIZE + 10] ^= 1;       /* payload changed */
	expect(LLBC_ERR_CRC);
	build();
	put32(112, llbc_crc32(payload, sizeof payload) ^ 0x100);
	expect(LLBC_ERR_CRC);
}

Test(llbc, rejects_payload_that_is_not_bitcode)
{
	file[LLBC_HEADER_SIZE + 1] = 'X';
	fix_crc();
	expect(LLBC_ERR_NOT_BITCODE);
}

Test(llbc, accepts_wrapped_bitcode_payload)
{
	static const uint8_t w[4] = { 0xDE, 0xC0, 0x17, 0x0B };
	memcpy(file + LLBC_HEADER_SIZE, w, 4);
	fix_crc();
	expect(LLBC_OK);
}

Test(llbc, every_error_has_its_own_message)
{
	for (int a = 0; a < LLBC_ERR__COUNT; a++) {
		cr_assert(llbc_strerror(a) && *llbc_strerror(a));
		for (int b = 0; b < a; b++)
			cr_assert_str_neq(llbc_strerror(a), llbc_strerror(b));
	}
	cr_assert_str_eq(llbc_strerror(LLBC_ERR__COUNT), "unknown LLBC error");
	cr_assert_str_eq(llbc_strerror(-1), "unknown LLBC error");
}

Test(llbc, init_rejects_overlong_names)
{
	struct llbc_header h;
	char n32[33], e64[65];
	memset(n32, 'n', 32);
	n32[32] = 0;
	memset(e64, 'e', 64);
	e64[64] = 0;
	cr_assert_eq(llbc_header_init(&h, n32, "e", 0, payload, 4), -1);
	cr_assert_eq(llbc_header_init(&h, "n", e64, 0, payload, 4), -1);
	cr_assert_eq(llbc_header_init(&h, "", "e", 0, payload, 4), -1);
	n32[31] = 0;
	e64[63] = 0;
	cr_assert_eq(llbc_header_init(&h, n32, e64, 0, payload, 4), 0);
}
