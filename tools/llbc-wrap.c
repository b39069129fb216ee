/* tools/llbc-wrap: put the 128-byte LLBC header in front of LLVM bitcode.
 *
 *   llbc-wrap --input foo.bc --output foo.llbc --name foo --entry module_foo --opt 2
 *
 * The bitcode is read with BareFlow's own reader first: the module must
 * parse and verify, and the entry must be a function defined in it.  The
 * output is written only when every check passed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "lib/llbc.h"
#include "servers/jit/bc/bc.h"
#include "servers/jit/ir/ir.h"
#include "tools/tool_io.h"

static int usage(void)
{
	fprintf(stderr, "usage: llbc-wrap --input FILE.bc --output FILE.llbc --name NAME "
			"--entry FUNCTION [--opt 0-3]\n");
	return 2;
}

int main(int argc, char **argv)
{
	const char *in = NULL, *outp = NULL, *name = NULL, *entry = NULL;
	long opt = 0;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (i + 1 >= argc)
			return usage();
		if (!strcmp(a, "--input") || !strcmp(a, "-i"))
			in = argv[++i];
		else if (!strcmp(a, "--output") || !strcmp(a, "-o"))
			outp = argv[++i];
		else if (!strcmp(a, "--name"))
			name = argv[++i];
		else if (!strcmp(a, "--entry"))
			entry = argv[++i];
		else if (!strcmp(a, "--opt")) {
			char *end;
			opt = strtol(argv[++i], &end, 10);
			if (*end || opt < 0 || opt > LLBC_OPT_MAX) {
				fprintf(stderr, "llbc-wrap: --opt must be 0..3\n");
				return 2;
			}
		} else
			return usage();
	}
	if (!in || !outp || !name || !entry)
		return usage();
	if (!*name || strlen(name) >= LLBC_NAME_MAX) {
		fprintf(stderr, "llbc-wrap: --name must be 1..%d characters\n", LLBC_NAME_MAX - 1);
		return 1;
	}
	if (!*entry || strlen(entry) >= LLBC_ENTRY_MAX) {
		fprintf(stderr, "llbc-wrap: --entry must be 1..%d characters\n", LLBC_ENTRY_MAX - 1);
		return 1;
	}
	size_t len;
	uint8_t *bc = read_file(in, &len);
	if (!bc) {
		perror(in);
		return 1;
	}
	if (len > 0xffffffffu - LLBC_HEADER_SIZE) {
		fprintf(stderr, "llbc-wrap: %s is too large\n", in);
		return 1;
	}
	size_t asize = 64 * len + (1 << 20);
	void *mem = malloc(asize);
	struct ir_arena a;
	ir_arena_init(&a, mem, asize);
	struct ir_module *m;
	struct bc_error err;
	if (bc_read_module(bc, len, &a, &m, &err)) {
		fprintf(stderr, "llbc-wrap: %s: %s at bit %llu: %s\n", in, bc_err_name(err.code),
			(unsigned long long)err.bit, err.msg);
		return 1;
	}
	struct ir_func *f = ir_module_func(m, entry);
	if (!f || f->is_decl) {
		fprintf(stderr, "llbc-wrap: %s: entry function '%s' is not defined in the module\n",
			in, entry);
		return 1;
	}
	struct llbc_header h;
	uint8_t hdr[LLBC_HEADER_SIZE];
	llbc_header_init(&h, name, entry, (uint32_t)opt, bc, (uint32_t)len);
	llbc_header_encode(&h, hdr);
	FILE *o = fopen(outp, "wb");
	if (!o || fwrite(hdr, 1, sizeof hdr, o) != sizeof hdr || fwrite(bc, 1, len, o) != len ||
	    fclose(o) != 0) {
		perror(outp);
		remove(outp);
		return 1;
	}
	free(mem);
	free(bc);
	return 0;
}
