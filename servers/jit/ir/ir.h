/* servers/jit/ir/ir.h: BareFlow's SSA IR — the contract between the bitcode
 * reader (servers/jit/bc/) and the JIT code generators.
 *
 * The IR mirrors the subset of LLVM IR that clang-19 emits for C on i386,
 * with our own names and numbering, so that nothing downstream depends on
 * LLVM's bitcode codes.  Everything lives in one caller-supplied arena
 * (struct ir_arena): no malloc, no free, the whole module dies with the
 * arena.
 *
 * Shape
 *   ir_module  -> globals[], funcs[], types[] (every type the module uses)
 *   ir_func    -> params[] (ir_arg), blocks[] (ir_block) in layout order,
 *                 block 0 is the entry block
 *   ir_block   -> doubly linked list of ir_inst (first/last), the last one
 *                 is the terminator (checked by ir_verify_module)
 *   ir_inst    -> ops[] (struct ir_use), each use is also linked into the
 *                 used value's use list (ir_value.uses)
 *
 * Values.  Every operand is a `struct ir_value *`; the concrete object is
 * found from `kind` (the ir_value is always the first member, so a cast
 * with the helpers below is valid):
 *   IR_VAL_ARG          struct ir_arg
 *   IR_VAL_INST         struct ir_inst
 *   IR_VAL_BLOCK        struct ir_block    (type: label; operand of br/switch/phi)
 *   IR_VAL_GLOBAL       struct ir_global   (type: ptr; the *address*)
 *   IR_VAL_FUNC         struct ir_func     (type: ptr; the *address*)
 *   IR_VAL_CONST_*      struct ir_const   (see enum ir_value_kind)
 *
 * Use lists record uses by instructions only (constant aggregates and
 * constant expressions keep plain value pointers, they are immutable).
 * A block's uses are therefore exactly the br/switch/phi operands naming
 * it: its predecessors are the parents of the users that are terminators
 * (once per edge; phi uses name incoming blocks, not edges).
 *
 * Numbering.  ir_value.id is dense per function for arguments and
 * instructions (args 0..nparams-1, then instructions in layout order,
 * including void ones), per function for blocks (= block index), and per
 * module for globals and functions (index into globals[] / funcs[]).
 * ir_func.nvalues bounds the per-function ids, so a code generator can
 * allocate side tables indexed by id.
 *
 * Operand layout by opcode (n = nops):
 *   binops (ADD..XOR, FADD..FREM)  ops[0], ops[1]
 *   FNEG, casts, FREEZE            ops[0]; result type is v.type
 *   ICMP/FCMP                      ops[0], ops[1]; pred in `pred`
 *   SELECT                         ops[0]=cond, ops[1]=true, ops[2]=false
 *   RET                            n=0 (ret void) or ops[0]
 *   BR                             n=1: ops[0]=dest block
 *                                  n=3: ops[0]=cond, ops[1]=true, ops[2]=false
 *   SWITCH                         ops[0]=cond, ops[1]=default block, then
 *                                  pairs ops[2+2k]=case ir_const int,
 *                                  ops[3+2k]=block
 *   PHI                            pairs ops[2k]=incoming value,
 *                                  ops[2k+1]=incoming block
 *   ALLOCA                         ops[0]=element count; alloc_type = the
 *                                  allocated type; align in bytes
 *   LOAD                           ops[0]=pointer; v.type = loaded type
 *   STORE                          ops[0]=value, ops[1]=pointer
 *   GEP                            ops[0]=base pointer, ops[1..]=indices;
 *                                  src_type = source element type;
 *                                  flag IR_FL_INBOUNDS
 *   CALL                           ops[0]=callee (IR_VAL_FUNC for a direct
 *                                  call, any ptr value for an indirect one),
 *                                  ops[1..]=arguments; fn_type = callee's
 *                                  function type.  Intrinsics are direct
 *                                  calls to a declaration whose name starts
 *                                  with "llvm." (ir_func.intrinsic says
 *                                  which, enum ir_intrinsic).
 *   EXTRACTVALUE                   ops[0]=aggregate; idx[0..nidx-1]
 *   INSERTVALUE                    ops[0]=aggregate, ops[1]=element; idx[]
 *   ATOMICRMW                      ops[0]=pointer, ops[1]=value;
 *                                  pred = operation (LLVM order: xchg,
 *                                  add, sub, and, nand, or, xor, max, min,
 *                                  umax, umin, ...), ordering, align
 *   CMPXCHG                        ops[0]=pointer, ops[1]=expected,
 *                                  ops[2]=new; result { T, i1 };
 *                                  ordering = success, pred = failure
 *                                  ordering; IR_FL_WEAK, align
 *   FENCE                          n=0; ordering
 *   LOAD/STORE atomic              IR_FL_ATOMIC, ordering
 *     (orderings: LLVM's codes, 0 notatomic 1 unordered 2 monotonic
 *      3 acquire 4 release 5 acq_rel 6 seq_cst)
 *   EXTRACTELEMENT/INSERTELEMENT/SHUFFLEVECTOR/VAARG:
 *                                  parsed for completeness, operands in
 *                                  LLVM order; the JIT may reject them.
 *   UNREACHABLE                    n=0
 */
#ifndef BF_JIT_IR_H
#define BF_JIT_IR_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ------------------------------------------------------------------ arena */

/* A bump allocator over caller memory.  ir_arena_alloc returns zeroed,
 * aligned memory or NULL when the arena is exhausted; nothing is freed
 * individually.  `used`/`peak` let callers size arenas. */
struct ir_arena {
	uint8_t *base;
	size_t size;
	size_t used;
	size_t peak;            /* highest `used` ever (temporary use included) */
	/* Lazily backed arenas (ir_arena_init_lazy): base..base+size is
	 * address space only; `backed` bytes of it have memory, and grow()
	 * is asked for more (at base + backed, at least n bytes) when an
	 * allocation needs it; it answers how many it made (0: none).  NULL
	 * grow: all of it is memory. */
	size_t backed;
	size_t (*grow)(void *ctx, void *at, size_t n);
	void *grow_ctx;
};

void ir_arena_init(struct ir_arena *a, void *mem, size_t size);
/* An arena of `size` bytes of address space at mem, of which none is
 * memory yet: grow(ctx, at, n) makes at least n bytes at `at` usable and
 * returns how many, or 0 (the allocation then fails like a full arena). */
void ir_arena_init_lazy(struct ir_arena *a, void *mem, size_t size,
			size_t (*grow)(void *ctx, void *at, size_t n), void *ctx);
void *ir_arena_alloc(struct ir_arena *a, size_t n, size_t align);
/* Copy of a byte string with a NUL appended; NULL when out of memory. */
char *ir_arena_strdup(struct ir_arena *a, const char *s, size_t n);
/* Rewind to an earlier `used` mark (drops everything allocated since). */
void ir_arena_reset(struct ir_arena *a, size_t mark);

/* ------------------------------------------------------------------ types */

enum ir_type_kind {
	IR_TY_VOID,
	IR_TY_LABEL,
	IR_TY_INT,      /* bits = width, 1..(1<<23); the JIT supports <= 64 */
	IR_TY_PTR,      /* opaque pointer, 32-bit on i386; addrspace kept */
	IR_TY_HALF,
	IR_TY_BFLOAT,
	IR_TY_FLOAT,
	IR_TY_DOUBLE,
	IR_TY_X86_FP80,
	IR_TY_FP128,
	IR_TY_PPC_FP128,
	IR_TY_ARRAY,    /* count x elem */
	IR_TY_VECTOR,   /* <count x elem> (scalable flag) */
	IR_TY_STRUCT,   /* members[nmembers], packed, optional name */
	IR_TY_FUNC,     /* ret (params...) [vararg] */
	IR_TY_METADATA,
	IR_TY_TOKEN,
	IR_TY_X86_MMX,
	IR_TY_X86_AMX,
	IR_TY_OPAQUE,   /* named struct without a body */
};

struct ir_type {
	enum ir_type_kind kind;
	uint32_t id;            /* index in ir_module.types */
	uint32_t bits;          /* IR_TY_INT: width */
	uint32_t addrspace;     /* IR_TY_PTR */
	uint64_t count;         /* IR_TY_ARRAY / IR_TY_VECTOR: element count */
	struct ir_type *elem;   /* IR_TY_ARRAY / IR_TY_VECTOR */
	struct ir_type *ret;    /* IR_TY_FUNC */
	struct ir_type **members; /* IR_TY_STRUCT members / IR_TY_FUNC params */
	uint32_t nmembers;
	bool packed;            /* IR_TY_STRUCT */
	bool vararg;            /* IR_TY_FUNC */
	bool scalable;          /* IR_TY_VECTOR */
	const char *name;       /* named structs ("struct.S"), else NULL */
	/* Layout under the i386 data layout, filled by the reader (see
	 * ir_type_size): allocation size in bytes and ABI alignment;
	 * align == 0 means unsized (void, label, function, opaque, or an
	 * aggregate containing one). */
	uint64_t size;
	uint32_t align;
};

static inline bool ir_type_is_int(const struct ir_type *t, uint32_t bits)
{
	return t->kind == IR_TY_INT && (bits == 0 || t->bits == bits);
}
static inline bool ir_type_is_fp(const struct ir_type *t)
{
	return t->kind >= IR_TY_HALF && t->kind <= IR_TY_PPC_FP128;
}
static inline bool ir_type_is_aggregate(const struct ir_type *t)
{
	return t->kind == IR_TY_ARRAY || t->kind == IR_TY_STRUCT;
}
/* Size/alignment in bytes under the i386 data layout clang-19 uses
 * ("e-m:e-p:32:32-...-i128:128-f64:32:64-f80:32-n8:16:32-S128"): i64 and
 * double are 4-aligned inside structs (ABI) — ir_type_align returns the
 * ABI alignment.  Returns 0 for unsized types (void, label, func, ...). */
uint64_t ir_type_size(const struct ir_type *t);
uint32_t ir_type_align(const struct ir_type *t);
/* Compute t->size / t->align from the (already laid out) members; the
 * reader calls it for every type.  Returns -1 if the size reaches 4 GiB (no i386 object can). */
int ir_type_layout(struct ir_type *t);
/* Byte offset of struct member i (with ABI padding). */
uint64_t ir_struct_offset(const struct ir_type *st, uint32_t i);

/* ----------------------------------------------------------------- values */

enum ir_value_kind {
	IR_VAL_ARG,
	IR_VAL_INST,
	IR_VAL_BLOCK,
	IR_VAL_GLOBAL,
	IR_VAL_FUNC,
	IR_VAL_CONST_INT,       /* ir_const.i (width <= 64) or .wide words */
	IR_VAL_CONST_FP,        /* ir_const.fp_bits: IEEE bit pattern */
	IR_VAL_CONST_NULL,      /* null pointer / zeroinitializer (pointer,
	                         * aggregate, vector types; a zero integer or
	                         * FP value is CONST_INT / CONST_FP) */
	IR_VAL_CONST_UNDEF,
	IR_VAL_CONST_POISON,
	IR_VAL_CONST_AGG,       /* array/struct/vector: elems[nelems] */
	IR_VAL_CONST_DATA,      /* array/vector of ints/fp given as raw
	                         * elements: data[nelems] (u64 each, already
	                         * truncated to element width); c"..."
	                         * strings are this kind with i8 elements */
	IR_VAL_CONST_EXPR,      /* ir_const.expr */
	IR_VAL_ASM_BARRIER,     /* inline asm with an empty string: only a
	                         * compiler barrier, the callee of a call;
	                         * ir_const.i = 1 + the argument its one
	                         * register output is tied to, 0 when none */
	IR_VAL_METADATA,        /* metadata operand (e.g. of an intrinsic) —
	                         * contents are not kept */
	IR_VAL_PLACEHOLDER,     /* reader-internal forward reference; never
	                         * present in a module handed out */
};

struct ir_use;

struct ir_value {
	enum ir_value_kind kind;
	uint32_t id;            /* see "Numbering" above */
	struct ir_type *type;
	const char *name;       /* NULL when unnamed (printer uses %id) */
	struct ir_use *uses;    /* instruction uses of this value */
	uint32_t nuses;
	uint32_t slot;          /* printer scratch: LLVM-style %N of an
	                         * unnamed local value (see ir_print_func) */
};

/* One operand slot of an instruction: links the used value to the user. */
struct ir_use {
	struct ir_value *value;
	struct ir_inst *user;
	uint32_t index;         /* position in user->ops */
	struct ir_use *next;    /* next use of the same value */
};

/* ------------------------------------------------------------- constants */

/* Our opcodes, used by instructions and constant expressions. */
enum ir_opcode {
	IR_OP_NONE,
	/* terminators */
	IR_OP_RET, IR_OP_BR, IR_OP_SWITCH, IR_OP_UNREACHABLE, IR_OP_INDIRECTBR,
	IR_OP_INVOKE, IR_OP_RESUME, IR_OP_CALLBR,
	/* integer binary */
	IR_OP_ADD, IR_OP_SUB, IR_OP_MUL, IR_OP_UDIV, IR_OP_SDIV, IR_OP_UREM,
	IR_OP_SREM, IR_OP_SHL, IR_OP_LSHR, IR_OP_ASHR, IR_OP_AND, IR_OP_OR,
	IR_OP_XOR,
	/* floating point */
	IR_OP_FADD, IR_OP_FSUB, IR_OP_FMUL, IR_OP_FDIV, IR_OP_FREM, IR_OP_FNEG,
	/* casts */
	IR_OP_TRUNC, IR_OP_ZEXT, IR_OP_SEXT, IR_OP_FPTOUI, IR_OP_FPTOSI,
	IR_OP_UITOFP, IR_OP_SITOFP, IR_OP_FPTRUNC, IR_OP_FPEXT,
	IR_OP_PTRTOINT, IR_OP_INTTOPTR, IR_OP_BITCAST, IR_OP_ADDRSPACECAST,
	/* other */
	IR_OP_ICMP, IR_OP_FCMP, IR_OP_PHI, IR_OP_SELECT, IR_OP_ALLOCA,
	IR_OP_LOAD, IR_OP_STORE, IR_OP_GEP, IR_OP_CALL, IR_OP_EXTRACTVALUE,
	IR_OP_INSERTVALUE, IR_OP_FREEZE, IR_OP_VAARG, IR_OP_EXTRACTELEMENT,
	IR_OP_INSERTELEMENT, IR_OP_SHUFFLEVECTOR, IR_OP_FENCE, IR_OP_CMPXCHG,
	IR_OP_ATOMICRMW, IR_OP_LANDINGPAD,
	IR_OP__COUNT
};

/* Flag bits (ir_inst.flags / ir_const_expr.flags). */
enum {
	IR_FL_NUW      = 1u << 0,   /* add/sub/mul/shl/trunc */
	IR_FL_NSW      = 1u << 1,   /* add/sub/mul/shl/trunc */
	IR_FL_EXACT    = 1u << 2,   /* udiv/sdiv/lshr/ashr */
	IR_FL_DISJOINT = 1u << 3,   /* or */
	IR_FL_NNEG     = 1u << 4,   /* zext, uitofp */
	IR_FL_INBOUNDS = 1u << 5,   /* gep */
	IR_FL_VOLATILE = 1u << 6,   /* load/store/cmpxchg/atomicrmw */
	IR_FL_TAIL     = 1u << 7,   /* call: tail */
	IR_FL_MUSTTAIL = 1u << 8,   /* call: musttail */
	IR_FL_NOTAIL   = 1u << 9,   /* call: notail */
	IR_FL_ATOMIC   = 1u << 10,  /* load/store with an ordering */
	IR_FL_INRANGE  = 1u << 11,  /* constant gep had an inrange marker */
	IR_FL_WEAK     = 1u << 12,  /* cmpxchg weak */
};

/* Comparison predicates: the numeric values are LLVM's (fcmp 0..15,
 * icmp 32..41) so that printing and folding tables stay simple. */
enum ir_pred {
	IR_FCMP_FALSE = 0, IR_FCMP_OEQ, IR_FCMP_OGT, IR_FCMP_OGE, IR_FCMP_OLT,
	IR_FCMP_OLE, IR_FCMP_ONE, IR_FCMP_ORD, IR_FCMP_UNO, IR_FCMP_UEQ,
	IR_FCMP_UGT, IR_FCMP_UGE, IR_FCMP_ULT, IR_FCMP_ULE, IR_FCMP_UNE,
	IR_FCMP_TRUE,
	IR_ICMP_EQ = 32, IR_ICMP_NE, IR_ICMP_UGT, IR_ICMP_UGE, IR_ICMP_ULT,
	IR_ICMP_ULE, IR_ICMP_SGT, IR_ICMP_SGE, IR_ICMP_SLT, IR_ICMP_SLE,
};

struct ir_const_expr {
	enum ir_opcode op;
	uint32_t flags;
	uint32_t pred;                  /* icmp/fcmp */
	struct ir_type *src_type;       /* gep: source element type */
	uint32_t nops;
	struct ir_value **ops;          /* gep: base, indices... */
	int32_t inrange_index;          /* gep inrange operand, -1 if none */
	uint32_t index;                 /* dense per module, 0..nexprs-1: side
	                                 * tables of the code generator, which
	                                 * evaluates an expression shared by
	                                 * many others once */
};

struct ir_const {
	struct ir_value v;
	union {
		uint64_t i;             /* CONST_INT (<=64 bits): zero-extended
		                         * value truncated to the width */
		uint64_t fp_bits;       /* CONST_FP: bit pattern (f32 in the
		                         * low 32 bits; x86_fp80/fp128: low 64) */
	};
	uint64_t fp_hi;                 /* CONST_FP: high bits of 80/128-bit */
	const uint64_t *wide;           /* CONST_INT wider than 64 bits:
	                                 * ceil(bits/64) words, little-endian */
	uint32_t nelems;                /* CONST_AGG / CONST_DATA */
	struct ir_value **elems;        /* CONST_AGG */
	const uint64_t *data;           /* CONST_DATA */
	struct ir_const_expr expr;      /* CONST_EXPR */
	uint32_t depth;                 /* nesting depth (1 = no constant
	                                 * operands); the reader rejects
	                                 * cycles and depth > IR_MAX_CONST_DEPTH */
};
#define IR_MAX_CONST_DEPTH 256

/* Sign-extended value of an integer constant of width <= 64. */
int64_t ir_const_sext(const struct ir_const *c);
static inline bool ir_is_const(const struct ir_value *v)
{
	return v->kind >= IR_VAL_CONST_INT && v->kind <= IR_VAL_CONST_EXPR;
}

/* ---------------------------------------------------- globals & functions */

enum ir_linkage {
	IR_LINK_EXTERNAL, IR_LINK_WEAK_ANY, IR_LINK_APPENDING, IR_LINK_INTERNAL,
	IR_LINK_LINKONCE_ANY, IR_LINK_EXTERN_WEAK, IR_LINK_COMMON,
	IR_LINK_PRIVATE, IR_LINK_WEAK_ODR, IR_LINK_LINKONCE_ODR,
	IR_LINK_AVAILABLE_EXTERNALLY,
};

struct ir_global {
	struct ir_value v;              /* type: ptr; name: symbol */
	struct ir_type *value_type;     /* the type of the object */
	struct ir_value *init;          /* constant initialiser; NULL = extern */
	bool is_const;
	bool thread_local;
	uint8_t unnamed_addr;           /* 0 none, 1 unnamed_addr, 2 local */
	enum ir_linkage linkage;
	uint32_t align;                 /* bytes, 0 = unspecified */
	uint32_t addrspace;
	const char *section;            /* NULL when none */
};

struct ir_inst {
	struct ir_value v;              /* result; v.type void when none */
	enum ir_opcode op;
	uint32_t flags;                 /* IR_FL_* */
	uint32_t pred;                  /* ICMP/FCMP predicate (enum ir_pred) */
	uint32_t fmf;                   /* fast-math flags as in bitcode */
	struct ir_block *parent;
	struct ir_inst *prev, *next;    /* within the block */
	uint32_t nops;
	struct ir_use *ops;             /* nops slots */
	struct ir_type *alloc_type;     /* ALLOCA: allocated type */
	struct ir_type *src_type;       /* GEP: source element type */
	struct ir_type *fn_type;        /* CALL: function type */
	uint32_t align;                 /* ALLOCA/LOAD/STORE: bytes, 0 unspecified */
	uint32_t ordering;              /* atomics: LLVM ordering code */
	uint32_t callconv;              /* CALL */
	uint32_t nidx;                  /* EXTRACTVALUE/INSERTVALUE indices */
	const uint32_t *idx;
	/* CALL: call-site attributes, [0] = return value, [1 + i] = argument
	 * i; NULL when the call has none (ncall_attrs = 0) */
	const struct ir_attrs *call_attrs;
	uint32_t ncall_attrs;
	uint32_t call_fn_attrs;         /* CALL: IR_FN_* at the call site */
};

/* Attributes of one parameter or return value that the calling
 * convention depends on (from the bitcode attribute groups). */
enum {
	IR_ATTR_BYVAL  = 1u << 0,       /* pointer to a copy passed on the stack */
	IR_ATTR_SRET   = 1u << 1,       /* hidden struct-return pointer */
	IR_ATTR_INREG  = 1u << 2,
	IR_ATTR_SEXT   = 1u << 3,       /* signext */
	IR_ATTR_ZEXT   = 1u << 4,       /* zeroext */
	IR_ATTR_NOALIAS = 1u << 5,
	IR_ATTR_NONNULL = 1u << 6,
	IR_ATTR_RETURNED = 1u << 7,
};
struct ir_attrs {
	uint32_t flags;                 /* IR_ATTR_* */
	uint32_t align;                 /* align(N) on a pointer, 0 = none */
	struct ir_type *type;           /* byval(T) / sret(T), else NULL */
};

struct ir_arg {
	struct ir_value v;
	struct ir_func *parent;
	uint32_t index;
	struct ir_attrs attrs;
};

struct ir_block {
	struct ir_value v;              /* type: label; id = index */
	struct ir_func *parent;
	uint32_t index;                 /* position in parent->blocks */
	struct ir_inst *first, *last;
	uint32_t ninsts;
};

/* The intrinsics the passes tell apart, recognised once from the
 * callee's name by the reader (ir_intrinsic_of); the passes switch on
 * ir_func.intrinsic and never look at names.  0 is "not an intrinsic",
 * so `if (f->intrinsic)` asks whether f is one. */
enum ir_intrinsic {
	IR_INTR_NONE,
	IR_INTR_OTHER,          /* any llvm.* not listed below */
	IR_INTR_NOP,            /* lifetime.*, assume, dbg.*, invariant.*,
	                         * experimental.noalias.scope.decl,
	                         * sideeffect, donothing, var.annotation,
	                         * prefetch: no code */
	IR_INTR_EXPECT,         /* expect*: its first argument */
	IR_INTR_PASS,           /* ptr.annotation, launder.invariant.group,
	                         * strip.invariant.group: the first argument */
	IR_INTR_TRAP,           /* trap, debugtrap, ubsantrap */
	IR_INTR_STACKSAVE,
	IR_INTR_STACKRESTORE,
	IR_INTR_STACK,          /* any other stack* (stackprotector, ...) */
	IR_INTR_VA,             /* va_start */
	IR_INTR_MEMCPY,         /* memcpy.*, memcpy.inline.* */
	IR_INTR_MEMMOVE,
	IR_INTR_MEMSET,         /* memset.*, memset.inline.* */
	IR_INTR_SMAX, IR_INTR_SMIN, IR_INTR_UMAX, IR_INTR_UMIN,
	IR_INTR_SADD_SAT, IR_INTR_UADD_SAT, IR_INTR_SSUB_SAT, IR_INTR_USUB_SAT,
	IR_INTR_ABS,
	IR_INTR_FSHL, IR_INTR_FSHR,
	IR_INTR_BSWAP, IR_INTR_BITREVERSE, IR_INTR_CTPOP, IR_INTR_CTLZ, IR_INTR_CTTZ,
	IR_INTR_SADD_OV, IR_INTR_UADD_OV,       /* *.with.overflow */
	IR_INTR_SSUB_OV, IR_INTR_USUB_OV,
	IR_INTR_SMUL_OV, IR_INTR_UMUL_OV,
	IR_INTR_VA_END, IR_INTR_VA_COPY,
	/* floating point (cg/isel_fp.c) */
	IR_INTR_FMULADD, IR_INTR_FMA, IR_INTR_SQRT, IR_INTR_FABS, IR_INTR_COPYSIGN,
	IR_INTR_MINNUM, IR_INTR_MAXNUM,
	IR_INTR_FLOOR, IR_INTR_CEIL, IR_INTR_TRUNC, IR_INTR_ROUND, IR_INTR_ROUNDEVEN,
	IR_INTR_RINT, IR_INTR_NEARBYINT,
	IR_INTR_LROUND, IR_INTR_LLROUND, IR_INTR_LRINT, IR_INTR_LLRINT,
	IR_INTR_IS_FPCLASS,
	IR_INTR_FREXP,          /* frexp.*: { fraction, i32 exponent } */
	IR_INTR_LIBM,           /* sin, cos, tan, exp, log, pow, tanh, ...:
	                         * a call of the runtime's function of that
	                         * name (ir_libm_name) */
};

/* The intrinsic named `name`: IR_INTR_NONE unless it starts with "llvm.". */
enum ir_intrinsic ir_intrinsic_of(const char *name);
/* For IR_INTR_LIBM: the C library function an intrinsic stands for
 * ("llvm.sin.f64" -> "sin", "llvm.pow.f32" -> "powf"), NULL when none. */
const char *ir_libm_name(const char *name);
/* stacksave, stackrestore and the other stack* ones: the code around
 * them must keep the stack pointer as the IR has it. */
static inline bool ir_intrinsic_stack(enum ir_intrinsic k)
{
	return k >= IR_INTR_STACKSAVE && k <= IR_INTR_STACK;
}

struct ir_func {
	struct ir_value v;              /* type: ptr; name: symbol */
	struct ir_type *fn_type;        /* IR_TY_FUNC */
	enum ir_linkage linkage;
	uint32_t callconv;
	uint32_t align;
	bool is_decl;                   /* no body */
	enum ir_intrinsic intrinsic;    /* which, when the name starts with
	                                 * "llvm." (else IR_INTR_NONE, 0) */
	uint32_t nparams;
	struct ir_arg *params;
	uint32_t nblocks;
	struct ir_block **blocks;       /* layout order, [0] = entry */
	uint32_t ninsts;
	uint32_t nvalues;               /* bound on arg/inst ids */
	uint32_t attrs;                 /* IR_FN_* summary bits */
	bool in_const;                  /* its address is an operand of a
	                                 * constant aggregate or expression
	                                 * (noted by the reader, so nobody
	                                 * walks constants to learn it) */
	struct ir_attrs ret_attrs;      /* return value attributes */
	const char *section;
};

/* A few function attributes the JIT may care about (summary of the
 * bitcode attribute groups; the rest are dropped). */
enum {
	IR_FN_NORETURN = 1u << 0,
	IR_FN_NOUNWIND = 1u << 1,
	IR_FN_NOINLINE = 1u << 2,
	IR_FN_ALWAYSINLINE = 1u << 3,
	IR_FN_OPTNONE = 1u << 4,
};

struct ir_module {
	const char *triple;             /* "" when absent */
	const char *datalayout;         /* "" when absent */
	const char *source_filename;    /* "" when absent */
	uint32_t ntypes;
	struct ir_type **types;
	uint32_t nglobals;
	struct ir_global **globals;
	uint32_t nfuncs;
	struct ir_func **funcs;
	uint32_t nexprs;                /* constant expressions (expr.index) */
	uint32_t version;               /* bitcode MODULE_CODE_VERSION */
};

/* ----------------------------------------------------------- conversions */

static inline struct ir_inst *ir_as_inst(struct ir_value *v)
{ return v && v->kind == IR_VAL_INST ? (struct ir_inst *)v : NULL; }
static inline struct ir_arg *ir_as_arg(struct ir_value *v)
{ return v && v->kind == IR_VAL_ARG ? (struct ir_arg *)v : NULL; }
static inline struct ir_block *ir_as_block(struct ir_value *v)
{ return v && v->kind == IR_VAL_BLOCK ? (struct ir_block *)v : NULL; }
static inline struct ir_global *ir_as_global(struct ir_value *v)
{ return v && v->kind == IR_VAL_GLOBAL ? (struct ir_global *)v : NULL; }
static inline struct ir_func *ir_as_func(struct ir_value *v)
{ return v && v->kind == IR_VAL_FUNC ? (struct ir_func *)v : NULL; }
static inline struct ir_const *ir_as_const(struct ir_value *v)
{ return v && ir_is_const(v) ? (struct ir_const *)v : NULL; }

/* Operand i of an instruction. */
static inline struct ir_value *ir_op(const struct ir_inst *in, uint32_t i)
{ return in->ops[i].value; }
/* The directly called function of a CALL, or NULL for an indirect call. */
static inline struct ir_func *ir_call_target(const struct ir_inst *in)
{ return in->op == IR_OP_CALL ? ir_as_func(in->ops[0].value) : NULL; }
static inline bool ir_is_terminator(enum ir_opcode op)
{ return op >= IR_OP_RET && op <= IR_OP_CALLBR; }
/* The value a phi takes when entered from `pred`, or NULL. */
static inline struct ir_value *ir_phi_incoming(const struct ir_inst *phi, const struct ir_block *pred)
{
	for (uint32_t i = 0; i + 1 < phi->nops; i += 2)
		if (ir_as_block(ir_op(phi, i + 1)) == pred)
			return ir_op(phi, i);
	return NULL;
}

/* Names for printing ("add", "icmp", "getelementptr", "eq", ...). */
const char *ir_opcode_name(enum ir_opcode op);
const char *ir_pred_name(uint32_t pred);
const char *ir_linkage_name(enum ir_linkage l);

/* Find a function / global by name; NULL when absent. */
struct ir_func *ir_module_func(const struct ir_module *m, const char *name);
struct ir_global *ir_module_global(const struct ir_module *m, const char *name);

/* Check the indices of a GEP over `src` (idx[0] steps over whole
 * objects, idx[1..n-1] select elements; struct indices must be constant
 * and in range).  NULL when valid, else what is wrong.  The verifier
 * applies it to instructions, the reader to constant expressions. */
const char *ir_gep_check(const struct ir_type *src, struct ir_value *const *idx, uint32_t n);

/* -------------------------------------------------------------- editing */

/* ir/edit.c is the only code that changes IR once it is made.  Use lists
 * follow one of two disciplines:
 * - a module being read (bc/): every operand is in its value's use list,
 *   constants, globals and functions included;
 * - a clone being compiled (mid/, in scratch memory that dies with the
 *   compile): only the clone's own values (arguments, instructions,
 *   blocks) have their uses linked; module-level values are shared with
 *   the module and never point into scratch memory.
 * A use list's order is significant: new uses go to the front, except
 * where ir_replace_all_uses says otherwise. */

/* A module being read. */
/* Point operand slot i of `in` at `v` (its old use unlinked first). */
void ir_set_op(struct ir_inst *in, uint32_t i, struct ir_value *v);
/* Every use of `from` becomes a use of `to`: from's list, in its order,
 * goes in front of to's. */
void ir_replace_all_uses(struct ir_value *from, struct ir_value *to);

/* A clone. */
/* Fill operand slot i, which must be unlinked. */
void ir_clone_set_op(struct ir_inst *in, uint32_t i, struct ir_value *v);
void ir_clone_unlink_op(struct ir_inst *in, uint32_t i);
void ir_clone_change_op(struct ir_inst *in, uint32_t i, struct ir_value *v);
/* Every use of `from` (a clone value) becomes a use of `to`. */
void ir_clone_replace_uses(struct ir_value *from, struct ir_value *to);
/* The phis of block s name `to` where they named incoming block `from`. */
void ir_clone_retarget_phis(struct ir_block *s, struct ir_block *from, struct ir_block *to);
/* The instructions after `at` move to the empty block `tail`, and the
 * phis of the successors name tail where they named at's block. */
void ir_clone_split_block(struct ir_inst *at, struct ir_block *tail);
/* Copying the blocks of src: v[src value id] and b[src block index] map
 * its values to their images (the caller fills v[] for the arguments). */
struct ir_clone_map {
	struct ir_func *src;
	struct ir_value **v;
	struct ir_block **b;
};
/* New blocks of `dst`, b[] in src's order, with copies of src's
 * instructions whose operands are mapped through m.  False when out of
 * memory. */
bool ir_clone_blocks(struct ir_arena *a, struct ir_clone_map *m, struct ir_func *dst);

/* Either. */
void ir_append_inst(struct ir_block *b, struct ir_inst *in);
void ir_prepend_inst(struct ir_block *b, struct ir_inst *in);
void ir_unlink_inst(struct ir_inst *in);
/* nw takes old's place in old's block. */
void ir_replace_inst(struct ir_inst *old, struct ir_inst *nw);
/* A copy of src's fields with nops fresh (unlinked) operand slots, in no
 * block, with no uses. */
struct ir_inst *ir_copy_inst(struct ir_arena *a, const struct ir_inst *src, uint32_t nops);
/* A phi of type ty with nops fresh operand slots. */
struct ir_inst *ir_new_phi(struct ir_arena *a, struct ir_type *ty, uint32_t nops);
/* An empty block of f (the label type of `like`), in no position. */
struct ir_block *ir_new_block(struct ir_arena *a, struct ir_func *f, const struct ir_block *like);
/* f's blocks become blocks[0..n) in that order (a new layout, added or
 * dropped blocks), renumbered. */
void ir_set_blocks(struct ir_func *f, struct ir_block **blocks, uint32_t n);
/* Re-assign ids after instructions were added, removed or moved:
 * arguments 0..nparams-1, instructions in layout order, blocks by index;
 * updates ninsts, nvalues and each block's ninsts.  The verifier requires
 * instruction ids to increase in layout order. */
void ir_renumber(struct ir_func *f);

/* ------------------------------------------------------------- analysis */

/* Immediate dominators by Cooper, Harvey and Kennedy's iteration, for
 * the verifier and the unroller.  Blocks 0..n-1; order[0..np) the
 * reachable ones in reverse postorder (the entry, block 0, first) and
 * rpo[b] each one's position there; predecessors of b are
 * preds[predoff[b] .. predoff[b+1]).  idom[b] is filled in, UINT32_MAX
 * for unreachable blocks.  False when it does not settle within n + 2
 * rounds (a malformed graph), or when *steps (unless NULL: no limit),
 * the steps it may take, runs out (then *steps is 0; else what is left). */
bool ir_idoms(uint32_t n, uint32_t np, const uint32_t *order, const uint32_t *rpo,
	      const uint32_t *predoff, const uint32_t *preds, uint32_t *idom, uint64_t *steps);

/* ----------------------------------------------------- verify and print */

/* Checks: every block ends in exactly one terminator and has none inside;
 * phis only at block starts, one incoming per predecessor, blocks of the
 * same function; every operand defined (no placeholder), arguments and
 * instructions of the same function; instructions dominate their uses
 * (phi incoming: the end of the incoming block); operand types match
 * the opcode; use lists consistent with operands.  Returns 0 when valid,
 * else -1 with a message naming the function, block and instruction, or
 * -2 when `scratch` is too small for the check.
 * `scratch` is temporary memory for the dominator computation; it is
 * restored before returning. */
int ir_verify_module(const struct ir_module *m, struct ir_arena *scratch,
		     char *msg, size_t msgsize);
int ir_verify_func(const struct ir_func *f, struct ir_arena *scratch,
		   char *msg, size_t msgsize);

/* Printing through a sink, in a syntax close to llvm-dis output. */
struct ir_printer {
	void (*write)(void *ctx, const char *s, size_t n);
	void *ctx;
};
void ir_print_type(struct ir_printer *p, const struct ir_type *t);
void ir_print_value_ref(struct ir_printer *p, const struct ir_value *v, bool with_type);
/* Number a function's unnamed locals the way LLVM does (ir_value.slot);
 * ir_print_func does it, call it before printing single instructions. */
void ir_print_number(const struct ir_func *f);
void ir_print_inst(struct ir_printer *p, const struct ir_inst *in);
void ir_print_func(struct ir_printer *p, const struct ir_func *f);
void ir_print_module(struct ir_printer *p, const struct ir_module *m);

#endif
