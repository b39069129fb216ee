/* servers/jit/x86/sse.h: the SSE2 scalar and x87 forms of the encoder
 * (x86/sse.c), for the floating-point code (cg/isel_fp.c).  Same rules as
 * x86.h: one function per form, the form GNU as picks for the same
 * Intel-syntax text (tests/jit/unit/test_x86.c checks them byte for byte).
 *
 * XMM registers are numbered 0..7.  An SSE opcode is named by its
 * mandatory prefix and its byte after 0F, (prefix << 8) | op: X_ADDSD =
 * 0xF258 is F2 0F 58.  Memory operands of SSE forms count as reads of the
 * frame words they touch (x86_buf.fpread), stores included, so dead-store
 * elimination never drops them. */
#ifndef BF_JIT_X86_SSE_H
#define BF_JIT_X86_SSE_H
#include "servers/jit/x86/x86.h"

enum {
	X_MOVSS = 0xF310, X_MOVSD = 0xF210,         /* load / reg move */
	X_MOVSS_ST = 0xF311, X_MOVSD_ST = 0xF211,   /* store */
	X_MOVAPS = 0x0028,
	X_ADDSS = 0xF358, X_ADDSD = 0xF258, X_MULSS = 0xF359, X_MULSD = 0xF259,
	X_SUBSS = 0xF35C, X_SUBSD = 0xF25C, X_DIVSS = 0xF35E, X_DIVSD = 0xF25E,
	X_MINSS = 0xF35D, X_MINSD = 0xF25D, X_MAXSS = 0xF35F, X_MAXSD = 0xF25F,
	X_SQRTSS = 0xF351, X_SQRTSD = 0xF251,
	X_CVTSS2SD = 0xF35A, X_CVTSD2SS = 0xF25A,
	X_UCOMISS = 0x002E, X_UCOMISD = 0x662E,
	X_ANDPS = 0x0054, X_ANDPD = 0x6654, X_ANDNPS = 0x0055, X_ANDNPD = 0x6655,
	X_ORPS = 0x0056, X_ORPD = 0x6656, X_XORPS = 0x0057, X_XORPD = 0x6657,
	X_UNPCKLPS = 0x0014,
	/* with a general register: cvtsi2ss/sd xmm, r/m32; cvt(t)ss/sd2si r32, xmm/m */
	X_CVTSI2SS = 0xF32A, X_CVTSI2SD = 0xF22A,
	X_CVTTSS2SI = 0xF32C, X_CVTTSD2SI = 0xF22C, X_CVTSS2SI = 0xF32D, X_CVTSD2SI = 0xF22D,
	X_CMPSS = 0xF3C2, X_CMPSD = 0xF2C2,
};
/* cmpss/cmpsd predicates (the immediate) */
enum { X_CMP_EQ, X_CMP_LT, X_CMP_LE, X_CMP_UNORD, X_CMP_NEQ, X_CMP_NLT, X_CMP_NLE, X_CMP_ORD };

/* op xmm, xmm / op xmm, m (n bytes: 4 ss, 8 sd, 16 packed) */
void x86_sse_rr(x86_buf *b, int op, int dst, int src);
void x86_sse_rm(x86_buf *b, int op, int dst, x86_mem m);
/* movss/movsd m, xmm */
void x86_sse_mr(x86_buf *b, int op, x86_mem m, int src);
/* cmpss/cmpsd xmm, xmm/m, pred */
void x86_sse_cmp_rr(x86_buf *b, int op, int dst, int src, int pred);
void x86_sse_cmp_rm(x86_buf *b, int op, int dst, x86_mem m, int pred);
/* cvtsi2ss/sd xmm, r32 / m32 */
void x86_cvtsi2s_rr(x86_buf *b, int op, int xdst, int src);
void x86_cvtsi2s_rm(x86_buf *b, int op, int xdst, x86_mem m);
/* cvt(t)ss/sd2si r32, xmm / m */
void x86_cvts2si_rr(x86_buf *b, int op, int dst, int xsrc);
void x86_cvts2si_rm(x86_buf *b, int op, int dst, x86_mem m);
/* movd xmm, r32; movd r32, xmm */
void x86_movd_xr(x86_buf *b, int xdst, int src);
void x86_movd_rx(x86_buf *b, int dst, int xsrc);
/* psllq/psrlq xmm, imm8 */
void x86_psllq(x86_buf *b, int x, uint8_t n);
void x86_psrlq(x86_buf *b, int x, uint8_t n);

/* x87, only where the i386 ABI passes floating point in ST0:
 * fld dword/qword [m], fstp dword/qword [m], fstp st(0) */
void x86_fld_m(x86_buf *b, int size, x86_mem m);
void x86_fstp_m(x86_buf *b, int size, x86_mem m);
void x86_fstp_st0(x86_buf *b);
#endif
