/* servers/jit/bc/types.c: the TYPE block (TYPE_BLOCK_ID_NEW) and the
 * types the reader itself needs (i1 for comparisons, ptr, {T, i1}, ...).
 *
 * Types are unique: the TYPE block lists every structural type once and
 * the reader looks a type up before making one, so pointer equality is
 * type equality.  Only named structs may be referenced before their
 * record (LLVM's rule); such a reference makes an empty struct that the
 * later record fills in place. */
#include <string.h>
#include "servers/jit/bc/internal.h"

enum {
	TY_NUMENTRY = 1, TY_VOID = 2, TY_FLOAT = 3, TY_DOUBLE = 4, TY_LABEL = 5,
	TY_OPAQUE = 6, TY_INTEGER = 7, TY_POINTER = 8, TY_FUNCTION_OLD = 9,
	TY_HALF = 10, TY_ARRAY = 11, TY_VECTOR = 12, TY_X86_FP80 = 13,
	TY_FP128 = 14, TY_PPC_FP128 = 15, TY_METADATA = 16, TY_X86_MMX = 17,
	TY_STRUCT_ANON = 18, TY_STRUCT_NAME = 19, TY_STRUCT_NAMED = 20,
	TY_FUNCTION = 21, TY_TOKEN = 22, TY_BFLOAT = 23, TY_X86_AMX = 24,
	TY_OPAQUE_POINTER = 25, TY_TARGET_TYPE = 26,
};

#define MAX_INT_BITS (1u << 23)

bool rd_type_first_class(const struct ir_type *t)
{
	switch (t->kind) {
	case IR_TY_VOID: case IR_TY_LABEL: case IR_TY_FUNC: case IR_TY_METADATA:
	case IR_TY_TOKEN: case IR_TY_OPAQUE:
		return false;
	default:
		return true;
	}
}

static struct ir_type *new_type(struct rd *r, enum ir_type_kind k)
{
	struct ir_type *t = rd_alloc(r, sizeof *t);
	if (t)
		t->kind = k;
	return t;
}

/* Append a type made by the reader to the module's list. */
static struct ir_type *add_type(struct rd *r, struct ir_type *t)
{
	if (!t)
		return NULL;
	if (ir_type_layout(t)) {
		rd_fail(r, BC_ERR_TYPE, "type larger than 4 GiB");
		return NULL;
	}
	if (rd_grow(r, (void **)&r->types, &r->types_cap, r->ntypes + 1, sizeof *r->types))
		return NULL;
	t->id = r->ntypes;
	r->types[r->ntypes++] = t;
	return t;
}

struct ir_type *rd_type(struct rd *r, uint64_t id)
{
	if (id >= r->ntable || !r->types[id]) {
		rd_fail(r, BC_ERR_TYPE, "type %llu undefined (%u in the table)",
			(unsigned long long)id, r->ntable);
		return NULL;
	}
	return r->types[id];
}

/* The lookups below are cached: they run for many instructions. */
struct ir_type *rd_int_type(struct rd *r, uint32_t bits)
{
	if (bits <= 64 && r->int_cache[bits])
		return r->int_cache[bits];
	struct ir_type *t = NULL;
	for (uint32_t i = 0; i < r->ntypes && !t; i++)
		if (r->types[i] && r->types[i]->kind == IR_TY_INT && r->types[i]->bits == bits)
			t = r->types[i];
	if (!t) {
		t = new_type(r, IR_TY_INT);
		if (t)
			t->bits = bits;
		t = add_type(r, t);
	}
	if (t && bits <= 64)
		r->int_cache[bits] = t;
	return t;
}

struct ir_type *rd_ptr_type(struct rd *r, uint32_t as)
{
	if (as == 0 && r->ptr0)
		return r->ptr0;
	struct ir_type *t = NULL;
	for (uint32_t i = 0; i < r->ntypes && !t; i++)
		if (r->types[i] && r->types[i]->kind == IR_TY_PTR && r->types[i]->addrspace == as)
			t = r->types[i];
	if (!t) {
		t = new_type(r, IR_TY_PTR);
		if (t)
			t->addrspace = as;
		t = add_type(r, t);
	}
	if (as == 0)
		r->ptr0 = t;
	return t;
}

struct ir_type *rd_void_type(struct rd *r)
{
	if (r->void_t)
		return r->void_t;
	for (uint32_t i = 0; i < r->ntypes && !r->void_t; i++)
		if (r->types[i] && r->types[i]->kind == IR_TY_VOID)
			r->void_t = r->types[i];
	if (!r->void_t)
		r->void_t = add_type(r, new_type(r, IR_TY_VOID));
	return r->void_t;
}

struct ir_type *rd_vector_type(struct rd *r, struct ir_type *elem, uint64_t n)
{
	for (uint32_t i = 0; i < r->ntypes; i++) {
		struct ir_type *t = r->types[i];
		if (t && t->kind == IR_TY_VECTOR && t->elem == elem && t->count == n && !t->scalable)
			return t;
	}
	struct ir_type *t = new_type(r, IR_TY_VECTOR);
	if (t) {
		t->elem = elem;
		t->count = n;
	}
	return add_type(r, t);
}

struct ir_type *rd_pair_type(struct rd *r, struct ir_type *a, struct ir_type *b)
{
	for (uint32_t i = 0; i < r->ntypes; i++) {
		struct ir_type *t = r->types[i];
		if (t && t->kind == IR_TY_STRUCT && !t->name && !t->packed && t->nmembers == 2 &&
		    t->members[0] == a && t->members[1] == b)
			return t;
	}
	struct ir_type *t = new_type(r, IR_TY_STRUCT);
	struct ir_type **mem = t ? rd_alloc(r, 2 * sizeof *mem) : NULL;
	if (!mem)
		return NULL;
	mem[0] = a;
	mem[1] = b;
	t->members = mem;
	t->nmembers = 2;
	return add_type(r, t);
}

/* A reference from inside the TYPE block: earlier entries, or a forward
 * reference that must turn out to be a named struct. */
static struct ir_type *type_ref(struct rd *r, uint64_t id, bool *fwd)
{
	if (id >= r->ntable) {
		rd_fail(r, BC_ERR_TYPE, "type %llu outside the table of %u",
			(unsigned long long)id, r->ntable);
		return NULL;
	}
	if (!r->types[id]) {
		struct ir_type *t = new_type(r, IR_TY_STRUCT);
		if (!t)
			return NULL;
		t->id = (uint32_t)id;
		t->name = "";   /* marks a forward struct until its record */
		r->types[id] = t;
		if (fwd)
			*fwd = true;
	}
	return r->types[id];
}

static bool valid_element(const struct ir_type *t)
{
	return rd_type_first_class(t) || t->kind == IR_TY_OPAQUE ||
	       (t->kind == IR_TY_STRUCT && t->name && !*t->name);
}

/* Read `n` member type ids into a new array. */
static struct ir_type **type_list(struct rd *r, const uint64_t *ids, uint32_t n, bool params)
{
	if (!n)
		return NULL;
	struct ir_type **l = rd_alloc(r, n * sizeof *l);
	if (!l)
		return NULL;
	for (uint32_t i = 0; i < n; i++) {
		l[i] = type_ref(r, ids[i], NULL);
		if (!l[i])
			return NULL;
		if (!valid_element(l[i]) && !(params && l[i]->kind == IR_TY_METADATA) &&
		    !(params && l[i]->kind == IR_TY_LABEL)) {
			rd_fail(r, BC_ERR_TYPE, "invalid member/parameter type %llu",
				(unsigned long long)ids[i]);
			return NULL;
		}
	}
	return l;
}

/* Nesting depth of aggregates by relaxation: members of structs may be
 * forward references, so recursive (infinitely sized) types are only
 * found here.  Then every type is laid out, shallowest first. */
#define MAX_TYPE_DEPTH 64
static int layout_all(struct rd *r)
{
	uint32_t n = r->ntable;
	if (!n)
		return 0;
	uint8_t *depth = rd_alloc(r, n);
	if (!depth)
		return -1;
	for (uint32_t round = 0;; round++) {
		bool changed = false;
		for (uint32_t i = 0; i < n; i++) {
			struct ir_type *t = r->types[i];
			uint32_t d = 0;
			if (t->kind == IR_TY_ARRAY || t->kind == IR_TY_VECTOR) {
				d = depth[t->elem->id] + 1u;
			} else if (t->kind == IR_TY_STRUCT) {
				for (uint32_t k = 0; k < t->nmembers; k++)
					if (depth[t->members[k]->id] + 1u > d)
						d = depth[t->members[k]->id] + 1u;
			}
			if (d > MAX_TYPE_DEPTH)
				return rd_fail(r, BC_ERR_TYPE, "type %u is recursive or nested deeper than %d",
					       i, MAX_TYPE_DEPTH);
			if (d != depth[i]) {
				depth[i] = (uint8_t)d;
				changed = true;
			}
		}
		if (!changed)
			break;
		if (round > MAX_TYPE_DEPTH + 1)
			return rd_fail(r, BC_ERR_TYPE, "recursive types");
	}
	for (uint32_t d = 0; d <= MAX_TYPE_DEPTH; d++)
		for (uint32_t i = 0; i < n; i++)
			if (depth[i] == d && ir_type_layout(r->types[i]))
				return rd_fail(r, BC_ERR_TYPE, "type %u larger than 4 GiB", i);
	return 0;
}

/* The block's state: the next type id, and the name a STRUCT_NAME
 * record gave the struct that follows. */
struct type_walk {
	uint32_t next;
	const char *pending_name;
};

static int type_end(struct rd *r, void *ctx)
{
	struct type_walk *w = ctx;
	if (w->next != r->ntable)
		return rd_fail(r, BC_ERR_TYPE, "TYPE block defines %u of %u types",
			       w->next, r->ntable);
	r->ntypes = r->ntable;
	return layout_all(r);
}

static int type_record(struct rd *r, const struct bs_entry *e, void *ctx)
{
	struct type_walk *w = ctx;
	const uint64_t *o = e->ops;
	uint32_t n = e->nops;
	if (e->id == TY_NUMENTRY) {
		if (n < 1 || r->ntable)
			return rd_fail(r, BC_ERR_TYPE, "bad NUMENTRY");
		/* every entry takes at least 4 bits */
		uint64_t left = r->bs.scopes[r->bs.depth].end_bit - r->bs.pos;
		if (o[0] > left / 4 + 1)
			return rd_fail(r, BC_ERR_TYPE, "NUMENTRY %llu larger than the block",
				       (unsigned long long)o[0]);
		r->ntable = (uint32_t)o[0];
		if (rd_grow(r, (void **)&r->types, &r->types_cap, r->ntable + 8,
			    sizeof *r->types))
			return -1;
		memset(r->types, 0, r->types_cap * sizeof *r->types);
		r->ntypes = 0;
		return 0;
	}
	if (e->id == TY_STRUCT_NAME) {
		if (!(w->pending_name = rd_string(r, o, n)))
			return -1;
		return 0;
	}
	if (w->next >= r->ntable)
		return rd_fail(r, BC_ERR_TYPE, "more types than NUMENTRY (%u)", r->ntable);
	struct ir_type *t = NULL;
	struct ir_type *fwd = r->types[w->next];  /* a forward-referenced struct */
	switch (e->id) {
	case TY_VOID: t = new_type(r, IR_TY_VOID); break;
	case TY_FLOAT: t = new_type(r, IR_TY_FLOAT); break;
	case TY_DOUBLE: t = new_type(r, IR_TY_DOUBLE); break;
	case TY_HALF: t = new_type(r, IR_TY_HALF); break;
	case TY_BFLOAT: t = new_type(r, IR_TY_BFLOAT); break;
	case TY_X86_FP80: t = new_type(r, IR_TY_X86_FP80); break;
	case TY_FP128: t = new_type(r, IR_TY_FP128); break;
	case TY_PPC_FP128: t = new_type(r, IR_TY_PPC_FP128); break;
	case TY_LABEL: t = new_type(r, IR_TY_LABEL); break;
	case TY_METADATA: t = new_type(r, IR_TY_METADATA); break;
	case TY_X86_MMX: t = new_type(r, IR_TY_X86_MMX); break;
	case TY_X86_AMX: t = new_type(r, IR_TY_X86_AMX); break;
	case TY_TOKEN: t = new_type(r, IR_TY_TOKEN); break;
	case TY_INTEGER:
		if (n < 1 || o[0] < 1 || o[0] > MAX_INT_BITS)
			return rd_fail(r, BC_ERR_TYPE, "integer width %llu",
				       n ? (unsigned long long)o[0] : 0ull);
		if ((t = new_type(r, IR_TY_INT)))
			t->bits = (uint32_t)o[0];
		break;
	case TY_OPAQUE_POINTER:
		if (n < 1 || o[0] > 0xffffff)
			return rd_fail(r, BC_ERR_TYPE, "bad pointer type");
		if ((t = new_type(r, IR_TY_PTR)))
			t->addrspace = (uint32_t)o[0];
		break;
	case TY_POINTER:
	case TY_FUNCTION_OLD:
		return rd_fail(r, BC_ERR_UNSUPPORTED, "typed pointers (pre-LLVM-15 bitcode)");
	case TY_ARRAY:
	case TY_VECTOR: {
		if (n < 2)
			return rd_fail(r, BC_ERR_TYPE, "short ARRAY/VECTOR");
		struct ir_type *el = type_ref(r, o[1], NULL);
		if (!el)
			return -1;
		if (!valid_element(el))
			return rd_fail(r, BC_ERR_TYPE, "invalid array/vector element type");
		if (e->id == TY_VECTOR) {
			if (o[0] == 0 || o[0] > UINT32_MAX)
				return rd_fail(r, BC_ERR_TYPE, "vector of %llu elements",
					       (unsigned long long)o[0]);
			if (el->kind != IR_TY_INT && el->kind != IR_TY_PTR && !ir_type_is_fp(el))
				return rd_fail(r, BC_ERR_TYPE, "invalid vector element type");
		}
		if ((t = new_type(r, e->id == TY_ARRAY ? IR_TY_ARRAY : IR_TY_VECTOR))) {
			t->count = o[0];
			t->elem = el;
			t->scalable = e->id == TY_VECTOR && n > 2 && o[2];
		}
		break;
	}
	case TY_FUNCTION: {
		if (n < 2)
			return rd_fail(r, BC_ERR_TYPE, "short FUNCTION type");
		struct ir_type *ret = type_ref(r, o[1], NULL);
		if (!ret)
			return -1;
		if (ret->kind == IR_TY_FUNC || ret->kind == IR_TY_LABEL ||
		    ret->kind == IR_TY_METADATA)
			return rd_fail(r, BC_ERR_TYPE, "invalid return type");
		struct ir_type **ps = type_list(r, o + 2, n - 2, true);
		if (n > 2 && !ps)
			return -1;
		if ((t = new_type(r, IR_TY_FUNC))) {
			t->vararg = o[0] != 0;
			t->ret = ret;
			t->members = ps;
			t->nmembers = n - 2;
		}
		break;
	}
	case TY_STRUCT_ANON:
	case TY_STRUCT_NAMED: {
		if (n < 1)
			return rd_fail(r, BC_ERR_TYPE, "short STRUCT");
		struct ir_type **ms = type_list(r, o + 1, n - 1, false);
		if (n > 1 && !ms)
			return -1;
		if (e->id == TY_STRUCT_NAMED && fwd) {
			t = fwd;        /* fill the forward reference in place */
			fwd = NULL;
		} else {
			t = new_type(r, IR_TY_STRUCT);
		}
		if (t) {
			t->kind = IR_TY_STRUCT;
			t->packed = o[0] != 0;
			t->members = ms;
			t->nmembers = n - 1;
			t->name = e->id == TY_STRUCT_NAMED ? (w->pending_name ? w->pending_name : "anon") : NULL;
		}
		w->pending_name = NULL;
		break;
	}
	case TY_OPAQUE:
		if (fwd) {
			t = fwd;
			fwd = NULL;
		} else {
			t = new_type(r, IR_TY_OPAQUE);
		}
		if (t) {
			t->kind = IR_TY_OPAQUE;
			t->name = w->pending_name ? w->pending_name : "opaque";
		}
		w->pending_name = NULL;
		break;
	case TY_TARGET_TYPE:
		return rd_fail(r, BC_ERR_UNSUPPORTED, "target extension types");
	default:
		return rd_fail(r, BC_ERR_TYPE, "unknown type code %u", e->id);
	}
	if (!t)
		return -1;
	if (fwd)
		return rd_fail(r, BC_ERR_TYPE, "forward reference to type %u which is not a named struct",
			       w->next);
	t->id = w->next;
	r->types[w->next++] = t;
	return 0;
}

int rd_types_block(struct rd *r)
{
	struct type_walk w = { 0, NULL };
	if (r->ntable || r->ntypes)
		return rd_fail(r, BC_ERR_BLOCK, "second TYPE block, or one after types were used");
	if (bs_enter(&r->bs, BLK_TYPE))
		return -1;
	return rd_walk(r, &(struct rd_walk){ .record = type_record, .end = type_end, .ctx = &w });
}
