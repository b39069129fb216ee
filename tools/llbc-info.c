/* tools/llbc-info: validate LLBC files and summarise their modules.
 *
 *   llbc-info FILE...
 *
 * For each file: the header fields, then the module read by BareFlow's
 * reader — target, globals (type, constness, size), functions with their
 * signatures, block and instruction counts.  Exit status 1 if any file
 * is invalid. */
#include <stdio.h>
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

static int info(const char *path)
{
	size_t len;
	uint8_t *data = read_file(path, &len);
	if (!data) {
		perror(path);
		return 1;
	}
	struct llbc_header h;
	const uint8_t *bc;
	int rc = llbc_validate(data, len, &h, &bc);
	if (rc) {
		printf("%s: INVALID: %s (code %d)\n", path, llbc_strerror(rc), rc);
		free(data);
		return 1;
	}
	printf("%s: LLBC v%u\n", path, h.version);
	printf("  name      %s\n  entry     %s\n  opt       -O%u\n  bitcode   %u bytes\n"
	       "  crc32     %08x\n  flags     %08x\n", h.name, h.entry, h.opt_level,
	       h.bitcode_size, h.crc32, h.flags);
	size_t asize = 64 * (size_t)h.bitcode_size + (1 << 20);
	void *mem = malloc(asize);
	struct ir_arena a;
	ir_arena_init(&a, mem, asize);
	struct ir_module *m;
	struct bc_error err;
	if (bc_read_module(bc, h.bitcode_size, &a, &m, &err)) {
		printf("  INVALID bitcode: %s at bit %llu: %s\n", bc_err_name(err.code),
		       (unsigned long long)err.bit, err.msg);
		free(mem);
		free(data);
		return 1;
	}
	struct ir_printer p = { out, stdout };
	printf("  triple    %s\n  arena     %lu bytes\n", m->triple, (unsigned long)a.used);
	struct ir_func *ef = ir_module_func(m, h.entry);
	if (!ef || ef->is_decl)
		printf("  WARNING: entry '%s' is not defined in the module\n", h.entry);
	printf("  globals   %u\n", m->nglobals);
	for (uint32_t i = 0; i < m->nglobals; i++) {
		const struct ir_global *g = m->globals[i];
		printf("    @%-24s %-8s %-9s %6llu bytes  ", g->v.name, ir_linkage_name(g->linkage),
		       g->init ? (g->is_const ? "constant" : "global") : "extern",
		       (unsigned long long)ir_type_size(g->value_type));
		ir_print_type(&p, g->value_type);
		printf("\n");
	}
	uint32_t total = 0;
	printf("  functions %u\n", m->nfuncs);
	for (uint32_t i = 0; i < m->nfuncs; i++) {
		const struct ir_func *f = m->funcs[i];
		printf("    %s ", f->is_decl ? "declare" : "define ");
		ir_print_type(&p, f->fn_type->ret);
		printf(" @%s(", f->v.name);
		for (uint32_t k = 0; k < f->nparams; k++) {
			if (k)
				printf(", ");
			ir_print_type(&p, f->params[k].v.type);
		}
		printf("%s)", f->fn_type->vararg ? (f->nparams ? ", ..." : "...") : "");
		if (!f->is_decl)
			printf("  %u blocks, %u instructions", f->nblocks, f->ninsts);
		printf("\n");
		total += f->ninsts;
	}
	printf("  instructions %u\n", total);
	free(mem);
	free(data);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: llbc-info FILE.llbc...\n");
		return 2;
	}
	int bad = 0;
	for (int i = 1; i < argc; i++)
		bad |= info(argv[i]);
	return bad;
}
