/* servers/jit/bc/bitstream.h: the LLVM bitstream container, independent
 * of what the records mean.
 *
 * A bitstream is a sequence of abbreviation ids of the current width;
 * ids 0..3 are END_BLOCK, ENTER_SUBBLOCK, DEFINE_ABBREV and
 * UNABBREV_RECORD, ids >= 4 name an abbreviation defined in the block
 * (or given to the block id by BLOCKINFO).  Records are a code and a list
 * of 64-bit operands; a blob operand is returned as a pointer into the
 * input.  See docs/llbc.md and LLVM's BitCodeFormat for the encoding.
 *
 * Bounds: every read checks the input end and the end of the enclosing
 * block (blocks carry their length in words); nesting is limited to
 * BS_MAX_DEPTH; abbreviations, arrays and record lengths are checked
 * against the bits left before anything is stored, and all storage comes
 * from the caller's arena.  Errors are sticky: after the first one every
 * call fails and bs->err holds the code, message and bit offset. */
#ifndef BF_JIT_BC_BITSTREAM_H
#define BF_JIT_BC_BITSTREAM_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "servers/jit/bc/bc.h"
#include "servers/jit/ir/ir.h"

#define BS_MAX_DEPTH        32
#define BS_MAX_SCOPE_ABBREVS 4096   /* abbreviations visible at once */
#define BS_MAX_BLOCKINFO    64      /* block ids BLOCKINFO may describe */

enum bs_op_kind { BS_OP_LITERAL, BS_OP_FIXED, BS_OP_VBR, BS_OP_ARRAY,
		  BS_OP_CHAR6, BS_OP_BLOB };

struct bs_abbrev_op {
	uint8_t kind;           /* enum bs_op_kind */
	uint64_t value;         /* literal value or field width */
};

struct bs_abbrev {
	uint32_t nops;
	struct bs_abbrev_op *ops;
};

struct bs_blockinfo {
	uint32_t block_id;
	uint32_t nabbrevs;
	uint32_t cap;
	struct bs_abbrev **abbrevs;
};

struct bs_scope {
	uint32_t block_id;
	uint32_t abbrev_width;
	uint64_t end_bit;       /* end of the block's body */
	uint32_t abbrev_base;   /* first slot in bs->abbrevs for this scope */
	/* BLOCKINFO abbreviations come first (ids 4..4+nbi-1), by reference:
	 * the count is fixed when the block is entered */
	const struct bs_blockinfo *bi;
	uint32_t nbi;
};

/* What bs_next found. */
enum bs_entry_kind { BS_ENTRY_END, BS_ENTRY_SUBBLOCK, BS_ENTRY_RECORD,
		     BS_ENTRY_ERROR };

struct bs_entry {
	enum bs_entry_kind kind;
	uint32_t id;            /* block id (SUBBLOCK) or record code */
	uint32_t abbrev;        /* abbreviation id used (RECORD) */
	uint32_t nops;          /* RECORD: operands in ops[] (blob excluded) */
	const uint64_t *ops;    /* valid until the next call */
	const uint8_t *blob;    /* RECORD with a blob operand, else NULL */
	size_t blob_len;
};

struct bs {
	const uint8_t *data;
	uint64_t end_bit;       /* total bits in data */
	uint64_t pos;           /* current bit */
	struct ir_arena *arena;
	struct bc_error *err;
	bool failed;
	uint32_t depth;         /* open blocks; scopes[0] is the top level */
	struct bs_scope scopes[BS_MAX_DEPTH + 1];
	uint32_t nabbrevs;
	struct bs_abbrev *abbrevs[BS_MAX_SCOPE_ABBREVS];
	uint32_t nblockinfo;
	struct bs_blockinfo blockinfo[BS_MAX_BLOCKINFO];
	uint64_t *rec;          /* record operand buffer (arena) */
	uint32_t rec_cap;
	/* the sub-block announced by the last SUBBLOCK entry */
	bool pending;
	uint32_t pending_id, pending_width;
	uint64_t pending_end;
};

/* Start reading `len` bytes (the bitcode proper, after any magic has been
 * checked by the caller) at bit `start_bit`; top-level abbrev width 2. */
void bs_init(struct bs *s, const uint8_t *data, size_t len, uint64_t start_bit,
	     struct ir_arena *arena, struct bc_error *err);

/* Record an error (first one wins); returns -1 for convenience. */
int bs_fail(struct bs *s, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Primitive reads (exposed for tests).  On error they return 0 and set
 * the sticky error. */
uint64_t bs_read(struct bs *s, unsigned nbits);     /* 0..64 bits */
uint64_t bs_read_vbr(struct bs *s, unsigned width); /* width 2..32 */
void bs_align32(struct bs *s);
bool bs_at_end(const struct bs *s);                 /* no full word left */

/* Next entry of the current block (or top level).  DEFINE_ABBREV records
 * and BLOCKINFO blocks are consumed internally.  After SUBBLOCK the caller
 * must call either bs_enter (then read the block to its END) or bs_skip. */
enum bs_entry_kind bs_next(struct bs *s, struct bs_entry *e);
int bs_enter(struct bs *s, uint32_t block_id);
int bs_skip(struct bs *s);
/* Skip the rest of the current (entered) block including its END. */
int bs_skip_rest(struct bs *s);

/* Decode a char6 value (0..63) to its character. */
static inline char bs_char6(unsigned v)
{
	return "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._"[v & 63];
}

/* Signed VBR decoding as used by LLVM for integer constants and phis. */
static inline int64_t bs_decode_signed(uint64_t v)
{
	if (v & 1) {
		if (v == 1)
			return INT64_MIN;       /* "-0" encodes INT64_MIN */
		return -(int64_t)(v >> 1);
	}
	return (int64_t)(v >> 1);
}

#endif
