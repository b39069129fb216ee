/* servers/jit/cg/frame.c: the frame — the prologue (EBP or an ESP
 * frame, the callee-saved registers the allocation used, the frame's
 * size, parameters arriving in ECX/EDX, the call counter, the start of
 * the cycle count), the epilogue, the shared exit of tier 0, early
 * returns before the prologue (fast_exit), and stack probes.
 *
 * Stack probes.  A module's stack grows down towards an unmapped guard
 * page; one allocation bigger than a page could step over it and the
 * code would then write into whatever lies below.  So every allocation
 * of a page or more (a frame, a dynamic alloca, a large byval copy)
 * moves ESP down one page at a time and writes to each page
 * (`or dword [esp], 0`, as gcc's -fstack-clash-protection and Windows'
 * __chkstk do) before going further, from the top down: the first page
 * not mapped faults.  What is left, less than a page, needs no probe:
 * the next push or call writes within a page of the last probe.
 *
 * requires: locations and the frame's size (stack.c), the saved
 *           registers (rega.c c->nsaved), c->espf, c->noframe (dead.c)
 * provides: prologue, epilogue, function_exit, fast_exit, stack_alloc,
 *           stack_alloc_eax */
#include <string.h>
#include "servers/jit/cg/isel.h"

/* Frees the frame, restores the saved registers and returns (the value
 * is in EAX / EDX:EAX).  Emitted once at the end of the function, and at
 * tier >= 1 in place of the jump to it at every return. */
void epilogue(struct codegen *c)
{
	x86_buf *b = &c->b;
	bool espf = b->espf;
	int32_t depth = b->depth; /* the pops count as stack motion */
	b->espf = false;
	if (espf) {
		if (c->epi_sub)
			x86_alu_ri(b, X_ADD, 32, ESP, c->epi_sub);
		for (int i = c->nsaved; i-- > 0;)
			x86_pop_r(b, c->saved[i]);
	} else if (c->nsaved) {
		x86_lea(b, ESP, x86_m(EBP, -4 * c->nsaved));
		for (int i = c->nsaved; i-- > 0;)
			x86_pop_r(b, c->saved[i]);
	} else {
		x86_mov_rr(b, 32, ESP, EBP);
	}
	if (!c->epi_keep_ebp)
		x86_pop_r(b, EBP);
	if (c->f->nparams && (c->f->params[0].attrs.flags & IR_ATTR_SRET))
		x86_ret_i(b, 4); /* i386 SysV: the callee pops the sret pointer */
	else
		x86_ret(b);
	b->espf = espf;
	b->depth = depth;
}

/* Where 32-bit parameter v is at entry, before any push: ECX/EDX for
 * the register convention's parameters (conv.c), else [esp + offset].
 * False for other parameters. */
static bool entry_arg(struct codegen *c, struct ir_value *v, struct operand *o)
{
	struct ir_func *f = c->f;
	uint32_t nreg = c->regp[f->v.id];
	int32_t off = 4;
	for (uint32_t j = 0; j < f->nparams; j++) {
		const struct ir_arg *pj = &f->params[j];
		uint32_t w = cg_type_bits(pj->v.type);
		if (j < nreg) {
			if (&pj->v == v) {
				o->k = O_REG;
				o->r = j == 0 ? X_ECX : X_EDX;
				return true;
			}
			continue;
		}
		if ((pj->attrs.flags & (IR_ATTR_BYVAL | IR_ATTR_SRET | IR_ATTR_INREG)) || w == 0 || w > 64)
			return false;
		if (&pj->v == v) {
			o->k = O_MEM;
			o->m = x86_m(ESP, off);
			return w == 32;
		}
		off += w > 32 ? 8 : 4;
	}
	return false;
}

/* add, sub, or, xor, and, mul: what an early-return block may compute */
static bool exit_arith(enum ir_opcode op)
{
	return op == IR_OP_ADD || op == IR_OP_SUB || op == IR_OP_OR || op == IR_OP_XOR ||
		op == IR_OP_AND || op == IR_OP_MUL;
}

/* What v is when block r is entered from `from`, as a constant (*k) or
 * a 32-bit argument (*arg): through r's phis and through add, sub, or,
 * xor, and, mul of r whose other operand makes them the identity or
 * which fold.  False when it is anything else. */
static bool exit_value(struct codegen *c, struct ir_block *r, struct ir_block *from, struct ir_value *v,
		       uint64_t *k, struct ir_value **arg, int depth)
{
	/* the width of the value as the IR has it: canonicalization goes
	 * through truncations to the wider value they alias */
	struct cg_const kc;
	*arg = NULL;
	if (depth > 8 || cg_type_bits(v->type) != 32 || ir_type_is_fp(v->type))
		return false; /* a float returns in ST0, not EAX */
	v = cg_canon(c, v);
	if (cg_type_bits(v->type) != 32)
		return false;
	if (known_const(c, v, k))
		return true;
	if (!cg_is_var(v)) {
		if (!cg_const(c, v, &kc) || kc.rk != RK_NONE)
			return false;
		*k = kc.v;
		return true;
	}
	if (v->kind == IR_VAL_ARG) {
		*arg = v;
		return entry_arg(c, v, &(struct operand){ 0 });
	}
	struct ir_inst *in = ir_as_inst(v);
	if (!in || in->parent != r)
		return false;
	if (in->op == IR_OP_PHI) {
		struct ir_value *x = ir_phi_incoming(in, from);
		return x && exit_value(c, r, from, x, k, arg, depth + 1);
	}
	if (!exit_arith(in->op))
		return false;
	uint64_t ka, kb;
	struct ir_value *xa, *xb;
	if (!exit_value(c, r, from, ir_op(in, 0), &ka, &xa, depth + 1) ||
	    !exit_value(c, r, from, ir_op(in, 1), &kb, &xb, depth + 1))
		return false;
	uint32_t A = (uint32_t)ka, B = (uint32_t)kb;
	if (!xa && !xb) {
		*k = in->op == IR_OP_ADD ? A + B : in->op == IR_OP_SUB ? A - B : in->op == IR_OP_OR ? (A | B) :
		     in->op == IR_OP_XOR ? (A ^ B) : in->op == IR_OP_AND ? (A & B) : A * B;
		return true;
	}
	if (xa && xb)
		return false;
	uint32_t kk = xa ? B : A;
	bool ident = kk == 0 ? in->op == IR_OP_ADD || in->op == IR_OP_OR || in->op == IR_OP_XOR ||
			       (in->op == IR_OP_SUB && xa) :
		     kk == 1 ? in->op == IR_OP_MUL : kk == 0xffffffffu && in->op == IR_OP_AND;
	*arg = xa ? xa : xb;
	return ident;
}

/* A block that only computes its return value (no memory, no calls)
 * and returns it, a constant or an argument when entered from `from`. */
static bool trivial_exit(struct codegen *c, struct ir_block *r, struct ir_block *from, bool *has,
			 uint64_t *k, struct ir_value **arg)
{
	struct ir_inst *t = r->last;
	if (!t || t->op != IR_OP_RET)
		return false;
	for (struct ir_inst *in = r->first; in != t; in = in->next) {
		if (in->op == IR_OP_PHI || (c->fl[in->v.id] & (F_DEAD | F_CONST | F_ALIAS)))
			continue;
		if (!exit_arith(in->op))
			return false;
	}
	*has = t->nops != 0;
	*arg = NULL;
	return !*has || exit_value(c, r, from, ir_op(t, 0), k, arg, 0);
}

/* Before the prologue (tier 3, no call counter): when the entry block
 * only compares a 32-bit argument with a constant and branches, one way
 * to a block that then returns a constant or an argument, that way is
 * taken without saving registers or setting up a frame: cmp [esp+a], k;
 * jcc over; mov eax, v; ret.  Past the prologue the entry block then
 * goes the other way without comparing again (emit_br, c->fast_next).
 * Recursive functions return this way at their leaves. */
void fast_exit(struct codegen *c)
{
	struct ir_func *f = c->f;
	if (c->tier < 2 || c->cycles || (c->opt->tier < JIT_MAX_TIER && !c->opt->no_counters) ||
	    !f->nblocks || !f->nparams)
		return;
	struct ir_block *e = f->blocks[0];
	struct ir_inst *cmp = NULL, *br = NULL;
	for (struct ir_inst *in = e->first; in; in = in->next) {
		if (c->fl[in->v.id] & (F_DEAD | F_CONST | F_ALIAS))
			continue;
		if (in->op == IR_OP_ICMP && !cmp && (c->fl[in->v.id] & F_FUSED))
			cmp = in;
		else if (in == e->last && in->op == IR_OP_BR && in->nops == 3)
			br = in;
		else
			return;
	}
	/* a 32-bit compare as the IR has it (a narrower one's operands
	 * canonicalize to the wider values they truncate) */
	if (!cmp || !br || cg_canon(c, ir_op(br, 0)) != &cmp->v || cg_type_bits(ir_op(cmp, 0)->type) != 32)
		return;
	struct ir_value *a = cg_canon(c, ir_op(cmp, 0)), *bv = cg_canon(c, ir_op(cmp, 1));
	uint32_t p = cmp->pred;
	uint64_t k;
	if (known_const(c, a, &k)) {
		struct ir_value *t = a;
		a = bv;
		bv = t;
		p = swap_pred(p);
	}
	if (p < IR_ICMP_EQ || p > IR_ICMP_SLE || a->kind != IR_VAL_ARG || !known_const(c, bv, &k))
		return;
	struct operand ao;
	if (!entry_arg(c, a, &ao))
		return;
	struct ir_block *t = ir_as_block(ir_op(br, 1)), *fb = ir_as_block(ir_op(br, 2));
	struct ir_value *rarg;
	uint64_t rk;
	bool has;
	int cc = pred_cc(p);
	if (t == fb || t == e || fb == e)
		return;
	struct ir_block *next = fb;
	if (!trivial_exit(c, t, e, &has, &rk, &rarg)) {
		if (!trivial_exit(c, fb, e, &has, &rk, &rarg))
			return;
		cc ^= 1;
		next = t;
	}
	if (!has && f->fn_type && f->fn_type->ret && f->fn_type->ret->kind != IR_TY_VOID)
		return;
	x86_buf *b = &c->b;
	x86_label over;
	x86_label_init(&over);
	if (ao.k == O_REG)
		x86_alu_ri(b, X_CMP, 32, ao.r, (int32_t)(uint32_t)k);
	else
		x86_alu_mi(b, X_CMP, 32, ao.m, (int32_t)(uint32_t)k);
	x86_jcc(b, cc ^ 1, &over);
	struct operand ro;
	if (has && rarg && entry_arg(c, rarg, &ro) && ro.k == O_REG)
		x86_mov_rr(b, 32, EAX, ro.r);
	else if (has && rarg)
		x86_mov_rm(b, 32, EAX, ro.m);
	else if (has)
		load_imm(c, EAX, (uint32_t)rk);
	x86_ret(b);
	x86_bind(b, &over);
	c->fast_next = next;
}

/* The prologue's part of the register convention (conv.c): parameters
 * 0 and 1 arrive in ECX and EDX; each goes to its register or frame
 * slot.  Stores first (they only read), then the register moves in an
 * order that overwrites nothing still to be read. */
static void reg_params_in(struct codegen *c)
{
	struct ir_func *f = c->f;
	uint32_t n = c->regp[f->v.id];
	int dst[2] = { -1, -1 };
	for (uint32_t i = 0; i < n; i++) {
		struct cg_loc *l = &c->loc[f->params[i].v.id];
		int src = i == 0 ? X_ECX : X_EDX;
		if (l->kind == L_REG)
			dst[i] = l->reg;
		else if (l->kind == L_SLOT)
			x86_mov_mr(&c->b, 32, slot_mem(l->off), src);
	}
	/* a destination's old content is nothing: only ECX/EDX matter */
	int d0 = dst[0], d1 = dst[1];
	if (d0 == X_EDX && d1 == X_ECX) {
		x86_xchg_rr(&c->b, X_ECX, X_EDX);
		return;
	}
	if (d0 == X_EDX) {
		if (d1 >= 0 && d1 != X_EDX)
			x86_mov_rr(&c->b, 32, d1, X_EDX);
		x86_mov_rr(&c->b, 32, X_EDX, X_ECX);
		return;
	}
	if (d0 >= 0 && d0 != X_ECX)
		x86_mov_rr(&c->b, 32, d0, X_ECX);
	if (d1 >= 0 && d1 != X_EDX)
		x86_mov_rr(&c->b, 32, d1, X_EDX);
}

/* Pages probed one after the other in line; more go in a loop. */
#define PROBE_UNROLL 8

static void probe_page(x86_buf *b)
{
	x86_alu_ri(b, X_SUB, 32, ESP, PROBE_PAGE);
	x86_alu_mi(b, X_OR, 32, x86_m(ESP, 0), 0);
}

void stack_alloc(struct codegen *c, uint32_t bytes, bool eax_free)
{
	x86_buf *b = &c->b;
	uint32_t pages = bytes / PROBE_PAGE, rest = bytes % PROBE_PAGE;
	if (pages > PROBE_UNROLL && eax_free) {
		/* mov eax, pages; 1: sub esp, 4096; or [esp], 0; dec eax; jnz 1b */
		x86_label loop;
		x86_label_init(&loop);
		x86_mov_ri(b, 32, EAX, (int32_t)pages);
		x86_bind(b, &loop);
		probe_page(b);
		x86_dec_r(b, EAX);
		x86_jcc(b, X_NE, &loop);
		b->depth += (int32_t)(PROBE_PAGE * (pages - 1)); /* ran `pages` times */
	} else {
		for (uint32_t i = 0; i < pages; i++)
			probe_page(b);
	}
	if (rest)
		x86_alu_ri(b, X_SUB, 32, ESP, (int32_t)rest);
}

void stack_alloc_eax(struct codegen *c)
{
	/* cmp eax, 4096; jb 2f; 1: sub esp, 4096; or [esp], 0;
	 * sub eax, 4096; cmp eax, 4096; jae 1b; 2: sub esp, eax */
	x86_buf *b = &c->b;
	x86_label loop, rest;
	x86_label_init(&loop);
	x86_label_init(&rest);
	x86_alu_ri(b, X_CMP, 32, EAX, PROBE_PAGE);
	x86_jcc(b, X_B, &rest);
	x86_bind(b, &loop);
	probe_page(b);
	x86_alu_ri(b, X_SUB, 32, EAX, PROBE_PAGE);
	x86_alu_ri(b, X_CMP, 32, EAX, PROBE_PAGE);
	x86_jcc(b, X_AE, &loop);
	x86_bind(b, &rest);
	x86_alu_rr(b, X_SUB, 32, ESP, EAX);
}

/* The prologue: push EBP (unless an ESP frame leaves it alone), save the
 * callee-saved registers used, allocate the frame, take the register
 * parameters in, count the call and start the cycle count. */
void prologue(struct codegen *c)
{
	struct ir_func *f = c->f;
	x86_buf *b = &c->b;
	c->held_blk = NULL; /* no XMM register holds a stored value yet (isel_fp.c) */
	int32_t frame = (c->frame + 3) & ~3;
	b->espf = false;
	/* an ESP frame that does not allocate EBP leaves it alone; the frame
	 * pseudo-register stays "where EBP would have been pushed" */
	bool keep_ebp = c->espf && !c->ebp_used;
	if (!keep_ebp)
		x86_push_r(b, EBP);
	if (!c->espf)
		x86_mov_rr(b, 32, EBP, ESP);
	for (int i = 0; i < c->nsaved; i++)
		x86_push_r(b, c->saved[i]);
	/* without the EBP push the frame takes those 4 bytes instead, so the
	 * layout relative to the frame pseudo-register is the same; code
	 * that uses no frame word (see dead.c) allocates nothing and only
	 * addresses its arguments, 4 bytes closer without the pad */
	int32_t sub = frame + (keep_ebp ? 4 : 0);
	int32_t bias = frame + 4 * c->nsaved;
	if (c->noframe && c->espf) {
		sub = 0;
		bias = 4 * c->nsaved - (keep_ebp ? 4 : 0);
	}
	if (sub >= PROBE_PAGE) {
		stack_alloc(c, (uint32_t)sub, true); /* EAX holds nothing yet */
	} else if (sub) {
		x86_raw_begin(b); /* one instruction, kept in a bundle */
		x86_u8(b, 0x81); /* sub esp, imm32 */
		x86_u8(b, 0xec);
		x86_u32(b, (uint32_t)sub);
		x86_raw_end(b);
	}
	b->espf = c->espf;
	b->bias = bias;
	c->epi_sub = sub;
	c->epi_keep_ebp = keep_ebp;
	b->depth = 0;
	/* parameters in ECX/EDX (conv.c), before rdtsc takes EDX */
	reg_params_in(c);
	if (c->opt->tier < JIT_MAX_TIER && !c->opt->no_counters) {
		x86_raw_begin(b);
		x86_u8(b, 0xff); /* inc dword [counter] */
		x86_u8(b, 0x05);
		x86_u32(b, c->o->funcs[f->v.id].counter_off);
		x86_raw_end(b);
		cg_reloc(c, JIT_R_DATA, false, 0, b->len - 4);
	}
	if (c->cycles) {
		/* tier 0: start time; EAX/EDX hold nothing at entry (cdecl,
		 * arguments on the stack) */
		x86_raw_begin(b);
		x86_u8(b, 0x0f); /* rdtsc */
		x86_u8(b, 0x31);
		x86_raw_end(b);
		x86_mov_mr(b, 32, slot_mem(c->cycles), EAX);
		x86_mov_mr(b, 32, slot_mem(c->cycles + 4), EDX);
	}
	/* arguments living in registers */
	for (uint32_t i = c->regp[f->v.id]; i < f->nparams; i++) {
		struct cg_loc *l = &c->loc[f->params[i].v.id];
		if (l->kind == L_REG)
			x86_mov_rm(b, 32, l->reg, slot_mem(l->off));
	}
	/* the FP constants loops read (xmm.c xmm_pool) */
	for (uint32_t i = 0; i < c->nfpk; i++) {
		x86_mov_mi(b, 32, slot_mem(c->fpk[i].off), (int32_t)(uint32_t)c->fpk[i].bits);
		if (c->fpk[i].dbl)
			x86_mov_mi(b, 32, slot_mem(c->fpk[i].off + 4), (int32_t)(uint32_t)(c->fpk[i].bits >> 32));
	}
}

/* The shared exit every return jumps to (tier 0, or with cycle
 * accounting): add the cycles spent, then the epilogue. */
void function_exit(struct codegen *c)
{
	struct ir_func *f = c->f;
	x86_buf *b = &c->b;
	x86_bind(b, &c->epi);
	if (c->cycles) {
		/* every return comes here with its value in EAX (EDX:EAX for
		 * i64): keep it, add rdtsc - start to the function's 64-bit
		 * accumulator (inclusive of callees), restore it */
		uint32_t acc = c->o->funcs[f->v.id].cycles_off;
		x86_mov_mr(b, 32, slot_mem(c->cycles + 8), EAX);
		x86_mov_mr(b, 32, slot_mem(c->cycles + 12), EDX);
		x86_raw_begin(b);
		x86_u8(b, 0x0f); /* rdtsc */
		x86_u8(b, 0x31);
		x86_raw_end(b);
		x86_alu_rm(b, X_SUB, 32, EAX, slot_mem(c->cycles));
		x86_alu_rm(b, X_SBB, 32, EDX, slot_mem(c->cycles + 4));
		x86_raw_begin(b);
		x86_u8(b, 0x01); /* add [acc], eax */
		x86_u8(b, 0x05);
		x86_u32(b, acc);
		x86_raw_end(b);
		cg_reloc(c, JIT_R_DATA, false, 0, b->len - 4);
		x86_raw_begin(b);
		x86_u8(b, 0x11); /* adc [acc + 4], edx */
		x86_u8(b, 0x15);
		x86_u32(b, acc + 4);
		x86_raw_end(b);
		cg_reloc(c, JIT_R_DATA, false, 0, b->len - 4);
		x86_mov_rm(b, 32, EAX, slot_mem(c->cycles + 8));
		x86_mov_rm(b, 32, EDX, slot_mem(c->cycles + 12));
	}
	/* at tier >= 1 without cycle accounting every return has its own
	 * epilogue (emit_ret): nothing jumps here */
	if (c->tier == 0 || c->cycles)
		epilogue(c);
}
