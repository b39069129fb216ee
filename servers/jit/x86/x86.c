/* servers/jit/x86/x86.c: the x86-32 encoder's byte writer, ModRM/SIB,
 * and the general-purpose forms (ALU, moves, extensions, multiply,
 * shifts, flags consumers, stack).  See x86.h; the bundle layer is
 * bundle.c, control transfers jump.c, SSE2/x87 sse.c, what they share
 * enc.h.  Reference: Intel SDM vol. 2, ch. 2 (ModRM/SIB tables) and the
 * opcode map in appendix A. */
#include "servers/jit/x86/enc.h"
#include "servers/jit/x86/blind.h"

void x86_init(x86_buf *b, uint8_t *mem, uint32_t cap)
{
	b->p = mem;
	b->len = 0;
	b->cap = cap;
	b->full = false;
	b->espf = false;
	b->bias = 0;
	b->depth = 0;
	b->wmask = 0;
	b->cmask = 0;
	b->eax_gen = 0;
	b->zf_reg = -1;
	b->fpread = b->fpdead = NULL;
	b->fpn = 0;
	b->fpdropped = 0;
	b->bundle = b->unsafe = b->after_jump = false;
	b->faults = 0;
	b->blind = b->blinding = false;
	b->blind_rng = 0;
	b->blind_free = 0;
	b->npad = 0;
	b->still = b->nabsorbed = 0;
	b->ngrow = b->npend = b->ntrack = 0;
	b->hi = 0;
	b->fwd = NULL;
	b->head = NULL;
	b->head_pos = 0;
	b->ins_depth = b->ins_kind = 0;
	b->ins = 0;
}

bool x86_fp_word(const x86_buf *b, int32_t d, uint32_t *k)
{
	if (d >= 0 || (uint32_t)(-(d + 1)) / 4 >= b->fpn)
		return false;
	*k = (uint32_t)(-(d + 1)) / 4;
	return true;
}

/* While recording: `bit` on the frame words of the n bytes at operand m
 * (the word of the first and of the last byte), or on all of them when
 * m is indexed (it may reach any). */
static void fp_mark(x86_buf *b, x86_mem m, int n, uint8_t bit)
{
	uint32_t k;
	if (!b->fpread || m.base != X_FP)
		return;
	if (m.index >= 0) {
		for (uint32_t i = 0; i < b->fpn; i++)
			b->fpread[i] |= bit;
		return;
	}
	if (x86_fp_word(b, m.disp, &k))
		b->fpread[k] |= bit;
	if (x86_fp_word(b, m.disp + n - 1, &k))
		b->fpread[k] |= bit;
}

/* A read of up to 4 bytes at m. */
static void fp_read(x86_buf *b, x86_mem m)
{
	fp_mark(b, m, 4, 1);
}

/* A plain store to m need not be emitted: it only writes dead words.
 * (While recording, marks the words written.) */
static bool fp_dead_store(x86_buf *b, x86_mem m, int size)
{
	uint32_t k, k2;
	fp_mark(b, m, size / 8, 2);
	if (!b->fpdead || m.base != X_FP || m.index >= 0)
		return false;
	if (!x86_fp_word(b, m.disp, &k) || !x86_fp_word(b, m.disp + size / 8 - 1, &k2))
		return false;
	if (!b->fpdead[k] || !b->fpdead[k2])
		return false;
	b->fpdropped++;
	return true;
}

/* Records that register r (of the given operand size) is written. */
static void mark_write(x86_buf *b, int size, int r)
{
	if (r >= 0 && r < 8) {
		int full = size == 8 && r >= 4 ? r - 4 : r;
		b->wmask |= (uint8_t)(1u << full);
		if (full == X_EAX)
			b->eax_gen++;
		if (full == b->zf_reg)
			b->zf_reg = -1;
	}
}

/* Flags: ZF keeps describing zf_reg across an instruction that leaves
 * the flags alone (zf_keep before it, zf_done after). */
static bool zf_keep(const x86_buf *b) { return b->zf_reg >= 0 && b->zf_len == b->len; }
static void zf_done(x86_buf *b, bool keep)
{
	if (keep && b->zf_reg >= 0)
		b->zf_len = b->len;
}

/* ZF now describes the 32-bit register r. */
static void zf_set(x86_buf *b, int op, int size, int r)
{
	if (size == 32 && r != X_ESP && (op == X_ADD || op == X_SUB || op == X_AND || op == X_OR || op == X_XOR)) {
		b->zf_reg = (int8_t)r;
		b->zf_len = b->len;
	}
}

bool x86_zf_of(const x86_buf *b, int r) { return b->zf_reg == r && b->zf_len == b->len; }
int x86_zf_reg(const x86_buf *b) { return b->zf_len == b->len ? b->zf_reg : -1; }

void x86_u8(x86_buf *b, uint8_t v)
{
	if (b->bundle && !b->ins_depth)
		x86_unsafe(b); /* an instruction outside the bundle layer */
	if (b->len >= b->cap) {
		b->full = true;
		return;
	}
	b->p[b->len++] = v;
}

void x86_u16(x86_buf *b, uint16_t v)
{
	x86_u8(b, (uint8_t)v);
	x86_u8(b, (uint8_t)(v >> 8));
}

void x86_u32(x86_buf *b, uint32_t v)
{
	x86_u16(b, (uint16_t)v);
	x86_u16(b, (uint16_t)(v >> 16));
}

void x86_patch32(x86_buf *b, uint32_t at, uint32_t v)
{
	if (at + 4 > b->len)
		return;
	b->p[at] = (uint8_t)v;
	b->p[at + 1] = (uint8_t)(v >> 8);
	b->p[at + 2] = (uint8_t)(v >> 16);
	b->p[at + 3] = (uint8_t)(v >> 24);
}

static void modrm_r(x86_buf *b, int reg, int rm)
{
	x86_u8(b, (uint8_t)(0xc0 | (reg & 7) << 3 | (rm & 7)));
}

static int sib_scale(int scale)
{
	return scale == 8 ? 3 : scale == 4 ? 2 : scale == 2 ? 1 : 0;
}

/* ModRM (+SIB, +disp) for a memory operand. */
static void modrm_m_store(x86_buf *b, int reg, x86_mem m);

static void modrm_m(x86_buf *b, int reg, x86_mem m)
{
	fp_read(b, m);
	modrm_m_store(b, reg, m);
}

/* The open instruction's memory operand, its ModRM at `at`: how its
 * displacement may grow (bundle.c absorb); a ModRM without SIB may
 * take one. */
static void note_mem(x86_buf *b, uint32_t at, uint8_t form)
{
	if (at < b->len && (b->p[at] & 7) != 4)
		form |= X_GROW_SIB;
	x86_grows(b, at, 0, form);
}

/* ModRM for the destination of a plain store: not a read. */

static void modrm_m_store(x86_buf *b, int reg, x86_mem m)
{
	uint32_t at = b->len;
	reg &= 7;
	if (m.base == X_FP) {
		if (b->espf) {
			m.base = X_ESP;
			m.disp += b->bias + b->depth;
		} else {
			m.base = X_EBP;
		}
	}
	if (m.base < 0 && m.index < 0) { /* [disp32] */
		x86_u8(b, (uint8_t)(reg << 3 | 5));
		x86_u32(b, (uint32_t)m.disp);
		x86_grows(b, at, 0, X_GROW_ABS);
		return;
	}
	if (m.index < 0 && m.base != X_ESP) {
		if (m.disp == 0 && m.base != X_EBP && !m.disp32) {
			x86_u8(b, (uint8_t)(reg << 3 | m.base));
			note_mem(b, at, X_GROW_D0);
		} else if (x86_is_i8(m.disp) && !m.disp32) {
			x86_u8(b, (uint8_t)(0x40 | reg << 3 | m.base));
			x86_u8(b, (uint8_t)m.disp);
			note_mem(b, at, X_GROW_D8);
		} else {
			x86_u8(b, (uint8_t)(0x80 | reg << 3 | m.base));
			x86_u32(b, (uint32_t)m.disp);
			note_mem(b, at, X_GROW_D32);
		}
		return;
	}
	/* SIB forms: index present, or base ESP. */
	int idx = m.index < 0 ? 4 : m.index;
	int sc = m.index < 0 ? 0 : sib_scale(m.scale);
	if (m.base < 0) { /* [index*scale + disp32] */
		x86_u8(b, (uint8_t)(reg << 3 | 4));
		x86_u8(b, (uint8_t)(sc << 6 | idx << 3 | 5));
		x86_u32(b, (uint32_t)m.disp);
		x86_grows(b, at, 0, 0);
		return;
	}
	if (m.disp == 0 && m.base != X_EBP && !m.disp32) {
		x86_u8(b, (uint8_t)(reg << 3 | 4));
		x86_u8(b, (uint8_t)(sc << 6 | idx << 3 | m.base));
		note_mem(b, at, X_GROW_D0);
	} else if (x86_is_i8(m.disp) && !m.disp32) {
		x86_u8(b, (uint8_t)(0x40 | reg << 3 | 4));
		x86_u8(b, (uint8_t)(sc << 6 | idx << 3 | m.base));
		x86_u8(b, (uint8_t)m.disp);
		note_mem(b, at, X_GROW_D8);
	} else {
		x86_u8(b, (uint8_t)(0x80 | reg << 3 | 4));
		x86_u8(b, (uint8_t)(sc << 6 | idx << 3 | m.base));
		x86_u32(b, (uint32_t)m.disp);
		x86_grows(b, at, 0, 0);
	}
}

/* Operand-size prefix for 16-bit forms. */
static void opsize_prefix(x86_buf *b, int size)
{
	if (size == 16)
		x86_u8(b, 0x66);
}

/* Opcode with the w bit: byte form op, full-size form op+1. */
static void opcode_w(x86_buf *b, int size, uint8_t op)
{
	opsize_prefix(b, size);
	x86_u8(b, (uint8_t)(size == 8 ? op : op + 1));
}

static void imm_sz(x86_buf *b, int size, int32_t imm)
{
	if (size == 8)
		x86_u8(b, (uint8_t)imm);
	else if (size == 16)
		x86_u16(b, (uint16_t)imm);
	else
		x86_u32(b, (uint32_t)imm);
}

/* The 32-bit register of an operand register of this size. */
static int full_r(int size, int r) { return size == 8 && r >= 4 ? r - 4 : r; }

/* ---- group 1 ALU ---- */

static void alu_rr_(x86_buf *b, int op, int size, int dst, int src)
{
	if (op != X_CMP) mark_write(b, size, dst);
	opcode_w(b, size, (uint8_t)(op << 3)); /* r/m, r form, like GNU as */
	modrm_r(b, src, dst);
}

void x86_alu_rr(x86_buf *b, int op, int size, int dst, int src)
{
	INS(b);
	alu_rr_(b, op, size, dst, src);
	zf_set(b, op, size, dst);
}

static void alu_ri_(x86_buf *b, int op, int size, int dst, int32_t imm)
{
	if (op != X_CMP) mark_write(b, size, dst);
	if (dst == X_ESP && size == 32 && (op == X_ADD || op == X_SUB))
		b->depth += op == X_SUB ? imm : -imm;
	if (size == 8) {
		if (dst == X_EAX) {
			x86_u8(b, (uint8_t)(op << 3 | 4));
		} else {
			x86_u8(b, 0x80);
			modrm_r(b, op, dst);
		}
		x86_u8(b, (uint8_t)imm);
		return;
	}
	opsize_prefix(b, size);
	if (x86_is_i8(imm)) {
		uint32_t at = b->len;
		x86_u8(b, 0x83);
		modrm_r(b, op, dst);
		/* not `and r, imm8`: the verifier reads and r, -32 as a mask */
		x86_grows(b, b->len, at, size == 32 && op != X_AND ? X_GROW_IMM8 : 0);
		x86_u8(b, (uint8_t)imm);
		return;
	}
	if (dst == X_EAX) {
		x86_u8(b, (uint8_t)(op << 3 | 5));
	} else {
		x86_u8(b, 0x81);
		modrm_r(b, op, dst);
	}
	imm_sz(b, size, imm);
}

void x86_alu_ri(x86_buf *b, int op, int size, int dst, int32_t imm)
{
	if (x86_blind_wide(b, size, imm) && dst != X_ESP) {
		x86_blind_alu_ri(b, op, dst, imm);
		return;
	}
	INS(b);
	alu_ri_(b, op, size, dst, imm);
	zf_set(b, op, size, dst);
}

static void alu_rm_(x86_buf *b, int op, int size, int dst, x86_mem m)
{
	if (op != X_CMP) mark_write(b, size, dst);
	opcode_w(b, size, (uint8_t)(op << 3 | 2));
	modrm_m(b, dst, m);
}

void x86_alu_rm(x86_buf *b, int op, int size, int dst, x86_mem m)
{
	BLIND_DISP(b, m, full_r(size, dst), X_NOREG, x86_alu_rm(b, op, size, dst, m));
	INS(b);
	alu_rm_(b, op, size, dst, m);
	zf_set(b, op, size, dst);
}

void x86_alu_mr(x86_buf *b, int op, int size, x86_mem m, int src)
{
	BLIND_DISP(b, m, full_r(size, src), X_NOREG, x86_alu_mr(b, op, size, m, src));
	INS(b);
	opcode_w(b, size, (uint8_t)(op << 3));
	modrm_m(b, src, m);
}

void x86_alu_mi(x86_buf *b, int op, int size, x86_mem m, int32_t imm)
{
	BLIND_DISP(b, m, X_NOREG, X_NOREG, x86_alu_mi(b, op, size, m, imm));
	if (x86_blind_wide(b, size, imm) && x86_blind_mem(m)) {
		x86_blind_alu_mi(b, op, m, imm);
		return;
	}
	INS(b);
	if (size == 8) {
		x86_u8(b, 0x80);
		modrm_m(b, op, m);
		x86_u8(b, (uint8_t)imm);
		return;
	}
	opsize_prefix(b, size);
	if (x86_is_i8(imm)) {
		uint32_t at = b->len;
		x86_u8(b, 0x83);
		modrm_m(b, op, m);
		x86_grows(b, b->len, at, size == 32 && op != X_AND ? X_GROW_IMM8 : 0);
		x86_u8(b, (uint8_t)imm);
	} else {
		x86_u8(b, 0x81);
		modrm_m(b, op, m);
		imm_sz(b, size, imm);
	}
}

/* ---- moves ---- */

static void mov_rr_(x86_buf *b, int size, int dst, int src)
{
	mark_write(b, size, dst);
	opcode_w(b, size, 0x88);
	modrm_r(b, src, dst);
}

void x86_mov_rr(x86_buf *b, int size, int dst, int src)
{
	INS(b);
	bool keep = zf_keep(b);
	mov_rr_(b, size, dst, src);
	zf_done(b, keep);
}

static void mov_ri_(x86_buf *b, int size, int dst, int32_t imm)
{
	mark_write(b, size, dst);
	opsize_prefix(b, size);
	x86_grows(b, b->len, 0, size == 32 ? X_GROW_SHORT : 0);
	x86_u8(b, (uint8_t)((size == 8 ? 0xb0 : 0xb8) + dst));
	imm_sz(b, size, imm);
}

void x86_mov_ri(x86_buf *b, int size, int dst, int32_t imm)
{
	if (x86_blind_wide(b, size, imm) && dst != X_ESP) {
		x86_blind_mov_ri(b, dst, imm);
		return;
	}
	INS(b);
	bool keep = zf_keep(b);
	mov_ri_(b, size, dst, imm);
	zf_done(b, keep);
}

uint32_t x86_mov_ri32_reloc(x86_buf *b, int dst, uint32_t imm)
{
	x86_ins_fit(b, 5, false);
	INS_AS(b, INS_PLAIN | INS_FIXED);
	mark_write(b, 32, dst);
	x86_u8(b, (uint8_t)(0xb8 + dst));
	uint32_t at = b->len;
	x86_u32(b, imm);
	return at;
}

static bool is_abs(x86_mem m) { return m.base < 0 && m.index < 0; }

static void mov_rm_(x86_buf *b, int size, int dst, x86_mem m)
{
	mark_write(b, size, dst);
	if (dst == X_EAX && is_abs(m)) { /* moffs form */
		opcode_w(b, size, 0xa0);
		x86_u32(b, (uint32_t)m.disp);
		return;
	}
	opcode_w(b, size, 0x8a);
	modrm_m(b, dst, m);
}

void x86_mov_rm(x86_buf *b, int size, int dst, x86_mem m)
{
	if (size != 32 || !x86_blind_disp_into(b, &m, dst))
		BLIND_DISP(b, m, full_r(size, dst), X_NOREG, x86_mov_rm(b, size, dst, m));
	INS(b);
	bool keep = zf_keep(b);
	mov_rm_(b, size, dst, m);
	zf_done(b, keep);
}

static void mov_mr_(x86_buf *b, int size, x86_mem m, int src)
{
	if (src == X_EAX && is_abs(m)) {
		opcode_w(b, size, 0xa2);
		x86_u32(b, (uint32_t)m.disp);
		return;
	}
	if (fp_dead_store(b, m, size))
		return;
	opcode_w(b, size, 0x88);
	modrm_m_store(b, src, m);
}

void x86_mov_mr(x86_buf *b, int size, x86_mem m, int src)
{
	BLIND_DISP(b, m, full_r(size, src), X_NOREG, x86_mov_mr(b, size, m, src));
	INS(b);
	bool keep = zf_keep(b);
	mov_mr_(b, size, m, src);
	zf_done(b, keep);
}

static void mov_mi_(x86_buf *b, int size, x86_mem m, int32_t imm)
{
	if (fp_dead_store(b, m, size))
		return;
	opcode_w(b, size, 0xc6);
	modrm_m_store(b, 0, m);
	imm_sz(b, size, imm);
}

void x86_mov_mi(x86_buf *b, int size, x86_mem m, int32_t imm)
{
	BLIND_DISP(b, m, X_NOREG, X_NOREG, x86_mov_mi(b, size, m, imm));
	if (x86_blind_wide(b, size, imm) && x86_blind_mem(m)) {
		x86_blind_mov_mi(b, m, imm);
		return;
	}
	INS(b);
	bool keep = zf_keep(b);
	mov_mi_(b, size, m, imm);
	zf_done(b, keep);
}

void x86_test_rr(x86_buf *b, int size, int a, int bb)
{
	INS(b);
	opcode_w(b, size, 0x84);
	modrm_r(b, bb, a);
}

void x86_test_mr(x86_buf *b, x86_mem m, int r)
{
	INS(b);
	x86_u8(b, 0x85);
	modrm_m(b, r, m);
}

void x86_test_ri(x86_buf *b, int size, int a, int32_t imm)
{
	if (x86_blind_wide(b, size, imm) && a != X_ESP) {
		x86_blind_test_ri(b, a, imm);
		return;
	}
	INS(b);
	if (a == X_EAX) {
		opcode_w(b, size, 0xa8);
	} else {
		opcode_w(b, size, 0xf6);
		modrm_r(b, 0, a);
	}
	imm_sz(b, size, imm);
}

static void lea_only(x86_buf *b, int dst, x86_mem m)
{
	mark_write(b, 32, dst);
	x86_u8(b, 0x8d);
	modrm_m(b, dst, m);
}

void x86_lea(x86_buf *b, int dst, x86_mem m)
{
	if (x86_blind_wide(b, 32, m.disp) && x86_blind_mem(m) && dst != X_ESP) {
		x86_blind_lea(b, dst, m);
		return;
	}
	INS(b);
	bool keep = zf_keep(b);
	lea_only(b, dst, m);
	zf_done(b, keep);
}

/* ---- extensions ---- */

void x86_opcode_0f(x86_buf *b, uint8_t op)
{
	x86_u8(b, 0x0f);
	x86_u8(b, op);
}

static void movzx_rr_(x86_buf *b, int srcsize, int dst, int src)
{
	mark_write(b, 32, dst);
	x86_opcode_0f(b, srcsize == 8 ? 0xb6 : 0xb7);
	modrm_r(b, dst, src);
}

void x86_movzx_rr(x86_buf *b, int srcsize, int dst, int src)
{
	INS(b);
	bool keep = zf_keep(b);
	movzx_rr_(b, srcsize, dst, src);
	zf_done(b, keep);
}

static void movsx_rr_(x86_buf *b, int srcsize, int dst, int src)
{
	mark_write(b, 32, dst);
	x86_opcode_0f(b, srcsize == 8 ? 0xbe : 0xbf);
	modrm_r(b, dst, src);
}

void x86_movsx_rr(x86_buf *b, int srcsize, int dst, int src)
{
	INS(b);
	bool keep = zf_keep(b);
	movsx_rr_(b, srcsize, dst, src);
	zf_done(b, keep);
}

static void movzx_rm_(x86_buf *b, int srcsize, int dst, x86_mem m)
{
	mark_write(b, 32, dst);
	x86_opcode_0f(b, srcsize == 8 ? 0xb6 : 0xb7);
	modrm_m(b, dst, m);
}

void x86_movzx_rm(x86_buf *b, int srcsize, int dst, x86_mem m)
{
	if (!x86_blind_disp_into(b, &m, dst))
		BLIND_DISP(b, m, dst, X_NOREG, x86_movzx_rm(b, srcsize, dst, m));
	INS(b);
	bool keep = zf_keep(b);
	movzx_rm_(b, srcsize, dst, m);
	zf_done(b, keep);
}

static void movsx_rm_(x86_buf *b, int srcsize, int dst, x86_mem m)
{
	mark_write(b, 32, dst);
	x86_opcode_0f(b, srcsize == 8 ? 0xbe : 0xbf);
	modrm_m(b, dst, m);
}

void x86_movsx_rm(x86_buf *b, int srcsize, int dst, x86_mem m)
{
	if (!x86_blind_disp_into(b, &m, dst))
		BLIND_DISP(b, m, dst, X_NOREG, x86_movsx_rm(b, srcsize, dst, m));
	INS(b);
	bool keep = zf_keep(b);
	movsx_rm_(b, srcsize, dst, m);
	zf_done(b, keep);
}

/* ---- multiply, divide, unary ---- */

void x86_imul_rr(x86_buf *b, int dst, int src)
{
	INS(b);
	mark_write(b, 32, dst);
	x86_opcode_0f(b, 0xaf);
	modrm_r(b, dst, src);
}

void x86_imul_rm(x86_buf *b, int dst, x86_mem m)
{
	BLIND_DISP(b, m, dst, X_NOREG, x86_imul_rm(b, dst, m));
	INS(b);
	mark_write(b, 32, dst);
	x86_opcode_0f(b, 0xaf);
	modrm_m(b, dst, m);
}

void x86_imul_rri(x86_buf *b, int dst, int src, int32_t imm)
{
	if (x86_blind_wide(b, 32, imm) && dst != X_ESP && src != X_ESP) {
		x86_blind_imul_rri(b, dst, src, imm);
		return;
	}
	INS(b);
	mark_write(b, 32, dst);
	if (x86_is_i8(imm)) {
		uint32_t at = b->len;
		x86_u8(b, 0x6b);
		modrm_r(b, dst, src);
		x86_grows(b, b->len, at, X_GROW_IMM8);
		x86_u8(b, (uint8_t)imm);
	} else {
		x86_u8(b, 0x69);
		modrm_r(b, dst, src);
		x86_u32(b, (uint32_t)imm);
	}
}

void x86_imul_rmi(x86_buf *b, int dst, x86_mem m, int32_t imm)
{
	BLIND_DISP(b, m, dst, X_NOREG, x86_imul_rmi(b, dst, m, imm));
	if (x86_blind_wide(b, 32, imm) && dst != X_ESP && x86_blind_mem(m)) {
		x86_blind_imul_rmi(b, dst, m, imm);
		return;
	}
	INS(b);
	mark_write(b, 32, dst);
	bool i8 = x86_is_i8(imm);
	uint32_t at = b->len;
	x86_u8(b, i8 ? 0x6b : 0x69);
	modrm_m(b, dst, m);
	if (i8) {
		x86_grows(b, b->len, at, X_GROW_IMM8);
		x86_u8(b, (uint8_t)imm);
	} else {
		x86_u32(b, (uint32_t)imm);
	}
}

void x86_unary_r(x86_buf *b, int op, int size, int r)
{
	INS(b);
	if (op >= X_MUL) { mark_write(b, 32, X_EAX); mark_write(b, 32, X_EDX); } else { mark_write(b, size, r); }
	opcode_w(b, size, 0xf6);
	modrm_r(b, op, r);
}

void x86_unary_m(x86_buf *b, int op, int size, x86_mem m)
{
	BLIND_DISP(b, m, op >= X_MUL ? X_EAX : X_NOREG, op >= X_MUL ? X_EDX : X_NOREG, x86_unary_m(b, op, size, m));
	INS(b);
	if (op >= X_MUL) { mark_write(b, 32, X_EAX); mark_write(b, 32, X_EDX); }
	opcode_w(b, size, 0xf6);
	modrm_m(b, op, m);
}

/* inc r (40+r) or dec r (48+r): one byte, the ModRM form if it grows */
static void inc_dec_r(x86_buf *b, int r, bool dec)
{
	INS(b);
	mark_write(b, 32, r);
	x86_grows(b, b->len, 0, X_GROW_SHORT);
	x86_u8(b, (uint8_t)((dec ? 0x48 : 0x40) + r));
	zf_set(b, dec ? X_SUB : X_ADD, 32, r);
}

void x86_inc_r(x86_buf *b, int r) { inc_dec_r(b, r, false); }
void x86_dec_r(x86_buf *b, int r) { inc_dec_r(b, r, true); }

/* ---- stack ---- */

static void push_r_(x86_buf *b, int r)
{
	x86_grows(b, b->len, 0, X_GROW_SHORT);
	x86_u8(b, (uint8_t)(0x50 + r));
	b->depth += 4;
}

void x86_push_r(x86_buf *b, int r)
{
	INS(b);
	bool keep = zf_keep(b);
	push_r_(b, r);
	zf_done(b, keep);
}

void x86_pop_r(x86_buf *b, int r)
{
	INS(b);
	mark_write(b, 32, r);
	x86_grows(b, b->len, 0, X_GROW_SHORT);
	x86_u8(b, (uint8_t)(0x58 + r));
	b->depth -= 4;
}

static void push_i_(x86_buf *b, int32_t imm)
{
	b->depth += 4;
	if (x86_is_i8(imm)) {
		x86_u8(b, 0x6a);
		x86_u8(b, (uint8_t)imm);
	} else {
		x86_u8(b, 0x68);
		x86_u32(b, (uint32_t)imm);
	}
}

void x86_push_i(x86_buf *b, int32_t imm)
{
	if (x86_blind_wide(b, 32, imm)) {
		x86_blind_push_i(b, imm);
		return;
	}
	INS(b);
	bool keep = zf_keep(b);
	push_i_(b, imm);
	zf_done(b, keep);
}

static void push_m_(x86_buf *b, x86_mem m)
{
	x86_u8(b, 0xff);
	modrm_m(b, 6, m); /* the address uses ESP before the push */
	b->depth += 4;
}

void x86_push_m(x86_buf *b, x86_mem m)
{
	if (x86_blind_dmem(b, m)) {
		x86_blind_push_m(b, m);
		return;
	}
	INS(b);
	bool keep = zf_keep(b);
	push_m_(b, m);
	zf_done(b, keep);
}

void x86_test_mi(x86_buf *b, int size, x86_mem m, int32_t imm)
{
	BLIND_DISP(b, m, X_NOREG, X_NOREG, x86_test_mi(b, size, m, imm));
	if (x86_blind_wide(b, size, imm) && x86_blind_mem(m)) {
		x86_blind_test_mi(b, m, imm);
		return;
	}
	INS(b);
	opcode_w(b, size, 0xf6);
	modrm_m(b, 0, m);
	imm_sz(b, size, imm);
}

void x86_cdq(x86_buf *b) { INS(b); mark_write(b, 32, X_EDX); x86_u8(b, 0x99); }
void x86_nop(x86_buf *b) { INS(b); x86_u8(b, 0x90); }
void x86_int3(x86_buf *b) { INS(b); x86_u8(b, 0xcc); }
void x86_ud2(x86_buf *b) { INS(b); x86_opcode_0f(b, 0x0b); }

/* ---- for the SSE2 and x87 forms (x86/sse.c) and the other files ---- */

void x86_modrm_reg(x86_buf *b, int reg, int rm) { modrm_r(b, reg, rm); }

/* ModRM for a memory operand of n bytes that the instruction reads or
 * writes: its frame words count as read (never a dropped dead store). */
void x86_modrm_mem(x86_buf *b, int reg, x86_mem m, int n)
{
	fp_mark(b, m, n, 1);
	modrm_m_store(b, reg, m);
}

void x86_wrote(x86_buf *b, int size, int r) { mark_write(b, size, r); }

/* ---- for the shifts and flag consumers (x86/shift.c) ---- */

void x86_modrm_m(x86_buf *b, int reg, x86_mem m) { modrm_m(b, reg, m); }
void x86_opcode_w(x86_buf *b, int size, uint8_t op) { opcode_w(b, size, op); }
bool x86_zf_keep(const x86_buf *b) { return zf_keep(b); }
void x86_zf_done(x86_buf *b, bool keep) { zf_done(b, keep); }
