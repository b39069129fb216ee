/* tests/jit/unit/jit_insns.h: counting instructions of one function the JIT
 * compiled (Capstone over the harness's code), for the tests that check
 * what the code generator emits. */
#ifndef BF_TESTS_HOST_JIT_INSNS_H
#define BF_TESTS_HOST_JIT_INSNS_H
#include <capstone/capstone.h>
#include <criterion/criterion.h>
#include <stdbool.h>
#include <string.h>

#include "tests/jit/diff/harness.h"

/* What a predicate says of an instruction. */
enum insn_verdict { INSN_SKIP, INSN_COUNT, INSN_STOP };

/* The instructions of fn that pred counts, up to one it stops at. */
static int count_where(struct jh *h, const char *fn, enum insn_verdict (*pred)(const cs_insn *, const void *),
		       const void *arg)
{
	struct ir_func *f = ir_module_func(h->m, fn);
	cr_assert(f, "no function %s", fn);
	const struct jit_func_out *fo = &h->o.funcs[f->v.id];
	csh cs;
	cs_insn *insn;
	cr_assert_eq(cs_open(CS_ARCH_X86, CS_MODE_32, &cs), CS_ERR_OK);
	size_t n = cs_disasm(cs, h->o.code + fo->code_off, fo->code_size, 0, 0, &insn);
	int hits = 0;
	for (size_t i = 0; i < n; i++) {
		enum insn_verdict v = pred(&insn[i], arg);
		if (v == INSN_STOP)
			break;
		hits += v == INSN_COUNT;
	}
	cs_free(insn, n);
	cs_close(&cs);
	return hits;
}

/* mnemonic mnem (NULL: any) whose operands start with ops and end with
 * tail (NULL: anything); prologue: only among the leading pushes of
 * registers */
struct insn_like {
	const char *mnem, *ops, *tail;
	bool prologue;
};

static enum insn_verdict insn_like(const cs_insn *in, const void *arg)
{
	const struct insn_like *l = arg;
	bool push = strcmp(in->mnemonic, "push") == 0 && strlen(in->op_str) == 3;
	if (l->prologue && !push)
		return INSN_STOP;
	size_t lo = strlen(in->op_str), lt = l->tail ? strlen(l->tail) : 0;
	bool ok = (!l->mnem || strcmp(in->mnemonic, l->mnem) == 0) &&
		  (!l->ops || strncmp(in->op_str, l->ops, strlen(l->ops)) == 0) &&
		  (!l->tail || (lo >= lt && strcmp(in->op_str + lo - lt, l->tail) == 0));
	return ok ? INSN_COUNT : INSN_SKIP;
}

static int count_like(struct jh *h, const char *fn, struct insn_like l)
{
	return count_where(h, fn, insn_like, &l);
}
#endif
