/* jit-difftest: runs modules under the JIT and compares with expected
 * results.  Reads lines "NAME BITCODE FUNCTION EXPECTED" from stdin
 * (EXPECTED: the 32-bit result as hex, from the natively built program);
 * for every tier given with -t (default: 0 and the top tier) compiles the
 * module, calls FUNCTION() and prints TEST PASS/FAIL NAME/tN lines.
 * "-t 3u": tier 3 with jit_opts.unroll_all (every loop the unroller can
 * transform is unrolled, its heuristics off), NAME/t3u.  "--secure LIST"
 * compiles with those defences (jit_secure_parse); with `sandbox` every
 * image must also pass the kernel's verifier (harness_verify.c) before
 * it runs, and each tier is then recompiled function by function (as a
 * tier-up does) and verified too.  "--seed N": jit_opts.seed (blinding
 * keys, random placement; as mjit --seed).  Blank lines are
 * skipped; a malformed line, or no input at all, is a failure. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tests/jit/diff/harness.h"

/* Sandboxed: every defined function recompiled alone at `tier` and
 * installed as a tier-up would (its own unit, verified), so the result
 * also comes from code that crosses units through the dispatch table. */
static int recompile_all(struct jh *h, int tier)
{
	if (!(h->secure & JIT_SEC_SANDBOX))
		return 0;
	/* jh_recompile keeps 16 units in flight: the first 16 functions */
	for (uint32_t i = 0, n = 0; i < h->m->nfuncs && n < 16; i++) {
		struct ir_func *f = h->m->funcs[i];
		n += !f->is_decl;
		if (!f->is_decl && f->v.name && jh_recompile(h, f->v.name, tier) != 0)
			return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	int tiers[8], nt = 0;
	bool all[8] = { false };
	const char *rt = NULL;
	uint32_t secure = 0;
	uint64_t seed = 0;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-t") && i + 1 < argc && nt < 8) {
			all[nt] = strchr(argv[i + 1], 'u') != NULL;
			tiers[nt++] = atoi(argv[++i]);
		}
		else if (!strcmp(argv[i], "--rt") && i + 1 < argc)
			rt = argv[++i];
		else if (!strcmp(argv[i], "--seed") && i + 1 < argc)
			seed = strtoull(argv[++i], NULL, 0);
		else if (!strcmp(argv[i], "--secure") && i + 1 < argc) {
			if (jit_secure_parse(argv[++i], &secure) != 0) {
				fprintf(stderr, "difftest: --secure: unknown defence in '%s'\n", argv[i]);
				return 2;
			}
		}
	}
	if (!nt) {
		tiers[nt++] = 0;
		tiers[nt++] = JIT_MAX_TIER;
	}
	static struct jh h;
	if (jh_init(&h, rt) != 0) {
		fprintf(stderr, "difftest: %s\n", h.err);
		return 2;
	}
	h.secure = secure;
	h.seed = seed;
	char line[4096], name[1024], path[2048], fn[256];
	unsigned long expect;
	int fails = 0, passes = 0, lineno = 0;
	while (fgets(line, sizeof line, stdin)) {
		lineno++;
		if (line[strspn(line, " \t\r\n")] == '\0')
			continue;
		if (sscanf(line, "%1023s %2047s %255s %lx", name, path, fn, &expect) != 4) {
			printf("TEST FAIL input line %d: not \"NAME BITCODE FUNCTION EXPECTED\": %s", lineno, line);
			fails++;
			continue;
		}
		size_t len;
		uint8_t *bc = jh_slurp(path, &len);
		if (!bc) {
			printf("TEST FAIL %s: cannot read %s\n", name, path);
			fails++;
			continue;
		}
		int rd = jh_read(&h, bc, len);
		for (int t = 0; t < nt; t++) {
			uint64_t ret = 0;
			/* sandboxed results get names of their own */
			const char *u = all[t] ? (secure ? "u/secure" : "u") : (secure ? "/secure" : "");
			h.unroll_all = all[t];
			if (rd != 0 || jh_compile(&h, tiers[t]) != 0 || recompile_all(&h, tiers[t]) != 0 ||
			    jh_call(&h, fn, NULL, 0, &ret) != 0) {
				printf("TEST FAIL %s/t%d%s: %s\n", name, tiers[t], u, h.err);
				fails++;
			} else if ((uint32_t)ret != (uint32_t)expect) {
				printf("TEST FAIL %s/t%d%s: got 0x%08x, expected 0x%08lx\n", name, tiers[t], u,
				       (uint32_t)ret, expect);
				fails++;
			} else {
				printf("TEST PASS %s/t%d%s\n", name, tiers[t], u);
				passes++;
			}
			fflush(stdout);
		}
		free(bc);
	}
	fprintf(stderr, "difftest: %d passed, %d failed\n", passes, fails);
	jh_fini(&h);
	/* No input means the script that built the list failed: never report
	 * that as success ("0 passed, 0 failed"). */
	if (passes + fails == 0) {
		printf("TEST FAIL difftest: no input (no \"NAME BITCODE FUNCTION EXPECTED\" lines on stdin)\n");
		return 1;
	}
	return fails ? 1 : 0;
}
