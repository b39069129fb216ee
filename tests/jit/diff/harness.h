/* Host harness for the micro-JIT: reads bitcode (raw or LLBC-wrapped),
 * compiles it at a tier, links code/data/dispatch table at fixed
 * addresses and runs functions there, with the module runtime
 * (lib/string.c, lib/divmod64.c built by the cross compiler,
 * build/host/jit/rt.elf) mapped beside it.  Used by the Criterion tests,
 * tools/mjit, jit-difftest and jit-bench.
 *
 * Two ways to run, one per build (the rest of the harness is shared,
 * harness.c):
 *   harness_uc.c      the 64-bit host build: under Unicorn (i386), which
 *                     counts instructions and profiles each byte;
 *   harness_native.c  the 32-bit host build (build/host32/, i686, static):
 *                     natively -- the code mapped read+execute at the same
 *                     addresses and called -- timed with rdtsc.  A fault or
 *                     a hang in JIT code is caught and reported as an error
 *                     of that call, not a crash of the tool. */
#ifndef BF_TESTS_JIT_HARNESS_H
#define BF_TESTS_JIT_HARNESS_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "servers/jit/ir/ir.h"
#include "servers/jit/jit.h"

#define JH_CODE  0x01000000u
#define JH_DATA  0x02000000u
#define JH_TABLE 0x03000000u
#define JH_STACK 0x04000000u
#define JH_STACK_SIZE (8u << 20)
#define JH_RET   0x0f000000u

struct jh_sym { char name[48]; uint32_t addr; };

struct jh {
	void *engine;           /* Unicorn's uc_engine (64-bit build) */
	int trap;               /* Unicorn: the interrupt that stopped the last call, or -1 */
	struct ir_module *m;
	struct jit_out o;
	uint8_t *code, *data;
	struct jit_reloc *relocs;
	struct jit_func_out *funcs;
	uint8_t *mem, *smem;
	struct ir_arena arena, scratch;
	/* runtime image */
	struct { uint32_t vaddr, memsz, filesz, flags; uint8_t *bytes; } seg[8];	/* flags: PF_* */
	int nseg;
	struct jh_sym syms[512];
	int nsyms;
	/* results */
	uint64_t icount;        /* instructions executed by the last call */
	bool count;             /* count instructions (slower) */
	bool unroll_all;        /* jit_opts.unroll_all for jh_compile/jh_recompile */
	uint32_t budget;        /* jit_opts.budget (0: the compiler's default) */
	uint32_t secure;        /* jit_opts.secure (JIT_SEC_*) for every compile;
				   with JIT_SEC_SANDBOX every linked image is
				   verified (harness_verify.c) */
	uint32_t sandbox_faults; /* jit_opts.sandbox_faults (tests only) */
	uint64_t seed;          /* jit_opts.seed (JIT_SEC_RANDOM) */
	uint64_t verified;      /* bytes of code the verifier accepted so far */
	uint64_t *prof;         /* when set (with count): executions per byte
				   of JIT code, indexed by address - JH_CODE,
				   prof_len entries */
	uint32_t prof_len;
	double read_us, compile_us;
	/* native runs: each call made `repeat` times (writable data restored
	 * before each), the least and the median of the cycles it took */
	uint32_t repeat;
	uint64_t cycles_min, cycles_median;
	char err[512];
};

/* Does this build run the code natively (and time it) or emulate it? */
bool jh_native(void);

/* rt: path of the runtime ELF (NULL: build/host/jit/rt.elf). */
int jh_init(struct jh *h, const char *rt);
void jh_fini(struct jh *h);
/* Whole file (LLBC header skipped if present) into malloc'd memory. */
uint8_t *jh_slurp(const char *path, size_t *len);
int jh_read(struct jh *h, const uint8_t *bc, size_t len);
/* C source text -> clang-19 -O<olevel> bitcode (in a temporary
 * directory) -> jh_read. */
int jh_load_c(struct jh *h, const char *src, int olevel);
/* LLVM IR text in a file -> llvm-as-19 -> jh_read. */
int jh_load_ll(struct jh *h, const char *path);
int jh_compile(struct jh *h, int tier);
/* Calls fn with integer arguments (one uint64 per IR parameter); the
 * result (EDX:EAX) in *ret.  0 on success, -1 with h->err. */
int jh_call(struct jh *h, const char *fn, const uint64_t *args, int nargs, uint64_t *ret);
uint32_t jh_resolve(void *ctx, const char *name);
/* Recompiles one function at `tier` (opts.only_func), places the code at
 * JH_CODE2 + n*0x100000 and swaps its dispatch-table entry, as the jit
 * server does on a tier-up. */
int jh_recompile(struct jh *h, const char *fn, int tier);
/* The call counter of a function (tier-0 code increments it). */
uint32_t jh_counter(struct jh *h, const char *fn);
/* The 64-bit cycle accumulator of a function (tier-0 code adds to it). */
uint64_t jh_cycles(struct jh *h, const char *fn);
#define JH_CODE2 0x05000000u
/* Runs function `fn` of the ELF loaded as the runtime (jh_init's rt) by
 * itself: used to count the instructions of natively compiled code. */
int jh_call_native(struct jh *h, const char *fn, const uint32_t *args, int nargs, uint64_t *ret);

/* The kernel's verifier on an image linked at base: 0, or -1 with the
 * offset and the rule in h->err (harness_verify.c). */
int jh_verify(struct jh *h, uint32_t base, const uint8_t *code, uint32_t len);

/* The backend's part (harness_uc.c or harness_native.c), for harness.c. */
int  jhb_load(struct jh *h, const uint32_t *table, uint32_t nt);	/* after a link */
int  jhb_call(struct jh *h, const char *fn, uint32_t entry, const uint32_t *words, int nw,
	      const uint32_t regs[2], uint64_t *ret);
int  jhb_install(struct jh *h, uint32_t base, const uint8_t *code, uint32_t len, uint32_t slot, uint32_t entry);
void jhb_read(struct jh *h, uint32_t addr, void *buf, uint32_t n);
void jhb_close(struct jh *h);
#endif
