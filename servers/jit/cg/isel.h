/* servers/jit/cg/isel.h: what the instruction selection files share
 * (emit.c, isel_cmp.c, isel_alu.c, isel_mem.c, isel_call.c, intrin.c,
 * flow.c, frame.c): operand forms and the helpers of emit.c.
 *
 * The duties of instruction selection: every instruction the reader
 * accepts either becomes x86-32 code or a compile error naming the
 * function and the instruction — never wrong code.
 *
 * Conventions.  EAX, ECX and EDX are scratch: every instruction loads its
 * operands into them (or uses them in place when they live in an
 * allocated register, EBX/ESI/EDI at tier >= 1), computes, and stores the
 * result into its location.  Floating point likewise uses XMM0 and XMM7
 * as scratch; XMM1..XMM6 hold float/double values at tier >= 1 (L_XMM,
 * xmm.c), only where no call can clobber them.  Values narrower than 32
 * bits live in 32-bit containers whose upper bits are undefined:
 * consumers that depend on them (compares, division, right shifts,
 * extensions) extend first.  i64
 * values are pairs (lo at +0, hi at +4) kept in stack slots and computed
 * in EDX:EAX.  First-class aggregates (the {iN, i1} of *.with.overflow,
 * insertvalue) live in slots.
 *
 * Frame: push ebp; mov ebp, esp; push the callee-saved registers used;
 * sub esp, N (patched at the end).  Slots are ebp-relative.  Calls push
 * their arguments (cdecl) and pop them after the call.  ESP-relative
 * frames (x86.h X_FP) and register allocation (rega.c) refine this. */

#ifndef BF_JIT_CG_ISEL_H
#define BF_JIT_CG_ISEL_H
#include "servers/jit/cg/cg.h"

#define EAX X_EAX
#define ECX X_ECX
#define EDX X_EDX
#define EBX X_EBX
#define ESP X_ESP
#define EBP X_EBP

struct address {
	x86_mem m;
	uint8_t rk;
	uint16_t sym;
};

enum { O_REG, O_MEM, O_IMM };
struct operand {
	int k;
	int r;
	x86_mem m;
	int32_t imm;
};

/* The location of vreg v. */
static inline struct cg_loc *loc_of(struct codegen *c, const struct ir_value *v)
{
	return &c->loc[v->id];
}

/* The frame slot at offset off (X_FP: EBP, or ESP + bias + pushes). */
static inline x86_mem slot_mem(int32_t off) { return x86_m(X_FP, off); }

/* The high word of a pair in memory. */
static inline x86_mem high_word(x86_mem m)
{
	m.disp += 4;
	return m;
}

static inline bool is_pow2(uint32_t x) { return x && !(x & (x - 1)); }
static inline uint8_t log2u(uint32_t x)
{
	uint8_t n = 0;
	while (x > 1) { x >>= 1; n++; }
	return n;
}

/* emit.c */
bool isel_fail(struct codegen *c, const char *msg);
void addr_reloc(struct codegen *c, const struct address *a);
void load_imm(struct codegen *c, int r, uint32_t v);
void load_vreg(struct codegen *c, int r, uint32_t i);
void def_write(struct codegen *c, uint8_t before, int r);
void store_vreg(struct codegen *c, uint32_t i, int r);
void load_value(struct codegen *c, int r, struct ir_value *v);
void extend_reg(struct codegen *c, int r, uint32_t w, bool sign);
uint32_t extend_const(uint64_t v, uint32_t w, bool sign);
bool known_const(struct codegen *c, struct ir_value *v, uint64_t *out);
bool zero_extended(struct codegen *c, struct ir_value *v, int depth);
void load_extended(struct codegen *c, int r, struct ir_value *v, bool sign);
struct operand operand_of(struct codegen *c, struct ir_value *v, int s);
void emit_alu(struct codegen *c, int op, int r, struct operand o);
int dest_reg(struct codegen *c, struct ir_value *v);
void store_result(struct codegen *c, struct ir_value *v, int r);
bool in_reg(struct codegen *c, struct ir_value *v, int r);
void load_pair(struct codegen *c, int lo, int hi, struct ir_value *v);
void store_pair_vreg(struct codegen *c, uint32_t i, int lo, int hi);
void store_pair(struct codegen *c, struct ir_value *v, int lo, int hi);
x86_mem pair_mem(struct codegen *c, struct ir_value *v, int n);
x86_mem pair_mem_ext(struct codegen *c, struct ir_value *v, int n, uint32_t w, bool sign);
void extend_pair(struct codegen *c, uint32_t w, bool sign);
void load_extended_pair(struct codegen *c, struct ir_value *v, uint32_t w, bool sign);
bool agg_slot(struct codegen *c, struct ir_value *v, int32_t *off);
void copy_mem(struct codegen *c, x86_mem d, x86_mem s, uint32_t n);
void emit_copy(struct codegen *c, struct ir_value *dst, struct ir_value *src);
int own_reg(struct codegen *c, struct ir_value *v);
bool simple_opnd(struct codegen *c, struct ir_value *v);
int direct_reg(struct codegen *c, struct ir_inst *in);
int reg_of(struct codegen *c, struct ir_value *v);
int reg_any(struct codegen *c, struct ir_value *v);

/* isel_cmp.c */
int pred_cc(uint32_t p);
uint32_t swap_pred(uint32_t p);
struct ir_inst *fused_load(struct codegen *c, struct ir_value *v);
int emit_cmp(struct codegen *c, struct ir_inst *in);
int cond_cc(struct codegen *c, struct ir_value *cond);
void emit_select(struct codegen *c, struct ir_inst *in);
void emit_icmp(struct codegen *c, struct ir_inst *in);

/* isel_alu.c */
void emit_binop(struct codegen *c, struct ir_inst *in);
void emit_cast(struct codegen *c, struct ir_inst *in);

/* isel_mem.c */
struct address address_of(struct codegen *c, struct ir_value *p, int sb, int si);
void emit_gep(struct codegen *c, struct ir_inst *in);
void emit_load(struct codegen *c, struct ir_inst *in);
void emit_store(struct codegen *c, struct ir_inst *in);
void emit_alloca(struct codegen *c, struct ir_inst *in);
void emit_extract(struct codegen *c, struct ir_inst *in);
void emit_insert(struct codegen *c, struct ir_inst *in);

/* isel_call.c */
uint32_t push_arg(struct codegen *c, struct ir_value *v, const struct ir_attrs *at);
void call_import(struct codegen *c, const char *name);
void emit_call(struct codegen *c, struct ir_inst *in);

/* intrin.c */
void emit_intrinsic(struct codegen *c, struct ir_inst *in, const struct ir_func *callee);
/* fpclass.c, frexp.c */
void emit_is_fpclass(struct codegen *c, struct ir_inst *in);
void emit_frexp(struct codegen *c, struct ir_inst *in);

/* isel_wide.c */
bool wide_type(const struct ir_type *t);
bool wide_refuse(struct codegen *c);
void wide_load(struct codegen *c, struct ir_inst *in);
void wide_store(struct codegen *c, struct ir_inst *in);
void wide_binop(struct codegen *c, struct ir_inst *in);
void wide_cast(struct codegen *c, struct ir_inst *in);

/* isel_fp.c */
bool fp_type_ok(const struct ir_type *t);
int xmm_of(struct codegen *c, struct ir_value *v);
bool fp_copy(struct codegen *c, const struct ir_type *t, uint32_t dst, struct ir_value *src,
	     uint32_t src_vreg);
uint32_t fp_push_arg(struct codegen *c, struct ir_value *v);
int fcmp_flags(struct codegen *c, struct ir_inst *in);
bool fp_emit_load(struct codegen *c, struct ir_inst *in);
bool fp_copy_slot(struct codegen *c, const struct ir_type *t, int32_t dst_off, struct ir_value *src,
		  int32_t src_off);
bool fp_emit_store(struct codegen *c, struct ir_inst *in);
void emit_fp(struct codegen *c, struct ir_inst *in);
void emit_fp_cast(struct codegen *c, struct ir_inst *in);
bool emit_fp_intrinsic(struct codegen *c, struct ir_inst *in, const struct ir_func *callee);
void fp_call_result(struct codegen *c, struct ir_inst *in);
void fp_ret(struct codegen *c, struct ir_value *v);

/* flow.c */
bool agg_copy(struct codegen *c, struct ir_inst *p, struct cg_loc dst, struct ir_value *v);
void emit_br(struct codegen *c, struct ir_block *b, struct ir_inst *in);
void emit_switch(struct codegen *c, struct ir_block *b, struct ir_inst *in);
void emit_ret(struct codegen *c, struct ir_block *b, struct ir_inst *in);
void block_head(struct codegen *c, struct ir_block *b);
void jump_tables(struct codegen *c);
/* Sandboxed code: per block, whether a jump table may lead to it (its
 * label then goes to a bundle start); decided before the emission. */
uint8_t *table_targets(struct codegen *c);

/* frame.c */
void epilogue(struct codegen *c);
void fast_exit(struct codegen *c);
void prologue(struct codegen *c);
void function_exit(struct codegen *c);
/* Stack probes: `sub esp, bytes` (at least a page) one page at a time,
 * touching each (a loop over EAX for many pages when eax_free); and
 * `sub esp, eax` likewise for a size known only at run time (EAX is
 * left with what remains below a page). */
#define PROBE_PAGE 4096
void stack_alloc(struct codegen *c, uint32_t bytes, bool eax_free);
void stack_alloc_eax(struct codegen *c);

#endif
