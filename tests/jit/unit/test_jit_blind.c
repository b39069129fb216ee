/* Constant blinding (jit_opts.secure & JIT_SEC_BLIND, servers/jit/x86/
 * blind.c): the wide constants a module chose -- here ones spelling
 * `int 0x80` and friends, as a JIT-spraying module would -- appear in the
 * plain JIT's code at some tier and -O level, and never in the blinded
 * code, at any tier and level, with the sandbox or without; the results
 * stay the host's.  So the test fails if blinding misses a form the code
 * generator uses for these constants (mov, ALU, compare, store, multiply,
 * push of a call argument, lea). */
#include <criterion/criterion.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tests/jit/diff/harness.h"
#include "servers/jit/x86/x86.h"

#define PROGRAM(name, ...) static const char *name##_src = #__VA_ARGS__; __VA_ARGS__

PROGRAM(prog,
__attribute__((noinline)) static unsigned take(unsigned a, unsigned b) { return a * 3u + (b ^ 0x0badf00du); }
unsigned spray(unsigned x)
{
	volatile unsigned cell[4];
	unsigned r = x ^ 0x80cd9090u;
	r += 0x3c80cd58u;
	if (r == 0xcafebabeu || x < 0x7e0f1f40u)
		r *= 0x0101f4c3u;
	cell[x & 3] = 0xe0ffe083u;
	cell[(x + 1) & 3] = 0x12345678u;
	r ^= cell[x & 3] + cell[(x + 1) & 3];
	r = (r & 0x7fffff00u) | (x & 0xff);
	unsigned t = x + 0x2ecd80c3u; /* x stays live: lea t, [x + C] */
	return r + take(r, 0x41c0ffeeu) + take(0x80cd9090u, x) + t * x;
}
)

/* Wide displacements the module chose (p[0x48D159E] is [p + 0x12345678])
 * and a `test [m], imm` with a wide immediate; SSE loads and stores too. */
PROGRAM(dprog,
unsigned disp(unsigned x)
{
	volatile unsigned cell[8];
	volatile unsigned char bytes[8];
	for (int i = 0; i < 8; i++) {
		cell[i] = x + (unsigned)i;
		bytes[i] = (unsigned char)(x >> i);
	}
	volatile unsigned long vb = (unsigned long)cell, vc = (unsigned long)bytes;
	volatile unsigned *p = (volatile unsigned *)(vb - 0x12345678u);
	volatile unsigned char *q = (volatile unsigned char *)(vc - 0x23456789u);
	unsigned r = p[0x48D159E];
	p[0x48D159F] = r ^ x;
	p[0x48D15A0] += x;
	r += q[0x23456789 + 3];
	if (p[0x48D15A1] & 0x7ff0ff00u)
		r ^= 0x55;
	volatile float fl[2];
	fl[0] = (float)(x & 0xff);
	volatile unsigned long vf = (unsigned long)fl;
	volatile float *f = (volatile float *)(vf - 0x3456789cu);
	f[0x0D159E28] = f[0x0D159E27] * 2.0f; /* movss [.. + 0x345678a0], xmm */
	r += (unsigned)fl[1];
	volatile double dl[1];
	dl[0] = (double)(x & 0xff);
	volatile unsigned long vd = (unsigned long)dl;
	volatile double *d = (volatile double *)(vd - 0x23456788u);
	r += (unsigned)d[0x0468ACF1]; /* movsd xmm, [.. + 0x23456788] */
	return r + p[0x48D159F] + p[0x48D15A0];
}
)

static const uint32_t dconsts[] = { 0x12345678u, 0x1234567cu, 0x12345680u, 0x12345684u, 0x2345678cu,
				    0x3456789cu, 0x345678a0u, 0x23456788u };

static const uint32_t consts[] = { 0x80cd9090u, 0x3c80cd58u, 0xcafebabeu, 0x7e0f1f40u, 0x0101f4c3u,
				   0xe0ffe083u, 0x12345678u, 0x7fffff00u, 0x41c0ffeeu, 0x0badf00du, 0x2ecd80c3u };

static struct jh H;

/* How many of consts appear (4 bytes, little-endian) in the image. */
static int found(const uint8_t *code, uint32_t len)
{
	int n = 0;
	for (size_t i = 0; i < sizeof consts / sizeof consts[0]; i++)
		for (uint32_t at = 0; at + 4 <= len; at++)
			if (!memcmp(code + at, &consts[i], 4)) {
				n++;
				break;
			}
	return n;
}

static void run(uint32_t secure, int o, int t, uint64_t seed)
{
	H.secure = secure;
	H.seed = seed;
	cr_assert_eq(jh_compile(&H, t), 0, "-O%d t%d: %s", o, t, H.err);
	static const uint32_t xs[] = { 0, 1, 0x7e0f1f3fu, 0x80cd9090u ^ 0xcafebabeu ^ 0x3c80cd58u, 0xffffffffu };
	for (size_t i = 0; i < sizeof xs / sizeof xs[0]; i++) {
		uint64_t a = xs[i], r;
		cr_assert_eq(jh_call(&H, "spray", &a, 1, &r), 0, "%s", H.err);
		cr_assert_eq((uint32_t)r, spray(xs[i]), "-O%d t%d secure %x x=%x", o, t, secure, xs[i]);
	}
}

Test(jit_blind, sprayed_constants_absent_results_equal)
{
	cr_assert_eq(jh_init(&H, "build/host/jit/rt.elf"), 0, "%s", H.err);
	int plain_seen = 0;
	for (int o = 0; o <= 3; o++) {
		cr_assert_eq(jh_load_c(&H, prog_src, o), 0, "%s", H.err);
		for (int t = 0; t <= JIT_MAX_TIER; t++) {
			run(0, o, t, 0);
			int n = found(H.o.code, H.o.code_len);
			plain_seen += n;
			static const uint32_t with[] = { JIT_SEC_BLIND, JIT_SEC_BLIND | JIT_SEC_SANDBOX | JIT_SEC_RANDOM };
			for (int w = 0; w < 2; w++)
				for (uint64_t seed = 1; seed <= 3; seed++) {
					run(with[w], o, t, seed);
					cr_assert_eq(found(H.o.code, H.o.code_len), 0,
						     "-O%d t%d secure %x seed %llu: a sprayed constant in the code", o,
						     t, with[w], (unsigned long long)seed);
				}
		}
	}
	cr_assert_gt(plain_seen, 20, "the plain JIT shows the constants (else this test proves nothing)");
	jh_fini(&H);
}

static int dfound(const uint8_t *code, uint32_t len)
{
	int n = 0;
	for (size_t i = 0; i < sizeof dconsts / sizeof dconsts[0]; i++)
		for (uint32_t at = 0; at + 4 <= len; at++)
			if (!memcmp(code + at, &dconsts[i], 4)) {
				n++;
				break;
			}
	return n;
}

static void drun(uint32_t secure, int o, int t, uint64_t seed)
{
	H.secure = secure;
	H.seed = seed;
	cr_assert_eq(jh_compile(&H, t), 0, "-O%d t%d: %s", o, t, H.err);
	static const uint32_t xs[] = { 0, 1, 0x7ff0ff00u, 0x12345678u, 0xffffffffu };
	for (size_t i = 0; i < sizeof xs / sizeof xs[0]; i++) {
		uint64_t a = xs[i], r;
		cr_assert_eq(jh_call(&H, "disp", &a, 1, &r), 0, "%s", H.err);
		cr_assert_eq((uint32_t)r, disp(xs[i]), "-O%d t%d secure %x x=%x", o, t, secure, xs[i]);
	}
}

/* The wide displacements appear in the plain JIT's code (p[0x48D159E]:
 * mov r, [p + 0x12345678]) and never in the blinded code. */
Test(jit_blind, wide_displacements_absent_results_equal)
{
	cr_assert_eq(jh_init(&H, "build/host/jit/rt.elf"), 0, "%s", H.err);
	int plain_seen = 0;
	for (int o = 0; o <= 3; o++) {
		cr_assert_eq(jh_load_c(&H, dprog_src, o), 0, "%s", H.err);
		for (int t = 0; t <= JIT_MAX_TIER; t++) {
			drun(0, o, t, 0);
			plain_seen += dfound(H.o.code, H.o.code_len);
			static const uint32_t with[] = { JIT_SEC_BLIND, JIT_SEC_BLIND | JIT_SEC_SANDBOX | JIT_SEC_RANDOM };
			for (int w = 0; w < 2; w++)
				for (uint64_t seed = 1; seed <= 3; seed++) {
					drun(with[w], o, t, seed);
					cr_assert_eq(dfound(H.o.code, H.o.code_len), 0,
						     "-O%d t%d secure %x seed %llu: a module's displacement in the code",
						     o, t, with[w], (unsigned long long)seed);
				}
		}
	}
	cr_assert_gt(plain_seen, 20, "the plain JIT shows the displacements (else this test proves nothing)");
	jh_fini(&H);
}

/* test [m], imm with a wide displacement and a wide immediate, and a
 * load with an ESP base and no dead scratch: neither constant in the
 * bytes. */
Test(blind, test_mem_and_esp_displacement)
{
	uint8_t buf[256];
	x86_buf b;
	x86_init(&b, buf, sizeof buf);
	b.blind = true;
	x86_test_mi(&b, 32, x86_m(X_EBX, 0x12345678), 0x7ff0ff00);
	x86_mov_rm(&b, 32, X_EAX, x86_m(X_ESP, 0x01234567));
	x86_mov_mr(&b, 32, x86_mx(X_ESP, X_EBX, 4, 0x02345678), X_ECX);
	static const uint32_t c[] = { 0x12345678u, 0x7ff0ff00u, 0x01234567u, 0x01234567u + 4, 0x02345678u,
				      0x02345678u + 4 };
	for (size_t i = 0; i < sizeof c / sizeof c[0]; i++)
		for (uint32_t at = 0; at + 4 <= b.len; at++)
			cr_assert(memcmp(buf + at, &c[i], 4), "%08x at %u", c[i], at);
	cr_expect_eq(b.depth, 0, "pushes and pops balance");
	b.blind = false;
	uint32_t n = b.len;
	x86_test_mi(&b, 32, x86_m(X_EBX, 0x12345678), 0x7ff0ff00);
	cr_expect(!memcmp(buf + n + 2, &c[0], 4) && !memcmp(buf + n + 6, &c[1], 4), "plain: both constants");
}

/* A dead ECX or EDX (x86_buf.blind_free, not written since) is the
 * scratch of a blinded ALU operation: no push and pop. */
Test(blind, dead_scratch_needs_no_push)
{
	uint8_t buf[256];
	x86_buf b;
	x86_init(&b, buf, sizeof buf);
	b.blind = true;
	b.blind_free = 1u << X_ECX | 1u << X_EDX;
	x86_alu_ri(&b, X_AND, 32, X_EBX, 0x55555555);
	/* mov ecx, imm-k (5); lea ecx, [ecx+k] (6); and ebx, ecx (2) */
	cr_expect(buf[0] == 0xb9 && b.len == 13, "mov ecx, imm-k first: %02x, %u bytes", buf[0], b.len);
	uint32_t n = b.len;
	x86_alu_ri(&b, X_ADD, 32, X_EBX, 0x12345678);   /* ECX written: EDX */
	cr_expect(buf[n] == 0xba, "mov edx, imm-k: %02x", buf[n]);
	b.wmask = 0;
	b.blind_free = 0;
	n = b.len;
	x86_alu_ri(&b, X_ADD, 32, X_EBX, 0x12345678);   /* none dead: pushed */
	cr_expect(buf[n] == 0x51, "push ecx: %02x", buf[n]);
}
