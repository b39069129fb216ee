/* mjit: study what the micro-JIT does with a module.
 *
 *   mjit FILE.llbc|FILE.bc [--tier N] [--call fn args...] [--disasm] [--stats]
 *        [--profile] [--budget N] [--secure LIST] [--seed N] [--dump-code FILE]
 *                                                  (build/host/mjit)
 *   mjit FILE.llbc|FILE.bc [--tier N] --native --call fn args... [--repeat R]
 *                                                  (build/host32/mjit)
 *
 * Compiles the module on the host at the given tier (default 0), links it
 * at fixed addresses and runs `fn` with the module runtime mapped beside
 * it.  The 64-bit build runs it under Unicorn (i386): the result, the
 * generated code disassembled with Capstone, compile time and the number
 * of instructions executed (per instruction with --profile).  The 32-bit
 * build (i686, static; MJIT_NATIVE) runs it natively on this CPU, R times
 * with the writable data restored before each, and prints the cycles the
 * call took: `cycles: min M median D` (rdtsc, fenced).  --budget N
 * compiles with a budget of N work units per function (jit_opts.budget)
 * and stops with the compiler's message when that runs out.  --secure
 * LIST picks the JIT's defences (sandbox, random, all, none: default
 * none; docs/secure-jit.md), sandboxed images are checked by the
 * kernel's verifier before they run; --seed N seeds random placement;
 * --dump-code FILE writes the linked image as the jit server would
 * install it (also when the verifier refused it), for bf-verify. */
#ifndef MJIT_NATIVE
#include <capstone/capstone.h>
#endif
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tests/jit/diff/harness.h"

static void usage(void)
{
	fprintf(stderr, "usage: mjit FILE.llbc [--tier N] [--call fn args...] [--disasm] [--stats] [--profile] "
		"[--budget N] [--rt rt.elf] [--secure LIST] [--seed N] [--dump-code FILE]\n"
		"       mjit FILE.llbc [--tier N] --native --call fn args... [--repeat R]  (build/host32/mjit)\n");
	exit(2);
}

#ifdef MJIT_NATIVE
static void disasm(struct jh *h, const uint64_t *prof)
{
	(void)h; (void)prof;
	fprintf(stderr, "mjit: the native build has no disassembler: use build/host/mjit --disasm\n");
}
#else
static void disasm(struct jh *h, const uint64_t *prof)
{
	csh cs;
	if (cs_open(CS_ARCH_X86, CS_MODE_32, &cs) != CS_ERR_OK)
		return;
	for (uint32_t i = 0; i < h->o.nfuncs; i++) {
		struct jit_func_out *f = &h->o.funcs[i];
		if (!f->defined || f->code_off == 0xffffffffu)
			continue;
		printf("\n%s:  (%u bytes at 0x%08x)\n", f->name, f->code_size, JH_CODE + f->code_off);
		cs_insn *insn;
		size_t n = cs_disasm(cs, h->o.code + f->code_off, f->code_size, JH_CODE + f->code_off, 0, &insn);
		for (size_t k = 0; k < n; k++) {
			if (prof)
				printf("%10llu", (unsigned long long)prof[insn[k].address - JH_CODE]);
			printf("  %08llx  ", (unsigned long long)insn[k].address);
			for (int b = 0; b < 8; b++)
				printf(b < insn[k].size ? "%02x" : "  ", insn[k].bytes[b]);
			printf("  %s %s\n", insn[k].mnemonic, insn[k].op_str);
		}
		cs_free(insn, n);
	}
	cs_close(&cs);
}
#endif

int main(int argc, char **argv)
{
	const char *file = NULL, *fn = NULL, *rt = NULL;
	int tier = 0, nargs = 0;
	bool dis = false, stats = false, profile = false, native = false;
	uint32_t repeat = 1, h_budget = 0, secure = 0;
	const char *dump = NULL;
	uint64_t seed = 0;
	uint64_t args[32];
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--tier") && i + 1 < argc) {
			tier = atoi(argv[++i]);
		} else if (!strcmp(argv[i], "--disasm")) {
			dis = true;
		} else if (!strcmp(argv[i], "--stats")) {
			stats = true;
		} else if (!strcmp(argv[i], "--profile")) {
			profile = true;
		} else if (!strcmp(argv[i], "--budget") && i + 1 < argc) {
			h_budget = (uint32_t)strtoul(argv[++i], NULL, 0);
		} else if (!strcmp(argv[i], "--secure") && i + 1 < argc) {
			if (jit_secure_parse(argv[++i], &secure) != 0) {
				fprintf(stderr, "mjit: --secure: unknown defence in '%s' (sandbox, none, all)\n", argv[i]);
				return 2;
			}
		} else if (!strcmp(argv[i], "--seed") && i + 1 < argc) {
			seed = strtoull(argv[++i], NULL, 0);
		} else if (!strcmp(argv[i], "--dump-code") && i + 1 < argc) {
			dump = argv[++i];
		} else if (!strcmp(argv[i], "--native")) {
			native = true;
		} else if (!strcmp(argv[i], "--repeat") && i + 1 < argc) {
			repeat = (uint32_t)strtoul(argv[++i], NULL, 0);
		} else if (!strcmp(argv[i], "--rt") && i + 1 < argc) {
			rt = argv[++i];
		} else if (!strcmp(argv[i], "--call") && i + 1 < argc) {
			fn = argv[++i];
			while (i + 1 < argc && strncmp(argv[i + 1], "--", 2) != 0 && nargs < 32)
				args[nargs++] = (uint64_t)strtoll(argv[++i], NULL, 0);
		} else if (argv[i][0] == '-') {
			usage();
		} else {
			file = argv[i];
		}
	}
	if (!file)
		usage();
	if (native != jh_native()) {
		fprintf(stderr, native ? "mjit: --native: use build/host32/mjit (this build emulates with Unicorn)\n"
				       : "mjit: this build runs natively: add --native (or use build/host/mjit)\n");
		return 2;
	}
	if (native && (profile || stats)) {
		fprintf(stderr, "mjit: --profile and --stats count instructions: use build/host/mjit\n");
		return 2;
	}
	static struct jh h;
	static char rtbuf[4096];
	if (!rt) { /* beside the binary: build/host/mjit -> build/host/jit/rt.elf */
		ssize_t n = readlink("/proc/self/exe", rtbuf, sizeof rtbuf - 32);
		if (n > 0) {
			rtbuf[n] = 0;
			char *sl = strrchr(rtbuf, '/');
			if (sl) {
				strcpy(sl + 1, "jit/rt.elf");
				rt = rtbuf;
			}
		}
	}
	if (jh_init(&h, rt) != 0) {
		fprintf(stderr, "mjit: %s\n", h.err);
		return 1;
	}
	size_t len;
	uint8_t *bc = jh_slurp(file, &len);
	if (!bc) {
		fprintf(stderr, "mjit: cannot read %s\n", file);
		return 1;
	}
	h.budget = h_budget;
	h.secure = secure;
	h.seed = seed;
	int crc = jh_read(&h, bc, len) != 0 ? -1 : jh_compile(&h, tier);
	/* the linked image, as the jit server would install it; also when
	 * the verifier refused it, to see why */
	if (dump && (crc == 0 || h.o.code_len)) {
		FILE *df = fopen(dump, "wb");
		if (!df || fwrite(h.o.code, 1, h.o.code_len, df) != h.o.code_len || fclose(df) != 0) {
			fprintf(stderr, "mjit: cannot write %s\n", dump);
			return 1;
		}
	}
	if (crc != 0) {
		fprintf(stderr, "mjit: %s\n", h.err);
		return 1;
	}
	if (dis && !profile)
		disasm(&h, NULL);
	int rc = 0;
	if (profile && fn) {
		h.prof = calloc(h.o.code_len + 1, sizeof *h.prof);
		h.prof_len = h.prof ? h.o.code_len : 0;
	}
	if (fn) {
		uint64_t ret;
		h.count = stats || h.prof;
		h.repeat = repeat;
		if (jh_call(&h, fn, args, nargs, &ret) != 0) {
			fprintf(stderr, "mjit: %s\n", h.err);
			rc = 1;
		} else {
			/* EDX is only part of the result for 64-bit returns */
			struct ir_func *f = ir_module_func(h.m, fn);
			bool wide = f && f->fn_type && f->fn_type->ret &&
				f->fn_type->ret->kind == IR_TY_INT && f->fn_type->ret->bits > 32;
			if (wide)
				printf("%s() = %lld (0x%llx)\n", fn, (long long)ret, (unsigned long long)ret);
			else
				printf("%s() = %lld (0x%x)\n", fn, (long long)(int32_t)(uint32_t)ret,
				       (uint32_t)ret);
			if (native)
				printf("cycles: min %llu median %llu (%u runs)\n", (unsigned long long)h.cycles_min,
				       (unsigned long long)h.cycles_median, repeat ? repeat : 1);
		}
	}
	if (h.prof) {
		disasm(&h, h.prof);
		free(h.prof);
		h.prof = NULL;
	}
	if (stats) {
		printf("tier %d: read %.0f us, compile %.0f us, %u IR instructions, %u code bytes, %u data bytes, "
		       "%u spills, %u in ECX/EDX, %u in XMM, %u re-emitted, %u loops unrolled, %u early returns\n", tier,
		       h.read_us, h.compile_us, h.o.insts_compiled, h.o.code_len, h.o.data_len, h.o.spills,
		       h.o.scratch_values, h.o.xmm_values, h.o.redone, h.o.loops_unrolled, h.o.fast_exits);
		printf("work: %llu units, at most %llu for one function (of %u IR instructions)\n",
		       (unsigned long long)h.o.work, (unsigned long long)h.o.work_peak, h.o.work_peak_insts);
		if (fn && rc == 0)
			printf("instructions executed: %llu\n", (unsigned long long)h.icount);
	}
	free(bc);
	jh_fini(&h);
	return rc;
}
