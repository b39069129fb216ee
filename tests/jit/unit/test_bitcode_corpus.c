/* The reader against llvm-dis-19 on the whole C corpus (tests/inputs/corpus/NAME.c
 * at -O0..-O3, compiled by make into build/corpus/): every module must be
 * read and verified, and function by function agree with llvm-dis on
 * names, definition vs declaration, return and parameter types, block
 * count, the opcode of every instruction in every block, and each
 * instruction's operands (values, blocks, integer constants, flags and
 * predicates, compared through a fingerprint of the printed text); the
 * global variables must agree by name, order and initialiser. */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <dirent.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "servers/jit/bc/bc.h"
#include "servers/jit/ir/ir.h"

struct tcase { char name[64]; int opt; };

ParameterizedTestParameters(corpus, matches_llvm_dis)
{
	static struct tcase cases[256];
	size_t n = 0;
	DIR *d = opendir("tests/inputs/corpus");
	struct dirent *de;
	while (d && (de = readdir(d)) && n + 4 <= 256) {
		size_t l = strlen(de->d_name);
		if (l < 3 || strcmp(de->d_name + l - 2, ".c") || l - 2 >= 64)
			continue;
		for (int o = 0; o < 4; o++) {
			memcpy(cases[n].name, de->d_name, l - 2);
			cases[n].name[l - 2] = 0;
			cases[n].opt = o;
			n++;
		}
	}
	if (d)
		closedir(d);
	return cr_make_param_array(struct tcase, cases, n);
}

/* What llvm-dis says about one function. */
#define MAXB 512
#define MAXI 8192
struct ref_func {
	char name[128];
	char ret[64];
	char params[16][64];
	int nparams;
	int def;
	int nblocks;
	int block_start[MAXB];
	int ninsts;
	char ops[MAXI][24];
	uint32_t text[MAXI];    /* offsets of the instruction texts in `texts` */
};

static char texts[4 << 20];
static size_t ntexts;

/* The operand-level fingerprint of an instruction's text: value names
 * (%x, @x, labels), integer literals written after an integer type, and
 * the flag/predicate keywords, in order.  Applied to llvm-dis output and
 * to ours, it compares operands, constants, flags and predicates while
 * ignoring the attributes and metadata only llvm-dis prints. */
static void fingerprint(const char *line, char *out, size_t max)
{
	static const char *const kw[] = {
		"nuw", "nsw", "exact", "disjoint", "inbounds", "nneg", "eq", "ne", "ugt", "uge",
		"ult", "ule", "sgt", "sge", "slt", "sle", "oeq", "ogt", "oge", "olt", "ole",
		"one", "ord", "uno", "ueq", "une", "volatile", "tail", "musttail",
	};
	char prev[256] = "", tok[256];
	size_t o = 0;
	out[0] = 0;
	/* drop range(...) attributes, which hold typed integers too */
	static char clean[1 << 16];
	size_t c = 0;
	for (const char *q = line; *q && c + 1 < sizeof clean;) {
		if (!strncmp(q, "range(", 6)) {
			while (*q && *q != ')')
				q++;
			if (*q)
				q++;
			continue;
		}
		clean[c++] = *q++;
	}
	clean[c] = 0;
	line = clean;
	const char *p = line;
	/* drop trailing metadata attachments: ", !name !N" */
	const char *meta = strstr(line, ", !");
	size_t len = meta ? (size_t)(meta - line) : strlen(line);
	while ((size_t)(p - line) < len) {
		while ((size_t)(p - line) < len && strchr(" ,()[]{}<>", *p))
			p++;
		size_t k = 0;
		while ((size_t)(p - line) < len && !strchr(" ,()[]{}<>", *p) && k + 1 < sizeof tok)
			tok[k++] = *p++;
		tok[k] = 0;
		if (!k)
			break;
		bool take = tok[0] == '%' || tok[0] == '@' || (tok[0] == 'c' && tok[1] == '"');
		bool int_type = prev[0] == 'i' && prev[1] >= '0' && prev[1] <= '9';
		if (int_type && ((tok[0] == '-' && tok[1]) || (tok[0] >= '0' && tok[0] <= '9') ||
				 !strcmp(tok, "true") || !strcmp(tok, "false")))
			take = true;
		for (size_t i = 0; i < sizeof kw / sizeof kw[0] && !take; i++)
			take = !strcmp(tok, kw[i]);
		if (take && o + k + 2 < max) {
			memcpy(out + o, tok, k);
			o += k;
			out[o++] = ' ';
			out[o] = 0;
		}
		/* attribute words between a type and its value (noundef,
		 * zeroext, ...) do not separate them */
		if (int_type && !take && tok[0] >= 'a' && tok[0] <= 'z')
			continue;
		snprintf(prev, sizeof prev, "%s", tok);
	}
}

static char *osink_buf;
static void osink(void *ctx, const char *s, size_t n)
{
	size_t *len = ctx;
	if (*len + n < (1 << 16)) {
		memcpy(osink_buf + *len, s, n);
		*len += n;
		osink_buf[*len] = 0;
	}
}

static char *osink_big_buf;
static void osink_big(void *ctx, const char *s, size_t n)
{
	size_t *len = ctx;
	if (*len + n < (1 << 20)) {
		memcpy(osink_big_buf + *len, s, n);
		*len += n;
		osink_big_buf[*len] = 0;
	}
}

static char buf[64];
static void sink(void *ctx, const char *s, size_t n)
{
	size_t *len = ctx;
	if (*len + n < sizeof buf) {
		memcpy(buf + *len, s, n);
		*len += n;
		buf[*len] = 0;
	}
}
static const char *type_str(const struct ir_type *t)
{
	size_t len = 0;
	struct ir_printer p = { sink, &len };
	buf[0] = 0;
	ir_print_type(&p, t);
	return buf;
}

/* First token of s at bracket depth 0 (a type), copied to out. */
static void first_type(const char *s, char *out, size_t max)
{
	int depth = 0;
	size_t i = 0;
	while (*s == ' ')
		s++;
	for (; s[i] && i + 1 < max; i++) {
		char c = s[i];
		if (depth == 0 && (c == ',' || c == ')'))
			break;
		if (c == '{' || c == '[' || c == '<' || c == '(')
			depth++;
		if (c == '}' || c == ']' || c == '>' || c == ')')
			depth--;
		if (depth == 0 && c == ' ' && !(i >= 3 && !strncmp(s, "ptr", 3) && !strncmp(s + i, " addrspace", 10)))
			break;
		out[i] = c;
	}
	out[i] = 0;
}

static void parse_signature(const char *line, struct ref_func *f)
{
	const char *at = strchr(line, '@');
	const char *lp = strchr(at, '(');
	size_t nl = (size_t)(lp - at - 1);
	if (nl >= sizeof f->name)
		nl = sizeof f->name - 1;
	memcpy(f->name, at + 1, nl);
	f->name[nl] = 0;
	if (f->name[0] == '"') {        /* quoted names are not used by the corpus */
		memmove(f->name, f->name + 1, strlen(f->name));
		f->name[strlen(f->name) - 1] = 0;
	}
	/* return type: the token before " @", or the bracketed type ending
	 * there ({ i32, i1 } of the *.with.overflow intrinsics) */
	const char *e = at - 1, *b = e;
	int depth = 0;
	while (b > line && (depth > 0 || b[-1] != ' ')) {
		char ch = b[-1];
		if (ch == '}' || ch == ']' || ch == '>' || ch == ')')
			depth++;
		if (ch == '{' || ch == '[' || ch == '<' || ch == '(')
			depth--;
		b--;
	}
	size_t rl = (size_t)(e - b);
	memcpy(f->ret, b, rl < 63 ? rl : 63);
	f->ret[rl < 63 ? rl : 63] = 0;
	/* parameters: split at depth-0 commas inside the parentheses */
	const char *p = lp + 1;
	f->nparams = 0;
	if (*p == ')')
		return;
	for (;;) {
		if (!strncmp(p, "...", 3))
			break;
		first_type(p, f->params[f->nparams], 64);
		f->nparams++;
		int depth = 0;
		while (*p && !(depth == 0 && (*p == ',' || *p == ')'))) {
			if (*p == '(' || *p == '{' || *p == '[' || *p == '<')
				depth++;
			if (*p == ')' || *p == '}' || *p == ']' || *p == '>')
				depth--;
			p++;
		}
		if (*p != ',' || f->nparams == 16)
			break;
		p += 2;
	}
}

static int is_label(const char *line)
{
	size_t i = 0;
	if (line[0] == ' ' || line[0] == 0 || line[0] == ';' || line[0] == '}')
		return 0;
	while (line[i] && line[i] != ':' && line[i] != ' ')
		i++;
	return line[i] == ':';
}

Test(corpus, sanity_of_the_parser_helpers)
{
	struct ref_func f;
	memset(&f, 0, sizeof f);
	parse_signature("define dso_local noundef i32 @f(ptr nocapture noundef readonly %0, i64 %1, "
			"{ i32, i8 } %2) local_unnamed_addr #0 {", &f);
	cr_assert_str_eq(f.name, "f");
	cr_assert_str_eq(f.ret, "i32");
	cr_assert_eq(f.nparams, 3);
	cr_assert_str_eq(f.params[0], "ptr");
	cr_assert_str_eq(f.params[2], "{ i32, i8 }");
	parse_signature("declare { i32, i1 } @llvm.sadd.with.overflow.i32(i32, i32) #1", &f);
	cr_assert_str_eq(f.ret, "{ i32, i1 }");
	cr_assert_str_eq(f.name, "llvm.sadd.with.overflow.i32");
	cr_assert(is_label("12:                    ; preds = %3"));
	cr_assert(!is_label("  %4 = load i32, ptr %1, align 4"));
}

static struct ref_func funcs[64];
static char globals[256][128];
static char global_fp[256][4096];

ParameterizedTest(struct tcase *tc, corpus, matches_llvm_dis, .timeout = 60)
{
	char path[256];
	snprintf(path, sizeof path, "build/corpus/%s.O%d.bc", tc->name, tc->opt);
	FILE *fb = fopen(path, "rb");
	cr_assert(fb, "%s missing (make builds it)", path);
	static uint8_t data[1 << 20];
	size_t len = fread(data, 1, sizeof data, fb);
	fclose(fb);
	static uint8_t mem[64 << 20];
	struct ir_arena a;
	ir_arena_init(&a, mem, sizeof mem);
	struct ir_module *m;
	struct bc_error err;
	int rc = bc_read_module(data, len, &a, &m, &err);
	cr_assert_eq(rc, BC_OK, "%s: %s at bit %llu: %s", path, bc_err_name(err.code),
		     (unsigned long long)err.bit, err.msg);
	char msg[256];
	cr_assert_eq(ir_verify_module(m, &a, msg, sizeof msg), 0, "%s: %s", path, msg);

	snprintf(path, sizeof path, "build/corpus/%s.O%d.ll", tc->name, tc->opt);
	FILE *fl = fopen(path, "r");
	cr_assert(fl, "%s missing (make builds it)", path);
	static char line[1 << 16];
	int nf = 0, ng = 0;
	ntexts = 0;
	struct ref_func *cur = NULL;
	while (fgets(line, sizeof line, fl)) {
		line[strcspn(line, "\n")] = 0;
		if (!strncmp(line, "define ", 7) || !strncmp(line, "declare ", 8)) {
			cr_assert_lt(nf, 64);
			cur = &funcs[nf++];
			memset(cur, 0, sizeof *cur);
			cur->def = line[2] == 'f';
			parse_signature(line, cur);
			if (cur->def) {
				cur->nblocks = 1;
				cur->block_start[0] = 0;
			} else {
				cur = NULL;
			}
			continue;
		}
		if (line[0] == '@' && ng < 256) {
			size_t k = strcspn(line + 1, " ");
			memcpy(globals[ng], line + 1, k < 127 ? k : 127);
			globals[ng][k < 127 ? k : 127] = 0;
			fingerprint(line, global_fp[ng], sizeof global_fp[ng]);
			ng++;
			continue;
		}
		if (!cur)
			continue;
		if (line[0] == '}') {
			cur = NULL;
			continue;
		}
		if (is_label(line)) {
			cr_assert_lt(cur->nblocks, MAXB);
			cur->block_start[cur->nblocks++] = cur->ninsts;
			continue;
		}
		if (!strncmp(line, "    ", 4) && cur->ninsts) {
			/* a switch case: part of the previous instruction's text */
			size_t l = strlen(line);
			if (ntexts + l + 2 < sizeof texts) {
				ntexts--;       /* over the previous NUL */
				texts[ntexts++] = ' ';
				memcpy(texts + ntexts, line, l + 1);
				ntexts += l + 1;
			}
			continue;
		}
		if (strncmp(line, "  ", 2) || line[2] == ' ' || line[2] == ']')
			continue;
		{
			size_t l = strlen(line);
			cr_assert_lt(ntexts + l + 1, sizeof texts);
			cur->text[cur->ninsts] = (uint32_t)ntexts;
			memcpy(texts + ntexts, line, l + 1);
			ntexts += l + 1;
		}
		const char *p = line + 2;
		if (*p == '%') {
			p = strstr(p, " = ");
			cr_assert(p);
			p += 3;
		}
		for (;;) {
			if (!strncmp(p, "tail ", 5)) p += 5;
			else if (!strncmp(p, "musttail ", 9)) p += 9;
			else if (!strncmp(p, "notail ", 7)) p += 7;
			else break;
		}
		cr_assert_lt(cur->ninsts, MAXI);
		size_t k = strcspn(p, " ");
		memcpy(cur->ops[cur->ninsts], p, k < 23 ? k : 23);
		cur->ops[cur->ninsts][k < 23 ? k : 23] = 0;
		cur->ninsts++;
	}
	fclose(fl);

	cr_assert_eq((int)m->nglobals, ng, "%s: %u globals, llvm-dis has %d", tc->name, m->nglobals, ng);
	/* the globals as we print them: names, then initialisers compared
	 * through the same fingerprint */
	static char mod[1 << 20];
	size_t ml = 0;
	struct ir_printer mp = { osink_big, &ml };
	mod[0] = 0;
	osink_big_buf = mod;
	ir_print_module(&mp, m);
	int gi = 0;
	for (char *q = mod; *q; ) {
		char *nl = strchr(q, '\n');
		if (nl)
			*nl = 0;
		if (q[0] == '@' && gi < ng) {
			static char fp[4096];
			fingerprint(q, fp, sizeof fp);
			cr_assert_str_eq(fp, global_fp[gi], "global %d:\n  ours:     %s\n  llvm-dis: %s",
					 gi, q, global_fp[gi]);
			gi++;
		}
		if (!nl)
			break;
		q = nl + 1;
	}
	cr_assert_eq(gi, ng);
	for (int i = 0; i < ng; i++)
		cr_assert_str_eq(m->globals[i]->v.name, globals[i]);
	cr_assert_eq((int)m->nfuncs, nf, "%s -O%d: %u functions, llvm-dis has %d", tc->name, tc->opt,
		     m->nfuncs, nf);
	int checked = 0, operands = 0;
	for (int i = 0; i < nf; i++) {
		const struct ir_func *f = m->funcs[i];
		const struct ref_func *r = &funcs[i];
		cr_assert_str_eq(f->v.name, r->name);
		cr_assert_eq(!f->is_decl, r->def, "@%s definition vs declaration", r->name);
		cr_assert_str_eq(type_str(f->fn_type->ret), r->ret, "@%s return type", r->name);
		cr_assert_eq((int)f->nparams, r->nparams, "@%s parameter count", r->name);
		for (int k = 0; k < r->nparams; k++)
			cr_assert_str_eq(type_str(f->params[k].v.type), r->params[k],
					 "@%s parameter %d", r->name, k);
		if (!r->def)
			continue;
		ir_print_number(f);
		cr_assert_eq((int)f->nblocks, r->nblocks, "@%s: %u blocks, llvm-dis has %d",
			     r->name, f->nblocks, r->nblocks);
		cr_assert_eq((int)f->ninsts, r->ninsts, "@%s: %u instructions, llvm-dis has %d",
			     r->name, f->ninsts, r->ninsts);
		for (uint32_t b = 0; b < f->nblocks; b++) {
			int k = r->block_start[b];
			int end = b + 1 < f->nblocks ? r->block_start[b + 1] : r->ninsts;
			cr_assert_eq((int)f->blocks[b]->ninsts, end - k, "@%s block %u size", r->name, b);
			for (const struct ir_inst *in = f->blocks[b]->first; in; in = in->next, k++) {
				cr_assert_str_eq(ir_opcode_name(in->op), r->ops[k],
						 "@%s block %u instruction %d", r->name, b,
						 k - r->block_start[b]);
				static char ours[1 << 16], fa[8192], fb[8192];
				size_t ol = 0;
				struct ir_printer pr = { osink, &ol };
				osink_buf = ours;
				ours[0] = 0;
				ir_print_inst(&pr, in);
				for (char *q = ours; *q; q++)
					if (*q == '\n')
						*q = ' ';
				fingerprint(ours, fa, sizeof fa);
				fingerprint(texts + r->text[k], fb, sizeof fb);
				cr_assert_str_eq(fa, fb, "@%s block %u instruction %d:\n  ours:     %s\n  llvm-dis: %s",
						 r->name, b, k - r->block_start[b], ours, texts + r->text[k]);
				operands++;
			}
		}
		checked++;
	}
	cr_assert_gt(checked, 0);
	cr_assert_gt(operands, 0);
}
