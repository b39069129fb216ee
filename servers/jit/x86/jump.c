/* servers/jit/x86/jump.c: control transfers of the x86-32 encoder --
 * calls, jumps and returns (masked in bundle mode: docs/secure-jit.md),
 * labels, and the rel8/rel32 choice for forward jumps (x86_fwd). */
#include "servers/jit/x86/enc.h"
#include "servers/jit/jit.h" /* JIT_SBX_*: the test faults of x86_buf.faults */

static uint32_t get32(x86_buf *b, uint32_t at)
{
	if (at + 4 > b->len)
		return 0xffffffffu;
	return (uint32_t)b->p[at] | (uint32_t)b->p[at + 1] << 8 |
	       (uint32_t)b->p[at + 2] << 16 | (uint32_t)b->p[at + 3] << 24;
}

/* and r, -32: the target of an indirect call or jump to a bundle's
 * start (the sandbox's masked forms). */
static void mask_target(x86_buf *b, int r)
{
	x86_wrote(b, 32, r);
	x86_u8(b, 0x83);
	x86_modrm_reg(b, X_AND, r);
	x86_u8(b, 0xe0);
}

uint32_t x86_call_rel32(x86_buf *b)
{
	x86_ins_fit(b, 5, true);
	INS_AS(b, INS_CALL | INS_FIXED);
	b->cmask |= 1u << X_EAX | 1u << X_ECX | 1u << X_EDX;
	b->eax_gen++;
	x86_u8(b, 0xe8);
	uint32_t at = b->len;
	x86_u32(b, 0);
	return at;
}

uint32_t x86_jmp_rel32(x86_buf *b)
{
	x86_ins_fit(b, 5, false);
	INS_AS(b, INS_JUMP | INS_FIXED);
	x86_u8(b, 0xe9);
	uint32_t at = b->len;
	x86_u32(b, 0);
	return at;
}

void x86_call_r(x86_buf *b, int r)
{
	CALL_INS(b);
	if (b->bundle && !(b->faults & JIT_SBX_MASK)) /* and r, -32: the masked call */
		mask_target(b, r);
	b->cmask |= 1u << X_EAX | 1u << X_ECX | 1u << X_EDX;
	b->eax_gen++;
	x86_u8(b, 0xff);
	x86_modrm_reg(b, 2, r);
}

void x86_call_m(x86_buf *b, x86_mem m)
{
	CALL_INS(b);
	if (b->bundle && (m.base >= 0 || m.index >= 0) && !(b->faults & JIT_SBX_MEM))
		x86_unsafe(b); /* only [disp32]: the dispatch table */
	b->cmask |= 1u << X_EAX | 1u << X_ECX | 1u << X_EDX;
	b->eax_gen++;
	x86_u8(b, 0xff);
	x86_modrm_mem(b, 2, m, 4);
}

void x86_jmp_r(x86_buf *b, int r)
{
	JMP_INS(b);
	if (b->bundle && !(b->faults & JIT_SBX_MASK)) /* and r, -32: the masked jump */
		mask_target(b, r);
	x86_u8(b, 0xff);
	x86_modrm_reg(b, 4, r);
}

void x86_jmp_m(x86_buf *b, x86_mem m)
{
	JMP_INS(b);
	if (b->bundle && (m.base >= 0 || m.index >= 0))
		x86_unsafe(b); /* only [disp32]: the dispatch table */
	x86_u8(b, 0xff);
	x86_modrm_mem(b, 4, m, 4);
}

void x86_label_init(x86_label *l)
{
	l->pos = -1;
	l->chain = -1;
	l->near = -1;
}

/* The number of the jump at field `at` (bsearch: fields increase). */
static int32_t fwd_find(const x86_fwd *f, int32_t at)
{
	uint32_t lo = 0, hi = f->n < f->cap ? f->n : f->cap;
	while (lo < hi) {
		uint32_t mid = (lo + hi) / 2;
		if (f->at[mid] < at)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < f->cap && lo < f->n && f->at[lo] == at ? (int32_t)lo : -1;
}

void x86_bind(x86_buf *b, x86_label *l)
{
	b->after_jump = false; /* reached from elsewhere: no INT3 padding here */
	b->zf_reg = -1; /* a jump target: flags from elsewhere */
	b->eax_gen++;   /* ... and EAX */
	l->pos = (int32_t)b->len;
	x86_still(b);   /* code before a label never moves */
	int32_t at = l->chain;
	x86_fwd *f = b->fwd;
	while (at >= 0 && !b->full) {
		int32_t next = (int32_t)get32(b, (uint32_t)at);
		x86_patch32(b, (uint32_t)at, (uint32_t)(l->pos - (at + 4)));
		int32_t i = f ? fwd_find(f, at) : -1;
		if (i >= 0)
			f->dist[i] = l->pos - (at + 4);
		at = next;
	}
	l->chain = -1;
	for (int32_t i = l->near; i >= 0 && f && !b->full; i = f->next[i]) {
		int32_t d = l->pos - (f->at[i] + 1);
		if (x86_is_i8(d))
			b->p[f->at[i]] = (uint8_t)d;
		else
			f->fail = true;
		f->dist[i] = d;
	}
	l->near = -1;
}

void x86_bind_head(x86_buf *b, x86_label *l)
{
	x86_bind(b, l);
	b->head = l;
	b->head_pos = b->len;
}

/* Emits the rel32 of a jump to l, chaining it if l is not bound yet. */
static void rel32_to(x86_buf *b, x86_label *l)
{
	if (l->pos >= 0) {
		x86_u32(b, (uint32_t)(l->pos - (int32_t)(b->len + 4)));
	} else {
		int32_t at = (int32_t)b->len;
		x86_u32(b, (uint32_t)l->chain);
		if (!b->full)
			l->chain = at;
	}
}

/* A forward jump to l predicted near (x86_fwd)? */
static bool fwd_near(const x86_buf *b, const x86_label *l)
{
	const x86_fwd *f = b->fwd;
	return l->pos < 0 && f && f->near && f->n < f->cap && f->near[f->n];
}

/* The length of a jump to l from here: rel8 when bound and near, or
 * forward and predicted near. */
static uint32_t jump_len(const x86_buf *b, const x86_label *l, uint32_t far)
{
	return (l->pos >= 0 && x86_is_i8(l->pos - (int32_t)(b->len + 2))) || fwd_near(b, l) ? 2 : far;
}

/* After a jump's opcode: its displacement to l, rel8 when short (near
 * backward, or forward predicted near), numbering forward jumps. */
static void jump_disp(x86_buf *b, x86_label *l, bool short_)
{
	x86_fwd *f = b->fwd;
	if (l->pos >= 0) {
		if (short_)
			x86_u8(b, (uint8_t)(l->pos - (int32_t)(b->len + 1)));
		else
			rel32_to(b, l);
		return;
	}
	uint32_t i = f ? f->n++ : 0;
	if (f && i < f->cap) {
		f->at[i] = (int32_t)b->len;
		f->dist[i] = INT32_MAX;
	}
	if (short_) {           /* fwd_near: i < cap */
		f->next[i] = l->near;
		if (!b->full)
			l->near = (int32_t)i;
		x86_u8(b, 0);
		return;
	}
	rel32_to(b, l);
}

void x86_jmp(x86_buf *b, x86_label *l)
{
	x86_ins_fit(b, jump_len(b, l, 5), false);
	INS_AS(b, INS_JUMP | INS_FIXED);
	bool short_ = jump_len(b, l, 5) == 2;
	x86_u8(b, short_ ? 0xeb : 0xe9);
	jump_disp(b, l, short_);
}

void x86_jcc(x86_buf *b, int cc, x86_label *l)
{
	x86_ins_fit(b, jump_len(b, l, 6), false);
	INS_AS(b, INS_PLAIN | INS_FIXED);
	bool short_ = jump_len(b, l, 6) == 2;
	if (short_)
		x86_u8(b, (uint8_t)(0x70 + cc));
	else
		x86_opcode_0f(b, (uint8_t)(0x80 + cc));
	jump_disp(b, l, short_);
}

/* The masked return, in bundle mode: pop ecx; [add esp, n;] and ecx,
 * -32; jmp ecx, in one bundle.  ECX is free at every return (cdecl:
 * the value is in EAX or EDX:EAX) and not marked written: nothing lives
 * after a return. */
static void masked_ret(x86_buf *b, uint16_t n)
{
	x86_u8(b, 0x59);
	if (n) {
		x86_u8(b, 0x83);
		x86_u8(b, 0xc4);
		x86_u8(b, (uint8_t)n);
	}
	x86_u8(b, 0x83);
	x86_u8(b, 0xe1);
	x86_u8(b, 0xe0);
	x86_u8(b, 0xff);
	x86_u8(b, 0xe1);
}

void x86_ret(x86_buf *b)
{
	JMP_INS(b);
	if (b->bundle && !(b->faults & JIT_SBX_RET))
		masked_ret(b, 0);
	else
		x86_u8(b, 0xc3);
}

void x86_ret_i(x86_buf *b, uint16_t n)
{
	JMP_INS(b);
	if (b->bundle && n < 128 && !(b->faults & JIT_SBX_RET)) {
		masked_ret(b, n);
		return;
	}
	if (b->bundle && !(b->faults & JIT_SBX_RET))
		x86_unsafe(b);
	x86_u8(b, 0xc2);
	x86_u16(b, n);
}
