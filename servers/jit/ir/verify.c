/* servers/jit/ir/verify.c: structural and SSA checks of the IR (see
 * ir_verify_module in ir.h).  Dominators by the Cooper-Harvey-Kennedy
 * iteration over a reverse post-order computed with an explicit stack;
 * all temporary memory comes from the scratch arena and is released
 * before returning. */
#include <stdarg.h>
#include <string.h>
#include "lib/fmt.h"
#include "servers/jit/ir/ir.h"

struct vctx {
	const struct ir_func *f;
	char *msg;
	size_t msgsize;
	/* per block */
	uint32_t *rpo_index;    /* UINT32_MAX = unreachable */
	uint32_t *idom;
	uint32_t *order;        /* blocks in reverse post-order */
	uint32_t nreach;
	uint32_t *npred;        /* predecessor edge counts */
	uint32_t *pstart, *plist; /* predecessor edges, CSR by block */
	uint32_t *pre, *post;   /* dominator-tree DFS numbers */
	uint32_t *cnt;          /* per-block counters for the phi check */
};

static int verr(struct vctx *c, const struct ir_block *b, const struct ir_inst *in,
		const char *fmt, ...)
{
	char what[120];
	va_list ap;
	va_start(ap, fmt);
	bf_vsnprintf(what, sizeof what, fmt, ap);
	va_end(ap);
	if (c->msg && c->msgsize) {
		if (in)
			bf_snprintf(c->msg, c->msgsize, "@%s: block %u, %s #%u: %s",
				    c->f->v.name ? c->f->v.name : "?", b ? b->index : 0,
				    ir_opcode_name(in->op), in->v.id, what);
		else
			bf_snprintf(c->msg, c->msgsize, "@%s: block %u: %s",
				    c->f->v.name ? c->f->v.name : "?", b ? b->index : 0, what);
	}
	return -1;
}

static bool is_block_of(const struct ir_value *v, const struct ir_func *f)
{
	return v->kind == IR_VAL_BLOCK && ((const struct ir_block *)v)->parent == f &&
	       ((const struct ir_block *)v)->index < f->nblocks &&
	       f->blocks[((const struct ir_block *)v)->index] == (const struct ir_block *)v;
}

/* Iterate successors without a buffer: index k of block b, or NULL. */
static const struct ir_block *succ_at(const struct ir_block *b, uint32_t k)
{
	const struct ir_inst *t = b->last;
	if (!t)
		return NULL;
	if (t->op == IR_OP_BR) {
		if (t->nops == 1)
			return k == 0 ? (const struct ir_block *)t->ops[0].value : NULL;
		return k < 2 ? (const struct ir_block *)t->ops[1 + k].value : NULL;
	}
	if (t->op == IR_OP_SWITCH) {
		if (k == 0)
			return (const struct ir_block *)t->ops[1].value;
		uint32_t i = 1 + 2 * k;
		return i < t->nops ? (const struct ir_block *)t->ops[i].value : NULL;
	}
	return NULL;
}

static bool type_is(const struct ir_type *t, enum ir_type_kind k)
{
	return t->kind == k || (t->kind == IR_TY_VECTOR && t->elem->kind == k);
}

static bool is_i1(const struct ir_type *t)
{
	const struct ir_type *s = t->kind == IR_TY_VECTOR ? t->elem : t;
	return s->kind == IR_TY_INT && s->bits == 1;
}

static const struct ir_type *scal(const struct ir_type *t)
{
	return t->kind == IR_TY_VECTOR ? t->elem : t;
}

static int check_types(struct vctx *c, const struct ir_block *b, const struct ir_inst *in)
{
	const struct ir_func *f = c->f;
	const struct ir_type *rt = in->v.type;
#define OP(i) (in->ops[(i)].value)
#define NEED(n) do { if (in->nops != (n)) return verr(c, b, in, "has %u operands", in->nops); } while (0)
	switch (in->op) {
	case IR_OP_ADD: case IR_OP_SUB: case IR_OP_MUL: case IR_OP_UDIV: case IR_OP_SDIV:
	case IR_OP_UREM: case IR_OP_SREM: case IR_OP_SHL: case IR_OP_LSHR: case IR_OP_ASHR:
	case IR_OP_AND: case IR_OP_OR: case IR_OP_XOR:
		NEED(2);
		if (!type_is(rt, IR_TY_INT) || OP(0)->type != rt || OP(1)->type != rt)
			return verr(c, b, in, "integer operator on mismatched or non-integer types");
		break;
	case IR_OP_FADD: case IR_OP_FSUB: case IR_OP_FMUL: case IR_OP_FDIV: case IR_OP_FREM:
		NEED(2);
		if (!ir_type_is_fp(scal(rt)) || OP(0)->type != rt || OP(1)->type != rt)
			return verr(c, b, in, "FP operator on mismatched or non-FP types");
		break;
	case IR_OP_FNEG: case IR_OP_FREEZE:
		NEED(1);
		if (OP(0)->type != rt)
			return verr(c, b, in, "result type differs from the operand");
		break;
	case IR_OP_TRUNC: case IR_OP_ZEXT: case IR_OP_SEXT: case IR_OP_FPTOUI:
	case IR_OP_FPTOSI: case IR_OP_UITOFP: case IR_OP_SITOFP: case IR_OP_FPTRUNC:
	case IR_OP_FPEXT: case IR_OP_PTRTOINT: case IR_OP_INTTOPTR: case IR_OP_BITCAST:
	case IR_OP_ADDRSPACECAST:
		NEED(1);
		break;
	case IR_OP_ICMP: case IR_OP_FCMP:
		NEED(2);
		if (OP(0)->type != OP(1)->type || !is_i1(rt))
			return verr(c, b, in, "comparison of mismatched types");
		if (in->op == IR_OP_ICMP ? (in->pred < 32 || in->pred > 41) : in->pred > 15)
			return verr(c, b, in, "bad predicate %u", in->pred);
		break;
	case IR_OP_SELECT:
		NEED(3);
		if (!is_i1(OP(0)->type) || OP(1)->type != rt || OP(2)->type != rt)
			return verr(c, b, in, "select of mismatched types");
		break;
	case IR_OP_RET:
		if (f->fn_type->ret->kind == IR_TY_VOID ? in->nops != 0
		    : (in->nops != 1 || OP(0)->type != f->fn_type->ret))
			return verr(c, b, in, "returns the wrong type");
		break;
	case IR_OP_BR:
		if (in->nops == 1) {
			if (!is_block_of(OP(0), f))
				return verr(c, b, in, "target is not a block of this function");
		} else if (in->nops == 3) {
			if (OP(0)->type->kind != IR_TY_INT || OP(0)->type->bits != 1)
				return verr(c, b, in, "condition is not i1");
			if (!is_block_of(OP(1), f) || !is_block_of(OP(2), f))
				return verr(c, b, in, "target is not a block of this function");
		} else {
			return verr(c, b, in, "has %u operands", in->nops);
		}
		break;
	case IR_OP_SWITCH:
		if (in->nops < 2 || in->nops % 2 || OP(0)->type->kind != IR_TY_INT ||
		    !is_block_of(OP(1), f))
			return verr(c, b, in, "malformed switch");
		for (uint32_t i = 2; i < in->nops; i += 2)
			if (OP(i)->kind != IR_VAL_CONST_INT || OP(i)->type != OP(0)->type ||
			    !is_block_of(OP(i + 1), f))
				return verr(c, b, in, "malformed switch case %u", i / 2 - 1);
		break;	/* duplicate case values: see check_switch_cases */
	case IR_OP_UNREACHABLE:
		NEED(0);
		break;
	case IR_OP_PHI:
		if (in->nops % 2)
			return verr(c, b, in, "odd operand count");
		for (uint32_t i = 0; i < in->nops; i += 2)
			if (OP(i)->type != rt || !is_block_of(OP(i + 1), f))
				return verr(c, b, in, "incoming %u malformed", i / 2);
		break;
	case IR_OP_ALLOCA:
		NEED(1);
		if (rt->kind != IR_TY_PTR || OP(0)->type->kind != IR_TY_INT || !in->alloc_type)
			return verr(c, b, in, "malformed alloca");
		break;
	case IR_OP_LOAD:
		NEED(1);
		if (OP(0)->type->kind != IR_TY_PTR)
			return verr(c, b, in, "load from a non-pointer");
		break;
	case IR_OP_STORE:
		NEED(2);
		if (OP(1)->type->kind != IR_TY_PTR)
			return verr(c, b, in, "store to a non-pointer");
		break;
	case IR_OP_GEP:
		if (in->nops < 1 || !type_is(OP(0)->type, IR_TY_PTR) || !in->src_type)
			return verr(c, b, in, "malformed getelementptr");
		for (uint32_t i = 1; i < in->nops; i++)
			if (!type_is(OP(i)->type, IR_TY_INT))
				return verr(c, b, in, "non-integer index");
		{
			struct ir_value *ix[64];
			uint32_t n = in->nops - 1;
			if (n > 64)
				return verr(c, b, in, "more than 64 indices");
			for (uint32_t i = 0; i < n; i++)
				ix[i] = OP(i + 1);
			const char *why = ir_gep_check(in->src_type, ix, n);
			if (why)
				return verr(c, b, in, "%s", why);
		}
		break;
	case IR_OP_CALL: {
		const struct ir_type *ft = in->fn_type;
		if (in->nops < 1 || !ft || ft->kind != IR_TY_FUNC || OP(0)->type->kind != IR_TY_PTR)
			return verr(c, b, in, "malformed call");
		uint32_t na = in->nops - 1;
		if (na < ft->nmembers || (!ft->vararg && na != ft->nmembers))
			return verr(c, b, in, "%u arguments for %u parameters", na, ft->nmembers);
		for (uint32_t i = 0; i < ft->nmembers; i++)
			if (OP(i + 1)->type != ft->members[i])
				return verr(c, b, in, "argument %u has the wrong type", i);
		if (rt != ft->ret)
			return verr(c, b, in, "result type differs from the function type");
		break;
	}
	default:
		break;
	}
#undef OP
#undef NEED
	return 0;
}

/* a dominates b (both reachable): nested DFS intervals of the tree. */
static bool dominates(const struct vctx *c, uint32_t a, uint32_t b)
{
	return c->pre[a] <= c->pre[b] && c->post[b] <= c->post[a];
}

static int compute_dominators(struct vctx *c, struct ir_arena *s)
{
	const struct ir_func *f = c->f;
	uint32_t n = f->nblocks;
	c->rpo_index = ir_arena_alloc(s, n * sizeof(uint32_t), 4);
	c->idom = ir_arena_alloc(s, n * sizeof(uint32_t), 4);
	c->order = ir_arena_alloc(s, n * sizeof(uint32_t), 4);
	c->npred = ir_arena_alloc(s, n * sizeof(uint32_t), 4);
	uint32_t *post = ir_arena_alloc(s, n * sizeof(uint32_t), 4);
	uint32_t *stk = ir_arena_alloc(s, n * sizeof(uint32_t), 4);
	uint32_t *it = ir_arena_alloc(s, n * sizeof(uint32_t), 4);
	uint8_t *seen = ir_arena_alloc(s, n, 1);
	if (!c->rpo_index || !c->idom || !c->order || !c->npred || !post || !stk || !it || !seen)
		return verr(c, NULL, NULL, "verifier scratch arena exhausted"), -2;
	for (uint32_t i = 0; i < n; i++) {
		c->rpo_index[i] = UINT32_MAX;
		for (uint32_t k = 0;; k++) {
			const struct ir_block *sb = succ_at(f->blocks[i], k);
			if (!sb)
				break;
			c->npred[sb->index]++;
		}
	}
	/* iterative DFS for the post-order */
	uint32_t sp = 0, np = 0;
	stk[sp++] = 0;
	seen[0] = 1;
	while (sp) {
		uint32_t x = stk[sp - 1];
		const struct ir_block *sb = succ_at(f->blocks[x], it[x]);
		if (sb) {
			it[x]++;
			if (!seen[sb->index]) {
				seen[sb->index] = 1;
				stk[sp++] = sb->index;
			}
		} else {
			post[np++] = x;
			sp--;
		}
	}
	c->nreach = np;
	for (uint32_t i = 0; i < np; i++) {
		c->order[i] = post[np - 1 - i];
		c->rpo_index[c->order[i]] = i;
	}
	/* predecessors are found by scanning reachable blocks' successors;
	 * iterate to a fixed point (Cooper, Harvey, Kennedy) */
	/* predecessor lists in the scratch arena: CSR layout */
	uint32_t *pstart = ir_arena_alloc(s, (n + 1) * sizeof(uint32_t), 4);
	uint32_t total = 0;
	if (!pstart)
		return verr(c, NULL, NULL, "verifier scratch arena exhausted"), -2;
	for (uint32_t i = 0; i < n; i++) {
		pstart[i] = total;
		total += c->npred[i];
	}
	pstart[n] = total;
	uint32_t *plist = ir_arena_alloc(s, (total ? total : 1) * sizeof(uint32_t), 4);
	uint32_t *pfill = ir_arena_alloc(s, n * sizeof(uint32_t), 4);
	if (!plist || !pfill)
		return verr(c, NULL, NULL, "verifier scratch arena exhausted"), -2;
	for (uint32_t i = 0; i < n; i++)
		for (uint32_t k = 0;; k++) {
			const struct ir_block *sb = succ_at(f->blocks[i], k);
			if (!sb)
				break;
			plist[pstart[sb->index] + pfill[sb->index]++] = i;
		}
	if (!ir_idoms(n, np, c->order, c->rpo_index, pstart, plist, c->idom, NULL))
		return verr(c, NULL, NULL, "dominator iteration did not converge");
	c->pstart = pstart;
	c->plist = plist;
	/* number the dominator tree (children in CSR, iterative DFS) */
	uint32_t *cstart = ir_arena_alloc(s, (n + 1) * sizeof(uint32_t), 4);
	uint32_t *clist = ir_arena_alloc(s, (n ? n : 1) * sizeof(uint32_t), 4);
	uint32_t *cfill = ir_arena_alloc(s, n * sizeof(uint32_t), 4);
	c->pre = ir_arena_alloc(s, n * sizeof(uint32_t), 4);
	c->post = ir_arena_alloc(s, n * sizeof(uint32_t), 4);
	c->cnt = ir_arena_alloc(s, n * sizeof(uint32_t), 4);
	if (!cstart || !clist || !cfill || !c->pre || !c->post || !c->cnt)
		return verr(c, NULL, NULL, "verifier scratch arena exhausted"), -2;
	for (uint32_t oi = 1; oi < np; oi++)
		cfill[c->idom[c->order[oi]]]++;
	uint32_t acc = 0;
	for (uint32_t i = 0; i < n; i++) {
		cstart[i] = acc;
		acc += cfill[i];
		cfill[i] = 0;
	}
	cstart[n] = acc;
	for (uint32_t oi = 1; oi < np; oi++) {
		uint32_t b = c->order[oi], d = c->idom[b];
		clist[cstart[d] + cfill[d]++] = b;
	}
	uint32_t clock = 0;
	sp = 0;
	stk[sp++] = 0;
	memset(it, 0, n * sizeof(uint32_t));
	c->pre[0] = clock++;
	while (sp) {
		uint32_t x = stk[sp - 1];
		if (it[x] < cstart[x + 1] - cstart[x]) {
			uint32_t ch = clist[cstart[x] + it[x]++];
			c->pre[ch] = clock++;
			stk[sp++] = ch;
		} else {
			c->post[x] = clock++;
			sp--;
		}
	}
	return 0;
}

/* No case value twice: sort a copy (heap sort, no recursion). */
static int check_switch_cases(struct vctx *c, const struct ir_block *b, struct ir_arena *s)
{
	const struct ir_inst *in = b->last;
	uint32_t n = (in->nops - 2) / 2;
	if (n < 2)
		return 0;
	size_t mark = s->used;
	uint64_t *v = ir_arena_alloc(s, n * sizeof *v, 8);
	if (!v)
		return verr(c, b, in, "verifier scratch arena exhausted"), -2;
	for (uint32_t i = 0; i < n; i++)
		v[i] = ((const struct ir_const *)in->ops[2 + 2 * i].value)->i;
	for (uint32_t start = n / 2; start-- > 0;) {
		for (uint32_t r = start;;) {
			uint32_t ch = 2 * r + 1;
			if (ch >= n)
				break;
			if (ch + 1 < n && v[ch + 1] > v[ch])
				ch++;
			if (v[r] >= v[ch])
				break;
			uint64_t t = v[r]; v[r] = v[ch]; v[ch] = t;
			r = ch;
		}
	}
	for (uint32_t end = n - 1; end > 0; end--) {
		uint64_t t = v[0]; v[0] = v[end]; v[end] = t;
		for (uint32_t r = 0;;) {
			uint32_t ch = 2 * r + 1;
			if (ch >= end)
				break;
			if (ch + 1 < end && v[ch + 1] > v[ch])
				ch++;
			if (v[r] >= v[ch])
				break;
			uint64_t u = v[r]; v[r] = v[ch]; v[ch] = u;
			r = ch;
		}
	}
	int rc = 0;
	for (uint32_t i = 1; i < n && !rc; i++)
		if (v[i] == v[i - 1])
			rc = verr(c, b, in, "duplicate switch case value %llu", (unsigned long long)v[i]);
	ir_arena_reset(s, mark);
	return rc;
}

int ir_verify_func(const struct ir_func *f, struct ir_arena *scratch, char *msg, size_t msgsize)
{
	struct vctx c = { .f = f, .msg = msg, .msgsize = msgsize };
	if (f->is_decl)
		return 0;
	if (!f->fn_type || f->fn_type->kind != IR_TY_FUNC)
		return verr(&c, NULL, NULL, "no function type");
	if (f->nblocks == 0 || !f->blocks)
		return verr(&c, NULL, NULL, "definition without blocks");
	for (uint32_t i = 0; i < f->nparams; i++)
		if (f->params[i].parent != f || f->params[i].v.id != i)
			return verr(&c, NULL, NULL, "parameter %u malformed", i);
	/* block structure first: the dominator computation relies on it */
	uint32_t total = 0, last_id = f->nparams;
	bool first_inst = true;
	for (uint32_t bi = 0; bi < f->nblocks; bi++) {
		const struct ir_block *b = f->blocks[bi];
		if (!b || b->parent != f || b->index != bi)
			return verr(&c, b, NULL, "block list malformed");
		if (!b->first || !b->last)
			return verr(&c, b, NULL, "empty block");
		uint32_t k = 0;
		bool phis = true;
		const struct ir_inst *prev = NULL;
		for (const struct ir_inst *in = b->first; in; in = in->next) {
			if (++k > b->ninsts || in->parent != b || in->prev != prev)
				return verr(&c, b, in, "instruction list malformed");
			if (in->op == IR_OP_PHI && !phis)
				return verr(&c, b, in, "phi after a non-phi instruction");
			if (in->op != IR_OP_PHI)
				phis = false;
			bool term = ir_is_terminator(in->op);
			if (term != (in->next == NULL))
				return verr(&c, b, in, term ? "terminator in the middle of the block"
						       : "block does not end in a terminator");
			if (in->v.id < f->nparams || in->v.id >= f->nvalues)
				return verr(&c, b, in, "value id out of range");
			if (!first_inst && in->v.id <= last_id)
				return verr(&c, b, in, "ids do not increase in layout order (ir_renumber)");
			first_inst = false;
			last_id = in->v.id;
			prev = in;
		}
		if (k != b->ninsts || prev != b->last)
			return verr(&c, b, NULL, "instruction count mismatch");
		if (b->last->op != IR_OP_RET && b->last->op != IR_OP_BR &&
		    b->last->op != IR_OP_SWITCH && b->last->op != IR_OP_UNREACHABLE)
			return verr(&c, b, b->last, "unsupported terminator");
		for (const struct ir_inst *in = b->first; in; in = in->next)
			if (check_types(&c, b, in))
				return -1;
		total += k;
	}
	if (total != f->ninsts)
		return verr(&c, NULL, NULL, "instruction count %u, expected %u", total, f->ninsts);

	size_t mark = scratch->used;
	int rc = compute_dominators(&c, scratch);
	if (rc)
		goto out;
	if (c.npred[0]) {
		rc = verr(&c, f->blocks[0], NULL, "the entry block has predecessors");
		goto out;
	}
	for (uint32_t bi = 0; bi < f->nblocks && !rc; bi++)
		if (f->blocks[bi]->last->op == IR_OP_SWITCH)
			rc = check_switch_cases(&c, f->blocks[bi], scratch);
	if (rc)
		goto out;
	for (uint32_t bi = 0; bi < f->nblocks && !rc; bi++) {
		const struct ir_block *b = f->blocks[bi];
		bool reach = c.rpo_index[bi] != UINT32_MAX;
		for (const struct ir_inst *in = b->first; in && !rc; in = in->next) {
			if (in->op == IR_OP_PHI && reach) {
				/* one incoming per predecessor edge, from predecessors */
				if (in->nops / 2 != c.npred[bi]) {
					rc = verr(&c, b, in, "%u incoming values for %u predecessor edges",
						  in->nops / 2, c.npred[bi]);
					break;
				}
				/* each edge p->b matched by exactly one incoming */
				for (uint32_t k = c.pstart[bi]; k < c.pstart[bi + 1]; k++)
					c.cnt[c.plist[k]]++;
				for (uint32_t i = 1; i < in->nops && !rc; i += 2) {
					const struct ir_block *pb = (const struct ir_block *)in->ops[i].value;
					if (c.cnt[pb->index] == 0)
						rc = verr(&c, b, in, "incoming block %u is not a predecessor",
							  pb->index);
					else
						c.cnt[pb->index]--;
				}
				for (uint32_t k = c.pstart[bi]; k < c.pstart[bi + 1]; k++)
					c.cnt[c.plist[k]] = 0;
			}
			for (uint32_t i = 0; i < in->nops && !rc; i++) {
				const struct ir_use *u = &in->ops[i];
				const struct ir_value *v = u->value;
				if (!v) {
					rc = verr(&c, b, in, "operand %u missing", i);
					break;
				}
				if (u->user != in || u->index != i) {
					rc = verr(&c, b, in, "use list entry %u malformed", i);
					break;
				}
				switch (v->kind) {
				case IR_VAL_PLACEHOLDER:
					rc = verr(&c, b, in, "operand %u never defined", i);
					break;
				case IR_VAL_ARG:
					if (((const struct ir_arg *)v)->parent != f)
						rc = verr(&c, b, in, "argument of another function");
					break;
				case IR_VAL_BLOCK:
					if (!is_block_of(v, f))
						rc = verr(&c, b, in, "block of another function");
					else if (in->op != IR_OP_BR && in->op != IR_OP_SWITCH &&
						 in->op != IR_OP_PHI && in->op != IR_OP_CALL)
						rc = verr(&c, b, in, "block used as a value");
					break;
				case IR_VAL_INST: {
					const struct ir_inst *d = (const struct ir_inst *)v;
					if (!d->parent || d->parent->parent != f) {
						rc = verr(&c, b, in, "operand %u from another function", i);
						break;
					}
					if (d->v.type->kind == IR_TY_VOID) {
						rc = verr(&c, b, in, "operand %u has no value", i);
						break;
					}
					uint32_t db = d->parent->index, ub = bi;
					bool phi = in->op == IR_OP_PHI;
					if (phi)
						ub = ((const struct ir_block *)in->ops[i + 1].value)->index;
					if (c.rpo_index[ub] == UINT32_MAX)
						break;  /* uses in unreachable code are not checked */
					if (c.rpo_index[db] == UINT32_MAX) {
						rc = verr(&c, b, in, "operand %u defined in unreachable code", i);
						break;
					}
					if (db == ub) {
						if (!phi && d->v.id >= in->v.id)
							rc = verr(&c, b, in, "operand %u used before its definition", i);
					} else if (!dominates(&c, db, ub)) {
						rc = verr(&c, b, in, "operand %u (%%%u) does not dominate its use",
							  i, d->v.id);
					}
					break;
				}
				default:
					break;
				}
			}
		}
	}
out:
	ir_arena_reset(scratch, mark);
	return rc;
}

int ir_verify_module(const struct ir_module *m, struct ir_arena *scratch, char *msg, size_t msgsize)
{
	for (uint32_t i = 0; i < m->nglobals; i++) {
		const struct ir_global *g = m->globals[i];
		if (g->init && g->init->type != g->value_type) {
			if (msg && msgsize)
				bf_snprintf(msg, msgsize, "@%s: initialiser of the wrong type",
					    g->v.name ? g->v.name : "?");
			return -1;
		}
	}
	for (uint32_t i = 0; i < m->nfuncs; i++) {
		int rc = ir_verify_func(m->funcs[i], scratch, msg, msgsize);
		if (rc)
			return rc;
	}
	return 0;
}
