/* libFuzzer target: llbc_validate, the bitcode reader and the IR printer
 * on arbitrary bytes.  Inputs starting with "LLBC" go through the
 * container first (a CRC mismatch is ignored so the fuzzer can reach the
 * payload), anything else is read as raw bitcode.  The arena is small
 * enough that exhaustion paths get exercised too.  Any crash, ASan or
 * UBSan report, leak or timeout is a finding. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "lib/llbc.h"
#include "servers/jit/bc/bc.h"
#include "servers/jit/bc/bitstream.h"
#include "servers/jit/ir/ir.h"

static size_t printed;
static void sink(void *ctx, const char *s, size_t n)
{
	(void)ctx;
	/* touch the bytes so ASan checks the printer's reads */
	for (size_t i = 0; i < n; i++)
		printed += (unsigned char)s[i];
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	static uint8_t *mem;
	const size_t memsize = 8u << 20;
	if (!mem)
		mem = malloc(memsize);
	const uint8_t *bc = data;
	size_t bclen = len;
	struct llbc_header h;
	const uint8_t *payload;
	int rc = llbc_validate(data, len, &h, &payload);
	if (rc == LLBC_OK) {
		bc = payload;
		bclen = h.bitcode_size;
	} else if (len >= LLBC_HEADER_SIZE && memcmp(data, "LLBC", 4) == 0) {
		bc = data + LLBC_HEADER_SIZE;
		bclen = len - LLBC_HEADER_SIZE;
	}
	if (llbc_strerror(rc)[0] == 0)
		abort();
	/* the reader works on a private, exactly sized copy so that any
	 * over-read is caught by ASan */
	uint8_t *copy = malloc(bclen ? bclen : 1);
	if (bclen)
		memcpy(copy, bc, bclen);
	/* vary the arena size with the input to reach exhaustion paths */
	size_t asize = (len & 1) ? memsize : (len * 16 + 4096 < memsize ? len * 16 + 4096 : memsize);
	struct ir_arena a;
	ir_arena_init(&a, mem, asize);
	struct ir_module *m = NULL;
	struct bc_error err;
	rc = bc_read_module(copy, bclen, &a, &m, &err);
	if (rc == BC_OK) {
		if (!m)
			abort();
		struct ir_printer p = { sink, NULL };
		ir_print_module(&p, m);
	} else {
		if (m || err.code != rc || !memchr(err.msg, 0, sizeof err.msg) ||
		    err.bit > (uint64_t)bclen * 8 + 64)
			abort();
		if (a.used != 0)
			abort();        /* a failed read gives the arena back */
	}
	free(copy);
	return 0;
}

/* ------------------------------------------------------------------
 * A structure-aware mutator.  Half of the time, the input is decoded
 * with BareFlow's own bitstream reader and written back unabbreviated
 * (abbreviations and BLOCKINFO dropped; blobs get a local abbreviation)
 * with one record changed: an operand replaced, dropped or duplicated.
 * The result is a well-formed bitstream whose records carry unexpected
 * values, which reaches the block readers (types, constants,
 * instructions) far more often than byte-level mutations do. */

size_t LLVMFuzzerMutate(uint8_t *data, size_t size, size_t max_size);

struct bw {
	uint8_t *buf;
	size_t cap;             /* bytes */
	uint64_t pos;           /* bits */
	bool overflow;
};

static void bw_put(struct bw *w, uint64_t v, unsigned n)
{
	for (unsigned i = 0; i < n; i++, w->pos++) {
		if ((w->pos >> 3) >= w->cap) {
			w->overflow = true;
			return;
		}
		if ((v >> i) & 1)
			w->buf[w->pos >> 3] |= (uint8_t)(1u << (w->pos & 7));
	}
}

static void bw_vbr(struct bw *w, uint64_t v, unsigned n)
{
	uint64_t hi = 1ull << (n - 1);
	while (v >= hi) {
		bw_put(w, (v & (hi - 1)) | hi, n);
		v >>= n - 1;
	}
	bw_put(w, v, n);
}

static void bw_align(struct bw *w)
{
	while (w->pos & 31)
		bw_put(w, 0, 1);
}

struct mut {
	uint64_t nrec;          /* records seen so far */
	uint64_t target;        /* which record to change */
	uint32_t rnd;
};

static uint32_t mut_rand(struct mut *m)
{
	m->rnd = m->rnd * 1103515245u + 12345u;
	return m->rnd >> 8;
}

#define OUT_WIDTH 6             /* abbreviation width of every block written */

/* Copy the current block's entries (after bs_enter) to w. */
static int copy_block(struct bs *s, struct bw *w, struct mut *m, int depth)
{
	struct bs_entry e;
	uint32_t next_abbrev = 4;
	static uint64_t ops[1 << 16];
	for (;;) {
		switch (bs_next(s, &e)) {
		case BS_ENTRY_ERROR:
			return -1;
		case BS_ENTRY_END:
			return 0;
		case BS_ENTRY_SUBBLOCK: {
			uint32_t id = e.id;
			if (depth > 8 || bs_enter(s, id))
				return -1;
			bw_put(w, 1, OUT_WIDTH);
			bw_vbr(w, id, 8);
			bw_vbr(w, OUT_WIDTH, 4);
			bw_align(w);
			uint64_t lenpos = w->pos;
			bw_put(w, 0, 32);
			if (copy_block(s, w, m, depth + 1))
				return -1;
			bw_put(w, 0, OUT_WIDTH);        /* END_BLOCK */
			bw_align(w);
			if (w->overflow)
				return -1;
			uint64_t words = (w->pos - lenpos - 32) / 32;
			for (int i = 0; i < 4; i++)
				w->buf[lenpos / 8 + (size_t)i] = (uint8_t)(words >> (8 * i));
			break;
		}
		case BS_ENTRY_RECORD: {
			uint32_t n = e.nops < (1 << 16) - 2 ? e.nops : (1 << 16) - 2;
			if (n)
				memcpy(ops, e.ops, n * sizeof *ops);
			uint32_t code = e.id;
			if (m->nrec++ == m->target) {
				uint32_t how = mut_rand(m) % 8;
				uint32_t j = n ? mut_rand(m) % n : 0;
				static const uint64_t interesting[] = {
					0, 1, 2, 3, 4, 7, 8, 16, 31, 32, 63, 64, 127, 255, 0x7fffffff,
					0xffffffff, 0x100000000ull, ~0ull, ~0ull >> 1,
				};
				switch (how) {
				case 0: if (n) ops[j]++; break;
				case 1: if (n) ops[j]--; break;
				case 2: if (n) ops[j] = interesting[mut_rand(m) % 19]; break;
				case 3: if (n) ops[j] ^= 1ull << (mut_rand(m) % 64); break;
				case 4: if (n) { memmove(ops + j, ops + j + 1, (n - j - 1) * sizeof *ops); n--; } break;
				case 5: if (n) { memmove(ops + j + 1, ops + j, (n - j) * sizeof *ops); n++; } break;
				case 6: code = mut_rand(m) % 70; break;
				default: if (n) ops[j] = mut_rand(m) % 64; break;
				}
			}
			if (e.blob) {
				/* a local abbreviation: [vbr6 code] [vbr6] x n [blob] */
				if (next_abbrev >= (1u << OUT_WIDTH))
					break;
				bw_put(w, 2, OUT_WIDTH);
				bw_vbr(w, n + 2, 5);
				for (uint32_t k = 0; k < n + 1; k++) {
					bw_put(w, 0, 1);
					bw_put(w, 2, 3);
					bw_vbr(w, 6, 5);
				}
				bw_put(w, 0, 1);
				bw_put(w, 5, 3);
				bw_put(w, next_abbrev++, OUT_WIDTH);
				bw_vbr(w, code, 6);
				for (uint32_t k = 0; k < n; k++)
					bw_vbr(w, ops[k], 6);
				bw_vbr(w, e.blob_len, 6);
				bw_align(w);
				for (size_t k = 0; k < e.blob_len; k++)
					bw_put(w, e.blob[k], 8);
				bw_align(w);
			} else {
				bw_put(w, 3, OUT_WIDTH);
				bw_vbr(w, code, 6);
				bw_vbr(w, n, 6);
				for (uint32_t k = 0; k < n; k++)
					bw_vbr(w, ops[k], 6);
			}
			if (w->overflow)
				return -1;
			break;
		}
		}
	}
}

/* Rewrite raw bitcode `in` into `out` with record number `target`
 * mutated; returns the new size or 0. */
static size_t rewrite(const uint8_t *in, size_t len, uint8_t *out, size_t max,
		      uint64_t target, uint32_t seed, uint64_t *nrec)
{
	static uint8_t mem[16 << 20];
	struct ir_arena a;
	struct bc_error err;
	static struct bs s;
	if (len < 8 || max < 8 || !(in[0] == 'B' && in[1] == 'C') || len % 4)
		return 0;
	ir_arena_init(&a, mem, sizeof mem);
	bs_init(&s, in, len, 32, &a, &err);
	memset(out, 0, max);
	struct bw w = { out, max, 0, false };
	bw_put(&w, 'B', 8); bw_put(&w, 'C', 8); bw_put(&w, 0xC0, 8); bw_put(&w, 0xDE, 8);
	struct mut m = { 0, target, seed };
	struct bs_entry e;
	for (;;) {
		enum bs_entry_kind k = bs_next(&s, &e);
		if (k == BS_ENTRY_END)
			break;
		if (k != BS_ENTRY_SUBBLOCK || bs_enter(&s, e.id))
			return 0;
		bw_put(&w, 1, 2);
		bw_vbr(&w, e.id, 8);
		bw_vbr(&w, OUT_WIDTH, 4);
		bw_align(&w);
		uint64_t lenpos = w.pos;
		bw_put(&w, 0, 32);
		if (copy_block(&s, &w, &m, 1))
			return 0;
		bw_put(&w, 0, OUT_WIDTH);
		bw_align(&w);
		if (w.overflow)
			return 0;
		uint64_t words = (w.pos - lenpos - 32) / 32;
		for (int i = 0; i < 4; i++)
			out[lenpos / 8 + (size_t)i] = (uint8_t)(words >> (8 * i));
	}
	*nrec = m.nrec;
	return w.overflow ? 0 : (size_t)(w.pos / 8);
}

size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max_size, unsigned int seed)
{
	static uint8_t out[1 << 20];
	if ((seed & 1) == 0 || size > sizeof out)
		return LLVMFuzzerMutate(data, size, max_size);
	size_t hdr = size >= LLBC_HEADER_SIZE && memcmp(data, "LLBC", 4) == 0 ? LLBC_HEADER_SIZE : 0;
	size_t cap = max_size - hdr < sizeof out ? max_size - hdr : sizeof out;
	uint64_t nrec = 0;
	/* count the records (target none), then rewrite with one changed */
	if (!rewrite(data + hdr, size - hdr, out, cap, UINT64_MAX, seed, &nrec) || !nrec)
		return LLVMFuzzerMutate(data, size, max_size);
	size_t n = rewrite(data + hdr, size - hdr, out, cap, (seed >> 1) % nrec, seed, &nrec);
	if (!n || hdr + n > max_size)
		return LLVMFuzzerMutate(data, size, max_size);
	memcpy(data + hdr, out, n);
	return hdr + n;
}
