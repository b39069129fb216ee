/* servers/jit/bc/attributes.c: PARAMATTR_GROUP and PARAMATTR blocks.
 *
 * A group is [group id, index, attributes...] where index 0xFFFFFFFF is
 * the function, 0 the return value and i the parameter i-1; an attribute
 * list (PARAMATTR entry) is a sequence of group ids.  Function records and
 * calls name a list by (position + 1).  Only what the calling convention
 * and the code generator need is kept (struct ir_attrs, IR_FN_*); the rest
 * (memory effects, string attributes, ranges, ...) is skipped. */
#include <string.h>
#include "servers/jit/bc/internal.h"

enum {
	AK_ALIGNMENT = 1, AK_ALWAYS_INLINE = 2, AK_BY_VAL = 3, AK_IN_REG = 5,
	AK_NO_ALIAS = 9, AK_NO_INLINE = 14, AK_NO_RETURN = 17, AK_NO_UNWIND = 18,
	AK_RETURNED = 22, AK_S_EXT = 24, AK_STRUCT_RET = 29, AK_Z_EXT = 34,
	AK_OPTIMIZE_NONE = 37, AK_NON_NULL = 39,
};

static void enum_attr(struct rd_attr_group *g, uint64_t k)
{
	switch (k) {
	case AK_BY_VAL: g->a.flags |= IR_ATTR_BYVAL; break;
	case AK_STRUCT_RET: g->a.flags |= IR_ATTR_SRET; break;
	case AK_IN_REG: g->a.flags |= IR_ATTR_INREG; break;
	case AK_S_EXT: g->a.flags |= IR_ATTR_SEXT; break;
	case AK_Z_EXT: g->a.flags |= IR_ATTR_ZEXT; break;
	case AK_NO_ALIAS: g->a.flags |= IR_ATTR_NOALIAS; break;
	case AK_NON_NULL: g->a.flags |= IR_ATTR_NONNULL; break;
	case AK_RETURNED: g->a.flags |= IR_ATTR_RETURNED; break;
	case AK_NO_RETURN: g->fn |= IR_FN_NORETURN; break;
	case AK_NO_UNWIND: g->fn |= IR_FN_NOUNWIND; break;
	case AK_NO_INLINE: g->fn |= IR_FN_NOINLINE; break;
	case AK_ALWAYS_INLINE: g->fn |= IR_FN_ALWAYSINLINE; break;
	case AK_OPTIMIZE_NONE: g->fn |= IR_FN_OPTNONE; break;
	default: break;
	}
}

/* One ENTRY record of the group block. */
static int group_record(struct rd *r, const uint64_t *o, uint32_t n)
{
	if (n < 2)
		return rd_fail(r, BC_ERR_RECORD, "short attribute group");
	if (rd_grow(r, (void **)&r->groups, &r->groups_cap, r->ngroups + 1, sizeof *r->groups))
		return -1;
	struct rd_attr_group *g = &r->groups[r->ngroups++];
	memset(g, 0, sizeof *g);
	g->id = o[0];
	g->index = o[1] > 0xffffffffu ? 0xffffffffu : (uint32_t)o[1];
	g->type_id = UINT64_MAX;
	for (uint32_t i = 2; i < n;) {
		uint64_t kind = o[i++];
		switch (kind) {
		case 0:                 /* enum attribute */
			if (i >= n)
				return 0;
			enum_attr(g, o[i++]);
			break;
		case 1:                 /* integer attribute */
			if (i + 1 >= n)
				return 0;
			if (o[i] == AK_ALIGNMENT && o[i + 1] <= 0x80000000u)
				g->a.align = (uint32_t)o[i + 1];
			i += 2;
			break;
		case 3:                 /* string */
		case 4:                 /* string key = value */
			while (i < n && o[i] != 0)
				i++;
			i++;
			if (kind == 4) {
				while (i < n && o[i] != 0)
					i++;
				i++;
			}
			break;
		case 5:                 /* type attribute without a type */
		case 6:                 /* type attribute with a type id */
			if (i >= n)
				return 0;
			if (kind == 6 && i + 1 >= n)
				return 0;
			if (o[i] == AK_BY_VAL || o[i] == AK_STRUCT_RET) {
				enum_attr(g, o[i]);
				if (kind == 6)
					g->type_id = o[i + 1];
			}
			i += kind == 6 ? 2 : 1;
			break;
		default:                /* ranges and later kinds: nothing we keep */
			return 0;
		}
	}
	return 0;
}

static int group_entry(struct rd *r, const struct bs_entry *e, void *ctx)
{
	(void)ctx;
	return e->id == 3 ? group_record(r, e->ops, e->nops) : 0;
}

int rd_attr_group_block(struct rd *r)
{
	return rd_leaf_block(r, BLK_PARAMATTR_GROUP, group_entry, NULL);
}

/* PARAMATTR_CODE_ENTRY: an attribute list as the groups it is made of. */
static int list_entry(struct rd *r, const struct bs_entry *e, void *ctx)
{
	(void)ctx;
	if (e->id != 2)
		return 0;
	if (rd_grow(r, (void **)&r->lists, &r->lists_cap, r->nlists + 1,
		    sizeof *r->lists) ||
	    rd_grow(r, (void **)&r->list_groups, &r->list_groups_cap,
		    r->nlist_groups + e->nops, sizeof *r->list_groups))
		return -1;
	r->lists[r->nlists].first = r->nlist_groups;
	r->lists[r->nlists].count = e->nops;
	r->nlists++;
	for (uint32_t i = 0; i < e->nops; i++) {
		uint32_t gi = UINT32_MAX;
		/* groups are normally numbered 1..n in order */
		if (e->ops[i] >= 1 && e->ops[i] <= r->ngroups &&
		    r->groups[e->ops[i] - 1].id == e->ops[i])
			gi = (uint32_t)(e->ops[i] - 1);
		for (uint32_t k = 0; k < r->ngroups && gi == UINT32_MAX; k++)
			if (r->groups[k].id == e->ops[i]) {
				gi = k;
				break;
			}
		if (gi == UINT32_MAX)
			return rd_fail(r, BC_ERR_RECORD, "attribute group %llu undefined",
				       (unsigned long long)e->ops[i]);
		r->list_groups[r->nlist_groups++] = gi;
	}
	return 0;
}

int rd_attr_list_block(struct rd *r)
{
	return rd_leaf_block(r, BLK_PARAMATTR, list_entry, NULL);
}

/* Apply attribute list `id1` (list index + 1, 0 = none): out[0] is the
 * return value, out[1 + i] parameter i (nslots = 1 + parameters).
 * Returns the IR_FN_* bits, or -1 on error. */
int64_t rd_apply_attrs(struct rd *r, uint64_t id1, struct ir_attrs *out, uint32_t nslots)
{
	if (id1 == 0)
		return 0;
	if (id1 > r->nlists)
		return rd_fail(r, BC_ERR_RECORD, "attribute list %llu undefined",
			       (unsigned long long)id1);
	const struct rd_attr_list *l = &r->lists[id1 - 1];
	uint32_t fn = 0;
	for (uint32_t k = 0; k < l->count; k++) {
		const struct rd_attr_group *g = &r->groups[r->list_groups[l->first + k]];
		if (g->index == 0xffffffffu) {
			fn |= g->fn;
			continue;
		}
		if (g->index >= nslots)
			continue;       /* attributes of variadic arguments */
		struct ir_attrs *a = &out[g->index];
		a->flags |= g->a.flags;
		if (g->a.align)
			a->align = g->a.align;
		if (g->type_id != UINT64_MAX) {
			if (!(a->type = rd_type(r, g->type_id)))
				return -1;
			if (!rd_type_sized(a->type))
				return rd_fail(r, BC_ERR_TYPE, "byval/sret of an unsized type");
		}
	}
	return fn;
}
