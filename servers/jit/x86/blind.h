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
