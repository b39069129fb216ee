/* servers/jit/cg/isel_mem.c: memory — addresses (a pointer value, a
 * frame object, a constant with its relocation, a getelementptr folded
 * into [base + index*scale + disp]), getelementptr, load, store (every
 * width, odd sizes in pieces, aggregates by copy), dynamic alloca, and
 * the aggregates in slots (extractvalue, insertvalue).
 *
 * requires: the locations (rega.c, stack.c); opt.c's F_FOLDADDR,
 *           F_PROMOTED
 * provides: address_of, emit_gep, emit_load, emit_store, emit_alloca,
 *           emit_extract, emit_insert */
#include <string.h>
#include "servers/jit/cg/isel.h"

struct address address_of(struct codegen *c, struct ir_value *p, int sb, int si)
{
	struct address a = { x86_m(sb, 0), RK_NONE, 0 };
	p = cg_canon(c, p);
	if (!cg_is_var(p)) {
		struct cg_const k;
		if (!cg_const(c, p, &k)) {
			isel_fail(c, "unsupported pointer constant");
			return a;
		}
		a.m = x86_m(X_NOREG, (int32_t)(uint32_t)k.v);
		a.rk = k.rk;
		a.sym = k.sym;
		a.m.disp32 = k.rk != RK_NONE;
		return a;
	}
	struct cg_loc *l = loc_of(c, p);
	struct ir_inst *in = ir_as_inst(p);
	if (l->kind == L_FRAME) {
		a.m = slot_mem(l->off);
		return a;
	}
	if (in && (c->fl[in->v.id] & F_FOLDADDR)) {
		/* base + one variable index * {1,2,4,8} + constant; with a
		 * constant base, also a second index times its element size,
		 * computed into sb (opt.c fold_addr) */
		struct ir_type *t = in->src_type;
		int64_t off = 0;
		int idx = X_NOREG, scale = 1, mul = X_NOREG;
		for (uint32_t i = 1; i < in->nops; i++) {
			struct ir_value *x = ir_op(in, i);
			uint64_t k;
			uint64_t esz;
			struct ir_type *nt = t;
			if (i == 1) {
				esz = ir_type_size(t);
			} else if (t->kind == IR_TY_STRUCT) {
				if (!known_const(c, x, &k) || k >= t->nmembers) {
					isel_fail(c, "bad struct index");
					return a;
				}
				off += (int64_t)ir_struct_offset(t, (uint32_t)k);
				t = t->members[k];
				continue;
			} else {
				nt = t->elem;
				esz = ir_type_size(nt);
			}
			if (i > 1)
				t = nt;
			struct ir_inst *xi = ir_as_inst(cg_canon(c, x));
			if (xi && (xi->op == IR_OP_ADD || xi->op == IR_OP_SUB) &&
			    (c->fl[xi->v.id] & F_FUSED) && known_const(c, ir_op(xi, 1), &k)) {
				/* index y +/- C (opt.c fold_addr): C into the
				 * displacement, y the index */
				int64_t d = (int64_t)(int32_t)(uint32_t)k;
				off += (xi->op == IR_OP_ADD ? d : -d) * (int64_t)esz;
				x = ir_op(xi, 0);
			}
			if (known_const(c, x, &k)) {
				off += (int64_t)extend_const(k, cg_type_bits(x->type), true) * (int64_t)esz;
				if (cg_type_bits(x->type) > 32)
					off = off; /* low word used: pointer width */
			} else if (mul == X_NOREG && (idx != X_NOREG || (esz != 1 && esz != 2 &&
								  esz != 4 && esz != 8))) {
				mul = sb;
				int src = sb;
				struct ir_value *cx = cg_canon(c, x);
				if (cg_type_bits(x->type) == 32 && !is_pow2((uint32_t)esz) && cg_is_var(cx) &&
				    loc_of(c, cx)->kind == L_SLOT) {
					x86_imul_rmi(&c->b, sb, slot_mem(loc_of(c, cx)->off), (int32_t)esz);
					continue;
				}
				if (cg_type_bits(x->type) < 32)
					load_extended(c, sb, x, true);
				else if (cg_is_var(cx) && loc_of(c, cx)->kind == L_REG)
					src = loc_of(c, cx)->reg;
				else
					load_value(c, sb, x);
				if (is_pow2((uint32_t)esz)) {
					if (src != sb)
						x86_mov_rr(&c->b, 32, sb, src);
					x86_shift_ri(&c->b, X_SHL, 32, sb, log2u((uint32_t)esz));
				} else {
					x86_imul_rri(&c->b, sb, src, (int32_t)esz);
				}
			} else {
				idx = si;
				scale = (int)esz;
				uint32_t w = cg_type_bits(x->type);
				struct ir_value *cx = cg_canon(c, x);
				if (w < 32)
					load_extended(c, si, x, true);
				else if (cg_is_var(cx) && loc_of(c, cx)->kind == L_REG)
					idx = loc_of(c, cx)->reg;
				else
					load_value(c, si, x);
			}
		}
		struct address b = address_of(c, ir_op(in, 0), sb, X_NOREG);
		if ((idx != X_NOREG && b.m.index != X_NOREG) || (mul != X_NOREG && b.m.base != X_NOREG))
			isel_fail(c, "internal: folded address too complex");
		if (mul != X_NOREG)
			b.m.base = (int8_t)mul;
		b.m.disp += (int32_t)off;
		if (idx != X_NOREG) {
			b.m.index = (int8_t)idx;
			b.m.scale = (uint8_t)scale;
		}
		return b;
	}
	if (l->kind == L_REG) {
		a.m = x86_m(l->reg, 0);
		return a;
	}
	load_value(c, sb, p);
	return a;
}

static void lea_address(struct codegen *c, int r, struct address a)
{
	if (a.rk != RK_NONE && a.m.base == X_NOREG && a.m.index == X_NOREG) {
		uint32_t at = x86_mov_ri32_reloc(&c->b, r, (uint32_t)a.m.disp);
		cg_reloc(c, a.rk, false, a.sym, at);
		return;
	}
	x86_lea(&c->b, r, a.m);
	addr_reloc(c, &a);
}

static bool valid_scale(uint64_t s) { return s == 1 || s == 2 || s == 4 || s == 8; }

/* v (an index, sign-extended to 32 bits) in a register: its own or s. */
static int idx_reg(struct codegen *c, struct ir_value *x, int s)
{
	int r = reg_of(c, x);
	if (r >= 0)
		return r;
	if (cg_type_bits(x->type) < 32)
		load_extended(c, s, x, true);
	else
		load_value(c, s, x);
	return s;
}

void emit_gep(struct codegen *c, struct ir_inst *in)
{
	struct ir_type *t = in->src_type;
	int64_t off = 0;
	int r = dest_reg(c, &in->v);
	struct ir_value *vx[16];
	uint64_t vs[16];
	uint32_t nvar = 0;
	for (uint32_t i = 1; i < in->nops; i++) {
		struct ir_value *x = ir_op(in, i);
		uint64_t k;
		uint64_t esz;
		if (i == 1) {
			esz = ir_type_size(t);
		} else if (t->kind == IR_TY_STRUCT) {
			if (!known_const(c, x, &k) || k >= t->nmembers) {
				isel_fail(c, "bad struct index");
				return;
			}
			off += (int64_t)ir_struct_offset(t, (uint32_t)k);
			t = t->members[k];
			continue;
		} else if (t->kind == IR_TY_ARRAY) {
			t = t->elem;
			esz = ir_type_size(t);
		} else {
			isel_fail(c, "getelementptr into a vector is not supported");
			return;
		}
		if (known_const(c, x, &k)) {
			off += (int64_t)(int32_t)extend_const(k, cg_type_bits(x->type) > 32 ? 32 : cg_type_bits(x->type), true) *
			       (int64_t)esz;
			continue;
		}
		if (esz == 0)
			continue;
		if (nvar >= 16) {
			isel_fail(c, "getelementptr with too many indices");
			return;
		}
		vx[nvar] = x;
		vs[nvar++] = esz;
	}
	/* all but the last variable index summed into EDX */
	bool acc = false;
	for (uint32_t i = 0; i + 1 < nvar; i++) {
		int xr = idx_reg(c, vx[i], ECX);
		if (valid_scale(vs[i])) {
			if (!acc && vs[i] == 1)
				x86_mov_rr(&c->b, 32, EDX, xr);
			else
				x86_lea(&c->b, EDX, acc ? x86_mx(EDX, xr, (int)vs[i], 0) :
							 x86_mx(X_NOREG, xr, (int)vs[i], 0));
		} else if (!acc) {
			x86_imul_rri(&c->b, EDX, xr, (int32_t)vs[i]);
		} else {
			x86_imul_rri(&c->b, ECX, xr, (int32_t)vs[i]);
			x86_alu_rr(&c->b, X_ADD, 32, EDX, ECX);
		}
		acc = true;
	}
	/* with at most one variable index (no sum in EDX) a result in
	 * ECX/EDX is written there by the final lea, its scratch registers
	 * being EAX and the other one (see emit_load) */
	int own = nvar <= 1 ? own_reg(c, &in->v) : -1, sx = own == X_ECX ? EDX : ECX;
	uint8_t wm = c->b.wmask;
	if (own >= 0)
		r = own;
	int ix = X_NOREG, sc = 1;
	if (nvar) {
		ix = idx_reg(c, vx[nvar - 1], sx);
		sc = (int)vs[nvar - 1];
		if (!valid_scale(vs[nvar - 1])) {
			x86_imul_rri(&c->b, sx, ix, (int32_t)vs[nvar - 1]);
			ix = sx;
			sc = 1;
		}
	}
	struct address base = address_of(c, ir_op(in, 0), EAX, X_NOREG);
	if (base.m.index != X_NOREG) {
		lea_address(c, EAX, base);
		base.m = x86_m(EAX, 0);
		base.rk = RK_NONE;
	}
	if (acc) {
		if (base.m.base == X_FP) {
			/* a frame object: X_FP is a pseudo-register that only
			 * memory operands translate (to ESP + bias or EBP) */
			x86_lea(&c->b, EDX, x86_mx(X_FP, EDX, 1, base.m.disp));
			base.m.disp = 0;
		} else if (base.m.base != X_NOREG) {
			x86_alu_rr(&c->b, X_ADD, 32, EDX, base.m.base);
		}
		base.m.base = EDX;
	}
	base.m.disp += (int32_t)off;
	if (ix != X_NOREG) {
		if (base.m.base == X_NOREG && sc == 1) {
			base.m.base = (int8_t)ix;
		} else {
			base.m.index = (int8_t)ix;
			base.m.scale = (uint8_t)sc;
		}
	}
	if (base.m.base == X_NOREG && base.m.index == X_NOREG) {
		lea_address(c, r, base);
	} else if (base.m.disp == 0 && base.m.index == X_NOREG && base.rk == RK_NONE &&
		   base.m.base != X_FP) {
		if (base.m.base != r)
			x86_mov_rr(&c->b, 32, r, base.m.base);
	} else {
		x86_lea(&c->b, r, base.m);
		addr_reloc(c, &base);
	}
	store_result(c, &in->v, r);
	def_write(c, wm, own);
}

void emit_load(struct codegen *c, struct ir_inst *in)
{
	struct ir_value *p = ir_op(in, 0);
	struct ir_value *pc = cg_canon(c, p);
	struct ir_inst *pi = ir_as_inst(pc);
	struct ir_type *t = in->v.type;
	uint32_t w = cg_type_bits(t);
	if (pi && (c->fl[pi->v.id] & F_PROMOTED)) {
		int r = dest_reg(c, &in->v);
		load_vreg(c, r, pi->v.id);
		store_result(c, &in->v, r);
		return;
	}
	if (fp_emit_load(c, in))
		return; /* a double: movsd (isel_fp.c) */
	if (w == 0) {
		int32_t so;
		uint64_t sz = ir_type_size(t);
		if (!ir_type_is_aggregate(t) || sz > 256 || !agg_slot(c, &in->v, &so)) {
			isel_fail(c, "load of an unsupported type");
			return;
		}
		struct address a = address_of(c, p, ECX, EDX);
		lea_address(c, ECX, a);
		copy_mem(c, slot_mem(so), x86_m(ECX, 0), (uint32_t)sz);
		return;
	}
	uint32_t nb = (w + 7) / 8;
	if (nb == 3 || (nb >= 5 && nb <= 7)) {
		/* odd sizes (bit-field storage units): byte/word pieces */
		struct address a = address_of(c, p, ECX, EDX);
		lea_address(c, EDX, a);
		if (nb == 3) {
			x86_movzx_rm(&c->b, 16, EAX, x86_m(EDX, 0));
			x86_movzx_rm(&c->b, 8, ECX, x86_m(EDX, 2));
			x86_shift_ri(&c->b, X_SHL, 32, ECX, 16);
			x86_alu_rr(&c->b, X_OR, 32, EAX, ECX);
			store_result(c, &in->v, EAX);
			return;
		}
		x86_mov_rm(&c->b, 32, EAX, x86_m(EDX, 0));
		if (nb == 5) {
			x86_movzx_rm(&c->b, 8, ECX, x86_m(EDX, 4));
		} else {
			x86_movzx_rm(&c->b, 16, ECX, x86_m(EDX, 4));
			if (nb == 7) {
				x86_movzx_rm(&c->b, 8, EDX, x86_m(EDX, 6));
				x86_shift_ri(&c->b, X_SHL, 32, EDX, 16);
				x86_alu_rr(&c->b, X_OR, 32, ECX, EDX);
			}
		}
		store_pair(c, &in->v, EAX, ECX);
		return;
	}
	if (w > 64) {
		wide_load(c, in); /* packed bit-fields (isel_wide.c) */
		return;
	}
	if (w > 32) {
		/* i57..i64: 8 bytes (the bits above the width are don't-care in
		 * a container, as in any narrower value) */
		struct address a = address_of(c, p, ECX, EDX);
		if (a.rk != RK_NONE) {
			lea_address(c, ECX, a);
			a.m = x86_m(ECX, 0);
			a.rk = RK_NONE;
		}
		x86_mov_rm(&c->b, 32, EAX, a.m);
		x86_mov_rm(&c->b, 32, EDX, high_word(a.m));
		store_pair(c, &in->v, EAX, EDX);
		return;
	}
	/* i25..i31: 4 bytes (i17..i24 are 3-byte pieces above) */
	int r = dest_reg(c, &in->v);
	/* EAX as the address scratch when it is the destination anyway: the
	 * load then leaves ECX/EDX alone; a value in ECX/EDX is loaded
	 * straight into it, EAX and the other one the address scratch (the
	 * write is its definition: not recorded, see ranges.c range_free) */
	int own = own_reg(c, &in->v);
	uint8_t wm = c->b.wmask;
	if (own >= 0)
		r = own;
	struct address a = r == EAX ? address_of(c, p, EAX, ECX) : own >= 0 ? address_of(c, p, EAX, own == X_ECX ? EDX : ECX) :
		address_of(c, p, ECX, EDX);
	if (w <= 8)
		x86_movzx_rm(&c->b, 8, r, a.m);
	else if (w <= 16)
		x86_movzx_rm(&c->b, 16, r, a.m);
	else
		x86_mov_rm(&c->b, 32, r, a.m);
	addr_reloc(c, &a);
	store_result(c, &in->v, r);
	def_write(c, wm, own);
}

void emit_store(struct codegen *c, struct ir_inst *in)
{
	struct ir_value *v = ir_op(in, 0), *p = ir_op(in, 1);
	struct ir_value *pc = cg_canon(c, p);
	struct ir_inst *pi = ir_as_inst(pc);
	uint32_t w = cg_type_bits(v->type);
	if (pi && (c->fl[pi->v.id] & F_PROMOTED)) {
		struct cg_loc *l = &c->loc[pi->v.id];
		int r = l->kind == L_REG ? l->reg : EAX;
		if (!(l->kind == L_REG && in_reg(c, v, r)))
			load_value(c, r, v); /* a plain move: fine for ECX/EDX too */
		store_vreg(c, pi->v.id, r);
		return;
	}
	if (fp_emit_store(c, in))
		return; /* a double: movsd (isel_fp.c) */
	if (w == 0) {
		int32_t so;
		uint64_t sz = ir_type_size(v->type);
		if (!ir_type_is_aggregate(v->type) || sz > 256) {
			isel_fail(c, "store of an unsupported type");
			return;
		}
		struct address a = address_of(c, p, ECX, EDX);
		lea_address(c, ECX, a);
		if (agg_slot(c, v, &so)) {
			copy_mem(c, x86_m(ECX, 0), slot_mem(so), (uint32_t)sz);
		} else {
			uint64_t k;
			struct ir_value *cv = cg_canon(c, v);
			if (cv->kind != IR_VAL_CONST_NULL && cv->kind != IR_VAL_CONST_UNDEF &&
			    cv->kind != IR_VAL_CONST_POISON) {
				(void)k;
				isel_fail(c, "store of an unsupported aggregate constant");
				return;
			}
			x86_alu_rr(&c->b, X_XOR, 32, EAX, EAX);
			uint32_t i = 0;
			for (; i + 4 <= sz; i += 4)
				x86_mov_mr(&c->b, 32, x86_m(ECX, (int32_t)i), EAX);
			for (; i < sz; i++)
				x86_mov_mr(&c->b, 8, x86_m(ECX, (int32_t)i), EAX);
		}
		return;
	}
	uint32_t nb = (w + 7) / 8;
	if (nb == 3 || (nb >= 5 && nb <= 7)) {
		struct address a = address_of(c, p, ECX, EDX);
		lea_address(c, EDX, a);
		if (nb == 3) {
			load_value(c, EAX, v);
			x86_mov_mr(&c->b, 16, x86_m(EDX, 0), EAX);
			x86_shift_ri(&c->b, X_SHR, 32, EAX, 16);
			x86_mov_mr(&c->b, 8, x86_m(EDX, 2), EAX);
			return;
		}
		load_pair(c, EAX, ECX, v);
		x86_mov_mr(&c->b, 32, x86_m(EDX, 0), EAX);
		if (nb == 5) {
			x86_mov_mr(&c->b, 8, x86_m(EDX, 4), ECX);
		} else {
			x86_mov_mr(&c->b, 16, x86_m(EDX, 4), ECX);
			if (nb == 7) {
				x86_shift_ri(&c->b, X_SHR, 32, ECX, 16);
				x86_mov_mr(&c->b, 8, x86_m(EDX, 6), ECX);
			}
		}
		return;
	}
	if (w > 64) {
		wide_store(c, in); /* packed bit-fields (isel_wide.c) */
		return;
	}
	if (w > 32) {
		/* i57..i64: 8 bytes */
		struct address a = address_of(c, p, ECX, EDX);
		lea_address(c, ECX, a);
		uint64_t k;
		if (known_const(c, v, &k)) {
			x86_mov_mi(&c->b, 32, x86_m(ECX, 0), (int32_t)(uint32_t)k);
			x86_mov_mi(&c->b, 32, x86_m(ECX, 4), (int32_t)(uint32_t)(k >> 32));
			return;
		}
		x86_mem vm = pair_mem(c, v, 0);
		x86_mov_rm(&c->b, 32, EAX, vm);
		x86_mov_mr(&c->b, 32, x86_m(ECX, 0), EAX);
		x86_mov_rm(&c->b, 32, EAX, high_word(vm));
		x86_mov_mr(&c->b, 32, x86_m(ECX, 4), EAX);
		return;
	}
	int size = w <= 8 ? 8 : w <= 16 ? 16 : 32;
	/* i25..i31: 4 bytes */
	uint64_t k;
	int r = EAX;
	bool imm = known_const(c, v, &k);
	if (!imm) {
		struct ir_value *cv = cg_canon(c, v);
		/* a value in a register is stored from there (ESI/EDI have no
		 * byte form) */
		if (cg_is_var(cv) && loc_of(c, cv)->kind == L_REG && (size > 8 || loc_of(c, cv)->reg < 4))
			r = loc_of(c, cv)->reg;
		else
			load_value(c, EAX, v);
	}
	/* address scratch: EAX and one of ECX/EDX the value is not in */
	struct address a = (imm || r != EAX) ? address_of(c, p, EAX, r == X_ECX ? EDX : ECX) : address_of(c, p, ECX, EDX);
	if (imm) {
		x86_mov_mi(&c->b, size, a.m, (int32_t)(uint32_t)k);
		if (a.rk != RK_NONE)
			cg_reloc(c, a.rk, false, a.sym, c->b.len - 4 - (uint32_t)size / 8);
		return;
	}
	if (imm)
		load_imm(c, EAX, (uint32_t)k);
	x86_mov_mr(&c->b, size, a.m, r);
	addr_reloc(c, &a);
}

/* A dynamic alloca (a variable count, or not in the entry block): ESP
 * goes down by the size rounded to the alignment, one page at a time
 * unless it is a constant under a page (frame.c stack probes). */
void emit_alloca(struct codegen *c, struct ir_inst *in)
{
	uint64_t esz = ir_type_size(in->alloc_type);
	uint32_t al = in->align > 4 ? in->align : 4;
	if (al > 4096) al = 4096;
	uint64_t n;
	bool small = known_const(c, ir_op(in, 0), &n) && n <= PROBE_PAGE && esz <= PROBE_PAGE &&
		     ((uint32_t)(n * esz) + al - 1) / al * al < PROBE_PAGE;
	load_value(c, EAX, ir_op(in, 0));
	if (esz != 1)
		x86_imul_rri(&c->b, EAX, EAX, (int32_t)esz);
	x86_alu_ri(&c->b, X_ADD, 32, EAX, (int32_t)(al - 1));
	x86_alu_ri(&c->b, X_AND, 32, EAX, -(int32_t)al);
	if (small)
		x86_alu_rr(&c->b, X_SUB, 32, ESP, EAX);
	else
		stack_alloc_eax(c);
	x86_mov_rr(&c->b, 32, EAX, ESP);
	store_result(c, &in->v, EAX);
}

/* The member an extractvalue/insertvalue index list names: its type, with
 * its byte offset added to *off; NULL for an index that does not fit. */
static struct ir_type *agg_member(struct ir_type *t, const struct ir_inst *in, int32_t *off)
{
	for (uint32_t i = 0; i < in->nidx; i++) {
		if (t->kind == IR_TY_STRUCT && in->idx[i] < t->nmembers) {
			*off += (int32_t)ir_struct_offset(t, in->idx[i]);
			t = t->members[in->idx[i]];
		} else if (t->kind == IR_TY_ARRAY) {
			t = t->elem;
			*off += (int32_t)(in->idx[i] * ir_type_size(t));
		} else {
			return NULL;
		}
	}
	return t;
}

void emit_extract(struct codegen *c, struct ir_inst *in)
{
	int32_t so;
	struct ir_value *agg = ir_op(in, 0);
	if (!agg_slot(c, agg, &so)) {
		isel_fail(c, "extractvalue from a constant or unsupported aggregate");
		return;
	}
	struct ir_type *t = agg->type;
	int32_t off = so;
	if (!(t = agg_member(t, in, &off))) {
		isel_fail(c, "bad extractvalue index");
		return;
	}
	uint32_t w = cg_type_bits(t);
	if (w == 0) {
		int32_t d;
		if (!agg_slot(c, &in->v, &d)) {
			isel_fail(c, "unsupported extractvalue type");
			return;
		}
		copy_mem(c, slot_mem(d), slot_mem(off), (uint32_t)ir_type_size(t));
		return;
	}
	if (w > 32) {
		x86_mov_rm(&c->b, 32, EAX, slot_mem(off));
		x86_mov_rm(&c->b, 32, EDX, slot_mem(off + 4));
		store_pair(c, &in->v, EAX, EDX);
		return;
	}
	int r = dest_reg(c, &in->v);
	if (w <= 8)
		x86_movzx_rm(&c->b, 8, r, slot_mem(off));
	else if (w <= 16)
		x86_movzx_rm(&c->b, 16, r, slot_mem(off));
	else
		x86_mov_rm(&c->b, 32, r, slot_mem(off));
	store_result(c, &in->v, r);
}

void emit_insert(struct codegen *c, struct ir_inst *in)
{
	int32_t d, so;
	struct ir_value *agg = ir_op(in, 0), *e = ir_op(in, 1);
	if (!agg_slot(c, &in->v, &d)) {
		isel_fail(c, "unsupported insertvalue");
		return;
	}
	uint32_t sz = (uint32_t)ir_type_size(in->v.type);
	if (agg_slot(c, agg, &so)) {
		copy_mem(c, slot_mem(d), slot_mem(so), sz);
	} else {
		struct ir_value *cv = cg_canon(c, agg);
		if (cv->kind != IR_VAL_CONST_UNDEF && cv->kind != IR_VAL_CONST_POISON &&
		    cv->kind != IR_VAL_CONST_NULL) {
			isel_fail(c, "insertvalue into a constant aggregate");
			return;
		}
		for (uint32_t i = 0; i + 4 <= sz; i += 4)
			x86_mov_mi(&c->b, 32, slot_mem(d + (int32_t)i), 0);
	}
	struct ir_type *t = in->v.type;
	int32_t off = d;
	if (!(t = agg_member(t, in, &off))) {
		isel_fail(c, "bad insertvalue index");
		return;
	}
	uint32_t w = cg_type_bits(t);
	if (w == 0 || w > 64) {
		isel_fail(c, "unsupported insertvalue element");
		return;
	}
	if (w > 32) {
		load_pair(c, EAX, EDX, e);
		x86_mov_mr(&c->b, 32, slot_mem(off), EAX);
		x86_mov_mr(&c->b, 32, slot_mem(off + 4), EDX);
		return;
	}
	load_value(c, EAX, e);
	x86_mov_mr(&c->b, w <= 8 ? 8 : w <= 16 ? 16 : 32, slot_mem(off), EAX);
}
