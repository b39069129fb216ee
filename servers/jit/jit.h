/* servers/jit/jit.h: the micro-JIT's public entry — IR module in, x86-32
 * code + data + link information out.
 *
 *   struct jit_out o;  jit_out_init(&o, code, CODE_CAP, data, DATA_CAP,
 *                                   relocs, NRELOCS, funcs, NFUNCS);
 *   struct jit_opts opt = { .tier = 0 };
 *   char err[200];
 *   if (jit_compile(m, &opt, &scratch_arena, &o, err, sizeof err) != 0)
 *       print(err);                     // names function and instruction
 *   // place code at C, data at D, the dispatch table (o.nfuncs words) at T
 *   jit_link(&o, C, D, T, C, resolve, ctx, err, sizeof err);
 *   // copy o.code to C (read+execute), o.data to D (read+write), fill the
 *   // table with jit_table_entry(&o, C, i) for every function i
 *
 * Layout of what is produced (all offsets relative to the area's base):
 * - code: per function i an 8-byte stub at 8*i, `jmp [T + 4*i]` (function
 *   pointers taken by the module point here, so they stay valid across
 *   recompilation), then each function's body, then jump tables.
 *   Sandboxed (JIT_SEC_SANDBOX): 32-byte bundles from the code base (a
 *   page boundary), stubs of 32 bytes at 32*i, bodies 32-byte aligned,
 *   jump tables as `mov eax, target; nop` entries of 8 bytes
 *   (jit_stub_size gives the stride).
 * - data: every global with an initialiser or zero fill, in module order,
 *   aligned; then one 32-bit call counter per function (tiers 0-2
 *   increment it on entry: o.funcs[i].counter_off); then, 8-byte aligned,
 *   one 64-bit cycle accumulator per function (tier-0 code adds the rdtsc
 *   difference between entry and return, inclusive of callees:
 *   o.funcs[i].cycles_off).
 * - dispatch table: one 32-bit code address per module function
 *   (index = ir_func.v.id); declarations have entries resolved by name.
 * Relocations patch 32-bit words in code or data: absolute (+= base of
 * code, data or table) or pc-relative calls to imported symbols (runtime
 * helpers: memcpy, memset, memmove, __udivdi3, ..., and external
 * declarations of the module).
 *
 * Recompiling one function at a higher tier: opt.only_func = index; the
 * data layout is recomputed identically (deterministic), so the new code
 * refers to the same data; only the function's body is produced (o.code
 * holds no stubs then; o.funcs[index].code_off is the entry; link it
 * with stubs_base = the code base of the whole-module image). */
#ifndef BF_JIT_JIT_H
#define BF_JIT_JIT_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "servers/jit/ir/ir.h"

#define JIT_MAX_TIER 3

enum jit_reloc_kind {
	JIT_R_CODE,   /* abs32 += code base */
	JIT_R_DATA,   /* abs32 += data base */
	JIT_R_TABLE,  /* abs32 += dispatch table base */
	JIT_R_IMPORT, /* rel32 := addr(import sym) - (place + 4) */
	JIT_R_IMPORT_ABS, /* abs32 += addr(import sym) */
	JIT_R_STUBS,  /* abs32 += stubs base (function pointers: stub 8*i) */
};

struct jit_reloc {
	uint8_t kind;     /* enum jit_reloc_kind */
	uint8_t in_data;  /* patch location: 0 code, 1 data */
	uint16_t sym;     /* JIT_R_IMPORT: index into jit_out.imports */
	uint32_t off;     /* offset of the 32-bit word in code or data */
};

struct jit_func_out {
	const char *name;
	uint32_t code_off;    /* entry (body start) in code; 0xffffffff if none */
	uint32_t code_size;
	uint32_t stub_off;    /* the `jmp [table]` stub (function pointers) */
	uint32_t counter_off; /* data offset of the call counter */
	uint32_t cycles_off;  /* data offset of the 64-bit cycle accumulator
				 (8-byte aligned; only tier-0 code adds to it) */
	int16_t import;       /* declarations: index in imports, else -1 */
	bool defined;
};

#define JIT_MAX_IMPORTS 64
#define JIT_BSS_MIN     4096u	/* a zero global this large goes to bss */
#define JIT_BSS_MAX     (15u << 20)	/* bss beyond this is refused */

struct jit_out {
	uint8_t *code; uint32_t code_len, code_cap;
	uint8_t *data; uint32_t data_len, data_cap;
	/* Large zero-initialised globals (JIT_BSS_MIN bytes or more) are not
	 * in `data`: they are bss_len bytes at data base + bss_off (page
	 * aligned, past data_len), which the loader gives as zero pages. */
	uint32_t bss_off, bss_len;
	struct jit_reloc *relocs; uint32_t nrelocs, relocs_cap;
	struct jit_func_out *funcs; uint32_t nfuncs, funcs_cap;
	const char *imports[JIT_MAX_IMPORTS]; uint32_t nimports;
	uint32_t *global_off;   /* optional (may be NULL): data offset per global */
	uint32_t global_cap;
	/* statistics */
	uint32_t insts_compiled;
	uint32_t spills;        /* values that got a stack slot at tier >= 1 */
	uint32_t redone;        /* functions re-emitted without ECX/EDX values */
	uint32_t scratch_values;/* values kept in ECX/EDX (tier 3) */
	uint32_t xmm_values;    /* float/double values kept in XMM registers
				   (tier >= 1, cg/xmm.c) */
	uint32_t fast_exits;    /* functions returning early before their
				   prologue (tier 3, cg/frame.c fast_exit) */
	uint32_t slots_shared;  /* spilled values sharing a phi web's stack
				   slot with another (copies between them vanish) */
	uint32_t stores_dropped;/* stores into stack slots nothing reads */
	uint32_t loops_unrolled; /* loops unrolled (tier 3, cg/unroll.c) */
	uint64_t work;          /* work units spent (see jit_opts.budget) */
	uint64_t work_peak;     /* ... by the function that spent most */
	uint32_t work_peak_insts; /* ... and its IR instructions */
};

/* jit_opts.secure: the defences the compiler applies to its code
 * (docs/secure-jit.md); the same names as the shell's `secure`. */
#define JIT_SEC_SANDBOX 0x1 /* NaCl-style bundles: code the kernel's
			       verifier accepts (microkernel/verify) */
#define JIT_SEC_BLIND   0x2 /* constant blinding */
#define JIT_SEC_RANDOM  0x4 /* random function placement */
#define JIT_SEC_ALL     (JIT_SEC_SANDBOX | JIT_SEC_BLIND | JIT_SEC_RANDOM)

/* jit_opts.sandbox_faults (tests/jit/unit/test_jit_sandbox.c) */
#define JIT_SBX_BUNDLE 0x01 /* instructions may cross a bundle boundary */
#define JIT_SBX_CALL   0x02 /* calls need not end at a bundle end */
#define JIT_SBX_RET    0x04 /* plain ret */
#define JIT_SBX_MASK   0x08 /* jmp / call r without and r, -32 */
#define JIT_SBX_MEM    0x10 /* call through a spilled function pointer */
#define JIT_SBX_TABLE  0x20 /* jump-table targets anywhere */
#define JIT_SBX_ENTRY  0x40 /* function entries 16-byte aligned only */

/* "sandbox,..." / "none" / "all" -> JIT_SEC_* in *out; -1 for a name it
 * does not know (cg/secure.c). */
int jit_secure_parse(const char *list, uint32_t *out);

struct jit_opts {
	int tier;          /* 0..JIT_MAX_TIER */
	int only_func;     /* -1: whole module; else a function index */
	bool no_counters;  /* leave out the tier-0 call counters */
	bool unroll_all;   /* testing: tier 3 unrolls every loop cg/unroll.c
			      can transform, its heuristics off */
	uint32_t budget;   /* work units each function's compile (and the
			      data layout) may spend; 0: the default below */
	uint32_t secure;   /* JIT_SEC_* */
	uint64_t seed;     /* JIT_SEC_BLIND / JIT_SEC_RANDOM: the compile's
			      randomness (a fresh value per compile) */
	uint32_t sandbox_faults; /* tests only: JIT_SBX_* pieces of the
			      sandboxed form left out, so a test sees the
			      verifier (or the results) catch each one */
};

/* The default compile budget of a function of n IR instructions (after
 * inlining and unrolling; for the data layout n is the number of
 * globals and constant expressions):
 *   JIT_BUDGET_BASE + JIT_BUDGET_PER_INST * n
 *                   + JIT_BUDGET_PER_WORD * n * ceil(n / 32)
 * — a linear part, and an allowance for the liveness and slot passes,
 * which work on bitsets of all the function's values (n / 32 words) per
 * block and instruction.  Generous: no function of the corpus, the
 * benchmarks or the csmith seeds spends 7% of it at any tier.  A
 * compile that runs out fails with "compile budget exceeded in function
 * F at tier T" (cg/cg.h cg_fuel says what a unit is). */
#define JIT_BUDGET_BASE     (1u << 22)
#define JIT_BUDGET_PER_INST 8192u
#define JIT_BUDGET_PER_WORD 128u

void jit_out_init(struct jit_out *o, uint8_t *code, uint32_t code_cap,
		  uint8_t *data, uint32_t data_cap, struct jit_reloc *relocs,
		  uint32_t relocs_cap, struct jit_func_out *funcs,
		  uint32_t funcs_cap);

/* 0 on success; -1 with a message naming the function and instruction
 * (unsupported construct, out of memory in an area, ...), the function
 * whose budget ran out, or the function or global whose constant
 * expression is too large. `scratch` is temporary memory; it is rewound
 * before returning. */
int jit_compile(struct ir_module *m, const struct jit_opts *opt,
		struct ir_arena *scratch, struct jit_out *o,
		char *err, size_t errsize);

/* Resolves an imported symbol to its address; returns 0 when unknown. */
typedef uint32_t (*jit_resolve_fn)(void *ctx, const char *name);

/* Applies the relocations to o->code and o->data for the given bases.
 * Returns 0, or -1 naming an unresolved import. */
int jit_link(struct jit_out *o, uint32_t code_base, uint32_t data_base,
	     uint32_t table_base, uint32_t stubs_base, jit_resolve_fn resolve, void *ctx,
	     char *err, size_t errsize);

/* How many leading parameters of module function f arrive in ECX and
 * EDX instead of on the stack (0..2; cg/conv.c says which functions):
 * what a host harness calling f directly must do.  tmp: m->nfuncs
 * bytes of scratch. */
uint32_t jit_reg_params(const struct ir_module *m, const struct ir_func *f, uint8_t *tmp);

/* The distance between two functions' stubs: 8, or 32 sandboxed. */
static inline uint32_t jit_stub_size(const struct jit_opts *opt)
{
	return opt && (opt->secure & JIT_SEC_SANDBOX) ? 32u : 8u;
}

/* The dispatch-table word for function i once linked: its code address
 * (defined functions) or the resolved import address (declarations). */
uint32_t jit_table_entry(const struct jit_out *o, uint32_t code_base, uint32_t i,
			 jit_resolve_fn resolve, void *ctx);
#endif
