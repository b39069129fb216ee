/* tools/llbc-dis: print the IR BareFlow's bitcode reader builds from an
 * LLBC module (or a raw .bc file), in a syntax close to llvm-dis.
 *
 *   llbc-dis FILE            print the module
 *   llbc-dis --stats FILE    print per-function counts (used by tests):
 *                            "func NAME def|decl PARAMS BLOCKS INSTS" and
 *                            "  block I: OPCODE OPCODE ..." lines
 *   llbc-dis --bench N FILE  read the module N times, print MB/s */
#include <stdio.h>
#include <time.h>
#include <stdlib.h>
#include <string.h>
#include "lib/llbc.h"
#include "servers/jit/bc/bc.h"
#include "servers/jit/ir/ir.h"
#include "tools/tool_io.h"

static void out(void *ctx, const char *s, size_t n)
{
	fwrite(s, 1, n, ctx);
}

static void stats(const struct ir_module *m)
{
	for (uint32_t i = 0; i < m->nfuncs; i++) {
		const struct ir_func *f = m->funcs[i];
		printf("func %s %s %u %u %u\n", f->v.name, f->is_decl ? "decl" : "def",
		       f->nparams, f->nblocks, f->ninsts);
		for (uint32_t b = 0; b < f->nblocks; b++) {
			printf("  block %u:", b);
			for (const struct ir_inst *in = f->blocks[b]->first; in; in = in->next)
				printf(" %s", ir_opcode_name(in->op));
			printf("\n");
		}
	}
}

int main(int argc, char **argv)
{
	int st = 0;
	long bench = 0;
	const char *path;
	if (argc == 3 && strcmp(argv[1], "--stats") == 0) {
		st = 1;
		path = argv[2];
	} else if (argc == 4 && strcmp(argv[1], "--bench") == 0 && atol(argv[2]) > 0) {
		bench = atol(argv[2]);
		path = argv[3];
	} else if (argc == 2 && argv[1][0] != '-') {
		path = argv[1];
	} else {
		fprintf(stderr, "usage: llbc-dis [--stats | --bench N] FILE.llbc|FILE.bc\n");
		return 2;
	}
	size_t len;
	uint8_t *data = read_file(path, &len);
	if (!data) {
		perror(path);
		return 1;
	}
	const uint8_t *bc = data;
	size_t bclen = len;
	if (len >= 4 && memcmp(data, "LLBC", 4) == 0) {
		struct llbc_header h;
		int rc = llbc_validate(data, len, &h, &bc);
		if (rc) {
			fprintf(stderr, "%s: %s\n", path, llbc_strerror(rc));
			return 1;
		}
		bclen = h.bitcode_size;
	}
	size_t asize = 64 * bclen + (1 << 20);
	void *mem = malloc(asize);
	struct ir_arena a;
	ir_arena_init(&a, mem, asize);
	struct ir_module *m;
	struct bc_error err;
	if (bc_read_module(bc, bclen, &a, &m, &err)) {
		fprintf(stderr, "%s: %s at bit %llu: %s\n", path, bc_err_name(err.code),
			(unsigned long long)err.bit, err.msg);
		free(mem);
		free(data);
		return 1;
	}
	if (bench) {
		struct timespec t0, t1;
		clock_gettime(CLOCK_MONOTONIC, &t0);
		for (long i = 0; i < bench; i++) {
			ir_arena_init(&a, mem, asize);
			if (bc_read_module(bc, bclen, &a, &m, &err))
				return 1;
		}
		clock_gettime(CLOCK_MONOTONIC, &t1);
		double s = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
		printf("bareflow reader: %s: %lu bytes, %u functions, %ld reads in %.3f s: "
		       "%.1f us/read, %.1f MB/s (arena %lu bytes)\n", path, (unsigned long)bclen,
		       m->nfuncs, bench, s, s / bench * 1e6, (double)bclen * bench / s / 1e6,
		       (unsigned long)a.used);
	} else if (st) {
		stats(m);
	} else {
		struct ir_printer p = { out, stdout };
		printf("; BareFlow IR of '%s' (arena %lu bytes)\n", path, (unsigned long)a.used);
		ir_print_module(&p, m);
	}
	free(mem);
	free(data);
	return 0;
}
