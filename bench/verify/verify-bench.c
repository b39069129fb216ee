/* The verifier's cost: CPU cycles per KiB verified (host, rdtsc, the
 * minimum of many runs), over an image in the sandboxed form the JIT will
 * emit: bundles of the encoder's usual instructions (moves, ALU with
 * memory operands, compares and jumps), calls at bundle ends (direct to
 * the image and to an export, through the dispatch table, masked) and
 * masked returns.  The verifier is built -O2, as in the kernel.  Writes
 * build/bench/verify.txt. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <x86intrin.h>
#include "lib/include/bareflow/abi.h"
#include "microkernel/verify/verify.h"

#define BASE 0x60100000u
#define SIZE (64u * 1024)
static uint8_t img[SIZE];
static const uint32_t exports[] = { 0x60000100u, 0x60000200u };

static void put(uint32_t *at, const uint8_t *b, uint32_t n) { memcpy(img + *at, b, n); *at += n; }
#define PUT(...) put(&at, (const uint8_t[]){ __VA_ARGS__ }, sizeof((const uint8_t[]){ __VA_ARGS__ }))

static void pad_to_end(uint32_t *at, uint32_t n)
{
	uint32_t end = (*at + 31) / 32 * 32;
	if (end - *at < n)
		end += 32;
	memset(img + *at, 0x90, end - n - *at);
	*at = end - n;
}

int main(void)
{
	memset(img, 0xCC, SIZE);
	uint32_t at = 0;
	for (int k = 0; at + 256 < SIZE; k++) {
		uint32_t start = at;
		PUT(0x55, 0x89, 0xE5, 0x83, 0xEC, 0x10);		/* push ebp; mov ebp, esp; sub esp, 16 */
		PUT(0x8B, 0x45, 0x08, 0x8B, 0x4D, 0x0C);		/* mov eax, [ebp+8]; mov ecx, [ebp+12] */
		PUT(0x01, 0xC8, 0x89, 0x45, 0xFC, 0x3B, 0x45, 0xF8);	/* add; mov [ebp-4], eax; cmp */
		PUT(0x0F, 0x8C, 0x10, 0, 0, 0);				/* jl +16 */
		PUT(0x0F, 0xAF, 0xC1, 0xC1, 0xE0, 0x03);		/* imul eax, ecx; shl eax, 3 */
		pad_to_end(&at, 5);
		uint32_t rel = BASE + start - (BASE + at + 5);		/* call the function's start */
		PUT(0xE8, rel, rel >> 8, rel >> 16, rel >> 24);
		PUT(0x0F, 0xB6, 0x45, 0xFF, 0x8D, 0x04, 0x88, 0x85, 0xC0);	/* movzx; lea; test */
		pad_to_end(&at, 5);
		rel = exports[k & 1] - (BASE + at + 5);
		PUT(0xE8, rel, rel >> 8, rel >> 16, rel >> 24);
		PUT(0x89, 0x45, 0xF4, 0x8B, 0x15, 0x00, 0x40, 0x00, 0x50, 0x42);	/* mov; mov edx, [abs]; inc edx */
		pad_to_end(&at, 6);
		PUT(0xFF, 0x15, 0x04, 0xF0, 0xFF, 0x5F);		/* call [dispatch + 4] */
		PUT(0x8B, 0x45, 0xFC, 0xC9, 0x59, 0x83, 0xE1, 0xE0, 0xFF, 0xE1);	/* mov; leave; masked ret */
		at = (at + 31) / 32 * 32;
	}
	struct verify_env env = { exports, 2, USER_DISPATCH_VA };
	struct verify_result res;
	if (verify_code(img, SIZE, BASE, &env, &res) != V_OK) {
		fprintf(stderr, "verify-bench: the image is refused at %u: %s\n", res.offset,
			verify_rule_name(res.rule));
		return 1;
	}
	uint64_t best = UINT64_MAX;
	for (int run = 0; run < 300; run++) {
		uint64_t t0 = __rdtsc();
		int r = verify_code(img, SIZE, BASE, &env, &res);
		uint64_t dt = __rdtsc() - t0;
		if (r != V_OK)
			return 1;
		if (dt < best)
			best = dt;
	}
	uint64_t per_kib = best / (SIZE / 1024);
	printf("== verifier (host, rdtsc, min of 300 runs over a %u KiB accepted image) ==\n", SIZE / 1024);
	printf("  verify_cycles_per_kib %10llu\n", (unsigned long long)per_kib);
	printf("  verify_cycles_per_page %9llu\n", (unsigned long long)(per_kib * 4));
	FILE *f = fopen("build/bench/verify.txt", "w");
	if (f) {
		fprintf(f, "verify_cycles_per_kib %llu\n", (unsigned long long)per_kib);
		fclose(f);
	}
	return 0;
}
