/* servers/jit/bc/module.c: the reader's entry, the top level (wrapper,
 * magic, IDENTIFICATION, STRTAB) and the MODULE block (triple, data
 * layout, global variables, function records), plus the value table
 * shared by the constant and function readers. */
#include <stdarg.h>
#include <string.h>
#include "lib/fmt.h"
#include "servers/jit/bc/internal.h"

/* MODULE block record codes. */
enum {
	MOD_VERSION = 1, MOD_TRIPLE = 2, MOD_DATALAYOUT = 3, MOD_ASM = 4,
	MOD_SECTIONNAME = 5, MOD_DEPLIB = 6, MOD_GLOBALVAR = 7,
	MOD_FUNCTION = 8, MOD_ALIAS_OLD = 9, MOD_GCNAME = 11, MOD_COMDAT = 12,
	MOD_VSTOFFSET = 13, MOD_ALIAS = 14, MOD_SOURCE_FILENAME = 16,
	MOD_HASH = 17, MOD_IFUNC = 18,
};

/* ------------------------------------------------------------ helpers */

int rd_fail(struct rd *r, int code, const char *fmt, ...)
{
	if (r->bs.failed)
		return -1;
	char buf[sizeof r->bs.err->msg];
	va_list ap;
	va_start(ap, fmt);
	bf_vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	/* inside a function body, say which function */
	if (r->fn && r->fn->v.name)
		return bs_fail(&r->bs, code, "@%s: %s", r->fn->v.name, buf);
	return bs_fail(&r->bs, code, "%s", buf);
}

void *rd_alloc(struct rd *r, size_t n)
{
	void *p = ir_arena_alloc(r->a, n, 8);
	if (!p)
		rd_fail(r, BC_ERR_NOMEM, "arena exhausted (%lu bytes more)", (unsigned long)n);
	return p;
}

int rd_grow(struct rd *r, void **arr, uint32_t *cap, uint32_t need, size_t elsz)
{
	if (need <= *cap)
		return 0;
	if (need > (1u << 28))
		return rd_fail(r, BC_ERR_LIMIT, "table of %u entries", need);
	uint32_t nc = *cap ? *cap : 16;
	while (nc < need)
		nc *= 2;
	void *na = rd_alloc(r, (size_t)nc * elsz);
	if (!na)
		return -1;
	if (*cap)
		memcpy(na, *arr, (size_t)*cap * elsz);
	*arr = na;
	*cap = nc;
	return 0;
}

const char *rd_string(struct rd *r, const uint64_t *ops, uint32_t n)
{
	char *s = rd_alloc(r, (size_t)n + 1);
	if (!s)
		return NULL;
	for (uint32_t i = 0; i < n; i++) {
		if (ops[i] > 255) {
			rd_fail(r, BC_ERR_RECORD, "character %llu in a string",
				(unsigned long long)ops[i]);
			return NULL;
		}
		s[i] = (char)ops[i];
	}
	s[n] = 0;
	return s;
}

int rd_skip_block(struct rd *r)
{
	return bs_skip(&r->bs);
}

int rd_walk(struct rd *r, const struct rd_walk *w)
{
	struct bs_entry e;
	for (;;) {
		switch (bs_next(&r->bs, &e)) {
		case BS_ENTRY_END:
			return w->end ? w->end(r, w->ctx) : 0;
		case BS_ENTRY_SUBBLOCK:
			if (w->subblock ? w->subblock(r, e.id, w->ctx) : rd_skip_block(r))
				return -1;
			break;
		case BS_ENTRY_RECORD:
			if (w->record(r, &e, w->ctx))
				return -1;
			break;
		default:
			return -1;
		}
	}
}

int rd_leaf_block(struct rd *r, uint32_t block_id,
		  int (*record)(struct rd *r, const struct bs_entry *e, void *ctx), void *ctx)
{
	if (bs_enter(&r->bs, block_id))
		return -1;
	return rd_walk(r, &(struct rd_walk){ .record = record, .ctx = ctx });
}

uint32_t rd_align(struct rd *r, uint64_t enc)
{
	uint32_t bytes;
	if (!rd_align_decode(enc, &bytes))
		rd_fail(r, BC_ERR_RECORD, "alignment 2^%llu", (unsigned long long)(enc - 1));
	return bytes;
}

static const char *strtab_name(struct rd *r, uint64_t off, uint64_t size)
{
	if (!r->strtab)
		return rd_fail(r, BC_ERR_RECORD, "name without a STRTAB"), NULL;
	if (off > r->strtab_len || size > r->strtab_len - off)
		return rd_fail(r, BC_ERR_RECORD, "name [%llu,+%llu) outside the STRTAB (%lu bytes)",
			       (unsigned long long)off, (unsigned long long)size,
			       (unsigned long)r->strtab_len), NULL;
	char *s = ir_arena_strdup(r->a, (const char *)r->strtab + off, (size_t)size);
	if (!s)
		rd_fail(r, BC_ERR_NOMEM, "arena exhausted (name)");
	return s;
}

/* ------------------------------------------------------- value table */

static uint64_t bits_left(struct rd *r)
{
	const struct bs *s = &r->bs;
	uint64_t lim = s->scopes[s->depth].end_bit;
	return s->pos < lim ? lim - s->pos : 0;
}

int rd_define(struct rd *r, struct ir_value *v)
{
	uint32_t slot = r->nvals;
	if (slot == UINT32_MAX - 1)
		return rd_fail(r, BC_ERR_LIMIT, "too many values");
	if (rd_grow(r, (void **)&r->vals, &r->vcap, slot + 1, sizeof *r->vals))
		return -1;
	if (slot < r->vlen && r->vals[slot]) {
		struct ir_value *ph = r->vals[slot];
		if (ph->kind != IR_VAL_PLACEHOLDER)
			return rd_fail(r, BC_ERR_VALUE, "value %u defined twice", slot);
		if (ph->type != v->type)
			return rd_fail(r, BC_ERR_TYPE, "value %u used with another type", slot);
		ir_replace_all_uses(ph, v);
	}
	r->vals[slot] = v;
	r->nvals++;
	if (r->vlen < r->nvals)
		r->vlen = r->nvals;
	return 0;
}

struct ir_value *rd_value(struct rd *r, uint64_t id, struct ir_type *ty)
{
	if (id < r->nvals) {
		struct ir_value *v = r->vals[id];
		if (ty && v->type != ty) {
			rd_fail(r, BC_ERR_TYPE, "value %llu has the wrong type", (unsigned long long)id);
			return NULL;
		}
		return v;
	}
	if (!ty) {
		rd_fail(r, BC_ERR_VALUE, "forward reference to value %llu without a type",
			(unsigned long long)id);
		return NULL;
	}
	/* a forward reference: the value must still be defined in this
	 * block, and every definition costs at least one bit */
	if (id - r->nvals > bits_left(r) || id >= UINT32_MAX - 1) {
		rd_fail(r, BC_ERR_VALUE, "reference to value %llu (only %u defined)",
			(unsigned long long)id, r->nvals);
		return NULL;
	}
	uint32_t slot = (uint32_t)id;
	if (slot >= r->vlen) {
		if (rd_grow(r, (void **)&r->vals, &r->vcap, slot + 1, sizeof *r->vals))
			return NULL;
		for (uint32_t i = r->vlen; i <= slot; i++)
			r->vals[i] = NULL;
		r->vlen = slot + 1;
	}
	struct ir_value *ph = r->vals[slot];
	if (ph) {
		if (ph->type != ty) {
			rd_fail(r, BC_ERR_TYPE, "forward reference %u used with two types", slot);
			return NULL;
		}
		return ph;
	}
	ph = rd_alloc(r, sizeof *ph);
	if (!ph)
		return NULL;
	ph->kind = IR_VAL_PLACEHOLDER;
	ph->id = slot;
	ph->type = ty;
	r->vals[slot] = ph;
	return ph;
}

int rd_check_placeholders(struct rd *r, uint32_t from)
{
	if (from < r->nvals)
		from = r->nvals;
	for (uint32_t i = from; i < r->vlen; i++)
		if (r->vals[i])
			return rd_fail(r, BC_ERR_VALUE, "value %u referenced but never defined", i);
	r->vlen = r->nvals;
	return 0;
}

/* ------------------------------------------------------ module records */

static int decode_linkage(struct rd *r, uint64_t v, enum ir_linkage *out)
{
	static const int8_t map[20] = {
		[0] = IR_LINK_EXTERNAL, [1] = IR_LINK_WEAK_ANY, [2] = IR_LINK_APPENDING,
		[3] = IR_LINK_INTERNAL, [4] = IR_LINK_LINKONCE_ANY, [5] = IR_LINK_EXTERNAL,
		[6] = IR_LINK_EXTERNAL, [7] = IR_LINK_EXTERN_WEAK, [8] = IR_LINK_COMMON,
		[9] = IR_LINK_PRIVATE, [10] = IR_LINK_WEAK_ODR, [11] = IR_LINK_LINKONCE_ODR,
		[12] = IR_LINK_AVAILABLE_EXTERNALLY, [13] = IR_LINK_PRIVATE,
		[14] = IR_LINK_PRIVATE, [15] = IR_LINK_EXTERNAL, [16] = IR_LINK_WEAK_ANY,
		[17] = IR_LINK_WEAK_ODR, [18] = IR_LINK_LINKONCE_ANY, [19] = IR_LINK_LINKONCE_ODR,
	};
	if (v >= 20)
		return rd_fail(r, BC_ERR_RECORD, "unknown linkage %llu", (unsigned long long)v);
	*out = (enum ir_linkage)map[v];
	return 0;
}

static const char *section_name(struct rd *r, uint64_t v)
{
	if (v == 0)
		return NULL;
	if (v > r->nsections)
		return rd_fail(r, BC_ERR_RECORD, "section %llu undefined", (unsigned long long)v), NULL;
	return r->sections[v - 1];
}

/* [strtab_offset, strtab_size, valty, isconst|explicit<<1|as<<2, initid,
 *  linkage, align, section, visibility, tls, unnamed_addr, ...] */
static int global_record(struct rd *r, const struct bs_entry *e)
{
	const uint64_t *o = e->ops;
	if (e->nops < 6)
		return rd_fail(r, BC_ERR_RECORD, "GLOBALVAR with %u operands", e->nops);
	if (!(o[3] & 2))
		return rd_fail(r, BC_ERR_UNSUPPORTED, "typed-pointer GLOBALVAR (pre-opaque bitcode)");
	struct ir_global *g = rd_alloc(r, sizeof *g);
	if (!g)
		return -1;
	g->v.kind = IR_VAL_GLOBAL;
	g->v.name = strtab_name(r, o[0], o[1]);
	g->value_type = rd_type(r, o[2]);
	if (!g->v.name || !g->value_type)
		return -1;
	if (!rd_type_sized(g->value_type) && g->value_type->kind != IR_TY_OPAQUE)
		return rd_fail(r, BC_ERR_TYPE, "global @%s of an unsized type", g->v.name);
	g->is_const = o[3] & 1;
	if (o[3] >> 2 > UINT32_MAX)
		return rd_fail(r, BC_ERR_RECORD, "address space");
	g->addrspace = (uint32_t)(o[3] >> 2);
	g->v.type = rd_ptr_type(r, g->addrspace);
	if (!g->v.type || decode_linkage(r, o[5], &g->linkage))
		return -1;
	if (e->nops > 6)
		g->align = rd_align(r, o[6]);
	if (e->nops > 7)
		g->section = section_name(r, o[7]);
	if (e->nops > 9)
		g->thread_local = o[9] != 0;
	if (e->nops > 10)
		g->unnamed_addr = (uint8_t)(o[10] > 2 ? 0 : o[10]);
	if (r->bs.failed)
		return -1;
	if (rd_grow(r, (void **)&r->globals, &r->globals_cap, r->nglobals + 1, sizeof *r->globals) ||
	    rd_grow(r, (void **)&r->global_init, &r->ginit_cap, r->nglobals + 1,
		    sizeof *r->global_init))
		return -1;
	g->v.id = r->nglobals;
	r->globals[r->nglobals] = g;
	r->global_init[r->nglobals] = o[4] > UINT32_MAX - 1 ? UINT32_MAX : (uint32_t)o[4];
	r->nglobals++;
	return 0;
}

/* [strtab_offset, strtab_size, fnty, cc, isproto, linkage, paramattr,
 *  align, section, visibility, gc, unnamed_addr, prologue, dll, comdat,
 *  prefix, personality, preemption, addrspace] */
static int function_record(struct rd *r, const struct bs_entry *e)
{
	const uint64_t *o = e->ops;
	if (e->nops < 8)
		return rd_fail(r, BC_ERR_RECORD, "FUNCTION with %u operands", e->nops);
	struct ir_func *f = rd_alloc(r, sizeof *f);
	if (!f)
		return -1;
	f->v.kind = IR_VAL_FUNC;
	f->v.name = strtab_name(r, o[0], o[1]);
	f->fn_type = rd_type(r, o[2]);
	if (!f->v.name || !f->fn_type)
		return -1;
	if (f->fn_type->kind != IR_TY_FUNC)
		return rd_fail(r, BC_ERR_TYPE, "function @%s does not have a function type", f->v.name);
	uint32_t as = 0;
	if (e->nops > 18) {
		if (o[18] > UINT32_MAX)
			return rd_fail(r, BC_ERR_RECORD, "address space");
		as = (uint32_t)o[18];
	}
	f->v.type = rd_ptr_type(r, as);
	if (!f->v.type)
		return -1;
	if (o[3] > 1023)
		return rd_fail(r, BC_ERR_RECORD, "calling convention %llu", (unsigned long long)o[3]);
	f->callconv = (uint32_t)o[3];
	f->is_decl = o[4] != 0;
	if (decode_linkage(r, o[5], &f->linkage))
		return -1;
	f->align = rd_align(r, o[7]);
	if (e->nops > 8)
		f->section = section_name(r, o[8]);
	if (r->bs.failed)
		return -1;
	f->intrinsic = ir_intrinsic_of(f->v.name);
	f->nparams = f->fn_type->nmembers;
	if (f->nparams) {
		f->params = rd_alloc(r, f->nparams * sizeof *f->params);
		if (!f->params)
			return -1;
		for (uint32_t i = 0; i < f->nparams; i++) {
			struct ir_arg *a = &f->params[i];
			a->v.kind = IR_VAL_ARG;
			a->v.id = i;
			a->v.type = f->fn_type->members[i];
			a->parent = f;
			a->index = i;
		}
	}
	if (o[6]) {
		struct ir_attrs *slots = rd_alloc(r, (f->nparams + 1) * sizeof *slots);
		int64_t fn = slots ? rd_apply_attrs(r, o[6], slots, f->nparams + 1) : -1;
		if (fn < 0)
			return -1;
		f->attrs = (uint32_t)fn;
		f->ret_attrs = slots[0];
		for (uint32_t i = 0; i < f->nparams; i++)
			f->params[i].attrs = slots[i + 1];
	}
	if (rd_grow(r, (void **)&r->funcs, &r->funcs_cap, r->nfuncs + 1, sizeof *r->funcs))
		return -1;
	f->v.id = r->nfuncs;
	r->funcs[r->nfuncs++] = f;
	if (!f->is_decl) {
		if (rd_grow(r, (void **)&r->bodies, &r->bodies_cap, r->nbodies + 1,
			    sizeof *r->bodies))
			return -1;
		r->bodies[r->nbodies++] = f;
	}
	return rd_define(r, &f->v);
}

/* Global initialisers name constants by value id; they are resolved once
 * the module-level CONSTANTS block has been read. */
static int resolve_inits(struct rd *r)
{
	if (r->inits_resolved)
		return 0;
	r->inits_resolved = true;
	if (rd_check_placeholders(r, r->nvals))
		return -1;
	for (uint32_t i = 0; i < r->nglobals; i++) {
		struct ir_global *g = r->globals[i];
		uint32_t id1 = r->global_init[i];
		if (!id1)
			continue;
		if (id1 - 1 >= r->nvals)
			return rd_fail(r, BC_ERR_VALUE, "initialiser of @%s is value %u (of %u)",
				       g->v.name, id1 - 1, r->nvals);
		struct ir_value *v = r->vals[id1 - 1];
		if (!ir_is_const(v) && v->kind != IR_VAL_GLOBAL && v->kind != IR_VAL_FUNC)
			return rd_fail(r, BC_ERR_VALUE, "initialiser of @%s is not a constant",
				       g->v.name);
		if (v->type != g->value_type)
			return rd_fail(r, BC_ERR_TYPE, "initialiser of @%s has the wrong type",
				       g->v.name);
		g->init = v;
	}
	r->nmodvals = r->nvals;
	return 0;
}

static int module_end(struct rd *r, void *ctx)
{
	(void)ctx;
	if (resolve_inits(r))
		return -1;
	if (r->next_body != r->nbodies)
		return rd_fail(r, BC_ERR_BLOCK, "function @%s has no body",
			       r->bodies[r->next_body]->v.name);
	return 0;
}

static int module_subblock(struct rd *r, uint32_t id, void *ctx)
{
	(void)ctx;
	switch (id) {
	case BLK_TYPE:
		return rd_types_block(r);
	case BLK_PARAMATTR_GROUP:
		return rd_attr_group_block(r);
	case BLK_PARAMATTR:
		return rd_attr_list_block(r);
	case BLK_CONSTANTS:
		if (r->inits_resolved)
			return rd_fail(r, BC_ERR_BLOCK, "module constants after function bodies");
		return rd_constants_block(r);
	case BLK_FUNCTION:
		if (resolve_inits(r))
			return -1;
		if (r->next_body >= r->nbodies)
			return rd_fail(r, BC_ERR_BLOCK, "function body without a defined function");
		return rd_function_block(r, r->bodies[r->next_body++]);
	default:        /* attributes, metadata, symbol tables, ... */
		return rd_skip_block(r);
	}
}

static int module_record(struct rd *r, const struct bs_entry *e, void *ctx)
{
	(void)ctx;
	switch (e->id) {
	case MOD_VERSION:
		if (e->nops < 1)
			return rd_fail(r, BC_ERR_RECORD, "empty VERSION");
		if (e->ops[0] != 2)
			return rd_fail(r, BC_ERR_UNSUPPORTED,
				       "module version %llu (only 2, LLVM >= 5 with a STRTAB)",
				       (unsigned long long)e->ops[0]);
		r->m->version = 2;
		return 0;
	case MOD_TRIPLE:
		return (r->m->triple = rd_string(r, e->ops, e->nops)) ? 0 : -1;
	case MOD_DATALAYOUT:
		return (r->m->datalayout = rd_string(r, e->ops, e->nops)) ? 0 : -1;
	case MOD_SOURCE_FILENAME:
		return (r->m->source_filename = rd_string(r, e->ops, e->nops)) ? 0 : -1;
	case MOD_SECTIONNAME: {
		const char *s = rd_string(r, e->ops, e->nops);
		if (!s || rd_grow(r, (void **)&r->sections, &r->sections_cap,
				  r->nsections + 1, sizeof *r->sections))
			return -1;
		r->sections[r->nsections++] = s;
		return 0;
	}
	case MOD_GLOBALVAR:
		if (r->m->version != 2)
			return rd_fail(r, BC_ERR_UNSUPPORTED, "module without VERSION 2 before its globals");
		if (r->inits_resolved)
			return rd_fail(r, BC_ERR_BLOCK, "global after function bodies");
		if (global_record(r, e) || rd_define(r, &r->globals[r->nglobals - 1]->v))
			return -1;
		return 0;
	case MOD_FUNCTION:
		if (r->m->version != 2)
			return rd_fail(r, BC_ERR_UNSUPPORTED, "module without VERSION 2 before its functions");
		if (r->inits_resolved)
			return rd_fail(r, BC_ERR_BLOCK, "function record after function bodies");
		return function_record(r, e);
	case MOD_ALIAS:
	case MOD_ALIAS_OLD:
		return rd_fail(r, BC_ERR_UNSUPPORTED, "global aliases are not supported");
	case MOD_IFUNC:
		return rd_fail(r, BC_ERR_UNSUPPORTED, "ifuncs are not supported");
	default:        /* VSTOFFSET, HASH, COMDAT, ASM, GCNAME, ... */
		return 0;
	}
}

static int module_block(struct rd *r)
{
	if (bs_enter(&r->bs, BLK_MODULE))
		return -1;
	return rd_walk(r, &(struct rd_walk){ .record = module_record, .subblock = module_subblock,
					    .end = module_end });
}

static int identification_record(struct rd *r, const struct bs_entry *e, void *ctx)
{
	(void)ctx;
	if (e->id == 2 && (e->nops < 1 || e->ops[0] != 0))  /* EPOCH */
		return rd_fail(r, BC_ERR_UNSUPPORTED, "bitcode epoch %llu",
			       e->nops ? (unsigned long long)e->ops[0] : 0ull);
	return 0;
}

static int identification_block(struct rd *r)
{
	return rd_leaf_block(r, BLK_IDENTIFICATION, identification_record, NULL);
}

static int strtab_record(struct rd *r, const struct bs_entry *e, void *ctx)
{
	(void)ctx;
	if (e->id == 1) {        /* STRTAB_BLOB */
		if (!e->blob)
			return rd_fail(r, BC_ERR_RECORD, "STRTAB without a blob");
		r->strtab = e->blob;
		r->strtab_len = e->blob_len;
	}
	return 0;
}

static int strtab_block(struct rd *r)
{
	return rd_leaf_block(r, BLK_STRTAB, strtab_record, NULL);
}

/* The top level holds blocks only: a record there is malformed. */
static int top_record(struct rd *r, const struct bs_entry *e, void *ctx)
{
	(void)r, (void)e, (void)ctx;
	return -1;
}

static int top_first_pass(struct rd *r, uint32_t id, void *ctx)
{
	(void)ctx;
	if (id == BLK_STRTAB)
		return strtab_block(r);
	if (id == BLK_IDENTIFICATION)
		return identification_block(r);
	return rd_skip_block(r);
}

/* The first MODULE block (*ctx: seen). */
static int top_second_pass(struct rd *r, uint32_t id, void *ctx)
{
	bool *have_module = ctx;
	if (id == BLK_MODULE && !*have_module) {
		*have_module = true;
		return module_block(r);
	}
	return rd_skip_block(r);
}

/* ------------------------------------------------------------- entry */

int bc_is_bitcode(const uint8_t *d, size_t len)
{
	if (len >= 4 && d[0] == 'B' && d[1] == 'C' && d[2] == 0xC0 && d[3] == 0xDE)
		return 1;
	if (len >= 4 && d[0] == 0xDE && d[1] == 0xC0 && d[2] == 0x17 && d[3] == 0x0B)
		return 1;
	return 0;
}

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

const char *bc_err_name(int code)
{
	static const char *const names[BC_ERR__COUNT] = {
		[BC_OK] = "ok", [BC_ERR_MAGIC] = "not bitcode",
		[BC_ERR_TRUNCATED] = "truncated", [BC_ERR_ABBREV] = "bad abbreviation",
		[BC_ERR_BLOCK] = "bad block", [BC_ERR_RECORD] = "bad record",
		[BC_ERR_TYPE] = "bad type", [BC_ERR_VALUE] = "bad value reference",
		[BC_ERR_CONST] = "bad constant", [BC_ERR_INST] = "bad instruction",
		[BC_ERR_UNSUPPORTED] = "unsupported", [BC_ERR_NOMEM] = "out of memory",
		[BC_ERR_LIMIT] = "limit exceeded", [BC_ERR_VERIFY] = "invalid IR",
	};
	if (code < 0 || code >= BC_ERR__COUNT)
		return "unknown error";
	return names[code];
}

static int set_err(struct bc_error *err, int code, uint64_t bit, const char *msg)
{
	err->code = code;
	err->bit = bit;
	bf_snprintf(err->msg, sizeof err->msg, "%s", msg);
	return code;
}

int bc_read_module(const uint8_t *data, size_t len, struct ir_arena *arena,
		   struct ir_module **out, struct bc_error *err)
{
	struct bc_error dummy;
	if (!err)
		err = &dummy;
	memset(err, 0, sizeof *err);
	if (out)
		*out = NULL;
	if (!arena || !out || (!data && len))
		return set_err(err, BC_ERR_RECORD, 0, "bad arguments");
	size_t start = 0, end = len;
	if (len >= 4 && data[0] == 0xDE && data[1] == 0xC0 && data[2] == 0x17 && data[3] == 0x0B) {
		if (len < 20)
			return set_err(err, BC_ERR_MAGIC, 0, "truncated bitcode wrapper header");
		uint32_t off = le32(data + 8), size = le32(data + 12);
		if (off < 20 || off > len || size > len - off)
			return set_err(err, BC_ERR_MAGIC, 64, "bitcode wrapper offset/size outside the file");
		start = off;
		end = (size_t)off + size;
	}
	if (end - start < 4 || data[start] != 'B' || data[start + 1] != 'C' ||
	    data[start + 2] != 0xC0 || data[start + 3] != 0xDE)
		return set_err(err, BC_ERR_MAGIC, (uint64_t)start * 8, "no 'BC' 0xC0DE magic");
	if ((end - start) % 4)
		return set_err(err, BC_ERR_TRUNCATED, (uint64_t)end * 8,
			       "bitcode size is not a multiple of 4 bytes");

	size_t mark = arena->used;
	struct rd *r = ir_arena_alloc(arena, sizeof *r, 8);
	struct ir_module *m = ir_arena_alloc(arena, sizeof *m, 8);
	if (!r || !m) {
		ir_arena_reset(arena, mark);
		return set_err(err, BC_ERR_NOMEM, 0, "arena too small for the reader state");
	}
	r->a = arena;
	r->m = m;
	m->triple = m->datalayout = m->source_filename = "";
	uint64_t first = (uint64_t)(start + 4) * 8;

	/* pass 1: the STRTAB (after the module) and IDENTIFICATION */
	bs_init(&r->bs, data, end, first, arena, err);
	if (rd_walk(r, &(struct rd_walk){ .record = top_record, .subblock = top_first_pass }))
		goto fail;
	/* pass 2: the module */
	bs_init(&r->bs, data, end, first, arena, err);
	bool have_module = false;
	if (rd_walk(r, &(struct rd_walk){ .record = top_record, .subblock = top_second_pass,
					 .ctx = &have_module }))
		goto fail;
	if (!have_module) {
		rd_fail(r, BC_ERR_BLOCK, "no MODULE block");
		goto fail;
	}
	m->types = r->types;
	m->ntypes = r->ntypes;
	m->globals = r->globals;
	m->nglobals = r->nglobals;
	m->funcs = r->funcs;
	m->nfuncs = r->nfuncs;

	char vmsg[sizeof err->msg];
	int vrc = ir_verify_module(m, arena, vmsg, sizeof vmsg);
	if (vrc) {
		uint64_t bit = r->bs.pos;
		ir_arena_reset(arena, mark);
		return set_err(err, vrc == -2 ? BC_ERR_NOMEM : BC_ERR_VERIFY, bit, vmsg);
	}
	*out = m;
	return BC_OK;
fail:
	if (!err->code)
		set_err(err, BC_ERR_RECORD, r->bs.pos, "malformed bitcode");
	ir_arena_reset(arena, mark);
	return err->code;
}
