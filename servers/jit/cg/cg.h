/* servers/jit/cg/cg.h: the x86-32 target — shared types of the code
 * generator's passes, in the order driver.c runs them (the mid passes
 * on the clone, mid/mid.h, come first at tier >= 2):
 *
 *   driver.c   the module (data, stubs, convention), the pipeline per
 *              function, linking
 *   data.c     constants, global initialisers, data layout, relocations
 *   conv.c     which module functions take two parameters in ECX/EDX
 *   opt.c      optimisations on side tables: static allocas, fusion;
 *              tier >= 1: promotion, aliases, folding, dead code
 *   live.c     tier >= 1: liveness and the phi copy scheme   } the
 *   ranges.c   tier >= 1: live ranges, interference          } register
 *   rega.c     tier >= 1: linear scan (cg_regalloc)          } allocation
 *   slots.c    tier >= 1: phi webs sharing stack slots       } (live.h)
 *   scratch.c  tier 3: ECX/EDX for values, a second round    }
 *   xmm.c      tier >= 1: float/double values in XMM registers }
 *   stack.c    the frame's layout: stack slots
 *   dead.c     tier >= 2: stores into slots nothing reads
 *   emit.c     instruction selection and emission: the core } (isel.h)
 *   isel_cmp.c, isel_alu.c, isel_mem.c, isel_call.c, intrin.c, flow.c,
 *   frame.c    its parts: compares, arithmetic, memory, calls,
 *              intrinsics, control flow, prologue and epilogue
 *
 * Values ("vregs") are indexed by ir_value.id for arguments and
 * instructions; phi-in temporaries follow (nvalues + k).  Every vreg has
 * a location: a stack slot, a register (tier >= 1), the address of a
 * static alloca (frame), a folded constant, or none (dead / fused). */
#ifndef BF_JIT_CG_H
#define BF_JIT_CG_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "servers/jit/ir/ir.h"
#include "servers/jit/jit.h"
#include "servers/jit/x86/x86.h"

/* L_XMM: a float or double in an XMM register (reg = 1..6, tier >= 1,
 * xmm.c); every other location holds the value's IEEE bits as an i32
 * or i64 would be held. */
enum { L_NONE, L_SLOT, L_REG, L_FRAME, L_CONST, L_XMM };

struct cg_loc {
	uint8_t kind;
	int8_t reg;     /* L_REG: a general register; L_XMM: an XMM register */
	int32_t off;   /* L_SLOT / L_FRAME: ebp-relative */
	uint64_t k;    /* L_CONST */
};

/* Per-value flags. */
enum {
	F_DEAD = 1 << 0,     /* not emitted (no side effects, unused) */
	F_PROMOTED = 1 << 1, /* alloca turned into a variable */
	F_FUSED = 1 << 2,    /* emitted as part of its user (opt.c): an icmp
				at its br/select, an `and` at its icmp (a
				test), a load at the call it is an argument
				of (push [addr]), a zext at its 64-bit mul,
				an index `y + C` in its folded address,
				an i1 or/and of two icmps at its br, a load
				at the icmp or arithmetic that reads it
				(cmp r, [m]; add r, [m]) */
	F_FOLDADDR = 1 << 3, /* gep folded into its loads/stores */
	F_ALIAS = 1 << 4,    /* pure copy: alias[] names the source */
	F_CONST = 1 << 5,    /* folded to a constant (loc.k) */
	F_PHIDIRECT = 1 << 6,/* phi written directly at predecessor ends */
	F_STATIC = 1 << 7,   /* alloca with a fixed frame slot */
};

/* Constant with an optional relocation (address of a global, a function
 * stub, ...). */
struct cg_const {
	uint64_t v;
	uint8_t rk;    /* 0xff: none, else enum jit_reloc_kind */
	uint16_t sym;
};
#define RK_NONE 0xff

/* A constant expression's value, once evaluated (data.c). */
struct cg_kmemo {
	uint64_t v;
	uint16_t sym;
	uint8_t rk;
	uint8_t state;          /* 0 not yet, 1 known, 2 not a constant we know */
};

struct codegen {
	struct ir_module *m;
	struct ir_func *f;
	const struct jit_opts *opt;
	struct jit_out *o;
	struct ir_arena *a;
	x86_buf b;
	char *err;
	size_t errsize;
	bool failed;
	int tier;
	bool sandbox;           /* JIT_SEC_SANDBOX: b.bundle, stubs of 32 bytes */
	bool align_loops;       /* sandboxed: loop headers at bundle starts
				   (emit_code picks it per function) */
	uint8_t prev_depth;     /* loop depth of the block emitted last */
	uint64_t padcost;       /* padding NOPs weighted by loop depth */
	uint32_t stub;          /* the stubs' stride (jit_stub_size) */
	uint64_t rng;           /* JIT_SEC_RANDOM: the placement's generator */

	/* module-wide */
	uint32_t *goff;         /* data offset per global */
	uint8_t *regp;          /* per function: parameters in ECX/EDX (conv.c) */
	struct cg_kmemo *kmemo; /* per constant expression (expr.index): its
				   value once evaluated (data.c cg_const) */
	uint32_t knew;          /* expressions evaluated for the current root */
	uint32_t kdepth;        /* cg_const's nesting: 0 outside */
	const struct ir_global *kglobal; /* initialiser being written */

	/* the limits (driver.c): work units left for this function (or the
	 * data layout), and where cg_abort returns to */
	int64_t fuel;
	void *abort[5];         /* __builtin_setjmp buffer */

	/* per function */
	uint32_t nv;            /* vregs: f->nvalues + phi temps */
	struct cg_loc *loc;
	uint8_t *fl;
	struct ir_value **alias;
	uint32_t *phitmp;       /* phi id -> temp vreg (0 when none) */
	struct ir_inst **inst;  /* id -> instruction (NULL for args) */
	x86_label *blab;
	bool *reach;            /* block reachable (tier >= 1) */
	int32_t frame;          /* bytes used below the saved registers */
	int nsaved;
	uint8_t saved[4];
	bool espf;              /* ESP-based frame: EBP is allocatable (rega.c) */
	bool ebp_used;          /* ... and was allocated (else not even saved) */
	int32_t scratch;        /* 16-byte scratch slot (ebp-relative) */
	int32_t va_off;         /* X_FP offset of the first variadic argument
	                         * (past the fixed ones; va_start) */
	int32_t cycles;         /* tier 0 with counters: 16-byte slot (start
				   TSC at +0/+4, return value saved at +8/+12
				   in the epilogue), else 0 */
	x86_label epi;
	int32_t epi_sub;        /* bytes the prologue allocated (cg_emit_func) */
	bool epi_keep_ebp;      /* ... and whether it left EBP alone */
	bool keep_flags;        /* constants loaded with mov, not xor */
	struct ir_inst *cur;    /* instruction being compiled (errors) */
	uint32_t eax_id;        /* vreg just stored from EAX to its slot ... */
	uint32_t eax_pos;       /* ... at this code offset (reload elision) */
	uint32_t eax_gen;       /* ... when EAX was at this x86_buf.eax_gen */
	/* isel_fp.c: XMM register held_reg holds vreg held_id when nothing
	 * was emitted since position held_pos, in block held_blk (it was
	 * just stored from there) */
	uint32_t held_id, held_pos;
	uint8_t held_reg;
	const struct ir_block *held_blk;
	bool eax_pair;          /* ... with its high word from EDX (i64) */
	/* liveness results kept for the second allocation round (tier 3) */
	struct cg_ra *ra;       /* rega.c; NULL when there was no allocation */
	uint32_t *kinst;        /* layout index -> instruction id */
	uint32_t *kpos;         /* instruction id -> layout index (rega.c) */
	uint32_t nk;
	uint8_t *busy;          /* per instruction id: ECX/EDX (1 << reg) hold a
				   live value there (emit.c, for blinding) */
	/* xmm.c: the FP constants that loops read, each stored once into a
	 * frame slot by the prologue (frame.c) and read from there as a
	 * memory operand (isel_fp.c), instead of being built in a register
	 * at every use (tier >= 1) */
	struct cg_fpk {
		uint64_t bits;
		int32_t off;            /* its slot (stack.c) */
		bool dbl;
	} fpk[16];
	uint32_t nfpk;
	uint8_t *xclob;         /* per instruction id: its code may call (all
				   XMM registers clobbered; xmm.c), or NULL
				   when no value lives in an XMM register */
	uint16_t *wm;           /* per instruction id: registers its code wrote
				   (1 << reg), and calls in it clobbered (256 << reg) */
	uint64_t cost;          /* of the last emission: code bytes, those in
				   loops weighted by 8 per level (cg_emit_func) */
	const uint8_t *bdepth;  /* per block: loop depth (rega.c), or NULL */
	bool noframe;           /* no frame word is used: no stack allocated */
	uint32_t *srep;         /* spilled vreg -> vreg whose stack slot it
				   shares (slots.c coalesce_slots), or NULL */
	uint32_t nswitch;       /* jump tables pending */
	uint8_t *itarget;       /* sandboxed: per block, a jump table's target
				   (bound at a bundle start), else NULL */
	struct ir_block *fast_next; /* entry's successor when frame.c fast_exit took
				       the other way before the prologue */
	struct cg_jt {
		uint32_t at;            /* disp32 field to point at the table */
		struct ir_inst *sw;
		int64_t lo;
		int64_t bias;           /* first case, when not subtracted */
		uint32_t n;
	} jt[64];
};

/* An argument or instruction: a value with a location (a vreg). */
static inline bool cg_is_var(const struct ir_value *v)
{
	return v->kind == IR_VAL_ARG || v->kind == IR_VAL_INST;
}

/* The attributes of argument operand i (>= 1) of call `in`: the call
 * site's, else the callee's parameter's; NULL when there are none. */
static inline const struct ir_attrs *cg_arg_attrs(const struct ir_inst *in, uint32_t i)
{
	struct ir_func *t = ir_call_target(in);
	if (in->call_attrs && i < in->ncall_attrs)
		return &in->call_attrs[i];
	if (t && i - 1 < t->nparams)
		return &t->params[i - 1].attrs;
	return NULL;
}

/* Weight of code in block bi by its loop depth (8 per level, rega.c's
 * estimate capped at 3): spill and code-size estimates. */
static inline uint32_t cg_loop_weight(const struct codegen *c, uint32_t bi)
{
	return c->bdepth ? 1u << (3 * c->bdepth[bi]) : 1;
}

/* Where the copies into phi p write on its incoming edges: p itself when
 * written directly by the predecessors, else its temporary (live.c). */
static inline uint32_t cg_phi_dst(const struct codegen *c, const struct ir_inst *p)
{
	return (c->fl[p->v.id] & F_PHIDIRECT) ? p->v.id : c->phitmp[p->v.id];
}

/* errors */
bool cg_fail(struct codegen *c, const struct ir_inst *in, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* driver.c: the limits.  cg_abort ends the whole compile at once with
 * this message (jit_compile returns -1): every pass works on side tables
 * and scratch memory, and the mid passes on a clone, so nothing needs
 * undoing.  cg_fuel spends n work units of the function's budget and
 * aborts when it is gone: every pass spends one per instruction it
 * walks and one per step of its inner loops that are not linear (bitset
 * words, interference checks, switch cases, dominator steps), so a
 * compile does at most O(budget) work. */
void cg_abort(struct codegen *c, const char *fmt, ...)
	__attribute__((noreturn, format(printf, 2, 3)));
void cg_out_of_fuel(struct codegen *c) __attribute__((noreturn));
static inline void cg_fuel(struct codegen *c, uint64_t n)
{
	c->fuel -= (int64_t)n;
	if (c->fuel < 0)
		cg_out_of_fuel(c);
}

/* data.c */
int cg_layout_data(struct codegen *c);
bool cg_const(struct codegen *c, struct ir_value *v, struct cg_const *out);
/* conv.c: regp[i] = how many leading parameters of function i arrive in
 * ECX and EDX (m->nfuncs bytes). */
void cg_conv(const struct ir_module *m, uint8_t *regp);
void cg_reloc(struct codegen *c, uint8_t kind, bool in_data, uint16_t sym, uint32_t off);
uint16_t cg_import(struct codegen *c, const char *name);
int64_t cg_gep_const_offset(struct codegen *c, struct ir_type *src, struct ir_value **idx,
			    uint32_t n, bool *ok);
uint32_t cg_type_bits(const struct ir_type *t); /* int width, ptr 32, else 0 */

/* opt.c */
void cg_opt(struct codegen *c);
struct ir_value *cg_canon(struct codegen *c, struct ir_value *v);


/* rega.c: liveness, the phi scheme, linear scan over the callee-saved
 * registers, phi webs sharing slots (tier >= 1) */
int cg_regalloc(struct codegen *c);
/* ranges.c: `in` reads v for the last time (false without an allocation) */
bool cg_dies_at(struct codegen *c, struct ir_inst *in, struct ir_value *v);
/* scratch.c: after a dry-run emission recorded c->wm (registers written
 * per instruction), allocates again over ECX and EDX as well, where
 * their ranges allow; with keep (the first allocation), only values
 * without a register there compete for ECX and EDX.  False when it
 * could not. */
bool cg_regalloc_wide(struct codegen *c, const struct cg_loc *keep);
/* scratch.c: checks the ECX/EDX values against c->wm (re-recorded);
 * with demote, those that fail lose their register (they need slots:
 * assign again). */
bool cg_scratch_verify(struct codegen *c, bool demote);

/* scratch.c: the first allocation saved and restored around the
 * second round; the second round itself (false: `first` stays) */
/* An allocation (locations, frame and saved registers), to go back to. */
struct cg_alloc {
	struct cg_loc *loc;
	int32_t frame, scratch, cycles;
	int nsaved;
	uint8_t saved[4];
	bool ebp_used;
	int32_t fpk_off[16];    /* the pooled constants' slots (c->fpk) */
};
bool cg_save_alloc(struct codegen *c, struct cg_alloc *s);
void cg_restore_alloc(struct codegen *c, const struct cg_alloc *s);
bool cg_widen(struct codegen *c, const struct cg_alloc *first);

/* stack.c: the stack slots and the frame's size */
void cg_assign_slots(struct codegen *c);

/* dead.c: the frame words only written (NULL: none), and whether the
 * code needs no frame words at all (*unused) */
uint8_t *cg_dead_stores(struct codegen *c, bool *unused);

/* emit.c: the function's code; a dry run of it (to learn what the code
 * writes and reads; its code and relocations are taken back) */
int cg_emit_func(struct codegen *c);
bool cg_dry_run(struct codegen *c);
#endif
