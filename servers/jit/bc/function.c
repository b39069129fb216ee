/* servers/jit/bc/function.c: FUNCTION blocks — instructions, the
 * function's constants and its value symbol table.
 *
 * Operands are relative value ids (the current value count minus the
 * operand), so an operand that is "ahead" wraps to a large number: such
 * forward references carry an explicit type where LLVM puts one (the
 * value-type pairs), and become placeholders that rd_define replaces when
 * the value is defined.  Block operands (br, switch, phi) are absolute
 * block indices; switch case values and alloca sizes are absolute value
 * ids. */
#include <string.h>
#include "servers/jit/bc/internal.h"

enum {
	FN_DECLAREBLOCKS = 1, FN_BINOP = 2, FN_CAST = 3, FN_GEP_OLD = 4,
	FN_SELECT = 5, FN_EXTRACTELT = 6, FN_INSERTELT = 7, FN_SHUFFLEVEC = 8,
	FN_CMP = 9, FN_RET = 10, FN_BR = 11, FN_SWITCH = 12, FN_INVOKE = 13,
	FN_UNREACHABLE = 15, FN_PHI = 16, FN_ALLOCA = 19, FN_LOAD = 20,
	FN_VAARG = 23, FN_STORE_OLD = 24, FN_EXTRACTVAL = 26, FN_INSERTVAL = 27,
	FN_CMP2 = 28, FN_VSELECT = 29, FN_INBOUNDS_GEP_OLD = 30,
	FN_INDIRECTBR = 31, FN_DEBUG_LOC_AGAIN = 33, FN_CALL = 34,
	FN_DEBUG_LOC = 35, FN_FENCE = 36, FN_CMPXCHG_OLD = 37,
	FN_ATOMICRMW_OLD = 38, FN_RESUME = 39, FN_LANDINGPAD_OLD = 40,
	FN_LOADATOMIC = 41, FN_STOREATOMIC_OLD = 42, FN_GEP = 43, FN_STORE = 44,
	FN_STOREATOMIC = 45, FN_CMPXCHG = 46, FN_LANDINGPAD = 47,
	FN_CLEANUPRET = 48, FN_CATCHRET = 49, FN_CATCHPAD = 50,
	FN_CLEANUPPAD = 51, FN_CATCHSWITCH = 52, FN_OPERAND_BUNDLE = 55,
	FN_UNOP = 56, FN_CALLBR = 57, FN_FREEZE = 58, FN_ATOMICRMW = 59,
	FN_BLOCKADDR_USERS = 60, FN_DEBUG_RECORD_VALUE = 61,
	FN_DEBUG_RECORD_DECLARE = 62, FN_DEBUG_RECORD_ASSIGN = 63,
	FN_DEBUG_RECORD_VALUE_SIMPLE = 64, FN_DEBUG_RECORD_LABEL = 65,
};

/* Cursor over one instruction record. */
struct ops {
	const uint64_t *o;
	uint32_t n, i;
};

static bool more(const struct ops *p) { return p->i < p->n; }

static int need(struct rd *r, struct ops *p, uint32_t k, const char *what)
{
	if (p->n - p->i < k)
		return rd_fail(r, BC_ERR_INST, "%s: record too short", what);
	return 0;
}

static uint64_t take(struct ops *p) { return p->o[p->i++]; }

/* Absolute id of a relative operand. */
static uint64_t rel(struct rd *r, uint64_t v)
{
	return (uint32_t)(r->nvals - (uint32_t)v);
}

/* A value-type pair: relative id, plus a type id if it is a forward
 * reference. */
static struct ir_value *vtp(struct rd *r, struct ops *p, const char *what)
{
	if (need(r, p, 1, what))
		return NULL;
	uint64_t id = rel(r, take(p));
	struct ir_type *t = NULL;
	if (id >= r->nvals) {
		if (need(r, p, 1, what) || !(t = rd_type(r, take(p))))
			return NULL;
	}
	return rd_value(r, id, t);
}

/* A relative operand of a known type. */
static struct ir_value *val(struct rd *r, struct ops *p, struct ir_type *t, const char *what)
{
	if (need(r, p, 1, what))
		return NULL;
	return rd_value(r, rel(r, take(p)), t);
}

static struct ir_block *block_ref(struct rd *r, uint64_t id)
{
	if (id >= r->fn->nblocks) {
		rd_fail(r, BC_ERR_INST, "block %llu of %u", (unsigned long long)id, r->fn->nblocks);
		return NULL;
	}
	return r->fn->blocks[id];
}

static const struct ir_type *scalar_of(const struct ir_type *t)
{
	return t->kind == IR_TY_VECTOR ? t->elem : t;
}

/* Make an instruction with n operand slots (filled by the caller with
 * set()). */
static struct ir_inst *new_inst(struct rd *r, enum ir_opcode op, struct ir_type *ty, uint32_t n)
{
	struct ir_inst *in = rd_alloc(r, sizeof *in);
	if (!in)
		return NULL;
	if (n && !(in->ops = rd_alloc(r, n * sizeof *in->ops)))
		return NULL;
	in->v.kind = IR_VAL_INST;
	in->v.type = ty;
	in->op = op;
	in->nops = n;
	for (uint32_t i = 0; i < n; i++) {
		in->ops[i].user = in;
		in->ops[i].index = i;
	}
	return in;
}

static int set(struct ir_inst *in, uint32_t i, struct ir_value *v)
{
	if (!v)
		return -1;
	ir_set_op(in, i, v);
	return 0;
}

/* Append to the current block; define the result if not void; a
 * terminator closes the block. */
static int emit(struct rd *r, struct ir_inst *in)
{
	struct ir_func *f = r->fn;
	if (r->cur_block >= f->nblocks)
		return rd_fail(r, BC_ERR_INST, "instruction after the last block in @%s", f->v.name);
	struct ir_block *b = f->blocks[r->cur_block];
	ir_append_inst(b, in);
	b->ninsts++;
	f->ninsts++;
	in->v.id = r->next_id++;
	if (in->v.type->kind != IR_TY_VOID && rd_define(r, &in->v))
		return -1;
	if (ir_is_terminator(in->op))
		r->cur_block++;
	return 0;
}

static struct ir_type *cmp_type(struct rd *r, const struct ir_type *ot)
{
	struct ir_type *i1 = rd_int_type(r, 1);
	if (i1 && ot->kind == IR_TY_VECTOR)
		return rd_vector_type(r, i1, ot->count);
	return i1;
}

/* Type reached by extractvalue/insertvalue indices. */
static struct ir_type *indexed_type(struct rd *r, struct ir_type *t, struct ops *p,
				    uint32_t **idx_out, uint32_t *nidx)
{
	uint32_t n = p->n - p->i;
	if (n == 0)
		return rd_fail(r, BC_ERR_INST, "extractvalue/insertvalue without indices"), NULL;
	uint32_t *idx = rd_alloc(r, n * sizeof *idx);
	if (!idx)
		return NULL;
	for (uint32_t k = 0; k < n; k++) {
		uint64_t x = take(p);
		if (t->kind == IR_TY_STRUCT && x < t->nmembers) {
			t = t->members[x];
		} else if (t->kind == IR_TY_ARRAY && x < t->count) {
			t = t->elem;
		} else {
			rd_fail(r, BC_ERR_INST, "index %llu out of its aggregate", (unsigned long long)x);
			return NULL;
		}
		idx[k] = (uint32_t)x;
	}
	*idx_out = idx;
	*nidx = n;
	return t;
}

static int inst_call(struct rd *r, struct ops *p)
{
	if (need(r, p, 2, "call"))
		return -1;
	uint64_t attr_list = take(p);
	uint64_t cc = take(p);
	uint32_t fmf = 0;
	if (cc & (1u << 17)) {
		if (need(r, p, 1, "call"))
			return -1;
		fmf = (uint32_t)take(p);
	}
	if (!(cc & (1u << 15)))
		return rd_fail(r, BC_ERR_UNSUPPORTED, "call without an explicit function type");
	if (need(r, p, 1, "call"))
		return -1;
	struct ir_type *ft = rd_type(r, take(p));
	if (!ft)
		return -1;
	if (ft->kind != IR_TY_FUNC)
		return rd_fail(r, BC_ERR_INST, "call through a non-function type");
	struct ir_value *callee = vtp(r, p, "call");
	if (!callee)
		return -1;
	if (callee->type->kind != IR_TY_PTR)
		return rd_fail(r, BC_ERR_INST, "callee is not a pointer");
	uint32_t nfixed = ft->nmembers;
	uint32_t left = p->n - p->i;
	if (left < nfixed || (!ft->vararg && left > nfixed))
		return rd_fail(r, BC_ERR_INST, "call with %u arguments for %u parameters", left, nfixed);
	/* variadic arguments are value-type pairs: at most `left` of them */
	struct ir_value *argv_small[16];
	struct ir_value **args = left <= 16 ? argv_small : rd_alloc(r, left * sizeof *args);
	if (!args)
		return -1;
	uint32_t nargs = 0;
	for (uint32_t k = 0; k < nfixed; k++) {
		struct ir_type *pt = ft->members[k];
		struct ir_value *a;
		if (pt->kind == IR_TY_LABEL) {
			struct ir_block *b = block_ref(r, take(p));
			a = b ? &b->v : NULL;
		} else if (pt->kind == IR_TY_METADATA) {
			take(p);        /* a metadata id: kept as an opaque operand */
			a = rd_alloc(r, sizeof *a);
			if (a) {
				a->kind = IR_VAL_METADATA;
				a->type = pt;
			}
		} else {
			a = val(r, p, pt, "call argument");
		}
		if (!a)
			return -1;
		args[nargs++] = a;
	}
	while (more(p)) {
		struct ir_value *a = vtp(r, p, "variadic argument");
		if (!a)
			return -1;
		args[nargs++] = a;
	}
	struct ir_inst *in = new_inst(r, IR_OP_CALL, ft->ret, nargs + 1);
	if (!in || set(in, 0, callee))
		return -1;
	for (uint32_t k = 0; k < nargs; k++)
		set(in, k + 1, args[k]);
	in->fn_type = ft;
	if (attr_list) {
		struct ir_attrs *slots = rd_alloc(r, (nargs + 1) * sizeof *slots);
		int64_t fn = slots ? rd_apply_attrs(r, attr_list, slots, nargs + 1) : -1;
		if (fn < 0)
			return -1;
		in->call_attrs = slots;
		in->ncall_attrs = nargs + 1;
		in->call_fn_attrs = (uint32_t)fn;
	}
	in->callconv = (uint32_t)((cc >> 1) & 0x3ff);
	in->fmf = fmf;
	in->flags = (cc & 1 ? IR_FL_TAIL : 0) | (cc & (1u << 14) ? IR_FL_MUSTTAIL : 0) |
		    (cc & (1u << 16) ? IR_FL_NOTAIL : 0);
	return emit(r, in);
}

static int inst_phi(struct rd *r, struct ops *p)
{
	if (need(r, p, 1, "phi"))
		return -1;
	struct ir_type *t = rd_type(r, take(p));
	if (!t)
		return -1;
	if (!rd_type_first_class(t))
		return rd_fail(r, BC_ERR_INST, "phi of a non-first-class type");
	uint32_t left = p->n - p->i;
	uint32_t fmf = 0;
	if (left % 2) {                 /* trailing fast-math flags */
		fmf = (uint32_t)p->o[p->n - 1];
		p->n--;
		left--;
	}
	struct ir_inst *in = new_inst(r, IR_OP_PHI, t, left);
	if (!in)
		return -1;
	in->fmf = fmf;
	for (uint32_t k = 0; k < left; k += 2) {
		int64_t d = bs_decode_signed(take(p));
		uint64_t id = (uint32_t)((uint64_t)r->nvals - (uint64_t)d);
		struct ir_block *b = block_ref(r, take(p));
		if (!b || set(in, k, rd_value(r, id, t)) || set(in, k + 1, &b->v))
			return -1;
	}
	return emit(r, in);
}

static int inst_switch(struct rd *r, struct ops *p)
{
	if (need(r, p, 3, "switch"))
		return -1;
	uint64_t tyid = take(p);
	if ((tyid >> 16) == 0x4B5)
		return rd_fail(r, BC_ERR_UNSUPPORTED, "old-style switch records");
	struct ir_type *t = rd_type(r, tyid);
	if (!t)
		return -1;
	if (t->kind != IR_TY_INT)
		return rd_fail(r, BC_ERR_INST, "switch on a non-integer");
	struct ir_value *cond = val(r, p, t, "switch");
	struct ir_block *def = cond ? block_ref(r, take(p)) : NULL;
	if (!def)
		return -1;
	uint32_t left = p->n - p->i;
	if (left % 2)
		return rd_fail(r, BC_ERR_INST, "switch cases not in pairs");
	struct ir_inst *in = new_inst(r, IR_OP_SWITCH, rd_void_type(r), 2 + left);
	if (!in || set(in, 0, cond) || set(in, 1, &def->v))
		return -1;
	for (uint32_t k = 0; k < left; k += 2) {
		uint64_t cid = take(p);
		struct ir_value *cv = rd_value(r, cid, t);
		if (!cv)
			return -1;
		if (cv->kind != IR_VAL_CONST_INT)
			return rd_fail(r, BC_ERR_INST, "switch case is not an integer constant");
		struct ir_block *b = block_ref(r, take(p));
		if (!b)
			return -1;
		set(in, 2 + k, cv);
		set(in, 3 + k, &b->v);
	}
	return emit(r, in);
}

static int inst_alloca(struct rd *r, struct ops *p)
{
	if (need(r, p, 4, "alloca"))
		return -1;
	struct ir_type *at = rd_type(r, p->o[0]);
	struct ir_type *szt = at ? rd_type(r, p->o[1]) : NULL;
	if (!szt)
		return -1;
	uint64_t a = p->o[3];
	if (!(a & (1u << 6)))
		return rd_fail(r, BC_ERR_UNSUPPORTED, "alloca without an explicit type");
	if (!rd_type_sized(at))
		return rd_fail(r, BC_ERR_INST, "alloca of an unsized type");
	if (szt->kind != IR_TY_INT)
		return rd_fail(r, BC_ERR_INST, "alloca count is not an integer");
	uint64_t enc = (a & 31) | (((a >> 8) & 7) << 5);
	uint32_t as = 0;
	if (p->n > 4) {
		if (p->o[4] > 0xffffff)
			return rd_fail(r, BC_ERR_INST, "alloca address space");
		as = (uint32_t)p->o[4];
	}
	struct ir_value *cnt = rd_value(r, p->o[2], szt);
	struct ir_type *pt = rd_ptr_type(r, as);
	struct ir_inst *in = cnt && pt ? new_inst(r, IR_OP_ALLOCA, pt, 1) : NULL;
	if (!in || set(in, 0, cnt))
		return -1;
	in->alloc_type = at;
	in->align = rd_align(r, enc);
	return r->bs.failed ? -1 : emit(r, in);
}

static int inst_gep(struct rd *r, struct ops *p)
{
	if (need(r, p, 3, "getelementptr"))
		return -1;
	uint64_t flags = take(p);
	struct ir_type *src = rd_type(r, take(p));
	if (!src)
		return -1;
	if (!rd_type_sized(src))
		return rd_fail(r, BC_ERR_INST, "getelementptr over an unsized type");
	uint32_t left = p->n - p->i;
	struct ir_value *small[16];
	struct ir_value **vs = left <= 16 ? small : rd_alloc(r, left * sizeof *vs);
	if (!vs)
		return -1;
	uint32_t nv = 0;
	while (more(p))
		if (!(vs[nv++] = vtp(r, p, "getelementptr")))
			return -1;
	struct ir_type *rt = vs[0]->type;
	if (scalar_of(rt)->kind != IR_TY_PTR)
		return rd_fail(r, BC_ERR_INST, "getelementptr base is not a pointer");
	for (uint32_t k = 1; k < nv; k++) {
		const struct ir_type *it = vs[k]->type;
		if (scalar_of(it)->kind != IR_TY_INT)
			return rd_fail(r, BC_ERR_INST, "getelementptr index is not an integer");
		if (it->kind == IR_TY_VECTOR && rt->kind != IR_TY_VECTOR &&
		    !(rt = rd_vector_type(r, rt, it->count)))
			return -1;
	}
	struct ir_inst *in = new_inst(r, IR_OP_GEP, rt, nv);
	if (!in)
		return -1;
	for (uint32_t k = 0; k < nv; k++)
		set(in, k, vs[k]);
	in->src_type = src;
	in->flags = flags & 1 ? IR_FL_INBOUNDS : 0;
	return emit(r, in);
}

/* The operands load and store records end with: alignment, volatile, and
 * for the atomic forms the ordering and sync scope; then the instruction
 * joins the block. */
static int mem_tail(struct rd *r, struct ops *p, struct ir_inst *in, bool atomic)
{
	in->align = rd_align(r, take(p));
	in->flags = take(p) ? IR_FL_VOLATILE : 0;
	if (atomic) {
		in->ordering = (uint32_t)take(p);
		take(p);
		in->flags |= IR_FL_ATOMIC;
	}
	return r->bs.failed ? -1 : emit(r, in);
}

static int inst_load(struct rd *r, struct ops *p, bool atomic)
{
	struct ir_value *ptr = vtp(r, p, "load");
	if (!ptr)
		return -1;
	if (p->n - p->i != (atomic ? 5u : 3u))
		return rd_fail(r, BC_ERR_INST, "load record of the wrong length");
	struct ir_type *t = rd_type(r, take(p));
	if (!t)
		return -1;
	if (!rd_type_sized(t))
		return rd_fail(r, BC_ERR_INST, "load of an unsized type");
	if (ptr->type->kind != IR_TY_PTR)
		return rd_fail(r, BC_ERR_INST, "load from a non-pointer");
	struct ir_inst *in = new_inst(r, IR_OP_LOAD, t, 1);
	if (!in || set(in, 0, ptr))
		return -1;
	return mem_tail(r, p, in, atomic);
}

static int inst_store(struct rd *r, struct ops *p, bool atomic)
{
	struct ir_value *ptr = vtp(r, p, "store");
	struct ir_value *v = ptr ? vtp(r, p, "store") : NULL;
	if (!v)
		return -1;
	if (p->n - p->i != (atomic ? 4u : 2u))
		return rd_fail(r, BC_ERR_INST, "store record of the wrong length");
	if (ptr->type->kind != IR_TY_PTR || !rd_type_sized(v->type))
		return rd_fail(r, BC_ERR_INST, "bad store operands");
	struct ir_inst *in = new_inst(r, IR_OP_STORE, rd_void_type(r), 2);
	if (!in || set(in, 0, v) || set(in, 1, ptr))
		return -1;
	return mem_tail(r, p, in, atomic);
}

static int one_inst(struct rd *r, const struct bs_entry *e)
{
	struct ops p = { e->ops, e->nops, 0 };
	struct ir_inst *in;
	switch (e->id) {
	case FN_BINOP: {
		struct ir_value *a = vtp(r, &p, "binop");
		struct ir_value *b = a ? val(r, &p, a->type, "binop") : NULL;
		if (!b || need(r, &p, 1, "binop"))
			return -1;
		enum ir_opcode op = rd_binop(take(&p), a->type);
		if (op == IR_OP_NONE)
			return rd_fail(r, BC_ERR_INST, "bad binary operator for its type");
		if (!(in = new_inst(r, op, a->type, 2)) || set(in, 0, a) || set(in, 1, b))
			return -1;
		if (more(&p)) {
			uint64_t f = take(&p);
			if (ir_type_is_fp(scalar_of(a->type)))
				in->fmf = (uint32_t)f;
			else
				in->flags = rd_binop_flags(op, f);
		}
		return emit(r, in);
	}
	case FN_UNOP: {
		struct ir_value *a = vtp(r, &p, "unop");
		if (!a || need(r, &p, 1, "unop"))
			return -1;
		if (take(&p) != 0 || !ir_type_is_fp(scalar_of(a->type)))
			return rd_fail(r, BC_ERR_INST, "bad unary operator");
		if (!(in = new_inst(r, IR_OP_FNEG, a->type, 1)) || set(in, 0, a))
			return -1;
		if (more(&p))
			in->fmf = (uint32_t)take(&p);
		return emit(r, in);
	}
	case FN_CAST: {
		struct ir_value *a = vtp(r, &p, "cast");
		if (!a || need(r, &p, 2, "cast"))
			return -1;
		struct ir_type *to = rd_type(r, take(&p));
		if (!to)
			return -1;
		enum ir_opcode op = rd_castop(take(&p), a->type, to);
		if (op == IR_OP_NONE)
			return rd_fail(r, BC_ERR_INST, "invalid cast");
		if (!(in = new_inst(r, op, to, 1)) || set(in, 0, a))
			return -1;
		if (more(&p))
			in->flags = rd_cast_flags(op, take(&p));
		return emit(r, in);
	}
	case FN_GEP:
		return inst_gep(r, &p);
	case FN_VSELECT: {
		struct ir_value *t = vtp(r, &p, "select");
		struct ir_value *f = t ? val(r, &p, t->type, "select") : NULL;
		struct ir_value *c = f ? vtp(r, &p, "select") : NULL;
		if (!c)
			return -1;
		if (scalar_of(c->type)->kind != IR_TY_INT || scalar_of(c->type)->bits != 1)
			return rd_fail(r, BC_ERR_INST, "select condition is not i1");
		if (!(in = new_inst(r, IR_OP_SELECT, t->type, 3)) || set(in, 0, c) ||
		    set(in, 1, t) || set(in, 2, f))
			return -1;
		if (more(&p))
			in->fmf = (uint32_t)take(&p);
		return emit(r, in);
	}
	case FN_CMP:
	case FN_CMP2: {
		struct ir_value *a = vtp(r, &p, "cmp");
		struct ir_value *b = a ? val(r, &p, a->type, "cmp") : NULL;
		if (!b || need(r, &p, 1, "cmp"))
			return -1;
		uint64_t pred = take(&p);
		const struct ir_type *s = scalar_of(a->type);
		bool fp = ir_type_is_fp(s);
		if (fp ? pred > 15 : (pred < 32 || pred > 41 ||
				      (s->kind != IR_TY_INT && s->kind != IR_TY_PTR)))
			return rd_fail(r, BC_ERR_INST, "bad comparison predicate %llu",
				       (unsigned long long)pred);
		struct ir_type *rt = cmp_type(r, a->type);
		if (!rt || !(in = new_inst(r, fp ? IR_OP_FCMP : IR_OP_ICMP, rt, 2)) ||
		    set(in, 0, a) || set(in, 1, b))
			return -1;
		in->pred = (uint32_t)pred;
		if (more(&p))
			in->fmf = (uint32_t)take(&p);
		return emit(r, in);
	}
	case FN_RET: {
		if (!more(&p)) {
			if (r->fn->fn_type->ret->kind != IR_TY_VOID)
				return rd_fail(r, BC_ERR_INST, "ret void in a non-void function");
			return (in = new_inst(r, IR_OP_RET, rd_void_type(r), 0)) ? emit(r, in) : -1;
		}
		struct ir_value *v = vtp(r, &p, "ret");
		if (!v)
			return -1;
		if (more(&p))
			return rd_fail(r, BC_ERR_UNSUPPORTED, "ret with several values");
		if (v->type != r->fn->fn_type->ret)
			return rd_fail(r, BC_ERR_INST, "ret value of the wrong type");
		if (!(in = new_inst(r, IR_OP_RET, rd_void_type(r), 1)) || set(in, 0, v))
			return -1;
		return emit(r, in);
	}
	case FN_BR: {
		if (need(r, &p, 1, "br"))
			return -1;
		struct ir_block *t = block_ref(r, take(&p));
		if (!t)
			return -1;
		if (!more(&p)) {
			if (!(in = new_inst(r, IR_OP_BR, rd_void_type(r), 1)) || set(in, 0, &t->v))
				return -1;
			return emit(r, in);
		}
		if (need(r, &p, 2, "br"))
			return -1;
		struct ir_block *f = block_ref(r, take(&p));
		struct ir_type *i1 = rd_int_type(r, 1);
		struct ir_value *c = f && i1 ? val(r, &p, i1, "br") : NULL;
		if (!c)
			return -1;
		if (!(in = new_inst(r, IR_OP_BR, rd_void_type(r), 3)) || set(in, 0, c) ||
		    set(in, 1, &t->v) || set(in, 2, &f->v))
			return -1;
		return emit(r, in);
	}
	case FN_SWITCH:
		return inst_switch(r, &p);
	case FN_UNREACHABLE:
		return (in = new_inst(r, IR_OP_UNREACHABLE, rd_void_type(r), 0)) ? emit(r, in) : -1;
	case FN_PHI:
		return inst_phi(r, &p);
	case FN_ALLOCA:
		return inst_alloca(r, &p);
	case FN_LOAD:
		return inst_load(r, &p, false);
	case FN_LOADATOMIC:
		return inst_load(r, &p, true);
	case FN_STORE:
		return inst_store(r, &p, false);
	case FN_STOREATOMIC:
		return inst_store(r, &p, true);
	case FN_CALL:
		return inst_call(r, &p);
	case FN_EXTRACTVAL: {
		struct ir_value *a = vtp(r, &p, "extractvalue");
		uint32_t *idx, nidx;
		struct ir_type *t = a ? indexed_type(r, a->type, &p, &idx, &nidx) : NULL;
		if (!t || !(in = new_inst(r, IR_OP_EXTRACTVALUE, t, 1)) || set(in, 0, a))
			return -1;
		in->idx = idx;
		in->nidx = nidx;
		return emit(r, in);
	}
	case FN_INSERTVAL: {
		struct ir_value *a = vtp(r, &p, "insertvalue");
		struct ir_value *v = a ? vtp(r, &p, "insertvalue") : NULL;
		uint32_t *idx, nidx;
		struct ir_type *t = v ? indexed_type(r, a->type, &p, &idx, &nidx) : NULL;
		if (!t)
			return -1;
		if (t != v->type)
			return rd_fail(r, BC_ERR_INST, "insertvalue element of the wrong type");
		if (!(in = new_inst(r, IR_OP_INSERTVALUE, a->type, 2)) || set(in, 0, a) || set(in, 1, v))
			return -1;
		in->idx = idx;
		in->nidx = nidx;
		return emit(r, in);
	}
	case FN_FREEZE: {
		struct ir_value *a = vtp(r, &p, "freeze");
		if (!a || !(in = new_inst(r, IR_OP_FREEZE, a->type, 1)) || set(in, 0, a))
			return -1;
		return emit(r, in);
	}
	case FN_VAARG: {
		if (need(r, &p, 3, "va_arg"))
			return -1;
		struct ir_type *lt = rd_type(r, take(&p));
		struct ir_value *l = lt ? val(r, &p, lt, "va_arg") : NULL;
		struct ir_type *t = l ? rd_type(r, take(&p)) : NULL;
		if (!t || !(in = new_inst(r, IR_OP_VAARG, t, 1)) || set(in, 0, l))
			return -1;
		return emit(r, in);
	}
	case FN_EXTRACTELT: {
		struct ir_value *v = vtp(r, &p, "extractelement");
		struct ir_value *i = v ? vtp(r, &p, "extractelement") : NULL;
		if (!i)
			return -1;
		if (v->type->kind != IR_TY_VECTOR || i->type->kind != IR_TY_INT)
			return rd_fail(r, BC_ERR_INST, "bad extractelement");
		if (!(in = new_inst(r, IR_OP_EXTRACTELEMENT, v->type->elem, 2)) ||
		    set(in, 0, v) || set(in, 1, i))
			return -1;
		return emit(r, in);
	}
	case FN_INSERTELT: {
		struct ir_value *v = vtp(r, &p, "insertelement");
		if (!v)
			return -1;
		if (v->type->kind != IR_TY_VECTOR)
			return rd_fail(r, BC_ERR_INST, "bad insertelement");
		struct ir_value *x = val(r, &p, v->type->elem, "insertelement");
		struct ir_value *i = x ? vtp(r, &p, "insertelement") : NULL;
		if (!i)
			return -1;
		if (i->type->kind != IR_TY_INT)
			return rd_fail(r, BC_ERR_INST, "bad insertelement index");
		if (!(in = new_inst(r, IR_OP_INSERTELEMENT, v->type, 3)) ||
		    set(in, 0, v) || set(in, 1, x) || set(in, 2, i))
			return -1;
		return emit(r, in);
	}
	case FN_SHUFFLEVEC: {
		struct ir_value *a = vtp(r, &p, "shufflevector");
		struct ir_value *b = a ? val(r, &p, a->type, "shufflevector") : NULL;
		struct ir_value *m = b ? vtp(r, &p, "shufflevector") : NULL;
		if (!m)
			return -1;
		if (a->type->kind != IR_TY_VECTOR || m->type->kind != IR_TY_VECTOR)
			return rd_fail(r, BC_ERR_INST, "bad shufflevector");
		struct ir_type *rt = rd_vector_type(r, a->type->elem, m->type->count);
		if (!rt || !(in = new_inst(r, IR_OP_SHUFFLEVECTOR, rt, 3)) ||
		    set(in, 0, a) || set(in, 1, b) || set(in, 2, m))
			return -1;
		return emit(r, in);
	}
	case FN_FENCE:
		if (need(r, &p, 2, "fence") || !(in = new_inst(r, IR_OP_FENCE, rd_void_type(r), 0)))
			return -1;
		in->ordering = (uint32_t)p.o[0];
		return emit(r, in);
	case FN_CMPXCHG: {
		struct ir_value *ptr = vtp(r, &p, "cmpxchg");
		struct ir_value *cmp = ptr ? vtp(r, &p, "cmpxchg") : NULL;
		struct ir_value *nv = cmp ? val(r, &p, cmp->type, "cmpxchg") : NULL;
		if (!nv || need(r, &p, 3, "cmpxchg"))
			return -1;
		if (ptr->type->kind != IR_TY_PTR)
			return rd_fail(r, BC_ERR_INST, "cmpxchg on a non-pointer");
		uint64_t vol = take(&p), ord = take(&p);
		take(&p);                       /* sync scope */
		uint64_t fail_ord = more(&p) ? take(&p) : ord;
		uint64_t weak = more(&p) ? take(&p) : 0;
		uint64_t al = more(&p) ? take(&p) : 0;
		struct ir_type *i1 = rd_int_type(r, 1);
		struct ir_type *rt = i1 ? rd_pair_type(r, cmp->type, i1) : NULL;
		if (!rt || !(in = new_inst(r, IR_OP_CMPXCHG, rt, 3)) || set(in, 0, ptr) ||
		    set(in, 1, cmp) || set(in, 2, nv))
			return -1;
		in->flags = (vol ? IR_FL_VOLATILE : 0) | (weak ? IR_FL_WEAK : 0);
		in->ordering = (uint32_t)(ord > 7 ? 7 : ord);
		in->pred = (uint32_t)(fail_ord > 7 ? 7 : fail_ord);
		in->align = rd_align(r, al);
		return r->bs.failed ? -1 : emit(r, in);
	}
	case FN_ATOMICRMW: {
		struct ir_value *ptr = vtp(r, &p, "atomicrmw");
		struct ir_value *v = ptr ? vtp(r, &p, "atomicrmw") : NULL;
		if (!v || need(r, &p, 3, "atomicrmw"))
			return -1;
		if (ptr->type->kind != IR_TY_PTR)
			return rd_fail(r, BC_ERR_INST, "atomicrmw on a non-pointer");
		uint64_t op = take(&p), vol = take(&p), ord = take(&p);
		if (more(&p))
			take(&p);               /* sync scope */
		uint64_t al = more(&p) ? take(&p) : 0;
		if (!(in = new_inst(r, IR_OP_ATOMICRMW, v->type, 2)) || set(in, 0, ptr) || set(in, 1, v))
			return -1;
		in->flags = vol ? IR_FL_VOLATILE : 0;
		in->ordering = (uint32_t)(ord > 7 ? 7 : ord);
		in->pred = (uint32_t)(op > 0xff ? 0xff : op);   /* the rmw operation */
		in->align = rd_align(r, al);
		return r->bs.failed ? -1 : emit(r, in);
	}
	case FN_DEBUG_LOC: case FN_DEBUG_LOC_AGAIN: case FN_OPERAND_BUNDLE:
	case FN_BLOCKADDR_USERS: case FN_DEBUG_RECORD_VALUE:
	case FN_DEBUG_RECORD_DECLARE: case FN_DEBUG_RECORD_ASSIGN:
	case FN_DEBUG_RECORD_VALUE_SIMPLE: case FN_DEBUG_RECORD_LABEL:
		return 0;
	case FN_INVOKE: case FN_RESUME: case FN_LANDINGPAD: case FN_LANDINGPAD_OLD:
	case FN_CLEANUPRET: case FN_CATCHRET: case FN_CATCHPAD: case FN_CLEANUPPAD:
	case FN_CATCHSWITCH: case FN_CALLBR:
		return rd_fail(r, BC_ERR_UNSUPPORTED, "exception handling / callbr instruction %u", e->id);
	case FN_INDIRECTBR:
		return rd_fail(r, BC_ERR_UNSUPPORTED, "indirectbr (computed goto)");
	case FN_GEP_OLD: case FN_INBOUNDS_GEP_OLD: case FN_SELECT: case FN_STORE_OLD:
	case FN_STOREATOMIC_OLD: case FN_CMPXCHG_OLD: case FN_ATOMICRMW_OLD:
		return rd_fail(r, BC_ERR_UNSUPPORTED, "pre-LLVM-15 instruction record %u", e->id);
	default:
		return rd_fail(r, BC_ERR_INST, "unknown instruction code %u", e->id);
	}
}

/* Function-level VALUE_SYMTAB: names of arguments, instructions, blocks. */
static int symtab_entry(struct rd *r, const struct bs_entry *e, void *ctx)
{
	(void)ctx;
	if ((e->id != 1 && e->id != 2) || e->nops < 1)
		return 0;
	uint64_t id = e->ops[0];
	const char *name = rd_string(r, e->ops + 1, e->nops - 1);
	if (!name)
		return -1;
	if (e->id == 1) {        /* VST_ENTRY: value id, name */
		if (id >= r->nvals)
			return rd_fail(r, BC_ERR_VALUE, "symbol for value %llu", (unsigned long long)id);
		struct ir_value *v = r->vals[id];
		if (v->kind == IR_VAL_ARG || v->kind == IR_VAL_INST)
			v->name = name;
	} else {                /* VST_BBENTRY: block id, name */
		struct ir_block *b = block_ref(r, id);
		if (!b)
			return -1;
		b->v.name = name;
	}
	return 0;
}


/* DECLAREBLOCKS: the function's blocks, all made at once. */
static int declare_blocks(struct rd *r, struct ir_func *f, const struct bs_entry *e)
{
	if (e->nops < 1 || e->ops[0] == 0 || f->nblocks)
		return rd_fail(r, BC_ERR_BLOCK, "bad DECLAREBLOCKS");
	uint64_t left = r->bs.scopes[r->bs.depth].end_bit - r->bs.pos;
	if (e->ops[0] > left / 4 + 1)
		return rd_fail(r, BC_ERR_BLOCK, "%llu blocks cannot fit",
			       (unsigned long long)e->ops[0]);
	uint32_t n = (uint32_t)e->ops[0];
	struct ir_block *bs = rd_alloc(r, n * sizeof *bs);
	f->blocks = bs ? rd_alloc(r, n * sizeof *f->blocks) : NULL;
	struct ir_type *lt = NULL;
	for (uint32_t i = 0; i < r->ntypes && !lt; i++)
		if (r->types[i]->kind == IR_TY_LABEL)
			lt = r->types[i];
	if (!f->blocks)
		return -1;
	if (!lt) {
		/* no label type in the table: make one */
		lt = rd_alloc(r, sizeof *lt);
		if (!lt || rd_grow(r, (void **)&r->types, &r->types_cap,
				   r->ntypes + 1, sizeof *r->types))
			return -1;
		lt->kind = IR_TY_LABEL;
		lt->id = r->ntypes;
		r->types[r->ntypes++] = lt;
	}
	for (uint32_t i = 0; i < n; i++) {
		bs[i].v.kind = IR_VAL_BLOCK;
		bs[i].v.type = lt;
		bs[i].v.id = i;
		bs[i].parent = f;
		bs[i].index = i;
		f->blocks[i] = &bs[i];
	}
	f->nblocks = n;
	return 0;
}

static int body_record(struct rd *r, const struct bs_entry *e, void *ctx)
{
	struct ir_func *f = ctx;
	if (e->id == FN_DECLAREBLOCKS)
		return declare_blocks(r, f, e);
	if (!f->nblocks && e->id != FN_DEBUG_LOC && e->id != FN_OPERAND_BUNDLE)
		return rd_fail(r, BC_ERR_BLOCK, "instruction before DECLAREBLOCKS");
	return one_inst(r, e);
}

static int body_subblock(struct rd *r, uint32_t id, void *ctx)
{
	struct ir_func *f = ctx;
	if (id == BLK_CONSTANTS) {
		if (f->ninsts)
			return rd_fail(r, BC_ERR_BLOCK, "constants after instructions");
		return rd_constants_block(r);
	}
	if (id == BLK_VALUE_SYMTAB)
		return rd_leaf_block(r, BLK_VALUE_SYMTAB, symtab_entry, NULL);
	return rd_skip_block(r);
}

static int body_end(struct rd *r, void *ctx)
{
	struct ir_func *f = ctx;
	if (!f->nblocks)
		return rd_fail(r, BC_ERR_BLOCK, "function @%s has no blocks", f->v.name);
	if (r->cur_block != f->nblocks)
		return rd_fail(r, BC_ERR_BLOCK, "function @%s: block %u has no terminator",
			       f->v.name, r->cur_block);
	if (rd_check_placeholders(r, r->nvals))
		return -1;
	f->nvalues = r->next_id;
	r->nvals = r->vlen = r->nmodvals;
	r->fn = NULL;
	return 0;
}

int rd_function_block(struct rd *r, struct ir_func *f)
{
	if (bs_enter(&r->bs, BLK_FUNCTION))
		return -1;
	r->fn = f;
	r->cur_block = 0;
	r->nvals = r->vlen = r->nmodvals;
	for (uint32_t i = 0; i < f->nparams; i++)
		if (rd_define(r, &f->params[i].v))
			return -1;
	r->next_id = f->nparams;
	return rd_walk(r, &(struct rd_walk){ .record = body_record, .subblock = body_subblock,
					    .end = body_end, .ctx = f });
}
