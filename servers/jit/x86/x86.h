/* x86-32 machine-code encoder: one function per instruction form the
 * micro-JIT emits.  Writes into a caller-supplied buffer; on overflow the
 * buffer's `full` flag is set and further bytes are dropped (the caller
 * checks it once at the end).  Encodings follow the Intel SDM vol. 2 and
 * pick the same form GNU as picks for the same Intel-syntax text, so the
 * tests can compare byte for byte (tests/jit/unit/test_x86.c).
 *
 * Registers are numbered as in ModRM.  For 8-bit operands the numbers
 * 0..3 are AL CL DL BL and 4..7 are AH CH DH BH (no SPL/BPL in 32-bit
 * mode): the code generator only asks for 8-bit forms of EAX..EBX. */
#ifndef BF_JIT_X86_H
#define BF_JIT_X86_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum { X_EAX, X_ECX, X_EDX, X_EBX, X_ESP, X_EBP, X_ESI, X_EDI, X_NOREG = -1 };
/* Pseudo base register of memory operands: the frame.  Encoded as EBP,
 * or, when the buffer is in ESP-frame mode, as ESP + bias + depth (the
 * encoder tracks the pushes and ESP adjustments it emits), which frees
 * EBP for register allocation. */
enum { X_FP = 8 };

/* Condition codes (low nibble of Jcc/SETcc/CMOVcc). */
enum { X_O, X_NO, X_B, X_AE, X_E, X_NE, X_BE, X_A,
       X_S, X_NS, X_P, X_NP, X_L, X_GE, X_LE, X_G };

/* Group-1 ALU operations (the /digit and the opcode row). */
enum { X_ADD, X_OR, X_ADC, X_SBB, X_AND, X_SUB, X_XOR, X_CMP };
/* Group-2 shifts and rotates (the /digit). */
enum { X_ROL = 0, X_ROR = 1, X_SHL = 4, X_SHR = 5, X_SAR = 7 };
/* Group-3 unary operations (the /digit of F6/F7). */
enum { X_NOT = 2, X_NEG = 3, X_MUL = 4, X_IMUL1 = 5, X_DIV = 6, X_IDIV = 7 };

typedef struct {
	uint8_t *p;
	uint32_t len, cap;
	bool full;
	bool espf;      /* X_FP operands are ESP-relative */
	int32_t bias;   /* ESP-frame: X_FP offset 0 is at ESP + bias + depth */
	int32_t depth;  /* bytes pushed since the frame was set up */
	uint8_t wmask;  /* registers written since last cleared (1 << reg) */
	uint8_t cmask;  /* ... and clobbered by calls (EAX, ECX, EDX) */
	uint32_t eax_gen; /* bumped when EAX is written or clobbered and at
			     labels: EAX holds what it held while unchanged */
	/* ZF reflects the 32-bit value of register zf_reg (-1: none) while
	 * len == zf_len: set by add/sub/and/or/xor/inc/dec into a register,
	 * kept by instructions that leave the flags alone and do not write
	 * that register (mov, lea, movzx/movsx, push, cmov, setcc), lost by
	 * everything else and at labels.  The compiler then omits test r, r
	 * (x86_zf_of). */
	int8_t zf_reg;
	uint32_t zf_len;
	/* Frame words (the 4 bytes at X_FP offset -4k-4 .. -4k-1 are word
	 * k, k < fpn): with fpread set, every X_FP operand without an index
	 * that is not the destination of a plain mov sets bit 0 (read) of
	 * the words it touches, a plain mov (register or immediate) sets
	 * bit 1 (written); a plain mov into a word whose fpdead byte is set
	 * is not emitted (dead-store elimination, see cg/jit.c). */
	uint8_t *fpread, *fpdead;
	uint32_t fpn;
	uint32_t fpdropped;     /* stores not emitted so far */
	/* Bundles: sandboxed code the kernel's verifier accepts
	 * (docs/secure-jit.md, "What the JIT must emit").  With `bundle`
	 * set, offset 0 of the buffer being the page-aligned image base:
	 * no instruction crosses a 32-byte boundary (one that would is
	 * moved past it, NOPs before it); every call ends at a boundary;
	 * x86_ret, x86_jmp_r and x86_call_r emit the masked forms (`pop
	 * ecx; and ecx, -32; jmp ecx`, `and r, -32; jmp/call r`); jmp/call
	 * through memory only as `[disp32]` (the dispatch table).  Every
	 * instruction is bracketed (ins_depth > 0 while it is emitted); bytes
	 * written outside one, or a form the sandbox does not allow, set
	 * `unsafe`, and the compiler refuses the code. */
	bool bundle;
	bool unsafe;
	uint8_t faults;         /* tests only: jit_opts.sandbox_faults */
	/* Constant blinding (blind.c): immediates wider than 16 bits are
	 * emitted as imm - k and k, a fresh key each from blind_rng. */
	bool blind;
	bool blinding;          /* inside a blinded sequence: no blinding */
	uint64_t blind_rng;
	/* Registers (ECX, EDX) the code generator knows hold nothing live
	 * at the start of the IR instruction being emitted: blinding takes
	 * one not yet written (wmask, cmask) since then as its scratch
	 * instead of pushing and popping one.  0 outside instructions. */
	uint8_t blind_free;
	uint32_t npad;          /* NOP instructions emitted as padding so far */
	/* Padding absorbed instead (bundle.c absorb): the plain
	 * instructions of the current bundle whose memory operand's
	 * displacement may grow (disp8 -> disp32; none -> disp8 or disp32),
	 * pushing the instruction that would cross the boundary to it with
	 * no NOP to run.  Nothing before `still` may move: labels bound,
	 * jumps and calls, relocations and fields whose offset was handed
	 * out (x86_still). */
	uint32_t still;
	uint32_t nabsorbed;     /* paddings absorbed so far */
	struct x86_grow { uint32_t pos, aux; uint8_t form; } grow[8], pend[2];
	uint8_t ngrow;          /* in this bundle */
	uint8_t npend;          /* of the open instruction */
	uint8_t ntrack;
	uint32_t *track[8];     /* offsets the code generator keeps (x86_track) */
	uint32_t hi;            /* the end of the code so far: less when the
				   code was taken back (a dry run) */
	struct x86_fwd *fwd;    /* forward jumps numbered (x86_fwd), or NULL */
	/* A block's label just bound (x86_bind_head) and where: padding
	 * before the block's first instruction goes before the label, so
	 * jumps to the block (a loop's back edge) skip it. */
	struct x86_label *head;
	uint32_t head_pos;
	bool after_jump;        /* the last instruction was jmp or ret */
	uint8_t ins_depth;      /* encoder functions open (nesting) */
	uint8_t ins_kind;       /* of the open instruction (x86.c INS_*) */
	uint32_t ins;           /* start of the instruction being emitted */
} x86_buf;

/* Nothing emitted so far may move any more (bundle.c absorb): the code
 * generator recorded an offset in it (a patch site). */
void x86_still(x86_buf *b);
/* An offset into the code the code generator keeps (a relocation's):
 * absorb moves it with the code (or, with too many, x86_still). */
void x86_track(x86_buf *b, uint32_t *off);

/* base + index*scale + disp; base or index X_NOREG when absent (index
 * may not be ESP).  base == index == X_NOREG is an absolute address. */
typedef struct {
	int8_t base, index;
	uint8_t scale; /* 1, 2, 4, 8 */
	int32_t disp;
	uint8_t disp32; /* always encode a 32-bit displacement (relocations) */
} x86_mem;

static inline x86_mem x86_m(int base, int32_t disp)
{
	x86_mem m = { (int8_t)base, X_NOREG, 1, disp, 0 };
	return m;
}
static inline x86_mem x86_mx(int base, int index, int scale, int32_t disp)
{
	x86_mem m = { (int8_t)base, (int8_t)index, (uint8_t)scale, disp, 0 };
	return m;
}

/* A jump target.  Unbound labels chain their pending rel32 fields through
 * the fields themselves, so no side storage is needed. */
typedef struct x86_label {
	int32_t pos;   /* code offset once bound, else -1 */
	int32_t chain; /* offset of the last pending rel32 field, else -1 */
	int32_t near;  /* the last pending rel8 jump (x86_fwd number), else -1 */
} x86_label;

/* Forward jumps as rel8 (x86_buf.fwd): a jump to a label not yet bound
 * is numbered in emission order; a run records how far each one's
 * target turned out (dist), and a later run of the same code may emit
 * the ones predicted near (near[i]) as rel8.  A prediction that turns
 * out wrong sets `fail`, and the caller emits the code again without
 * predictions.  `at` holds each jump's displacement field (increasing:
 * jumps are never moved), `next` the label's list of rel8 jumps. */
typedef struct x86_fwd {
	uint32_t n, cap;        /* jumps numbered so far; room in the arrays */
	int32_t *at, *dist, *next;
	const uint8_t *near;    /* predictions (cap of them), or NULL */
	bool fail;
} x86_fwd;

void x86_init(x86_buf *b, uint8_t *mem, uint32_t cap);
/* Frame word k of X_FP displacement d (see fpread), false outside them. */
bool x86_fp_word(const x86_buf *b, int32_t d, uint32_t *k);
/* test byte/dword [mem], imm */
void x86_test_mi(x86_buf *b, int size, x86_mem m, int32_t imm);
void x86_u8(x86_buf *b, uint8_t v);
void x86_u16(x86_buf *b, uint16_t v);
void x86_u32(x86_buf *b, uint32_t v);
void x86_patch32(x86_buf *b, uint32_t at, uint32_t v);

/* Sizes are 8, 16 or 32. */
void x86_alu_rr(x86_buf *b, int op, int size, int dst, int src);
void x86_alu_ri(x86_buf *b, int op, int size, int dst, int32_t imm);
void x86_alu_rm(x86_buf *b, int op, int size, int dst, x86_mem m);
void x86_alu_mr(x86_buf *b, int op, int size, x86_mem m, int src);
void x86_alu_mi(x86_buf *b, int op, int size, x86_mem m, int32_t imm);

void x86_mov_rr(x86_buf *b, int size, int dst, int src);
void x86_mov_ri(x86_buf *b, int size, int dst, int32_t imm);
void x86_mov_rm(x86_buf *b, int size, int dst, x86_mem m);
void x86_mov_mr(x86_buf *b, int size, x86_mem m, int src);
void x86_mov_mi(x86_buf *b, int size, x86_mem m, int32_t imm);
/* mov r32, imm32 always 5 bytes; returns the offset of the imm32 (for
 * relocations). */
uint32_t x86_mov_ri32_reloc(x86_buf *b, int dst, uint32_t imm);

void x86_test_rr(x86_buf *b, int size, int a, int bb);
void x86_test_ri(x86_buf *b, int size, int a, int32_t imm);
void x86_test_mr(x86_buf *b, x86_mem m, int r); /* test dword [m], r */
void x86_lea(x86_buf *b, int dst, x86_mem m);

/* movzx/movsx r32, r/m{8,16} */
void x86_movzx_rr(x86_buf *b, int srcsize, int dst, int src);
void x86_movsx_rr(x86_buf *b, int srcsize, int dst, int src);
void x86_movzx_rm(x86_buf *b, int srcsize, int dst, x86_mem m);
void x86_movsx_rm(x86_buf *b, int srcsize, int dst, x86_mem m);

void x86_imul_rr(x86_buf *b, int dst, int src);
void x86_imul_rm(x86_buf *b, int dst, x86_mem m);
void x86_imul_rri(x86_buf *b, int dst, int src, int32_t imm);
void x86_imul_rmi(x86_buf *b, int dst, x86_mem m, int32_t imm);
void x86_unary_r(x86_buf *b, int op, int size, int r); /* not neg mul imul div idiv */
void x86_unary_m(x86_buf *b, int op, int size, x86_mem m);
void x86_inc_r(x86_buf *b, int r);
void x86_dec_r(x86_buf *b, int r);

void x86_shift_ri(x86_buf *b, int op, int size, int r, uint8_t n);
void x86_shift_rcl(x86_buf *b, int op, int size, int r);
void x86_shift_mi(x86_buf *b, int op, int size, x86_mem m, uint8_t n);
void x86_shift_mcl(x86_buf *b, int op, int size, x86_mem m);
/* shld/shrd dst, src, imm / cl (32-bit) */
void x86_shld_ri(x86_buf *b, int dst, int src, uint8_t n);
void x86_shrd_ri(x86_buf *b, int dst, int src, uint8_t n);
void x86_shld_rcl(x86_buf *b, int dst, int src);
void x86_shrd_rcl(x86_buf *b, int dst, int src);

void x86_setcc(x86_buf *b, int cc, int r8);
void x86_setcc_m(x86_buf *b, int cc, x86_mem m);
void x86_cmov_rr(x86_buf *b, int cc, int dst, int src);
void x86_cmov_rm(x86_buf *b, int cc, int dst, x86_mem m);
void x86_bswap(x86_buf *b, int r);
void x86_bsf_rr(x86_buf *b, int dst, int src);
void x86_bsr_rr(x86_buf *b, int dst, int src);
void x86_xchg_rr(x86_buf *b, int a, int bb);

void x86_push_r(x86_buf *b, int r);
void x86_push_i(x86_buf *b, int32_t imm);
void x86_push_m(x86_buf *b, x86_mem m);
void x86_pop_r(x86_buf *b, int r);

/* call/jmp rel32 to an absolute target known only at load time: emits
 * the instruction with rel32 = 0 and returns the offset of the rel32
 * field (the loader writes target - (field + 4)). */
uint32_t x86_call_rel32(x86_buf *b);
uint32_t x86_jmp_rel32(x86_buf *b);
void x86_call_r(x86_buf *b, int r);
void x86_call_m(x86_buf *b, x86_mem m);
void x86_jmp_r(x86_buf *b, int r);
void x86_jmp_m(x86_buf *b, x86_mem m);

void x86_label_init(x86_label *l);
void x86_bind(x86_buf *b, x86_label *l);
/* x86_bind for a label that outlives the code emitted after it (a
 * block's): padding before the next instruction may move the label past
 * it.  b->head = NULL forgets it. */
void x86_bind_head(x86_buf *b, x86_label *l);
/* ZF holds whether register r is zero (see zf_reg). */
bool x86_zf_of(const x86_buf *b, int r);
int x86_zf_reg(const x86_buf *b); /* the register ZF describes, or -1 */
void x86_jmp(x86_buf *b, x86_label *l); /* rel8 when bound and near */
void x86_jcc(x86_buf *b, int cc, x86_label *l);

/* Bundles (see x86_buf.bundle): pad to the next 32-byte boundary --
 * INT3 after jmp/ret (never executed), else NOPs; n bytes of the SDM's
 * recommended NOPs (as few as possible); raw bytes of one instruction
 * (x86_u8 ...) between x86_raw_begin and x86_raw_end.  An emitter in
 * another file (SSE, say) brackets each instruction it writes the same
 * way, so it is kept inside a bundle; bytes outside a bracket make a
 * sandboxed compile fail ("code outside the sandbox's forms"), and the
 * verifier (microkernel/verify/x86dec.c) must know the new form. */
void x86_align_bundle(x86_buf *b);
void x86_int3_to_bundle(x86_buf *b);
void x86_nops(x86_buf *b, uint32_t n);
void x86_raw_begin(x86_buf *b);
void x86_raw_end(x86_buf *b);

void x86_ret(x86_buf *b);
void x86_ret_i(x86_buf *b, uint16_t n);
void x86_cdq(x86_buf *b);
void x86_nop(x86_buf *b);
void x86_int3(x86_buf *b);
void x86_ud2(x86_buf *b);

static inline bool x86_is_i8(int32_t v) { return v >= -128 && v <= 127; }
#endif
