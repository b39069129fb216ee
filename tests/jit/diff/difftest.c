/* jit-difftest: runs modules under the JIT and compares with expected
 * results.  Reads lines "NAME BITCODE FUNCTION EXPECTED" from stdin
 * (EXPECTED: the 32-bit result as hex, from the natively built program);
 * for every tier given with -t (default: 0 and the top tier) compiles the
 * module, calls FUNCTION() and prints TEST PASS/FAIL NAME/tN lines.
 * "-t 3u": tier 3 with jit_opts.unroll_all (every loop the unroller can
 * transform is unrolled, its heuristics off), NAME/t3u.  Blank lines are
 * skipped; a malformed line, or no input at all, is a failure. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tests/jit/diff/harness.h"

int main(int argc, char **argv)
{
	int tiers[8], nt = 0;
	bool all[8] = { false };
	const char *rt = NULL;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-t") && i + 1 < argc && nt < 8) {
			all[nt] = strchr(argv[i + 1], 'u') != NULL;
			tiers[nt++] = atoi(argv[++i]);
		}
		else if (!strcmp(argv[i], "--rt") && i + 1 < argc)
			rt = argv[++i];
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
			const char *u = all[t] ? "u" : "";
			h.unroll_all = all[t];
			if (rd != 0 || jh_compile(&h, tiers[t]) != 0 || jh_call(&h, fn, NULL, 0, &ret) != 0) {
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
