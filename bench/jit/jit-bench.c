/* jit-bench: for each workload (NAME BITCODE NATIVE_ELF [FUNCTION [ARG]]
 * lines on stdin; default main())
 * measures the JIT's compile time per tier (bitcode read + compile, best
 * of several runs) against llc-19 -O0 / -O2 on the same bitcode (best of
 * 3 runs, wall time, net of llc's own start-up: its time on the empty
 * module LLC_EMPTY_BC is subtracted), and the dynamic instruction counts (Unicorn) of
 * main() per tier against the same C compiled by i686 gcc -O2.  Prints a
 * table and the geometric means; checks that all results agree. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "tests/jit/diff/harness.h"

#define NT (JIT_MAX_TIER + 1)

static double now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static double llc_us(const char *bc, const char *olevel)
{
	double best = 1e18;
	for (int i = 0; i < 3; i++) {
		double t0 = now_us();
		pid_t p = fork();
		if (p == 0) {
			execlp("llc-19", "llc-19", olevel, "-march=x86", "-filetype=obj", "-o", "/dev/null",
			       bc, (char *)NULL);
			_exit(127);
		}
		int st;
		waitpid(p, &st, 0);
		double t = now_us() - t0;
		if (t < best)
			best = t;
	}
	return best;
}

int main(int argc, char **argv)
{
	const char *rt = argc > 1 ? argv[1] : NULL;
	/* llc's start-up, measured on an empty module, is not compile time */
	const char *empty = getenv("LLC_EMPTY_BC");
	double s0 = empty ? llc_us(empty, "-O0") : 0, s2 = empty ? llc_us(empty, "-O2") : 0;
	if (empty)
		printf("llc-19 start-up (empty module): -O0 %.0f us, -O2 %.0f us, subtracted below\n", s0, s2);
	static struct jh h, nat;
	if (jh_init(&h, rt) != 0) {
		fprintf(stderr, "jit-bench: %s\n", h.err);
		return 2;
	}
	char line[4096], name[256], bcp[1024], elf[1024], fn[256];
	unsigned long argv1;
	double gl_c[NT] = { 0 }, gl_llc0 = 0, gl_llc2 = 0, gl_ins[NT] = { 0 };
	int n = 0, bad = 0;
	printf("%-10s | %9s %9s | %8s %8s %8s %8s | %7s %7s | %10s | %s\n", "workload", "llc -O0", "llc -O2",
	       "t0 us", "t1 us", "t2 us", "t3 us", "O0/t0", "O2/t3", "gcc -O2", "instructions t0..t3 (ratio gcc/tier)");
	while (fgets(line, sizeof line, stdin)) {
		int nf = sscanf(line, "%255s %1023s %1023s %255s %lu", name, bcp, elf, fn, &argv1);
		if (nf < 3)
			continue;
		if (nf < 4)
			strcpy(fn, "main");
		int nargs = nf >= 5 ? 1 : 0;
		uint64_t a64[1] = { argv1 };
		uint32_t a32[1] = { (uint32_t)argv1 };
		size_t len;
		uint8_t *bc = jh_slurp(bcp, &len);
		if (!bc)
			continue;
		double ct[NT];
		uint64_t ins[NT], res[NT];
		for (int t = 0; t < NT; t++) {
			double best = 1e18;
			for (int k = 0; k < 7; k++) {
				if (jh_read(&h, bc, len) != 0 || jh_compile(&h, t) != 0) {
					fprintf(stderr, "%s: %s\n", name, h.err);
					return 1;
				}
				double d = h.read_us + h.compile_us;
				if (d < best)
					best = d;
			}
			ct[t] = best;
			h.count = true;
			if (jh_call(&h, fn, a64, nargs, &res[t]) != 0) {
				fprintf(stderr, "%s: %s\n", name, h.err);
				return 1;
			}
			ins[t] = h.icount;
		}
		double l0 = llc_us(bcp, "-O0") - s0, l2 = llc_us(bcp, "-O2") - s2;
		if (l0 < 1)
			l0 = 1;
		if (l2 < 1)
			l2 = 1;
		memset(&nat, 0, sizeof nat);
		if (jh_init(&nat, elf) != 0) {
			fprintf(stderr, "%s: %s\n", name, nat.err);
			return 1;
		}
		nat.count = true;
		uint64_t nres;
		if (jh_call_native(&nat, fn, a32, nargs, &nres) != 0) {
			fprintf(stderr, "%s: %s\n", name, nat.err);
			return 1;
		}
		uint64_t nins = nat.icount;
		jh_fini(&nat);
		for (int t = 0; t < NT; t++)
			if ((uint32_t)res[t] != (uint32_t)nres) {
				printf("MISMATCH %s tier %d: 0x%08x vs gcc 0x%08x\n", name, t, (uint32_t)res[t],
				       (uint32_t)nres);
				bad++;
			}
		printf("%-10s | %7.0fus %7.0fus | %8.0f %8.0f %8.0f %8.0f | %6.0fx %6.1fx | %10llu |", name, l0, l2,
		       ct[0], ct[1], ct[2], ct[3], l0 / ct[0], l2 / ct[3], (unsigned long long)nins);
		for (int t = 0; t < NT; t++)
			printf(" %llu (%.2f)", (unsigned long long)ins[t], (double)nins / (double)ins[t]);
		printf("\n");
		for (int t = 0; t < NT; t++) {
			gl_c[t] += log(ct[t]);
			gl_ins[t] += log((double)nins / (double)ins[t]);
		}
		gl_llc0 += log(l0);
		gl_llc2 += log(l2);
		n++;
		free(bc);
	}
	if (!n)
		return 1;
	printf("\ngeomean over %d workloads:\n", n);
	printf("  compile time: llc-19 -O0 %.0f us, llc-19 -O2 %.0f us;", exp(gl_llc0 / n), exp(gl_llc2 / n));
	for (int t = 0; t < NT; t++)
		printf(" tier %d %.0f us", t, exp(gl_c[t] / n));
	printf("\n  tier 0 compiles %.0fx faster than llc-19 -O0; tier 3 %.0fx faster than llc-19 -O2\n",
	       exp((gl_llc0 - gl_c[0]) / n), exp((gl_llc2 - gl_c[3]) / n));
	printf("  speed vs gcc -O2 (gcc instructions / tier instructions):");
	for (int t = 0; t < NT; t++)
		printf(" tier %d %.2f", t, exp(gl_ins[t] / n));
	printf("\n");
	jh_fini(&h);
	return bad ? 1 : 0;
}
