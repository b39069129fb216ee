/* The harness's sandbox check: with jit_opts.secure & JIT_SEC_SANDBOX,
 * every image the harness links (jh_compile, jh_recompile) goes through
 * the kernel's own verifier (microkernel/verify/, the same files the
 * kernel builds) before it runs, with the harness's addresses in place of
 * the guest's: the runtime's symbols (rt.elf) as the allowed external
 * targets and JH_TABLE as the dispatch page.  A refusal is an error of
 * the compile, so every test that runs sandboxed code (jit-difftest
 * --secure, the Criterion tests, mjit) also checks that the JIT's output
 * passes the kernel. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "microkernel/verify/verify.h"
#include "tests/jit/diff/harness.h"

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return x < y ? -1 : x > y;
}

int jh_verify(struct jh *h, uint32_t base, const uint8_t *code, uint32_t len)
{
	/* like the jit's install: INT3 to the end of the page */
	uint32_t padded = len ? (len + 4095u) & ~4095u : 4096u;
	uint8_t *img = malloc(padded);
	uint32_t ext[512];
	if (!img) {
		snprintf(h->err, sizeof h->err, "verify: out of memory");
		return -1;
	}
	memcpy(img, code, len);
	memset(img + len, 0xCC, padded - len);
	uint32_t n = 0;
	for (int i = 0; i < h->nsyms && n < 512; i++)
		ext[n++] = h->syms[i].addr;
	qsort(ext, n, sizeof ext[0], cmp_u32);
	struct verify_env env = { ext, n, JH_TABLE };
	struct verify_result res;
	int r = verify_code(img, padded, base, &env, &res);
	free(img);
	h->verified += len;
	if (r == V_OK)
		return 0;
	snprintf(h->err, sizeof h->err, "verify: refused at offset 0x%x (address 0x%08x): %s%s%s",
		 res.offset, base + res.offset, verify_rule_name(r), res.detail[0] ? ": " : "", res.detail);
	return -1;
}
