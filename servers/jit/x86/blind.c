/* Constant blinding (jit_opts.secure & JIT_SEC_BLIND; the Linux eBPF
 * JIT's bpf_jit_harden and V8 are the anchors).  An immediate the module
 * chose, wider than 16 bits, never appears in the code: it is emitted as
 * imm - k and k, with k a fresh 32-bit key per immediate from the
 * compile's seed, and added back with `lea r, [r + k]`, which leaves the
 * flags alone, so a blinded `mov` keeps them as a `mov` does, and a
 * blinded ALU operation's flags come from the real operation, last:
 *
 *   mov r, imm          ->  mov r, imm-k; lea r, [r+k]
 *   op r, imm           ->  push s; mov s, imm-k; lea s, [s+k]; op r, s; pop s
 *   xor r, imm          ->  xor r, imm^k; xor r, k  (the same flags)
 *   op / mov [m], imm   ->  the same with `op [m], s` (m moved by 4 if ESP-based)
 *   imul d, x, imm      ->  push s; mov s, ...; lea s, ...; imul s, x; mov d, s; pop s
 *   push imm            ->  push imm-k; push s; mov s, [esp+4]; lea s, [s+k];
 *                           mov [esp+4], s; pop s  (a dead s: mov s; lea s; push s)
 *   lea r, [m + disp]   ->  lea r, [m + disp-k]; lea r, [r+k]  (x + C computed
 *                           into another register)
 *
 * s is a register the operation does not use (never EAX, EBP or ESP:
 * EAX's known contents and the frame stay as they were).  Where the code
 * generator says ECX or EDX is dead here (x86_buf.blind_free: nothing
 * live in it at the start of this IR instruction, and not written since)
 * s is that register and there is no push and pop; otherwise push and
 * pop keep s, so no allocation changes.  imul d, x, imm with d != x
 * uses d itself.  A wide displacement the module chose goes to s too:
 *
 *   op [b + disp]       ->  mov s, disp-k; lea s, [s+k]; op [b + s]
 *   op [b + i*n + disp] ->  ...; lea s, [b + s]; op [s + i*n]
 *   mov r, [b + disp]   ->  mov r, disp-k; lea r, [r+k]; mov r, [b + r]
 *
 * Not blinded: relocated or absolute addresses (disp32: the linker's,
 * not the module's), frame offsets (X_FP: the JIT's), shift counts,
 * 8/16-bit immediates.  (sse.c blinds its memory forms' displacements
 * the same way.) */
#include "servers/jit/x86/blind.h"

static uint32_t key(x86_buf *b)
{
	uint64_t z = (b->blind_rng += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return (uint32_t)(z ^ (z >> 31));
}

/* mov r, imm-k; lea r, [r+k] (nothing in it blinded again) */
static void load(x86_buf *b, int r, int32_t imm)
{
	uint32_t k = key(b);
	b->blinding = true;
	x86_mov_ri(b, 32, r, (int32_t)((uint32_t)imm - k));
	x86_lea(b, r, x86_m(r, (int32_t)k));
	b->blinding = false;
}

/* A scratch register none of a, c, d is (X_NOREG / X_FP never match). */
static int scratch(int a, int c, int d)
{
	static const int8_t pick[] = { X_ECX, X_EDX, X_EBX, X_ESI, X_EDI };
	for (unsigned i = 0; i < sizeof pick; i++)
		if (pick[i] != a && pick[i] != c && pick[i] != d)
			return pick[i];
	return X_EDI; /* unreachable: three exclusions, five candidates */
}

/* A dead ECX or EDX none of a, c, d is, or -1. */
static int free_s(const x86_buf *b, int a, int c, int d)
{
	uint8_t avail = (uint8_t)(b->blind_free & ~(b->wmask | b->cmask));
	static const int8_t pick[] = { X_ECX, X_EDX };
	for (unsigned i = 0; i < sizeof pick; i++)
		if (avail & 1u << pick[i] && pick[i] != a && pick[i] != c && pick[i] != d)
			return pick[i];
	return -1;
}

/* The scratch for an operation using a, c, d: a dead register if there
 * is one (*pushed false), else push s: what s held stays, and ESP-based
 * operands move with it. */
static int open_s(x86_buf *b, int a, int c, int d, x86_mem *m, bool *pushed)
{
	int s = free_s(b, a, c, d);
	*pushed = s < 0;
	if (s >= 0)
		return s;
	s = scratch(a, c, d);
	x86_push_r(b, s);
	if (m && m->base == X_ESP)
		m->disp += 4;
	return s;
}

static void close_s(x86_buf *b, int s, bool pushed)
{
	if (pushed)
		x86_pop_r(b, s);
}

void x86_blind_mov_ri(x86_buf *b, int dst, int32_t imm)
{
	load(b, dst, imm);
}

/* xor r/[m], imm -> xor imm^k; xor k: the last xor's flags are the
 * single one's (CF = OF = 0, the rest from the result), no scratch. */
static bool split_xor(x86_buf *b, int op, int dst, const x86_mem *m, int32_t imm)
{
	if (op != X_XOR)
		return false;
	uint32_t k = key(b);
	b->blinding = true;
	if (m) {
		x86_alu_mi(b, X_XOR, 32, *m, (int32_t)((uint32_t)imm ^ k));
		x86_alu_mi(b, X_XOR, 32, *m, (int32_t)k);
	} else {
		x86_alu_ri(b, X_XOR, 32, dst, (int32_t)((uint32_t)imm ^ k));
		x86_alu_ri(b, X_XOR, 32, dst, (int32_t)k);
	}
	b->blinding = false;
	return true;
}

void x86_blind_alu_ri(x86_buf *b, int op, int dst, int32_t imm)
{
	if (split_xor(b, op, dst, NULL, imm))
		return;
	bool pushed;
	int s = open_s(b, dst, X_NOREG, X_NOREG, NULL, &pushed);
	load(b, s, imm);
	x86_alu_rr(b, op, 32, dst, s);
	close_s(b, s, pushed);
}

void x86_blind_alu_mi(x86_buf *b, int op, x86_mem m, int32_t imm)
{
	if (split_xor(b, op, X_NOREG, &m, imm))
		return;
	bool pushed;
	int s = open_s(b, m.base, m.index, X_NOREG, &m, &pushed);
	load(b, s, imm);
	x86_alu_mr(b, op, 32, m, s);
	close_s(b, s, pushed);
}

void x86_blind_mov_mi(x86_buf *b, x86_mem m, int32_t imm)
{
	bool pushed;
	int s = open_s(b, m.base, m.index, X_NOREG, &m, &pushed);
	load(b, s, imm);
	x86_mov_mr(b, 32, m, s);
	close_s(b, s, pushed);
}

void x86_blind_test_ri(x86_buf *b, int a, int32_t imm)
{
	bool pushed;
	int s = open_s(b, a, X_NOREG, X_NOREG, NULL, &pushed);
	load(b, s, imm);
	x86_test_rr(b, 32, a, s);
	close_s(b, s, pushed);
}

void x86_blind_imul_rri(x86_buf *b, int dst, int src, int32_t imm)
{
	if (dst != src) { /* dst is free until the imul writes it */
		load(b, dst, imm);
		x86_imul_rr(b, dst, src);
		return;
	}
	bool pushed;
	int s = open_s(b, dst, src, X_NOREG, NULL, &pushed);
	load(b, s, imm);
	x86_imul_rr(b, s, src);
	x86_mov_rr(b, 32, dst, s); /* keeps imul's flags */
	close_s(b, s, pushed);
}

void x86_blind_imul_rmi(x86_buf *b, int dst, x86_mem m, int32_t imm)
{
	if (dst != m.base && dst != m.index) { /* as above */
		load(b, dst, imm);
		x86_imul_rm(b, dst, m);
		return;
	}
	bool pushed;
	int s = open_s(b, dst, m.base, m.index, &m, &pushed);
	load(b, s, imm);
	x86_imul_rm(b, s, m);
	x86_mov_rr(b, 32, dst, s);
	close_s(b, s, pushed);
}

void x86_blind_push_i(x86_buf *b, int32_t imm)
{
	int f = free_s(b, X_NOREG, X_NOREG, X_NOREG);
	if (f >= 0) { /* mov f, imm-k; lea f, [f+k]; push f */
		load(b, f, imm);
		x86_push_r(b, f);
		return;
	}
	uint32_t k = key(b);
	b->blinding = true;
	x86_push_i(b, (int32_t)((uint32_t)imm - k));
	b->blinding = false;
	int s = scratch(X_NOREG, X_NOREG, X_NOREG);
	x86_push_r(b, s);
	x86_mov_rm(b, 32, s, x86_m(X_ESP, 4));
	x86_lea(b, s, x86_m(s, (int32_t)k));
	x86_mov_mr(b, 32, x86_m(X_ESP, 4), s);
	x86_pop_r(b, s);
}

/* Displacements: `mov r, [b + 0x12345678]` -> mov s, disp-k; lea s,
 * [s+k]; mov r, [b + s] (indexed: lea s, [b + s]; mov r, [s + i*n]).
 * s already pushed or dead. */
static void disp_to(x86_buf *b, x86_mem *m, int s, bool pushed)
{
	int32_t disp = m->disp;
	if (pushed && m->base == X_ESP)
		disp += 4;
	load(b, s, disp);
	if (m->index >= 0 && m->base >= 0) {
		b->blinding = true;
		x86_lea(b, s, x86_mx(m->base, s, 1, 0));
		b->blinding = false;
		*m = x86_mx(s, m->index, m->scale, 0);
	} else if (m->index >= 0) {
		*m = x86_mx(s, m->index, m->scale, 0);
	} else {
		*m = x86_mx(m->base, s, 1, 0);
	}
}

bool x86_blind_disp_open(x86_buf *b, x86_mem *m, int r1, int r2, x86_dblind *d)
{
	if (!x86_blind_dmem(b, *m))
		return false;
	uint8_t avail = (uint8_t)(b->blind_free & ~(b->wmask | b->cmask));
	static const int8_t pick[] = { X_ECX, X_EDX, X_EBX, X_ESI, X_EDI };
	int s = -1;
	for (unsigned i = 0; i < 2 && s < 0; i++) /* a dead ECX, EDX */
		if (avail & 1u << pick[i] && pick[i] != m->base && pick[i] != m->index &&
		    pick[i] != r1 && pick[i] != r2)
			s = pick[i];
	d->pushed = s < 0;
	for (unsigned i = 0; i < sizeof pick && s < 0; i++)
		if (pick[i] != m->base && pick[i] != m->index && pick[i] != r1 && pick[i] != r2)
			s = pick[i];
	if (d->pushed)
		x86_push_r(b, s);
	d->s = s;
	disp_to(b, m, s, d->pushed);
	return true;
}

void x86_blind_disp_close(x86_buf *b, const x86_dblind *d)
{
	close_s(b, d->s, d->pushed);
}

bool x86_blind_disp_into(x86_buf *b, x86_mem *m, int dst)
{
	if (!x86_blind_dmem(b, *m) || dst < 0 || dst == X_ESP || dst == X_EBP ||
	    dst == m->base || dst == m->index)
		return false;
	disp_to(b, m, dst, false);
	return true;
}

/* push [m]: push s; push s; mov s, [m] (ESP-based m moved by 8; the
 * load blinds its displacement); mov [esp+4], s; pop s.  A dead s:
 * mov s, [m]; push s. */
void x86_blind_push_m(x86_buf *b, x86_mem m)
{
	int f = free_s(b, m.base, m.index, X_NOREG);
	if (f >= 0) {
		x86_mov_rm(b, 32, f, m);
		x86_push_r(b, f);
		return;
	}
	int s = scratch(m.base, m.index, X_NOREG);
	x86_push_r(b, s);
	x86_push_r(b, s);
	if (m.base == X_ESP)
		m.disp += 8;
	x86_mov_rm(b, 32, s, m);
	x86_mov_mr(b, 32, x86_m(X_ESP, 4), s);
	x86_pop_r(b, s);
}

/* test [m], imm -> s <- imm blinded; test [m], s */
void x86_blind_test_mi(x86_buf *b, x86_mem m, int32_t imm)
{
	bool pushed;
	int s = open_s(b, m.base, m.index, X_NOREG, &m, &pushed);
	load(b, s, imm);
	x86_test_mr(b, m, s);
	close_s(b, s, pushed);
}

void x86_blind_lea(x86_buf *b, int dst, x86_mem m)
{
	uint32_t k = key(b);
	m.disp = (int32_t)((uint32_t)m.disp - k);
	b->blinding = true;
	x86_lea(b, dst, m);
	x86_lea(b, dst, x86_m(dst, (int32_t)k));
	b->blinding = false;
}
