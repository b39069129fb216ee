/* servers/jit/cg/flow.c: control flow — the phi copies on edges
 * (edge_copies: sequential moves, exact because rega.c's phi scheme
 * keeps every destination unread by the other copies of its group) and
 * at block heads, br (fall-through in layout, fused compares, chains of
 * two compares, back edges' copies before the jcc), switch (compare
 * chains, jump tables, no bounds check when the default is
 * unreachable), ret, and the jump tables after the code.
 *
 * requires: the phi scheme (live.c F_PHIDIRECT, c->phitmp), locations
 * provides: emit_br, emit_switch, emit_ret, block_head, jump_tables */
#include <string.h>
#include "servers/jit/cg/isel.h"

/* vregs a and b live in the same place (one vreg, the same register or
 * a shared stack slot, see slots.c coalesce_slots): a copy is a no-op */
static bool same_loc(struct codegen *c, uint32_t a, uint32_t b)
{
	struct cg_loc *x = &c->loc[a], *y = &c->loc[b];
	if (a == b)
		return true;
	if (x->kind != y->kind)
		return false;
	return (x->kind == L_SLOT && x->off == y->off) ||
	       ((x->kind == L_REG || x->kind == L_XMM) && x->reg == y->reg);
}

/* A phi or select of a first-class aggregate ({iN, i1} of
 * *.with.overflow, small structs): its value lives in a slot of its
 * size; copied through EAX. */
static bool agg_copy_from(struct codegen *c, struct ir_inst *p, struct cg_loc dst, x86_mem src)
{
	uint64_t sz = ir_type_size(p->v.type);
	if (!ir_type_is_aggregate(p->v.type) || sz == 0 || sz > 256 || dst.kind != L_SLOT) {
		cg_fail(c, p, p->op == IR_OP_PHI ? "phi of an unsupported type" : "select of an unsupported type");
		return false;
	}
	copy_mem(c, slot_mem(dst.off), src, (uint32_t)sz);
	return true;
}

/* ... from value v: an aggregate in a slot, undef/poison (nothing to
 * copy) or zeroinitializer. */
bool agg_copy(struct codegen *c, struct ir_inst *p, struct cg_loc dst, struct ir_value *v)
{
	int32_t so;
	struct ir_value *cv = cg_canon(c, v);
	if (agg_slot(c, v, &so))
		return agg_copy_from(c, p, dst, slot_mem(so));
	if (cv->kind == IR_VAL_CONST_UNDEF || cv->kind == IR_VAL_CONST_POISON)
		return true;
	uint64_t sz = ir_type_size(p->v.type);
	if (cv->kind != IR_VAL_CONST_NULL || dst.kind != L_SLOT || sz > 256) {
		cg_fail(c, p, "a constant aggregate other than zeroinitializer");
		return false;
	}
	uint32_t i = 0;
	for (; i + 4 <= sz; i += 4)
		x86_mov_mi(&c->b, 32, slot_mem(dst.off + (int32_t)i), 0);
	for (; i < sz; i++)
		x86_mov_mi(&c->b, 8, slot_mem(dst.off + (int32_t)i), 0);
	return true;
}

/* Copies for the edges from `b` into the phis of its successors.  The
 * phi scheme guarantees that no copy destination is read by another copy
 * of the same group (see live.c), so sequential moves are exact. */
static void edge_copies(struct codegen *c, struct ir_block *b, struct ir_block **succ, uint32_t nsucc)
{
	/* phis of different successors may share a register when they get
	 * the same value here (ranges.c sibling_copies): one copy does */
	uint32_t done_dst[8], ndone = 0;
	struct ir_value *done_src[8];
	for (uint32_t s = 0; s < nsucc; s++) {
		bool dup = false;
		for (uint32_t t = 0; t < s; t++)
			dup |= succ[t] == succ[s];
		if (dup)
			continue;
		for (struct ir_inst *p = succ[s]->first; p && p->op == IR_OP_PHI; p = p->next) {
			cg_fuel(c, 1 + p->nops);
			if (c->fl[p->v.id] & (F_DEAD | F_CONST | F_ALIAS))
				continue;
			struct ir_value *v = ir_phi_incoming(p, b);
			if (!v) {
				cg_fail(c, p, "phi without an incoming value for a predecessor");
				return;
			}
			uint32_t dst = cg_phi_dst(c, p);
			uint32_t w = cg_type_bits(p->v.type);
			if (w > 64) {
				wide_refuse(c);
				return;
			}
			struct ir_value *cv = cg_canon(c, v);
			if (cg_is_var(cv) && same_loc(c, cv->id, dst))
				continue;
			bool again = false;
			for (uint32_t d = 0; d < ndone && !again; d++)
				again = done_src[d] == cv && same_loc(c, done_dst[d], dst);
			if (again)
				continue;
			if (ndone < 8 && w <= 32) {
				done_dst[ndone] = dst;
				done_src[ndone++] = cv;
			}
			if (fp_copy(c, p->v.type, dst, v, 0))
				continue; /* to or from an XMM register (isel_fp.c) */
			if (w > 32) {
				/* a double between slots: movsd (isel_fp.c) */
				if (c->loc[dst].kind != L_SLOT ||
				    !fp_copy_slot(c, p->v.type, c->loc[dst].off, v, 0)) {
					load_pair(c, EAX, EDX, v);
					store_pair_vreg(c, dst, EAX, EDX);
				}
			} else if (w == 0) {
				if (!agg_copy(c, p, c->loc[dst], v))
					return;
			} else {
				struct cg_loc *l = &c->loc[dst];
				uint64_t k;
				if (l->kind == L_SLOT && known_const(c, v, &k)) {
					x86_mov_mi(&c->b, 32, slot_mem(l->off), (int32_t)(uint32_t)k);
				} else if (l->kind == L_SLOT && cg_is_var(cv) && loc_of(c, cv)->kind == L_REG) {
					x86_mov_mr(&c->b, 32, slot_mem(l->off), loc_of(c, cv)->reg);
				} else {
					/* the write of a phi destination in ECX/EDX is its
					 * definition, not a scratch use (ranges.c range_free) */
					uint8_t wm = c->b.wmask;
					int r = l->kind == L_REG ? l->reg : EAX;
					load_value(c, r, v);
					store_vreg(c, dst, r);
					if (r == X_ECX || r == X_EDX)
						def_write(c, wm, r);
				}
			}
		}
	}
}

static bool phi_needs_edges(struct ir_block **succ, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++)
		if (succ[i]->first && succ[i]->first->op == IR_OP_PHI)
			return true;
	return false;
}

static uint32_t live_phis(struct codegen *c, struct ir_block *b)
{
	uint32_t n = 0;
	for (struct ir_inst *p = b->first; p && p->op == IR_OP_PHI; p = p->next)
		if (!(c->fl[p->v.id] & (F_DEAD | F_CONST | F_ALIAS)))
			n++;
	return n;
}

static void jump_to(struct codegen *c, struct ir_block *from, struct ir_block *to)
{
	(void)from;
	x86_jmp(&c->b, &c->blab[to->index]);
}

/* Index of the next reachable block after b in layout, or nblocks. */
static uint32_t next_block(struct codegen *c, uint32_t i)
{
	for (uint32_t j = i + 1; j < c->f->nblocks; j++, cg_fuel(c, 1))
		if (!c->reach || c->reach[j])
			return j;
	return c->f->nblocks;
}

/* br on a fused `or`/`and` of two compares (opt.c fuse_chain): the
 * first compare decides alone when it can, the second decides the rest.
 * An edge with phi copies gets them after all the compares. */
static void emit_br_chain(struct codegen *c, struct ir_block *b, struct ir_inst *ci,
			  struct ir_block *t, struct ir_block *f)
{
	uint32_t nx = next_block(c, b->index);
	bool tc = phi_needs_edges(&t, 1), fc = phi_needs_edges(&f, 1);
	x86_label lt, lf;
	x86_label_init(&lt);
	x86_label_init(&lf);
	x86_label *to_t = tc ? &lt : &c->blab[t->index];
	x86_label *to_f = fc ? &lf : &c->blab[f->index];
	int cc = emit_cmp(c, ir_as_inst(ir_op(ci, 0)));
	if (ci->op == IR_OP_OR)
		x86_jcc(&c->b, cc, to_t);
	else
		x86_jcc(&c->b, cc ^ 1, to_f);
	cc = emit_cmp(c, ir_as_inst(ir_op(ci, 1)));
	if (!tc && !fc) {
		if (t->index == nx) {
			x86_jcc(&c->b, cc ^ 1, to_f);
		} else {
			x86_jcc(&c->b, cc, to_t);
			if (f->index != nx)
				jump_to(c, b, f);
		}
		return;
	}
	/* the true edge falls through, the false one jumps */
	x86_jcc(&c->b, cc ^ 1, to_f);
	x86_bind(&c->b, &lt);
	if (tc)
		edge_copies(c, b, &t, 1);
	if (fc || t->index != nx)
		jump_to(c, b, t);
	x86_bind(&c->b, &lf);
	if (fc) {
		edge_copies(c, b, &f, 1);
		if (f->index != nx)
			jump_to(c, b, f);
	}
}

void emit_br(struct codegen *c, struct ir_block *b, struct ir_inst *in)
{
	uint32_t nx = next_block(c, b->index);
	if (in->nops == 1) {
		struct ir_block *d = ir_as_block(ir_op(in, 0));
		edge_copies(c, b, &d, 1);
		if (d->index != nx)
			jump_to(c, b, d);
		return;
	}
	struct ir_block *t = ir_as_block(ir_op(in, 1)), *f = ir_as_block(ir_op(in, 2));
	uint64_t k;
	bool known = known_const(c, ir_op(in, 0), &k);
	if (c->fast_next && b == c->f->blocks[0]) {
		/* the other way was taken before the prologue (fast_exit) */
		known = true;
		k = c->fast_next == t;
	}
	if (known) {
		struct ir_block *d = (k & 1) ? t : f;
		edge_copies(c, b, &d, 1);
		if (d->index != nx)
			jump_to(c, b, d);
		return;
	}
	struct ir_inst *chain = ir_as_inst(cg_canon(c, ir_op(in, 0)));
	if (chain && (chain->op == IR_OP_OR || chain->op == IR_OP_AND) &&
	    (c->fl[chain->v.id] & F_FUSED)) {
		emit_br_chain(c, b, chain, t, f);
		return;
	}
	struct ir_block *succ[2] = { t, f };
	int cc = cond_cc(c, ir_op(in, 0));
	bool tback = t->index <= b->index, fback = f->index <= b->index;
	struct ir_block *hot = tback ? t : f, *cold = tback ? f : t;
	bool head_test = false;
	if (!tback && !fback && c->bdepth && (t->index == nx || f->index == nx)) {
		/* a loop's test at its head: the next block, without phis,
		 * stays in the loop; the other leaves it for a shallower
		 * block whose phis take values from here */
		hot = t->index == nx ? t : f;
		cold = hot == t ? f : t;
		head_test = c->bdepth[hot->index] > c->bdepth[cold->index] && live_phis(c, hot) == 0 &&
			    live_phis(c, cold) > 0;
	}
	/* both back edges: the later header is the inner loop's, hot */
	bool inner = tback && fback && t != f;
	if (inner) {
		hot = t->index > f->index ? t : f;
		cold = hot == t ? f : t;
	}
	if (t != f && c->tier > 0 && (tback != fback || head_test || inner) && phi_needs_edges(succ, 2)) {
		/* Copies on both edges, one of them hot (a loop's back edge,
		 * the inner loop's of two, or the fall-through staying in the
		 * loop where the other leaves it).  The liveness model lets
		 * both sets of copies run on either edge (the other edge's
		 * phi destinations are dead here), so: the hot edge's copies,
		 * a jcc taking the hot edge (over what follows, to the next
		 * block, for a head test), then the cold edge's copies, which
		 * only the cold edge runs. */
		c->keep_flags = true;
		edge_copies(c, b, &hot, 1);
		c->keep_flags = false;
		x86_jcc(&c->b, hot == t ? cc : cc ^ 1, &c->blab[hot->index]);
		edge_copies(c, b, &cold, 1);
		if (cold->index != nx)
			x86_jmp(&c->b, &c->blab[cold->index]);
		return;
	}
	if (t != f && c->tier > 0 && live_phis(c, t) >= 2 && live_phis(c, f) >= 2) {
		/* copies on each edge separately (the ones of the edge not taken
		 * are dead writes; see live.c): saves them in loops whose exit
		 * has phis too */
		x86_label lf;
		x86_label_init(&lf);
		x86_jcc(&c->b, cc ^ 1, &lf);
		edge_copies(c, b, &t, 1);
		x86_jmp(&c->b, &c->blab[t->index]);
		x86_bind(&c->b, &lf);
		edge_copies(c, b, &f, 1);
		if (f->index != nx)
			x86_jmp(&c->b, &c->blab[f->index]);
		return;
	}
	if (phi_needs_edges(succ, 2)) {
		c->keep_flags = true;
		edge_copies(c, b, succ, 2);
		c->keep_flags = false;
	}
	if (t->index == nx) {
		x86_jcc(&c->b, cc ^ 1, &c->blab[f->index]);
	} else if (f->index != nx && ((c->bdepth && c->bdepth[f->index] > c->bdepth[t->index]) ||
				      (inner && hot == f))) {
		/* neither falls through: the jcc to the deeper loop (or, of
		 * two back edges, to the inner one), the jmp for the way out
		 * of it */
		x86_jcc(&c->b, cc ^ 1, &c->blab[f->index]);
		x86_jmp(&c->b, &c->blab[t->index]);
	} else {
		x86_jcc(&c->b, cc, &c->blab[t->index]);
		if (f->index != nx)
			x86_jmp(&c->b, &c->blab[f->index]);
	}
}

/* Registers the edge copies from b into succ may write: phi registers,
 * EAX (their scratch) and EDX (for 64-bit phis). */
static uint32_t copies_write(struct codegen *c, struct ir_block *b, struct ir_block **succ, uint32_t n)
{
	uint32_t m = 1u << EAX;
	(void)b;
	for (uint32_t s = 0; s < n; s++)
		for (struct ir_inst *p = succ[s]->first; p && p->op == IR_OP_PHI; p = p->next) {
			if (c->fl[p->v.id] & (F_DEAD | F_CONST | F_ALIAS))
				continue;
			struct cg_loc *l = &c->loc[cg_phi_dst(c, p)];
			if (cg_type_bits(p->v.type) > 32)
				m |= 1u << EDX;
			else if (l->kind == L_REG)
				m |= 1u << l->reg;
		}
	return m;
}

/* The range of a switch's cases, lo..hi, and whether it is dense enough
 * for a jump table (>= 4 cases, range <= 3 x cases, <= 1024). */
static bool dense_cases(struct codegen *c, struct ir_inst *in, uint32_t w, int64_t *plo, uint64_t *prange)
{
	uint32_t ncase = (in->nops - 2) / 2;
	int64_t lo = 0, hi = 0;
	for (uint32_t i = 0; i < ncase; i++) {
		uint64_t cv;
		known_const(c, ir_op(in, 2 + 2 * i), &cv);
		int64_t x = (int64_t)(uint32_t)extend_const(cv, w, false);
		if (i == 0 || x < lo) lo = x;
		if (i == 0 || x > hi) hi = x;
	}
	uint64_t range = ncase ? (uint64_t)(hi - lo) + 1 : 0;
	*plo = lo;
	*prange = range;
	return ncase >= 4 && range <= 3ull * ncase && range <= 1024;
}

uint8_t *table_targets(struct codegen *c)
{
	struct ir_func *f = c->f;
	uint8_t *t = ir_arena_alloc(c->a, f->nblocks + 1, 1);
	if (!t) {
		cg_fail(c, NULL, "out of scratch memory");
		return NULL;
	}
	memset(t, 0, f->nblocks + 1);
	for (uint32_t bi = 0; bi < f->nblocks; bi++) {
		struct ir_inst *in = f->blocks[bi]->last;
		int64_t lo;
		uint64_t range;
		if (!in || in->op != IR_OP_SWITCH)
			continue;
		uint32_t w = cg_type_bits(ir_op(in, 0)->type);
		cg_fuel(c, 1 + in->nops);
		if (w == 0 || w > 32 || !dense_cases(c, in, w, &lo, &range))
			continue;
		for (uint32_t i = 1; i < in->nops; i += 2)
			t[ir_as_block(ir_op(in, i))->index] = 1;
	}
	return t;
}

void emit_switch(struct codegen *c, struct ir_block *b, struct ir_inst *in)
{
	struct ir_value *v = ir_op(in, 0);
	struct ir_block *def = ir_as_block(ir_op(in, 1));
	uint32_t ncase = (in->nops - 2) / 2;
	uint32_t w = cg_type_bits(v->type);
	if (w == 0 || w > 64 || (w > 32 && w != 64)) {
		isel_fail(c, "switch on an unsupported type");
		return;
	}
	/* successors for the edge copies */
	struct ir_block *succ[1 + 256];
	uint32_t ns = 0;
	cg_fuel(c, 8ull * ncase);
	succ[ns++] = def;
	for (uint32_t i = 0; i < ncase; i++) {
		struct ir_block *t = ir_as_block(ir_op(in, 3 + 2 * i));
		bool seen = false;
		for (uint32_t j = 0; j < ns; j++)
			seen |= succ[j] == t;
		if (!seen) {
			if (ns >= 257) {
				isel_fail(c, "switch with too many distinct targets");
				return;
			}
			succ[ns++] = t;
		}
	}
	uint64_t kv;
	if (known_const(c, v, &kv)) {
		struct ir_block *d = def;
		for (uint32_t i = 0; i < ncase; i++) {
			uint64_t cv;
			known_const(c, ir_op(in, 2 + 2 * i), &cv);
			if (cv == (w >= 64 ? kv : kv & ((1ull << w) - 1)))
				d = ir_as_block(ir_op(in, 3 + 2 * i));
		}
		edge_copies(c, b, &d, 1);
		if (d->index != next_block(c, b->index))
			jump_to(c, b, d);
		return;
	}
	if (w > 32) {
		/* compare chain on the pair in its slot (never clobbered by the
		 * copies: i64 phis always use temporaries) */
		x86_mem m = pair_mem(c, v, 0);
		if (m.disp == c->scratch) {
			isel_fail(c, "internal: constant 64-bit switch");
			return;
		}
		edge_copies(c, b, succ, ns);
		for (uint32_t i = 0; i < ncase; i++) {
			uint64_t cv;
			known_const(c, ir_op(in, 2 + 2 * i), &cv);
			x86_label no;
			x86_label_init(&no);
			x86_alu_mi(&c->b, X_CMP, 32, m, (int32_t)(uint32_t)cv);
			x86_jcc(&c->b, X_NE, &no);
			x86_alu_mi(&c->b, X_CMP, 32, high_word(m), (int32_t)(uint32_t)(cv >> 32));
			x86_jcc(&c->b, X_E, &c->blab[ir_as_block(ir_op(in, 3 + 2 * i))->index]);
			x86_bind(&c->b, &no);
		}
		jump_to(c, b, def);
		return;
	}
	/* The switch value's register: its own when it has one the edge
	 * copies leave alone (a 32-bit value), else EDX, saved around the
	 * copies when they write it. */
	bool copies = phi_needs_edges(succ, ns);
	uint32_t clob = copies ? copies_write(c, b, succ, ns) : 0;
	bool dead_def = def->first && def->first->op == IR_OP_UNREACHABLE;
	int64_t lo;
	uint64_t range;
	bool table = dense_cases(c, in, w, &lo, &range) && c->nswitch < 64;
	/* a table with a reachable default subtracts lo in place */
	int r = reg_of(c, v);
	if (r < 0 || (clob & (1u << r)) || (table && !dead_def && lo))
		r = -1;
	if (r < 0) {
		load_extended(c, EDX, v, false);
		r = EDX;
	}
	if (copies) {
		if (r == EDX && (clob & (1u << EDX)))
			x86_push_r(&c->b, EDX);
		edge_copies(c, b, succ, ns);
		if (r == EDX && (clob & (1u << EDX)))
			x86_pop_r(&c->b, EDX);
	}
	if (table) {
		/* an unreachable default (every value is a case) needs no
		 * bounds check: lo goes into the table's displacement */
		int64_t bias = lo;
		uint32_t at;
		if (!dead_def) {
			if (lo)
				x86_alu_ri(&c->b, X_SUB, 32, r, (int32_t)lo);
			x86_alu_ri(&c->b, X_CMP, 32, r, (int32_t)(range - 1));
			x86_jcc(&c->b, X_A, &c->blab[def->index]);
			bias = 0;
		}
		if (c->sandbox) {
			/* mov eax, [table + 1 + r*8]; and eax, -32; jmp eax
			 * (entries `mov eax, target; nop`: jump_tables) */
			x86_mem m = x86_mx(X_NOREG, r, 8, 0);
			m.disp32 = 1;
			x86_mov_rm(&c->b, 32, EAX, m);
			at = c->b.len - 4; /* NOPs may come before and+jmp */
			x86_still(&c->b);
			x86_jmp_r(&c->b, EAX);
		} else {
			x86_jmp_m(&c->b, x86_mx(X_NOREG, r, 4, 0));
			at = c->b.len - 4;
			x86_still(&c->b);
		}
		struct cg_jt *jt = &c->jt[c->nswitch++];
		jt->at = at;
		jt->sw = in;
		jt->lo = lo;
		jt->bias = bias;
		jt->n = (uint32_t)range;
		return;
	}
	for (uint32_t i = 0; i < ncase; i++) {
		uint64_t cv;
		known_const(c, ir_op(in, 2 + 2 * i), &cv);
		struct ir_block *t = ir_as_block(ir_op(in, 3 + 2 * i));
		if (dead_def && i + 1 == ncase) {
			/* the last case is the only value left */
			if (t->index != next_block(c, b->index))
				jump_to(c, b, t);
			return;
		}
		x86_alu_ri(&c->b, X_CMP, 32, r, (int32_t)extend_const(cv, w, false));
		x86_jcc(&c->b, X_E, &c->blab[t->index]);
	}
	if (def->index != next_block(c, b->index))
		jump_to(c, b, def);
}

void emit_ret(struct codegen *c, struct ir_block *b, struct ir_inst *in)
{
	if (in->nops == 1) {
		struct ir_value *v = ir_op(in, 0);
		uint32_t w = cg_type_bits(v->type);
		if (w == 0 || w > 64) {
			isel_fail(c, w > 64 ? "return of an integer wider than 64 bits" : "unsupported return type");
			return;
		}
		if (ir_type_is_fp(v->type)) {
			fp_ret(c, v); /* in ST0 (i386 ABI) */
		} else if (w > 32) {
			load_pair(c, EAX, EDX, v);
		} else {
			load_value(c, EAX, v);
			uint32_t rf = c->f->ret_attrs.flags;
			if (w < 32 && (rf & (IR_ATTR_SEXT | IR_ATTR_ZEXT)))
				extend_reg(c, EAX, w, (rf & IR_ATTR_SEXT) != 0);
		}
	} else if (c->f->nparams && (c->f->params[0].attrs.flags & IR_ATTR_SRET)) {
		load_value(c, EAX, &c->f->params[0].v); /* sret: return the pointer */
	}
	if (c->tier > 0 && !c->cycles)
		epilogue(c);
	else if (next_block(c, b->index) != c->f->nblocks)
		x86_jmp(&c->b, &c->epi);
}

/* Block head: phi temporaries into the phis. */
void block_head(struct codegen *c, struct ir_block *b)
{
	for (struct ir_inst *p = b->first; p && p->op == IR_OP_PHI; p = p->next) {
		c->cur = p;
		if (c->fl[p->v.id] & (F_DEAD | F_PHIDIRECT | F_CONST | F_ALIAS))
			continue;
		uint32_t t = c->phitmp[p->v.id];
		uint32_t w = cg_type_bits(p->v.type);
		if (w > 64) {
			wide_refuse(c);
			return;
		}
		if (same_loc(c, t, p->v.id))
			continue;
		if (fp_copy(c, p->v.type, p->v.id, NULL, t))
			continue; /* to or from an XMM register (isel_fp.c) */
		if (w > 32) {
			struct cg_loc *l = &c->loc[t];
			if (l->kind != L_SLOT) {
				isel_fail(c, "internal: i64 phi temp");
				return;
			}
			struct cg_loc *pl = loc_of(c, &p->v);
			if (pl->kind != L_SLOT || !fp_copy_slot(c, p->v.type, pl->off, NULL, l->off)) {
				x86_mov_rm(&c->b, 32, EAX, slot_mem(l->off));
				x86_mov_rm(&c->b, 32, EDX, slot_mem(l->off + 4));
				store_pair(c, &p->v, EAX, EDX);
			}
		} else if (w == 0) {
			struct cg_loc *tl = &c->loc[t];
			if (tl->kind != L_SLOT) {
				cg_fail(c, p, "internal: aggregate phi temp");
				return;
			}
			if (!agg_copy_from(c, p, *loc_of(c, &p->v), slot_mem(tl->off)))
				return;
		} else {
			struct cg_loc *tl = &c->loc[t], *pl = loc_of(c, &p->v);
			if (pl->kind == L_SLOT && tl->kind == L_REG) {
				x86_mov_mr(&c->b, 32, slot_mem(pl->off), tl->reg);
			} else {
				int r = dest_reg(c, &p->v);
				load_vreg(c, r, t);
				store_result(c, &p->v, r);
			}
		}
	}
}

/* The jump tables of the switches emitted (emit_switch), after the code:
 * one code address per value of the range, relocated.  Sandboxed, every
 * byte of the image must decode, so an entry is an instruction that
 * holds the address: `mov eax, target` (B8 imm32) and a 3-byte NOP, 8
 * bytes, four to a bundle -- never run, and harmless if a masked jump
 * lands there. */
void jump_tables(struct codegen *c)
{
	x86_buf *b = &c->b;
	uint32_t es = c->sandbox ? 8 : 4;
	for (uint32_t t = 0; t < c->nswitch; t++) {
		while (b->len & (es - 1))
			c->sandbox ? x86_nops(b, 1) : x86_int3(b);
		struct cg_jt *jt = &c->jt[t];
		struct ir_inst *sw = jt->sw;
		uint32_t w = cg_type_bits(ir_op(sw, 0)->type);
		x86_patch32(b, jt->at, b->len + (c->sandbox ? 1 : 0) - (uint32_t)(jt->bias * es));
		cg_reloc(c, JIT_R_CODE, false, 0, jt->at);
		struct ir_block *def = ir_as_block(ir_op(sw, 1));
		for (uint32_t i = 0; i < jt->n; i++) {
			struct ir_block *d = def;
			uint32_t ncase = (sw->nops - 2) / 2;
			cg_fuel(c, 1 + ncase);
			for (uint32_t k = 0; k < ncase; k++) {
				uint64_t cv;
				known_const(c, ir_op(sw, 2 + 2 * k), &cv);
				if ((int64_t)(uint32_t)extend_const(cv, w, false) == jt->lo + (int64_t)i)
					d = ir_as_block(ir_op(sw, 3 + 2 * k));
			}
			if (c->sandbox) {
				uint32_t at = x86_mov_ri32_reloc(b, EAX, (uint32_t)c->blab[d->index].pos);
				cg_reloc(c, JIT_R_CODE, false, 0, at);
				x86_nops(b, 3);
				continue;
			}
			cg_reloc(c, JIT_R_CODE, false, 0, b->len);
			x86_u32(b, (uint32_t)c->blab[d->index].pos);
		}
	}
}
