/* jit-cycles (build/host32, i686, static): the native-cycle side of
 * `make bench`.  For each workload line on stdin
 *     NAME BITCODE FUNCTION ARG ELF...
 * it runs FUNCTION(ARG) natively on this CPU: the JIT's code at tiers 0-3
 * (compiled here from BITCODE), then each ELF (the same C built by i686
 * gcc -O2, clang-19 -O2, llc-19 -O0 and -O2 from the same bitcode; each
 * linked inside the harness's window), REPEAT times each, and prints the
 * least cycles (rdtsc, fenced; data restored before every JIT run, and the
 * modules reinitialise their own state on every call).  Every result must
 * agree.  Output: one line per workload, `cycles NAME t0 t1 t2 t3 gcc
 * clang llcO0 llcO2`, read by bench/jit/bench.sh. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/jit/diff/harness.h"

#define REPEAT 31

int main(void)
{
	static struct jh h, nat;
	if (jh_init(&h, NULL) != 0) {
		fprintf(stderr, "jit-cycles: %s\n", h.err);
		return 2;
	}
	h.repeat = REPEAT;
	char line[8192];
	int bad = 0;
	while (fgets(line, sizeof line, stdin)) {
		char name[256], bcp[1024], fn[256], elfs[4][1024];
		unsigned long arg;
		int nf = sscanf(line, "%255s %1023s %255s %lu %1023s %1023s %1023s %1023s", name, bcp, fn, &arg,
				elfs[0], elfs[1], elfs[2], elfs[3]);
		if (nf < 4)
			continue;
		size_t len;
		uint8_t *bc = jh_slurp(bcp, &len);
		if (!bc || jh_read(&h, bc, len) != 0) {
			fprintf(stderr, "jit-cycles: %s: %s\n", name, bc ? h.err : "cannot read");
			return 1;
		}
		uint64_t a64[1] = { arg }, cyc[JIT_MAX_TIER + 1 + 4], first = 0, r;
		uint32_t a32[1] = { (uint32_t)arg };
		int nv = 0;
		for (int t = 0; t <= JIT_MAX_TIER; t++) {
			if (jh_read(&h, bc, len) || jh_compile(&h, t) || jh_call(&h, fn, a64, 1, &r)) {
				fprintf(stderr, "jit-cycles: %s tier %d: %s\n", name, t, h.err);
				return 1;
			}
			if (t == 0)
				first = r;
			bad += (uint32_t)r != (uint32_t)first;
			cyc[nv++] = h.cycles_min;
		}
		for (int e = 0; e < nf - 4; e++) {
			memset(&nat, 0, sizeof nat);
			nat.repeat = REPEAT;
			if (jh_init(&nat, elfs[e]) || jh_call_native(&nat, fn, a32, 1, &r)) {
				fprintf(stderr, "jit-cycles: %s: %s: %s\n", name, elfs[e], nat.err);
				return 1;
			}
			if ((uint32_t)r != (uint32_t)first) {
				printf("MISMATCH %s %s: 0x%08x vs the JIT's 0x%08x\n", name, elfs[e], (uint32_t)r,
				       (uint32_t)first);
				bad++;
			}
			cyc[nv++] = nat.cycles_min;
			jh_fini(&nat);
		}
		printf("cycles %s", name);
		for (int i = 0; i < nv; i++)
			printf(" %llu", (unsigned long long)cyc[i]);
		printf("\n");
		fflush(stdout);
		free(bc);
	}
	jh_fini(&h);
	return bad ? 1 : 0;
}
