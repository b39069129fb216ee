/* The verifier's decoder against Capstone: on VERIFY_CS_COUNT (1,000,000)
 * random byte strings (seed fixed and printed; VERIFY_CS_SEED overrides),
 * every instruction our decoder accepts must decode in Capstone to the
 * same length and the same class (plain, nop, int3, jmp, jcc, call, jmp /
 * call through a register or memory, ret), and never to an instruction
 * the rules forbid; every one our decoder calls forbidden must be
 * forbidden or unknown to Capstone too (but for the system groups 0F 00 /
 * 0F 01, refused whole, whose members Capstone names variously).  The strings are biased towards
 * the interesting parts: prefixes, the 0F / 0F38 / 0F3A maps, ModRM
 * bytes with SIB and displacements. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "microkernel/verify/x86dec.h"
#include "tests/kernel/unit/verify_cs.h"

static uint64_t rng;
static uint32_t next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)(rng >> 11);
}

static void gen(uint8_t *b, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++)
		b[i] = (uint8_t)next();
	uint32_t k = 0, r = next() % 16;
	if (next() % 32 == 0) {		/* the verifier's own forms, now and then */
		static const uint8_t forms[][2] = { { 0x83, 0xE0 }, { 0xFF, 0xE0 }, { 0xFF, 0xD0 },
						    { 0xFF, 0x15 }, { 0xFF, 0x25 }, { 0x0F, 0x1F } };
		uint32_t f = next() % 6;
		b[0] = forms[f][0];
		b[1] = (uint8_t)(forms[f][1] | (f < 3 ? next() % 8 : 0));
		if (f == 0)
			b[2] = 0xE0;
		return;
	}
	static const uint8_t pfx[] = { 0x66, 0xF2, 0xF3, 0x66, 0xF0, 0x2E, 0x67 };
	if (r < 4)
		b[k++] = pfx[next() % sizeof pfx];
	if (r < 2)
		b[k++] = pfx[next() % sizeof pfx];
	r = next() % 8;
	if (r < 3) {
		b[k++] = 0x0F;
		if (r == 0)
			b[k++] = next() & 1 ? 0x38 : 0x3A;
	}
}

Test(verify_capstone, decoder_agrees_with_capstone_on_random_strings, .timeout = 600)
{
	const char *s = getenv("VERIFY_CS_SEED"), *c = getenv("VERIFY_CS_COUNT");
	uint64_t seed = s ? strtoull(s, 0, 0) : 20261207;
	uint32_t count = c ? (uint32_t)strtoul(c, 0, 0) : 1000000;
	rng = seed * 2654435761u + 1;
	printf("verify_capstone: %u random strings, seed %llu\n", count, (unsigned long long)seed);
	csh h = vcs_open();
	uint32_t accepted = 0, forbidden = 0, bad = 0, mismatches = 0;
	uint32_t per_class[XC_CLASSES] = { 0 };
	for (uint32_t n = 0; n < count; n++) {
		uint8_t b[16];
		gen(b, sizeof b);
		struct vx_insn in;
		int len = x86_decode(b, 15, &in);
		int ccls, cforb;
		int clen = vcs_decode(h, b, 15, 0x60100000, &ccls, &cforb);
		if (in.cls == XC_BAD) {
			bad++;
			continue;
		}
		if (in.cls == XC_FORBID) {
			forbidden++;
			/* a whole system group is refused, whatever Capstone
			 * makes of its members; the other reasons it must share */
			if (clen && !cforb && in.why != XF_SYSTEM && mismatches++ < 20) {
				char hex[64] = "";
				for (int i = 0; i < 15; i++)
					sprintf(hex + 3 * i, "%02x ", b[i]);
				printf("forbidden by us, not by Capstone: %s\n", hex);
			}
			continue;
		}
		accepted++;
		per_class[in.cls]++;
		int want = in.cls == XC_MASK ? XC_PLAIN : in.cls;
		if (clen != len || ccls != want || (cforb && want != XC_INT3)) {
			if (mismatches++ < 20) {
				char hex[64] = "";
				for (int i = 0; i < 15; i++)
					sprintf(hex + 3 * i, "%02x ", b[i]);
				printf("mismatch: %s ours len %d class %d, Capstone len %d class %d forbidden %d\n",
				       hex, len, in.cls, clen, ccls, cforb);
			}
		}
	}
	cs_close(&h);
	printf("verify_capstone: %u accepted (plain %u, mask %u, nop %u, int3 %u, jmp %u, jcc %u, "
	       "call %u, jmp reg %u, call reg %u, jmp mem %u, call mem %u, ret %u), "
	       "%u forbidden, %u unknown; %u disagreements\n", accepted, per_class[XC_PLAIN],
	       per_class[XC_MASK], per_class[XC_NOP], per_class[XC_INT3], per_class[XC_JMP],
	       per_class[XC_JCC], per_class[XC_CALL], per_class[XC_JMP_REG], per_class[XC_CALL_REG],
	       per_class[XC_JMP_MEM], per_class[XC_CALL_MEM], per_class[XC_RET], forbidden, bad,
	       mismatches);
	cr_assert_geq(accepted, count / 4, "the strings exercise the decoder");
	cr_assert_eq(mismatches, 0);
}
