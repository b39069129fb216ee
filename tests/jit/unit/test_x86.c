/* The x86-32 encoder, form by form, against GNU as.  Each test emits a
 * list of forms with servers/jit/x86 while writing the same instructions
 * as Intel-syntax text; the text is assembled with i686-linux-gnu-as at
 * test time and the bytes must agree (the first differing form is
 * reported with its text). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <capstone/capstone.h>

#include "servers/jit/x86/x86.h"

#define MAXF 20000
static uint8_t code[1 << 20];
static x86_buf B;
static char *text;
static size_t text_len, text_cap;
static uint32_t fstart[MAXF];
static size_t ftext[MAXF];
static int nf;

static void begin(void)
{
	x86_init(&B, code, sizeof code);
	text_cap = 1 << 22;
	text = malloc(text_cap);
	text_len = 0;
	nf = 0;
	text_len += (size_t)snprintf(text, text_cap, ".intel_syntax noprefix\n");
}

/* Records that the bytes since the previous form belong to `line`. */
static void form(const char *fmt, ...)
{
	cr_assert(nf < MAXF);
	ftext[nf] = text_len;
	va_list ap;
	va_start(ap, fmt);
	text_len += (size_t)vsnprintf(text + text_len, text_cap - text_len, fmt, ap);
	va_end(ap);
	text_len += (size_t)snprintf(text + text_len, text_cap - text_len, "\n");
	fstart[nf + 1] = B.len;
	nf++;
}
#define F(call, ...) do { call; form(__VA_ARGS__); } while (0)

static void finish(void)
{
	char dir[] = "/tmp/test_x86_XXXXXX";
	cr_assert(mkdtemp(dir));
	char path[256], cmd[1024];
	snprintf(path, sizeof path, "%s/t.s", dir);
	FILE *f = fopen(path, "w");
	cr_assert(f);
	fwrite(text, 1, text_len, f);
	fclose(f);
	snprintf(cmd, sizeof cmd,
		 "i686-linux-gnu-as --32 -o %s/t.o %s/t.s && "
		 "i686-linux-gnu-objcopy -O binary -j .text %s/t.o %s/t.bin",
		 dir, dir, dir, dir);
	cr_assert_eq(system(cmd), 0, "assembler failed: %s", cmd);
	snprintf(path, sizeof path, "%s/t.bin", dir);
	f = fopen(path, "rb");
	cr_assert(f);
	static uint8_t ref[1 << 20];
	size_t n = fread(ref, 1, sizeof ref, f);
	fclose(f);
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	if (system(cmd) != 0) {}
	cr_assert(!B.full);
	fstart[0] = 0;
	for (int i = 0; i < nf; i++) {
		uint32_t s = fstart[i], e = fstart[i + 1];
		const char *t = text + ftext[i];
		int tl = (int)strcspn(t, "\n");
		if (e > n || memcmp(code + s, ref + s, e - s) != 0) {
			char ours[64] = "", theirs[64] = "";
			for (uint32_t k = s; k < e && k - s < 15; k++)
				sprintf(ours + 3 * (k - s), "%02x ", code[k]);
			for (uint32_t k = s; k < e && k < n && k - s < 15; k++)
				sprintf(theirs + 3 * (k - s), "%02x ", ref[k]);
			cr_assert_fail("form %d '%.*s': ours %s as %s", i, tl, t, ours, theirs);
		}
	}
	cr_assert_eq(n, B.len, "length: ours %u, as %zu", B.len, n);
	free(text);
}

static const char *r32[] = { "eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi" };
static const char *r16[] = { "ax", "cx", "dx", "bx", "sp", "bp", "si", "di" };
static const char *r8[] = { "al", "cl", "dl", "bl", "ah", "ch", "dh", "bh" };
static const char *ptr(int size) { return size == 8 ? "byte" : size == 16 ? "word" : "dword"; }
static const char *reg(int size, int r) { return size == 8 ? r8[r] : size == 16 ? r16[r] : r32[r]; }
static const char *ccn[] = { "o", "no", "b", "ae", "e", "ne", "be", "a",
			     "s", "ns", "p", "np", "l", "ge", "le", "g" };
static const char *alun[] = { "add", "or", "adc", "sbb", "and", "sub", "xor", "cmp" };
static const int sizes[] = { 8, 16, 32 };

/* A spread of memory operands covering every ModRM/SIB special case. */
static x86_mem mems[64];
static int nmems;
static const int32_t disps[] = { 0, 8, -128, 127, 128, -129, 0x12345678 };

static void init_mems(void)
{
	nmems = 0;
	int bases[] = { X_NOREG, X_EAX, X_ESP, X_EBP, X_EDI };
	int idxs[] = { X_NOREG, X_ECX, X_EBP, X_EDI };
	int scales[] = { 1, 2, 4, 8 };
	for (int bi = 0; bi < 5; bi++)
		for (int ii = 0; ii < 4; ii++)
			for (int di = 0; di < 7; di++) {
				if (nmems >= 64) return;
				int base = bases[bi], idx = idxs[ii];
				int32_t d = disps[(bi * 3 + ii * 5 + di) % 7];
				if (di > 2) continue; /* three displacements per combo */
				if (base < 0 && idx < 0) d = 0x1000 + di;
				mems[nmems++] = x86_mx(base, idx, scales[(bi + ii + di) % 4], d);
			}
}

static char mtxt[8][96];
static int mti;
static const char *mem(int size, x86_mem m)
{
	char *s = mtxt[mti++ & 7];
	int n = sprintf(s, "%s ptr [", ptr(size));
	bool any = false;
	if (m.base >= 0) { n += sprintf(s + n, "%s", r32[m.base]); any = true; }
	if (m.index >= 0) { n += sprintf(s + n, "%s%s*%d", any ? "+" : "", r32[m.index], m.scale); any = true; }
	if (m.disp || !any) n += sprintf(s + n, "%s%d", any && m.disp >= 0 ? "+" : "", m.disp);
	sprintf(s + n, "]");
	/* as wants [ebp+0]; "+-8" is accepted by as as well */
	return s;
}

Test(x86, alu)
{
	begin();
	init_mems();
	int32_t imms[] = { 0, 1, -1, 127, -128, 128, 1000, -100000 };
	for (int op = 0; op < 8; op++)
		for (int si = 0; si < 3; si++) {
			int sz = sizes[si];
			for (int d = 0; d < 8; d++)
				for (int s = 0; s < 8; s++)
					F(x86_alu_rr(&B, op, sz, d, s), "%s %s, %s", alun[op], reg(sz, d), reg(sz, s));
			for (int d = 0; d < 8; d++)
				for (int i = 0; i < 8; i++) {
					int32_t imm = imms[i];
					if (sz == 8) imm = (int8_t)imm;
					if (sz == 16) imm = (int16_t)imm;
					F(x86_alu_ri(&B, op, sz, d, imm), "%s %s, %d", alun[op], reg(sz, d), imm);
				}
			for (int k = 0; k < nmems; k++) {
				F(x86_alu_rm(&B, op, sz, k & 7, mems[k]), "%s %s, %s", alun[op], reg(sz, k & 7), mem(sz, mems[k]));
				F(x86_alu_mr(&B, op, sz, mems[k], (k + 3) & 7), "%s %s, %s", alun[op], mem(sz, mems[k]), reg(sz, (k + 3) & 7));
				int32_t imm = imms[k & 7];
				if (sz == 8) imm = (int8_t)imm;
				if (sz == 16) imm = (int16_t)imm;
				F(x86_alu_mi(&B, op, sz, mems[k], imm), "%s %s, %d", alun[op], mem(sz, mems[k]), imm);
			}
		}
	finish();
}

Test(x86, mov_test_lea)
{
	begin();
	init_mems();
	for (int si = 0; si < 3; si++) {
		int sz = sizes[si];
		for (int d = 0; d < 8; d++) {
			for (int s = 0; s < 8; s++) {
				F(x86_mov_rr(&B, sz, d, s), "mov %s, %s", reg(sz, d), reg(sz, s));
				F(x86_test_rr(&B, sz, d, s), "test %s, %s", reg(sz, d), reg(sz, s));
			}
			int32_t imm = sz == 8 ? -5 : sz == 16 ? 0x1234 : 0x12345678;
			F(x86_mov_ri(&B, sz, d, imm), "mov %s, %d", reg(sz, d), imm);
			F(x86_test_ri(&B, sz, d, imm), "test %s, %d", reg(sz, d), imm);
		}
		for (int k = 0; k < nmems; k++) {
			F(x86_mov_rm(&B, sz, k & 7, mems[k]), "mov %s, %s", reg(sz, k & 7), mem(sz, mems[k]));
			F(x86_mov_rm(&B, sz, X_EAX, mems[k]), "mov %s, %s", reg(sz, 0), mem(sz, mems[k]));
			F(x86_mov_mr(&B, sz, mems[k], (k + 1) & 7), "mov %s, %s", mem(sz, mems[k]), reg(sz, (k + 1) & 7));
			F(x86_mov_mr(&B, sz, mems[k], X_EAX), "mov %s, %s", mem(sz, mems[k]), reg(sz, 0));
			F(x86_mov_mi(&B, sz, mems[k], 100), "mov %s, 100", mem(sz, mems[k]));
		}
	}
	for (int k = 0; k < nmems; k++)
		F(x86_lea(&B, k & 7, mems[k]), "lea %s, %s", r32[k & 7], strchr(mem(32, mems[k]), '['));
	x86_mov_ri32_reloc(&B, X_ESI, 0xdeadbeef);
	form("mov esi, 0xdeadbeef");
	finish();
}

Test(x86, extend_mul_div_shift)
{
	begin();
	init_mems();
	const char *un[] = { 0, 0, "not", "neg", "mul", "imul", "div", "idiv" };
	const char *shn[] = { "rol", "ror", 0, 0, "shl", "shr", 0, "sar" };
	for (int d = 0; d < 8; d++) {
		for (int s = 0; s < 8; s++) {
			F(x86_movzx_rr(&B, 8, d, s), "movzx %s, %s", r32[d], r8[s]);
			F(x86_movzx_rr(&B, 16, d, s), "movzx %s, %s", r32[d], r16[s]);
			F(x86_movsx_rr(&B, 8, d, s), "movsx %s, %s", r32[d], r8[s]);
			F(x86_movsx_rr(&B, 16, d, s), "movsx %s, %s", r32[d], r16[s]);
			F(x86_imul_rr(&B, d, s), "imul %s, %s", r32[d], r32[s]);
			F(x86_imul_rri(&B, d, s, 7), "imul %s, %s, 7", r32[d], r32[s]);
			F(x86_imul_rri(&B, d, s, -1000), "imul %s, %s, -1000", r32[d], r32[s]);
			F(x86_shld_ri(&B, d, s, 5), "shld %s, %s, 5", r32[d], r32[s]);
			F(x86_shrd_ri(&B, d, s, 31), "shrd %s, %s, 31", r32[d], r32[s]);
			F(x86_shld_rcl(&B, d, s), "shld %s, %s, cl", r32[d], r32[s]);
			F(x86_shrd_rcl(&B, d, s), "shrd %s, %s, cl", r32[d], r32[s]);
			F(x86_bsf_rr(&B, d, s), "bsf %s, %s", r32[d], r32[s]);
			F(x86_bsr_rr(&B, d, s), "bsr %s, %s", r32[d], r32[s]);
			F(x86_xchg_rr(&B, d, s), "xchg %s, %s", r32[d], r32[s]);
		}
		for (int si = 0; si < 3; si++) {
			int sz = sizes[si];
			for (int op = 2; op < 8; op++)
				F(x86_unary_r(&B, op, sz, d), "%s %s", un[op], reg(sz, d));
			for (int op = 0; op < 8; op++) {
				if (!shn[op]) continue;
				F(x86_shift_ri(&B, op, sz, d, 1), "%s %s, 1", shn[op], reg(sz, d));
				F(x86_shift_ri(&B, op, sz, d, 3), "%s %s, 3", shn[op], reg(sz, d));
				F(x86_shift_rcl(&B, op, sz, d), "%s %s, cl", shn[op], reg(sz, d));
			}
		}
		F(x86_inc_r(&B, d), "inc %s", r32[d]);
		F(x86_dec_r(&B, d), "dec %s", r32[d]);
		F(x86_bswap(&B, d), "bswap %s", r32[d]);
	}
	for (int k = 0; k < nmems; k++) {
		x86_mem m = mems[k];
		F(x86_movzx_rm(&B, 8, k & 7, m), "movzx %s, %s", r32[k & 7], mem(8, m));
		F(x86_movzx_rm(&B, 16, k & 7, m), "movzx %s, %s", r32[k & 7], mem(16, m));
		F(x86_movsx_rm(&B, 8, k & 7, m), "movsx %s, %s", r32[k & 7], mem(8, m));
		F(x86_movsx_rm(&B, 16, k & 7, m), "movsx %s, %s", r32[k & 7], mem(16, m));
		F(x86_imul_rm(&B, k & 7, m), "imul %s, %s", r32[k & 7], mem(32, m));
		F(x86_imul_rmi(&B, k & 7, m, 12), "imul %s, %s, 12", r32[k & 7], mem(32, m));
		F(x86_imul_rmi(&B, (k + 3) & 7, m, 0xc0), "imul %s, %s, 192", r32[(k + 3) & 7], mem(32, m));
		int sz = sizes[k % 3];
		F(x86_unary_m(&B, 2 + k % 6, sz, m), "%s %s", un[2 + k % 6], mem(sz, m));
		F(x86_shift_mi(&B, X_SHL, sz, m, 1), "shl %s, 1", mem(sz, m));
		F(x86_shift_mi(&B, X_SAR, sz, m, 9), "sar %s, 9", mem(sz, m));
		F(x86_shift_mcl(&B, X_SHR, sz, m), "shr %s, cl", mem(sz, m));
	}
	F(x86_cdq(&B), "cdq");
	finish();
}

Test(x86, setcc_cmov_stack_calls)
{
	begin();
	init_mems();
	for (int cc = 0; cc < 16; cc++)
		for (int r = 0; r < 8; r++) {
			F(x86_setcc(&B, cc, r), "set%s %s", ccn[cc], r8[r]);
			F(x86_cmov_rr(&B, cc, r, 7 - r), "cmov%s %s, %s", ccn[cc], r32[r], r32[7 - r]);
		}
	for (int k = 0; k < nmems; k++) {
		x86_mem m = mems[k];
		F(x86_setcc_m(&B, k & 15, m), "set%s %s", ccn[k & 15], mem(8, m));
		F(x86_cmov_rm(&B, k & 15, k & 7, m), "cmov%s %s, %s", ccn[k & 15], r32[k & 7], mem(32, m));
		F(x86_push_m(&B, m), "push %s", mem(32, m));
		F(x86_call_m(&B, m), "call %s", mem(32, m));
		F(x86_jmp_m(&B, m), "jmp %s", mem(32, m));
	}
	for (int r = 0; r < 8; r++) {
		F(x86_push_r(&B, r), "push %s", r32[r]);
		F(x86_pop_r(&B, r), "pop %s", r32[r]);
		F(x86_call_r(&B, r), "call %s", r32[r]);
		F(x86_jmp_r(&B, r), "jmp %s", r32[r]);
	}
	F(x86_push_i(&B, 5), "push 5");
	F(x86_push_i(&B, -128), "push -128");
	F(x86_push_i(&B, 0x10000), "push 0x10000");
	F(x86_ret(&B), "ret");
	F(x86_ret_i(&B, 12), "ret 12");
	F(x86_nop(&B), "nop");
	F(x86_int3(&B), "int3");
	F(x86_ud2(&B), "ud2");
	finish();
}

/* Labels: backward short and long jumps pick rel8/rel32 like as; forward
 * jumps are always rel32 (as is told so with {disp32}). */
Test(x86, jumps_and_labels)
{
	begin();
	x86_label back, fwd, far;
	x86_label_init(&back);
	x86_label_init(&fwd);
	x86_label_init(&far);
	x86_bind(&B, &back);
	form("1:");
	F(x86_nop(&B), "nop");
	for (int cc = 0; cc < 16; cc++) {
		F(x86_jcc(&B, cc, &back), "j%s 1b", ccn[cc]);
		F(x86_jcc(&B, cc, &fwd), "{disp32} j%s 2f", ccn[cc]);
	}
	F(x86_jmp(&B, &back), "jmp 1b");
	F(x86_jmp(&B, &fwd), "{disp32} jmp 2f");
	x86_bind(&B, &fwd);
	form("2:");
	for (int i = 0; i < 60; i++)
		F(x86_mov_ri(&B, 32, X_EAX, i), "mov eax, %d", i);
	/* now more than 127 bytes past label 1 */
	F(x86_jcc(&B, X_NE, &back), "jne 1b");
	F(x86_jmp(&B, &back), "jmp 1b");
	F(x86_jcc(&B, X_E, &fwd), "je 2b");
	F(x86_jmp(&B, &far), "{disp32} jmp 3f");
	for (int i = 0; i < 60; i++)
		F(x86_mov_ri(&B, 32, X_EBX, i), "mov ebx, %d", i);
	x86_bind(&B, &far);
	form("3:");
	F(x86_ret(&B), "ret");
	finish();
}

/* Relocated displacements (always disp32), the frame pseudo-register in
 * EBP mode and in ESP mode (bias + tracked push depth), test [mem], imm. */
Test(x86, frame_and_disp32)
{
	begin();
	x86_mem m = x86_m(X_EAX, 0);
	m.disp32 = 1;
	F(x86_mov_rm(&B, 32, X_ECX, m), "{disp32} mov ecx, dword ptr [eax]");
	F(x86_mov_rm(&B, 32, X_ECX, x86_m(X_EAX, 0)), "mov ecx, dword ptr [eax]");
	m = x86_mx(X_EBX, X_ESI, 4, 8);
	m.disp32 = 1;
	F(x86_lea(&B, X_EDI, m), "{disp32} lea edi, [ebx+esi*4+8]");
	F(x86_mov_rm(&B, 32, X_EDX, x86_m(X_FP, -8)), "mov edx, dword ptr [ebp-8]");
	B.espf = true;
	B.bias = 0x20;
	B.depth = 0;
	F(x86_mov_rm(&B, 32, X_EDX, x86_m(X_FP, -8)), "mov edx, dword ptr [esp+0x18]");
	F(x86_push_m(&B, x86_m(X_FP, 12)), "push dword ptr [esp+0x2c]");
	F(x86_push_m(&B, x86_m(X_FP, 12)), "push dword ptr [esp+0x30]");
	F(x86_alu_ri(&B, X_ADD, 32, X_ESP, 8), "add esp, 8");
	F(x86_mov_mr(&B, 32, x86_m(X_FP, 8), X_EAX), "mov dword ptr [esp+0x28], eax");
	F(x86_push_r(&B, X_EBX), "push ebx");
	F(x86_test_mi(&B, 8, x86_m(X_FP, 8), 1), "test byte ptr [esp+0x2c], 1");
	F(x86_pop_r(&B, X_EBX), "pop ebx");
	B.espf = false;
	F(x86_test_mi(&B, 32, x86_m(X_ECX, 4), 0x100), "test dword ptr [ecx+4], 0x100");
	finish();
}

/* Frame-word bookkeeping for dead-store elimination: reads of X_FP words
 * are recorded (not the destination of a plain mov), and plain movs into
 * dead words emit nothing while everything else still does. */
Test(x86, frame_word_reads_and_dead_stores)
{
	static uint8_t buf[256];
	uint8_t rd[8] = { 0 }, dead[8] = { 0, 1, 0, 1, 0, 0, 0, 0 };
	x86_buf b;
	x86_init(&b, buf, sizeof buf);
	b.fpread = rd;
	b.fpn = 8;
	x86_mov_mr(&b, 32, x86_m(X_FP, -4), X_EAX);         /* store: word 0 not read */
	x86_mov_rm(&b, 32, X_ECX, x86_m(X_FP, -8));         /* read word 1 */
	x86_alu_mr(&b, X_ADD, 32, x86_m(X_FP, -16), X_EDX); /* read-modify-write word 3 */
	x86_mov_mi(&b, 32, x86_m(X_FP, -12), 5);            /* store: word 2 not read */
	x86_mov_rm(&b, 32, X_ECX, x86_m(X_FP, 8));          /* an argument: no word */
	cr_expect_eq(rd[0], 2, "word 0: written, not read");
	cr_expect_eq(rd[1], 1);
	cr_expect_eq(rd[2], 2, "word 2: written, not read");
	cr_expect_eq(rd[3], 1);
	cr_expect_eq(rd[4], 0);
	x86_mov_rm(&b, 32, X_ECX, x86_mx(X_FP, X_EAX, 4, -32)); /* indexed: any word */
	for (int k = 0; k < 8; k++)
		cr_expect_eq(rd[k] & 1, 1, "word %d after an indexed read", k);
	memset(rd, 0, sizeof rd);
	x86_mov_mr(&b, 32, x86_mx(X_FP, X_EAX, 4, -32), X_ECX); /* indexed store: any word */
	for (int k = 0; k < 8; k++)
		cr_expect_eq(rd[k], 2, "word %d after an indexed store", k);

	x86_init(&b, buf, sizeof buf);
	b.fpdead = dead;
	b.fpn = 8;
	x86_mov_mr(&b, 32, x86_m(X_FP, -8), X_EAX);  /* word 1 dead: dropped */
	x86_mov_mi(&b, 32, x86_m(X_FP, -16), 7);     /* word 3 dead: dropped */
	cr_expect_eq(b.len, 0u, "stores into dead words emitted %u bytes", b.len);
	x86_mov_mr(&b, 32, x86_m(X_FP, -4), X_EAX);  /* word 0 live */
	cr_expect_gt(b.len, 0u);
	uint32_t n = b.len;
	x86_mov_mr(&b, 32, x86_mx(X_FP, X_ECX, 4, -8), X_EAX); /* indexed: never dropped */
	cr_expect_gt(b.len, n);
	n = b.len;
	x86_mov_mr(&b, 32, x86_m(X_FP, -6), X_EAX); /* straddles words 1 and 0 (live) */
	cr_expect_gt(b.len, n);
	n = b.len;
	x86_alu_mr(&b, X_ADD, 32, x86_m(X_FP, -8), X_EAX); /* not a plain store */
	cr_expect_gt(b.len, n);
}

/* ZF tracking (x86_zf_of): set by add/sub/and/or/xor/inc/dec into a
 * 32-bit register, kept by flag-neutral instructions that leave that
 * register alone, lost by anything else, by a write of the register, by
 * 8/16-bit forms and at labels. */
Test(x86, zero_flag_tracking)
{
	uint8_t buf[256];
	x86_buf b;
	x86_label l;
	x86_init(&b, buf, sizeof buf);
	cr_expect(!x86_zf_of(&b, X_ECX));
	x86_alu_rr(&b, X_AND, 32, X_ECX, X_EDX);
	cr_expect(x86_zf_of(&b, X_ECX));
	cr_expect(!x86_zf_of(&b, X_EDX));
	x86_lea(&b, X_EDX, x86_m(X_EBP, 1));
	x86_mov_rr(&b, 32, X_EAX, X_ECX);
	x86_push_r(&b, X_ECX);
	x86_mov_mr(&b, 32, x86_m(X_EBX, 4), X_ECX);
	x86_movzx_rr(&b, 8, X_ESI, X_EAX);
	cr_expect(x86_zf_of(&b, X_ECX), "flag-neutral instructions keep ZF");
	x86_mov_ri(&b, 32, X_ECX, 5);
	cr_expect(!x86_zf_of(&b, X_ECX), "a write of the register loses it");
	x86_inc_r(&b, X_EBX);
	cr_expect(x86_zf_of(&b, X_EBX));
	x86_alu_ri(&b, X_CMP, 32, X_EAX, 3);
	cr_expect(!x86_zf_of(&b, X_EBX), "cmp changes the flags");
	x86_alu_ri(&b, X_SUB, 32, X_EDI, 3);
	cr_expect(x86_zf_of(&b, X_EDI));
	x86_shift_ri(&b, X_SHL, 32, X_EAX, 2);
	cr_expect(!x86_zf_of(&b, X_EDI), "a shift changes the flags");
	x86_alu_rr(&b, X_XOR, 16, X_EDX, X_EDX);
	cr_expect(!x86_zf_of(&b, X_EDX), "16-bit results say nothing of the register");
	x86_alu_rm(&b, X_OR, 32, X_EDX, x86_m(X_EBX, 8));
	cr_expect(x86_zf_of(&b, X_EDX));
	x86_label_init(&l);
	x86_bind(&b, &l);
	cr_expect(!x86_zf_of(&b, X_EDX), "a label may be reached with other flags");
}

/* The SSE2 scalar forms and the x87 loads and stores of the
 * floating-point code (x86/sse.h), every register pair and every kind of
 * memory operand. */
#include "servers/jit/x86/sse.h"

static const char *xmm[] = { "xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5", "xmm6", "xmm7" };

Test(x86, sse)
{
	static const struct { int op; const char *name; const char *mptr; } ops[] = {
		{ X_MOVSS, "movss", "dword" }, { X_MOVSD, "movsd", "qword" },
		{ X_ADDSS, "addss", "dword" }, { X_ADDSD, "addsd", "qword" },
		{ X_SUBSS, "subss", "dword" }, { X_SUBSD, "subsd", "qword" },
		{ X_MULSS, "mulss", "dword" }, { X_MULSD, "mulsd", "qword" },
		{ X_DIVSS, "divss", "dword" }, { X_DIVSD, "divsd", "qword" },
		{ X_MINSS, "minss", "dword" }, { X_MINSD, "minsd", "qword" },
		{ X_MAXSS, "maxss", "dword" }, { X_MAXSD, "maxsd", "qword" },
		{ X_SQRTSS, "sqrtss", "dword" }, { X_SQRTSD, "sqrtsd", "qword" },
		{ X_CVTSS2SD, "cvtss2sd", "dword" }, { X_CVTSD2SS, "cvtsd2ss", "qword" },
		{ X_UCOMISS, "ucomiss", "dword" }, { X_UCOMISD, "ucomisd", "qword" },
		{ X_ANDPS, "andps", "xmmword" }, { X_ANDPD, "andpd", "xmmword" },
		{ X_ANDNPS, "andnps", "xmmword" }, { X_ANDNPD, "andnpd", "xmmword" },
		{ X_ORPS, "orps", "xmmword" }, { X_ORPD, "orpd", "xmmword" },
		{ X_XORPS, "xorps", "xmmword" }, { X_XORPD, "xorpd", "xmmword" },
		{ X_UNPCKLPS, "unpcklps", "xmmword" },
	};
	begin();
	init_mems();
	for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++) {
		for (int d = 0; d < 8; d++)
			for (int s = 0; s < 8; s++)
				F(x86_sse_rr(&B, ops[i].op, d, s), "%s %s, %s", ops[i].name, xmm[d], xmm[s]);
		for (int k = 0; k < nmems; k++)
			F(x86_sse_rm(&B, ops[i].op, k & 7, mems[k]), "%s %s, %s ptr %s", ops[i].name,
			  xmm[k & 7], ops[i].mptr, strchr(mem(32, mems[k]), '['));
	}
	for (int d = 0; d < 8; d++)
		for (int s = 0; s < 8; s++) {
			F(x86_sse_rr(&B, X_MOVAPS, d, s), "movaps %s, %s", xmm[d], xmm[s]);
			F(x86_sse_cmp_rr(&B, X_CMPSD, d, s, (d + s) & 7), "cmpsd %s, %s, %d", xmm[d], xmm[s], (d + s) & 7);
			F(x86_sse_cmp_rr(&B, X_CMPSS, d, s, (d ^ s) & 7), "cmpss %s, %s, %d", xmm[d], xmm[s], (d ^ s) & 7);
			F(x86_cvtsi2s_rr(&B, X_CVTSI2SD, d, s), "cvtsi2sd %s, %s", xmm[d], r32[s]);
			F(x86_cvtsi2s_rr(&B, X_CVTSI2SS, d, s), "cvtsi2ss %s, %s", xmm[d], r32[s]);
			F(x86_cvts2si_rr(&B, X_CVTTSD2SI, d, s), "cvttsd2si %s, %s", r32[d], xmm[s]);
			F(x86_cvts2si_rr(&B, X_CVTTSS2SI, d, s), "cvttss2si %s, %s", r32[d], xmm[s]);
			F(x86_cvts2si_rr(&B, X_CVTSD2SI, d, s), "cvtsd2si %s, %s", r32[d], xmm[s]);
			F(x86_cvts2si_rr(&B, X_CVTSS2SI, d, s), "cvtss2si %s, %s", r32[d], xmm[s]);
			F(x86_movd_xr(&B, d, s), "movd %s, %s", xmm[d], r32[s]);
			F(x86_movd_rx(&B, d, s), "movd %s, %s", r32[d], xmm[s]);
		}
	for (int x = 0; x < 8; x++) {
		F(x86_psllq(&B, x, 32), "psllq %s, 32", xmm[x]);
		F(x86_psrlq(&B, x, (uint8_t)(x + 1)), "psrlq %s, %d", xmm[x], x + 1);
	}
	for (int k = 0; k < nmems; k++) {
		const char *m = strchr(mem(32, mems[k]), '[');
		F(x86_sse_mr(&B, X_MOVSS_ST, mems[k], k & 7), "movss dword ptr %s, %s", m, xmm[k & 7]);
		F(x86_sse_mr(&B, X_MOVSD_ST, mems[k], (k + 3) & 7), "movsd qword ptr %s, %s", m, xmm[(k + 3) & 7]);
		F(x86_sse_cmp_rm(&B, X_CMPSD, k & 7, mems[k], k & 7), "cmpsd %s, qword ptr %s, %d", xmm[k & 7], m, k & 7);
		F(x86_sse_cmp_rm(&B, X_CMPSS, k & 7, mems[k], 7 - (k & 7)), "cmpss %s, dword ptr %s, %d", xmm[k & 7], m, 7 - (k & 7));
		F(x86_cvtsi2s_rm(&B, X_CVTSI2SD, k & 7, mems[k]), "cvtsi2sd %s, dword ptr %s", xmm[k & 7], m);
		F(x86_cvtsi2s_rm(&B, X_CVTSI2SS, k & 7, mems[k]), "cvtsi2ss %s, dword ptr %s", xmm[k & 7], m);
		F(x86_cvts2si_rm(&B, X_CVTTSD2SI, k & 7, mems[k]), "cvttsd2si %s, qword ptr %s", r32[k & 7], m);
		F(x86_cvts2si_rm(&B, X_CVTTSS2SI, k & 7, mems[k]), "cvttss2si %s, dword ptr %s", r32[k & 7], m);
		F(x86_fld_m(&B, 32, mems[k]), "fld dword ptr %s", m);
		F(x86_fld_m(&B, 64, mems[k]), "fld qword ptr %s", m);
		F(x86_fstp_m(&B, 32, mems[k]), "fstp dword ptr %s", m);
		F(x86_fstp_m(&B, 64, mems[k]), "fstp qword ptr %s", m);
	}
	F(x86_fstp_st0(&B), "fstp st(0)");
	finish();
}

/* SSE forms with frame operands count as reads of every frame word they
 * touch (8-byte ones both words), stores too: dead-store elimination must
 * never drop them, and a frame they use is never found unused. */
Test(x86, sse_frame_words)
{
	uint8_t buf[64], rd[8] = { 0 };
	x86_buf b;
	x86_init(&b, buf, sizeof buf);
	b.fpread = rd;
	b.fpn = 8;
	x86_sse_rm(&b, X_MOVSD, 1, x86_m(X_FP, -16));  /* words 3 and 2 */
	x86_sse_mr(&b, X_MOVSS_ST, x86_m(X_FP, -24), 0); /* word 5 */
	cr_expect(rd[2] & 1);
	cr_expect(rd[3] & 1);
	cr_expect(rd[5] & 1);
	cr_expect(!(rd[4] & 1));
	x86_cvts2si_rr(&b, X_CVTTSD2SI, X_EAX, 0);
	cr_expect(b.wmask & 1, "cvttsd2si eax records the write of EAX");
}

/* Forward jumps predicted near (x86_fwd): the run records each one's
 * distance; a later run emits the predicted ones as rel8, patched at
 * the bind, and a wrong prediction sets `fail` instead of emitting a
 * wrong displacement. */
Test(x86, forward_rel8_predictions)
{
	uint8_t buf[1024];
	int32_t at[4], dist[4], next[4];
	uint8_t near[4] = { 1, 1, 0, 0 };
	x86_fwd f = { .cap = 4, .at = at, .dist = dist, .next = next };
	x86_buf b;
	x86_label a, z;
	x86_init(&b, buf, sizeof buf);
	b.fwd = &f;
	x86_label_init(&a);
	x86_label_init(&z);
	x86_jcc(&b, X_E, &a);                   /* 0: 6 bytes, recorded */
	x86_nops(&b, 3);
	x86_bind(&b, &a);
	cr_expect_eq(f.n, 1);
	cr_expect_eq(dist[0], 3, "distance %d", dist[0]);
	/* predicted: jump 0 (near) as rel8, jump 1 (near, but far) fails */
	x86_init(&b, buf, sizeof buf);
	f.n = 0;
	f.near = near;
	b.fwd = &f;
	x86_label_init(&a);
	x86_label_init(&z);
	x86_jcc(&b, X_E, &a);
	cr_expect_eq(b.len, 2);
	x86_jmp(&b, &z);
	cr_expect_eq(b.len, 4);
	x86_nops(&b, 3);
	x86_bind(&b, &a);
	cr_expect(buf[0] == 0x74 && buf[1] == 5, "je +5: %02x %02x", buf[0], buf[1]);
	cr_expect(!f.fail);
	for (int i = 0; i < 20; i++)
		x86_nops(&b, 9);
	x86_bind(&b, &z);
	cr_expect(f.fail, "a rel8 to a target 180 bytes away is caught");
}

/* Bundles: padding before a block's first instruction goes before its
 * label; a padding of more than 9 bytes is a jmp over NOPs. */
Test(x86, bundle_padding_before_head_and_jump_over)
{
	uint8_t buf[256];
	x86_buf b;
	x86_label l;
	x86_init(&b, buf, sizeof buf);
	b.bundle = true;
	x86_nops(&b, 28);
	x86_label_init(&l);
	x86_bind_head(&b, &l);
	x86_mov_ri(&b, 32, X_EAX, 0x1234);      /* 5 bytes: would cross 32 */
	cr_expect_eq(b.len, 37);
	cr_expect_eq(l.pos, 32, "the label moved past the padding: %d", l.pos);
	b.head = NULL;
	x86_nops(&b, 32 - 37 % 32 - 1);         /* 26 bytes: up to 63 */
	cr_expect(buf[37] == 0xeb && buf[38] == 24, "jmp +24 over the NOPs: %02x %02x", buf[37], buf[38]);
}

/* The instructions of buf[0..n) as Capstone prints them, one line each
 * (bundled: none may cross a 32-byte boundary). */
static void disasm_text(const uint8_t *buf, uint32_t n, char *out, size_t cap, bool bundled)
{
	csh cs;
	cs_insn *insn;
	cr_assert_eq(cs_open(CS_ARCH_X86, CS_MODE_32, &cs), CS_ERR_OK);
	size_t k = cs_disasm(cs, buf, n, 0, 0, &insn), len = 0;
	out[0] = 0;
	for (size_t i = 0; i < k; i++) {
		cr_assert(!bundled || insn[i].address / 32 == (insn[i].address + insn[i].size - 1) / 32,
			  "%s %s crosses a bundle boundary", insn[i].mnemonic, insn[i].op_str);
		len += (size_t)snprintf(out + len, cap - len, "%s %s\n", insn[i].mnemonic, insn[i].op_str);
	}
	cs_free(insn, k);
	cs_close(&cs);
}

/* buf[0..n) reads as ref[0..rn) did (ref emitted without bundles), and
 * none of its instructions crosses a boundary. */
static void expect_same_text(const uint8_t *ref, uint32_t rn, const uint8_t *buf, uint32_t n)
{
	static char want[2048], got[2048];
	disasm_text(ref, rn, want, sizeof want, false);
	disasm_text(buf, n, got, sizeof got, true);
	cr_expect_str_eq(got, want);
}

/* The same instructions emitted without bundles: what they must read as. */
static void absorb_case(x86_buf *b)
{
	x86_mov_rm(b, 32, X_EAX, x86_m(X_ESI, 8));      /* disp8: +3, +SIB +1, +4 */
	x86_alu_ri(b, X_ADD, 32, X_EBX, 4);              /* 83 /0 ib: 81 /0 id +3 */
	x86_inc_r(b, X_ECX);                              /* 41: FF C1 +1 */
	x86_mov_mr(b, 32, x86_m(X_EBX, 0), X_EDX);       /* no disp: +1, +4, +SIB */
	for (int i = 0; i < 10; i++)
		x86_mov_rr(b, 32, X_EDI, X_ESI);          /* 2 bytes, nothing to grow */
	x86_mov_ri(b, 32, X_EAX, 0x1234);                 /* 5 bytes at 29: would cross */
}

/* Bundles: instead of NOPs before an instruction that would cross a
 * boundary, the instructions before it in the bundle take longer
 * encodings of themselves (wider displacements, a SIB byte, imm32 for
 * imm8, the ModRM form of a one-byte opcode) that add up to the gap:
 * nothing runs that did not, and the instructions read the same. */
Test(x86, bundle_padding_absorbed_by_longer_encodings)
{
	uint8_t buf[128], ref[128];
	char got[2048];
	x86_buf b, r;
	x86_init(&r, ref, sizeof ref);
	absorb_case(&r);
	cr_assert_eq(r.len, 34, "the case: %u bytes", r.len);
	x86_init(&b, buf, sizeof buf);
	b.bundle = true;
	absorb_case(&b);
	cr_expect_eq(b.npad, 0, "%u NOPs", b.npad);
	cr_expect_eq(b.nabsorbed, 1);
	cr_expect_eq(b.len, 37, "the last instruction at 32: %u bytes", b.len);
	cr_expect(buf[32] == 0xb8, "mov eax, imm32 starts the next bundle: %02x", buf[32]);
	expect_same_text(ref, r.len, buf, b.len);

	/* a gap of 5: several grow */
	x86_init(&r, ref, sizeof ref);
	x86_init(&b, buf, sizeof buf);
	b.bundle = true;
	for (x86_buf *x = &r; x; x = x == &r ? &b : NULL) {
		x86_mov_rm(x, 32, X_EAX, x86_m(X_ESI, 8));
		x86_alu_ri(x, X_ADD, 32, X_EBX, 4);
		x86_inc_r(x, X_ECX);
		x86_mov_mr(x, 32, x86_m(X_EBX, 0), X_EDX);
		for (int i = 0; i < 9; i++)
			x86_mov_rr(x, 32, X_EDI, X_ESI);
		x86_mov_rm(x, 32, X_EAX, x86_m(X_ESP, 0x100));  /* 7 bytes at 27 */
	}
	cr_expect_eq(b.npad, 0, "%u NOPs", b.npad);
	cr_expect_eq(b.len, 39);
	expect_same_text(ref, r.len, buf, b.len);

	/* [disp32] in its SIB form, imul's imm8 as imm32; an offset the
	 * code generator keeps (a relocation's) moves with its field */
	x86_init(&r, ref, sizeof ref);
	x86_init(&b, buf, sizeof buf);
	b.bundle = true;
	uint32_t off = 0;
	for (x86_buf *x = &r; x; x = x == &r ? &b : NULL) {
		x86_mov_rm(x, 32, X_EBX, x86_m(X_NOREG, 0x12345678));  /* 6 bytes */
		if (x == &b) {
			off = b.len - 4;
			x86_track(&b, &off);
		}
		x86_imul_rri(x, X_ESI, X_EBX, 31);                      /* 3 bytes */
		x86_movzx_rr(x, 8, X_EAX, X_EBX);                       /* 3 bytes */
		for (int i = 0; i < 8; i++)
			x86_mov_rr(x, 32, X_EDI, X_ESI);
		x86_mov_ri(x, 32, X_EAX, 7);                            /* 5 at 28: 4 to absorb */
	}
	cr_expect_eq(b.npad, 0, "%u NOPs", b.npad);
	cr_expect_eq(b.len, 37);
	cr_expect_eq(off, 3, "the tracked field moved with the SIB byte: %u", off);
	cr_expect(buf[off] == 0x78 && buf[off + 3] == 0x12, "the field at %u: %02x", off, buf[off]);
	expect_same_text(ref, r.len, buf, b.len);

	/* a call ends at a boundary: from 29, its padding reaches into the
	 * next bundle, which no growth of this one may fill */
	x86_init(&b, buf, sizeof buf);
	b.bundle = true;
	for (int i = 0; i < 6; i++)
		x86_mov_mr(&b, 32, x86_m(X_EBX, 0), X_EDX);       /* may grow by 5 each */
	for (int i = 0; i < 8; i++)
		x86_mov_rr(&b, 32, X_EDI, X_ESI);
	x86_inc_r(&b, X_ECX);                                     /* to 29 */
	x86_call_rel32(&b);
	cr_expect_eq(b.len, 64, "the call ends at 64: %u", b.len);
	disasm_text(buf, b.len, got, sizeof got, true);

	/* nothing that may grow: NOPs as before */
	x86_init(&b, buf, sizeof buf);
	b.bundle = true;
	for (int i = 0; i < 14; i++)
		x86_mov_rr(&b, 32, X_EDI, X_ESI);
	x86_mov_ri(&b, 32, X_EAX, 0x1234);
	cr_expect_eq(b.nabsorbed, 0);
	cr_expect_eq(b.npad, 1);
	cr_expect_eq(b.len, 37);

	/* a label bound after them: code before it never moves */
	x86_label l;
	x86_init(&b, buf, sizeof buf);
	b.bundle = true;
	x86_mov_rm(&b, 32, X_EAX, x86_m(X_ESI, 8));
	x86_alu_ri(&b, X_ADD, 32, X_EBX, 4);
	x86_label_init(&l);
	x86_bind(&b, &l);
	for (int i = 0; i < 11; i++)
		x86_mov_rr(&b, 32, X_EDI, X_ESI);
	x86_mov_ri(&b, 32, X_EAX, 0x1234);
	cr_expect_eq(b.nabsorbed, 0, "grew code before a label");
	cr_expect_eq(l.pos, 6);
}
