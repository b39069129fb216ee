/* servers/jit/x86/sse.c: the SSE2 scalar and x87 forms of the x86-32
 * encoder (see sse.h).  Built on x86.c's ModRM writer: memory operands
 * here go through x86_modrm_mem, which marks the frame words they touch
 * as read (so a dead-store pass never drops an SSE store, and a frame an
 * SSE form uses is never found unused). */
#include "servers/jit/x86/sse.h"
#include "servers/jit/x86/enc.h"
#include "servers/jit/x86/blind.h"

/* Each public function is one instruction for x86.c's bundling: opened
 * here, closed on return (nested calls count once). */
static void sse_ins_close(x86_buf **bp) { x86_ins_end(*bp); }
static x86_buf *sse_ins_open(x86_buf *b) { x86_ins_begin(b); return b; }
#define SSE_INS(b) x86_buf *ins_ __attribute__((cleanup(sse_ins_close), unused)) = sse_ins_open(b)

/* Constant blinding of a wide displacement the module chose (blind.c,
 * as x86.c's BLIND_DISP): before the instruction opens, so nested
 * public functions see it already moved.  r: a general register the
 * instruction writes (cvt*2si), else X_NOREG (XMM numbers are not GPRs). */
#define SSE_BLIND_DISP(b, m, r, again) do { \
		x86_dblind d_; \
		if (x86_blind_disp_open(b, &(m), r, X_NOREG, &d_)) { \
			again; \
			x86_blind_disp_close(b, &d_); \
			return; \
		} \
	} while (0)

/* cvttss2si/cvtsd2si...: the destination is a general register */
static int gpr_dst(int op, int dst)
{
	return (op & 0xff) == 0x2C || (op & 0xff) == 0x2D ? dst : X_NOREG;
}

/* The operand size of an opcode's memory form, in bytes. */
static int mem_bytes(int op)
{
	int pfx = op >> 8, o = op & 0xff;
	if (o == 0x2A || ((o == 0x2C || o == 0x2D) && pfx == 0xF3))
		return 4;
	if (pfx == 0xF3)
		return 4;
	if (pfx == 0xF2)
		return 8;
	if (o == 0x2E)
		return pfx == 0x66 ? 8 : 4;
	return 16;
}

static void sse_op(x86_buf *b, int op)
{
	if (op >> 8)
		x86_u8(b, (uint8_t)(op >> 8));
	x86_u8(b, 0x0f);
	x86_u8(b, (uint8_t)op);
}

void x86_sse_rr(x86_buf *b, int op, int dst, int src)
{
	SSE_INS(b);
	sse_op(b, op);
	x86_modrm_reg(b, dst, src);
}

void x86_sse_rm(x86_buf *b, int op, int dst, x86_mem m)
{
	SSE_BLIND_DISP(b, m, gpr_dst(op, dst), x86_sse_rm(b, op, dst, m));
	SSE_INS(b);
	sse_op(b, op);
	x86_modrm_mem(b, dst, m, mem_bytes(op));
}

void x86_sse_mr(x86_buf *b, int op, x86_mem m, int src)
{
	SSE_BLIND_DISP(b, m, X_NOREG, x86_sse_mr(b, op, m, src));
	SSE_INS(b);
	sse_op(b, op);
	x86_modrm_mem(b, src, m, mem_bytes(op));
}

void x86_sse_cmp_rr(x86_buf *b, int op, int dst, int src, int pred)
{
	SSE_INS(b);
	x86_sse_rr(b, op, dst, src);
	x86_u8(b, (uint8_t)pred);
}

void x86_sse_cmp_rm(x86_buf *b, int op, int dst, x86_mem m, int pred)
{
	SSE_BLIND_DISP(b, m, X_NOREG, x86_sse_cmp_rm(b, op, dst, m, pred));
	SSE_INS(b);
	x86_sse_rm(b, op, dst, m);
	x86_u8(b, (uint8_t)pred);
}

void x86_cvtsi2s_rr(x86_buf *b, int op, int xdst, int src)
{
	SSE_INS(b);
	x86_sse_rr(b, op, xdst, src);
}

void x86_cvtsi2s_rm(x86_buf *b, int op, int xdst, x86_mem m)
{
	SSE_BLIND_DISP(b, m, X_NOREG, x86_cvtsi2s_rm(b, op, xdst, m));
	SSE_INS(b);
	x86_sse_rm(b, op, xdst, m);
}

void x86_cvts2si_rr(x86_buf *b, int op, int dst, int xsrc)
{
	SSE_INS(b);
	x86_wrote(b, 32, dst);
	x86_sse_rr(b, op, dst, xsrc);
}

void x86_cvts2si_rm(x86_buf *b, int op, int dst, x86_mem m)
{
	SSE_BLIND_DISP(b, m, dst, x86_cvts2si_rm(b, op, dst, m));
	SSE_INS(b);
	x86_wrote(b, 32, dst);
	x86_sse_rm(b, op, dst, m);
}

void x86_movd_xr(x86_buf *b, int xdst, int src)
{
	SSE_INS(b);
	sse_op(b, 0x666E);
	x86_modrm_reg(b, xdst, src);
}

void x86_movd_rx(x86_buf *b, int dst, int xsrc)
{
	SSE_INS(b);
	x86_wrote(b, 32, dst);
	sse_op(b, 0x667E);
	x86_modrm_reg(b, xsrc, dst);
}

void x86_psllq(x86_buf *b, int x, uint8_t n)
{
	SSE_INS(b);
	sse_op(b, 0x6673);
	x86_modrm_reg(b, 6, x);
	x86_u8(b, n);
}

void x86_psrlq(x86_buf *b, int x, uint8_t n)
{
	SSE_INS(b);
	sse_op(b, 0x6673);
	x86_modrm_reg(b, 2, x);
	x86_u8(b, n);
}

void x86_fld_m(x86_buf *b, int size, x86_mem m)
{
	SSE_BLIND_DISP(b, m, X_NOREG, x86_fld_m(b, size, m));
	SSE_INS(b);
	x86_u8(b, size == 64 ? 0xdd : 0xd9);
	x86_modrm_mem(b, 0, m, size / 8);
}

void x86_fstp_m(x86_buf *b, int size, x86_mem m)
{
	SSE_BLIND_DISP(b, m, X_NOREG, x86_fstp_m(b, size, m));
	SSE_INS(b);
	x86_u8(b, size == 64 ? 0xdd : 0xd9);
	x86_modrm_mem(b, 3, m, size / 8);
}

void x86_fstp_st0(x86_buf *b)
{
	SSE_INS(b);
	x86_u8(b, 0xdd);
	x86_u8(b, 0xd8);
}
