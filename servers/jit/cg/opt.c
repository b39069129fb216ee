/* servers/jit/cg/opt.c: SSA optimisations on side tables (the IR itself
 * is never modified, so the same module can be recompiled at any tier):
 *   tier 0: static allocas, compare+branch fusion, phi temporaries;
 *   tier 1+: alloca promotion, copy coalescing (aliases), constant
 *   folding and propagation, branch folding with reachability, dead code
 *   elimination; tier 2+: address-mode folding of geps into their
 *   loads and stores.
 *
 * requires: the function's IR (a clone at tier >= 2), the side tables
 *           (driver.c func_tables)
 * provides: per-value flags (F_DEAD, F_FUSED, F_ALIAS, F_CONST,
 *           F_PROMOTED, F_STATIC, F_FOLDADDR), aliases, constants,
 *           reachable blocks, phi temporaries (c->phitmp) */
#include <string.h>
#include "servers/jit/cg/cg.h"

struct ir_value *cg_canon(struct codegen *c, struct ir_value *v)
{
	for (int n = 0; n < 1000 && v->kind == IR_VAL_INST && (c->fl[v->id] & F_ALIAS); n++)
		v = c->alias[v->id];
	return v;
}

static bool folded_const(struct codegen *c, struct ir_value *v, uint64_t *out)
{
	v = cg_canon(c, v);
	if (cg_is_var(v)) {
		if (v->kind == IR_VAL_INST && (c->fl[v->id] & F_CONST)) {
			*out = c->loc[v->id].k;
			return true;
		}
		return false;
	}
	struct cg_const k;
	if (!cg_const(c, v, &k) || k.rk != RK_NONE)
		return false;
	*out = k.v;
	return true;
}

static uint64_t mask_bits(uint64_t v, uint32_t w)
{
	return w >= 64 ? v : v & ((1ull << w) - 1);
}

static int64_t sext_bits(uint64_t v, uint32_t w)
{
	if (w >= 64)
		return (int64_t)v;
	return (int64_t)(v << (64 - w)) >> (64 - w);
}

static bool is_int(const struct ir_type *t)
{
	uint32_t b = cg_type_bits(t);
	return b && (b <= 32 || b == 64);
}

static void set_const(struct codegen *c, struct ir_inst *in, uint64_t v)
{
	c->fl[in->v.id] |= F_CONST;
	c->loc[in->v.id].kind = L_CONST;
	c->loc[in->v.id].k = mask_bits(v, cg_type_bits(in->v.type));
}

static void set_alias(struct codegen *c, struct ir_inst *in, struct ir_value *to)
{
	if (cg_canon(c, to) == &in->v)
		return;
	c->fl[in->v.id] |= F_ALIAS;
	c->alias[in->v.id] = to;
}

static bool block_reach(struct codegen *c, struct ir_value *b)
{
	struct ir_block *bb = ir_as_block(b);
	return bb && (!c->reach || c->reach[bb->index]);
}

/* Folds one instruction if its operands are known. */
static void fold_inst(struct codegen *c, struct ir_inst *in)
{
	uint8_t fl = c->fl[in->v.id];
	if (fl & (F_CONST | F_ALIAS | F_DEAD))
		return;
	uint64_t a, b;
	uint32_t w = cg_type_bits(in->v.type);
	switch (in->op) {
	case IR_OP_ADD: case IR_OP_SUB: case IR_OP_MUL: case IR_OP_AND: case IR_OP_OR:
	case IR_OP_XOR: case IR_OP_SHL: case IR_OP_LSHR: case IR_OP_ASHR:
	case IR_OP_UDIV: case IR_OP_SDIV: case IR_OP_UREM: case IR_OP_SREM: {
		if (!is_int(in->v.type))
			return;
		bool ka = folded_const(c, ir_op(in, 0), &a), kb = folded_const(c, ir_op(in, 1), &b);
		if (ka && kb) {
			a = mask_bits(a, w);
			b = mask_bits(b, w);
			uint64_t r;
			switch (in->op) {
			case IR_OP_ADD: r = a + b; break;
			case IR_OP_SUB: r = a - b; break;
			case IR_OP_MUL: r = a * b; break;
			case IR_OP_AND: r = a & b; break;
			case IR_OP_OR: r = a | b; break;
			case IR_OP_XOR: r = a ^ b; break;
			case IR_OP_SHL: if (b >= w) return; r = a << b; break;
			case IR_OP_LSHR: if (b >= w) return; r = a >> b; break;
			case IR_OP_ASHR: if (b >= w) return; r = (uint64_t)(sext_bits(a, w) >> b); break;
			case IR_OP_UDIV: if (!b) return; r = a / b; break;
			case IR_OP_UREM: if (!b) return; r = a % b; break;
			case IR_OP_SDIV: case IR_OP_SREM: {
				int64_t x = sext_bits(a, w), y = sext_bits(b, w);
				if (!y || (y == -1 && x == sext_bits(1ull << (w - 1), w)))
					return;
				r = (uint64_t)(in->op == IR_OP_SDIV ? x / y : x % y);
				break;
			}
			default: return;
			}
			set_const(c, in, r);
			return;
		}
		/* identities: x+0, x-0, x|0, x^0, x<<0, x*1, x&-1 */
		if (kb) {
			b = mask_bits(b, w);
			if ((b == 0 && (in->op == IR_OP_ADD || in->op == IR_OP_SUB || in->op == IR_OP_OR ||
					in->op == IR_OP_XOR || in->op == IR_OP_SHL || in->op == IR_OP_LSHR ||
					in->op == IR_OP_ASHR)) ||
			    (b == 1 && (in->op == IR_OP_MUL || in->op == IR_OP_UDIV || in->op == IR_OP_SDIV)) ||
			    (b == mask_bits(~0ull, w) && in->op == IR_OP_AND))
				set_alias(c, in, ir_op(in, 0));
			else if (b == 0 && (in->op == IR_OP_MUL || in->op == IR_OP_AND))
				set_const(c, in, 0);
		} else if (ka) {
			a = mask_bits(a, w);
			if (a == 0 && (in->op == IR_OP_ADD || in->op == IR_OP_OR || in->op == IR_OP_XOR))
				set_alias(c, in, ir_op(in, 1));
			else if (a == 1 && in->op == IR_OP_MUL)
				set_alias(c, in, ir_op(in, 1));
		}
		return;
	}
	case IR_OP_ICMP: {
		struct ir_value *x = ir_op(in, 0);
		uint32_t ow = cg_type_bits(x->type);
		if (!ow || !folded_const(c, x, &a) || !folded_const(c, ir_op(in, 1), &b))
			return;
		a = mask_bits(a, ow);
		b = mask_bits(b, ow);
		int64_t sa = sext_bits(a, ow), sb = sext_bits(b, ow);
		bool r;
		switch (in->pred) {
		case IR_ICMP_EQ: r = a == b; break;
		case IR_ICMP_NE: r = a != b; break;
		case IR_ICMP_UGT: r = a > b; break;
		case IR_ICMP_UGE: r = a >= b; break;
		case IR_ICMP_ULT: r = a < b; break;
		case IR_ICMP_ULE: r = a <= b; break;
		case IR_ICMP_SGT: r = sa > sb; break;
		case IR_ICMP_SGE: r = sa >= sb; break;
		case IR_ICMP_SLT: r = sa < sb; break;
		case IR_ICMP_SLE: r = sa <= sb; break;
		default: return;
		}
		set_const(c, in, r);
		return;
	}
	case IR_OP_TRUNC: case IR_OP_ZEXT: case IR_OP_SEXT: {
		struct ir_value *x = ir_op(in, 0);
		uint32_t ow = cg_type_bits(x->type);
		if (!ow || !is_int(in->v.type) || !folded_const(c, x, &a))
			return;
		a = mask_bits(a, ow);
		set_const(c, in, in->op == IR_OP_SEXT ? (uint64_t)sext_bits(a, ow) : a);
		return;
	}
	case IR_OP_SELECT: {
		if (folded_const(c, ir_op(in, 0), &a))
			set_alias(c, in, ir_op(in, (a & 1) ? 1 : 2));
		else if (cg_canon(c, ir_op(in, 1)) == cg_canon(c, ir_op(in, 2)))
			set_alias(c, in, ir_op(in, 1));
		return;
	}
	case IR_OP_PHI: {
		struct ir_value *one = NULL;
		uint64_t k1 = 0;
		bool allk = true, same = true;
		int n = 0;
		for (uint32_t i = 0; i + 1 < in->nops; i += 2) {
			if (!block_reach(c, ir_op(in, i + 1)))
				continue;
			struct ir_value *v = cg_canon(c, ir_op(in, i));
			if (v == &in->v)
				continue;
			uint64_t k;
			if (folded_const(c, v, &k)) {
				if (n && allk && k != k1)
					allk = false;
				k1 = k;
			} else {
				allk = false;
			}
			if (one && one != v)
				same = false;
			one = v;
			n++;
		}
		if (!n)
			return;
		if (same && one)
			set_alias(c, in, one);
		else if (allk && is_int(in->v.type))
			set_const(c, in, k1);
		return;
	}
	default:
		return;
	}
}

static void reachability(struct codegen *c)
{
	struct ir_func *f = c->f;
	uint32_t *stack = ir_arena_alloc(c->a, sizeof(uint32_t) * (f->nblocks + 1), 4);
	if (!stack) {
		for (uint32_t i = 0; i < f->nblocks; i++)
			c->reach[i] = true;
		return;
	}
	memset(c->reach, 0, f->nblocks * sizeof(bool));
	uint32_t sp = 0;
	c->reach[0] = true;
	stack[sp++] = 0;
	while (sp) {
		struct ir_block *b = f->blocks[stack[--sp]];
		struct ir_inst *t = b->last;
		if (!t)
			continue;
		uint64_t k;
		for (uint32_t i = 0; i < t->nops; i++) {
			struct ir_block *s = ir_as_block(ir_op(t, i));
			cg_fuel(c, 1);
			if (!s)
				continue;
			if (t->op == IR_OP_BR && t->nops == 3 && folded_const(c, ir_op(t, 0), &k) &&
			    i != ((k & 1) ? 1u : 2u))
				continue;
			if (t->op == IR_OP_SWITCH && folded_const(c, ir_op(t, 0), &k)) {
				/* only the taken target */
				uint32_t w = cg_type_bits(ir_op(t, 0)->type);
				uint32_t taken = 1;
				cg_fuel(c, t->nops);
				for (uint32_t j = 2; j + 1 < t->nops; j += 2) {
					uint64_t cvv;
					if (folded_const(c, ir_op(t, j), &cvv) && mask_bits(cvv, w) == mask_bits(k, w))
						taken = j + 1;
				}
				if (i != taken)
					continue;
			}
			if (!c->reach[s->index]) {
				c->reach[s->index] = true;
				stack[sp++] = s->index;
			}
		}
	}
}

static bool side_effect(struct codegen *c, struct ir_inst *in)
{
	switch (in->op) {
	case IR_OP_STORE: case IR_OP_CALL: case IR_OP_RET: case IR_OP_BR: case IR_OP_SWITCH:
	case IR_OP_UNREACHABLE: case IR_OP_FENCE: case IR_OP_CMPXCHG: case IR_OP_ATOMICRMW:
	case IR_OP_INDIRECTBR: case IR_OP_INVOKE: case IR_OP_RESUME: case IR_OP_CALLBR:
	case IR_OP_VAARG:
		return true;
	case IR_OP_LOAD:
		return (in->flags & IR_FL_VOLATILE) != 0;
	case IR_OP_SDIV: case IR_OP_UDIV: case IR_OP_SREM: case IR_OP_UREM:
		return false;
	default:
		(void)c;
		return false;
	}
}

static void dead_code(struct codegen *c)
{
	struct ir_func *f = c->f;
	uint32_t n = f->nvalues;
	uint8_t *live = ir_arena_alloc(c->a, n + 1, 1);
	struct ir_inst **work = ir_arena_alloc(c->a, sizeof(void *) * (n + 1), sizeof(void *));
	if (!live || !work)
		return;
	uint32_t sp = 0;
	for (uint32_t bi = 0; bi < f->nblocks; bi++) {
		if (!c->reach[bi])
			continue;
		cg_fuel(c, f->blocks[bi]->ninsts);
		for (struct ir_inst *in = f->blocks[bi]->first; in; in = in->next)
			if (side_effect(c, in) && !live[in->v.id]) {
				live[in->v.id] = 1;
				work[sp++] = in;
			}
	}
	while (sp) {
		struct ir_inst *in = work[--sp];
		cg_fuel(c, in->nops);
		for (uint32_t i = 0; i < in->nops; i++) {
			if (in->op == IR_OP_PHI && (i & 1) == 0 && !block_reach(c, ir_op(in, i + 1)))
				continue;
			struct ir_value *v = ir_op(in, i);
			/* keep the alias chain's ends live */
			for (int guard = 0; guard < 1000; guard++) {
				struct ir_inst *d = ir_as_inst(v);
				if (!d || d->v.id >= n)
					break;
				if (!live[d->v.id]) {
					live[d->v.id] = 1;
					work[sp++] = d;
				}
				if (!(c->fl[d->v.id] & F_ALIAS))
					break;
				v = c->alias[d->v.id];
			}
		}
	}
	for (uint32_t bi = 0; bi < f->nblocks; bi++)
		for (struct ir_inst *in = f->blocks[bi]->first; in; in = in->next)
			if (!live[in->v.id])
				c->fl[in->v.id] |= F_DEAD;
}

/* Allocas whose address never escapes: every use is a load from it or a
 * store to it of a same-width scalar. */
static void promote(struct codegen *c)
{
	struct ir_block *e = c->f->blocks[0];
	for (struct ir_inst *in = e->first; in; in = in->next) {
		if (in->op != IR_OP_ALLOCA)
			continue;
		uint32_t w = cg_type_bits(in->alloc_type);
		uint64_t n;
		if (!w || w > 32 || !folded_const(c, ir_op(in, 0), &n) || n != 1)
			continue;
		bool ok = true;
		cg_fuel(c, in->v.nuses);
		for (struct ir_use *u = in->v.uses; u && ok; u = u->next) {
			struct ir_inst *us = u->user;
			if (us->op == IR_OP_LOAD && u->index == 0)
				ok = cg_type_bits(us->v.type) == w && !(us->flags & IR_FL_VOLATILE);
			else if (us->op == IR_OP_STORE && u->index == 1)
				ok = cg_type_bits(ir_op(us, 0)->type) == w && !(us->flags & IR_FL_VOLATILE);
			else
				ok = false;
		}
		if (ok)
			c->fl[in->v.id] |= F_PROMOTED;
	}
}

static void aliases(struct codegen *c, struct ir_inst *in)
{
	struct ir_value *a = in->nops ? ir_op(in, 0) : NULL;
	uint32_t dw = cg_type_bits(in->v.type), sw = a ? cg_type_bits(a->type) : 0;
	switch (in->op) {
	case IR_OP_BITCAST: case IR_OP_ADDRSPACECAST: case IR_OP_FREEZE:
	case IR_OP_PTRTOINT: case IR_OP_INTTOPTR:
		if (dw && dw == sw)
			set_alias(c, in, a);
		return;
	case IR_OP_TRUNC:
		if (dw && sw && sw <= 32)
			set_alias(c, in, a);
		return;
	case IR_OP_ZEXT: {
		/* of a compare's i1: from tier 1 on a compare that is not
		 * fused is 0 or 1 in its whole container (setcc + movzx), and
		 * one with another use than this is never fused */
		struct ir_inst *ci = ir_as_inst(cg_canon(c, a));
		if (c->tier > 0 && sw == 1 && dw && dw <= 32 && ci && ci->op == IR_OP_ICMP &&
		    !(c->fl[ci->v.id] & F_FUSED))
			set_alias(c, in, a);
		return;
	}
	case IR_OP_CALL: {
		struct ir_func *t = ir_call_target(in);
		if (t && t->intrinsic == IR_INTR_EXPECT && in->nops > 1)
			set_alias(c, in, ir_op(in, 1));
		return;
	}
	default:
		return;
	}
}

/* Next instruction that will be emitted after `in` (same block). */
static struct ir_inst *next_emitted(struct codegen *c, struct ir_inst *in)
{
	for (in = in->next; in; in = in->next, cg_fuel(c, 1))
		if (!(c->fl[in->v.id] & (F_DEAD | F_ALIAS | F_CONST)))
			return in;
	return NULL;
}

/* A compare whose only user is a branch or select of the same block is
 * emitted at that user (its flags feed the jcc/cmov directly).  At tier 0
 * only when adjacent (single pass); at tier >= 1 anywhere in the block:
 * its operands are SSA values, still intact at the user (liveness counts
 * their use there). */
static void fuse_cmp_branch(struct codegen *c, struct ir_inst *in)
{
	if ((in->op != IR_OP_ICMP && in->op != IR_OP_FCMP) || in->v.nuses != 1 ||
	    (c->fl[in->v.id] & (F_DEAD | F_CONST | F_ALIAS)))
		return;
	struct ir_inst *u = in->v.uses->user;
	if (in->v.uses->index != 0 || u->parent != in->parent)
		return;
	if (c->tier == 0 && u != next_emitted(c, in))
		return;
	if (c->tier > 0) {
		/* the user must come after the compare */
		struct ir_inst *x = in->next;
		while (x && x != u) {
			cg_fuel(c, 1);
			x = x->next;
		}
		if (!x)
			return;
	}
	if ((u->op == IR_OP_BR && u->nops == 3) || u->op == IR_OP_SELECT)
		c->fl[in->v.id] |= F_FUSED;
}

/* A load that may be read where its one user is emitted: used once,
 * not volatile or atomic, not yet fused, not a promoted alloca's. */
static bool plain_load(struct codegen *c, struct ir_inst *ld)
{
	if (!ld || ld->op != IR_OP_LOAD || ld->v.nuses != 1 || (ld->flags & (IR_FL_VOLATILE | IR_FL_ATOMIC)) ||
	    (c->fl[ld->v.id] & (F_DEAD | F_CONST | F_ALIAS | F_FUSED)))
		return false;
	struct ir_inst *pi = ir_as_inst(cg_canon(c, ir_op(ld, 0)));
	return !(pi && (c->fl[pi->v.id] & F_PROMOTED));
}

/* A 32-bit load whose only use is a plain argument of the call right
 * after it is pushed from memory (isel_call.c push_arg): push [addr].  Only
 * pushes of other arguments come between, and they write no memory that
 * a load could read. */
static void fuse_push(struct codegen *c, struct ir_inst *in)
{
	if (c->tier == 0 || !plain_load(c, in) || cg_type_bits(in->v.type) != 32)
		return;
	struct ir_inst *u = in->v.uses->user;
	uint32_t i = in->v.uses->index;
	if (u != in->next || u->op != IR_OP_CALL || i == 0 || (c->fl[u->v.id] & F_DEAD) ||
	    ir_op(u, 0)->kind == IR_VAL_ASM_BARRIER)
		return; /* an empty asm pushes nothing (isel_call.c) */
	struct ir_func *t = ir_call_target(u);
	if ((t && t->intrinsic) || (u->fn_type && u->fn_type->vararg))
		return;
	if (t && i <= c->regp[t->v.id])
		return; /* passed in ECX/EDX, not pushed (conv.c) */
	const struct ir_attrs *at = cg_arg_attrs(u, i);
	if (at && (at->flags & (IR_ATTR_BYVAL | IR_ATTR_SEXT | IR_ATTR_ZEXT | IR_ATTR_SRET | IR_ATTR_INREG)))
		return;
	c->fl[in->v.id] |= F_FUSED;
}

/* v is a 64-bit constant with a zero high word or a zext of a 32-bit
 * value (isel_alu.c zext32_src). */
static bool zext32(struct codegen *c, struct ir_value *v)
{
	uint64_t k;
	if (folded_const(c, v, &k))
		return (k >> 32) == 0;
	struct ir_inst *in = ir_as_inst(cg_canon(c, v));
	return in && in->op == IR_OP_ZEXT && cg_type_bits(ir_op(in, 0)->type) == 32 &&
		cg_type_bits(in->v.type) == 64;
}

/* A zext of a 32-bit value to 64 bits used only by 64-bit multiplies of
 * two such values in its block is never materialized: each multiply is
 * one mul of the 32-bit sources (isel_alu.c emit_binop64). */
static void fuse_zext(struct codegen *c, struct ir_inst *in)
{
	if (c->tier == 0 || in->op != IR_OP_ZEXT || !in->v.uses || !zext32(c, &in->v) ||
	    (c->fl[in->v.id] & (F_DEAD | F_CONST | F_ALIAS)))
		return;
	for (struct ir_use *u = in->v.uses; u; u = u->next) {
		struct ir_inst *m = u->user;
		if (!m || m->op != IR_OP_MUL || m->parent != in->parent || cg_type_bits(m->v.type) != 64 ||
		    !zext32(c, ir_op(m, 0)) || !zext32(c, ir_op(m, 1)) ||
		    (c->fl[m->v.id] & (F_DEAD | F_ALIAS | F_CONST)))
			return; /* a product folded to its operand (x * 1) uses the zext itself */
	}
	c->fl[in->v.id] |= F_FUSED;
}

/* An `and` with a constant whose only use is `icmp eq/ne` against 0 in
 * the same block becomes part of that compare: a test instruction
 * (emit_cmp).  Tier >= 1. */
static void fuse_test(struct codegen *c, struct ir_inst *in)
{
	uint64_t k;
	uint32_t w = cg_type_bits(in->v.type);
	if (c->tier == 0 || in->op != IR_OP_AND || in->v.nuses != 1 || w == 0 || w > 32 ||
	    (c->fl[in->v.id] & (F_DEAD | F_CONST | F_ALIAS)))
		return;
	struct ir_inst *u = in->v.uses->user;
	if (u->op != IR_OP_ICMP || in->v.uses->index != 0 || u->parent != in->parent ||
	    (u->pred != IR_ICMP_EQ && u->pred != IR_ICMP_NE) || !folded_const(c, ir_op(u, 1), &k) || k != 0)
		return;
	if (folded_const(c, ir_op(in, 1), &k) || folded_const(c, ir_op(in, 0), &k))
		c->fl[in->v.id] |= F_FUSED;
}

/* A gep folded into the addressing mode of its loads and stores.
 *
 * Users in other blocks than the gep's (a pointer computed before a loop,
 * its loads and stores inside) only when every index is a constant: the
 * address is base + displacement, and the base is read where each user
 * is (live.c use_val, slots.c sc_uses and isel_mem.c address_of recurse
 * into the gep).  That reads the same base as the gep did: the base's
 * definition dominates the gep's, which dominates its users, and any
 * path from a redefinition of the base (a phi's, on a loop's next
 * iteration) to a user passes the gep again — else the gep would not
 * dominate that user.  It never raises register pressure: wherever the
 * base becomes live only because of the fold, the gep itself was live
 * (the path from there to a user either holds no definition of the gep,
 * or holds one, which read the base: then the base was live there
 * already), and the gep is no value any more — one base for any number
 * of such geps instead of one register each.  So there is no further
 * limit.  Not with a variable index: that would keep the index live
 * beside the base and redo its scaling at every user; not with a base
 * folded to a constant (F_CONST), loaded into a scratch register at
 * every user. */
static void fold_addr(struct codegen *c, struct ir_inst *in)
{
	if (in->op != IR_OP_GEP || in->v.nuses == 0 || in->v.nuses > 4 ||
	    (c->fl[in->v.id] & (F_DEAD | F_CONST | F_ALIAS)))
		return;
	bool away = false;      /* a user in another block */
	for (struct ir_use *u = in->v.uses; u; u = u->next) {
		struct ir_inst *us = u->user;
		if (c->fl[us->v.id] & F_DEAD)
			return;
		if (!((us->op == IR_OP_LOAD && u->index == 0) || (us->op == IR_OP_STORE && u->index == 1)))
			return;
		away |= us->parent != in->parent;
	}
	struct ir_value *base = cg_canon(c, ir_op(in, 0));
	struct ir_inst *bi = ir_as_inst(base);
	if (bi && (c->fl[bi->v.id] & F_FOLDADDR))
		return;
	if (away) {
		uint64_t k;
		if (bi && (c->fl[bi->v.id] & F_CONST))
			return;
		for (uint32_t i = 1; i < in->nops; i++)
			if (!folded_const(c, ir_op(in, i), &k))
				return;
	}
	struct ir_type *t = in->src_type;
	int nvar = 0, nmul = 0;
	int64_t off = 0;
	/* a constant base leaves the base register free for a second
	 * variable index, multiplied by its element size (isel_mem.c address_of) */
	bool kbase = !cg_is_var(base);
	for (uint32_t i = 1; i < in->nops; i++) {
		struct ir_value *x = ir_op(in, i);
		uint64_t k, esz;
		if (i == 1) {
			esz = ir_type_size(t);
		} else if (t->kind == IR_TY_STRUCT) {
			if (!folded_const(c, x, &k) || k >= t->nmembers)
				return;
			off += (int64_t)ir_struct_offset(t, (uint32_t)k);
			t = t->members[k];
			continue;
		} else if (t->kind == IR_TY_ARRAY) {
			t = t->elem;
			esz = ir_type_size(t);
		} else {
			return;
		}
		if (folded_const(c, x, &k)) {
			off += sext_bits(k, cg_type_bits(x->type)) * (int64_t)esz;
			continue;
		}
		bool scale = esz == 1 || esz == 2 || esz == 4 || esz == 8;
		nmul += !scale;
		if (++nvar > (kbase ? 2 : 1) || (!scale && (!kbase || nmul > 1)) || esz > 0x7fffffff)
			return;
	}
	if (off < -0x40000000 || off > 0x40000000)
		return;
	c->fl[in->v.id] |= F_FOLDADDR;
	/* a 32-bit index `y + C` (or `y - C`) used only here: C goes into
	 * the displacement, y is the index (isel_mem.c address_of); modular
	 * arithmetic makes that exact */
	for (uint32_t i = 1; i < in->nops; i++) {
		struct ir_inst *x = ir_as_inst(ir_op(in, i));
		uint64_t k;
		if (!x || (x->op != IR_OP_ADD && x->op != IR_OP_SUB) || x->v.nuses != 1 ||
		    x->parent != in->parent || cg_type_bits(x->v.type) != 32 ||
		    (c->fl[x->v.id] & (F_DEAD | F_CONST | F_ALIAS | F_FUSED)) || !folded_const(c, ir_op(x, 1), &k))
			continue;
		struct ir_value *y = cg_canon(c, ir_op(x, 0));
		if (cg_is_var(y))
			c->fl[x->v.id] |= F_FUSED;
	}
}

/* `br (or|and i1 (icmp ...), (icmp ...))`: the two compares branch one
 * after the other (emit_br) instead of materialising both flags. */
static void fuse_chain(struct codegen *c, struct ir_inst *in)
{
	if (c->tier == 0 || (in->op != IR_OP_OR && in->op != IR_OP_AND) || in->v.nuses != 1 ||
	    cg_type_bits(in->v.type) != 1 || (c->fl[in->v.id] & (F_DEAD | F_CONST | F_ALIAS)))
		return;
	struct ir_inst *u = in->v.uses->user;
	if (u->op != IR_OP_BR || u->nops != 3 || u->parent != in->parent)
		return;
	struct ir_inst *x[2];
	for (int i = 0; i < 2; i++) {
		x[i] = ir_as_inst(ir_op(in, (uint32_t)i));
		if (!x[i] || x[i]->op != IR_OP_ICMP || x[i]->v.nuses != 1 ||
		    x[i]->parent != in->parent ||
		    (c->fl[x[i]->v.id] & (F_DEAD | F_CONST | F_ALIAS | F_FUSED)))
			return;
	}
	c->fl[x[0]->v.id] |= F_FUSED;
	c->fl[x[1]->v.id] |= F_FUSED;
	c->fl[in->v.id] |= F_FUSED;
}

/* No instruction from `from` (exclusive) up to `to` (exclusive) may
 * write memory. */
static bool no_store_between(struct codegen *c, struct ir_inst *from, struct ir_inst *to)
{
	struct ir_inst *x = from->next;
	for (; x && x != to; x = x->next, cg_fuel(c, 1))
		if (x->op == IR_OP_STORE || x->op == IR_OP_CALL || x->op == IR_OP_FENCE ||
		    x->op == IR_OP_ATOMICRMW || x->op == IR_OP_CMPXCHG || x->op == IR_OP_VAARG)
			return false;
	return x == to;
}

/* Where a compare's code is emitted: at the end of its chain of fused
 * users (a br or select, or through a fused or/and, the br), else at the
 * compare. */
static struct ir_inst *cmp_point(struct codegen *c, struct ir_inst *cmp)
{
	struct ir_inst *at = cmp;
	while ((c->fl[at->v.id] & F_FUSED) && at->v.nuses == 1 && at->v.uses->user->parent == cmp->parent)
		at = at->v.uses->user;
	return at;
}

/* icmp of a load used nowhere else: the compare reads memory itself
 * (cmp r, [m], isel_cmp.c emit_cmp), when nothing between the load and
 * where the compare is emitted can write memory.  Not against a
 * constant: movzx + cmp imm is as short. */
static void fuse_cmp_load(struct codegen *c, struct ir_inst *in)
{
	uint64_t k;
	if (in->op != IR_OP_ICMP || (c->fl[in->v.id] & (F_DEAD | F_CONST | F_ALIAS)))
		return;
	for (uint32_t j = 2; j-- > 0;) {
		struct ir_inst *ld = ir_as_inst(ir_op(in, j));
		uint32_t w = ld ? cg_type_bits(ld->v.type) : 0;
		if (!plain_load(c, ld) || ld->parent != in->parent || (w != 8 && w != 16 && w != 32) ||
		    folded_const(c, ir_op(in, 1 - j), &k))
			continue;
		struct ir_inst *at = cmp_point(c, in);
		if (at->parent != in->parent || !no_store_between(c, ld, at))
			continue;
		c->fl[ld->v.id] |= F_FUSED;
		return;
	}
}

/* A 32-bit load whose one user is add/sub/and/or/xor/mul of its block,
 * with nothing between that may write memory: the arithmetic reads
 * memory itself (add r, [m], isel_alu.c emit_arith).  Not the minuend of a
 * sub, not against a constant (mov + op imm is as short). */
static void fuse_alu_load(struct codegen *c, struct ir_inst *ld)
{
	uint64_t k;
	if (!plain_load(c, ld) || cg_type_bits(ld->v.type) != 32)
		return;
	struct ir_inst *u = ld->v.uses->user;
	uint32_t i = ld->v.uses->index;
	if (u->op != IR_OP_ADD && u->op != IR_OP_AND && u->op != IR_OP_OR && u->op != IR_OP_XOR &&
	    u->op != IR_OP_MUL && !(u->op == IR_OP_SUB && i == 1))
		return;
	struct ir_inst *other = ir_as_inst(cg_canon(c, ir_op(u, 1 - i)));
	if (u->parent != ld->parent || cg_type_bits(u->v.type) != 32 ||
	    (c->fl[u->v.id] & (F_DEAD | F_CONST | F_ALIAS | F_FUSED)) || folded_const(c, ir_op(u, 1 - i), &k) ||
	    (other && (c->fl[other->v.id] & F_FUSED)))
		return; /* one memory operand per instruction */
	if (no_store_between(c, ld, u))
		c->fl[ld->v.id] |= F_FUSED;
}

/* A float/double load whose one user is fadd/fmul (either operand) or
 * fsub/fdiv (the second) of its block, with nothing between that may
 * write memory: the SSE operation reads memory itself (addsd x, [m],
 * isel_fp.c fp_op). */
static void fuse_fp_load(struct codegen *c, struct ir_inst *ld)
{
	if (!plain_load(c, ld) || (ld->v.type->kind != IR_TY_FLOAT && ld->v.type->kind != IR_TY_DOUBLE))
		return;
	struct ir_inst *u = ld->v.uses->user;
	uint32_t i = ld->v.uses->index;
	if (u->op != IR_OP_FADD && u->op != IR_OP_FMUL &&
	    !((u->op == IR_OP_FSUB || u->op == IR_OP_FDIV) && i == 1))
		return;
	struct ir_inst *other = ir_as_inst(cg_canon(c, ir_op(u, 1 - i)));
	if (u->parent != ld->parent || u->v.type != ld->v.type ||
	    (c->fl[u->v.id] & (F_DEAD | F_CONST | F_ALIAS | F_FUSED)) || other == ld ||
	    (other && (c->fl[other->v.id] & F_FUSED)))
		return; /* one memory operand per instruction */
	if (no_store_between(c, ld, u))
		c->fl[ld->v.id] |= F_FUSED;
}

static void prep_common(struct codegen *c)
{
	struct ir_func *f = c->f;
	uint64_t n;
	for (struct ir_inst *in = f->blocks[0]->first; in; in = in->next)
		if (in->op == IR_OP_ALLOCA && !(c->fl[in->v.id] & F_PROMOTED) &&
		    folded_const(c, ir_op(in, 0), &n) && n <= 0x100000 &&
		    ir_type_size(in->alloc_type) * n <= 0x1000000)
			c->fl[in->v.id] |= F_STATIC;
	for (uint32_t bi = 0; bi < f->nblocks; bi++) {
		if (c->reach && !c->reach[bi])
			continue;
		cg_fuel(c, f->blocks[bi]->ninsts);
		for (struct ir_inst *in = f->blocks[bi]->first; in; in = in->next) {
			fuse_cmp_branch(c, in);
			fuse_test(c, in);
			fuse_chain(c, in);
			fuse_push(c, in);
			fuse_zext(c, in);
			if (in->op == IR_OP_PHI)
				c->phitmp[in->v.id] = c->nv++;
		}
	}
	/* after the compares' own fusion, which decides where they go */
	for (uint32_t bi = 0; c->tier > 0 && bi < f->nblocks; bi++)
		for (struct ir_inst *in = f->blocks[bi]->first; c->reach[bi] && in; in = in->next)
		{
			cg_fuel(c, 1);
			fuse_cmp_load(c, in);
			fuse_alu_load(c, in);
			fuse_fp_load(c, in);
		}
}

void cg_opt(struct codegen *c)
{
	struct ir_func *f = c->f;
	if (c->tier == 0) {
		prep_common(c);
		return;
	}
	promote(c);
	for (uint32_t bi = 0; bi < f->nblocks; bi++) {
		cg_fuel(c, 1 + f->blocks[bi]->ninsts);
		for (struct ir_inst *in = f->blocks[bi]->first; in; in = in->next)
			aliases(c, in);
	}
	for (int round = 0; round < 3; round++) {
		for (uint32_t bi = 0; bi < f->nblocks; bi++) {
			if (!c->reach[bi])
				continue;
			cg_fuel(c, f->blocks[bi]->ninsts);
			for (struct ir_inst *in = f->blocks[bi]->first; in; in = in->next)
				fold_inst(c, in);
		}
		reachability(c);
	}
	dead_code(c);
	prep_common(c);
	if (c->tier >= 2)
		for (uint32_t bi = 0; bi < f->nblocks; bi++) {
			if (!c->reach[bi])
				continue;
			cg_fuel(c, f->blocks[bi]->ninsts);
			for (struct ir_inst *in = f->blocks[bi]->first; in; in = in->next)
				fold_addr(c, in);
		}
}
