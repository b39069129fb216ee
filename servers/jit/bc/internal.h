/* servers/jit/bc/internal.h: state shared by the block readers
 * (module.c, types.c, attributes.c, constants.c, function.c).  Not a
 * public header. */
#ifndef BF_JIT_BC_INTERNAL_H
#define BF_JIT_BC_INTERNAL_H
#include "servers/jit/bc/bitstream.h"

/* LLVM block ids. */
enum {
	BLK_BLOCKINFO = 0, BLK_MODULE = 8, BLK_PARAMATTR = 9,
	BLK_PARAMATTR_GROUP = 10, BLK_CONSTANTS = 11, BLK_FUNCTION = 12,
	BLK_IDENTIFICATION = 13, BLK_VALUE_SYMTAB = 14, BLK_METADATA = 15,
	BLK_METADATA_ATTACHMENT = 16, BLK_TYPE = 17, BLK_USELIST = 18,
	BLK_MODULE_STRTAB = 19, BLK_GLOBALVAL_SUMMARY = 20,
	BLK_OPERAND_BUNDLE_TAGS = 21, BLK_METADATA_KIND = 22, BLK_STRTAB = 23,
	BLK_FULL_LTO_SUMMARY = 24, BLK_SYMTAB = 25, BLK_SYNC_SCOPE_NAMES = 26,
};

/* Attribute groups and lists (attributes.c). */
struct rd_attr_group {
	uint64_t id;
	uint32_t index;                 /* 0xFFFFFFFF fn, 0 return, i param i-1 */
	uint32_t fn;                    /* IR_FN_* */
	struct ir_attrs a;              /* a.type resolved from type_id later */
	uint64_t type_id;               /* byval/sret type, UINT64_MAX = none */
};
struct rd_attr_list {
	uint32_t first, count;          /* into rd.list_groups */
};

/* The reader's state.  Lives in the arena (it is too big for a small
 * guest stack). */
struct rd {
	struct bs bs;
	struct ir_arena *a;
	struct ir_module *m;
	const uint8_t *strtab;
	size_t strtab_len;

	/* type table: ids from the TYPE block, then types made by the reader */
	struct ir_type **types;
	uint32_t ntypes, types_cap;
	uint32_t ntable;                /* entries the TYPE block declared */
	struct ir_type *int_cache[65];  /* iN for N <= 64, found or made */
	struct ir_type *ptr0, *void_t;

	/* value table: module values, then the current function's */
	struct ir_value **vals;
	uint32_t nvals;                 /* defined values */
	uint32_t vlen;                  /* slots in use (>= nvals; forward refs) */
	uint32_t vcap;
	uint32_t nmodvals;              /* nvals at module level */

	struct ir_global **globals;
	uint32_t nglobals, globals_cap;
	uint32_t *global_init;          /* initialiser value id + 1, 0 = none */
	uint32_t ginit_cap;
	struct ir_func **funcs;
	uint32_t nfuncs, funcs_cap;
	struct ir_func **bodies;        /* defined functions, in record order */
	uint32_t nbodies, bodies_cap, next_body;
	const char **sections;
	uint32_t nsections, sections_cap;
	bool inits_resolved;

	struct rd_attr_group *groups;
	uint32_t ngroups, groups_cap;
	struct rd_attr_list *lists;
	uint32_t nlists, lists_cap;
	uint32_t *list_groups;
	uint32_t nlist_groups, list_groups_cap;

	/* current function */
	struct ir_func *fn;
	uint32_t cur_block;
	uint32_t next_id;               /* next ir_value.id in the function */
};

int rd_fail(struct rd *r, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void *rd_alloc(struct rd *r, size_t n);
int rd_grow(struct rd *r, void **arr, uint32_t *cap, uint32_t need, size_t elsz);
/* An alignment as records store it: log2(bytes) + 1, 0 for none.  LLVM
 * allows up to 2^32 bytes (Value::MaxAlignmentExponent is 32: stored as
 * 33); the IR's 32-bit fields hold 2^32 as 2^31, more than any i386
 * object can use (the code generator refuses globals aligned beyond
 * 4096 and caps the alignment of stack objects).  False above 33. */
static inline bool rd_align_decode(uint64_t enc, uint32_t *bytes)
{
	*bytes = enc == 0 || enc > 33 ? 0 : enc == 33 ? 0x80000000u : (uint32_t)1 << (enc - 1);
	return enc <= 33;
}
/* The same for the reader: an error above 33 (the read then fails). */
uint32_t rd_align(struct rd *r, uint64_t enc);
/* A record's operands [from, from+n) as a NUL-terminated string. */
const char *rd_string(struct rd *r, const uint64_t *ops, uint32_t n);
/* Skip a sub-block the caller does not read. */
int rd_skip_block(struct rd *r);
/* How a block is read: the one loop over a block's entries (rd_walk)
 * hands each record to `record` and each sub-block's id to `subblock`
 * (which reads or skips it; NULL skips them all), and calls `end` at its
 * END (NULL: nothing to check).  Each returns 0 to go on and -1 to stop,
 * with the error recorded (else the read fails as "malformed"). */
struct rd_walk {
	int (*record)(struct rd *r, const struct bs_entry *e, void *ctx);
	int (*subblock)(struct rd *r, uint32_t id, void *ctx);
	int (*end)(struct rd *r, void *ctx);
	void *ctx;
};
/* Reads the block just entered (or the top level) up to its END. */
int rd_walk(struct rd *r, const struct rd_walk *w);
/* Enters block `block_id` and reads it, sub-blocks skipped. */
int rd_leaf_block(struct rd *r, uint32_t block_id,
		  int (*record)(struct rd *r, const struct bs_entry *e, void *ctx), void *ctx);

/* types.c */
int rd_types_block(struct rd *r);
struct ir_type *rd_type(struct rd *r, uint64_t id);   /* error if bad */
struct ir_type *rd_int_type(struct rd *r, uint32_t bits);
struct ir_type *rd_ptr_type(struct rd *r, uint32_t addrspace);
struct ir_type *rd_vector_type(struct rd *r, struct ir_type *elem, uint64_t n);
struct ir_type *rd_void_type(struct rd *r);
struct ir_type *rd_pair_type(struct rd *r, struct ir_type *a, struct ir_type *b);
bool rd_type_first_class(const struct ir_type *t);
/* First class and with a size (what can live in memory). */
static inline bool rd_type_sized(const struct ir_type *t)
{
	return rd_type_first_class(t) && t->align != 0;
}

/* values */
int rd_define(struct rd *r, struct ir_value *v);
/* Value `id` of type `ty` (NULL: any); a forward reference yields a
 * placeholder, bounded by the bits left in the block. */
struct ir_value *rd_value(struct rd *r, uint64_t id, struct ir_type *ty);
int rd_check_placeholders(struct rd *r, uint32_t from);

/* constants.c */
int rd_constants_block(struct rd *r);
enum ir_opcode rd_binop(uint64_t code, const struct ir_type *ty);
uint32_t rd_binop_flags(enum ir_opcode op, uint64_t f);
enum ir_opcode rd_castop(uint64_t code, const struct ir_type *from, const struct ir_type *to);
uint32_t rd_cast_flags(enum ir_opcode op, uint64_t f);

/* attributes.c */
int rd_attr_group_block(struct rd *r);
int rd_attr_list_block(struct rd *r);
int64_t rd_apply_attrs(struct rd *r, uint64_t id1, struct ir_attrs *out, uint32_t nslots);

/* function.c */
int rd_function_block(struct rd *r, struct ir_func *f);

#endif
