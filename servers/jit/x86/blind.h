/* Constant blinding in the encoder (x86_buf.blind; blind.c).  Private to
 * servers/jit/x86: x86.c asks x86_blind_wide() at the top of each emitter
 * with a 32-bit immediate and, when it says so, emits the blinded form
 * from here instead. */
#ifndef BF_JIT_X86_BLIND_H
#define BF_JIT_X86_BLIND_H
#include "servers/jit/x86/x86.h"

/* Blind this immediate?  Blinding on, not inside a blinded sequence, a
 * 32-bit operation, and a value wider than 16 bits (outside -32768 ..
 * 65535: what an attacker needs for a useful instruction in 4 bytes). */
static inline bool x86_blind_wide(const x86_buf *b, int size, int32_t imm)
{
	return b->blind && !b->blinding && size == 32 && (imm < -32768 || imm > 65535);
}

/* Memory operands blinded: not absolute and no relocated displacement
 * (those are addresses the linker writes, and the code generator
 * expects their last four bytes at the end of the instruction). */
static inline bool x86_blind_mem(x86_mem m)
{
	return (m.base >= 0 || m.index >= 0) && !m.disp32;
}

/* A displacement blinded (x86_blind_disp_open): a wide one the module
 * chose -- based or indexed by a register, not the frame's (X_FP: the
 * JIT's own offsets) and not relocated (disp32: the linker's). */
static inline bool x86_blind_dmem(const x86_buf *b, x86_mem m)
{
	return x86_blind_wide(b, 32, m.disp) && m.base != X_FP &&
	       (m.base >= 0 || m.index >= 0) && !m.disp32;
}

/* Moves m's wide displacement into a scratch register (mov s, disp-k;
 * lea s, [s+k]: the flags stay) and rewrites m as [base + s] or
 * [s + index*scale]; r1, r2 are the instruction's other registers (full
 * 32-bit numbers, X_NOREG if none).  True if it did: the caller emits
 * its instruction with the new m, then x86_blind_disp_close.  The scratch
 * is a dead ECX/EDX, else pushed (ESP-based m moved by 4). */
typedef struct { int s; bool pushed; } x86_dblind;
bool x86_blind_disp_open(x86_buf *b, x86_mem *m, int r1, int r2, x86_dblind *d);
void x86_blind_disp_close(x86_buf *b, const x86_dblind *d);
/* A load into 32-bit register dst (not m's base or index): dst itself
 * takes the displacement, no scratch.  True if it did. */
bool x86_blind_disp_into(x86_buf *b, x86_mem *m, int dst);
/* push [m] with a wide displacement (a push cannot sit inside push/pop s) */
void x86_blind_push_m(x86_buf *b, x86_mem m);
/* test [m], imm with a wide immediate */
void x86_blind_test_mi(x86_buf *b, x86_mem m, int32_t imm);

void x86_blind_mov_ri(x86_buf *b, int dst, int32_t imm);
void x86_blind_alu_ri(x86_buf *b, int op, int dst, int32_t imm);
void x86_blind_alu_mi(x86_buf *b, int op, x86_mem m, int32_t imm);
void x86_blind_mov_mi(x86_buf *b, x86_mem m, int32_t imm);
void x86_blind_test_ri(x86_buf *b, int a, int32_t imm);
void x86_blind_imul_rri(x86_buf *b, int dst, int src, int32_t imm);
void x86_blind_imul_rmi(x86_buf *b, int dst, x86_mem m, int32_t imm);
void x86_blind_push_i(x86_buf *b, int32_t imm);
void x86_blind_lea(x86_buf *b, int dst, x86_mem m);
#endif
