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

x86_buf *x86_ins_open(x86_buf *b, uint8_t kind)
{
	if (!b->ins_depth++) {
		b->ins = b->len;
		b->ins_kind = kind;
	}
	return b;
}

static void ins_end(x86_buf *b)
{
	if (--b->ins_depth || !b->bundle)
		return;
	uint32_t s = b->ins, e = b->len, pad = 0;
	uint8_t kind = b->ins_kind;
	b->after_jump = (kind & 3) == INS_JUMP;
	if (e <= s || b->full)
		return;
	if ((kind & 3) == INS_CALL && !(b->faults & JIT_SBX_CALL))
		pad = (32 - (e & 31)) & 31;     /* end at a boundary */
	else if (s >> 5 != (e - 1) >> 5 && !(b->faults & JIT_SBX_BUNDLE))
		pad = 32 - (s & 31);            /* start at the boundary */
	if (!pad)
		return;
	if ((kind & INS_FIXED) || e - s > 32) {
		x86_unsafe(b);               /* ins_fit got it wrong */
		return;
	}
	if (e + pad > b->cap) {
		b->full = true;
		return;
	}
	memmove(b->p + s + pad, b->p + s, e - s);
	b->len = s;
	nops_(b, pad);
	b->len = e + pad;
	if ((kind & 3) != INS_CALL)
		head_skip(b, s, s + pad);
	if (b->zf_len == e)
		b->zf_len = b->len;
}

void x86_ins_close(x86_buf **bp) { ins_end(*bp); }

void x86_ins_fit(x86_buf *b, uint32_t n, bool call)
{
	uint32_t at = b->len & 31;
	if (!b->bundle || (b->faults & (call ? JIT_SBX_CALL : JIT_SBX_BUNDLE)))
		return;
	uint32_t from = b->len;
	if (call)
		nops_(b, (64 - at - n) & 31);
	else if (at + n > 32)
		nops_(b, 32 - at);
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
