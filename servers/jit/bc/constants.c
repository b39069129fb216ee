/* servers/jit/bc/constants.c: the CONSTANTS block (module level: global
 * initialisers; function level: instruction operands).
 *
 * A SETTYPE record sets the type of the constants that follow.  Each
 * constant takes the next value id.  Aggregates and constant expressions
 * may name constants defined later in the same block: they get a
 * placeholder, patched when the block ends. */
#include <string.h>
#include "servers/jit/bc/internal.h"

enum {
	CST_SETTYPE = 1, CST_NULL = 2, CST_UNDEF = 3, CST_INTEGER = 4,
	CST_WIDE_INTEGER = 5, CST_FLOAT = 6, CST_AGGREGATE = 7, CST_STRING = 8,
	CST_CSTRING = 9, CST_CE_BINOP = 10, CST_CE_CAST = 11, CST_CE_GEP_OLD = 12,
	CST_CE_SELECT = 13, CST_CE_EXTRACTELT = 14, CST_CE_INSERTELT = 15,
	CST_CE_SHUFFLEVEC = 16, CST_CE_CMP = 17, CST_INLINEASM_OLD = 18,
	CST_CE_SHUFVEC_EX = 19, CST_CE_INBOUNDS_GEP = 20, CST_BLOCKADDRESS = 21,
	CST_DATA = 22, CST_INLINEASM_OLD2 = 23, CST_CE_GEP_INRANGE_OLD = 24,
	CST_CE_UNOP = 25, CST_POISON = 26, CST_DSO_LOCAL_EQUIVALENT = 27,
	CST_INLINEASM_OLD3 = 28, CST_NO_CFI = 29, CST_INLINEASM = 30,
	CST_CE_GEP_INRANGE = 31, CST_CE_GEP = 32, CST_PTRAUTH = 33,
};

/* Scalar type of t, or of its elements for a vector. */
static const struct ir_type *scalar_of(const struct ir_type *t)
{
	return t->kind == IR_TY_VECTOR ? t->elem : t;
}

enum ir_opcode rd_binop(uint64_t code, const struct ir_type *ty)
{
	static const enum ir_opcode iops[13] = {
		IR_OP_ADD, IR_OP_SUB, IR_OP_MUL, IR_OP_UDIV, IR_OP_SDIV, IR_OP_UREM,
		IR_OP_SREM, IR_OP_SHL, IR_OP_LSHR, IR_OP_ASHR, IR_OP_AND, IR_OP_OR, IR_OP_XOR,
	};
	const struct ir_type *s = scalar_of(ty);
	if (s->kind == IR_TY_INT)
		return code < 13 ? iops[code] : IR_OP_NONE;
	if (ir_type_is_fp(s)) {
		switch (code) {
		case 0: return IR_OP_FADD;
		case 1: return IR_OP_FSUB;
		case 2: return IR_OP_FMUL;
		case 4: return IR_OP_FDIV;
		case 6: return IR_OP_FREM;
		default: return IR_OP_NONE;
		}
	}
	return IR_OP_NONE;
}

/* Bitcode flags of a binop -> IR_FL_*. */
uint32_t rd_binop_flags(enum ir_opcode op, uint64_t f)
{
	switch (op) {
	case IR_OP_ADD: case IR_OP_SUB: case IR_OP_MUL: case IR_OP_SHL:
		return (f & 1 ? IR_FL_NUW : 0) | (f & 2 ? IR_FL_NSW : 0);
	case IR_OP_UDIV: case IR_OP_SDIV: case IR_OP_LSHR: case IR_OP_ASHR:
		return f & 1 ? IR_FL_EXACT : 0;
	case IR_OP_OR:
		return f & 1 ? IR_FL_DISJOINT : 0;
	default:
		return 0;
	}
}

/* Cast opcode, checked against the operand and result types. */
enum ir_opcode rd_castop(uint64_t code, const struct ir_type *from, const struct ir_type *to)
{
	static const enum ir_opcode ops[13] = {
		IR_OP_TRUNC, IR_OP_ZEXT, IR_OP_SEXT, IR_OP_FPTOUI, IR_OP_FPTOSI,
		IR_OP_UITOFP, IR_OP_SITOFP, IR_OP_FPTRUNC, IR_OP_FPEXT,
		IR_OP_PTRTOINT, IR_OP_INTTOPTR, IR_OP_BITCAST, IR_OP_ADDRSPACECAST,
	};
	if (code >= 13)
		return IR_OP_NONE;
	if ((from->kind == IR_TY_VECTOR) != (to->kind == IR_TY_VECTOR) &&
	    code != 11)
		return IR_OP_NONE;
	if (from->kind == IR_TY_VECTOR && to->kind == IR_TY_VECTOR && code != 11 &&
	    from->count != to->count)
		return IR_OP_NONE;
	const struct ir_type *f = scalar_of(from), *t = scalar_of(to);
	bool fi = f->kind == IR_TY_INT, ti = t->kind == IR_TY_INT;
	bool ff = ir_type_is_fp(f), tf = ir_type_is_fp(t);
	bool fp = f->kind == IR_TY_PTR, tp = t->kind == IR_TY_PTR;
	bool ok;
	switch (code) {
	case 0: ok = fi && ti && f->bits > t->bits; break;
	case 1: case 2: ok = fi && ti && f->bits < t->bits; break;
	case 3: case 4: ok = ff && ti; break;
	case 5: case 6: ok = fi && tf; break;
	case 7: ok = ff && tf && from->size > to->size; break;
	case 8: ok = ff && tf && from->size < to->size; break;
	case 9: ok = fp && ti; break;
	case 10: ok = fi && tp; break;
	case 11: ok = rd_type_first_class(from) && rd_type_first_class(to) &&
		      !ir_type_is_aggregate(from) && !ir_type_is_aggregate(to) &&
		      ((fp && tp && f->addrspace == t->addrspace) ||
		       (!fp && !tp && from->size == to->size && from->size)); break;
	case 12: ok = fp && tp && f->addrspace != t->addrspace; break;
	default: ok = false;
	}
	return ok ? ops[code] : IR_OP_NONE;
}

uint32_t rd_cast_flags(enum ir_opcode op, uint64_t f)
{
	if (op == IR_OP_ZEXT || op == IR_OP_UITOFP)
		return f & 1 ? IR_FL_NNEG : 0;
	if (op == IR_OP_TRUNC)
		return (f & 1 ? IR_FL_NUW : 0) | (f & 2 ? IR_FL_NSW : 0);
	return 0;
}

static struct ir_const *new_const(struct rd *r, enum ir_value_kind k, struct ir_type *t)
{
	struct ir_const *c = rd_alloc(r, sizeof *c);
	if (c) {
		c->v.kind = k;
		c->v.type = t;
		c->v.id = r->nvals;
		if (k == IR_VAL_CONST_EXPR)
			c->expr.index = r->m->nexprs++;
		c->expr.inrange_index = -1;
	}
	return c;
}

/* INLINEASM [fnty, flags, strlen, str..., conslen, cons...]: accepted only
 * as a compiler barrier -- an empty (or blank) asm string whose
 * constraints are at most one register output, inputs (registers,
 * memory, immediates, ties to that output) and clobbers, e.g.
 * `asm volatile("" ::: "memory")` or xxHash's `asm("" : "+r"(x))`.  Its
 * call then does nothing but give the tied input back as the output. */
static struct ir_const *asm_barrier(struct rd *r, struct ir_type *t, const uint64_t *o, uint32_t n)
{
	if (n < 3 || o[2] > n - 3)
		return rd_fail(r, BC_ERR_CONST, "short INLINEASM"), NULL;
	uint64_t sl = o[2];
	for (uint64_t i = 0; i < sl; i++)
		if (o[3 + i] != ' ' && o[3 + i] != '\t' && o[3 + i] != '\n')
			return rd_fail(r, BC_ERR_UNSUPPORTED, "inline assembly"), NULL;
	if (3 + sl >= n || o[3 + sl] > n - 4 - sl)
		return rd_fail(r, BC_ERR_CONST, "short INLINEASM"), NULL;
	const uint64_t *cs = o + 4 + sl;
	uint64_t cl = o[3 + sl];
	int outs = 0, tied = -1, in = 0;
	for (uint64_t i = 0; i < cl;) {
		/* one comma-separated constraint */
		uint64_t j = i;
		while (j < cl && cs[j] != ',')
			j++;
		uint64_t a = i;
		bool ok = j > i;
		if (ok && cs[a] == '~') {
			/* a clobber: ~{memory}, ~{dirflag}, ... */
		} else if (ok && cs[a] == '=') {
			a++;
			if (a < j && cs[a] == '&')
				a++;
			if (a < j && cs[a] == '*') {
				/* a memory output: its pointer is an argument */
				in++;
			} else if (!(a + 1 == j && cs[a] == 'r') || ++outs > 1) {
				ok = false;
			}
		} else if (ok) {
			if (cs[a] >= '0' && cs[a] <= '9') {
				if (a + 1 != j || cs[a] != '0' || outs != 1)
					ok = false;
				tied = in;
			} else {
				for (uint64_t k = a; k < j && ok; k++)
					ok = cs[k] == 'r' || cs[k] == 'm' || cs[k] == 'i' || cs[k] == 'n' ||
					     cs[k] == 'g' || cs[k] == '*' || cs[k] == 'X';
			}
			in++;
		}
		if (!ok)
			return rd_fail(r, BC_ERR_UNSUPPORTED,
				       "inline assembly (an empty asm with other than register outputs, inputs and clobbers)"), NULL;
		i = j + 1;
	}
	struct ir_const *c = new_const(r, IR_VAL_ASM_BARRIER, t);
	if (c)
		c->i = tied >= 0 ? (uint64_t)tied + 1 : 0;
	return c;
}

static uint64_t mask_to(uint64_t v, uint32_t bits)
{
	return bits >= 64 ? v : v & (((uint64_t)1 << bits) - 1);
}

static struct ir_value **value_list(struct rd *r, uint32_t n)
{
	return n ? rd_alloc(r, n * sizeof(struct ir_value *)) : NULL;
}

/* Constant expression with operands given as (type id, value id) pairs
 * or as values of known types. */
static int ce_gep(struct rd *r, struct ir_const *c, uint32_t code, const uint64_t *o, uint32_t n)
{
	uint32_t i = 0;
	struct ir_type *src = NULL;
	uint32_t flags = 0;
	c->expr.op = IR_OP_GEP;
	if (code == CST_CE_GEP_INRANGE_OLD || code == CST_CE_GEP_INRANGE ||
	    code == CST_CE_GEP || (n % 2)) {
		if (i >= n || !(src = rd_type(r, o[i++])))
			return -1;
	}
	if (code == CST_CE_GEP_INRANGE_OLD) {
		if (i >= n)
			return rd_fail(r, BC_ERR_CONST, "short GEP");
		flags = o[i] & 1 ? IR_FL_INBOUNDS : 0;
		c->expr.inrange_index = (int32_t)(o[i] >> 1 > 0x7fffffff ? 0x7fffffff : o[i] >> 1);
		flags |= IR_FL_INRANGE;
		i++;
	} else if (code == CST_CE_GEP_INRANGE) {
		if (i + 2 > n)
			return rd_fail(r, BC_ERR_CONST, "short GEP");
		flags = o[i++] & 1 ? IR_FL_INBOUNDS : 0;
		/* the in-range constant range: bit width, then two values or
		 * two word lists for widths > 64 */
		uint64_t bw = o[i++];
		if (bw > 64) {
			if (i >= n)
				return rd_fail(r, BC_ERR_CONST, "short GEP range");
			uint64_t words = o[i++];
			uint64_t lo = words & 0xffffffff, hi = words >> 32;
			if (lo + hi > n - i)
				return rd_fail(r, BC_ERR_CONST, "short GEP range");
			i += (uint32_t)(lo + hi);
		} else {
			if (i + 2 > n)
				return rd_fail(r, BC_ERR_CONST, "short GEP range");
			i += 2;
		}
		flags |= IR_FL_INRANGE;
	} else if (code == CST_CE_GEP) {
		if (i >= n)
			return rd_fail(r, BC_ERR_CONST, "short GEP");
		flags = o[i++] & 1 ? IR_FL_INBOUNDS : 0;
	} else if (code == CST_CE_INBOUNDS_GEP) {
		flags = IR_FL_INBOUNDS;
	}
	if ((n - i) % 2 || n - i < 2)
		return rd_fail(r, BC_ERR_CONST, "GEP operands not in (type, value) pairs");
	uint32_t nops = (n - i) / 2;
	struct ir_value **ops = value_list(r, nops);
	if (!ops)
		return -1;
	for (uint32_t k = 0; k < nops; k++, i += 2) {
		struct ir_type *t = rd_type(r, o[i]);
		if (!t || !(ops[k] = rd_value(r, o[i + 1], t)))
			return -1;
	}
	if (scalar_of(ops[0]->type)->kind != IR_TY_PTR)
		return rd_fail(r, BC_ERR_CONST, "GEP base is not a pointer");
	if (!src)
		return rd_fail(r, BC_ERR_UNSUPPORTED, "GEP without a source element type");
	c->expr.src_type = src;
	c->expr.flags = flags;
	c->expr.ops = ops;
	c->expr.nops = nops;
	return 0;
}

static int fixup(struct rd *r, struct ir_value **pv)
{
	struct ir_value *v = *pv;
	if (v->kind != IR_VAL_PLACEHOLDER)
		return 0;
	if (v->id >= r->nvals || r->vals[v->id]->kind == IR_VAL_PLACEHOLDER)
		return rd_fail(r, BC_ERR_VALUE, "constant refers to undefined value %u", v->id);
	if (!ir_is_const(r->vals[v->id]) && r->vals[v->id]->kind != IR_VAL_GLOBAL &&
	    r->vals[v->id]->kind != IR_VAL_FUNC)
		return rd_fail(r, BC_ERR_CONST, "constant refers to non-constant value %u", v->id);
	*pv = r->vals[v->id];
	return 0;
}

/* Resolves a constant's operand and notes a function whose address it
 * is (ir_func.in_const). */
static int operand(struct rd *r, struct ir_value **pv)
{
	if (fixup(r, pv))
		return -1;
	if ((*pv)->kind == IR_VAL_FUNC)
		((struct ir_func *)*pv)->in_const = true;
	return 0;
}

static int finish_block(struct rd *r, uint32_t first)
{
	for (uint32_t i = first; i < r->nvals; i++) {
		struct ir_const *c = (struct ir_const *)r->vals[i];
		if (c->v.kind == IR_VAL_CONST_AGG) {
			for (uint32_t k = 0; k < c->nelems; k++)
				if (operand(r, &c->elems[k]))
					return -1;
		} else if (c->v.kind == IR_VAL_CONST_EXPR) {
			for (uint32_t k = 0; k < c->expr.nops; k++)
				if (operand(r, &c->expr.ops[k]))
					return -1;
			if (c->expr.op == IR_OP_GEP) {
				const char *why = ir_gep_check(c->expr.src_type, c->expr.ops + 1,
							       c->expr.nops - 1);
				if (why)
					return rd_fail(r, BC_ERR_CONST, "constant getelementptr: %s", why);
			}
		}
	}
	/* nesting depths by relaxation: operands may come later in the
	 * block, so a cycle shows up as a depth that keeps growing */
	for (uint32_t round = 0;; round++) {
		bool changed = false;
		for (uint32_t i = first; i < r->nvals; i++) {
			struct ir_const *c = (struct ir_const *)r->vals[i];
			struct ir_value **ops = NULL;
			uint32_t n = 0, d = 1;
			if (c->v.kind == IR_VAL_CONST_AGG) {
				ops = c->elems;
				n = c->nelems;
			} else if (c->v.kind == IR_VAL_CONST_EXPR) {
				ops = c->expr.ops;
				n = c->expr.nops;
			}
			for (uint32_t k = 0; k < n; k++)
				if (ir_is_const(ops[k]) && ((struct ir_const *)ops[k])->depth + 1 > d)
					d = ((struct ir_const *)ops[k])->depth + 1;
			if (d > IR_MAX_CONST_DEPTH)
				return rd_fail(r, BC_ERR_CONST, "constant %u is cyclic or nested deeper than %d",
					       i, IR_MAX_CONST_DEPTH);
			if (d != c->depth) {
				c->depth = d;
				changed = true;
			}
		}
		if (!changed)
			break;
		if (round > IR_MAX_CONST_DEPTH + 1)
			return rd_fail(r, BC_ERR_CONST, "cyclic constants");
	}
	return rd_check_placeholders(r, r->nvals);
}

static int one_constant(struct rd *r, struct ir_type *cur, const struct bs_entry *e)
{
	const uint64_t *o = e->ops;
	uint32_t n = e->nops;
	struct ir_const *c;
	const struct ir_type *sc = scalar_of(cur);
	switch (e->id) {
	case CST_NULL:
		/* a zero integer or FP value is its own kind in the IR */
		if (!(c = new_const(r, cur->kind == IR_TY_INT ? IR_VAL_CONST_INT :
				    ir_type_is_fp(cur) ? IR_VAL_CONST_FP : IR_VAL_CONST_NULL, cur)))
			return -1;
		if (cur->kind == IR_TY_INT && cur->bits > 64 &&
		    !(c->wide = rd_alloc(r, (cur->bits + 63) / 64 * sizeof(uint64_t))))
			return -1;
		break;
	case CST_UNDEF:
	case CST_POISON:
		if (!(c = new_const(r, e->id == CST_UNDEF ? IR_VAL_CONST_UNDEF : IR_VAL_CONST_POISON, cur)))
			return -1;
		break;
	case CST_INTEGER:
		if (cur->kind != IR_TY_INT || n < 1)
			return rd_fail(r, BC_ERR_CONST, "INTEGER constant of a non-integer type");
		if (!(c = new_const(r, IR_VAL_CONST_INT, cur)))
			return -1;
		if (cur->bits <= 64) {
			c->i = mask_to((uint64_t)bs_decode_signed(o[0]), cur->bits);
		} else {
			uint32_t nw = (cur->bits + 63) / 64;
			uint64_t *w = rd_alloc(r, nw * sizeof *w);
			if (!w)
				return -1;
			int64_t v = bs_decode_signed(o[0]);
			for (uint32_t k = 0; k < nw; k++)
				w[k] = k == 0 ? (uint64_t)v : (v < 0 ? ~(uint64_t)0 : 0);
			if (cur->bits % 64)
				w[nw - 1] = mask_to(w[nw - 1], cur->bits % 64);
			c->wide = w;
			c->i = w[0];
		}
		break;
	case CST_WIDE_INTEGER: {
		if (cur->kind != IR_TY_INT || n < 1)
			return rd_fail(r, BC_ERR_CONST, "WIDE_INTEGER constant of a non-integer type");
		uint32_t nw = (cur->bits + 63) / 64;
		if (n > nw)
			return rd_fail(r, BC_ERR_CONST, "WIDE_INTEGER with %u words for i%u", n, cur->bits);
		if (!(c = new_const(r, IR_VAL_CONST_INT, cur)))
			return -1;
		uint64_t *w = rd_alloc(r, nw * sizeof *w);
		if (!w)
			return -1;
		for (uint32_t k = 0; k < n; k++)
			w[k] = (uint64_t)bs_decode_signed(o[k]);
		if (cur->bits % 64)
			w[nw - 1] = mask_to(w[nw - 1], cur->bits % 64);
		c->i = w[0];
		c->wide = cur->bits > 64 ? w : NULL;
		break;
	}
	case CST_FLOAT:
		if (!ir_type_is_fp(cur) || n < 1)
			return rd_fail(r, BC_ERR_CONST, "FLOAT constant of a non-FP type");
		if ((cur->kind == IR_TY_X86_FP80 || cur->kind == IR_TY_FP128 ||
		     cur->kind == IR_TY_PPC_FP128) && n < 2)
			return rd_fail(r, BC_ERR_CONST, "short wide FLOAT constant");
		if (!(c = new_const(r, IR_VAL_CONST_FP, cur)))
			return -1;
		c->fp_bits = o[0];
		if (cur->kind == IR_TY_FLOAT)
			c->fp_bits &= 0xffffffffu;
		else if (cur->kind == IR_TY_HALF || cur->kind == IR_TY_BFLOAT)
			c->fp_bits &= 0xffffu;
		c->fp_hi = n > 1 ? o[1] : 0;
		break;
	case CST_AGGREGATE: {
		uint64_t want;
		if (cur->kind == IR_TY_STRUCT)
			want = cur->nmembers;
		else if (cur->kind == IR_TY_ARRAY || cur->kind == IR_TY_VECTOR)
			want = cur->count;
		else
			return rd_fail(r, BC_ERR_CONST, "AGGREGATE of a non-aggregate type");
		if (want != n)
			return rd_fail(r, BC_ERR_CONST, "AGGREGATE with %u of %llu elements",
				       n, (unsigned long long)want);
		if (!(c = new_const(r, IR_VAL_CONST_AGG, cur)))
			return -1;
		c->nelems = n;
		if (n && !(c->elems = value_list(r, n)))
			return -1;
		for (uint32_t k = 0; k < n; k++) {
			struct ir_type *et = cur->kind == IR_TY_STRUCT ? cur->members[k] : cur->elem;
			if (!(c->elems[k] = rd_value(r, o[k], et)))
				return -1;
		}
		break;
	}
	case CST_STRING:
	case CST_CSTRING:
	case CST_DATA: {
		uint64_t total = (uint64_t)n + (e->id == CST_CSTRING);
		if ((cur->kind != IR_TY_ARRAY && cur->kind != IR_TY_VECTOR) || cur->count != total)
			return rd_fail(r, BC_ERR_CONST, "data constant of %llu elements does not fit its type",
				       (unsigned long long)total);
		const struct ir_type *el = cur->elem;
		uint32_t eb = el->kind == IR_TY_INT ? el->bits : (uint32_t)(el->size * 8);
		if ((el->kind != IR_TY_INT && !ir_type_is_fp(el)) || eb > 64 ||
		    (e->id != CST_DATA && el->kind != IR_TY_INT))
			return rd_fail(r, BC_ERR_CONST, "data constant of a bad element type");
		if (!(c = new_const(r, IR_VAL_CONST_DATA, cur)))
			return -1;
		uint64_t *d = total ? rd_alloc(r, (size_t)total * sizeof *d) : NULL;
		if (total && !d)
			return -1;
		for (uint32_t k = 0; k < n; k++)
			d[k] = mask_to(o[k], el->kind == IR_TY_FLOAT ? 32 : eb);
		if (e->id == CST_CSTRING)
			d[n] = 0;
		c->data = d;
		c->nelems = (uint32_t)total;
		break;
	}
	case CST_CE_BINOP: {
		if (n < 3)
			return rd_fail(r, BC_ERR_CONST, "short CE_BINOP");
		enum ir_opcode op = rd_binop(o[0], cur);
		if (op == IR_OP_NONE)
			return rd_fail(r, BC_ERR_CONST, "bad CE_BINOP opcode %llu", (unsigned long long)o[0]);
		if (!(c = new_const(r, IR_VAL_CONST_EXPR, cur)) || !(c->expr.ops = value_list(r, 2)))
			return -1;
		c->expr.op = op;
		c->expr.nops = 2;
		c->expr.flags = n > 3 ? rd_binop_flags(op, o[3]) : 0;
		if (!(c->expr.ops[0] = rd_value(r, o[1], cur)) ||
		    !(c->expr.ops[1] = rd_value(r, o[2], cur)))
			return -1;
		break;
	}
	case CST_CE_UNOP: {
		if (n < 2 || o[0] != 0 || !ir_type_is_fp(sc))
			return rd_fail(r, BC_ERR_CONST, "bad CE_UNOP");
		if (!(c = new_const(r, IR_VAL_CONST_EXPR, cur)) || !(c->expr.ops = value_list(r, 1)))
			return -1;
		c->expr.op = IR_OP_FNEG;
		c->expr.nops = 1;
		if (!(c->expr.ops[0] = rd_value(r, o[1], cur)))
			return -1;
		break;
	}
	case CST_CE_CAST: {
		if (n < 3)
			return rd_fail(r, BC_ERR_CONST, "short CE_CAST");
		struct ir_type *from = rd_type(r, o[1]);
		if (!from)
			return -1;
		enum ir_opcode op = rd_castop(o[0], from, cur);
		if (op == IR_OP_NONE)
			return rd_fail(r, BC_ERR_CONST, "invalid constant cast %llu", (unsigned long long)o[0]);
		if (!(c = new_const(r, IR_VAL_CONST_EXPR, cur)) || !(c->expr.ops = value_list(r, 1)))
			return -1;
		c->expr.op = op;
		c->expr.nops = 1;
		if (!(c->expr.ops[0] = rd_value(r, o[2], from)))
			return -1;
		break;
	}
	case CST_CE_GEP_OLD:
	case CST_CE_INBOUNDS_GEP:
	case CST_CE_GEP_INRANGE_OLD:
	case CST_CE_GEP_INRANGE:
	case CST_CE_GEP:
		if (sc->kind != IR_TY_PTR)
			return rd_fail(r, BC_ERR_CONST, "GEP constant of a non-pointer type");
		if (!(c = new_const(r, IR_VAL_CONST_EXPR, cur)) || ce_gep(r, c, e->id, o, n))
			return -1;
		break;
	case CST_CE_SELECT: {
		if (n < 3)
			return rd_fail(r, BC_ERR_CONST, "short CE_SELECT");
		if (!(c = new_const(r, IR_VAL_CONST_EXPR, cur)) || !(c->expr.ops = value_list(r, 3)))
			return -1;
		c->expr.op = IR_OP_SELECT;
		c->expr.nops = 3;
		struct ir_type *i1 = rd_int_type(r, 1);
		if (!i1 || !(c->expr.ops[0] = rd_value(r, o[0], i1)) ||
		    !(c->expr.ops[1] = rd_value(r, o[1], cur)) ||
		    !(c->expr.ops[2] = rd_value(r, o[2], cur)))
			return -1;
		break;
	}
	case CST_CE_CMP: {
		if (n < 4)
			return rd_fail(r, BC_ERR_CONST, "short CE_CMP");
		struct ir_type *ot = rd_type(r, o[0]);
		if (!ot)
			return -1;
		const struct ir_type *os = scalar_of(ot);
		bool fp = ir_type_is_fp(os);
		if (!(os->kind == IR_TY_INT || os->kind == IR_TY_PTR || fp) ||
		    (fp ? o[3] > 15 : (o[3] < 32 || o[3] > 41)))
			return rd_fail(r, BC_ERR_CONST, "bad CE_CMP");
		if (!(c = new_const(r, IR_VAL_CONST_EXPR, cur)) || !(c->expr.ops = value_list(r, 2)))
			return -1;
		c->expr.op = fp ? IR_OP_FCMP : IR_OP_ICMP;
		c->expr.pred = (uint32_t)o[3];
		c->expr.nops = 2;
		if (!(c->expr.ops[0] = rd_value(r, o[1], ot)) ||
		    !(c->expr.ops[1] = rd_value(r, o[2], ot)))
			return -1;
		break;
	}
	case CST_BLOCKADDRESS:
		return rd_fail(r, BC_ERR_UNSUPPORTED, "blockaddress constants (computed goto)");
	case CST_INLINEASM:
		if (!(c = asm_barrier(r, cur, o, n)))
			return -1;
		break;
	case CST_INLINEASM_OLD: case CST_INLINEASM_OLD2: case CST_INLINEASM_OLD3:
		return rd_fail(r, BC_ERR_UNSUPPORTED, "inline assembly");
	case CST_CE_EXTRACTELT: case CST_CE_INSERTELT: case CST_CE_SHUFFLEVEC:
	case CST_CE_SHUFVEC_EX:
		return rd_fail(r, BC_ERR_UNSUPPORTED, "vector constant expressions");
	case CST_DSO_LOCAL_EQUIVALENT: case CST_NO_CFI: case CST_PTRAUTH:
		return rd_fail(r, BC_ERR_UNSUPPORTED, "constant kind %u", e->id);
	default:
		return rd_fail(r, BC_ERR_CONST, "unknown constant code %u", e->id);
	}
	return rd_define(r, &c->v);
}

/* The block's state: its first value and the type SETTYPE chose. */
struct const_walk {
	uint32_t first;
	struct ir_type *cur;
};

static int const_record(struct rd *r, const struct bs_entry *e, void *ctx)
{
	struct const_walk *w = ctx;
	if (e->id == CST_SETTYPE) {
		if (e->nops < 1 || !(w->cur = rd_type(r, e->ops[0])))
			return rd_fail(r, BC_ERR_CONST, "bad SETTYPE");
		if (!rd_type_first_class(w->cur) || w->cur->kind == IR_TY_LABEL)
			return rd_fail(r, BC_ERR_CONST, "constants of type %llu",
				       (unsigned long long)e->ops[0]);
		return 0;
	}
	return one_constant(r, w->cur, e);
}

static int const_end(struct rd *r, void *ctx)
{
	return finish_block(r, ((struct const_walk *)ctx)->first);
}

int rd_constants_block(struct rd *r)
{
	struct const_walk w = { r->nvals, rd_int_type(r, 32) };
	if (!w.cur || bs_enter(&r->bs, BLK_CONSTANTS))
		return -1;
	return rd_walk(r, &(struct rd_walk){ .record = const_record, .end = const_end, .ctx = &w });
}
