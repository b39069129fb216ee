/* servers/jit/bc/bc.h: the LLVM bitcode reader's public entry.
 *
 *   struct ir_arena a; ir_arena_init(&a, mem, sizeof mem);
 *   struct ir_module *m; struct bc_error e;
 *   if (bc_read_module(data, len, &a, &m, &e) != BC_OK)
 *       print(e.msg, e.bit);        // e.code is enum bc_err
 *
 * Reads raw bitcode ("BC" 0xC0DE) or the bitcode wrapper (0x0B17C0DE),
 * builds the module in the arena (everything it returns lives there) and
 * runs ir_verify_module on it.  Any malformed input ends in a non-zero
 * code, a message and the bit offset where reading stopped; never a crash,
 * an out-of-bounds read or unbounded work (work is bounded by the input
 * size, memory by the arena). */
#ifndef BF_JIT_BC_H
#define BF_JIT_BC_H
#include <stddef.h>
#include <stdint.h>
#include "servers/jit/ir/ir.h"

enum bc_err {
	BC_OK = 0,
	BC_ERR_MAGIC,           /* not bitcode (bad magic / wrapper) */
	BC_ERR_TRUNCATED,       /* read past the end of the data */
	BC_ERR_ABBREV,          /* bad abbreviation definition or id */
	BC_ERR_BLOCK,           /* bad block structure (length, nesting, END) */
	BC_ERR_RECORD,          /* malformed record (too few operands, ...) */
	BC_ERR_TYPE,            /* bad type table / type mismatch */
	BC_ERR_VALUE,           /* bad value id / forward reference */
	BC_ERR_CONST,           /* bad constant */
	BC_ERR_INST,            /* bad instruction record */
	BC_ERR_UNSUPPORTED,     /* valid LLVM we do not represent */
	BC_ERR_NOMEM,           /* arena exhausted */
	BC_ERR_LIMIT,           /* nesting/size limit exceeded */
	BC_ERR_VERIFY,          /* the IR built failed ir_verify_module */
	BC_ERR__COUNT
};

struct bc_error {
	int code;               /* enum bc_err */
	uint64_t bit;           /* bit offset in the bitcode (after any wrapper
	                         * header is still counted from the start of
	                         * `data`) */
	char msg[160];
};

int bc_read_module(const uint8_t *data, size_t len, struct ir_arena *arena,
		   struct ir_module **out, struct bc_error *err);

/* Short name of an error code ("truncated", "bad abbreviation", ...). */
const char *bc_err_name(int code);

/* Does the buffer start like bitcode (raw or wrapped)? */
int bc_is_bitcode(const uint8_t *data, size_t len);

#endif
