/* servers/jit/cg/rega.c: register allocation by linear scan (tier >= 1).
 *
 * Linear scan over EBX, ESI, EDI and, in functions with a fixed frame
 * (ESP-relative slots), EBP — the callee-saved registers: calls and the
 * scratch registers EAX/ECX/EDX of instruction selection never clobber
 * them (scratch.c adds ECX and EDX at tier 3).  Two intervals share a
 * register when their ranges do not meet, or meet only where one is
 * copied into the other (ranges.c).  When no register is free the
 * interval with the lowest loop-weighted use density is spilled.
 * cg_regalloc is the pipeline: the frame's base (EBP is free when the
 * frame is addressed from ESP), liveness and the phi scheme (live.c),
 * loop depths, intervals (ranges.c), the candidates and their spill
 * costs, the XMM class's scan (float/double values in XMM1..XMM6, its
 * candidates chosen by xmm.c), the scan, then phi webs sharing slots
 * (slots.c) and the pool of the loops' FP constants (xmm.c).
 *
 * requires: opt.c's flags and reachability, c->phitmp
 * provides: c->loc[v] = L_REG or L_XMM for the values given a register
 *           (the others L_NONE: stack.c gives them slots), F_PHIDIRECT,
 *           c->xclob, c->fpk,
 *           c->espf, c->srep, c->bdepth, c->nsaved/saved/ebp_used, c->ra and
 *           c->kinst for the second round (scratch.c) */
#include <string.h>
#include "servers/jit/cg/live.h"

/* Register hints.  A value copied from another (a phi from its
 * temporary or, written directly, from its incoming values; a temporary
 * from the incoming values), or copied into a phi, prefers that value's
 * register: the copy then disappears.  (Preferring the register of a
 * dying first operand, for two-address forms, measured worse overall.)  A copy's
 * destination may even take its source's register at the very point the
 * source dies, where the two intervals touch (the copy reads and writes
 * there): they hold the same value.  Returns the register index, or -1. */
static int reg_hint(struct codegen *c, struct ir_inst **vi, uint32_t v, const int32_t *start,
		    const int32_t *end, const int8_t *regs, int nr, const bool *busy, uint32_t *active,
		    uint8_t kind)
{
	struct ir_func *f = c->f;
	struct ir_inst *in = vi[v];
	uint32_t cand[8];
	bool copy[8];
	uint32_t n = 0;
	if (!in)
		return -1;
	bool temp = v >= f->nvalues;
	if (in->op == IR_OP_PHI && !temp && !(c->fl[v] & F_PHIDIRECT)) {
		cand[n] = c->phitmp[v];
		copy[n++] = true;
	} else if (in->op == IR_OP_PHI) {
		/* the XMM class: a temporary is copied into its phi at the
		 * block head; the phi, starting there too, may come first */
		if (kind == L_XMM && temp) {
			cand[n] = in->v.id;
			copy[n++] = true;
		}
		for (uint32_t i = 0; i < in->nops && n < 8; i += 2) {
			struct ir_value *x = cg_canon(c, ir_op(in, i));
			if (cg_is_var(x) && x->id != v) {
				cand[n] = x->id;
				copy[n++] = true;
			}
		}
	} else {
		/* the phis it is copied into, those of deeper loops first (a
		 * loop's back edge runs more often than its exit) */
		uint8_t dep[8];
		for (struct ir_use *u = in->v.uses; u && n < 8; u = u->next)
			if (u->user && u->user->op == IR_OP_PHI && !(c->fl[u->user->v.id] & (F_DEAD | F_CONST | F_ALIAS))) {
				uint8_t d = c->bdepth ? c->bdepth[u->user->parent->index] : 0;
				uint32_t j = n++;
				for (; j > 0 && dep[j - 1] < d; j--) {
					cand[j] = cand[j - 1];
					copy[j] = copy[j - 1];
					dep[j] = dep[j - 1];
				}
				cand[j] = cg_phi_dst(c, u->user);
				copy[j] = false;
				dep[j] = d;
			}
		/* the XMM class: the phis themselves after them (a phi
		 * temporary starts later, at the copies; the phi already has
		 * its register, the accumulator's) */
		for (uint32_t h = 0, m = n; kind == L_XMM && h < m && n < 8; h++) {
			struct ir_inst *p = vi[cand[h]];
			if (p && p->op == IR_OP_PHI && cand[h] != p->v.id) {
				cand[n] = p->v.id;
				copy[n++] = false;
			}
		}
	}
	/* SSE forms are two-address (xmm.c's class): an FP result prefers
	 * the register of its first operand, which may die there, or of
	 * fadd's or fmul's second */
	if (kind == L_XMM && !temp && in->op != IR_OP_PHI && in->nops > 0 &&
	    (in->op != IR_OP_CALL || in->nops > 1)) {
		uint32_t first = in->op == IR_OP_CALL ? 1 : 0;
		uint32_t nop = in->op == IR_OP_FADD || in->op == IR_OP_FMUL ? 2 : 1;
		for (uint32_t i = first; i < first + nop && n < 8; i++) {
			struct ir_value *x = cg_canon(c, ir_op(in, i));
			if (cg_is_var(x) && x->id < c->nv) {
				cand[n] = x->id;
				copy[n++] = false;
			}
		}
	}
	/* a value only passed in ECX/EDX to a module function (conv.c)
	 * wants to be computed there */
	struct ir_inst *u = !temp && in->op != IR_OP_PHI && in->v.nuses == 1 ? in->v.uses->user : NULL;
	struct ir_func *callee = u && u->op == IR_OP_CALL ? ir_call_target(u) : NULL;
	uint32_t ai = u ? in->v.uses->index : 0;
	if (kind == L_REG && callee && ai >= 1 && ai <= c->regp[callee->v.id])
		for (int r = 0; r < nr; r++)
			if (regs[r] == (ai == 1 ? X_ECX : X_EDX) && !busy[r])
				return r;
	for (uint32_t h = 0; h < n; h++) {
		uint32_t x = cand[h];
		if (x >= c->nv || c->loc[x].kind != kind)
			continue;
		for (int r = 0; r < nr; r++) {
			if (regs[r] != c->loc[x].reg)
				continue;
			if (!busy[r])
				return r;
			if (copy[h] && active[r] == x && end[x] == start[v])
				return r;
		}
	}
	return -1;
}

/* v is stored or compared as a byte (directly, or through the
 * truncation to i8 that aliases it): its register should have a byte
 * form (EBX, ECX, EDX), else each of those copies it into EAX first
 * (isel_mem.c emit_store, isel_cmp.c). */
static bool stored_as_byte(struct codegen *c, struct ir_value *v, int depth)
{
	bool byte = cg_type_bits(v->type) == 8;
	for (struct ir_use *u = v->uses; u; u = u->next) {
		struct ir_inst *x = u->user;
		if (!x || (c->fl[x->v.id] & F_DEAD))
			continue;
		if (byte && ((x->op == IR_OP_STORE && u->index == 0) || x->op == IR_OP_ICMP))
			return true;
		if (depth < 2 && x->op == IR_OP_TRUNC && (c->fl[x->v.id] & F_ALIAS) &&
		    stored_as_byte(c, &x->v, depth + 1))
			return true;
	}
	return false;
}

/* Linear scan of the candidates over regs.  ECX and EDX (second round)
 * may hold a value only where no instruction's code writes them
 * (range_free).  In order of preference a value takes: its hint's
 * register; a callee-saved register already in use (saved anyway);
 * ECX/EDX; a callee-saved register not yet used.  kind: L_REG, or
 * L_XMM for the XMM class (xmm.c: its own candidates, no scratch
 * registers among regs). */
static bool linear_scan(struct codegen *c, const int8_t *regs, int nr, const struct cg_loc *keep,
			uint8_t kind)
{
	struct cg_ra *ra = c->ra;
	struct ir_arena *a = c->a;
	const struct live_ranges *rl = &ra->rl;
	const int32_t *start = ra->start, *end = ra->end;
	uint32_t n = ra->n;
	/* per register, the intervals given it that may still meet later
	 * ones (hull not yet ended) */
	uint32_t *given[6], ng[6] = { 0 };
	bool used[6] = { false }, scratch[6];
	int32_t held[6];
	for (int r = 0; r < nr; r++) {
		if (!(given[r] = ir_arena_alloc(a, 4ull * n + 4, 4)))
			return false;
		held[r] = INT32_MIN;
		scratch[r] = kind == L_REG && (regs[r] == X_ECX || regs[r] == X_EDX);
	}
	for (uint32_t i = 0; i < n; i++)
		c->loc[ra->order[i]].kind = L_NONE;
	for (uint32_t i = 0; i < n; i++) {
		uint32_t v = ra->order[i];
		bool busy[6] = { false }, blocked[6] = { false };
		if (ra->stay[v])
			continue;
		if (keep && keep[v].kind == L_REG) {
			/* a register of the first round: kept */
			for (int r = 0; r < nr; r++)
				if (regs[r] == keep[v].reg) {
					given[r][ng[r]++] = v;
					c->loc[v] = keep[v];
				}
			continue;
		}
		uint32_t conf1[6]; /* the one interval v meets on r, else none */
		cg_fuel(c, 1);
		for (int r = 0; r < nr; r++) {
			uint32_t k = 0, nc = 0;
			conf1[r] = VREG_NONE;
			cg_fuel(c, ng[r]);
			for (uint32_t g = 0; g < ng[r]; g++) {
				uint32_t x = given[r][g];
				if (end[x] < start[v])
					continue;
				given[r][k++] = x;
				if (interfere(c, ra->vi, rl, x, v)) {
					nc++;
					conf1[r] = x;
				}
			}
			ng[r] = k;
			blocked[r] = (scratch[r] && !range_free(c, v, regs[r])) || (keep && !scratch[r]);
			busy[r] = nc > 0 || blocked[r];
			if (nc != 1 || blocked[r])
				conf1[r] = VREG_NONE;
		}
		int pick = reg_hint(c, ra->vi, v, start, end, regs, nr, busy, conf1, kind);
		if (pick >= 0 && busy[pick])
			/* taken from a copy source dying at v's start: that value
			 * is still read there, so the register may not be given to
			 * another value starting at the same point */
			held[pick] = end[conf1[pick]];
		/* ECX/EDX can cost a move per definition (dest_reg() in emit.c, for
		 * operations without a direct form), a callee-saved register a
		 * push and pop per call: values used in loops prefer the
		 * latter */
		bool loop = ra->weight[v] >= 8;
		/* an FP subtraction or division computed in its second
		 * operand's register costs a detour through XMM0: avoided
		 * while another register is free */
		int avoid = -1;
		struct ir_inst *vin = ra->vi[v];
		if (kind == L_XMM && vin && v < c->f->nvalues &&
		    (vin->op == IR_OP_FSUB || vin->op == IR_OP_FDIV)) {
			struct ir_value *y = cg_canon(c, ir_op(vin, 1));
			if (cg_is_var(y) && c->loc[y->id].kind == L_XMM)
				avoid = c->loc[y->id].reg;
		}
		/* a value stored as a byte: first among the registers with a
		 * byte form, in the same order of preference */
		bool bytes = kind == L_REG && vin && v < c->f->nvalues && stored_as_byte(c, &vin->v, 0);
		for (int pass = bytes ? 0 : 6; pass < 12 && pick < 0; pass++)
			for (int r = 0; r < nr && pick < 0; r++)
				if (!busy[r] && (pass % 6 >= 3 || regs[r] != avoid) && (pass >= 6 || regs[r] < 4) &&
				    (pass % 3 == 0 ? !scratch[r] && used[r] : pass % 3 == 1 ? scratch[r] != loop : true))
					pick = r;
		if (pick < 0) {
			/* spill: either v or, on one register, everything v meets
			 * there, when all of that is cheaper than v (lower dens,
			 * ties to intervals ending after v); of the
			 * registers, the one whose dearest interval is cheapest */
			int worst = -1;
			double wbest = 0, wv = ra->dens[v];
			for (int r = 0; r < nr; r++) {
				if (held[r] >= start[v] || blocked[r])
					continue;
				bool ok = true;
				double wr = 0;
				for (uint32_t g = 0; g < ng[r] && ok; g++) {
					uint32_t x = given[r][g];
					if (!interfere(c, ra->vi, rl, x, v))
						continue;
					double wx = ra->dens[x];
					ok = wx < wv || (wx == wv && end[x] > end[v]);
					if (wx > wr)
						wr = wx;
				}
				if (ok && (worst < 0 || wr < wbest)) {
					worst = r;
					wbest = wr;
				}
			}
			c->o->spills++;
			if (worst < 0)
				continue;
			uint32_t k = 0;
			for (uint32_t g = 0; g < ng[worst]; g++) {
				uint32_t x = given[worst][g];
				if (interfere(c, ra->vi, rl, x, v))
					c->loc[x].kind = L_NONE;
				else
					given[worst][k++] = x;
			}
			ng[worst] = k;
			pick = worst;
		}
		given[pick][ng[pick]++] = v;
		used[pick] = true;
		c->loc[v].kind = kind;
		c->loc[v].reg = regs[pick];
	}
	return true;
}

/* A phi in a register whose uses are mostly copies into phis that live
 * in slots costs a store on each of those edges; in a slot of its own
 * web (coalesce_slots then shares it) those copies vanish.  The price: a
 * load for each other use, and a store for each copy into it whose
 * source held the same register (that copy was free).  Weights: 8 per
 * loop level of the block, an incoming edge's divided among the
 * block's predecessors (the edges of a merge are not all taken).  This
 * is the case of a state machine whose loop phis spilled, its counters
 * carried through the merge phi of a switch.  True when any was spilled
 * (then allocate again: the registers they held are free). */
static bool spill_phi_links(struct codegen *c)
{
	struct ir_func *f = c->f;
	bool any = false;
	if (!c->bdepth)
		return false;
	for (int round = 0; round < 4; round++) {
		bool changed = false;
		for (uint32_t bi = 0; bi < f->nblocks; bi++) {
			if (!c->reach[bi])
				continue;
			for (struct ir_inst *y = f->blocks[bi]->first; y && y->op == IR_OP_PHI; y = y->next) {
				struct cg_loc *yl = &c->loc[y->v.id];
				if (!live_phi(c, y) || yl->kind != L_REG || !y->v.uses)
					continue;
				double gain = 0, loss = 0;
				bool ok = true;
				cg_fuel(c, 1ull + y->v.nuses + y->nops);
				for (struct ir_use *u = y->v.uses; u && ok; u = u->next) {
					struct ir_inst *p = u->user;
					ok = p && p != y && !(c->fl[p->v.id] & F_ALIAS);
					if (!ok)
						break;
					if (p->op != IR_OP_PHI) {
						loss += cg_loop_weight(c, p->parent->index);
						continue;
					}
					struct ir_block *pred = (u->index & 1) == 0 ? ir_as_block(ir_op(p, u->index + 1)) : NULL;
					ok = pred && live_phi(c, p) && c->loc[cg_phi_dst(c, p)].kind != L_REG;
					if (ok)
						gain += cg_loop_weight(c, pred->index);
				}
				uint32_t npred = y->nops / 2;
				for (uint32_t i = 0; ok && i + 1 < y->nops; i += 2) {
					struct ir_value *v = cg_canon(c, ir_op(y, i));
					struct ir_block *pred = ir_as_block(ir_op(y, i + 1));
					if (pred && cg_is_var(v) && c->loc[v->id].kind == L_REG &&
					    c->loc[v->id].reg == yl->reg)
						loss += (double)cg_loop_weight(c, pred->index) / npred;
				}
				if (ok && gain > loss) {
					yl->kind = L_NONE;
					c->ra->stay[y->v.id] = 1;
					changed = any = true;
				}
			}
		}
		if (!changed)
			break;
	}
	return any;
}

/* The callee-saved registers the allocation uses: the prologue saves
 * them (EBP, when allocated, is saved by the prologue itself). */
static void set_saved(struct codegen *c)
{
	static const int8_t cs[3] = { X_EBX, X_ESI, X_EDI };
	bool used[8] = { false };
	for (uint32_t i = 0; i < c->ra->n; i++) {
		struct cg_loc *l = &c->loc[c->ra->order[i]];
		if (l->kind == L_REG)
			used[l->reg & 7] = true;
	}
	c->ebp_used = used[X_EBP];
	c->nsaved = 0;
	for (int r = 0; r < 3; r++)
		if (used[cs[r]])
			c->saved[c->nsaved++] = (uint8_t)cs[r];
}

/* u, the one user of call `in`, reads it as an operand the code can take
 * from EAX (arithmetic, a compare), within a few instructions none of
 * which is a call or a fused user (see the retd comment in
 * cg_regalloc). */
static bool soon_in_eax(struct codegen *c, struct ir_inst *in, struct ir_inst *u)
{
	switch (u->op) {
	case IR_OP_ADD: case IR_OP_SUB: case IR_OP_AND: case IR_OP_OR: case IR_OP_XOR:
	case IR_OP_MUL: case IR_OP_ICMP:
		break;
	default:
		return false;
	}
	if (u->parent != in->parent || (c->fl[u->v.id] & (F_DEAD | F_FUSED | F_ALIAS | F_CONST)) ||
	    cg_type_bits(u->v.type) > 32)
		return false;
	int n = 0;
	for (struct ir_inst *x = in->next; x != u; x = x->next)
		if (!x || ++n > 3 || x->op == IR_OP_CALL)
			return false;
	return true;
}

/* A fixed frame (no dynamic allocas, no stack save/restore) is
 * addressed from ESP at tier >= 1, freeing EBP for allocation. */
static bool fixed_frame(struct codegen *c)
{
	struct ir_func *f = c->f;
	bool espf = c->tier > 0;
	for (uint32_t bi = 0; bi < f->nblocks && espf; bi++)
		for (struct ir_inst *in = f->blocks[bi]->first; in; in = in->next) {
			if (in->op == IR_OP_ALLOCA && !(c->fl[in->v.id] & (F_STATIC | F_PROMOTED | F_DEAD)))
				espf = false;
			struct ir_func *t = ir_call_target(in);
			if (t && ir_intrinsic_stack(t->intrinsic))
				espf = false;
		}
	return espf;
}

/* Loop depth: the number of back edges (in layout order) spanning each
 * block. */
static void loop_depth(struct liveness *l)
{
	struct codegen *c = l->c;
	struct ir_func *f = c->f;
	for (uint32_t xi = 0; xi < f->nblocks; xi++) {
		if (!c->reach[xi])
			continue;
		uint32_t ns = succs(c, f->blocks[xi], l->succ);
		for (uint32_t s = 0; s < ns; s++) {
			uint32_t si = l->succ[s]->index;
			if (si <= xi)
				cg_fuel(c, xi - si + 1);
			if (si <= xi)
				for (uint32_t b = si; b <= xi; b++)
					l->depth[b]++;
		}
	}
}

/* The values computed in EAX, which get no register: a value returned by the very next instruction gets no register: it
 * is computed in EAX, where the return wants it (its slot store is
 * then dead and the reload elided, see emit.c); so does a call's
 * result (in EAX) whose only use is the value a store right after it
 * stores (emit_store takes it from EAX), or an operand of arithmetic
 * or a compare shortly after it: the code reads it from EAX while no
 * instruction in between wrote EAX (emit.c load_vreg, operand_of), else from
 * its slot */
static uint32_t *values_in_eax(struct codegen *c, uint32_t W)
{
	struct ir_func *f = c->f;
	uint32_t *retd = ir_arena_alloc(c->a, 4ull * W + 4, 4);
	if (!retd)
		return NULL;
	memset(retd, 0, 4ull * W + 4);
	for (uint32_t bi = 0; bi < f->nblocks; bi++)
		for (struct ir_inst *in = f->blocks[bi]->first; c->reach[bi] && in; in = in->next) {
			cg_fuel(c, 1);
			struct ir_inst *u = in->v.nuses == 1 ? in->v.uses->user : NULL;
			if (!u || in->op == IR_OP_PHI)
				continue;
			struct ir_func *t = ir_call_target(in);
			bool call = in->op == IR_OP_CALL && (!t || !t->intrinsic) &&
				    cg_type_bits(in->v.type) == 32;
			if (u == in->next && ((u->op == IR_OP_RET && u->nops == 1) ||
			    (call && u->op == IR_OP_STORE && in->v.uses->index == 0)))
				set_add(retd, in->v.id);
			else if (call && soon_in_eax(c, in, u))
				set_add(retd, in->v.id);
		}
	return retd;
}

/* The vregs that may get a register (live somewhere, emitted, not
 * computed in EAX) into order; their number. */
static uint32_t candidates(struct liveness *l, const uint32_t *in_eax, uint32_t *order)
{
	struct codegen *c = l->c;
	uint32_t n = 0;
	for (uint32_t v = 0; v < c->nv; v++)
		if (l->start[v] <= l->end[v] && eligible(c, v) && !set_has(in_eax, v))
			order[n++] = v;
	return n;
}

/* The type of every vreg (an alloca promoted to a variable: its
 * allocated type; a static alloca or a byval argument: none). */
static struct ir_type **vreg_types(struct codegen *c)
{
	struct ir_func *f = c->f;
	uint32_t nv = c->nv;
	struct ir_type **ty = ir_arena_alloc(c->a, sizeof(void *) * (nv + 1), sizeof(void *));
	if (!ty)
		return NULL;
	for (uint32_t i = 0; i < f->nparams; i++)
		ty[f->params[i].v.id] = (f->params[i].attrs.flags & IR_ATTR_BYVAL) ? NULL :
			f->params[i].v.type;
	for (uint32_t bi = 0; bi < f->nblocks; bi++)
		for (struct ir_inst *in = f->blocks[bi]->first; in; in = in->next) {
			ty[in->v.id] = in->op == IR_OP_ALLOCA && (c->fl[in->v.id] & F_PROMOTED) ?
				in->alloc_type : in->v.type;
			if (in->op == IR_OP_ALLOCA && (c->fl[in->v.id] & F_STATIC) &&
			    !(c->fl[in->v.id] & F_PROMOTED))
				ty[in->v.id] = NULL;
			if (in->op == IR_OP_PHI && c->phitmp[in->v.id] >= f->nvalues && c->phitmp[in->v.id] < nv)
				ty[c->phitmp[in->v.id]] = in->v.type;
		}
	return ty;
}

/* order[0..n) sorted by the start of their intervals (shell sort). */
static void by_start(struct liveness *l, uint32_t *order, uint32_t n)
{
	for (uint32_t gap = n / 2; gap > 0; gap /= 2)
		for (uint32_t i = gap; i < n; i++) {
			uint32_t x = order[i];
			uint32_t j = i;
			while (j >= gap && l->start[order[j - gap]] > l->start[x]) {
				order[j] = order[j - gap];
				j -= gap;
			}
			order[j] = x;
		}
}

/* Of the candidates, the 32-bit containers, sorted by the start of their
 * interval; their number. */
static uint32_t scalars_by_start(struct liveness *l, uint32_t *order, uint32_t n,
				 struct ir_type **ty)
{
	uint32_t m = 0;
	for (uint32_t i = 0; i < n; i++) {
		struct ir_type *t = ty[order[i]];
		uint32_t w = t ? cg_type_bits(t) : 0;
		if (w && w <= 32)
			order[m++] = order[i];
	}
	by_start(l, order, m);
	return m;
}

/* The XMM class (xmm.c): the candidates that may live in XMM1..XMM6
 * leave order (its new length returned) and get those registers by a
 * linear scan of their own; c->xclob stays only when some value got
 * one.  XMM0 and XMM7 are instruction selection's scratch. */
static uint32_t xmm_scan(struct liveness *l, uint32_t *order, uint32_t n, struct ir_type **ty)
{
	static const int8_t xregs[6] = { 1, 2, 3, 4, 5, 6 };
	struct codegen *c = l->c;
	struct cg_ra *ra = c->ra;
	uint32_t *xo = ir_arena_alloc(c->a, 4ull * n + 4, 4), nx = 0, m = 0;
	if (!xo || !xmm_clobber_map(c)) {
		c->xclob = NULL;
		return n;
	}
	for (uint32_t i = 0; i < n; i++) {
		uint32_t v = order[i];
		if (xmm_candidate(c, v, ty[v]))
			xo[nx++] = v;
		else
			order[m++] = v;
	}
	bool any = false;
	if (nx) {
		by_start(l, xo, nx);
		ra->order = xo;
		ra->n = nx;
		if (linear_scan(c, xregs, 6, NULL, L_XMM))
			for (uint32_t i = 0; i < nx; i++)
				any |= c->loc[xo[i]].kind == L_XMM;
	}
	if (!any)
		c->xclob = NULL;
	return m;
}

/* id -> instruction, phi temporary -> its phi (register hints). */
static struct ir_inst **vreg_insts(struct codegen *c)
{
	struct ir_func *f = c->f;
	uint32_t nv = c->nv;
	struct ir_inst **vi = ir_arena_alloc(c->a, sizeof(void *) * (nv + 1), sizeof(void *));
	if (!vi)
		return NULL;
	memset(vi, 0, sizeof(void *) * (nv + 1));
	for (uint32_t bi = 0; bi < f->nblocks; bi++)
		for (struct ir_inst *in = f->blocks[bi]->first; in; in = in->next) {
			vi[in->v.id] = in;
			if (in->op == IR_OP_PHI && c->phitmp[in->v.id] >= f->nvalues && c->phitmp[in->v.id] < nv)
				vi[c->phitmp[in->v.id]] = in;
		}
	return vi;
}

/* c->kinst: layout index -> instruction id (k instructions). */
static bool layout_index(struct codegen *c, uint32_t k)
{
	struct ir_func *f = c->f;
	c->nk = k;
	c->kinst = ir_arena_alloc(c->a, 4ull * k + 4, 4);
	if (!c->kinst)
		return false;
	k = 0;
	for (uint32_t bi = 0; bi < f->nblocks; bi++)
		for (struct ir_inst *in = f->blocks[bi]->first; in; in = in->next)
			c->kinst[k++] = in->v.id;
	return true;
}

/* c->ra: the intervals and candidates, with their spill costs: weight
 * per square root of the hull's length, kept squared (the same order,
 * no square root): a long interval blocks a register for more values,
 * but not in proportion to its length — a loop's counter is read all
 * over its body. */
static struct cg_ra *spill_costs(struct liveness *l, const struct live_ranges *rl,
				 struct ir_inst **vi, uint32_t *order, uint32_t n)
{
	struct codegen *c = l->c;
	struct cg_ra *ra = ir_arena_alloc(c->a, sizeof *ra, 8);
	double *dens = ir_arena_alloc(c->a, sizeof(double) * (c->nv + 1), 8);
	if (!ra || !dens)
		return NULL;
	for (uint32_t i = 0; i < n; i++) {
		double w = (double)l->weight[order[i]];
		dens[order[i]] = w * w / (double)(l->end[order[i]] - l->start[order[i]] + 1);
	}
	ra->rl = *rl;
	ra->vi = vi;
	ra->dens = dens;
	ra->weight = l->weight;
	ra->start = l->start;
	ra->end = l->end;
	ra->order = order;
	ra->n = n;
	return c->ra = ra;
}

/* c->bdepth: loop depths capped at 3 (code size and spill weights);
 * NULL when out of memory. */
static uint8_t *block_depths(struct liveness *l)
{
	struct ir_func *f = l->c->f;
	uint8_t *bd = ir_arena_alloc(l->c->a, f->nblocks + 1, 1);
	for (uint32_t bi = 0; bd && bi < f->nblocks; bi++)
		bd[bi] = (uint8_t)(l->depth[bi] > 3 ? 3 : l->depth[bi]);
	return bd;
}

bool allocate(struct codegen *c, const int8_t *regs, int nr, const struct cg_loc *keep)
{
	for (int round = 0; round < 3; round++)
		if (!linear_scan(c, regs, nr, keep, L_REG))
			return false;
		else if (!spill_phi_links(c))
			break;
	set_saved(c);
	return true;
}

int cg_regalloc(struct codegen *c)
{
	static const int8_t regs[4] = { X_EBX, X_ESI, X_EDI, X_EBP };
	struct liveness l;
	struct live_ranges rl;
	uint32_t *order, *in_eax, n;
	struct ir_type **ty;
	struct ir_inst **vi;
	struct cg_ra *ra;
	c->espf = fixed_frame(c);
	cg_fuel(c, 8ull * c->nv);      /* the linear walks over the vregs */
	if (!live_init(c, &l))
		return 0;       /* too big: everything stays in slots */
	if (!(order = ir_arena_alloc(c->a, 4ull * c->nv + 4, 4)))
		return 0;
	live_sets(&l);
	choose_direct(&l);
	live_sets(&l);
	loop_depth(&l);
	if (!build_intervals(&l, &rl) || !(in_eax = values_in_eax(c, l.W)))
		return 0;
	n = candidates(&l, in_eax, order);
	if (!(ty = vreg_types(c)))
		return 0;
	c->kpos = l.pos;
	if (!(vi = vreg_insts(c)) || !layout_index(c, l.npos) ||
	    !(ra = spill_costs(&l, &rl, vi, order, n)))
		return 0;
	c->bdepth = block_depths(&l);
	if (!(ra->stay = ir_arena_alloc(c->a, c->nv + 1, 1)))
		return 0;
	memset(ra->stay, 0, c->nv + 1);
	n = xmm_scan(&l, order, n, ty);
	ra->order = order;
	ra->n = scalars_by_start(&l, order, n, ty);
	if (!allocate(c, regs, c->espf ? 4 : 3, NULL))
		return 0;
	coalesce_slots(&l, ty);
	xmm_pool(c);
	return 0;
}
