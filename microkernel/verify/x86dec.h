/* A small x86-32 instruction decoder for the code verifier: the length
 * of one instruction and its class, nothing more.  It knows the integer
 * instructions the JIT emits and a few neighbours (the 1-byte map, the
 * 0F map, a handful of SSE forms in 0F / 0F38 / 0F3A to keep the maps
 * honest), the SSE2 scalar forms of the JIT's float code and the only x87
 * forms it uses (fld / fstp m32 / m64, fstp st(i): the i386 ABI's ST0
 * results), their prefixes (66 operand size, F2/F3 mandatory or string
 * repeat), ModRM, SIB, displacements and immediates, in 32-bit mode.
 *
 * Guarantee: a result other than XC_BAD has the length the CPU gives the
 * same bytes (checked against Capstone on millions of random strings,
 * tests/kernel/unit/test_verify_capstone.c).  What it does not know -- an
 * opcode, a prefix (67, segment overrides, LOCK, repeats), a combination
 * of prefix and opcode, a truncated instruction -- is XC_BAD, and the
 * verifier refuses it.  Forbidden instructions it recognises are
 * XC_FORBID with the reason; their length is not needed (the verifier
 * stops there) and may be short.  Portable: the kernel and host tests build it. */
#ifndef KERNEL_VERIFY_X86DEC_H
#define KERNEL_VERIFY_X86DEC_H
#include <stdint.h>

enum x86_class {
	XC_BAD,		/* unknown, or truncated: refused */
	XC_PLAIN,	/* falls through, no control transfer */
	XC_MASK,	/* and r32, -32 (83 /4 E0, register form): plain, reg = r */
	XC_NOP,		/* 90, 66 90, 0F 1F /0 m (any memory operand, optional 66) */
	XC_INT3,	/* CC */
	XC_JMP,		/* jmp rel8 / rel32: rel */
	XC_JCC,		/* jcc rel8 / rel32, loop*, jecxz: rel; falls through */
	XC_CALL,	/* call rel32: rel */
	XC_JMP_REG,	/* jmp r32: reg */
	XC_CALL_REG,	/* call r32: reg */
	XC_JMP_MEM,	/* jmp [m32]: abs when the operand is [disp32] alone */
	XC_CALL_MEM,	/* call [m32]: likewise */
	XC_RET,		/* ret, ret imm16 */
	XC_FORBID,	/* known and never allowed: why */
	XC_CLASSES
};

/* Why an instruction is forbidden (XC_FORBID). */
enum x86_forbid {
	XF_NONE,
	XF_INT,		/* int n, into, int1 */
	XF_SYSCALL,	/* syscall, sysenter, sysexit, sysret */
	XF_FAR,		/* far jmp / call / ret */
	XF_IRET,
	XF_IO,		/* in, out, ins, outs */
	XF_IF_HLT,	/* cli, sti, hlt */
	XF_SYSTEM,	/* privileged or system: lgdt, mov CR/DR, wrmsr, rdmsr, invlpg, lldt, ltr, clts, ... */
	XF_SEG,		/* loads a segment register: mov sreg, pop sreg, lds/les/lfs/lgs/lss */
	XF_KINDS
};

struct vx_insn {
	uint8_t len;		/* bytes (0 for XC_BAD) */
	uint8_t cls;		/* enum x86_class */
	uint8_t why;		/* enum x86_forbid */
	uint8_t reg;		/* XC_MASK, XC_JMP_REG, XC_CALL_REG */
	uint8_t mem_abs;	/* XC_JMP_MEM / XC_CALL_MEM: operand is [disp32] */
	int32_t rel;		/* XC_JMP / XC_JCC / XC_CALL: target - end of insn */
	uint32_t abs;		/* the disp32 when mem_abs */
};

/* Decode the instruction at p (avail bytes readable).  Returns its length,
 * or 0 with cls XC_BAD. */
int x86_decode(const uint8_t *p, uint32_t avail, struct vx_insn *in);
const char *x86_forbid_name(int why);
#endif
