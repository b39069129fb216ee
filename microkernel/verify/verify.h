/* The code verifier: the rules every byte of JIT code must pass before
 * the kernel maps it executable into a module task (Native Client's
 * design: 32-byte bundles, masked indirect jumps, a small validator).
 * docs/secure-jit.md gives the rules, why each exists, and what the JIT
 * must emit to pass them.
 *
 * Guarantee, when verify_code() returns V_OK for an image installed at
 * `base`: decoding from every bundle start (the only places a masked
 * jump, a dispatch call or a masked return can reach) and from every
 * direct jump target meets only instructions the decoder knows, none of
 * them forbidden, none crossing a 32-byte boundary; every direct jump or
 * call lands on such an instruction start in the image (never between a
 * mask and its jump) or on an allowed external address; every indirect
 * jump or call is masked to a bundle start or reads a dispatch-table
 * entry; no plain `ret`; every call ends at a bundle end.
 * Portable: the kernel, the host tests, the fuzzer and tools/bf-verify
 * build the same files.  No allocation, no recursion. */
#ifndef KERNEL_VERIFY_VERIFY_H
#define KERNEL_VERIFY_VERIFY_H
#include <stdint.h>

#define VERIFY_BUNDLE 32u

enum verify_rule {
	V_OK,
	V_UNKNOWN,	/* an instruction the decoder does not know (or truncated) */
	V_BUNDLE,	/* an instruction crosses a 32-byte bundle boundary */
	V_FORBIDDEN,	/* a forbidden instruction */
	V_INT3,		/* int3 that is not padding (padding runs to the bundle end) */
	V_TARGET,	/* direct jump / call to neither an instruction start here nor an export */
	V_UNMASKED,	/* jmp / call r32 not right after and r32, -32 in the same bundle */
	V_INDIRECT_MEM,	/* jmp / call through memory other than a dispatch-table entry */
	V_RET,		/* a plain ret: use pop r; and r, -32; jmp r */
	V_CALL_ALIGN,	/* a call that does not end at a bundle end */
	V_SIZE,		/* the image is empty or not a whole number of bundles */
	V_RULES
};

/* Where the image may leave to, besides itself. */
struct verify_env {
	const uint32_t *ext;	/* allowed direct targets outside the image, ascending */
	uint32_t next;
	uint32_t dispatch_va;	/* call / jmp [disp32] may read entries of this page */
};

/* Fetches the 32 bytes of the bundle at offset `off` (a multiple of 32,
 * below the image's length). */
typedef const uint8_t *(*verify_fetch)(void *ctx, uint32_t off);

struct verify_result {
	uint32_t offset;	/* of the offending instruction */
	int rule;		/* enum verify_rule */
	const char *detail;	/* the forbidden class, or "" */
};

/* Verify len bytes (a multiple of 32) that will run at base. */
int verify_image(verify_fetch fetch, void *ctx, uint32_t len, uint32_t base,
		 const struct verify_env *env, struct verify_result *res);
/* The same over a buffer in memory. */
int verify_code(const uint8_t *code, uint32_t len, uint32_t base,
		const struct verify_env *env, struct verify_result *res);
const char *verify_rule_name(int rule);
/* Is `va` one of the ascending `ext`? */
int verify_is_ext(const struct verify_env *env, uint32_t va);
#endif
