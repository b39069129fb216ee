/* The verifier's x86-32 decoder (see x86dec.h): table-driven, one entry
 * per opcode of the 1-byte and 0F maps, a short list for the prefixed and
 * 0F38 / 0F3A forms, and the ModRM groups decoded by /digit.  Everything
 * not listed is XC_BAD.  Portable. */
#include "microkernel/verify/x86dec.h"

/* Operand shape of an opcode. */
enum {
	M   = 0x001,	/* ModRM (+ SIB + displacement) follows */
	I8  = 0x002,	/* imm8 */
	IZ  = 0x004,	/* imm32, imm16 with 66 */
	I16 = 0x008,	/* imm16 */
	R8  = 0x010,	/* rel8 */
	R32 = 0x020,	/* rel32 */
	MO  = 0x040,	/* moffs32 */
	MEM = 0x080,	/* ModRM must name memory */
	OS  = 0x100,	/* a 66 (operand size) prefix is allowed */
	RP3 = 0x200,	/* F3 (rep) is allowed: movs, stos, lods */
	RP2 = 0x400,	/* F2 or F3 allowed: cmps, scas */
	GRP = 0x800,	/* the /digit decides: see group() */
};

struct op {
	uint16_t f;
	uint8_t cls;	/* enum x86_class; 0 = not an instruction we know */
	uint8_t why;	/* XC_FORBID: enum x86_forbid */
};

#define P(f)	{ (f), XC_PLAIN, 0 }
#define FB(f, w) { (f), XC_FORBID, (w) }
#define ALU(b)	[b] = P(M), [b + 1] = P(M | OS), [b + 2] = P(M), [b + 3] = P(M | OS), \
		[b + 4] = P(I8), [b + 5] = P(IZ | OS)

static const struct op map1[256] = {
	ALU(0x00), ALU(0x08), ALU(0x10), ALU(0x18), ALU(0x20), ALU(0x28), ALU(0x30), ALU(0x38),
	[0x07] = FB(0, XF_SEG), [0x17] = FB(0, XF_SEG), [0x1F] = FB(0, XF_SEG),	/* pop es/ss/ds */
	[0x40 ... 0x4F] = P(OS),		/* inc, dec r32 */
	[0x50 ... 0x5F] = P(0),			/* push, pop r32 */
	[0x60] = P(0), [0x61] = P(0),		/* pusha, popa */
	[0x68] = P(IZ), [0x69] = P(M | IZ | OS), [0x6A] = P(I8), [0x6B] = P(M | I8 | OS),
	[0x6C ... 0x6F] = FB(0, XF_IO),		/* ins, outs */
	[0x70 ... 0x7F] = { R8, XC_JCC, 0 },
	[0x80] = P(GRP | M | I8), [0x81] = P(GRP | M | IZ | OS), [0x83] = P(GRP | M | I8 | OS),
	[0x84] = P(M), [0x85] = P(M | OS), [0x86] = P(M), [0x87] = P(M | OS),
	[0x88] = P(M), [0x89] = P(M | OS), [0x8A] = P(M), [0x8B] = P(M | OS),
	[0x8D] = P(M | MEM | OS),		/* lea */
	[0x8E] = FB(M, XF_SEG),			/* mov sreg, r/m */
	[0x8F] = P(GRP | M),			/* pop r/m (/0) */
	[0x90] = { OS, XC_NOP, 0 },
	[0x91 ... 0x97] = P(OS),		/* xchg eax, r */
	[0x98] = P(OS), [0x99] = P(OS),		/* cwde, cdq */
	[0x9A] = FB(0, XF_FAR),			/* call far ptr16:32 */
	[0x9E] = P(0), [0x9F] = P(0),		/* sahf, lahf */
	[0xA0] = P(MO), [0xA1] = P(MO | OS), [0xA2] = P(MO), [0xA3] = P(MO | OS),
	[0xA4] = P(RP3), [0xA5] = P(RP3 | OS), [0xA6] = P(RP2), [0xA7] = P(RP2 | OS),
	[0xA8] = P(I8), [0xA9] = P(IZ | OS),
	[0xAA] = P(RP3), [0xAB] = P(RP3 | OS), [0xAC] = P(RP3), [0xAD] = P(RP3 | OS),
	[0xAE] = P(RP2), [0xAF] = P(RP2 | OS),
	[0xB0 ... 0xB7] = P(I8), [0xB8 ... 0xBF] = P(IZ | OS),
	[0xC0] = P(GRP | M | I8), [0xC1] = P(GRP | M | I8 | OS),
	[0xC2] = { I16, XC_RET, 0 }, [0xC3] = { 0, XC_RET, 0 },
	[0xC4] = P(GRP | M), [0xC5] = P(GRP | M),	/* les, lds (VEX when mod = 3) */
	[0xC6] = P(GRP | M | I8), [0xC7] = P(GRP | M | IZ | OS),
	[0xC9] = P(0),				/* leave */
	[0xCA] = FB(I16, XF_FAR), [0xCB] = FB(0, XF_FAR),
	[0xCC] = { 0, XC_INT3, 0 },
	[0xCD] = FB(I8, XF_INT), [0xCE] = FB(0, XF_INT), [0xCF] = FB(0, XF_IRET),
	[0xD0] = P(GRP | M), [0xD1] = P(GRP | M | OS), [0xD2] = P(GRP | M), [0xD3] = P(GRP | M | OS),
	/* x87: only fld / fstp m32 (D9) and m64 (DD) and fstp st(i) -- the
	 * i386 ABI returns floats in ST0, the JIT moves them through memory
	 * (servers/jit/x86/sse.h); see group() */
	[0xD9] = P(GRP | M), [0xDD] = P(GRP | M),
	[0xE4 ... 0xE7] = FB(I8, XF_IO),
	[0xE8] = { R32, XC_CALL, 0 }, [0xE9] = { R32, XC_JMP, 0 },
	[0xEA] = FB(0, XF_FAR), [0xEB] = { R8, XC_JMP, 0 },
	[0xEC ... 0xEF] = FB(0, XF_IO),
	[0xF1] = FB(0, XF_INT),			/* int1 */
	[0xF4] = FB(0, XF_IF_HLT), [0xF5] = P(0),
	[0xF6] = P(GRP | M), [0xF7] = P(GRP | M | OS),
	[0xF8] = P(0), [0xF9] = P(0), [0xFA] = FB(0, XF_IF_HLT), [0xFB] = FB(0, XF_IF_HLT),
	[0xFC] = P(0), [0xFD] = P(0),
	[0xFE] = P(GRP | M), [0xFF] = P(GRP | M | OS),
};

/* The 0F map without a mandatory prefix. */
static const struct op map0f[256] = {
	[0x00 ... 0x03] = FB(M, XF_SYSTEM),	/* sldt.., sgdt.., lar, lsl */
	[0x05] = FB(0, XF_SYSCALL), [0x06] = FB(0, XF_SYSTEM), [0x07] = FB(0, XF_SYSCALL),
	[0x08] = FB(0, XF_SYSTEM), [0x09] = FB(0, XF_SYSTEM),	/* invd, wbinvd */
	[0x0B] = P(0),				/* ud2: a deliberate #UD */
	/* SSE without a prefix: movaps, ucomiss, unpcklps, andps, andnps,
	 * orps, xorps (the JIT's float code, servers/jit/x86/sse.h) */
	[0x14] = P(M), [0x28] = P(M), [0x2E] = P(M), [0x54 ... 0x57] = P(M),
	[0x1F] = { GRP | M | MEM | OS, XC_NOP, 0 },	/* nop m (/0) */
	[0x20 ... 0x23] = FB(M, XF_SYSTEM),	/* mov CR / DR */
	[0x30] = FB(0, XF_SYSTEM), [0x31] = P(0),	/* wrmsr; rdtsc */
	[0x32] = FB(0, XF_SYSTEM), [0x33] = FB(0, XF_SYSTEM),	/* rdmsr, rdpmc */
	[0x34] = FB(0, XF_SYSCALL), [0x35] = FB(0, XF_SYSCALL),	/* sysenter, sysexit */
	[0x37] = FB(0, XF_SYSTEM),		/* getsec */
	[0x40 ... 0x4F] = P(M | OS),		/* cmovcc */
	[0x78] = FB(M, XF_SYSTEM), [0x79] = FB(M, XF_SYSTEM),	/* vmread, vmwrite */
	[0x80 ... 0x8F] = { R32, XC_JCC, 0 },
	[0x90 ... 0x9F] = P(M),			/* setcc */
	[0xA1] = FB(0, XF_SEG),			/* pop fs */
	[0xA3] = P(M | OS), [0xA4] = P(M | I8 | OS), [0xA5] = P(M | OS),	/* bt, shld */
	[0xA9] = FB(0, XF_SEG), [0xAA] = FB(0, XF_SYSTEM),	/* pop gs, rsm */
	[0xAB] = P(M | OS), [0xAC] = P(M | I8 | OS), [0xAD] = P(M | OS),	/* bts, shrd */
	[0xAF] = P(M | OS),			/* imul r, r/m */
	[0xB0] = P(M), [0xB1] = P(M | OS),	/* cmpxchg */
	[0xB2] = FB(M, XF_SEG), [0xB3] = P(M | OS), [0xB4] = FB(M, XF_SEG), [0xB5] = FB(M, XF_SEG),
	[0xB6] = P(M | OS), [0xB7] = P(M | OS),	/* movzx */
	[0xBA] = P(GRP | M | I8 | OS),		/* bt/bts/btr/btc r/m, imm8 (/4../7) */
	[0xBB] = P(M | OS), [0xBC] = P(M | OS), [0xBD] = P(M | OS),	/* btc, bsf, bsr */
	[0xBE] = P(M | OS), [0xBF] = P(M | OS),	/* movsx */
	[0xC0] = P(M), [0xC1] = P(M | OS),	/* xadd */
	[0xC8 ... 0xCF] = P(0),			/* bswap */
};

/* Forms with a mandatory prefix, and the 0F38 / 0F3A maps. */
enum { MAP_0F = 1, MAP_0F38, MAP_0F3A };
enum { PF_NONE, PF_66, PF_F3, PF_F2 };
static const struct pop {
	uint8_t map, pfx, op;
	struct op e;
} prefixed[] = {
	{ MAP_0F, PF_F3, 0xB8, P(M) },	/* popcnt */
	{ MAP_0F, PF_F3, 0xBC, P(M) },	/* tzcnt */
	{ MAP_0F, PF_F3, 0xBD, P(M) },	/* lzcnt */
	{ MAP_0F, PF_F3, 0x6F, P(M) },		/* movdqu xmm, m */
	{ MAP_0F, PF_F3, 0x7F, P(M) },		/* movdqu m, xmm */
	{ MAP_0F, PF_F3, 0x7E, P(M) },		/* movq xmm, xmm/m64 */
	{ MAP_0F, PF_66, 0x6E, P(M) },		/* movd xmm, r/m32 */
	{ MAP_0F, PF_66, 0x7E, P(M) },		/* movd r/m32, xmm */
	{ MAP_0F, PF_66, 0x6F, P(M) },		/* movdqa */
	{ MAP_0F, PF_66, 0x7F, P(M) },
	{ MAP_0F, PF_66, 0xD6, P(M) },		/* movq xmm/m64, xmm */
	{ MAP_0F, PF_66, 0x62, P(M) },		/* punpckldq */
	{ MAP_0F, PF_66, 0x70, P(M | I8) },	/* pshufd */
	{ MAP_0F, PF_66, 0xD4, P(M) },		/* paddq */
	{ MAP_0F, PF_66, 0xDB, P(M) },		/* pand */
	{ MAP_0F, PF_66, 0xEB, P(M) },		/* por */
	{ MAP_0F, PF_66, 0xEF, P(M) },		/* pxor */
	{ MAP_0F, PF_66, 0xFA, P(M) },		/* psubd */
	{ MAP_0F, PF_66, 0xFE, P(M) },		/* paddd */
	/* SSE2 scalar float / double (servers/jit/x86/sse.h) */
	{ MAP_0F, PF_F3, 0x10, P(M) }, { MAP_0F, PF_F2, 0x10, P(M) },	/* movss, movsd xmm, xmm/m */
	{ MAP_0F, PF_F3, 0x11, P(M) }, { MAP_0F, PF_F2, 0x11, P(M) },	/* movss, movsd m, xmm */
	{ MAP_0F, PF_F3, 0x2A, P(M) }, { MAP_0F, PF_F2, 0x2A, P(M) },	/* cvtsi2ss/sd */
	{ MAP_0F, PF_F3, 0x2C, P(M) }, { MAP_0F, PF_F2, 0x2C, P(M) },	/* cvttss/sd2si */
	{ MAP_0F, PF_F3, 0x2D, P(M) }, { MAP_0F, PF_F2, 0x2D, P(M) },	/* cvtss/sd2si */
	{ MAP_0F, PF_F3, 0x51, P(M) }, { MAP_0F, PF_F2, 0x51, P(M) },	/* sqrt */
	{ MAP_0F, PF_F3, 0x58, P(M) }, { MAP_0F, PF_F2, 0x58, P(M) },	/* add */
	{ MAP_0F, PF_F3, 0x59, P(M) }, { MAP_0F, PF_F2, 0x59, P(M) },	/* mul */
	{ MAP_0F, PF_F3, 0x5A, P(M) }, { MAP_0F, PF_F2, 0x5A, P(M) },	/* cvtss2sd, cvtsd2ss */
	{ MAP_0F, PF_F3, 0x5C, P(M) }, { MAP_0F, PF_F2, 0x5C, P(M) },	/* sub */
	{ MAP_0F, PF_F3, 0x5D, P(M) }, { MAP_0F, PF_F2, 0x5D, P(M) },	/* min */
	{ MAP_0F, PF_F3, 0x5E, P(M) }, { MAP_0F, PF_F2, 0x5E, P(M) },	/* div */
	{ MAP_0F, PF_F3, 0x5F, P(M) }, { MAP_0F, PF_F2, 0x5F, P(M) },	/* max */
	{ MAP_0F, PF_F3, 0xC2, P(M | I8) }, { MAP_0F, PF_F2, 0xC2, P(M | I8) },	/* cmpss/sd */
	{ MAP_0F, PF_66, 0x2E, P(M) },		/* ucomisd */
	{ MAP_0F, PF_66, 0x54, P(M) }, { MAP_0F, PF_66, 0x55, P(M) },	/* andpd, andnpd */
	{ MAP_0F, PF_66, 0x56, P(M) }, { MAP_0F, PF_66, 0x57, P(M) },	/* orpd, xorpd */
	{ MAP_0F, PF_66, 0x73, P(GRP | M | I8) },	/* psrlq /2, psllq /6 xmm, imm8 */
	{ MAP_0F38, PF_NONE, 0xF0, P(M | MEM | OS) },	/* movbe r, m */
	{ MAP_0F38, PF_NONE, 0xF1, P(M | MEM | OS) },	/* movbe m, r */
	{ MAP_0F38, PF_66, 0x00, P(M) },	/* pshufb */
	{ MAP_0F38, PF_66, 0x40, P(M) },	/* pmulld */
	{ MAP_0F38, PF_F2, 0xF0, P(M) },	/* crc32 r32, r/m8 */
	{ MAP_0F38, PF_F2, 0xF1, P(M) },	/* crc32 r32, r/m32 */
	{ MAP_0F3A, PF_66, 0x0E, P(M | I8) },	/* pblendw */
	{ MAP_0F3A, PF_66, 0x0F, P(M | I8) },	/* palignr */
	{ MAP_0F3A, PF_66, 0x16, P(M | I8) },	/* pextrd */
	{ MAP_0F3A, PF_66, 0x22, P(M | I8) },	/* pinsrd */
};

static const struct op *find_prefixed(int map, int pfx, uint8_t op)
{
	for (unsigned i = 0; i < sizeof prefixed / sizeof prefixed[0]; i++)
		if (prefixed[i].map == map && prefixed[i].pfx == pfx && prefixed[i].op == op)
			return &prefixed[i].e;
	return 0;
}

const char *x86_forbid_name(int why)
{
	static const char *names[XF_KINDS] = {
		"", "int n / into / int1", "syscall / sysenter / sysexit", "far jmp / call / ret",
		"iret", "port I/O (in / out / ins / outs)", "cli / sti / hlt",
		"privileged or system instruction", "segment register load",
	};
	return why < XF_KINDS ? names[why] : "?";
}

static int bad(struct vx_insn *in)
{
	in->len = 0;
	in->cls = XC_BAD;
	return 0;
}

/* A ModRM group: what its /digit (and mod) make of the instruction.
 * Returns 0 when that form is unknown.  May change in->cls, in->why. */
static int group(int map, uint8_t op, uint8_t modrm, int opsize, struct vx_insn *in)
{
	int mod = modrm >> 6, r = (modrm >> 3) & 7, rm = modrm & 7;
	if (map == MAP_0F) {
		if (op == 0x1F)
			return r == 0;		/* nop r/m */
		if (op == 0xBA)
			return r >= 4;		/* bt, bts, btr, btc */
		if (op == 0x73)
			return mod == 3 && (r == 2 || r == 6);	/* psrlq, psllq xmm, imm8 */
		return 0;
	}
	switch (op) {
	case 0x80: case 0x81: case 0x83:
		if (op == 0x83 && mod == 3 && r == 4 && !opsize) {
			in->cls = XC_MASK;	/* and r32, imm8: a mask if imm8 is -32 */
			in->reg = (uint8_t)rm;
		}
		return 1;
	case 0x8F: case 0xC6: case 0xC7:
		return r == 0;			/* pop r/m; mov r/m, imm */
	case 0xC0: case 0xC1: case 0xD0: case 0xD1: case 0xD2: case 0xD3:
		return r != 6;			/* shifts; /6 is undocumented */
	case 0xF6: case 0xF7:
		return r != 1;			/* /0 has an immediate, see decode */
	case 0xFE:
		return r <= 1;			/* inc, dec r/m8 */
	case 0xD9:
		return mod != 3 && (r == 0 || r == 3);	/* fld, fstp m32 */
	case 0xDD:
		return r == 3 || (mod != 3 && r == 0);	/* fstp m64 / st(i); fld m64 */
	case 0xC4: case 0xC5:
		if (mod == 3)
			return 0;		/* VEX */
		in->cls = XC_FORBID;
		in->why = XF_SEG;		/* les, lds */
		return 1;
	case 0xFF:
		switch (r) {
		case 0: case 1:
			return 1;		/* inc, dec */
		case 2: case 4:
			if (opsize)
				return 0;
			in->cls = r == 2 ? (mod == 3 ? XC_CALL_REG : XC_CALL_MEM)
					 : (mod == 3 ? XC_JMP_REG : XC_JMP_MEM);
			in->reg = (uint8_t)rm;
			in->mem_abs = mod == 0 && rm == 5;
			return 1;
		case 3: case 5:
			if (mod == 3)
				return 0;
			in->cls = XC_FORBID;
			in->why = XF_FAR;	/* call / jmp far m16:32 */
			return 1;
		case 6:
			return !opsize;		/* push r/m32 */
		default:
			return 0;
		}
	}
	return 0;
}

int x86_decode(const uint8_t *p, uint32_t avail, struct vx_insn *in)
{
	uint32_t n = 0;
	int opsize = 0, rep = 0;
	in->len = 0;
	in->cls = XC_BAD;
	in->why = XF_NONE;
	in->reg = 0;
	in->mem_abs = 0;
	in->rel = 0;
	in->abs = 0;
	if (avail > 15)
		avail = 15;
	/* prefixes: 66 and one of F2 / F3, each at most once; any other
	 * (LOCK, 67, segment overrides) is not ours */
	for (;; n++) {
		if (n >= avail)
			return bad(in);
		if (p[n] == 0x66 && !opsize)
			opsize = 1;
		else if ((p[n] == 0xF2 || p[n] == 0xF3) && !rep)
			rep = p[n];
		else
			break;
	}
	int map = 0;
	uint8_t op = p[n++];
	const struct op *e;
	if (op == 0x0F) {
		if (n >= avail)
			return bad(in);
		op = p[n++];
		map = MAP_0F;
		if (op == 0x38 || op == 0x3A) {
			map = op == 0x38 ? MAP_0F38 : MAP_0F3A;
			if (n >= avail)
				return bad(in);
			op = p[n++];
		}
	}
	if (map == 0) {
		e = &map1[op];
		if (e->cls == XC_FORBID && !(e->f & M)) {
			in->cls = XC_FORBID;	/* whatever its prefixes: rep outs, ... */
			in->why = e->why;
			in->len = (uint8_t)n;
			return (int)n;
		}
		if (rep && !(e->f & (RP2 | RP3)) && !(rep == 0xF3 && op == 0x90 && !opsize))
			return bad(in);		/* F3 90 is pause */
		if (rep == 0xF2 && !(e->f & RP2))
			return bad(in);
		if (rep == 0xF3 && op == 0x90) {
			static const struct op pause = P(0);
			e = &pause;
		}
	} else {
		int pfx = rep == 0xF3 ? PF_F3 : rep == 0xF2 ? PF_F2 : opsize ? PF_66 : PF_NONE;
		e = 0;
		if (pfx != PF_NONE)
			e = find_prefixed(map, pfx, op);
		if (e && pfx == PF_66)
			opsize = 0;		/* the 66 was the mandatory prefix */
		else if (e && opsize && !(e->f & OS))
			return bad(in);		/* 66 on top of F2 / F3 */
		if (!e && pfx == PF_66)
			e = map == MAP_0F ? &map0f[op] : find_prefixed(map, PF_NONE, op);
		else if (!e && pfx == PF_NONE)
			e = map == MAP_0F ? &map0f[op] : find_prefixed(map, PF_NONE, op);
		if (!e)
			return bad(in);
	}
	if (e->cls == XC_BAD || (opsize && !(e->f & OS)))
		return bad(in);
	in->cls = e->cls;
	in->why = e->why;
	if (e->f & M) {
		if (n >= avail)
			return bad(in);
		uint8_t modrm = p[n++];
		int mod = modrm >> 6, rm = modrm & 7;
		if ((e->f & MEM) && mod == 3)
			return bad(in);
		if ((e->f & GRP) && !group(map, op, modrm, opsize, in))
			return bad(in);
		if (mod != 3) {
			uint32_t disp = mod == 1 ? 1 : mod == 2 ? 4 : 0;
			if (rm == 4) {
				if (n >= avail)
					return bad(in);
				if (mod == 0 && (p[n] & 7) == 5)
					disp = 4;	/* [index*scale + disp32] */
				n++;
			} else if (mod == 0 && rm == 5) {
				disp = 4;		/* [disp32] */
			}
			if (in->mem_abs) {
				if (n + 4 > avail)
					return bad(in);
				in->abs = (uint32_t)p[n] | (uint32_t)p[n + 1] << 8 |
					  (uint32_t)p[n + 2] << 16 | (uint32_t)p[n + 3] << 24;
			}
			n += disp;
		}
		if (map == 0 && (op == 0xF6 || op == 0xF7) && ((modrm >> 3) & 7) == 0)
			n += op == 0xF6 ? 1 : opsize ? 2 : 4;	/* test r/m, imm */
	}
	uint32_t imm = (e->f & I8) ? 1 : (e->f & I16) ? 2 : (e->f & IZ) ? (opsize ? 2 : 4)
		     : (e->f & MO) ? 4 : 0;
	uint32_t at = n;
	n += imm;
	if (e->f & R8)
		n += 1;
	if (e->f & R32)
		n += 4;
	if (n > avail)
		return bad(in);
	if (in->cls == XC_MASK && p[at] != 0xE0)
		in->cls = XC_PLAIN;		/* and r32, other imm8 */
	if (e->f & R8)
		in->rel = (int8_t)p[at];
	if (e->f & R32)
		in->rel = (int32_t)((uint32_t)p[at] | (uint32_t)p[at + 1] << 8 |
				    (uint32_t)p[at + 2] << 16 | (uint32_t)p[at + 3] << 24);
	if (in->cls == XC_JMP || in->cls == XC_JCC || in->cls == XC_CALL) {
		if (opsize)
			return bad(in);		/* a 16-bit branch truncates EIP */
	}
	in->len = (uint8_t)n;
	return (int)n;
}
