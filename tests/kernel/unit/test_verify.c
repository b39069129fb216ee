/* microkernel/verify/: one test per rule, each with hand-written byte
 * sequences that must be refused (at the right offset, for the right
 * rule) and their nearest legal neighbours that must be accepted; the
 * padding NOP forms; and every instruction form the JIT's encoder
 * (servers/jit/x86/x86.c) emits, which the decoder must know. */
#include <criterion/criterion.h>
#include <string.h>
#include "lib/include/bareflow/abi.h"
#include "microkernel/verify/verify.h"
#include "microkernel/verify/x86dec.h"
#include "servers/jit/x86/x86.h"
#include "servers/jit/x86/sse.h"

#define BASE 0x60100000u
#define EXPORT_A 0x60000100u
#define EXPORT_B 0x60000240u
static const uint32_t exports[] = { EXPORT_A, EXPORT_B };
static const struct verify_env env = { exports, 2, USER_DISPATCH_VA };

static uint8_t img[4096];
static struct verify_result res;

/* A fresh image of `bundles` bundles of INT3 padding. */
static void fresh(void) { memset(img, 0xCC, sizeof img); }
static void put(uint32_t off, const void *b, uint32_t n) { memcpy(img + off, b, n); }
static int run(uint32_t len) { return verify_code(img, len, BASE, &env, &res); }

#define ACCEPT(len) do { int r_ = run(len); \
	cr_assert_eq(r_, V_OK, "refused at %u: %s", res.offset, verify_rule_name(r_)); } while (0)
#define REFUSE(len, rule, off) do { int r_ = run(len); \
	cr_assert_eq(r_, rule, "expected %s, got %s at %u", verify_rule_name(rule), \
		     verify_rule_name(r_), res.offset); \
	cr_assert_eq(res.offset, (off), "offset %u, expected %u", res.offset, (uint32_t)(off)); } while (0)

/* One sequence alone at offset 0 of a 64-byte image (then INT3 padding). */
static int alone(const uint8_t *b, uint32_t n)
{
	fresh();
	put(0, b, n);
	return run(64);
}
#define SEQ(...) (const uint8_t[]){ __VA_ARGS__ }, sizeof((const uint8_t[]){ __VA_ARGS__ })

Test(verify, an_image_in_the_sandboxed_form_is_accepted)
{
	fresh();
	/* bundle 0: mov eax, 1; add eax, [esp+4]; nop padding; call export A at the end */
	put(0, SEQ(0xB8, 1, 0, 0, 0, 0x03, 0x44, 0x24, 0x04));
	memset(img + 9, 0x90, 18);
	uint32_t rel = EXPORT_A - (BASE + 32);
	put(27, SEQ(0xE8, rel, rel >> 8, rel >> 16, rel >> 24));
	/* bundle 1: the masked return: pop ecx; and ecx, -32; jmp ecx; INT3 */
	put(32, SEQ(0x59, 0x83, 0xE1, 0xE0, 0xFF, 0xE1));
	/* bundle 2: a dispatch call ending the bundle, then bundle 3 jumps back */
	memset(img + 64, 0x90, 26);
	put(90, SEQ(0xFF, 0x15, 0x08, 0xF0, 0xFF, 0x5F));
	put(96, SEQ(0xEB, (uint8_t)(0 - 98)));		/* jmp 0 */
	ACCEPT(128);
}

Test(verify, image_size)
{
	fresh();
	cr_assert_eq(verify_code(img, 0, BASE, &env, &res), V_SIZE);
	cr_assert_eq(verify_code(img, 48, BASE, &env, &res), V_SIZE);
	cr_assert_eq(verify_code(img, 64, BASE + 16, &env, &res), V_SIZE, "a base inside a bundle");
	cr_assert_eq(verify_code(img, 64, BASE, &env, &res), V_OK);
	cr_assert_eq(verify_code(img, 4096, BASE, &env, &res), V_OK);
}

Test(verify, bundle_crossing)
{
	fresh();
	put(30, SEQ(0xB8, 1, 2, 3, 4));		/* mov eax, imm32 over 30..34 */
	REFUSE(64, V_BUNDLE, 30);
	fresh();
	memset(img, 0x90, 27);
	put(27, SEQ(0xB8, 1, 2, 3, 4));		/* the same, ending at 32 */
	ACCEPT(64);
	/* an instruction cut by the image's end is not an instruction */
	fresh();
	memset(img, 0x90, 62);
	put(62, SEQ(0x05, 1));			/* add eax, imm32 with 1 byte */
	REFUSE(64, V_UNKNOWN, 62);
	fresh();
	memset(img, 0x90, 64);
	ACCEPT(64);
}

Test(verify, forbidden_instructions_anywhere)
{
	static const struct { uint8_t b[8]; uint8_t n; const char *what; } bad[] = {
		{ { 0xCD, 0x80 }, 2, "int 0x80" }, { { 0xCD, 0x03 }, 2, "int 3 (long form)" },
		{ { 0xCE }, 1, "into" }, { { 0xF1 }, 1, "int1" },
		{ { 0x0F, 0x05 }, 2, "syscall" }, { { 0x0F, 0x07 }, 2, "sysret" },
		{ { 0x0F, 0x34 }, 2, "sysenter" }, { { 0x0F, 0x35 }, 2, "sysexit" },
		{ { 0xEA, 0, 0, 0, 0x60, 0x1B, 0 }, 7, "jmp far ptr" },
		{ { 0x9A, 0, 0, 0, 0x60, 0x1B, 0 }, 7, "call far ptr" },
		{ { 0xFF, 0x2D, 0, 0, 0, 0x50 }, 6, "jmp far m16:32" },
		{ { 0xFF, 0x1D, 0, 0, 0, 0x50 }, 6, "call far m16:32" },
		{ { 0xCB }, 1, "retf" }, { { 0xCA, 4, 0 }, 3, "retf 4" }, { { 0xCF }, 1, "iret" },
		{ { 0xE4, 0x60 }, 2, "in al, 0x60" }, { { 0xED }, 1, "in eax, dx" },
		{ { 0xE6, 0x80 }, 2, "out 0x80, al" }, { { 0xEE }, 1, "out dx, al" },
		{ { 0x6C }, 1, "insb" }, { { 0x6F }, 1, "outsd" }, { { 0xF3, 0x6E }, 2, "rep outsb" },
		{ { 0xFA }, 1, "cli" }, { { 0xFB }, 1, "sti" }, { { 0xF4 }, 1, "hlt" },
		{ { 0x0F, 0x01, 0x10 }, 3, "lgdt [eax]" }, { { 0x0F, 0x01, 0x18 }, 3, "lidt [eax]" },
		{ { 0x0F, 0x01, 0x38 }, 3, "invlpg [eax]" }, { { 0x0F, 0x01, 0xF9 }, 3, "rdtscp" },
		{ { 0x0F, 0x00, 0xD0 }, 3, "lldt ax" }, { { 0x0F, 0x00, 0xD8 }, 3, "ltr ax" },
		{ { 0x0F, 0x06 }, 2, "clts" }, { { 0x0F, 0x22, 0xC0 }, 3, "mov cr0, eax" },
		{ { 0x0F, 0x20, 0xD8 }, 3, "mov eax, cr3" }, { { 0x0F, 0x23, 0xC0 }, 3, "mov dr0, eax" },
		{ { 0x0F, 0x30 }, 2, "wrmsr" }, { { 0x0F, 0x32 }, 2, "rdmsr" },
		{ { 0x0F, 0x33 }, 2, "rdpmc" }, { { 0x0F, 0x09 }, 2, "wbinvd" },
		{ { 0x0F, 0x02, 0xC0 }, 3, "lar" }, { { 0x0F, 0xAA }, 2, "rsm" },
		{ { 0x8E, 0xD8 }, 2, "mov ds, ax" }, { { 0x8E, 0x10 }, 2, "mov ss, [eax]" },
		{ { 0x1F }, 1, "pop ds" }, { { 0x07 }, 1, "pop es" }, { { 0x17 }, 1, "pop ss" },
		{ { 0x0F, 0xA1 }, 2, "pop fs" }, { { 0x0F, 0xA9 }, 2, "pop gs" },
		{ { 0xC5, 0x06 }, 2, "lds eax, [esi]" }, { { 0xC4, 0x06 }, 2, "les eax, [esi]" },
		{ { 0x0F, 0xB4, 0x06 }, 3, "lfs" }, { { 0x0F, 0xB5, 0x06 }, 3, "lgs" },
		{ { 0x0F, 0xB2, 0x06 }, 3, "lss" },
	};
	for (unsigned i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		/* at offset 0, and in the middle of a bundle after a plain one */
		cr_assert_eq(alone(bad[i].b, bad[i].n), V_FORBIDDEN, "%s: %s", bad[i].what,
			     verify_rule_name(res.rule));
		fresh();
		memset(img + 32, 0x90, 8);
		put(40, SEQ(0x89, 0xC3));		/* mov ebx, eax */
		put(42, bad[i].b, bad[i].n);
		REFUSE(64, V_FORBIDDEN, 42);
	}
	/* the neighbours: same opcodes or shapes, legal */
	cr_assert_eq(alone(SEQ(0xB8, 0x80, 0, 0, 0)), V_OK, "mov eax, 0x80");
	cr_assert_eq(alone(SEQ(0x0F, 0x31)), V_OK, "rdtsc");
	cr_assert_eq(alone(SEQ(0x8B, 0xD8)), V_OK, "mov ebx, eax");
	cr_assert_eq(alone(SEQ(0x8D, 0x06)), V_OK, "lea eax, [esi]");
	cr_assert_eq(alone(SEQ(0x0F, 0xB6, 0x06)), V_OK, "movzx eax, byte [esi]");
	cr_assert_eq(alone(SEQ(0x0F, 0x0B)), V_OK, "ud2 (a deliberate #UD)");
	cr_assert_eq(alone(SEQ(0xFF, 0x35, 0, 0, 0, 0x50)), V_OK, "push dword [abs]");
	cr_assert_eq(alone(SEQ(0x5B)), V_OK, "pop ebx");
	cr_assert_eq(alone(SEQ(0xF3, 0xA5)), V_OK, "rep movsd");
}

Test(verify, unknown_prefixes_and_opcodes_are_refused)
{
	static const struct { uint8_t b[8]; uint8_t n; const char *what; } bad[] = {
		{ { 0xF0, 0x01, 0x06 }, 3, "lock add" }, { { 0x67, 0x8B, 0x00 }, 3, "addr32 prefix" },
		{ { 0x64, 0x8B, 0x00 }, 3, "fs: override" }, { { 0x2E, 0x8B, 0x00 }, 3, "cs: override" },
		{ { 0x66, 0x66, 0x90 }, 3, "repeated 66" }, { { 0xF2, 0xF3, 0xA4 }, 3, "F2 F3" },
		{ { 0xF2, 0x01, 0xC0 }, 3, "F2 on add" }, { { 0xF2, 0xA4 }, 2, "repne movsb" },
		{ { 0xD9, 0xC0 }, 2, "x87 fld" }, { { 0x9B }, 1, "fwait" },
		{ { 0x0F, 0xA2 }, 2, "cpuid" }, { { 0xC5, 0xF8, 0x77 }, 3, "VEX vzeroupper" },
		{ { 0x62, 0x06 }, 2, "bound" }, { { 0x82, 0xC0, 1 }, 3, "82 alias of 80" },
		{ { 0x66, 0xE8, 0, 0 }, 4, "call rel16" }, { { 0x66, 0xEB, 0 }, 3, "jmp with 66" },
		{ { 0x66, 0xFF, 0xE0 }, 3, "jmp ax" }, { { 0xE2, 0xFE }, 2, "loop" },
		{ { 0x0F, 0x1F, 0xC0 }, 3, "nop eax (register form)" }, { { 0xC0, 0xF0, 1 }, 3, "sal /6" },
		{ { 0x8D, 0xC0 }, 2, "lea with a register" }, { { 0x0F, 0xC7, 0x0E }, 3, "cmpxchg8b" },
		{ { 0xF3, 0x0F, 0x1E, 0xFB }, 4, "endbr32" }, { { 0x0F, 0x0F, 0xC0, 0x9E }, 4, "3DNow!" },
		{ { 0x8C, 0xD8 }, 2, "mov eax, ds" }, { { 0x9D }, 1, "popf" }, { { 0x27 }, 1, "daa" },
		{ { 0x0F }, 1, "a lone 0F at the image's end" },
		{ { 0x66 }, 1, "a lone prefix at the image's end" },
	};
	for (unsigned i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		uint32_t at = bad[i].n == 1 && (bad[i].b[0] == 0x0F || bad[i].b[0] == 0x66) ? 63 : 5;
		fresh();
		memset(img, 0x90, 64);
		put(at, bad[i].b, bad[i].n);
		int r = run(64);
		cr_assert(r == V_UNKNOWN && res.offset == at, "%s: %s at %u", bad[i].what,
			  verify_rule_name(r), res.offset);
	}
	/* the neighbours */
	cr_assert_eq(alone(SEQ(0x66, 0x01, 0xC0)), V_OK, "add ax, ax");
	cr_assert_eq(alone(SEQ(0x01, 0x06)), V_OK, "add [esi], eax (no lock)");
	cr_assert_eq(alone(SEQ(0xF3, 0xA4)), V_OK, "rep movsb");
	cr_assert_eq(alone(SEQ(0xF3, 0xA6)), V_OK, "repe cmpsb");
	cr_assert_eq(alone(SEQ(0xF2, 0xAE)), V_OK, "repne scasb");
	cr_assert_eq(alone(SEQ(0xF3, 0x90)), V_OK, "pause");
	cr_assert_eq(alone(SEQ(0xF3, 0x0F, 0xB8, 0xC1)), V_OK, "popcnt eax, ecx");
	cr_assert_eq(alone(SEQ(0x66, 0x0F, 0xEF, 0xC0)), V_OK, "pxor xmm0, xmm0");
	cr_assert_eq(alone(SEQ(0x66, 0x0F, 0x38, 0x00, 0xC1)), V_OK, "pshufb (0F38)");
	cr_assert_eq(alone(SEQ(0x66, 0x0F, 0x3A, 0x0F, 0xC1, 4)), V_OK, "palignr (0F3A)");
	cr_assert_eq(alone(SEQ(0xF2, 0x0F, 0x38, 0xF1, 0xC1)), V_OK, "crc32 eax, ecx");
	cr_assert_eq(alone(SEQ(0xC0, 0xE0, 1)), V_OK, "shl al, 1 (/4)");
	cr_assert_eq(alone(SEQ(0x66, 0xC7, 0x00, 1, 0)), V_OK, "mov word [eax], 1");
	cr_assert_eq(alone(SEQ(0xF7, 0x00, 1, 2, 3, 4)), V_OK, "test dword [eax], imm32");
	cr_assert_eq(alone(SEQ(0x66, 0xF7, 0x00, 1, 2)), V_OK, "test word [eax], imm16");
}

Test(verify, int3_only_as_padding)
{
	/* INT3 up to the bundle's end is padding */
	fresh();
	put(0, SEQ(0x31, 0xC0));		/* xor eax, eax, then INT3 to the end */
	ACCEPT(64);
	/* INT3 followed by NOPs is still padding */
	fresh();
	put(0, SEQ(0x31, 0xC0, 0xCC, 0xCC, 0x90, 0x0F, 0x1F, 0x00));
	memset(img + 8, 0x90, 24);
	ACCEPT(64);
	/* INT3 followed by code in the same bundle is not */
	fresh();
	put(0, SEQ(0x31, 0xC0, 0xCC, 0xCC, 0x31, 0xDB));
	REFUSE(64, V_INT3, 2);
	fresh();
	put(32, SEQ(0xCC, 0x90, 0x40));		/* int3; nop; inc eax */
	REFUSE(64, V_INT3, 32);
	/* the neighbour: NOP padding before the code */
	fresh();
	put(32, SEQ(0x90, 0x90, 0x40));
	ACCEPT(64);
}

Test(verify, padding_nop_forms)
{
	static const struct { uint8_t b[9]; uint8_t n; } nops[] = {
		{ { 0x90 }, 1 }, { { 0x66, 0x90 }, 2 }, { { 0x0F, 0x1F, 0x00 }, 3 },
		{ { 0x0F, 0x1F, 0x40, 0x00 }, 4 }, { { 0x0F, 0x1F, 0x44, 0x00, 0x00 }, 5 },
		{ { 0x66, 0x0F, 0x1F, 0x44, 0x00, 0x00 }, 6 },
		{ { 0x0F, 0x1F, 0x80, 0, 0, 0, 0 }, 7 }, { { 0x0F, 0x1F, 0x84, 0x00, 0, 0, 0, 0 }, 8 },
		{ { 0x66, 0x0F, 0x1F, 0x84, 0x00, 0, 0, 0, 0 }, 9 },
	};
	for (unsigned i = 0; i < sizeof nops / sizeof nops[0]; i++) {
		struct vx_insn in;
		cr_assert_eq(x86_decode(nops[i].b, nops[i].n, &in), nops[i].n, "nop of %u", nops[i].n);
		cr_assert_eq(in.cls, XC_NOP, "nop of %u", nops[i].n);
		/* a bundle of that NOP, as often as fits, then 1-byte NOPs */
		fresh();
		uint32_t at = 0;
		while (at + nops[i].n <= 32) {
			put(at, nops[i].b, nops[i].n);
			at += nops[i].n;
		}
		memset(img + at, 0x90, 32 - at);
		ACCEPT(32);
	}
}

Test(verify, direct_targets)
{
	uint32_t rel;
	/* bundle 0: mov eax, 5 (0..4), inc eax (5), jmp to 5 */
	fresh();
	put(0, SEQ(0xB8, 5, 0, 0, 0, 0x40, 0xEB, (uint8_t)(5 - 8)));
	ACCEPT(64);
	/* into the middle of the mov */
	put(6, SEQ(0xEB, (uint8_t)(2 - 8)));
	REFUSE(64, V_TARGET, 6);
	/* forward, across bundles: jcc rel32 to bundle 1's start, and to inside an instruction there */
	fresh();
	put(0, SEQ(0x0F, 0x84, 32 - 6, 0, 0, 0));	/* je 32 */
	put(32, SEQ(0xB8, 1, 2, 3, 4));
	ACCEPT(64);
	put(0, SEQ(0x0F, 0x84, 33 - 6, 0, 0, 0));	/* je 33 */
	REFUSE(64, V_TARGET, 0);
	/* out of the image: an export yes, anything else no */
	fresh();
	rel = EXPORT_B - (BASE + 5);
	put(0, SEQ(0xE9, rel, rel >> 8, rel >> 16, rel >> 24));
	ACCEPT(64);
	rel = EXPORT_B + 1 - (BASE + 5);
	put(0, SEQ(0xE9, rel, rel >> 8, rel >> 16, rel >> 24));
	REFUSE(64, V_TARGET, 0);
	rel = USER_HEAP_BASE - (BASE + 5);		/* data */
	put(0, SEQ(0xE9, rel, rel >> 8, rel >> 16, rel >> 24));
	REFUSE(64, V_TARGET, 0);
	rel = (uint32_t)-(BASE + 5) + 0x100000u;	/* the kernel */
	put(0, SEQ(0xE9, rel, rel >> 8, rel >> 16, rel >> 24));
	REFUSE(64, V_TARGET, 0);
	/* past the end of the image, into what the next install may hold */
	rel = 64 - 5;
	put(0, SEQ(0xE9, rel, rel >> 8, rel >> 16, rel >> 24));
	REFUSE(64, V_TARGET, 0);
	/* between a mask and its jump: a jump there skips the mask */
	fresh();
	put(32, SEQ(0x83, 0xE0, 0xE0, 0xFF, 0xE0));	/* and eax, -32; jmp eax (at 35) */
	put(0, SEQ(0xEB, 35 - 2));
	REFUSE(64, V_TARGET, 0);
	put(0, SEQ(0xEB, 32 - 2));			/* the mask itself is fine */
	ACCEPT(64);
	/* to a forbidden instruction at a bundle start: that bundle is refused */
	fresh();
	put(0, SEQ(0xEB, 32 - 2));
	put(32, SEQ(0xF4));
	REFUSE(64, V_FORBIDDEN, 32);
	/* ... and in the middle of one: the jump is refused first */
	fresh();
	put(0, SEQ(0xEB, 33 - 2));
	put(32, SEQ(0x90, 0xF4));
	REFUSE(64, V_TARGET, 0);
}

Test(verify, indirect_jumps_and_calls_are_masked)
{
	/* and eax, -32; jmp eax */
	fresh();
	put(0, SEQ(0x83, 0xE0, 0xE0, 0xFF, 0xE0));
	ACCEPT(64);
	/* alone */
	fresh();
	put(0, SEQ(0xFF, 0xE0));
	REFUSE(64, V_UNMASKED, 0);
	/* another register masked */
	fresh();
	put(0, SEQ(0x83, 0xE1, 0xE0, 0xFF, 0xE0));
	REFUSE(64, V_UNMASKED, 3);
	/* the wrong mask (-31, -16), a 32-bit immediate form, a 16-bit and */
	fresh();
	put(0, SEQ(0x83, 0xE0, 0xE1, 0xFF, 0xE0));
	REFUSE(64, V_UNMASKED, 3);
	put(0, SEQ(0x83, 0xE0, 0xF0, 0xFF, 0xE0));
	REFUSE(64, V_UNMASKED, 3);
	fresh();
	put(0, SEQ(0x81, 0xE0, 0xE0, 0xFF, 0xFF, 0xFF, 0xFF, 0xE0));
	REFUSE(64, V_UNMASKED, 6);
	fresh();
	put(0, SEQ(0x66, 0x83, 0xE0, 0xE0, 0xFF, 0xE0));
	REFUSE(64, V_UNMASKED, 4);
	/* something between the mask and the jump */
	fresh();
	put(0, SEQ(0x83, 0xE0, 0xE0, 0x40, 0xFF, 0xE0));
	REFUSE(64, V_UNMASKED, 4);
	/* the mask at the end of one bundle, the jump at the start of the next */
	fresh();
	memset(img, 0x90, 29);
	put(29, SEQ(0x83, 0xE0, 0xE0));
	put(32, SEQ(0xFF, 0xE0));
	REFUSE(64, V_UNMASKED, 32);
	/* the neighbour: both in bundle 1 */
	fresh();
	memset(img, 0x90, 32);
	put(32, SEQ(0x83, 0xE0, 0xE0, 0xFF, 0xE0));
	ACCEPT(64);
	/* a masked call, ending the bundle; every register */
	for (int r = 0; r < 8; r++) {
		fresh();
		memset(img, 0x90, 27);
		put(27, SEQ(0x83, (uint8_t)(0xE0 | r), 0xE0, 0xFF, (uint8_t)(0xD0 | r)));
		ACCEPT(32);
		put(27, SEQ(0x83, (uint8_t)(0xE0 | r), 0xE0, 0xFF, (uint8_t)(0xD0 | ((r + 1) & 7))));
		REFUSE(32, V_UNMASKED, 30);
	}
}

Test(verify, indirect_through_memory_only_from_the_dispatch_table)
{
	/* call [dispatch + 8] at the bundle's end; jmp [dispatch + 4092] */
	fresh();
	memset(img, 0x90, 26);
	put(26, SEQ(0xFF, 0x15, 0x08, 0xF0, 0xFF, 0x5F));
	put(32, SEQ(0xFF, 0x25, 0xFC, 0xFF, 0xFF, 0x5F));
	ACCEPT(64);
	static const struct { uint8_t b[7]; uint8_t n; const char *what; } bad[] = {
		{ { 0xFF, 0x20 }, 2, "jmp [eax]" },
		{ { 0xFF, 0x24, 0x85, 0, 0, 0, 0x50 }, 7, "jmp [table + eax*4]" },
		{ { 0xFF, 0x25, 0x00, 0x00, 0x00, 0x50 }, 6, "jmp [heap]" },
		{ { 0xFF, 0x25, 0xFC, 0xEF, 0xFF, 0x5F }, 6, "jmp [dispatch - 4]" },
		{ { 0xFF, 0x25, 0x00, 0x00, 0x00, 0x60 }, 6, "jmp [dispatch + 4096]" },
		{ { 0xFF, 0x25, 0x02, 0xF0, 0xFF, 0x5F }, 6, "jmp [dispatch + 2] (two entries' halves)" },
		{ { 0xFF, 0x64, 0x24, 0x04 }, 4, "jmp [esp + 4]" },
		{ { 0xFF, 0x25, 0x00, 0xF0, 0xFF, 0x5F }, 6, "ok" },
	};
	for (unsigned i = 0; i + 1 < sizeof bad / sizeof bad[0]; i++) {
		fresh();
		put(0, bad[i].b, bad[i].n);
		int r = run(64);
		cr_assert(r == V_INDIRECT_MEM && res.offset == 0, "%s: %s", bad[i].what, verify_rule_name(r));
	}
	/* the same with call, at the bundle's end */
	fresh();
	memset(img, 0x90, 30);
	put(30, SEQ(0xFF, 0x10));			/* call [eax] */
	REFUSE(32, V_INDIRECT_MEM, 30);
}

Test(verify, plain_ret_is_refused)
{
	fresh();
	put(0, SEQ(0x31, 0xC0, 0xC3));
	REFUSE(64, V_RET, 2);
	put(0, SEQ(0x31, 0xC0, 0xC2, 0x04, 0x00));	/* ret 4 */
	REFUSE(64, V_RET, 2);
	fresh();
	put(0, SEQ(0xF3, 0xC3));			/* rep ret is unknown anyway */
	REFUSE(64, V_UNKNOWN, 0);
	/* the neighbour: pop ecx; and ecx, -32; jmp ecx; and with ret 4's stack adjustment */
	fresh();
	put(0, SEQ(0x31, 0xC0, 0x59, 0x83, 0xE1, 0xE0, 0xFF, 0xE1));
	ACCEPT(64);
	put(0, SEQ(0x31, 0xC0, 0x59, 0x83, 0xC4, 0x04, 0x83, 0xE1, 0xE0, 0xFF, 0xE1));
	ACCEPT(64);
}

Test(verify, calls_end_at_a_bundle_end)
{
	/* call rel32 to the image's start, ending at 5: the masked return
	 * would come back to 0, not 5 */
	fresh();
	uint32_t rel = (uint32_t)(0 - 5);
	put(0, SEQ(0xE8, rel, rel >> 8, rel >> 16, rel >> 24));
	REFUSE(64, V_CALL_ALIGN, 0);
	/* the neighbour: the same call at 27 */
	fresh();
	memset(img, 0x90, 27);
	rel = (uint32_t)(0 - 32);
	put(27, SEQ(0xE8, rel, rel >> 8, rel >> 16, rel >> 24));
	ACCEPT(64);
	/* a dispatch call and a masked call in the middle */
	fresh();
	put(0, SEQ(0xFF, 0x15, 0x08, 0xF0, 0xFF, 0x5F));
	REFUSE(64, V_CALL_ALIGN, 0);
	fresh();
	put(0, SEQ(0x83, 0xE0, 0xE0, 0xFF, 0xD0));
	REFUSE(64, V_CALL_ALIGN, 3);
	/* jumps need not end anywhere in particular */
	fresh();
	put(0, SEQ(0x83, 0xE0, 0xE0, 0xFF, 0xE0, 0xEB, 0x00));
	ACCEPT(64);
}

Test(verify, the_first_refusal_is_reported_and_a_result_is_always_complete)
{
	fresh();
	put(64, SEQ(0xF4));				/* hlt in bundle 2 */
	put(100, SEQ(0xC3));				/* ret in bundle 3 */
	REFUSE(128, V_FORBIDDEN, 64);
	cr_assert_str_eq(res.detail, "cli / sti / hlt");
	cr_assert_str_eq(verify_rule_name(V_FORBIDDEN), "forbidden-instruction");
	cr_assert_str_eq(verify_rule_name(99), "?");
	fresh();
	cr_assert_eq(run(128), V_OK);
	cr_assert_eq(res.rule, V_OK);
}

/* Every form servers/jit/x86/x86.c emits is known to the decoder, with
 * the class the verifier expects. */
Test(verify, every_form_the_jit_encoder_emits_is_known)
{
	static uint8_t mem[8192];
	x86_buf b;
	x86_init(&b, mem, sizeof mem);
	x86_mem ms[] = { x86_m(X_EBP, -8), x86_m(X_ESP, 4), x86_m(X_EAX, 0), x86_m(X_NOREG, 0x50000000),
			 x86_mx(X_EBX, X_ESI, 4, 0x100), x86_mx(X_NOREG, X_ECX, 8, -4), x86_m(X_EBP, 0x1000) };
	int sizes[] = { 8, 16, 32 };
	for (int s = 0; s < 3; s++) {
		int sz = sizes[s];
		for (int op = 0; op < 8; op++) {
			x86_alu_rr(&b, op, sz, X_EAX, X_EBX);
			x86_alu_ri(&b, op, sz, X_ECX, 5);
			x86_alu_ri(&b, op, sz, X_EAX, 100000);
			x86_alu_ri(&b, op, sz, X_EDX, -300);
			for (unsigned m = 0; m < sizeof ms / sizeof ms[0]; m++) {
				x86_alu_rm(&b, op, sz, X_EDX, ms[m]);
				x86_alu_mr(&b, op, sz, ms[m], X_ECX);
				x86_alu_mi(&b, op, sz, ms[m], 7);
				x86_alu_mi(&b, op, sz, ms[m], 70000);
			}
		}
		x86_mov_rr(&b, sz, X_EAX, X_EBX);
		x86_mov_ri(&b, sz, X_ECX, 0x1234);
		x86_mov_ri(&b, sz, X_ECX, 0);
		for (unsigned m = 0; m < sizeof ms / sizeof ms[0]; m++) {
			x86_mov_rm(&b, sz, X_EAX, ms[m]);
			x86_mov_rm(&b, sz, X_EDX, ms[m]);
			x86_mov_mr(&b, sz, ms[m], X_EAX);
			x86_mov_mr(&b, sz, ms[m], X_EBX);
			x86_mov_mi(&b, sz, ms[m], 3);
			x86_test_mi(&b, sz == 16 ? 32 : sz, ms[m], 3);
			x86_unary_m(&b, X_NEG, sz, ms[m]);
			x86_shift_mi(&b, X_SHL, sz, ms[m], 3);
			x86_shift_mcl(&b, X_SAR, sz, ms[m]);
		}
		x86_test_rr(&b, sz, X_EAX, X_ECX);
		x86_test_ri(&b, sz, X_EAX, 0x40);
		for (int u = X_NOT; u <= X_IDIV; u++)
			x86_unary_r(&b, u, sz, X_ECX);
		x86_shift_ri(&b, X_ROL, sz, X_EAX, 1);
		x86_shift_ri(&b, X_SHR, sz, X_EAX, 7);
		x86_shift_rcl(&b, X_SAR, sz, X_EDX);
	}
	x86_mov_ri32_reloc(&b, X_EDI, 0x50004000);
	for (unsigned m = 0; m < sizeof ms / sizeof ms[0]; m++) {
		x86_lea(&b, X_ESI, ms[m]);
		x86_movzx_rm(&b, 8, X_EAX, ms[m]);
		x86_movsx_rm(&b, 16, X_EAX, ms[m]);
		x86_imul_rm(&b, X_EAX, ms[m]);
		x86_imul_rmi(&b, X_EAX, ms[m], 10);
		x86_imul_rmi(&b, X_EAX, ms[m], 1000);
		x86_cmov_rm(&b, X_L, X_EAX, ms[m]);
		x86_setcc_m(&b, X_E, ms[m]);
		x86_push_m(&b, ms[m]);
	}
	x86_movzx_rr(&b, 8, X_EAX, X_EBX);
	x86_movzx_rr(&b, 16, X_EAX, X_EBX);
	x86_movsx_rr(&b, 8, X_EAX, X_ECX);
	x86_movsx_rr(&b, 16, X_EAX, X_ECX);
	x86_imul_rr(&b, X_EAX, X_ECX);
	x86_imul_rri(&b, X_EAX, X_ECX, 3);
	x86_imul_rri(&b, X_EAX, X_ECX, 300);
	x86_inc_r(&b, X_EAX);
	x86_dec_r(&b, X_EDI);
	x86_shld_ri(&b, X_EAX, X_EDX, 3);
	x86_shrd_ri(&b, X_EAX, X_EDX, 3);
	x86_shld_rcl(&b, X_EAX, X_EDX);
	x86_shrd_rcl(&b, X_EAX, X_EDX);
	for (int cc = 0; cc < 16; cc++) {
		x86_setcc(&b, cc, X_EAX);
		x86_cmov_rr(&b, cc, X_EAX, X_EBX);
	}
	x86_bswap(&b, X_ESI);
	x86_bsf_rr(&b, X_EAX, X_ECX);
	x86_bsr_rr(&b, X_EAX, X_ECX);
	x86_xchg_rr(&b, X_EAX, X_EDX);
	x86_xchg_rr(&b, X_EBX, X_ECX);
	x86_push_r(&b, X_EBP);
	x86_push_i(&b, 5);
	x86_push_i(&b, 500);
	x86_pop_r(&b, X_EBP);
	x86_cdq(&b);
	x86_nop(&b);
	x86_ud2(&b);
	uint32_t plain_end = b.len;
	cr_assert(!b.full);
	/* now decode it all back: every instruction known and plain */
	uint32_t at = 0, n = 0;
	while (at < plain_end) {
		struct vx_insn in;
		int len = x86_decode(mem + at, plain_end - at, &in);
		cr_assert(len > 0, "unknown at %u: %02x %02x %02x %02x", at, mem[at], mem[at + 1],
			  mem[at + 2], mem[at + 3]);
		cr_assert(in.cls == XC_PLAIN || in.cls == XC_NOP || in.cls == XC_MASK,
			  "class %d at %u", in.cls, at);
		at += (uint32_t)len;
		n++;
	}
	cr_assert_eq(at, plain_end);
	/* and the control transfers, one by one */
	struct { int cls; } want[] = { { XC_CALL }, { XC_JMP }, { XC_CALL_REG }, { XC_JMP_REG },
				       { XC_CALL_MEM }, { XC_JMP_MEM }, { XC_JCC }, { XC_JMP },
				       { XC_RET }, { XC_RET }, { XC_INT3 } };
	x86_init(&b, mem, sizeof mem);
	x86_call_rel32(&b);
	x86_jmp_rel32(&b);
	x86_call_r(&b, X_ECX);
	x86_jmp_r(&b, X_EDX);
	x86_call_m(&b, x86_m(X_NOREG, (int32_t)USER_DISPATCH_VA));
	x86_jmp_m(&b, x86_mx(X_NOREG, X_EAX, 4, 0x50000000));
	x86_label l;
	x86_label_init(&l);
	x86_bind(&b, &l);
	x86_jcc(&b, X_NE, &l);
	x86_jmp(&b, &l);
	x86_ret(&b);
	x86_ret_i(&b, 4);
	x86_int3(&b);
	at = 0;
	for (unsigned i = 0; i < sizeof want / sizeof want[0]; i++) {
		struct vx_insn in;
		int len = x86_decode(mem + at, b.len - at, &in);
		cr_assert(len > 0 && in.cls == want[i].cls, "transfer %u: len %d class %d", i, len, in.cls);
		at += (uint32_t)len;
	}
	cr_assert_eq(at, b.len);
	cr_log_info("%u plain instructions of the JIT's encoder decoded\n", n);
}

/* Every SSE2 scalar and x87 form of servers/jit/x86/sse.c (the JIT's float
 * and double code) is known, plain, and has the encoder's length; the x87
 * and SSE neighbours the JIT never emits stay refused. */
Test(verify, every_fp_form_the_jit_encoder_emits_is_known)
{
	static uint8_t mem[16384];
	static uint32_t starts[4096];
	uint32_t ns = 0;
	x86_buf b;
	x86_init(&b, mem, sizeof mem);
	x86_mem ms[] = { x86_m(X_EBP, -8), x86_m(X_ESP, 4), x86_m(X_EAX, 0), x86_m(X_NOREG, 0x50000000),
			 x86_mx(X_EBX, X_ESI, 4, 0x100), x86_mx(X_NOREG, X_ECX, 8, -4), x86_m(X_EBP, 0x1000) };
	static const int ops[] = { X_MOVSS, X_MOVSD, X_MOVAPS, X_ADDSS, X_ADDSD, X_MULSS, X_MULSD,
		X_SUBSS, X_SUBSD, X_DIVSS, X_DIVSD, X_MINSS, X_MINSD, X_MAXSS, X_MAXSD, X_SQRTSS,
		X_SQRTSD, X_CVTSS2SD, X_CVTSD2SS, X_UCOMISS, X_UCOMISD, X_ANDPS, X_ANDPD, X_ANDNPS,
		X_ANDNPD, X_ORPS, X_ORPD, X_XORPS, X_XORPD, X_UNPCKLPS };
#define AT(x) do { starts[ns++] = b.len; x; } while (0)
	for (unsigned i = 0; i < sizeof ops / sizeof ops[0]; i++) {
		AT(x86_sse_rr(&b, ops[i], 0, 7));
		AT(x86_sse_rr(&b, ops[i], 5, 2));
		for (unsigned m = 0; m < sizeof ms / sizeof ms[0]; m++)
			AT(x86_sse_rm(&b, ops[i], 3, ms[m]));
	}
	for (unsigned m = 0; m < sizeof ms / sizeof ms[0]; m++) {
		AT(x86_sse_mr(&b, X_MOVSS_ST, ms[m], 1));
		AT(x86_sse_mr(&b, X_MOVSD_ST, ms[m], 6));
		AT(x86_sse_cmp_rm(&b, X_CMPSS, 2, ms[m], X_CMP_LE));
		AT(x86_sse_cmp_rm(&b, X_CMPSD, 2, ms[m], X_CMP_UNORD));
		AT(x86_cvtsi2s_rm(&b, X_CVTSI2SS, 1, ms[m]));
		AT(x86_cvtsi2s_rm(&b, X_CVTSI2SD, 1, ms[m]));
		AT(x86_cvts2si_rm(&b, X_CVTTSS2SI, X_EAX, ms[m]));
		AT(x86_cvts2si_rm(&b, X_CVTTSD2SI, X_EDI, ms[m]));
		AT(x86_cvts2si_rm(&b, X_CVTSD2SI, X_EDX, ms[m]));
		AT(x86_fld_m(&b, 32, ms[m]));
		AT(x86_fld_m(&b, 64, ms[m]));
		AT(x86_fstp_m(&b, 32, ms[m]));
		AT(x86_fstp_m(&b, 64, ms[m]));
	}
	for (int x = 0; x < 8; x++) {
		AT(x86_sse_cmp_rr(&b, X_CMPSD, x, 7 - x, X_CMP_NEQ));
		AT(x86_cvtsi2s_rr(&b, X_CVTSI2SD, x, X_ESI));
		AT(x86_cvts2si_rr(&b, X_CVTTSS2SI, X_ECX, x));
		AT(x86_cvts2si_rr(&b, X_CVTSS2SI, X_ECX, x));
		AT(x86_movd_xr(&b, x, X_EBX));
		AT(x86_movd_rx(&b, X_EAX, x));
		AT(x86_psllq(&b, x, 32));
		AT(x86_psrlq(&b, x, 32));
	}
	AT(x86_fstp_st0(&b));
#undef AT
	cr_assert(!b.full);
	starts[ns] = b.len;
	for (uint32_t i = 0; i < ns; i++) {
		struct vx_insn in;
		int len = x86_decode(mem + starts[i], b.len - starts[i], &in);
		cr_assert(len == (int)(starts[i + 1] - starts[i]) && in.cls == XC_PLAIN,
			  "form %u: decoded length %d class %d, encoder %u: %02x %02x %02x %02x", i, len, in.cls,
			  starts[i + 1] - starts[i], mem[starts[i]], mem[starts[i] + 1], mem[starts[i] + 2],
			  mem[starts[i] + 3]);
	}
	/* the neighbours the JIT never emits */
	static const struct { uint8_t b[6]; uint8_t n; const char *what; } bad[] = {
		{ { 0xD9, 0xC0 }, 2, "fld st(0)" }, { { 0xD9, 0xFE }, 2, "fsin" },
		{ { 0xD9, 0x28 }, 2, "fldcw [eax]" }, { { 0xD9, 0x10 }, 2, "fst dword [eax]" },
		{ { 0xDD, 0x08 }, 2, "fisttp qword [eax]" }, { { 0xDD, 0xC0 }, 2, "ffree st(0)" },
		{ { 0xDC, 0x00 }, 2, "fadd qword [eax]" }, { { 0xDB, 0x28 }, 2, "fld tbyte [eax]" },
		{ { 0xDF, 0x28 }, 2, "fild qword [eax]" }, { { 0xDE, 0xC1 }, 2, "faddp" },
		{ { 0x66, 0x0F, 0x73, 0x30, 1 }, 5, "psllq with a memory operand" },
		{ { 0x66, 0x0F, 0x73, 0xD8, 1 }, 5, "psrldq (/3)" }, { { 0x0F, 0x73, 0xF0, 1 }, 4, "MMX psllq" },
		{ { 0x0F, 0x58, 0xC1 }, 3, "addps" }, { { 0x66, 0x0F, 0x58, 0xC1 }, 4, "addpd" },
		{ { 0x66, 0xF2, 0x0F, 0x58, 0xC1 }, 5, "66 on top of addsd" },
		{ { 0x0F, 0xAE, 0x18 }, 3, "stmxcsr" }, { { 0x0F, 0xAE, 0x10 }, 3, "ldmxcsr" },
		{ { 0x0F, 0xAE, 0x00 }, 3, "fxsave" },
	};
	for (unsigned i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		fresh();
		memset(img, 0x90, 64);
		put(5, bad[i].b, bad[i].n);
		int r = run(64);
		cr_assert(r == V_UNKNOWN && res.offset == 5, "%s: %s at %u", bad[i].what, verify_rule_name(r),
			  res.offset);
	}
	cr_log_info("%u floating-point forms of the JIT's encoder decoded\n", ns);
}
