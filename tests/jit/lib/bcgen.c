/* See bcgen.h.  The bitstream: bits least significant first, blocks
 * with a 32-bit word count, records UNABBREV_RECORD (code, count,
 * operands, all VBR6).  Record codes are LLVM's (LLVMBitCodes.h). */
#include "tests/jit/lib/bcgen.h"

#include <stdbool.h>
#include <string.h>

struct bw {
	uint8_t *p;
	size_t cap;     /* bytes */
	uint64_t bit;
	bool full;
	unsigned width; /* abbreviation id width of the current block */
	struct { uint64_t len_at; unsigned width; } stack[8];
	int depth;
};

static void bits(struct bw *w, uint64_t v, unsigned n)
{
	for (unsigned i = 0; i < n; i++, w->bit++) {
		size_t byte = (size_t)(w->bit >> 3);
		if (byte >= w->cap) {
			w->full = true;
			return;
		}
		if (!(w->bit & 7))
			w->p[byte] = 0;
		w->p[byte] |= (uint8_t)(((v >> i) & 1) << (w->bit & 7));
	}
}

static void vbr(struct bw *w, uint64_t v, unsigned n)
{
	uint64_t hi = 1ull << (n - 1);
	while (v >= hi) {
		bits(w, (v & (hi - 1)) | hi, n);
		v >>= n - 1;
	}
	bits(w, v, n);
}

static void align32(struct bw *w)
{
	while (w->bit & 31)
		bits(w, 0, 1);
}

static void enter(struct bw *w, unsigned id, unsigned width)
{
	bits(w, 1, w->width);   /* ENTER_SUBBLOCK */
	vbr(w, id, 8);
	vbr(w, width, 4);
	align32(w);
	w->stack[w->depth].len_at = w->bit;
	w->stack[w->depth++].width = w->width;
	bits(w, 0, 32);         /* the block's length, patched by leave */
	w->width = width;
}

static void leave(struct bw *w)
{
	bits(w, 0, w->width);   /* END_BLOCK */
	align32(w);
	w->depth--;
	uint64_t at = w->stack[w->depth].len_at;
	uint32_t words = (uint32_t)((w->bit - at - 32) / 32);
	if (!w->full)
		memcpy(w->p + at / 8, &words, 4);   /* little-endian host */
	w->width = w->stack[w->depth].width;
}

static void record(struct bw *w, unsigned code, const uint64_t *ops, unsigned n)
{
	bits(w, 3, w->width);   /* UNABBREV_RECORD */
	vbr(w, code, 6);
	vbr(w, n, 6);
	for (unsigned i = 0; i < n; i++)
		vbr(w, ops[i], 6);
}

#define REC(w, code, ...) do { \
	const uint64_t ops_[] = { __VA_ARGS__ }; \
	record(w, code, ops_, sizeof ops_ / sizeof ops_[0]); \
} while (0)

/* block ids and record codes */
enum { BLK_MODULE = 8, BLK_CONSTANTS = 11, BLK_FUNCTION = 12, BLK_TYPE = 17, BLK_STRTAB = 23 };
enum { MOD_VERSION = 1, MOD_GLOBALVAR = 7, MOD_FUNCTION = 8 };
enum { TY_NUMENTRY = 1, TY_INTEGER = 7, TY_FUNCTION = 21, TY_OPAQUE_POINTER = 25 };
enum { CST_SETTYPE = 1, CST_INTEGER = 4, CST_CE_BINOP = 10, CST_CE_CAST = 11 };
enum { FN_DECLAREBLOCKS = 1, FN_RET = 10, FN_LOAD = 20 };
enum { BIN_ADD = 0, BIN_MUL = 2, CAST_PTRTOINT = 9 };
enum { T_I32, T_PTR, T_FN };             /* type ids */
enum { V_G, V_K, V_F, V_GK, V_CONST0 };  /* module value ids */

static const char strtab[] = "gkfgk";    /* g, k, f, gk */

uint32_t bcgen_shared_value(unsigned n)
{
	uint32_t x = 3;
	for (unsigned i = 1; i <= n; i++)
		x = x * x + x;
	return x;
}

/* The module's constants (after V_CONST0): 7 for @g, then K's parts;
 * K's value id. */
static uint64_t constants(struct bw *w, enum bcgen_kind kind, unsigned n)
{
	uint64_t next = V_CONST0;
	REC(w, CST_SETTYPE, T_I32);
	REC(w, CST_INTEGER, 7 << 1);
	next++;
	if (kind == BCGEN_SHARED) {
		/* Ln = add (mul (Ln-1, Ln-1), Ln-1): three uses a level */
		REC(w, CST_INTEGER, 3 << 1);
		uint64_t last = next++;
		for (unsigned i = 1; i <= n; i++) {
			REC(w, CST_CE_BINOP, BIN_MUL, last, last);
			REC(w, CST_CE_BINOP, BIN_ADD, next, last);
			next += 2;
			last = next - 1;
		}
		return last;
	}
	if (kind == BCGEN_SHARED_PTR) {
		REC(w, CST_CE_CAST, CAST_PTRTOINT, T_PTR, V_G);
		uint64_t last = next++;
		for (unsigned i = 1; i <= n; i++) {
			REC(w, CST_CE_BINOP, BIN_ADD, last, last);
			last = next++;
		}
		return last;
	}
	/* BCGEN_TREE: post-order, every inner node its own record */
	REC(w, CST_INTEGER, 1 << 1);
	uint64_t one = next++;
	uint64_t stack[64];
	unsigned level[64], sp = 0;
	/* iterative post-order over a complete tree of depth n: push leaves,
	 * combine the top two while they are at the same level */
	uint64_t leaves = n ? 1ull << (n - 1) : 1;
	for (uint64_t i = 0; i < leaves; i++) {
		stack[sp] = one;
		level[sp++] = 1;
		while (sp >= 2 && level[sp - 1] == level[sp - 2]) {
			REC(w, CST_CE_BINOP, BIN_ADD, stack[sp - 2], stack[sp - 1]);
			sp--;
			stack[sp - 1] = next++;
			level[sp - 1]++;
		}
	}
	return stack[0];
}

size_t bcgen_module(uint8_t *buf, size_t cap, enum bcgen_kind kind, unsigned n, unsigned where)
{
	struct bw w = { buf, cap, 0, false, 2, { { 0, 0 } }, 0 };
	if (n > 100 || (kind == BCGEN_TREE && n > 24))
		return 0;
	bits(&w, 'B', 8);
	bits(&w, 'C', 8);
	bits(&w, 0xC0, 8);
	bits(&w, 0xDE, 8);
	enter(&w, BLK_MODULE, 3);
	REC(&w, MOD_VERSION, 2);
	enter(&w, BLK_TYPE, 4);
	REC(&w, TY_NUMENTRY, 3);
	REC(&w, TY_INTEGER, 32);
	REC(&w, TY_OPAQUE_POINTER, 0);
	REC(&w, TY_FUNCTION, 0, T_I32);
	leave(&w);
	/* [strtab offset, size, type, explicit type, init id + 1, linkage,
	 *  align 4, section] — the initialisers' ids are known once the constants are
	 * laid out: @g's is V_CONST0, @k's is computed by a dry count */
	struct bw dry = { NULL, 0, 0, true, 3, { { 0, 0 } }, 0 };
	uint64_t kid = constants(&dry, kind, n);
	REC(&w, MOD_GLOBALVAR, 0, 1, T_I32, 2, V_CONST0 + 1, 0, 3, 0);
	REC(&w, MOD_GLOBALVAR, 1, 1, T_I32, 2, (where & BCGEN_GLOBAL ? kid : V_CONST0) + 1, 0, 3, 0);
	/* [strtab offset, size, type, cc, isproto, linkage, paramattr, align,
	 *  section, visibility] */
	REC(&w, MOD_FUNCTION, 2, 1, T_FN, 0, 0, 0, 0, 0, 0, 0);
	REC(&w, MOD_FUNCTION, 3, 2, T_FN, 0, 0, 0, 0, 0, 0, 0);
	enter(&w, BLK_CONSTANTS, 4);
	constants(&w, kind, n);
	leave(&w);
	uint64_t nmod = kid + 1;    /* K is the last module value */
	/* @f: ret K (operands are relative: values so far minus the id) */
	enter(&w, BLK_FUNCTION, 4);
	REC(&w, FN_DECLAREBLOCKS, 1);
	REC(&w, FN_RET, nmod - (where & BCGEN_FUNC ? kid : V_CONST0));
	leave(&w);
	/* @gk: %v = load i32, ptr @k, align 4; ret i32 %v */
	enter(&w, BLK_FUNCTION, 4);
	REC(&w, FN_DECLAREBLOCKS, 1);
	REC(&w, FN_LOAD, nmod - V_K, T_I32, 3, 0);
	REC(&w, FN_RET, 1);
	leave(&w);
	leave(&w);
	/* STRTAB: one abbreviation [literal 1, blob] */
	enter(&w, BLK_STRTAB, 3);
	bits(&w, 2, 3);         /* DEFINE_ABBREV */
	vbr(&w, 2, 5);
	bits(&w, 1, 1);         /* literal: the record code */
	vbr(&w, 1, 8);
	bits(&w, 0, 1);         /* blob */
	bits(&w, 5, 3);
	bits(&w, 4, 3);         /* the abbreviation just defined */
	vbr(&w, sizeof strtab - 1, 6);
	align32(&w);
	for (size_t i = 0; i + 1 < sizeof strtab; i++)
		bits(&w, (uint8_t)strtab[i], 8);
	align32(&w);
	leave(&w);
	return w.full ? 0 : (size_t)(w.bit / 8);
}
