/* libFuzzer target for the code verifier (microkernel/verify/).
 *
 * The input makes an image of up to 16 bundles, one of two ways (the
 * first byte's low bit): raw bytes, or "assembled" -- instruction forms
 * drawn from a table of legal and nearly legal ones (plain, NOP forms,
 * jumps and calls with chosen targets, masked pairs, dispatch calls, the
 * masked return, INT3 padding), laid out in bundles -- and in both cases
 * then overwritten at a few chosen offsets, so the fuzzer works near the
 * edge of what is accepted.
 *
 * Findings (abort): a crash, or an image the verifier accepts in which
 * Capstone, decoding from every bundle start on (every place the rules
 * let control reach: bundle starts and direct targets), finds
 *   - an instruction of another length than our decoder's, or one it
 *     cannot decode;
 *   - a forbidden instruction (int, syscall/sysenter, far transfers,
 *     iret, I/O, cli/sti/hlt, privileged, segment loads), or an INT3 that
 *     is not followed by padding to the bundle's end;
 *   - a ret; a jmp / call through a register not right after
 *     `and reg, -32` in the same bundle; one through memory other than
 *     [disp32] in the dispatch page, 4-aligned;
 *   - a call not ending at a bundle end;
 *   - a direct target in the image that Capstone's walk does not start
 *     an instruction at (or that is the jump of a masked pair), or outside
 *     the image and not an export;
 *   - an instruction that crosses a bundle boundary. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "lib/include/bareflow/abi.h"
#include "microkernel/verify/verify.h"
#include "microkernel/verify/x86dec.h"
#include "tests/kernel/unit/verify_cs.h"

#define BASE 0x60100000u
#define MAXB 16
static const uint32_t exports[] = { 0x60000100u, 0x60000240u, 0x60001000u };
static const struct verify_env env = { exports, 3, USER_DISPATCH_VA };
static csh cs;

struct in { const uint8_t *p; size_t n; };
static uint8_t take(struct in *in)
{
	if (!in->n)
		return 0;
	in->n--;
	return *in->p++;
}

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); p[2] = (uint8_t)(v >> 16); p[3] = (uint8_t)(v >> 24);
}

/* One form at *at (bundle-relative room checked by the caller). Returns its length. */
static uint32_t form(struct in *in, uint32_t at, uint32_t len, uint8_t *out)
{
	uint8_t k = take(in) % 24, r = take(in) & 7, x = take(in);
	uint32_t t;
	switch (k) {
	case 0: out[0] = (uint8_t)(0xB8 | r); put32(out + 1, x * 0x01010101u); return 5;
	case 1: out[0] = 0x01; out[1] = (uint8_t)(0xC0 | r << 3 | (x & 7)); return 2;
	case 2: out[0] = 0x8B; out[1] = (uint8_t)(0x44 | r << 3); out[2] = 0x24; out[3] = x; return 4;
	case 3: out[0] = (uint8_t)(0x50 | r); return 1;
	case 4: out[0] = (uint8_t)(0x58 | r); return 1;
	case 5: out[0] = 0x0F; out[1] = 0x31; return 2;
	case 6: out[0] = 0x0F; out[1] = (uint8_t)(0x40 | (x & 15)); out[2] = (uint8_t)(0xC0 | r); return 3;
	case 7: out[0] = 0x90; return 1;
	case 8: memcpy(out, "\x0F\x1F\x44\x00\x00", 5); return 5;
	case 9: out[0] = 0xCC; return 1;
	case 10: /* jmp rel8 to a chosen bundle start or byte */
		out[0] = 0xEB; t = (x & 1) ? (x & 0xE0) : x; out[1] = (uint8_t)(t - (at + 2)); return 2;
	case 11: case 12: /* jcc / jmp rel32 to a bundle start, a byte or an export */
		t = (x % 3 == 0) ? exports[x % 3] - BASE : (x % 3 == 1) ? (uint32_t)(r * 32) : (uint32_t)x % len;
		if (k == 11) { out[0] = 0x0F; out[1] = (uint8_t)(0x80 | (x & 15)); put32(out + 2, t - (at + 6)); return 6; }
		out[0] = 0xE9; put32(out + 1, t - (at + 5)); return 5;
	case 13: /* call rel32 */
		t = (x & 1) ? exports[x % 3] - BASE : (uint32_t)(r * 32);
		out[0] = 0xE8; put32(out + 1, t - (at + 5)); return 5;
	case 14: case 15: /* masked jmp / call */
		out[0] = 0x83; out[1] = (uint8_t)(0xE0 | r); out[2] = (x & 0x80) ? 0xE0 : x;
		out[3] = 0xFF; out[4] = (uint8_t)((k == 14 ? 0xE0 : 0xD0) | ((x & 0x40) ? (x & 7) : r)); return 5;
	case 16: /* dispatch call / jmp */
		out[0] = 0xFF; out[1] = (x & 1) ? 0x15 : 0x25;
		put32(out + 2, USER_DISPATCH_VA + ((x & 2) ? (uint32_t)x * 4 : (uint32_t)x * 17)); return 6;
	case 17: /* the masked return */
		out[0] = (uint8_t)(0x58 | r); out[1] = 0x83; out[2] = (uint8_t)(0xE0 | r); out[3] = 0xE0;
		out[4] = 0xFF; out[5] = (uint8_t)(0xE0 | r); return 6;
	case 18: out[0] = 0xC3; return 1;
	case 19: out[0] = 0xCD; out[1] = 0x80; return 2;
	case 20: out[0] = 0x0F; out[1] = 0xB6; out[2] = (uint8_t)(r << 3 | 0x06); return 3;
	case 21: out[0] = 0x66; out[1] = 0x0F; out[2] = 0x1F; out[3] = 0x84; out[4] = 0; put32(out + 5, 0); return 9;
	case 22: out[0] = 0xFF; out[1] = (uint8_t)(x & 0x3F | 0x20); return 2;
	default: out[0] = x; out[1] = take(in); out[2] = take(in); return 1 + (x & 1);
	}
}

static uint32_t assemble(struct in *in, uint8_t *img, uint32_t nb)
{
	uint32_t len = nb * 32;
	memset(img, 0xCC, len);
	for (uint32_t b = 0; b < nb && in->n; b++) {
		uint32_t at = b * 32;
		while (in->n) {
			uint8_t f[16];
			uint32_t n = form(in, at, len, f);
			uint32_t room = b * 32 + 32 - at;
			if (n > room)
				break;
			/* a call wants to end the bundle: pad with NOPs first */
			if ((f[0] == 0xE8 || (n == 5 && f[3] == 0xFF && (f[4] & 0xF8) == 0xD0) ||
			     (n == 6 && f[0] == 0xFF && f[1] == 0x15)) && (take(in) & 3)) {
				memset(img + at, 0x90, room - n);
				at += room - n;
			}
			memcpy(img + at, f, n);
			at += n;
			if (take(in) % 8 == 0)
				break;		/* the rest of the bundle: INT3 */
		}
	}
	return len;
}

static void finding(const char *what, uint32_t off, const uint8_t *img, uint32_t len)
{
	fprintf(stderr, "fuzz_verify: accepted, but %s at offset %u\n", what, off);
	for (uint32_t i = off & ~31u; i < len && i < (off & ~31u) + 64; i++)
		fprintf(stderr, "%02x%s", img[i], (i + 1) % 32 ? " " : "\n");
	abort();
}

/* The rules again, on Capstone's reading of an accepted image. */
static void recheck(const uint8_t *img, uint32_t len)
{
	static uint8_t start[MAXB * 32], pair_jump[MAXB * 32];
	memset(start, 0, len);
	memset(pair_jump, 0, len);
	cs_insn *ins = cs_malloc(cs);
	for (uint32_t b = 0; b < len; b += 32) {
		uint32_t at = b;
		int mask_reg = -1, pad = 0;
		while (at < b + 32) {
			const uint8_t *code = img + at;
			size_t size = len - at;
			uint64_t va = BASE + at;
			if (!cs_disasm_iter(cs, &code, &size, &va, ins))
				finding("Capstone cannot decode", at, img, len);
			struct vx_insn vx;
			if (x86_decode(img + at, len - at, &vx) != ins->size)
				finding("another length than Capstone's", at, img, len);
			if (at + ins->size > b + 32)
				finding("an instruction crosses a bundle", at, img, len);
			int cls, forb;
			vcs_decode(cs, img + at, (uint32_t)(len - at), BASE + at, &cls, &forb);
			if (cls == XC_INT3)
				pad = 1;
			else if (forb)
				finding("a forbidden instruction", at, img, len);
			else if (pad && cls != XC_NOP)
				finding("INT3 that is not padding", at, img, len);
			if (cls == XC_RET)
				finding("a ret", at, img, len);
			const cs_x86 *x = &ins->detail->x86;
			if (cls == XC_JMP_REG || cls == XC_CALL_REG) {
				if (x->operands[0].reg != mask_reg)
					finding("an unmasked indirect transfer", at, img, len);
				pair_jump[at] = 1;
			}
			if (cls == XC_JMP_MEM || cls == XC_CALL_MEM) {
				const x86_op_mem *m = &x->operands[0].mem;
				uint32_t d = (uint32_t)m->disp;
				if (m->base != X86_REG_INVALID || m->index != X86_REG_INVALID ||
				    m->segment != X86_REG_INVALID || d % 4 || d - USER_DISPATCH_VA >= 4096)
					finding("an indirect transfer through memory", at, img, len);
			}
			if ((cls == XC_CALL || cls == XC_CALL_REG || cls == XC_CALL_MEM) &&
			    (at + ins->size) % 32)
				finding("a call not ending a bundle", at, img, len);
			mask_reg = -1;
			if (ins->id == X86_INS_AND && x->op_count == 2 && x->operands[0].type == X86_OP_REG &&
			    x->operands[1].type == X86_OP_IMM && (uint32_t)x->operands[1].imm == 0xFFFFFFE0u &&
			    x->operands[0].size == 4)
				mask_reg = x->operands[0].reg;
			start[at] = 1;
			at += ins->size;
		}
	}
	/* direct targets */
	for (uint32_t at = 0; at < len; at++) {
		if (!start[at])
			continue;
		int cls, forb;
		vcs_decode(cs, img + at, (uint32_t)(len - at), BASE + at, &cls, &forb);
		if (cls != XC_JMP && cls != XC_JCC && cls != XC_CALL)
			continue;
		const uint8_t *code = img + at;
		size_t size = len - at;
		uint64_t va = BASE + at;
		cs_disasm_iter(cs, &code, &size, &va, ins);
		uint32_t t = (uint32_t)ins->detail->x86.operands[0].imm, off = t - BASE;
		if (off < len ? !start[off] || pair_jump[off] : !verify_is_ext(&env, t))
			finding("a direct target neither an instruction start nor an export", at, img, len);
	}
	cs_free(ins, 1);
}

static unsigned long images, accepted;
static void stats(void)
{
	fprintf(stderr, "fuzz_verify: %lu images verified, %lu accepted and rechecked with Capstone\n",
		images, accepted);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t img[MAXB * 32];
	if (!cs) {
		cs = vcs_open();
		atexit(stats);
	}
	images++;
	struct in in = { data, size };
	uint8_t mode = take(&in), nb = (uint8_t)(take(&in) % MAXB + 1);
	uint32_t len = nb * 32;
	if (mode & 1) {
		len = assemble(&in, img, nb);
	} else {
		memset(img, 0xCC, len);
		for (uint32_t i = 0; i < len && in.n; i++)
			img[i] = take(&in);
	}
	/* a few overwrites from the end of the input */
	for (uint8_t k = mode >> 5; k && in.n >= 2; k--) {
		uint8_t off = take(&in), v = take(&in);
		img[off % len] = v;
	}
	struct verify_result res;
	if (verify_code(img, len, BASE, &env, &res) == V_OK) {
		accepted++;
		recheck(img, len);
	}
	return 0;
}
