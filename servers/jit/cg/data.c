/* servers/jit/cg/data.c: constants, global initialisers and the data
 * layout (a module pass, cg_layout_data).  Globals go into
 * the data area in module order, each at its alignment; pointers inside
 * initialisers become data relocations.  After the globals come the
 * per-function call counters (32-bit), then, 8-byte aligned, the
 * per-function cycle accumulators (64-bit; tier-0 code adds its rdtsc
 * deltas there).  Also the code generator's errors (cg_fail), imports
 * and relocations.
 *
 * Constant expressions are evaluated once per compile (c->kmemo, by
 * expr.index), however often they are operands of others.
 *
 * requires: the module's IR, c->kmemo (zeroed)
 * provides: c->goff (data offset per global), the data area's contents
 *           and relocations, the counters' offsets (jit_out.funcs);
 *           cg_const for the passes */
#include <stdarg.h>
#include <string.h>
#include "lib/fmt.h"
#include "servers/jit/cg/cg.h"

bool cg_fail(struct codegen *c, const struct ir_inst *in, const char *fmt, ...)
{
	if (c->failed)
		return false;
	c->failed = true;
	char msg[160];
	va_list ap;
	va_start(ap, fmt);
	bf_vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	const char *fn = c->f && c->f->v.name ? c->f->v.name : "?";
	if (in)
		bf_snprintf(c->err, c->errsize, "function %s: instruction %%%u (%s): %s", fn,
			    (unsigned)in->v.id, ir_opcode_name(in->op), msg);
	else if (c->f)
		bf_snprintf(c->err, c->errsize, "function %s: %s", fn, msg);
	else
		bf_snprintf(c->err, c->errsize, "%s", msg);
	return false;
}

uint32_t cg_type_bits(const struct ir_type *t)
{
	if (t->kind == IR_TY_INT)
		return t->bits;
	if (t->kind == IR_TY_PTR)
		return 32;
	/* float and double are kept as the integers of their bits (isel_fp.c) */
	if (t->kind == IR_TY_FLOAT)
		return 32;
	if (t->kind == IR_TY_DOUBLE)
		return 64;
	return 0;
}

void cg_reloc(struct codegen *c, uint8_t kind, bool in_data, uint16_t sym, uint32_t off)
{
	struct jit_out *o = c->o;
	if (o->nrelocs >= o->relocs_cap) {
		cg_fail(c, NULL, "too many relocations (capacity %u)", (unsigned)o->relocs_cap);
		return;
	}
	struct jit_reloc *r = &o->relocs[o->nrelocs++];
	r->kind = kind;
	r->in_data = in_data;
	r->sym = sym;
	r->off = off;
	if (!in_data)
		x86_track(&c->b, &r->off);      /* moves with the code it is in */
}

uint16_t cg_import(struct codegen *c, const char *name)
{
	struct jit_out *o = c->o;
	for (uint32_t i = 0; i < o->nimports; i++)
		if (strcmp(o->imports[i], name) == 0)
			return (uint16_t)i;
	if (o->nimports >= JIT_MAX_IMPORTS) {
		cg_fail(c, NULL, "too many imports");
		return 0;
	}
	o->imports[o->nimports] = name;
	return (uint16_t)o->nimports++;
}

/* Byte offset of a GEP with constant indices; *ok false when an index is
 * not a plain constant or a type is not addressable. */
int64_t cg_gep_const_offset(struct codegen *c, struct ir_type *t, struct ir_value **idx,
			    uint32_t n, bool *ok)
{
	int64_t off = 0;
	for (uint32_t i = 0; i < n; i++) {
		struct cg_const k;
		if (!cg_const(c, idx[i], &k) || k.rk != RK_NONE) {
			*ok = false;
			return 0;
		}
		uint32_t bits = cg_type_bits(idx[i]->type);
		int64_t x = bits >= 64 ? (int64_t)k.v : (int64_t)(k.v << (64 - bits)) >> (64 - bits);
		if (i == 0) {
			off += x * (int64_t)ir_type_size(t);
			continue;
		}
		if (t->kind == IR_TY_STRUCT) {
			if (x < 0 || (uint64_t)x >= t->nmembers) {
				*ok = false;
				return 0;
			}
			off += (int64_t)ir_struct_offset(t, (uint32_t)x);
			t = t->members[x];
		} else if (t->kind == IR_TY_ARRAY) {
			t = t->elem;
			off += x * (int64_t)ir_type_size(t);
		} else {
			*ok = false;
			return 0;
		}
	}
	*ok = true;
	return off;
}

static bool const_expr(struct codegen *c, struct ir_const *k, struct cg_const *out)
{
	struct ir_const_expr *e = &k->expr;
	struct cg_const a, b;
	uint32_t bits = cg_type_bits(k->v.type);
	switch (e->op) {
	case IR_OP_BITCAST: case IR_OP_PTRTOINT: case IR_OP_INTTOPTR:
	case IR_OP_ADDRSPACECAST: case IR_OP_TRUNC: case IR_OP_ZEXT:
		if (e->nops < 1 || !cg_const(c, e->ops[0], out))
			return false;
		if (bits && bits < 64 && out->rk == RK_NONE)
			out->v &= (1ull << bits) - 1;
		return true;
	case IR_OP_SEXT: {
		if (e->nops < 1 || !cg_const(c, e->ops[0], out) || out->rk != RK_NONE)
			return false;
		uint32_t sb = cg_type_bits(e->ops[0]->type);
		if (sb && sb < 64)
			out->v = (uint64_t)((int64_t)(out->v << (64 - sb)) >> (64 - sb));
		return true;
	}
	case IR_OP_GEP: {
		if (e->nops < 1 || !cg_const(c, e->ops[0], out))
			return false;
		bool ok;
		int64_t off = cg_gep_const_offset(c, e->src_type, e->ops + 1, e->nops - 1, &ok);
		if (!ok)
			return false;
		out->v = (uint32_t)(out->v + (uint64_t)off);
		return true;
	}
	case IR_OP_ADD: case IR_OP_SUB: case IR_OP_AND: case IR_OP_OR:
	case IR_OP_XOR: case IR_OP_MUL: case IR_OP_SHL: case IR_OP_LSHR:
		if (e->nops < 2 || !cg_const(c, e->ops[0], &a) || !cg_const(c, e->ops[1], &b))
			return false;
		if (b.rk != RK_NONE)
			return false;
		if (a.rk != RK_NONE && e->op != IR_OP_ADD && e->op != IR_OP_SUB)
			return false;
		*out = a;
		switch (e->op) {
		case IR_OP_ADD: out->v = a.v + b.v; break;
		case IR_OP_SUB: out->v = a.v - b.v; break;
		case IR_OP_AND: out->v = a.v & b.v; break;
		case IR_OP_OR: out->v = a.v | b.v; break;
		case IR_OP_XOR: out->v = a.v ^ b.v; break;
		case IR_OP_MUL: out->v = a.v * b.v; break;
		case IR_OP_SHL: out->v = b.v < 64 ? a.v << b.v : 0; break;
		default: out->v = b.v < 64 ? a.v >> b.v : 0; break;
		}
		if (bits && bits < 64)
			out->v &= (1ull << bits) - 1;
		return true;
	default:
		return false;
	}
}

/* An expression's value, evaluated once per compile: shared operands
 * (a DAG that a tree walk would visit exponentially often) cost once.
 * One root — an operand or an initialiser — may need at most
 * CG_CONST_NODES expressions not evaluated before. */
#define CG_CONST_NODES 4096

static bool const_expr_once(struct codegen *c, struct ir_const *k, struct cg_const *out)
{
	struct cg_kmemo *e = k->expr.index < c->m->nexprs ? &c->kmemo[k->expr.index] : NULL;
	if (e && e->state) {
		out->v = e->v;
		out->rk = e->rk;
		out->sym = e->sym;
		return e->state == 1;
	}
	if (c->kdepth == 0)
		c->knew = 0;
	if (++c->knew > CG_CONST_NODES) {
		if (c->kglobal)
			cg_abort(c, "constant expression too large in global %s (more than %u "
				 "expressions)", c->kglobal->v.name ? c->kglobal->v.name : "?",
				 CG_CONST_NODES);
		cg_abort(c, "constant expression too large in function %s (more than %u expressions)",
			 c->f && c->f->v.name ? c->f->v.name : "?", CG_CONST_NODES);
	}
	cg_fuel(c, 1);
	c->kdepth++;
	bool ok = const_expr(c, k, out);
	c->kdepth--;
	if (e) {
		e->v = out->v;
		e->rk = out->rk;
		e->sym = out->sym;
		e->state = ok ? 1 : 2;
	}
	return ok;
}

/* Value of a constant operand (int, null, undef, address of a global or
 * function, constant expression); false when not a constant we know. */
bool cg_const(struct codegen *c, struct ir_value *v, struct cg_const *out)
{
	out->v = 0;
	out->rk = RK_NONE;
	out->sym = 0;
	switch (v->kind) {
	case IR_VAL_CONST_INT: {
		struct ir_const *k = (struct ir_const *)v;
		if (v->type->kind == IR_TY_INT && v->type->bits > 64)
			return false;
		out->v = k->i;
		return true;
	}
	case IR_VAL_CONST_NULL: case IR_VAL_CONST_UNDEF: case IR_VAL_CONST_POISON:
		return true;
	case IR_VAL_CONST_FP:
		/* float/double: their IEEE bits (fp_bits holds an f32's in its
		 * low word); other FP types are refused (cg_type_bits 0) */
		if (cg_type_bits(v->type) == 0)
			return false;
		out->v = ((struct ir_const *)v)->fp_bits;
		return true;
	case IR_VAL_GLOBAL: {
		struct ir_global *g = (struct ir_global *)v;
		if (!g->init) {
			out->rk = JIT_R_IMPORT_ABS;
			out->sym = cg_import(c, g->v.name ? g->v.name : "?");
			return true;
		}
		out->v = c->goff[v->id];
		out->rk = JIT_R_DATA;
		return true;
	}
	case IR_VAL_FUNC:
		out->v = c->stub * v->id;
		out->rk = JIT_R_STUBS; /* the function's stub; see jit.h */
		return true;
	case IR_VAL_CONST_EXPR:
		return const_expr_once(c, (struct ir_const *)v, out);
	default:
		return false;
	}
}

static void put_le(uint8_t *p, uint64_t v, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

/* Writes the initialiser `v` of type `t` at data offset `off`. */
static bool write_init(struct codegen *c, uint32_t off, struct ir_type *t, struct ir_value *v)
{
	uint8_t *p = c->o->data + off;
	cg_fuel(c, 1);
	uint64_t size = ir_type_size(t);
	switch (v->kind) {
	case IR_VAL_CONST_NULL: case IR_VAL_CONST_UNDEF: case IR_VAL_CONST_POISON:
		memset(p, 0, (size_t)size);
		return true;
	case IR_VAL_CONST_FP: {
		struct ir_const *k = (struct ir_const *)v;
		put_le(p, k->fp_bits, size > 8 ? 8 : (uint32_t)size);
		if (size > 8)
			put_le(p + 8, k->fp_hi, (uint32_t)size - 8);
		return true;
	}
	case IR_VAL_CONST_AGG: {
		struct ir_const *k = (struct ir_const *)v;
		for (uint32_t i = 0; i < k->nelems; i++) {
			struct ir_type *et;
			uint64_t eo;
			if (t->kind == IR_TY_STRUCT) {
				if (i >= t->nmembers)
					return false;
				et = t->members[i];
				eo = ir_struct_offset(t, i);
			} else if (t->kind == IR_TY_ARRAY || t->kind == IR_TY_VECTOR) {
				et = t->elem;
				eo = (uint64_t)i * ir_type_size(et);
			} else {
				return false;
			}
			if (!write_init(c, off + (uint32_t)eo, et, k->elems[i]))
				return false;
		}
		return true;
	}
	case IR_VAL_CONST_INT: {
		/* an integer wider than 64 bits (a packed bit-field unit the
		 * optimiser made a global of its own): its words, the padding of
		 * its allocation zero */
		struct ir_const *k = (struct ir_const *)v;
		if (!k->wide)
			goto scalar;
		uint32_t nw = (t->bits + 63) / 64;
		memset(p, 0, (size_t)size);
		for (uint32_t i = 0; i < nw && 8ull * i < size; i++)
			put_le(p + 8 * i, k->wide[i], size - 8ull * i < 8 ? (uint32_t)(size - 8 * i) : 8);
		return true;
	}
	case IR_VAL_CONST_DATA: {
		struct ir_const *k = (struct ir_const *)v;
		if (t->kind != IR_TY_ARRAY && t->kind != IR_TY_VECTOR)
			return false;
		uint32_t es = (uint32_t)ir_type_size(t->elem);
		if (es > 8)
			return false;
		for (uint32_t i = 0; i < k->nelems; i++)
			put_le(p + (uint64_t)i * es, k->data[i], es);
		return true;
	}
	default:
	scalar: {
		struct cg_const k;
		if (!cg_const(c, v, &k))
			return false;
		if (size > 8 || (k.rk != RK_NONE && size != 4))
			return false;
		put_le(p, k.v, (uint32_t)size);
		if (k.rk != RK_NONE) {
			uint8_t kind = k.rk;
			cg_reloc(c, kind, true, k.sym, off);
		}
		return true;
	}
	}
}

/* A global that goes to bss: defined, zero-initialised, and large
 * (small ones stay in the data among the others). */
static bool in_bss(const struct ir_global *g)
{
	return g->init && g->init->kind == IR_VAL_CONST_NULL &&
	       ir_type_size(g->value_type) >= JIT_BSS_MIN;
}

/* The offsets of the globals of one kind (bss or not) from `off` on;
 * `cap` bounds them.  The new end in *end, or -1 with the error. */
static int place_globals(struct codegen *c, bool bss, uint64_t off, uint64_t cap, uint64_t *end)
{
	struct ir_module *m = c->m;
	const uint64_t start = off;
	for (uint32_t i = 0; i < m->nglobals; i++) {
		struct ir_global *g = m->globals[i];
		if (!g->init || in_bss(g) != bss)
			continue;
		uint64_t size = ir_type_size(g->value_type);
		uint32_t al = ir_type_align(g->value_type);
		if (g->align > al)
			al = g->align;
		if (al == 0)
			al = 1;
		if (al > 4096)
			return cg_fail(c, NULL, "global %s: alignment %u too large", g->v.name, (unsigned)al), -1;
		off = (off + al - 1) & ~(uint64_t)(al - 1);
		if (size > cap || off + size > cap)
			return cg_fail(c, NULL, bss ? "zero-initialised data too large (global %s, %u bytes; "
				       "at most %u in all)" : "data area full (global %s, %u bytes; at most %u in all)",
				       g->v.name ? g->v.name : "?", (unsigned)size, (unsigned)(cap - start)), -1;
		c->goff[i] = (uint32_t)off;
		off += size;
	}
	*end = off;
	return 0;
}

int cg_layout_data(struct codegen *c)
{
	struct ir_module *m = c->m;
	struct jit_out *o = c->o;
	uint64_t end;
	for (uint32_t i = 0; i < m->nglobals; i++)
		c->goff[i] = 0;
	if (place_globals(c, false, 0, o->data_cap, &end))
		return -1;
	uint32_t off = (uint32_t)end;
	off = (off + 3) & ~3u;
	/* 8-byte aligned cycle accumulators after the counters */
	uint32_t cyc = (off + 4 * m->nfuncs + 7) & ~7u;
	if (off + 4ull * m->nfuncs > o->data_cap || cyc + 8ull * m->nfuncs > o->data_cap)
		return cg_fail(c, NULL, "data area full (call counters)"), -1;
	memset(o->data, 0, cyc + 8 * m->nfuncs);
	for (uint32_t i = 0; i < m->nfuncs && i < o->funcs_cap; i++) {
		o->funcs[i].counter_off = off + 4 * i;
		o->funcs[i].cycles_off = cyc + 8 * i;
	}
	o->data_len = cyc + 8 * m->nfuncs;
	/* bss: page aligned past the data, its own pages in the module */
	o->bss_off = (o->data_len + 4095) & ~4095u;
	if (place_globals(c, true, o->bss_off, (uint64_t)o->bss_off + JIT_BSS_MAX, &end))
		return -1;
	o->bss_len = (uint32_t)end - o->bss_off;
	/* initialisers (after all offsets are known: they may point forward) */
	for (uint32_t i = 0; i < m->nglobals; i++) {
		struct ir_global *g = m->globals[i];
		if (!g->init || in_bss(g))
			continue;	/* bss: the loader's zero pages */
		c->kglobal = g;
		if (!write_init(c, c->goff[i], g->value_type, g->init))
			return cg_fail(c, NULL, "global %s: unsupported initialiser",
				       g->v.name ? g->v.name : "?"), -1;
		if (c->failed)
			return -1;
	}
	c->kglobal = NULL;
	if (o->global_off)
		for (uint32_t i = 0; i < m->nglobals && i < o->global_cap; i++)
			o->global_off[i] = c->goff[i];
	return 0;
}
