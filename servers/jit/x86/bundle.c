/* servers/jit/x86/bundle.c: the encoder's bundle layer
 * (x86_buf.bundle; docs/secure-jit.md).
 *
 * Every public function that emits an instruction opens it with INS (or
 * CALL_INS / JMP_INS, enc.h) and the cleanup attribute closes it on
 * every return path (ins_end).  Closing, in bundle mode: an instruction that
 * crosses a 32-byte boundary is moved to start at it, NOPs before it;
 * a call is moved to end at one.  Moving is exact for encodings that do
 * not depend on their own address; those that do (rel8/rel32 to a
 * label, fields whose offset is returned) pad first (ins_fit) so that
 * they never need to move. */
#include <string.h>
#include "servers/jit/x86/enc.h"
#include "servers/jit/jit.h" /* JIT_SBX_*: the test faults of x86_buf.faults */

/* A function of its own so a debugger can stop where it happens. */
__attribute__((noinline)) void x86_unsafe(x86_buf *b)
{
	b->unsafe = true;
}

/* n bytes of the SDM's recommended NOPs, as few as possible (the forms
 * the verifier accepts: 90, 66 90, 0F 1F /0 with 66 for 6 and 9). */
static void nops_plain(x86_buf *b, uint32_t n);

static void nops_(x86_buf *b, uint32_t n)
{
	if (n > 9 && n <= 32 - (b->len & 31) && b->len + 2 <= b->cap) {
		/* more than one NOP: jump over them instead (one instruction
		 * runs; the NOPs after it never do) */
		b->p[b->len++] = 0xeb;
		b->p[b->len++] = (uint8_t)(n - 2);
		uint32_t npad = b->npad + 1;
		nops_plain(b, n - 2);
		b->npad = npad;         /* only the jmp runs */
		return;
	}
	nops_plain(b, n);
}

static void nops_plain(x86_buf *b, uint32_t n)
{
	static const uint8_t nop[10][9] = {
		{ 0 }, { 0x90 }, { 0x66, 0x90 }, { 0x0f, 0x1f, 0x00 }, { 0x0f, 0x1f, 0x40, 0x00 },
		{ 0x0f, 0x1f, 0x44, 0x00, 0x00 }, { 0x66, 0x0f, 0x1f, 0x44, 0x00, 0x00 },
		{ 0x0f, 0x1f, 0x80, 0, 0, 0, 0 }, { 0x0f, 0x1f, 0x84, 0x00, 0, 0, 0, 0 },
		{ 0x66, 0x0f, 0x1f, 0x84, 0x00, 0, 0, 0, 0 },
	};
	while (n) {
		/* at most 9 bytes, and none across a bundle boundary */
		uint32_t k = n > 9 ? 9 : n, room = 32 - (b->len & 31);
		if (k > room)
			k = room;
		if (b->len + k > b->cap) {
			b->full = true;
			return;
		}
		memcpy(b->p + b->len, nop[k], k);
		b->len += k;
		b->npad++;
		n -= k;
	}
}

/* Padding from..to right after a block's label: the label moves past
 * it (jumps already patched to `from` run it, as a fall-through does). */
static void head_skip(x86_buf *b, uint32_t from, uint32_t to)
{
	if (b->head && b->head_pos == from && b->head->pos == (int32_t)from && to > from) {
		b->head->pos = (int32_t)to;
		b->head_pos = to;
	}
}

/* The code was taken back (a dry run, a second emission): what was
 * recorded of it is gone. */
static void taken_back(x86_buf *b)
{
	if (b->len < b->hi) {
		b->ngrow = b->ntrack = 0;
		b->still = b->len;
	}
	b->hi = b->len;
}

x86_buf *x86_ins_open(x86_buf *b, uint8_t kind)
{
	if (!b->ins_depth++) {
		b->ins = b->len;
		b->ins_kind = kind;
		b->npend = 0;
		taken_back(b);
	}
	return b;
}

void x86_still(x86_buf *b)
{
	b->still = b->len;
	b->ngrow = b->ntrack = 0;
}

void x86_track(x86_buf *b, uint32_t *off)
{
	if (!b->bundle)
		return;
	/* offsets before this bundle never move again (absorb grows
	 * only the bundle it pads) */
	uint32_t k = 0;
	for (uint32_t i = 0; i < b->ntrack; i++)
		if (*b->track[i] >= (b->len & ~31u))
			b->track[k++] = b->track[i];
	b->ntrack = (uint8_t)k;
	if (b->ntrack == 8)
		x86_still(b);
	else
		b->track[b->ntrack++] = off;
}

void x86_grows(x86_buf *b, uint32_t pos, uint32_t aux, uint8_t form)
{
	if (!b->bundle || !form || b->npend >= 2)
		return;
	b->pend[b->npend].pos = pos;
	b->pend[b->npend].aux = aux;
	b->pend[b->npend++].form = form;
}

/* [at, at + n) replaced by the m > n bytes of `with`; what follows moves
 * up, and the offsets recorded past `at` with it. */
static void splice(x86_buf *b, uint32_t at, uint32_t n, const uint8_t *with, uint32_t m)
{
	uint32_t g = m - n;
	memmove(b->p + at + m, b->p + at + n, b->len - at - n);
	memcpy(b->p + at, with, m);
	b->len += g;
	if (b->ins > at)
		b->ins += g;
	if (b->zf_len > at)
		b->zf_len += g;
	for (uint32_t i = 0; i < b->npend; i++) {
		if (b->pend[i].pos > at)
			b->pend[i].pos += g;
		if (b->pend[i].aux > at)
			b->pend[i].aux += g;
	}
	for (uint32_t i = 0; i < b->ntrack; i++)
		if (*b->track[i] > at)
			*b->track[i] += g;
	b->hi = b->len;
}

/* The growths a record offers: bit g set when it can grow by g bytes. */
static uint32_t growths(uint8_t form)
{
	bool sib = form & X_GROW_SIB;
	switch (form & ~X_GROW_SIB) {
	case X_GROW_D0: return 1u << 1 | 1u << 4 | (sib ? 1u << 2 | 1u << 5 : 0);
	case X_GROW_D8: return 1u << 3 | (sib ? 1u << 1 | 1u << 4 : 0);
	case X_GROW_D32: return sib ? 1u << 1 : 0;
	case X_GROW_IMM8: return 1u << 3;
	case X_GROW_SHORT: case X_GROW_ABS: return 1u << 1;
	default: return 0;
	}
}

/* The n low bytes of v, little-endian, at out. */
static void put_le(uint8_t *out, uint32_t v, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++)
		out[i] = (uint8_t)(v >> (8 * i));
}

/* A memory operand's ModRM, SIB and displacement grown by g bytes: a
 * wider displacement of the same value, and a SIB added (no index, the
 * same base) where the width alone cannot make up g. */
static void grow_mem(x86_buf *b, uint32_t at, uint32_t g)
{
	uint8_t *p = b->p, buf[8];
	uint8_t modrm = p[at], mod = modrm >> 6, rm = modrm & 7;
	uint32_t has_sib = rm == 4, od = mod == 1 ? 1 : mod == 2 ? 4 : 0;
	int32_t d = 0;
	if (od == 1)
		d = (int8_t)p[at + 1 + has_sib];
	else if (od == 4)
		for (uint32_t i = 0; i < 4; i++)
			d |= (int32_t)((uint32_t)p[at + 1 + has_sib + i] << (8 * i));
	/* displacements are 0, 1 or 4 bytes (growths() offers only sums
	 * that come out so, with the SIB byte where there is none yet) */
	uint32_t nd = od + g, add_sib = nd != 0 && nd != 1 && nd != 4;
	nd -= add_sib;
	uint32_t m = 0;
	buf[m++] = (uint8_t)((nd == 0 ? 0x00 : nd == 1 ? 0x40 : 0x80) | (modrm & 0x38) | (add_sib ? 4 : rm));
	if (has_sib)
		buf[m++] = p[at + 1];
	else if (add_sib)
		buf[m++] = (uint8_t)(4 << 3 | rm);       /* no index, base rm */
	put_le(buf + m, (uint32_t)d, nd);
	splice(b, at, 1 + has_sib + od, buf, m + nd);
}

/* Record r grown by g bytes (one of growths(r->form)). */
static void grow(x86_buf *b, const struct x86_grow *r, uint32_t g)
{
	uint8_t *p = b->p, buf[4];
	uint32_t at = r->pos;
	switch (r->form & ~X_GROW_SIB) {
	case X_GROW_IMM8: { /* 83 /x ib -> 81 /x id, 6B -> 69 */
		p[r->aux] = p[r->aux] == 0x6b ? 0x69 : 0x81;
		put_le(buf, (uint32_t)(int32_t)(int8_t)p[at], 4);
		splice(b, at, 1, buf, 4);
		return;
	}
	case X_GROW_SHORT: { /* inc, dec, push, pop, mov r32, imm32: their ModRM forms */
		uint8_t op = p[at], reg = op & 7, row = op & 0xf8;
		buf[0] = row == 0x58 ? 0x8f : row == 0xb8 ? 0xc7 : 0xff;
		buf[1] = (uint8_t)(0xc0 | (row == 0x48 ? 1 : row == 0x50 ? 6 : 0) << 3 | reg);
		splice(b, at, 1, buf, 2);
		return;
	}
	case X_GROW_ABS: /* [disp32]: ModRM rm 100, SIB no base, no index */
		buf[0] = (uint8_t)((p[at] & 0x38) | 4);
		buf[1] = 0x25;
		splice(b, at, 1, buf, 2);
		return;
	default:
		grow_mem(b, at, g);
	}
}

/* Instead of `pad` bytes of NOPs at `at` (where an instruction that
 * would cross the boundary goes, or one that must fit starts): the
 * instructions recorded in this bundle grow by `pad` bytes in all,
 * when some choice of their growths adds up exactly.  Every instruction
 * before `at` in the bundle still ends in it; nothing runs that did not.
 * False: pad with NOPs. */
static bool absorb(x86_buf *b, uint32_t at, uint32_t pad)
{
	uint32_t lo = at & ~31u, n = 0, idx[8], reach[9];
	/* the bundle's instructions must still end in it (a call's padding
	 * may reach into the next bundle: NOPs there) */
	if (!pad || (at & 31) + pad > 32 || b->len + pad > b->cap)
		return false;
	for (uint32_t i = 0; i < b->ngrow; i++)
		if (b->grow[i].pos >= lo && b->grow[i].pos >= b->still && b->grow[i].pos < at)
			idx[n++] = i;
	/* reach[k]: the sums the first k records can make (bit s) */
	uint32_t mask = (2u << pad) - 1;
	reach[0] = 1;
	for (uint32_t k = 0; k < n; k++) {
		uint32_t r = reach[k], gs = growths(b->grow[idx[k]].form), next = r;
		for (uint32_t g = 1; g <= 5; g++)
			if (gs >> g & 1)
				next |= r << g;
		reach[k + 1] = next & mask;
	}
	if (!(reach[n] >> pad & 1))
		return false;
	/* the last first: the offsets of those before stay put */
	for (uint32_t k = n, rem = pad; k-- > 0;) {
		uint32_t gs = growths(b->grow[idx[k]].form) | 1;
		for (uint32_t g = 6; g-- > 0;)
			if ((gs >> g & 1) && g <= rem && (reach[k] >> (rem - g) & 1)) {
				if (g)
					grow(b, &b->grow[idx[k]], g);
				rem -= g;
				break;
			}
	}
	b->ngrow = 0;
	b->nabsorbed++;
	return true;
}

/* The instruction just closed: what may grow of it joins the bundle's
 * records when it is plain; after a jump, a call or an instruction
 * whose offsets were handed out, nothing before moves. */
static void ins_record(x86_buf *b, uint8_t kind)
{
	if ((kind & 3) != INS_PLAIN || (kind & INS_FIXED)) {
		x86_still(b);
		return;
	}
	for (uint32_t i = 0; i < b->npend; i++) {
		if (b->ngrow == 8) {
			memmove(b->grow, b->grow + 1, 7 * sizeof b->grow[0]);
			b->ngrow = 7;
		}
		b->grow[b->ngrow++] = b->pend[i];
	}
	b->npend = 0;
}

static void ins_end(x86_buf *b)
{
	if (--b->ins_depth || !b->bundle)
		return;
	b->hi = b->len;
	uint32_t s = b->ins, e = b->len, pad = 0;
	uint8_t kind = b->ins_kind;
	b->after_jump = (kind & 3) == INS_JUMP;
	if (e <= s || b->full)
		return;
	if ((kind & 3) == INS_CALL && !(b->faults & JIT_SBX_CALL))
		pad = (32 - (e & 31)) & 31;     /* end at a boundary */
	else if (s >> 5 != (e - 1) >> 5 && !(b->faults & JIT_SBX_BUNDLE))
		pad = 32 - (s & 31);            /* start at the boundary */
	if (!pad) {
		ins_record(b, kind);
		return;
	}
	if ((kind & INS_FIXED) || e - s > 32) {
		x86_unsafe(b);               /* ins_fit got it wrong */
		return;
	}
	if (e + pad > b->cap) {
		b->full = true;
		return;
	}
	if ((kind & 3) != INS_CALL && absorb(b, s, pad)) {
		ins_record(b, kind);
		return;
	}
	memmove(b->p + s + pad, b->p + s, e - s);
	b->len = s;
	nops_(b, pad);
	b->len = e + pad;
	for (uint32_t i = 0; i < b->npend; i++) {
		b->pend[i].pos += pad;
		if (b->pend[i].aux)
			b->pend[i].aux += pad;
	}
	if ((kind & 3) != INS_CALL)
		head_skip(b, s, s + pad);
	if (b->zf_len == e)
		b->zf_len = b->len;
	ins_record(b, kind);
}

void x86_ins_close(x86_buf **bp) { ins_end(*bp); }

void x86_ins_fit(x86_buf *b, uint32_t n, bool call)
{
	uint32_t at = b->len & 31;
	if (!b->bundle || (b->faults & (call ? JIT_SBX_CALL : JIT_SBX_BUNDLE)))
		return;
	uint32_t from = b->len, pad = call ? (64 - at - n) & 31 : at + n > 32 ? 32 - at : 0;
	if (!b->ins_depth)
		taken_back(b);
	if (pad && !b->ins_depth && absorb(b, from, pad))
		return;
	nops_(b, pad);
	if (!call)
		head_skip(b, from, b->len);
}

void x86_nops(x86_buf *b, uint32_t n)
{
	INS(b);
	nops_(b, n);
}

void x86_align_bundle(x86_buf *b)
{
	uint32_t n = (32 - (b->len & 31)) & 31;
	if (!b->bundle || !n)
		return;
	if (b->after_jump) {
		x86_int3_to_bundle(b);
		return;
	}
	while (n) { /* one NOP at a time, none crossing */
		uint32_t k = n > 9 ? 9 : n;
		x86_nops(b, k);
		n -= k;
	}
}

void x86_int3_to_bundle(x86_buf *b)
{
	bool aj = b->after_jump;
	while (b->len & 31 && !b->full)
		x86_int3(b);
	b->after_jump = aj;
}

void x86_raw_begin(x86_buf *b) { x86_ins_open(b, INS_PLAIN); }
void x86_raw_end(x86_buf *b) { ins_end(b); }

void x86_ins_begin(x86_buf *b) { x86_ins_open(b, INS_PLAIN); }
void x86_ins_end(x86_buf *b) { ins_end(b); }
