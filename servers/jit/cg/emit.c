/* servers/jit/cg/emit.c: instruction selection and emission for one
 * function, all tiers — the core: where values are (locations, loads
 * and stores of vregs and of i64 pairs, constants, zero extension),
 * the dispatch of instructions to the isel_*.c, intrin.c and flow.c
 * files, and the function's emission from the prologue to the jump
 * tables (cg_emit_func).  The conventions all of them keep are in
 * isel.h.
 *
 * requires: opt.c's flags, locations (rega.c, stack.c cg_assign_slots)
 * provides: the function's code in c->b, its relocations, c->cost, and
 *           with c->wm the registers each instruction's code wrote */
#include <string.h>
#include "servers/jit/cg/isel.h"
#include "servers/jit/cg/live.h"

bool isel_fail(struct codegen *c, const char *msg)
{
	return cg_fail(c, c->cur, "%s", msg);
}

/* After emitting an instruction whose memory operand may be absolute
 * with a relocation (always the last four bytes: no immediate follows). */
void addr_reloc(struct codegen *c, const struct address *a)
{
	if (a->rk != RK_NONE)
		cg_reloc(c, a->rk, false, a->sym, c->b.len - 4);
}

void load_imm(struct codegen *c, int r, uint32_t v)
{
	if (v == 0 && !c->keep_flags)
		x86_alu_rr(&c->b, X_XOR, 32, r, r);
	else
		x86_mov_ri(&c->b, 32, r, (int32_t)v);
}

static void load_const(struct codegen *c, int r, struct ir_value *v, bool hi)
{
	struct cg_const k;
	if (!cg_const(c, v, &k)) {
		if (v->kind == IR_VAL_CONST_FP || ir_type_is_fp(v->type))
			isel_fail(c, "floating point is not supported");
		else
			isel_fail(c, "unsupported constant operand");
		return;
	}
	if (k.rk != RK_NONE && !hi) {
		uint32_t at = x86_mov_ri32_reloc(&c->b, r, (uint32_t)k.v);
		cg_reloc(c, k.rk, false, k.sym, at);
		return;
	}
	load_imm(c, r, hi ? (uint32_t)(k.v >> 32) : (uint32_t)k.v);
}

/* Load vreg `i` (32-bit container, or the low word of a pair). */
void load_vreg(struct codegen *c, int r, uint32_t i)
{
	struct cg_loc *l = &c->loc[i];
	switch (l->kind) {
	case L_REG:
		if (l->reg != r)
			x86_mov_rr(&c->b, 32, r, l->reg);
		return;
	case L_SLOT:
		/* EAX not written since it was stored there: EAX still holds
		 * it (and the store may end up dead, dead.c cg_dead_stores) */
		if (c->eax_id == i && c->eax_gen == c->b.eax_gen) {
			if (r != EAX)
				x86_mov_rr(&c->b, 32, r, EAX);
			return;
		}
		x86_mov_rm(&c->b, 32, r, slot_mem(l->off));
		return;
	case L_FRAME:
		x86_lea(&c->b, r, slot_mem(l->off));
		return;
	case L_CONST:
		load_imm(c, r, (uint32_t)l->k);
		return;
	default:
		isel_fail(c, "internal: value without a location");
	}
}

/* Since wmask was `before`, the code wrote register r with the value it
 * defines: that write is not a scratch use (ranges.c range_free), so it
 * is taken back out of the record.  r < 0: nothing to take back. */
void def_write(struct codegen *c, uint8_t before, int r)
{
	if (r >= 0)
		c->b.wmask = (uint8_t)(before | (c->b.wmask & ~(1u << r)));
}

void store_vreg(struct codegen *c, uint32_t i, int r)
{
	struct cg_loc *l = &c->loc[i];
	if (l->kind == L_REG) {
		/* the write of a result into ECX/EDX is its definition, not a
		 * scratch use: not recorded (cg_scratch_verify) */
		uint8_t wm = c->b.wmask;
		if (l->reg != r)
			x86_mov_rr(&c->b, 32, l->reg, r);
		if (l->reg == X_ECX || l->reg == X_EDX)
			def_write(c, wm, l->reg);
	} else if (l->kind == L_SLOT) {
		x86_mov_mr(&c->b, 32, slot_mem(l->off), r);
		if (r == EAX && c->tier > 0) {
			c->eax_id = i;
			c->eax_pair = false;
			c->eax_pos = c->b.len;
			c->eax_gen = c->b.eax_gen;
		}
	} else if (l->kind != L_NONE) {
		isel_fail(c, "internal: store to a constant location");
	}
}

/* Value v into r (32-bit container; for i64 values the low word). */
void load_value(struct codegen *c, int r, struct ir_value *v)
{
	v = cg_canon(c, v);
	if (cg_is_var(v))
		load_vreg(c, r, v->id);
	else
		load_const(c, r, v, false);
}

/* Extend the low `w` bits of r in place. */
void extend_reg(struct codegen *c, int r, uint32_t w, bool sign)
{
	if (w >= 32)
		return;
	if (w == 8 && r < 4) {
		if (sign) x86_movsx_rr(&c->b, 8, r, r);
		else x86_movzx_rr(&c->b, 8, r, r);
	} else if (w == 16) {
		if (sign) x86_movsx_rr(&c->b, 16, r, r);
		else x86_movzx_rr(&c->b, 16, r, r);
	} else if (!sign) {
		x86_alu_ri(&c->b, X_AND, 32, r, (int32_t)((1u << w) - 1));
	} else {
		x86_shift_ri(&c->b, X_SHL, 32, r, (uint8_t)(32 - w));
		x86_shift_ri(&c->b, X_SAR, 32, r, (uint8_t)(32 - w));
	}
}

uint32_t extend_const(uint64_t v, uint32_t w, bool sign)
{
	if (w >= 32)
		return (uint32_t)v;
	uint32_t x = (uint32_t)v & ((1u << w) - 1);
	if (sign && (x >> (w - 1)) & 1)
		x |= ~((1u << w) - 1);
	return x;
}

/* Known constant (no relocation) value of v, if any. */
bool known_const(struct codegen *c, struct ir_value *v, uint64_t *out)
{
	v = cg_canon(c, v);
	if (cg_is_var(v)) {
		if (loc_of(c, v)->kind == L_CONST) {
			*out = loc_of(c, v)->k;
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

/* The 32-bit container of v, narrower than 32 bits, is known to hold
 * zeros above its width: constants loaded that way, loads (movzx), zero
 * extensions, unsigned divisions and right shifts (their operands are
 * zero-extended first), materialised compares (setcc + movzx), and ands,
 * ors, xors, selects and phis of such values (containers are combined or
 * copied whole). */
bool zero_extended(struct codegen *c, struct ir_value *v, int depth)
{
	uint32_t w = cg_type_bits(v->type);
	uint64_t k;
	if (w == 0 || w >= 32 || depth > 6)
		return false;
	if (known_const(c, v, &k))
		return (uint32_t)k == extend_const(k, w, false);
	v = cg_canon(c, v);
	/* a copy (alias) of a wider value, e.g. a truncation: its container
	 * is that value's */
	if (v->kind != IR_VAL_INST || (c->fl[v->id] & F_CONST) || cg_type_bits(v->type) != w)
		return false;
	struct ir_inst *in = (struct ir_inst *)v;
	switch (in->op) {
	case IR_OP_LOAD: {
		struct ir_inst *pi = ir_as_inst(cg_canon(c, ir_op(in, 0)));
		return (w == 8 || w == 16) && !(pi && (c->fl[pi->v.id] & F_PROMOTED));
	}
	case IR_OP_ZEXT:
	case IR_OP_UDIV: case IR_OP_UREM: case IR_OP_LSHR:
		/* computed from zero-extended operands, never larger */
		return true;
	case IR_OP_AND:
		return zero_extended(c, ir_op(in, 0), depth + 1) || zero_extended(c, ir_op(in, 1), depth + 1);
	case IR_OP_OR: case IR_OP_XOR:
		return zero_extended(c, ir_op(in, 0), depth + 1) && zero_extended(c, ir_op(in, 1), depth + 1);
	case IR_OP_SELECT:
		return zero_extended(c, ir_op(in, 1), depth + 1) && zero_extended(c, ir_op(in, 2), depth + 1);
	case IR_OP_ICMP:
		return !(c->fl[v->id] & F_FUSED);
	case IR_OP_PHI:
		if (depth >= 4)
			return false;
		for (uint32_t i = 0; i < in->nops; i += 2)
			if (cg_canon(c, ir_op(in, i)) != v && !zero_extended(c, ir_op(in, i), depth + 1))
				return false;
		return true;
	default:
		return false;
	}
}

void load_extended(struct codegen *c, int r, struct ir_value *v, bool sign)
{
	uint32_t w = cg_type_bits(v->type);
	uint64_t k;
	if (known_const(c, v, &k)) {
		load_imm(c, r, extend_const(k, w, sign));
		return;
	}
	load_value(c, r, v);
	if (!sign && c->tier > 0 && zero_extended(c, v, 0))
		return;
	extend_reg(c, r, w, sign);
}

/* Operand form of v for an ALU source; `s` is the scratch register used
 * when v must be materialised. */
struct operand operand_of(struct codegen *c, struct ir_value *v, int s)
{
	struct operand o = { O_REG, s, x86_m(X_FP, 0), 0 };
	uint64_t k;
	if (known_const(c, v, &k)) {
		o.k = O_IMM;
		o.imm = (int32_t)(uint32_t)k;
		return o;
	}
	v = cg_canon(c, v);
	if (cg_is_var(v)) {
		struct cg_loc *l = loc_of(c, v);
		if (l->kind == L_REG) {
			o.r = l->reg;
			return o;
		}
		if (l->kind == L_SLOT && c->eax_id == v->id &&
		    c->eax_gen == c->b.eax_gen) {
			o.r = EAX; /* still there since its store (load_vreg) */
			return o;
		}
		if (l->kind == L_SLOT) {
			o.k = O_MEM;
			o.m = slot_mem(l->off);
			return o;
		}
	}
	load_value(c, s, v);
	return o;
}

void emit_alu(struct codegen *c, int op, int r, struct operand o)
{
	if (o.k == O_REG)
		x86_alu_rr(&c->b, op, 32, r, o.r);
	else if (o.k == O_MEM)
		x86_alu_rm(&c->b, op, 32, r, o.m);
	else
		x86_alu_ri(&c->b, op, 32, r, o.imm);
}

/* Register v's value is computed in: its own when allocated, else EAX. */
int dest_reg(struct codegen *c, struct ir_value *v)
{
	struct cg_loc *l = loc_of(c, v);
	/* values in ECX/EDX (see cg_regalloc_wide) are computed in EAX and
	 * moved last: instruction selection may use ECX/EDX as scratch
	 * (except where an operation writes its own ECX/EDX directly, see
	 * direct_reg) */
	return l->kind == L_REG && l->reg >= X_EBX ? l->reg : EAX;
}

void store_result(struct codegen *c, struct ir_value *v, int r)
{
	store_vreg(c, v->id, r);
}

/* v is currently held in register r (allocated register of a var)? */
bool in_reg(struct codegen *c, struct ir_value *v, int r)
{
	v = cg_canon(c, v);
	return cg_is_var(v) && loc_of(c, v)->kind == L_REG && loc_of(c, v)->reg == r;
}

void load_pair(struct codegen *c, int lo, int hi, struct ir_value *v)
{
	v = cg_canon(c, v);
	if (cg_is_var(v)) {
		struct cg_loc *l = loc_of(c, v);
		/* nothing emitted since EDX:EAX was stored there */
		if (l->kind == L_SLOT && lo == EAX && hi == EDX && c->eax_id == v->id &&
		    c->eax_pos == c->b.len && c->eax_gen == c->b.eax_gen && c->eax_pair)
			return;
		if (l->kind == L_SLOT) {
			x86_mov_rm(&c->b, 32, lo, slot_mem(l->off));
			x86_mov_rm(&c->b, 32, hi, slot_mem(l->off + 4));
		} else if (l->kind == L_CONST) {
			load_imm(c, lo, (uint32_t)l->k);
			load_imm(c, hi, (uint32_t)(l->k >> 32));
		} else {
			isel_fail(c, "internal: i64 value without a slot");
		}
		return;
	}
	load_const(c, lo, v, false);
	load_const(c, hi, v, true);
}

void store_pair_vreg(struct codegen *c, uint32_t i, int lo, int hi)
{
	struct cg_loc *l = &c->loc[i];
	if (l->kind == L_SLOT) {
		x86_mov_mr(&c->b, 32, slot_mem(l->off), lo);
		x86_mov_mr(&c->b, 32, slot_mem(l->off + 4), hi);
		if (lo == EAX && hi == EDX && c->tier > 0) {
			c->eax_id = i;
			c->eax_pair = true;
			c->eax_pos = c->b.len;
			c->eax_gen = c->b.eax_gen;
		}
	} else if (l->kind != L_NONE) {
		isel_fail(c, "internal: i64 value without a slot");
	}
}

void store_pair(struct codegen *c, struct ir_value *v, int lo, int hi)
{
	store_pair_vreg(c, v->id, lo, hi);
}

/* Memory operand holding the pair v (constants go to scratch slot n). */
x86_mem pair_mem(struct codegen *c, struct ir_value *v, int n)
{
	uint64_t k;
	struct ir_value *cv = cg_canon(c, v);
	if (cg_is_var(cv) && loc_of(c, cv)->kind == L_SLOT)
		return slot_mem(loc_of(c, cv)->off);
	if (!known_const(c, v, &k)) {
		isel_fail(c, "unsupported 64-bit operand");
		return slot_mem(c->scratch);
	}
	x86_mem m = slot_mem(c->scratch + 8 * n);
	x86_mov_mi(&c->b, 32, m, (int32_t)(uint32_t)k);
	x86_mov_mi(&c->b, 32, slot_mem(c->scratch + 8 * n + 4), (int32_t)(uint32_t)(k >> 32));
	return m;
}

/* Like pair_mem, but the pair extended from width w (33..64) into scratch
 * slot n when w < 64 (upper bits of narrow containers are undefined). */
x86_mem pair_mem_ext(struct codegen *c, struct ir_value *v, int n, uint32_t w, bool sign)
{
	uint64_t k;
	if (w >= 64)
		return pair_mem(c, v, n);
	x86_mem d = slot_mem(c->scratch + 8 * n);
	if (known_const(c, v, &k)) {
		uint64_t x = k & ((1ull << w) - 1);
		if (sign && (x >> (w - 1)) & 1)
			x |= ~((1ull << w) - 1);
		x86_mov_mi(&c->b, 32, d, (int32_t)(uint32_t)x);
		x86_mov_mi(&c->b, 32, high_word(d), (int32_t)(uint32_t)(x >> 32));
		return d;
	}
	x86_mem s = pair_mem(c, v, n);
	x86_mov_rm(&c->b, 32, ECX, high_word(s));
	extend_reg(c, ECX, w - 32, sign);
	x86_mov_mr(&c->b, 32, high_word(d), ECX);
	if (s.disp != d.disp) {
		x86_mov_rm(&c->b, 32, ECX, s);
		x86_mov_mr(&c->b, 32, d, ECX);
	}
	return d;
}

void extend_pair(struct codegen *c, uint32_t w, bool sign)
{
	if (w < 64)
		extend_reg(c, EDX, w - 32, sign);
}

/* v, an integer of w <= 64 bits, into EDX:EAX extended to 64 (sign or
 * zero). */
void load_extended_pair(struct codegen *c, struct ir_value *v, uint32_t w, bool sign)
{
	if (w > 32) {
		load_pair(c, EAX, EDX, v);
		extend_pair(c, w, sign);
		return;
	}
	load_extended(c, EAX, v, sign);
	if (sign) {
		x86_mov_rr(&c->b, 32, EDX, EAX);
		x86_shift_ri(&c->b, X_SAR, 32, EDX, 31);
	} else {
		x86_alu_rr(&c->b, X_XOR, 32, EDX, EDX);
	}
}

bool agg_slot(struct codegen *c, struct ir_value *v, int32_t *off)
{
	v = cg_canon(c, v);
	if (!cg_is_var(v) || loc_of(c, v)->kind != L_SLOT)
		return false;
	*off = loc_of(c, v)->off;
	return true;
}

/* Copy n bytes between two memory operands through EAX (n small). */
void copy_mem(struct codegen *c, x86_mem d, x86_mem s, uint32_t n)
{
	uint32_t i = 0;
	for (; i + 4 <= n; i += 4) {
		x86_mov_rm(&c->b, 32, EAX, x86_mx(s.base, s.index, s.scale, s.disp + (int32_t)i));
		x86_mov_mr(&c->b, 32, x86_mx(d.base, d.index, d.scale, d.disp + (int32_t)i), EAX);
	}
	for (; i < n; i++) {
		x86_movzx_rm(&c->b, 8, EAX, x86_mx(s.base, s.index, s.scale, s.disp + (int32_t)i));
		x86_mov_mr(&c->b, 8, x86_mx(d.base, d.index, d.scale, d.disp + (int32_t)i), EAX);
	}
}

void emit_copy(struct codegen *c, struct ir_value *dst, struct ir_value *src)
{
	uint32_t w = cg_type_bits(dst->type);
	if (w > 64) {
		wide_refuse(c);
		return;
	}
	if (w > 32) {
		if (cg_type_bits(src->type) <= 32) {
			isel_fail(c, "internal: copy width mismatch");
			return;
		}
		load_pair(c, EAX, EDX, src);
		store_pair(c, dst, EAX, EDX);
		return;
	}
	if (w == 0) {
		int32_t so, dof;
		if (!agg_slot(c, dst, &dof)) {
			isel_fail(c, "unsupported value type");
			return;
		}
		if (agg_slot(c, src, &so))
			copy_mem(c, slot_mem(dof), slot_mem(so), (uint32_t)ir_type_size(dst->type));
		return;
	}
	int r = dest_reg(c, dst);
	load_value(c, r, src);
	store_result(c, dst, r);
}

/* The ECX/EDX register value v lives in (tier >= 1), else -1. */
int own_reg(struct codegen *c, struct ir_value *v)
{
	struct cg_loc *l = loc_of(c, v);
	if (c->tier == 0 || l->kind != L_REG || (l->reg != X_ECX && l->reg != X_EDX))
		return -1;
	return l->reg;
}

/* v is a constant or a value in a register or slot: loading it takes no
 * scratch register. */
bool simple_opnd(struct codegen *c, struct ir_value *v)
{
	uint64_t k;
	v = cg_canon(c, v);
	if (known_const(c, v, &k))
		return true;
	if (!cg_is_var(v) || (loc_of(c, v)->kind != L_REG && loc_of(c, v)->kind != L_SLOT))
		return false;
	return v->kind != IR_VAL_INST || !(c->fl[v->id] & (F_FUSED | F_FOLDADDR));
}

/* The ECX/EDX register of in's result when the arithmetic (or a cast or
 * shift by a constant) can be done in it directly: its operands need no
 * scratch register (emit_arith, emit_cast, emit_binop), else -1.  The
 * caller does not record that write (it is the definition, see ranges.c
 * range_free, def_write). */
int direct_reg(struct codegen *c, struct ir_inst *in)
{
	int r = own_reg(c, &in->v);
	for (uint32_t i = 0; r >= 0 && i < in->nops; i++)
		if (!simple_opnd(c, ir_op(in, i)))
			return -1;
	return r;
}

/* Register holding v when it is allocated one (32-bit values), else -1. */
int reg_of(struct codegen *c, struct ir_value *v)
{
	v = cg_canon(c, v);
	if (cg_is_var(v) && loc_of(c, v)->kind == L_REG && cg_type_bits(v->type) >= 32)
		return loc_of(c, v)->reg;
	return -1;
}

/* Register holding v when it is allocated one, of any width up to 32. */
int reg_any(struct codegen *c, struct ir_value *v)
{
	v = cg_canon(c, v);
	if (cg_is_var(v) && loc_of(c, v)->kind == L_REG && cg_type_bits(v->type) <= 32)
		return loc_of(c, v)->reg;
	return -1;
}

static void emit_inst(struct codegen *c, struct ir_block *b, struct ir_inst *in)
{
	c->cur = in;
	uint8_t fl = c->fl[in->v.id];
	if (fl & (F_DEAD | F_FUSED | F_FOLDADDR | F_ALIAS | F_CONST))
		return;
	switch (in->op) {
	case IR_OP_ADD: case IR_OP_SUB: case IR_OP_MUL: case IR_OP_UDIV: case IR_OP_SDIV:
	case IR_OP_UREM: case IR_OP_SREM: case IR_OP_SHL: case IR_OP_LSHR: case IR_OP_ASHR:
	case IR_OP_AND: case IR_OP_OR: case IR_OP_XOR:
		emit_binop(c, in);
		return;
	case IR_OP_TRUNC: case IR_OP_ZEXT: case IR_OP_SEXT: case IR_OP_PTRTOINT:
	case IR_OP_INTTOPTR: case IR_OP_BITCAST: case IR_OP_ADDRSPACECAST: case IR_OP_FREEZE:
		emit_cast(c, in);
		return;
	case IR_OP_FPTOUI: case IR_OP_FPTOSI: case IR_OP_UITOFP: case IR_OP_SITOFP:
	case IR_OP_FPTRUNC: case IR_OP_FPEXT:
		emit_fp_cast(c, in);
		return;
	case IR_OP_ICMP: emit_icmp(c, in); return;
	case IR_OP_SELECT: emit_select(c, in); return;
	case IR_OP_PHI: return; /* copies at the block head / predecessor ends */
	case IR_OP_ALLOCA:
		if (fl & (F_STATIC | F_PROMOTED))
			return;
		emit_alloca(c, in);
		return;
	case IR_OP_LOAD: emit_load(c, in); return;
	case IR_OP_STORE: emit_store(c, in); return;
	case IR_OP_GEP: emit_gep(c, in); return;
	case IR_OP_CALL: emit_call(c, in); return;
	case IR_OP_EXTRACTVALUE: emit_extract(c, in); return;
	case IR_OP_INSERTVALUE: emit_insert(c, in); return;
	case IR_OP_RET: emit_ret(c, b, in); return;
	case IR_OP_BR: emit_br(c, b, in); return;
	case IR_OP_SWITCH: emit_switch(c, b, in); return;
	case IR_OP_UNREACHABLE: x86_ud2(&c->b); return;
	case IR_OP_FADD: case IR_OP_FSUB: case IR_OP_FMUL: case IR_OP_FDIV: case IR_OP_FREM:
	case IR_OP_FNEG: case IR_OP_FCMP:
		emit_fp(c, in);
		return;
	case IR_OP_VAARG:
		isel_fail(c, "variadic functions are not supported");
		return;
	case IR_OP_EXTRACTELEMENT: case IR_OP_INSERTELEMENT: case IR_OP_SHUFFLEVECTOR:
		isel_fail(c, "vectors are not supported");
		return;
	default:
		cg_fail(c, in, "unsupported instruction");
	}
}

/* c->busy: where a value allocated to ECX or EDX is live (every
 * instruction its ranges touch, ends included), so that blinding may
 * take the register as a scratch everywhere else (x86_buf.blind_free).
 * Without an allocation over ECX/EDX (tiers 0-2) they hold no value
 * across instructions.  NULL (nothing known free) when out of memory. */
static void busy_scratch(struct codegen *c)
{
	uint32_t n = c->f->nvalues + 1;
	c->busy = c->b.blind ? ir_arena_alloc(c->a, n, 1) : NULL;
	if (!c->busy)
		return;
	memset(c->busy, 0, n);
	if (!c->ra || !c->kinst)
		return;
	const struct live_ranges *rl = &c->ra->rl;
	for (uint32_t v = 0; v < c->nv; v++) {
		const struct cg_loc *l = &c->loc[v];
		if (l->kind != L_REG || (l->reg != X_ECX && l->reg != X_EDX))
			continue;
		for (uint32_t i = rl->off[v]; i < rl->off[v] + rl->n[v]; i++) {
			int32_t s = rl->s[i], e = rl->e[i];
			uint32_t ks = s < 0 ? 0 : (uint32_t)s / 4, ke = e < 0 ? 0 : (uint32_t)e / 4;
			cg_fuel(c, 1 + (ke >= ks ? ke - ks : 0));
			for (uint32_t k = ks; k <= ke && k < c->nk; k++)
				if (c->kinst[k] < n)
					c->busy[c->kinst[k]] |= (uint8_t)(1u << l->reg);
		}
	}
}

/* Block bi: its label, the phis' head copies, its instructions (with
 * the registers each one's code wrote, for the dry runs), and its code
 * size weighted by its loop depth. */
static void emit_block(struct codegen *c, uint32_t bi)
{
	struct ir_func *f = c->f;
	x86_buf *b = &c->b;
	if (c->reach && !c->reach[bi])
		return;
	struct ir_block *blk = f->blocks[bi];
	if (c->itarget && c->itarget[bi])
		x86_align_bundle(b);    /* a jump table's target: a bundle start */
	else if (c->align_loops && c->bdepth && c->bdepth[bi] > c->prev_depth) {
		uint32_t p = b->npad;
		x86_align_bundle(b);    /* a loop's first block: padding runs once */
		c->padcost += (uint64_t)(b->npad - p) * cg_loop_weight(c, bi - 1);
	}
	c->prev_depth = c->bdepth ? c->bdepth[bi] : 0;
	uint32_t pad0 = b->npad;
	x86_bind_head(b, &c->blab[bi]);
	c->eax_id = 0xffffffffu; /* a jump target: registers unknown */
	b->wmask = b->cmask = 0;
	uint32_t from = b->len;
	block_head(c, blk);
	for (struct ir_inst *in = blk->first; in && !c->failed; in = in->next) {
		cg_fuel(c, 1 + in->nops);
		if (c->busy && in->v.id < c->f->nvalues + 1)
			b->blind_free = (uint8_t)((1u << X_ECX | 1u << X_EDX) & ~c->busy[in->v.id]);
		emit_inst(c, blk, in);
		b->blind_free = 0;
		if (c->wm)
			c->wm[in->v.id] |= (uint16_t)(b->wmask | b->cmask << 8);
		/* values live in XMM registers only where xmm.c saw no call:
		 * a call it did not foresee is a compile error, never a lost
		 * value */
		if (c->xclob && b->cmask && !c->xclob[in->v.id])
			cg_fail(c, in, "internal: a call where XMM registers hold values");
		b->wmask = b->cmask = 0;
	}
	if (c->bdepth)
		c->cost += (uint64_t)(b->len - from) * (cg_loop_weight(c, bi) - 1);
	c->padcost += (uint64_t)(b->npad - pad0) * cg_loop_weight(c, bi);
}

int cg_emit_func(struct codegen *c)
{
	struct ir_func *f = c->f;
	x86_buf *b = &c->b;
	x86_label_init(&c->epi);
	for (uint32_t i = 0; i < f->nblocks; i++)
		x86_label_init(&c->blab[i]);
	c->nswitch = 0;
	c->eax_id = 0xffffffffu;
	c->cost = 0;
	c->padcost = 0;
	c->prev_depth = 0;
	uint32_t code_start = b->len;
	c->fast_next = NULL;
	c->itarget = c->sandbox && !(c->opt->sandbox_faults & JIT_SBX_TABLE) ? table_targets(c) : NULL;
	busy_scratch(c);
	fast_exit(c);
	prologue(c);
	for (uint32_t bi = 0; bi < f->nblocks && !c->failed; bi++)
		emit_block(c, bi);
	b->head = NULL;
	if (c->failed)
		return -1;
	b->head = NULL;
	function_exit(c);
	jump_tables(c);
	if (b->full)
		return cg_fail(c, NULL, "code area full"), -1;
	c->cost += b->len - code_start;
	return c->failed ? -1 : 0;
}

/* Emits the function to learn something about its code (registers
 * written, frame words read), then takes the code and its relocations
 * back and forgets any failure.  True when the emission succeeded. */
bool cg_dry_run(struct codegen *c)
{
	/* the code before it never moves: absorb in the run may not grow
	 * what taking the run back would leave shifted (bundle.c) */
	x86_still(&c->b);
	uint32_t len = c->b.len, nrel = c->o->nrelocs;
	bool aj = c->b.after_jump;
	bool ok = cg_emit_func(c) == 0 && !c->failed;
	c->b.len = len;
	c->b.after_jump = aj;
	c->b.full = false;
	c->o->nrelocs = nrel;
	c->failed = false;
	if (c->errsize)
		c->err[0] = 0;
	return ok;
}
