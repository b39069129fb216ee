/* servers/jit/bc/: the bitstream primitives on hand-built streams
 * (fixed, VBR, char6, alignment, blobs, arrays, abbreviations, BLOCKINFO,
 * block skipping and every structural error), the reader's behaviour on
 * malformed modules (every truncation, bit flips, arena exhaustion,
 * wrapper), floating point, alignments at LLVM's limit, and the IR
 * verifier on broken IR. */
#include <criterion/criterion.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "servers/jit/bc/bc.h"
#include "servers/jit/bc/bitstream.h"
#include "servers/jit/bc/internal.h"
#include "servers/jit/ir/ir.h"

/* ------------------------------------------------------------ a writer */

struct bw {
	uint8_t buf[8192];
	uint64_t pos;
};

static void put(struct bw *w, uint64_t v, unsigned n)
{
	for (unsigned i = 0; i < n; i++, w->pos++)
		if ((v >> i) & 1)
			w->buf[w->pos >> 3] |= (uint8_t)(1u << (w->pos & 7));
}

static void put_vbr(struct bw *w, uint64_t v, unsigned n)
{
	uint64_t hi = 1ull << (n - 1);
	while (v >= hi) {
		put(w, (v & (hi - 1)) | hi, n);
		v >>= n - 1;
	}
	put(w, v, n);
}

static void align32(struct bw *w) { w->pos = (w->pos + 31) & ~31ull; }

/* ENTER_SUBBLOCK with abbrev width `aw` inside a block of width `outer`;
 * returns the bit position of the length word to patch. */
static uint64_t enter(struct bw *w, unsigned outer, unsigned id, unsigned aw)
{
	put(w, 1, outer);
	put_vbr(w, id, 8);
	put_vbr(w, aw, 4);
	align32(w);
	uint64_t at = w->pos;
	put(w, 0, 32);
	return at;
}

static void end_block(struct bw *w, unsigned aw, uint64_t lenpos)
{
	put(w, 0, aw);
	align32(w);
	uint64_t words = (w->pos - lenpos - 32) / 32;
	for (int i = 0; i < 4; i++)
		w->buf[lenpos / 8 + i] = (uint8_t)(words >> (8 * i));
}

static struct bs s;
static struct bc_error err;
static uint8_t arena_mem[1 << 20];
static struct ir_arena arena;

static void start(struct bw *w)
{
	memset(&err, 0, sizeof err);
	ir_arena_init(&arena, arena_mem, sizeof arena_mem);
	bs_init(&s, w->buf, (size_t)((w->pos + 31) / 32 * 4), 0, &arena, &err);
}

/* ----------------------------------------------------------- primitives */

Test(bitstream, fixed_fields_of_every_width)
{
	static struct bw w;
	memset(&w, 0, sizeof w);
	for (unsigned n = 1; n <= 64; n++)
		put(&w, n == 64 ? 0xfedcba9876543210ull : (0x5555555555555555ull & ((1ull << n) - 1)) ^ n, n);
	start(&w);
	for (unsigned n = 1; n <= 64; n++) {
		uint64_t want = n == 64 ? 0xfedcba9876543210ull : (0x5555555555555555ull & ((1ull << n) - 1)) ^ n;
		cr_assert_eq(bs_read(&s, n), want, "width %u", n);
	}
	cr_assert(!s.failed);
}

Test(bitstream, vbr_values_and_widths)
{
	static struct bw w;
	static const uint64_t vals[] = { 0, 1, 31, 32, 63, 64, 1000, 0xffffffffull,
					 0x100000000ull, 0x7fffffffffffffffull, ~0ull };
	memset(&w, 0, sizeof w);
	for (unsigned n = 2; n <= 32; n++)
		for (size_t i = 0; i < sizeof vals / sizeof vals[0]; i++)
			put_vbr(&w, vals[i], n);
	start(&w);
	for (unsigned n = 2; n <= 32; n++)
		for (size_t i = 0; i < sizeof vals / sizeof vals[0]; i++)
			cr_assert_eq(bs_read_vbr(&s, n), vals[i], "vbr%u value %zu", n, i);
	cr_assert(!s.failed);
}

Test(bitstream, vbr_overflow_is_an_error)
{
	static struct bw w;
	memset(&w, 0, sizeof w);
	for (int i = 0; i < 20; i++)
		put(&w, 0x3f, 6);               /* continuation forever: 100 bits */
	put(&w, 0, 6);
	start(&w);
	bs_read_vbr(&s, 6);
	cr_assert(s.failed);
	cr_assert_eq(err.code, BC_ERR_RECORD);
	cr_assert(strstr(err.msg, "64 bits"), "%s", err.msg);
}

Test(bitstream, bad_vbr_width_rejected)
{
	static struct bw w;
	memset(&w, 0, sizeof w);
	put(&w, 0, 32);
	start(&w);
	bs_read_vbr(&s, 1);
	cr_assert_eq(err.code, BC_ERR_ABBREV);
}

Test(bitstream, char6_alphabet)
{
	const char *want = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._";
	for (unsigned i = 0; i < 64; i++)
		cr_assert_eq(bs_char6(i), want[i]);
}

Test(bitstream, signed_vbr_decoding)
{
	cr_assert_eq(bs_decode_signed(0), 0);
	cr_assert_eq(bs_decode_signed(2), 1);
	cr_assert_eq(bs_decode_signed(3), -1);
	cr_assert_eq(bs_decode_signed(1), INT64_MIN);
	cr_assert_eq(bs_decode_signed(~0ull), -(int64_t)(~0ull >> 1));
}

Test(bitstream, reads_past_the_end_fail_and_stick)
{
	static struct bw w;
	memset(&w, 0, sizeof w);
	put(&w, 0xabcd, 16);
	w.pos = 32;
	start(&w);
	cr_assert_eq(bs_read(&s, 20), 0xabcd);
	cr_assert_eq(bs_read(&s, 13), 0);       /* 12 bits left */
	cr_assert(s.failed);
	cr_assert_eq(err.code, BC_ERR_TRUNCATED);
	cr_assert_eq(err.bit, 20);
	cr_assert_eq(bs_read(&s, 1), 0);        /* sticky */
	cr_assert_eq(err.bit, 20);
}

Test(bitstream, align32)
{
	static struct bw w;
	memset(&w, 0, sizeof w);
	put(&w, 5, 3);
	align32(&w);
	put(&w, 0x1234, 16);
	w.pos = 64;
	start(&w);
	cr_assert_eq(bs_read(&s, 3), 5);
	bs_align32(&s);
	cr_assert_eq(s.pos, 32);
	bs_align32(&s);
	cr_assert_eq(s.pos, 32);
	cr_assert_eq(bs_read(&s, 16), 0x1234);
}

/* A block (id 9, abbrev width 4) with a local abbreviation
 * [literal 7, fixed 3, vbr 6, array char6], a blob abbreviation
 * [literal 8, vbr 6, blob], an unabbreviated record and a nested unknown
 * block to skip. */
static void block_with_abbrevs(struct bw *w)
{
	memset(w, 0, sizeof *w);
	uint64_t l = enter(w, 2, 9, 4);
	put(w, 2, 4);                   /* DEFINE_ABBREV, 5 operands */
	put_vbr(w, 5, 5);
	put(w, 1, 1); put_vbr(w, 7, 8);                 /* literal 7 */
	put(w, 0, 1); put(w, 1, 3); put_vbr(w, 3, 5);   /* fixed(3) */
	put(w, 0, 1); put(w, 2, 3); put_vbr(w, 6, 5);   /* vbr(6) */
	put(w, 0, 1); put(w, 3, 3);                     /* array */
	put(w, 0, 1); put(w, 4, 3);                     /* char6 */
	put(w, 2, 4);                   /* DEFINE_ABBREV: blob */
	put_vbr(w, 3, 5);
	put(w, 1, 1); put_vbr(w, 8, 8);
	put(w, 0, 1); put(w, 2, 3); put_vbr(w, 6, 5);
	put(w, 0, 1); put(w, 5, 3);
	/* record with abbrev 4: code 7, 5, 1000, "hi.Z" */
	put(w, 4, 4);
	put(w, 5, 3);
	put_vbr(w, 1000, 6);
	put_vbr(w, 4, 6);
	put(w, 7, 6); put(w, 8, 6); put(w, 62, 6); put(w, 51, 6);
	/* nested unknown block 77 with junk inside, skipped by length */
	uint64_t l2 = enter(w, 4, 77, 3);
	put(w, 3, 3); put_vbr(w, 1, 6); put_vbr(w, 1, 6); put_vbr(w, 99, 6);
	end_block(w, 3, l2);
	/* record with abbrev 5: code 8, 42, blob "xyz" */
	put(w, 5, 4);
	put_vbr(w, 42, 6);
	put_vbr(w, 3, 6);
	align32(w);
	put(w, 'x', 8); put(w, 'y', 8); put(w, 'z', 8);
	align32(w);
	/* unabbreviated record: code 3, ops 1 2 3 */
	put(w, 3, 4);
	put_vbr(w, 3, 6); put_vbr(w, 3, 6);
	put_vbr(w, 1, 6); put_vbr(w, 2, 6); put_vbr(w, 3, 6);
	end_block(w, 4, l);
}

Test(bitstream, abbreviations_arrays_blobs_and_skipping)
{
	static struct bw w;
	struct bs_entry e;
	block_with_abbrevs(&w);
	start(&w);
	cr_assert_eq(bs_next(&s, &e), BS_ENTRY_SUBBLOCK);
	cr_assert_eq(e.id, 9);
	cr_assert_eq(bs_enter(&s, 9), 0);
	cr_assert_eq(bs_next(&s, &e), BS_ENTRY_RECORD, "%s", err.msg);
	cr_assert_eq(e.id, 7);
	cr_assert_eq(e.abbrev, 4);
	cr_assert_eq(e.nops, 6);
	cr_assert_eq(e.ops[0], 5);
	cr_assert_eq(e.ops[1], 1000);
	cr_assert_eq(e.ops[2], 'h');
	cr_assert_eq(e.ops[3], 'i');
	cr_assert_eq(e.ops[4], '.');
	cr_assert_eq(e.ops[5], 'Z');
	cr_assert_eq(bs_next(&s, &e), BS_ENTRY_SUBBLOCK);
	cr_assert_eq(e.id, 77);
	cr_assert_eq(bs_skip(&s), 0);
	cr_assert_eq(bs_next(&s, &e), BS_ENTRY_RECORD);
	cr_assert_eq(e.id, 8);
	cr_assert_eq(e.nops, 1);
	cr_assert_eq(e.ops[0], 42);
	cr_assert_eq(e.blob_len, 3);
	cr_assert_eq(memcmp(e.blob, "xyz", 3), 0);
	cr_assert_eq(bs_next(&s, &e), BS_ENTRY_RECORD);
	cr_assert_eq(e.id, 3);
	cr_assert_eq(e.abbrev, 3);
	cr_assert_eq(e.nops, 3);
	cr_assert_eq(e.ops[2], 3);
	cr_assert_eq(bs_next(&s, &e), BS_ENTRY_END);
	cr_assert_eq(s.depth, 0);
	cr_assert_eq(bs_next(&s, &e), BS_ENTRY_END);    /* end of stream */
	cr_assert(!s.failed, "%s", err.msg);
}

Test(bitstream, blockinfo_abbreviations_apply_to_their_block)
{
	static struct bw w;
	struct bs_entry e;
	memset(&w, 0, sizeof w);
	uint64_t l = enter(&w, 2, 0, 2);        /* BLOCKINFO */
	put(&w, 3, 2); put_vbr(&w, 1, 6); put_vbr(&w, 1, 6); put_vbr(&w, 12, 6); /* SETBID 12 */
	put(&w, 2, 2); put_vbr(&w, 2, 5);       /* abbrev [literal 5, fixed 8] */
	put(&w, 1, 1); put_vbr(&w, 5, 8);
	put(&w, 0, 1); put(&w, 1, 3); put_vbr(&w, 8, 5);
	end_block(&w, 2, l);
	l = enter(&w, 2, 12, 3);
	put(&w, 4, 3); put(&w, 200, 8);         /* record via the BLOCKINFO abbrev */
	end_block(&w, 3, l);
	l = enter(&w, 2, 13, 3);                /* another block: id 4 undefined */
	put(&w, 4, 3); put(&w, 200, 8);
	end_block(&w, 3, l);
	start(&w);
	cr_assert_eq(bs_next(&s, &e), BS_ENTRY_SUBBLOCK);       /* BLOCKINFO consumed */
	cr_assert_eq(e.id, 12);
	bs_enter(&s, 12);
	cr_assert_eq(bs_next(&s, &e), BS_ENTRY_RECORD);
	cr_assert_eq(e.id, 5);
	cr_assert_eq(e.nops, 1);
	cr_assert_eq(e.ops[0], 200);
	cr_assert_eq(bs_next(&s, &e), BS_ENTRY_END);
	cr_assert_eq(bs_next(&s, &e), BS_ENTRY_SUBBLOCK);
	bs_enter(&s, 13);
	cr_assert_eq(bs_next(&s, &e), BS_ENTRY_ERROR);
	cr_assert_eq(err.code, BC_ERR_ABBREV);
	cr_assert(strstr(err.msg, "undefined abbreviation id 4"), "%s", err.msg);
}

Test(bitstream, block_length_past_the_end)
{
	static struct bw w;
	struct bs_entry e;
	memset(&w, 0, sizeof w);
	uint64_t l = enter(&w, 2, 8, 3);
	end_block(&w, 3, l);
	w.buf[l / 8] = 200;             /* 200 words: far beyond the data */
	start(&w);
	cr_assert_eq(bs_next(&s, &e), BS_ENTRY_ERROR);
	cr_assert_eq(err.code, BC_ERR_TRUNCATED);
}

Test(bitstream, reads_are_confined_to_the_block)
{
	static struct bw w;
	struct bs_entry e;
	memset(&w, 0, sizeof w);
	uint64_t l = enter(&w, 2, 8, 3);
	put(&w, 3, 3); put_vbr(&w, 1, 6); put_vbr(&w, 40, 6);  /* claims 40 operands */
	for (int i = 0; i < 40; i++)
		put_vbr(&w, 1, 6);
	put(&w, 0, 3);
	align32(&w);
	/* the length word says one word: the record runs past the block */
	w.buf[l / 8] = 1;
	start(&w);
	cr_assert_eq(bs_next(&s, &e), BS_ENTRY_SUBBLOCK);
	bs_enter(&s, 8);
	cr_assert_eq(bs_next(&s, &e), BS_ENTRY_ERROR);
	cr_assert_eq(err.code, BC_ERR_TRUNCATED);
}

Test(bitstream, nesting_is_limited)
{
	static struct bw w;
	struct bs_entry e;
	memset(&w, 0, sizeof w);
	uint64_t lens[BS_MAX_DEPTH + 2];
	unsigned outer = 2;
	for (int i = 0; i < BS_MAX_DEPTH + 2; i++) {
		lens[i] = enter(&w, outer, 8, 3);
		outer = 3;
	}
	for (int i = BS_MAX_DEPTH + 1; i >= 0; i--)
		end_block(&w, 3, lens[i]);
	start(&w);
	int depth = 0;
	for (;;) {
		enum bs_entry_kind k = bs_next(&s, &e);
		if (k != BS_ENTRY_SUBBLOCK)
			break;
		if (bs_enter(&s, e.id))
			break;
		depth++;
	}
	cr_assert_eq(depth, BS_MAX_DEPTH);
	cr_assert_eq(err.code, BC_ERR_LIMIT);
}

Test(bitstream, malformed_abbreviations)
{
	/* array not second to last; blob not last; literal array element;
	 * fixed width > 64; unknown encoding */
	static const struct { unsigned ops[8][3]; unsigned n; } cases[] = {
		{ { { 0, 3, 0 }, { 0, 4, 0 }, { 0, 1, 8 } }, 3 },
		{ { { 1, 5, 0 }, { 0, 5, 0 }, { 0, 1, 8 } }, 3 },
		{ { { 1, 5, 0 }, { 0, 3, 0 }, { 1, 7, 0 } }, 3 },
		{ { { 0, 1, 65 } }, 1 },
		{ { { 1, 5, 0 }, { 0, 6, 0 } }, 2 },
		{ { { 0, 3, 0 }, { 0, 4, 0 } }, 2 },
	};
	for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
		static struct bw w;
		struct bs_entry e;
		memset(&w, 0, sizeof w);
		uint64_t l = enter(&w, 2, 8, 4);
		put(&w, 2, 4);
		put_vbr(&w, cases[c].n, 5);
		for (unsigned i = 0; i < cases[c].n; i++) {
			const unsigned *o = cases[c].ops[i];
			put(&w, o[0], 1);
			if (o[0] == 1) {
				put_vbr(&w, o[1], 8);
			} else {
				put(&w, o[1], 3);
				if (o[1] == 1 || o[1] == 2)
					put_vbr(&w, o[2], 5);
			}
		}
		end_block(&w, 4, l);
		start(&w);
		cr_assert_eq(bs_next(&s, &e), BS_ENTRY_SUBBLOCK);
		bs_enter(&s, 8);
		cr_assert_eq(bs_next(&s, &e), BS_ENTRY_ERROR, "case %zu", c);
		cr_assert_eq(err.code, BC_ERR_ABBREV, "case %zu: %s", c, err.msg);
	}
}

Test(bitstream, end_block_at_top_level_and_records_outside_blocks)
{
	static struct bw w;
	struct bs_entry e;
	memset(&w, 0, sizeof w);
	put(&w, 0, 2);
	w.pos = 32;
	start(&w);
	cr_assert_eq(bs_next(&s, &e), BS_ENTRY_ERROR);
	cr_assert_eq(err.code, BC_ERR_BLOCK);
	memset(&w, 0, sizeof w);
	put(&w, 3, 2);
	w.pos = 32;
	start(&w);
	cr_assert_eq(bs_next(&s, &e), BS_ENTRY_ERROR);
	cr_assert_eq(err.code, BC_ERR_BLOCK);
}

/* --------------------------------------------------------- the reader */

static uint8_t *load(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	cr_assert(f, "cannot open %s (built by make)", path);
	static uint8_t buf[1 << 20];
	*len = fread(buf, 1, sizeof buf, f);
	fclose(f);
	uint8_t *copy = malloc(*len);
	memcpy(copy, buf, *len);
	return copy;
}

static uint8_t big_arena[32 << 20];

static int read_mod(const uint8_t *d, size_t n, struct ir_module **m)
{
	ir_arena_init(&arena, big_arena, sizeof big_arena);
	memset(&err, 0, sizeof err);
	return bc_read_module(d, n, &arena, m, &err);
}

Test(reader, not_bitcode)
{
	struct ir_module *m;
	static const uint8_t junk[8] = "ELF\0abc";
	cr_assert_eq(read_mod(junk, 8, &m), BC_ERR_MAGIC);
	cr_assert_null(m);
	cr_assert_eq(read_mod(junk, 0, &m), BC_ERR_MAGIC);
	static const uint8_t odd[6] = { 'B', 'C', 0xC0, 0xDE, 0, 0 };
	cr_assert_eq(read_mod(odd, 6, &m), BC_ERR_TRUNCATED);
	static const uint8_t empty[4] = { 'B', 'C', 0xC0, 0xDE };
	cr_assert_eq(read_mod(empty, 4, &m), BC_ERR_BLOCK);        /* no module */
	cr_assert(strstr(err.msg, "no MODULE"), "%s", err.msg);
}

Test(reader, every_truncation_is_an_error)
{
	size_t n;
	uint8_t *d = load("build/corpus/structs.O2.bc", &n);
	struct ir_module *m;
	cr_assert_eq(read_mod(d, n, &m), BC_OK, "%s", err.msg);
	for (size_t k = 0; k < n; k++) {
		uint8_t *t = malloc(k ? k : 1);
		memcpy(t, d, k);
		int rc = read_mod(t, k, &m);
		cr_assert_neq(rc, BC_OK, "prefix of %zu bytes accepted", k);
		cr_assert_null(m);
		cr_assert(err.msg[0]);
		cr_assert_leq(err.bit, (uint64_t)k * 8);
		cr_assert_eq(arena.used, 0, "failed read kept arena memory");
		free(t);
	}
	free(d);
}

Test(reader, bit_flips_give_an_error_or_a_verified_module)
{
	size_t n;
	uint8_t *d = load("build/corpus/switch.O1.bc", &n);
	uint32_t x = 12345;
	int ok = 0, bad = 0;
	for (int i = 0; i < 3000; i++) {
		uint8_t *t = malloc(n);
		memcpy(t, d, n);
		for (int k = 0; k < 1 + i % 3; k++) {
			x = x * 1103515245u + 12345u;
			size_t bit = (x >> 4) % (n * 8);
			t[bit / 8] ^= (uint8_t)(1u << (bit % 8));
		}
		struct ir_module *m;
		int rc = read_mod(t, n, &m);
		if (rc == BC_OK) {
			char msg[200];
			cr_assert_not_null(m);
			cr_assert_eq(ir_verify_module(m, &arena, msg, sizeof msg), 0, "%s", msg);
			ok++;
		} else {
			cr_assert(rc > 0 && rc < BC_ERR__COUNT);
			cr_assert(err.msg[0]);
			bad++;
		}
		free(t);
	}
	cr_assert_gt(bad, 0);
	free(d);
}

Test(reader, arena_exhaustion_is_reported_and_released)
{
	size_t n;
	uint8_t *d = load("build/corpus/globals.O0.bc", &n);
	struct ir_module *m;
	cr_assert_eq(read_mod(d, n, &m), BC_OK);
	size_t need = arena.peak;       /* the verifier's scratch included */
	cr_assert_gt(need, arena.used);
	static uint8_t mem[4 << 20];
	for (size_t sz = 0; sz < need; sz += need / 97 + 1) {
		ir_arena_init(&arena, mem, sz);
		int rc = bc_read_module(d, n, &arena, &m, &err);
		cr_assert_eq(rc, BC_ERR_NOMEM, "arena of %zu bytes: %s", sz, err.msg);
		cr_assert_eq(arena.used, 0);
	}
	ir_arena_init(&arena, mem, need);
	cr_assert_eq(bc_read_module(d, n, &arena, &m, &err), BC_OK, "%s", err.msg);
	free(d);
}

Test(reader, wrapper_header)
{
	size_t n;
	uint8_t *d = load("build/corpus/loops.O1.bc", &n);
	uint8_t *w = calloc(1, n + 20);
	const uint32_t hdr[5] = { 0x0B17C0DE, 0, 20, (uint32_t)n, 7 };
	memcpy(w, hdr, 20);
	memcpy(w + 20, d, n);
	struct ir_module *m;
	cr_assert_eq(read_mod(w, n + 20, &m), BC_OK, "%s", err.msg);
	cr_assert_not_null(ir_module_func(m, "test_main"));
	((uint32_t *)w)[3] = (uint32_t)n + 4;    /* size beyond the file */
	cr_assert_eq(read_mod(w, n + 20, &m), BC_ERR_MAGIC);
	((uint32_t *)w)[3] = (uint32_t)n;
	((uint32_t *)w)[2] = 8;                  /* offset inside the header */
	cr_assert_eq(read_mod(w, n + 20, &m), BC_ERR_MAGIC);
	free(w);
	free(d);
}

Test(reader, module_facts)
{
	size_t n;
	uint8_t *d = load("build/corpus/globals.O0.bc", &n);
	struct ir_module *m;
	cr_assert_eq(read_mod(d, n, &m), BC_OK, "%s", err.msg);
	cr_assert_str_eq(m->triple, "i686-unknown-none");
	cr_assert(strstr(m->datalayout, "p:32:32"));
	cr_assert_eq(m->version, 2);
	/* static const unsigned char sbox[16] = { 0xc, 0x5, ... } */
	struct ir_global *g = ir_module_global(m, "sbox");
	cr_assert_not_null(g);
	cr_assert(g->is_const);
	cr_assert_eq(g->linkage, IR_LINK_INTERNAL);
	cr_assert_eq(g->value_type->kind, IR_TY_ARRAY);
	cr_assert_eq(g->value_type->count, 16);
	cr_assert_eq(ir_type_size(g->value_type), 16);
	cr_assert_eq(g->init->kind, IR_VAL_CONST_DATA);
	const struct ir_const *c = (const struct ir_const *)g->init;
	cr_assert_eq(c->nelems, 16);
	cr_assert_eq(c->data[0], 0xc);
	cr_assert_eq(c->data[15], 0x2);
	/* int counter = 42; */
	g = ir_module_global(m, "counter");
	cr_assert_eq(g->init->kind, IR_VAL_CONST_INT);
	cr_assert_eq(((const struct ir_const *)g->init)->i, 42);
	cr_assert_eq(g->linkage, IR_LINK_EXTERNAL);
	cr_assert(!g->is_const);
	/* u32 zeroed[32]; is zeroinitializer */
	g = ir_module_global(m, "zeroed");
	cr_assert_eq(g->init->kind, IR_VAL_CONST_NULL);
	cr_assert_eq(ir_type_size(g->value_type), 128);
	/* table_ptrs = { &counter, &zeroed[4], &powers[2] }: GEP constants */
	g = ir_module_global(m, "table_ptrs");
	cr_assert_eq(g->init->kind, IR_VAL_CONST_AGG);
	c = (const struct ir_const *)g->init;
	cr_assert_eq(c->nelems, 3);
	cr_assert_eq(c->elems[0], &ir_module_global(m, "counter")->v);
	cr_assert_eq(c->elems[1]->kind, IR_VAL_CONST_EXPR);
	const struct ir_const *ce = (const struct ir_const *)c->elems[1];
	cr_assert_eq(ce->expr.op, IR_OP_GEP);
	cr_assert_eq(ce->expr.ops[0], &ir_module_global(m, "zeroed")->v);
	/* strings: "three" */
	int found = 0;
	for (uint32_t i = 0; i < m->nglobals; i++) {
		const struct ir_global *s2 = m->globals[i];
		if (s2->init && s2->init->kind == IR_VAL_CONST_DATA) {
			const struct ir_const *sc = (const struct ir_const *)s2->init;
			if (sc->nelems == 6 && sc->data[0] == 't' && sc->data[4] == 'e' && sc->data[5] == 0)
				found = 1;
		}
	}
	cr_assert(found, "string \"three\" not found");
	/* struct entry { const char *name; int value; const struct entry *next; } */
	g = ir_module_global(m, "e1");
	cr_assert_eq(g->value_type->kind, IR_TY_STRUCT);
	cr_assert_eq(ir_type_size(g->value_type), 12);
	cr_assert_eq(ir_struct_offset(g->value_type, 2), 8);
	struct ir_func *f = ir_module_func(m, "test_main");
	cr_assert_not_null(f);
	cr_assert(!f->is_decl);
	cr_assert_eq(f->fn_type->ret->kind, IR_TY_INT);
	cr_assert_eq(f->nparams, 0);
	free(d);
}

Test(reader, uses_are_linked_to_their_users)
{
	size_t n;
	uint8_t *d = load("build/corpus/recursion.O2.bc", &n);
	struct ir_module *m;
	cr_assert_eq(read_mod(d, n, &m), BC_OK, "%s", err.msg);
	for (uint32_t fi = 0; fi < m->nfuncs; fi++) {
		const struct ir_func *f = m->funcs[fi];
		for (uint32_t b = 0; b < f->nblocks; b++)
			for (const struct ir_inst *in = f->blocks[b]->first; in; in = in->next) {
				uint32_t cnt = 0;
				for (const struct ir_use *u = in->v.uses; u; u = u->next) {
					cr_assert_eq(u->value, &in->v);
					cr_assert_eq(&u->user->ops[u->index], u);
					cnt++;
				}
				cr_assert_eq(cnt, in->v.nuses);
				for (uint32_t i = 0; i < in->nops; i++) {
					const struct ir_value *v = in->ops[i].value;
					int linked = 0;
					for (const struct ir_use *u = v->uses; u; u = u->next)
						linked |= u == &in->ops[i];
					cr_assert(linked, "operand %u of %s not in its value's use list",
						  i, ir_opcode_name(in->op));
				}
			}
	}
	free(d);
}

Test(reader, floating_point_parses)
{
	size_t n;
	uint8_t *d = load("build/bcinputs/fp.bc", &n);
	struct ir_module *m;
	cr_assert_eq(read_mod(d, n, &m), BC_OK, "%s", err.msg);
	struct ir_global *t = ir_module_global(m, "table");
	cr_assert_not_null(t);
	cr_assert_eq(t->value_type->elem->kind, IR_TY_DOUBLE);
	const struct ir_const *c = (const struct ir_const *)t->init;
	cr_assert_eq(c->v.kind, IR_VAL_CONST_DATA);
	cr_assert_eq(c->data[0], 0x3FE0000000000000ull);        /* 0.5 */
	cr_assert_eq(c->data[1], 0xBFF4000000000000ull);        /* -1.25 */
	struct ir_global *fs = ir_module_global(m, "fscale");
	cr_assert_eq(fs->value_type->kind, IR_TY_FLOAT);
	cr_assert_eq(((const struct ir_const *)fs->init)->fp_bits, 0x40200000u); /* 2.5f */
	struct ir_func *w = ir_module_func(m, "wide");
	cr_assert_eq(w->fn_type->ret->kind, IR_TY_X86_FP80);
	int seen[IR_OP__COUNT] = { 0 };
	for (uint32_t fi = 0; fi < m->nfuncs; fi++)
		for (uint32_t b = 0; b < m->funcs[fi]->nblocks; b++)
			for (const struct ir_inst *in = m->funcs[fi]->blocks[b]->first; in; in = in->next)
				seen[in->op]++;
	cr_assert(seen[IR_OP_FMUL] && seen[IR_OP_FCMP] && seen[IR_OP_FPTOSI] && seen[IR_OP_FNEG] &&
		  seen[IR_OP_SITOFP] && seen[IR_OP_FPEXT] && seen[IR_OP_FDIV]);
	free(d);
}

/* ------------------------------------------------------- the verifier */

static struct ir_type t_i32 = { .kind = IR_TY_INT, .bits = 32, .size = 4, .align = 4 };
static struct ir_type t_i1 = { .kind = IR_TY_INT, .bits = 1, .size = 1, .align = 1 };
static struct ir_type t_void = { .kind = IR_TY_VOID };
static struct ir_type t_label = { .kind = IR_TY_LABEL };
static struct ir_type *params[2] = { &t_i32, &t_i1 };
static struct ir_type t_fn = { .kind = IR_TY_FUNC, .ret = &t_i32, .members = params, .nmembers = 2 };

/* A function "f(i32 %0, i1 %1)" with n blocks, built by hand. */
struct hand {
	struct ir_func f;
	struct ir_arg args[2];
	struct ir_block blk[4];
	struct ir_block *bp[4];
	struct ir_inst in[16];
	struct ir_use ops[16][16];
	int ninst;
};
static struct hand H;

static void hand_init(int nblocks)
{
	memset(&H, 0, sizeof H);
	H.f.v.kind = IR_VAL_FUNC;
	H.f.v.name = "f";
	H.f.fn_type = &t_fn;
	H.f.nparams = 2;
	H.f.params = H.args;
	for (int i = 0; i < 2; i++) {
		H.args[i].v.kind = IR_VAL_ARG;
		H.args[i].v.type = params[i];
		H.args[i].v.id = (uint32_t)i;
		H.args[i].parent = &H.f;
		H.args[i].index = (uint32_t)i;
	}
	for (int b = 0; b < nblocks; b++) {
		H.blk[b].v.kind = IR_VAL_BLOCK;
		H.blk[b].v.type = &t_label;
		H.blk[b].v.id = (uint32_t)b;
		H.blk[b].parent = &H.f;
		H.blk[b].index = (uint32_t)b;
		H.bp[b] = &H.blk[b];
	}
	H.f.blocks = H.bp;
	H.f.nblocks = (uint32_t)nblocks;
	H.f.nvalues = 2;
}

static struct ir_inst *add(int b, enum ir_opcode op, struct ir_type *t, int n, ...)
{
	struct ir_inst *in = &H.in[H.ninst];
	in->v.kind = IR_VAL_INST;
	in->v.type = t;
	in->v.id = 2 + (uint32_t)H.ninst;
	in->op = op;
	in->ops = H.ops[H.ninst];
	in->nops = (uint32_t)n;
	H.ninst++;
	va_list ap;
	va_start(ap, n);
	for (int i = 0; i < n; i++) {
		in->ops[i].user = in;
		in->ops[i].index = (uint32_t)i;
		ir_set_op(in, (uint32_t)i, va_arg(ap, struct ir_value *));
	}
	va_end(ap);
	struct ir_block *bb = &H.blk[b];
	in->parent = bb;
	in->prev = bb->last;
	if (bb->last)
		bb->last->next = in;
	else
		bb->first = in;
	bb->last = in;
	bb->ninsts++;
	H.f.ninsts++;
	H.f.nvalues = in->v.id + 1;
	return in;
}

static int verify(char *msg)
{
	static uint8_t mem[1 << 16];
	struct ir_arena a;
	ir_arena_init(&a, mem, sizeof mem);
	int rc = ir_verify_func(&H.f, &a, msg, 200);
	cr_assert_eq(a.used, 0, "verifier kept scratch memory");
	return rc;
}

#define A0 (&H.args[0].v)
#define A1 (&H.args[1].v)
#define BLK(i) (&H.blk[i].v)

Test(verifier, accepts_a_diamond_with_a_phi)
{
	char msg[200];
	hand_init(4);
	add(0, IR_OP_BR, &t_void, 3, A1, BLK(1), BLK(2));
	struct ir_inst *x = add(1, IR_OP_ADD, &t_i32, 2, A0, A0);
	add(1, IR_OP_BR, &t_void, 1, BLK(3));
	struct ir_inst *y = add(2, IR_OP_MUL, &t_i32, 2, A0, A0);
	add(2, IR_OP_BR, &t_void, 1, BLK(3));
	struct ir_inst *p = add(3, IR_OP_PHI, &t_i32, 4, &x->v, BLK(1), &y->v, BLK(2));
	add(3, IR_OP_RET, &t_void, 1, &p->v);
	cr_assert_eq(verify(msg), 0, "%s", msg);
}

Test(verifier, rejects_use_of_a_value_that_does_not_dominate)
{
	char msg[200];
	hand_init(4);
	add(0, IR_OP_BR, &t_void, 3, A1, BLK(1), BLK(2));
	struct ir_inst *x = add(1, IR_OP_ADD, &t_i32, 2, A0, A0);
	add(1, IR_OP_BR, &t_void, 1, BLK(3));
	add(2, IR_OP_BR, &t_void, 1, BLK(3));
	add(3, IR_OP_RET, &t_void, 1, &x->v);
	cr_assert_eq(verify(msg), -1);
	cr_assert(strstr(msg, "does not dominate"), "%s", msg);
}

Test(verifier, rejects_use_before_definition_in_a_block)
{
	char msg[200];
	hand_init(1);
	struct ir_inst *a = add(0, IR_OP_ADD, &t_i32, 2, A0, A0);
	struct ir_inst *b = add(0, IR_OP_ADD, &t_i32, 2, A0, A0);
	ir_set_op(a, 1, &b->v);
	add(0, IR_OP_RET, &t_void, 1, &a->v);
	cr_assert_eq(verify(msg), -1);
	cr_assert(strstr(msg, "before its definition"), "%s", msg);
}

Test(verifier, rejects_a_block_without_terminator)
{
	char msg[200];
	hand_init(1);
	add(0, IR_OP_ADD, &t_i32, 2, A0, A0);
	cr_assert_eq(verify(msg), -1);
	cr_assert(strstr(msg, "does not end in a terminator"), "%s", msg);
}

Test(verifier, rejects_a_terminator_inside_a_block)
{
	char msg[200];
	hand_init(1);
	add(0, IR_OP_RET, &t_void, 1, A0);
	add(0, IR_OP_RET, &t_void, 1, A0);
	cr_assert_eq(verify(msg), -1);
	cr_assert(strstr(msg, "terminator in the middle"), "%s", msg);
}

Test(verifier, rejects_phi_shapes)
{
	char msg[200];
	/* one incoming for two predecessor edges */
	hand_init(3);
	add(0, IR_OP_BR, &t_void, 3, A1, BLK(1), BLK(2));
	add(1, IR_OP_BR, &t_void, 1, BLK(2));
	struct ir_inst *p = add(2, IR_OP_PHI, &t_i32, 2, A0, BLK(1));
	add(2, IR_OP_RET, &t_void, 1, &p->v);
	cr_assert_eq(verify(msg), -1);
	cr_assert(strstr(msg, "predecessor edges"), "%s", msg);
	/* incoming from a block that is not a predecessor */
	hand_init(3);
	add(0, IR_OP_BR, &t_void, 1, BLK(1));
	add(1, IR_OP_BR, &t_void, 1, BLK(2));
	p = add(2, IR_OP_PHI, &t_i32, 2, A0, BLK(0));
	add(2, IR_OP_RET, &t_void, 1, &p->v);
	cr_assert_eq(verify(msg), -1);
	cr_assert(strstr(msg, "not a predecessor"), "%s", msg);
	/* phi after a non-phi */
	hand_init(2);
	add(0, IR_OP_BR, &t_void, 1, BLK(1));
	struct ir_inst *x = add(1, IR_OP_ADD, &t_i32, 2, A0, A0);
	p = add(1, IR_OP_PHI, &t_i32, 2, &x->v, BLK(0));
	add(1, IR_OP_RET, &t_void, 1, &p->v);
	cr_assert_eq(verify(msg), -1);
	cr_assert(strstr(msg, "phi after"), "%s", msg);
}

Test(verifier, rejects_type_errors_and_undefined_operands)
{
	char msg[200];
	hand_init(1);
	add(0, IR_OP_ADD, &t_i32, 2, A0, A1);   /* i32 + i1 */
	add(0, IR_OP_RET, &t_void, 1, A0);
	cr_assert_eq(verify(msg), -1);
	cr_assert(strstr(msg, "mismatched"), "%s", msg);

	hand_init(1);
	add(0, IR_OP_RET, &t_void, 1, A1);      /* returns i1 from an i32 function */
	cr_assert_eq(verify(msg), -1);
	cr_assert(strstr(msg, "wrong type"), "%s", msg);

	static struct ir_value ph = { .kind = IR_VAL_PLACEHOLDER, .type = &t_i32 };
	hand_init(1);
	struct ir_inst *a = add(0, IR_OP_ADD, &t_i32, 2, A0, &ph);
	add(0, IR_OP_RET, &t_void, 1, &a->v);
	cr_assert_eq(verify(msg), -1);
	cr_assert(strstr(msg, "never defined"), "%s", msg);
}

Test(verifier, accepts_every_corpus_module)
{
	/* a positive control for the tests above */
	size_t n;
	uint8_t *d = load("build/corpus/vm.O3.bc", &n);
	struct ir_module *m;
	cr_assert_eq(read_mod(d, n, &m), BC_OK, "%s", err.msg);
	char msg[200];
	cr_assert_eq(ir_verify_module(m, &arena, msg, sizeof msg), 0, "%s", msg);
	free(d);
}

/* ------------------------------------------------------- attributes */

Test(reader, abi_attributes_of_parameters_and_calls)
{
	size_t n;
	uint8_t *d = load("build/corpus/structs.O0.bc", &n);
	struct ir_module *m;
	cr_assert_eq(read_mod(d, n, &m), BC_OK, "%s", err.msg);
	/* static struct rect grow(struct rect r, int d): sret + byval */
	struct ir_func *g = ir_module_func(m, "grow");
	cr_assert_not_null(g);
	cr_assert_eq(g->nparams, 3);
	cr_assert(g->params[0].attrs.flags & IR_ATTR_SRET);
	cr_assert_not_null(g->params[0].attrs.type);
	cr_assert_str_eq(g->params[0].attrs.type->name, "struct.rect");
	cr_assert(g->params[1].attrs.flags & IR_ATTR_BYVAL);
	cr_assert_eq(g->params[1].attrs.type, g->params[0].attrs.type);
	cr_assert_eq(g->params[1].attrs.align, 4);
	cr_assert_eq(g->params[2].attrs.flags & (IR_ATTR_BYVAL | IR_ATTR_SRET), 0);
	cr_assert_eq(ir_type_size(g->params[1].attrs.type), 20);
	/* the call sites carry the same attributes */
	struct ir_func *t = ir_module_func(m, "test_main");
	int calls = 0;
	for (uint32_t b = 0; b < t->nblocks; b++)
		for (const struct ir_inst *in = t->blocks[b]->first; in; in = in->next)
			if (ir_call_target(in) == g) {
				cr_assert_eq(in->ncall_attrs, 4);
				cr_assert(in->call_attrs[1].flags & IR_ATTR_SRET);
				cr_assert(in->call_attrs[2].flags & IR_ATTR_BYVAL);
				cr_assert_eq(in->call_attrs[2].type, g->params[1].attrs.type);
				calls++;
			}
	cr_assert_gt(calls, 0);
	free(d);
	/* void ring_put(struct ring *r, u8 v): zeroext on the byte */
	d = load("build/corpus/memops.O0.bc", &n);
	cr_assert_eq(read_mod(d, n, &m), BC_OK, "%s", err.msg);
	struct ir_func *rp = ir_module_func(m, "ring_put");
	cr_assert(rp->params[1].attrs.flags & IR_ATTR_ZEXT);
	cr_assert_eq(rp->params[0].attrs.flags & IR_ATTR_ZEXT, 0);
	free(d);
}

/* -------------------------------------------- refused constructs */

static void expect_refusal(const char *path, const char *what, const char *fn)
{
	size_t n;
	uint8_t *d = load(path, &n);
	struct ir_module *m;
	int rc = read_mod(d, n, &m);
	cr_assert_eq(rc, BC_ERR_UNSUPPORTED, "%s: %s (%s)", path, bc_err_name(rc), err.msg);
	cr_assert(strstr(err.msg, what), "%s: message '%s' lacks '%s'", path, err.msg, what);
	if (fn)
		cr_assert(strstr(err.msg, fn), "%s: message '%s' does not name %s", path, err.msg, fn);
	cr_assert_gt(err.bit, 0);
	cr_assert_lt(err.bit, (uint64_t)n * 8);
	free(d);
}

Test(reader, refuses_computed_goto_by_name)
{
	expect_refusal("build/bcinputs/goto.bc", "computed goto", NULL);
}

Test(reader, refuses_aliases)
{
	expect_refusal("build/bcinputs/alias.bc", "aliases", NULL);
}

Test(reader, refuses_inline_assembly)
{
	expect_refusal("build/bcinputs/asm.bc", "inline assembly", NULL);
}

Test(reader, debug_info_is_skipped_and_value_names_kept)
{
	size_t n1, n2;
	uint8_t *plain = load("build/corpus/vm.O2.bc", &n1);
	uint8_t *dbg = load("build/bcinputs/vm-debug.bc", &n2);
	cr_assert_gt(n2, n1 * 2, "the debug build should carry much more metadata");
	static uint8_t mem2[32 << 20];
	struct ir_arena a2;
	ir_arena_init(&a2, mem2, sizeof mem2);
	struct ir_module *m1, *m2;
	struct bc_error e2;
	cr_assert_eq(read_mod(plain, n1, &m1), BC_OK, "%s", err.msg);
	cr_assert_eq(bc_read_module(dbg, n2, &a2, &m2, &e2), BC_OK, "%s", e2.msg);
	/* the same code, function by function */
	cr_assert_eq(m1->nfuncs, m2->nfuncs);
	for (uint32_t i = 0; i < m1->nfuncs; i++) {
		const struct ir_func *f1 = m1->funcs[i];
		const struct ir_func *f2 = ir_module_func(m2, f1->v.name);
		cr_assert_not_null(f2, "@%s missing", f1->v.name);
		cr_assert_eq(f1->nblocks, f2->nblocks, "@%s", f1->v.name);
		cr_assert_eq(f1->ninsts, f2->ninsts, "@%s", f1->v.name);
	}
	/* names from the value symbol table: static int run(struct vm *m,
	 * const int *code, int len, u32 max_steps) */
	const struct ir_func *run = ir_module_func(m2, "run");
	cr_assert_not_null(run);
	cr_assert_str_eq(run->params[0].v.name, "m");
	cr_assert_str_eq(run->params[1].v.name, "code");
	cr_assert_str_eq(run->params[3].v.name, "max_steps");
	int named_blocks = 0;
	for (uint32_t b = 0; b < run->nblocks; b++)
		named_blocks += run->blocks[b]->v.name != NULL;
	cr_assert_gt(named_blocks, 0);
	free(plain);
	free(dbg);
}

static const struct ir_inst *find_op(const struct ir_func *f, enum ir_opcode op)
{
	for (uint32_t b = 0; b < f->nblocks; b++)
		for (const struct ir_inst *in = f->blocks[b]->first; in; in = in->next)
			if (in->op == op)
				return in;
	return NULL;
}

Test(reader, atomics)
{
	size_t n;
	uint8_t *d = load("build/bcinputs/atomic.bc", &n);
	struct ir_module *m;
	cr_assert_eq(read_mod(d, n, &m), BC_OK, "%s", err.msg);
	const struct ir_inst *in = find_op(ir_module_func(m, "bump"), IR_OP_ATOMICRMW);
	cr_assert_not_null(in);
	cr_assert_eq(in->pred, 1);              /* add */
	cr_assert_eq(in->ordering, 6);          /* seq_cst */
	cr_assert_eq(in->ops[0].value, &ir_module_global(m, "counter")->v);
	in = find_op(ir_module_func(m, "fetch_xor"), IR_OP_ATOMICRMW);
	cr_assert_eq(in->pred, 6);              /* xor */
	cr_assert_eq(in->ordering, 2);          /* monotonic */
	in = find_op(ir_module_func(m, "swap_if"), IR_OP_CMPXCHG);
	cr_assert_not_null(in);
	cr_assert(in->flags & IR_FL_WEAK);
	cr_assert_eq(in->ordering, 5);          /* acq_rel */
	cr_assert_eq(in->pred, 3);              /* acquire on failure */
	cr_assert_eq(in->v.type->kind, IR_TY_STRUCT);
	cr_assert_eq(in->v.type->nmembers, 2);
	cr_assert_eq(in->v.type->members[1]->bits, 1);
	cr_assert_eq(find_op(ir_module_func(m, "barrier"), IR_OP_FENCE)->ordering, 6);
	in = find_op(ir_module_func(m, "get"), IR_OP_LOAD);
	cr_assert(in->flags & IR_FL_ATOMIC);
	cr_assert_eq(in->ordering, 3);
	in = find_op(ir_module_func(m, "put"), IR_OP_STORE);
	cr_assert(in->flags & IR_FL_ATOMIC);
	cr_assert_eq(in->ordering, 4);
	free(d);
}

Test(verifier, rejects_entry_block_with_predecessors)
{
	char msg[200];
	hand_init(2);
	add(0, IR_OP_BR, &t_void, 1, BLK(1));
	add(1, IR_OP_BR, &t_void, 1, BLK(0));
	cr_assert_eq(verify(msg), -1);
	cr_assert(strstr(msg, "entry block has predecessors"), "%s", msg);
}

static struct ir_const mkint(struct ir_type *t, uint64_t v)
{
	struct ir_const c;
	memset(&c, 0, sizeof c);
	c.v.kind = IR_VAL_CONST_INT;
	c.v.type = t;
	c.i = v;
	return c;
}

Test(verifier, rejects_duplicate_switch_cases)
{
	char msg[200];
	static struct ir_const k[5];
	for (int i = 0; i < 5; i++)
		k[i] = mkint(&t_i32, (uint64_t)(i * 7 % 5));   /* 0 2 4 1 3: distinct */
	hand_init(2);
	add(0, IR_OP_SWITCH, &t_void, 12, A0, BLK(1), &k[0].v, BLK(1), &k[1].v, BLK(1),
	    &k[2].v, BLK(1), &k[3].v, BLK(1), &k[4].v, BLK(1));
	struct ir_inst *p = add(1, IR_OP_PHI, &t_i32, 12, A0, BLK(0), A0, BLK(0), A0, BLK(0),
				A0, BLK(0), A0, BLK(0), A0, BLK(0));
	add(1, IR_OP_RET, &t_void, 1, &p->v);
	cr_assert_eq(verify(msg), 0, "%s", msg);
	k[4].i = 2;                     /* now 2 appears twice */
	cr_assert_eq(verify(msg), -1);
	cr_assert(strstr(msg, "duplicate switch case value 2"), "%s", msg);
}

Test(verifier, checks_getelementptr_indices)
{
	char msg[200];
	static struct ir_type *mem[2] = { &t_i32, &t_i32 };
	static struct ir_type st = { .kind = IR_TY_STRUCT, .members = mem, .nmembers = 2,
				     .size = 8, .align = 4 };
	static struct ir_type t_ptr = { .kind = IR_TY_PTR, .size = 4, .align = 4 };
	static struct ir_const zero, one, two;
	zero = mkint(&t_i32, 0);
	one = mkint(&t_i32, 1);
	two = mkint(&t_i32, 2);
	hand_init(1);
	/* gep %struct, ptr %p, i32 0, i32 1: fine */
	H.args[0].v.type = &t_ptr;
	struct ir_type *pp[2] = { &t_ptr, &t_i1 };
	static struct ir_type fn2 = { .kind = IR_TY_FUNC, .ret = &t_i32, .nmembers = 2 };
	fn2.members = pp;
	H.f.fn_type = &fn2;
	struct ir_inst *g = add(0, IR_OP_GEP, &t_ptr, 3, A0, &zero.v, &one.v);
	g->src_type = &st;
	add(0, IR_OP_RET, &t_void, 1, &zero.v);
	cr_assert_eq(verify(msg), 0, "%s", msg);
	ir_set_op(g, 2, &two.v);                /* member 2 of a 2-member struct */
	cr_assert_eq(verify(msg), -1);
	cr_assert(strstr(msg, "struct index out of range"), "%s", msg);
	ir_set_op(g, 2, A1);                    /* a non-constant struct index */
	cr_assert_eq(verify(msg), -1);
	cr_assert(strstr(msg, "not a constant"), "%s", msg);
	g->src_type = &t_i32;                   /* indexing into an i32 */
	ir_set_op(g, 2, &one.v);
	cr_assert_eq(verify(msg), -1);
	cr_assert(strstr(msg, "non-aggregate"), "%s", msg);
}

Test(verifier, requires_increasing_ids_and_renumber_restores_them)
{
	char msg[200];
	hand_init(1);
	struct ir_inst *a = add(0, IR_OP_ADD, &t_i32, 2, A0, A0);
	struct ir_inst *b = add(0, IR_OP_MUL, &t_i32, 2, &a->v, A0);
	add(0, IR_OP_RET, &t_void, 1, &b->v);
	cr_assert_eq(verify(msg), 0, "%s", msg);
	a->v.id = 3;
	b->v.id = 2;
	cr_assert_eq(verify(msg), -1);
	cr_assert(strstr(msg, "layout order"), "%s", msg);
	ir_renumber(&H.f);
	cr_assert_eq(a->v.id, 2);
	cr_assert_eq(b->v.id, 3);
	cr_assert_eq(H.f.nvalues, 5);
	cr_assert_eq(verify(msg), 0, "%s", msg);
}

Test(reader, overflow_intrinsics_and_extractvalue)
{
	size_t n;
	uint8_t *d = load("build/bcinputs/overflow.bc", &n);
	struct ir_module *m;
	cr_assert_eq(read_mod(d, n, &m), BC_OK, "%s", err.msg);
	/* llvm.smul.with.overflow.i32 returns { i32, i1 }, taken apart by
	 * extractvalue 0 and 1 */
	const struct ir_func *ov = ir_module_func(m, "llvm.smul.with.overflow.i32");
	cr_assert_not_null(ov);
	cr_assert(ov->intrinsic && ov->is_decl);
	cr_assert_eq(ov->fn_type->ret->kind, IR_TY_STRUCT);
	int ev[2] = { 0, 0 };
	for (uint32_t fi = 0; fi < m->nfuncs; fi++)
		for (uint32_t b = 0; b < m->funcs[fi]->nblocks; b++)
			for (const struct ir_inst *in = m->funcs[fi]->blocks[b]->first; in; in = in->next)
				if (in->op == IR_OP_EXTRACTVALUE && ir_as_inst(in->ops[0].value) &&
				    ir_call_target(ir_as_inst(in->ops[0].value)) == ov) {
					cr_assert_eq(in->nidx, 1);
					cr_assert_lt(in->idx[0], 2);
					ev[in->idx[0]]++;
					cr_assert_eq(in->v.type, ov->fn_type->ret->members[in->idx[0]]);
				}
	cr_assert(ev[0] && ev[1]);
	/* the VLA: a dynamic alloca */
	int dyn = 0;
	for (uint32_t fi = 0; fi < m->nfuncs; fi++)
		for (uint32_t b = 0; b < m->funcs[fi]->nblocks; b++)
			for (const struct ir_inst *in = m->funcs[fi]->blocks[b]->first; in; in = in->next)
				dyn += in->op == IR_OP_ALLOCA && !ir_is_const(in->ops[0].value);
	cr_assert_gt(dyn, 0);
	free(d);
}

/* Alignments are stored as log2(bytes) + 1.  LLVM's limit is 2^32
 * (Value::MaxAlignmentExponent = 32, stored as 33), which the IR's 32-bit
 * fields hold as 2^31; above it the reader stops with an error, for
 * globals and instructions alike (they once had two decoders with two
 * limits). */
Test(reader, alignment_limit)
{
	uint32_t b = 1;
	cr_assert(rd_align_decode(0, &b) && b == 0);
	cr_assert(rd_align_decode(1, &b) && b == 1);
	cr_assert(rd_align_decode(13, &b) && b == 4096);
	cr_assert(rd_align_decode(32, &b) && b == 0x80000000u);
	cr_assert(rd_align_decode(33, &b) && b == 0x80000000u);
	cr_assert(!rd_align_decode(34, &b) && b == 0);
	cr_assert(!rd_align_decode(UINT64_MAX, &b));

	size_t n;
	uint8_t *d = load("build/bcinputs/align.bc", &n);
	struct ir_module *m;
	cr_assert_eq(read_mod(d, n, &m), BC_OK, "%s", err.msg);
	cr_assert_eq(ir_module_global(m, "g")->align, 0x80000000u);
	const struct ir_func *f = ir_module_func(m, "f");
	int seen = 0;
	for (const struct ir_inst *in = f->blocks[0]->first; in; in = in->next)
		if (in->op == IR_OP_ALLOCA || in->op == IR_OP_LOAD) {
			cr_assert_eq(in->align, 0x80000000u, "%s", ir_opcode_name(in->op));
			seen++;
		}
	cr_assert_eq(seen, 2);
	/* single bit flips: some make one of the three exponents 34 or more,
	 * each of those is refused by name, none is read as an alignment */
	int refused = 0;
	for (size_t bit = 0; bit < 8 * n; bit++) {
		d[bit / 8] ^= (uint8_t)(1u << (bit % 8));
		int rc = read_mod(d, n, &m);
		if (rc != BC_OK && strstr(err.msg, "alignment 2^")) {
			cr_assert_eq(rc, BC_ERR_RECORD, "%s", err.msg);
			refused++;
		}
		d[bit / 8] ^= (uint8_t)(1u << (bit % 8));
	}
	cr_assert_geq(refused, 3, "only %d flips made an alignment past 2^32", refused);
	free(d);
}
