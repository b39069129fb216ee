/* servers/jit/x86/enc.h: what the encoder's own files share -- x86.c
 * (the byte writer, ModRM and the general-purpose forms), bundle.c (the
 * bundle layer: every instruction opened and closed, NOP padding),
 * jump.c (labels, jumps, calls, returns) and sse.c (SSE2 and x87).
 * The code generator never includes it: it sees x86.h and sse.h. */
#ifndef BF_JIT_X86_ENC_H
#define BF_JIT_X86_ENC_H
#include "servers/jit/x86/x86.h"

/* bundle.c.  Every public function that emits an instruction opens it
 * with INS (or CALL_INS / JMP_INS) and the cleanup attribute closes it
 * on every return path; nested openings count once.  INS_FIXED: the
 * encoding depends on its own address (it must be placed by
 * x86_ins_fit first, never moved when it closes). */
enum { INS_PLAIN, INS_CALL, INS_JUMP, INS_FIXED = 4 };
x86_buf *x86_ins_open(x86_buf *b, uint8_t kind);
void x86_ins_close(x86_buf **bp);
#define INS_AS(b, kind) x86_buf *ins_ __attribute__((cleanup(x86_ins_close), unused)) = x86_ins_open(b, kind)
#define INS(b)      INS_AS(b, INS_PLAIN)
#define CALL_INS(b) INS_AS(b, INS_CALL)
#define JMP_INS(b)  INS_AS(b, INS_JUMP)
/* Before an instruction of n bytes whose encoding depends on its
 * address: pad so that it fits in this bundle (a call: ends at its end). */
void x86_ins_fit(x86_buf *b, uint32_t n, bool call);
/* An instruction of sse.c: opened and closed like every other. */
void x86_ins_begin(x86_buf *b);
void x86_ins_end(x86_buf *b);
/* What of the open instruction may grow to absorb padding (bundle.c
 * absorb), noted where it is encoded (x86_grows): a memory operand's
 * displacement (none -> disp8 or disp32, disp8 -> disp32; the +SIB
 * variants add a SIB byte to a ModRM without one; [disp32] takes the
 * SIB form of itself), at the ModRM; an
 * imm8 of 83 /x or 6B (-> 81 /x or 69 with imm32), at the imm8, aux the
 * opcode; a
 * one-byte opcode with its register in it (inc, dec, push, pop, mov r32,
 * imm32 -> the ModRM form), at the opcode. */
enum { X_GROW_D0 = 1, X_GROW_D8, X_GROW_D32, X_GROW_SIB = 4, X_GROW_IMM8 = 8, X_GROW_SHORT, X_GROW_ABS };
void x86_grows(x86_buf *b, uint32_t pos, uint32_t aux, uint8_t form);
/* Code outside the sandbox's forms: the compile fails (driver.c). */
void x86_unsafe(x86_buf *b);

/* x86.c.  ModRM with a register operand; ModRM (+SIB, +disp) for a
 * memory operand of n bytes the instruction reads or writes (its frame
 * words count as read: never a dropped dead store); the record that a
 * register (of an operand size) was written; the 0F escape and one
 * opcode byte. */
void x86_modrm_reg(x86_buf *b, int reg, int rm);
void x86_modrm_mem(x86_buf *b, int reg, x86_mem m, int n);
void x86_wrote(x86_buf *b, int size, int r);
void x86_opcode_0f(x86_buf *b, uint8_t op);
/* x86.c, for shift.c: ModRM for a memory operand the instruction
 * reads, the opcode with its w bit (and the 66 prefix for 16 bits), and
 * ZF kept across an instruction that leaves the flags alone
 * (x86_zf_keep before it, x86_zf_done after). */
void x86_modrm_m(x86_buf *b, int reg, x86_mem m);
void x86_opcode_w(x86_buf *b, int size, uint8_t op);
bool x86_zf_keep(const x86_buf *b);
void x86_zf_done(x86_buf *b, bool keep);

/* Constant blinding of a wide displacement the module chose (blind.c):
 * m's displacement goes to a scratch register kept from r1 and r2 (the
 * instruction's own registers), the instruction is emitted again with
 * the rewritten m, and the scratch is given back (needs blind.h). */
#define BLIND_DISP(b, m, r1, r2, again) do { \
		x86_dblind d_; \
		if (x86_blind_disp_open(b, &(m), r1, r2, &d_)) { \
			again; \
			x86_blind_disp_close(b, &d_); \
			return; \
		} \
	} while (0)
#endif
