/* servers/jit/x86/shift.c: the x86-32 encoder's shifts and rotates
 * (by a constant, by CL, double-precision shld/shrd) and the forms that
 * consume flags or work on bits: setcc, cmov, bswap, bsf/bsr, xchg.
 * Split from x86.c, whose byte writer, ModRM and flag tracking it uses
 * through enc.h. */
#include "servers/jit/x86/enc.h"
#include "servers/jit/x86/blind.h"

/* ---- shifts ---- */

void x86_shift_ri(x86_buf *b, int op, int size, int r, uint8_t n)
{
	INS(b);
	x86_wrote(b, size, r);
	if (n == 1) {
		x86_opcode_w(b, size, 0xd0);
		x86_modrm_reg(b, op, r);
	} else {
		x86_opcode_w(b, size, 0xc0);
		x86_modrm_reg(b, op, r);
		x86_u8(b, n);
	}
}

void x86_shift_rcl(x86_buf *b, int op, int size, int r)
{
	INS(b);
	x86_wrote(b, size, r);
	x86_opcode_w(b, size, 0xd2);
	x86_modrm_reg(b, op, r);
}

void x86_shift_mi(x86_buf *b, int op, int size, x86_mem m, uint8_t n)
{
	BLIND_DISP(b, m, X_NOREG, X_NOREG, x86_shift_mi(b, op, size, m, n));
	INS(b);
	if (n == 1) {
		x86_opcode_w(b, size, 0xd0);
		x86_modrm_m(b, op, m);
	} else {
		x86_opcode_w(b, size, 0xc0);
		x86_modrm_m(b, op, m);
		x86_u8(b, n);
	}
}

void x86_shift_mcl(x86_buf *b, int op, int size, x86_mem m)
{
	BLIND_DISP(b, m, X_ECX, X_NOREG, x86_shift_mcl(b, op, size, m));
	INS(b);
	x86_opcode_w(b, size, 0xd2);
	x86_modrm_m(b, op, m);
}

void x86_shld_ri(x86_buf *b, int dst, int src, uint8_t n)
{
	INS(b);
	x86_wrote(b, 32, dst);
	x86_opcode_0f(b, 0xa4);
	x86_modrm_reg(b, src, dst);
	x86_u8(b, n);
}

void x86_shrd_ri(x86_buf *b, int dst, int src, uint8_t n)
{
	INS(b);
	x86_wrote(b, 32, dst);
	x86_opcode_0f(b, 0xac);
	x86_modrm_reg(b, src, dst);
	x86_u8(b, n);
}

void x86_shld_rcl(x86_buf *b, int dst, int src)
{
	INS(b);
	x86_wrote(b, 32, dst);
	x86_opcode_0f(b, 0xa5);
	x86_modrm_reg(b, src, dst);
}

void x86_shrd_rcl(x86_buf *b, int dst, int src)
{
	INS(b);
	x86_wrote(b, 32, dst);
	x86_opcode_0f(b, 0xad);
	x86_modrm_reg(b, src, dst);
}

/* ---- flags consumers, bit ops ---- */

static void setcc_(x86_buf *b, int cc, int r8)
{
	x86_wrote(b, 8, r8);
	x86_opcode_0f(b, (uint8_t)(0x90 + cc));
	x86_modrm_reg(b, 0, r8);
}

void x86_setcc(x86_buf *b, int cc, int r8)
{
	INS(b);
	bool keep = x86_zf_keep(b);
	setcc_(b, cc, r8);
	x86_zf_done(b, keep);
}

void x86_setcc_m(x86_buf *b, int cc, x86_mem m)
{
	BLIND_DISP(b, m, X_NOREG, X_NOREG, x86_setcc_m(b, cc, m));
	INS(b);
	x86_opcode_0f(b, (uint8_t)(0x90 + cc));
	x86_modrm_m(b, 0, m);
}

static void cmov_rr_(x86_buf *b, int cc, int dst, int src)
{
	x86_wrote(b, 32, dst);
	x86_opcode_0f(b, (uint8_t)(0x40 + cc));
	x86_modrm_reg(b, dst, src);
}

void x86_cmov_rr(x86_buf *b, int cc, int dst, int src)
{
	INS(b);
	bool keep = x86_zf_keep(b);
	cmov_rr_(b, cc, dst, src);
	x86_zf_done(b, keep);
}

static void cmov_rm_(x86_buf *b, int cc, int dst, x86_mem m)
{
	x86_wrote(b, 32, dst);
	x86_opcode_0f(b, (uint8_t)(0x40 + cc));
	x86_modrm_m(b, dst, m);
}

void x86_cmov_rm(x86_buf *b, int cc, int dst, x86_mem m)
{
	BLIND_DISP(b, m, dst, X_NOREG, x86_cmov_rm(b, cc, dst, m));
	INS(b);
	bool keep = x86_zf_keep(b);
	cmov_rm_(b, cc, dst, m);
	x86_zf_done(b, keep);
}

void x86_bswap(x86_buf *b, int r) { INS(b); x86_wrote(b, 32, r); x86_opcode_0f(b, (uint8_t)(0xc8 + r)); }

void x86_bsf_rr(x86_buf *b, int dst, int src)
{
	INS(b);
	x86_wrote(b, 32, dst);
	x86_opcode_0f(b, 0xbc);
	x86_modrm_reg(b, dst, src);
}

void x86_bsr_rr(x86_buf *b, int dst, int src)
{
	INS(b);
	x86_wrote(b, 32, dst);
	x86_opcode_0f(b, 0xbd);
	x86_modrm_reg(b, dst, src);
}

void x86_xchg_rr(x86_buf *b, int a, int bb)
{
	INS(b);
	x86_wrote(b, 32, a); x86_wrote(b, 32, bb);
	if (a == X_EAX || bb == X_EAX) {
		x86_u8(b, (uint8_t)(0x90 + (a == X_EAX ? bb : a)));
		return;
	}
	x86_u8(b, 0x87);
	x86_modrm_reg(b, bb, a);
}
