/* servers/jit/ir/print.c: textual IR close to llvm-dis output, for
 * llbc-dis, debugging and tests.  Unnamed locals are numbered the way
 * LLVM numbers them (arguments, then per block: the block, then its
 * non-void instructions).  Constant printing has a node budget so that a
 * DAG of shared constants cannot blow up the output. */
#include <stdarg.h>
#include <string.h>
#include "lib/fmt.h"
#include "servers/jit/ir/ir.h"

#define CONST_BUDGET 100000

static void put(struct ir_printer *p, const char *s)
{
	p->write(p->ctx, s, strlen(s));
}

static void putf(struct ir_printer *p, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void putf(struct ir_printer *p, const char *fmt, ...)
{
	char buf[256];
	va_list ap;
	va_start(ap, fmt);
	int n = bf_vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	p->write(p->ctx, buf, (size_t)n < sizeof buf ? (size_t)n : sizeof buf - 1);
}

/* Names are printed bare when made of [-a-zA-Z$._0-9] (not starting with
 * a digit), else quoted. */
static void put_name(struct ir_printer *p, char sigil, const char *name)
{
	char s[2] = { sigil, 0 };
	put(p, s);
	bool plain = name[0] && !(name[0] >= '0' && name[0] <= '9');
	for (const char *c = name; *c && plain; c++)
		if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
		      (*c >= '0' && *c <= '9') || *c == '-' || *c == '$' || *c == '.' || *c == '_'))
			plain = false;
	if (plain) {
		put(p, name);
		return;
	}
	put(p, "\"");
	for (const unsigned char *c = (const unsigned char *)name; *c; c++) {
		if (*c == '"' || *c == '\\' || *c < 32 || *c > 126)
			putf(p, "\\%02X", *c);
		else
			p->write(p->ctx, (const char *)c, 1);
	}
	put(p, "\"");
}

void ir_print_type(struct ir_printer *p, const struct ir_type *t)
{
	switch (t->kind) {
	case IR_TY_VOID: put(p, "void"); break;
	case IR_TY_LABEL: put(p, "label"); break;
	case IR_TY_INT: putf(p, "i%u", t->bits); break;
	case IR_TY_PTR:
		if (t->addrspace)
			putf(p, "ptr addrspace(%u)", t->addrspace);
		else
			put(p, "ptr");
		break;
	case IR_TY_HALF: put(p, "half"); break;
	case IR_TY_BFLOAT: put(p, "bfloat"); break;
	case IR_TY_FLOAT: put(p, "float"); break;
	case IR_TY_DOUBLE: put(p, "double"); break;
	case IR_TY_X86_FP80: put(p, "x86_fp80"); break;
	case IR_TY_FP128: put(p, "fp128"); break;
	case IR_TY_PPC_FP128: put(p, "ppc_fp128"); break;
	case IR_TY_METADATA: put(p, "metadata"); break;
	case IR_TY_TOKEN: put(p, "token"); break;
	case IR_TY_X86_MMX: put(p, "x86_mmx"); break;
	case IR_TY_X86_AMX: put(p, "x86_amx"); break;
	case IR_TY_ARRAY:
		putf(p, "[%llu x ", (unsigned long long)t->count);
		ir_print_type(p, t->elem);
		put(p, "]");
		break;
	case IR_TY_VECTOR:
		putf(p, "<%s%llu x ", t->scalable ? "vscale x " : "", (unsigned long long)t->count);
		ir_print_type(p, t->elem);
		put(p, ">");
		break;
	case IR_TY_OPAQUE:
		put_name(p, '%', t->name ? t->name : "opaque");
		break;
	case IR_TY_STRUCT:
		if (t->name && *t->name) {
			put_name(p, '%', t->name);
			break;
		}
		put(p, t->packed ? "<{ " : "{ ");
		for (uint32_t i = 0; i < t->nmembers; i++) {
			if (i)
				put(p, ", ");
			ir_print_type(p, t->members[i]);
		}
		put(p, t->nmembers ? (t->packed ? " }>" : " }") : (t->packed ? "}>" : "}"));
		break;
	case IR_TY_FUNC:
		ir_print_type(p, t->ret);
		put(p, " (");
		for (uint32_t i = 0; i < t->nmembers; i++) {
			if (i)
				put(p, ", ");
			ir_print_type(p, t->members[i]);
		}
		if (t->vararg)
			put(p, t->nmembers ? ", ..." : "...");
		put(p, ")");
		break;
	}
}

static void print_const(struct ir_printer *p, const struct ir_const *c, uint32_t *budget);

static void print_ref(struct ir_printer *p, const struct ir_value *v, bool with_type,
		      uint32_t *budget)
{
	if (with_type) {
		ir_print_type(p, v->type);
		put(p, " ");
	}
	switch (v->kind) {
	case IR_VAL_GLOBAL:
	case IR_VAL_FUNC:
		if (v->name)
			put_name(p, '@', v->name);
		else
			putf(p, "@%u", v->id);
		break;
	case IR_VAL_ARG:
	case IR_VAL_INST:
	case IR_VAL_BLOCK:
		if (v->name)
			put_name(p, '%', v->name);
		else
			putf(p, "%%%u", v->slot);
		break;
	case IR_VAL_METADATA:
		put(p, "!<metadata>");
		break;
	case IR_VAL_ASM_BARRIER:
		put(p, "asm sideeffect \"\", \"<barrier>\"");
		break;
	case IR_VAL_PLACEHOLDER:
		putf(p, "<forward %u>", v->id);
		break;
	default:
		print_const(p, (const struct ir_const *)v, budget);
		break;
	}
}

void ir_print_value_ref(struct ir_printer *p, const struct ir_value *v, bool with_type)
{
	uint32_t budget = CONST_BUDGET;
	print_ref(p, v, with_type, &budget);
}

static void print_fp(struct ir_printer *p, const struct ir_const *c)
{
	switch (c->v.type->kind) {
	case IR_TY_DOUBLE:
		putf(p, "0x%016llX", (unsigned long long)c->fp_bits);
		break;
	case IR_TY_FLOAT: {
		/* LLVM prints floats as the equivalent double's bits */
		uint32_t b = (uint32_t)c->fp_bits;
		uint64_t sign = (uint64_t)(b >> 31) << 63;
		uint32_t exp = (b >> 23) & 0xff, man = b & 0x7fffff;
		uint64_t d;
		if (exp == 0 && man == 0) {
			d = sign;
		} else if (exp == 0xff) {
			d = sign | (0x7ffull << 52) | ((uint64_t)man << 29);
		} else if (exp == 0) {          /* subnormal: normalise */
			int e = -126;
			while (!(man & 0x800000)) {
				man <<= 1;
				e--;
			}
			man &= 0x7fffff;
			d = sign | ((uint64_t)(e + 1023) << 52) | ((uint64_t)man << 29);
		} else {
			d = sign | ((uint64_t)(exp - 127 + 1023) << 52) | ((uint64_t)man << 29);
		}
		putf(p, "0x%016llX", (unsigned long long)d);
		break;
	}
	case IR_TY_HALF: putf(p, "0xH%04X", (unsigned)c->fp_bits); break;
	case IR_TY_BFLOAT: putf(p, "0xR%04X", (unsigned)c->fp_bits); break;
	case IR_TY_X86_FP80:
		putf(p, "0xK%04X%016llX", (unsigned)(c->fp_hi & 0xffff), (unsigned long long)c->fp_bits);
		break;
	default:
		putf(p, "0xL%016llX%016llX", (unsigned long long)c->fp_bits,
		     (unsigned long long)c->fp_hi);
		break;
	}
}

/* An integer constant wider than 64 bits as llvm-dis writes it: signed
 * decimal.  Long division by 10 on 32-bit limbs (the reader is built
 * for i386 too: no 128-bit arithmetic); widths past 512 bits, which no
 * C compiler makes, as hex. */
static void print_wide(struct ir_printer *p, const struct ir_const *c)
{
	enum { MAXW = 512 };
	uint32_t bits = c->v.type->bits, n = (bits + 31) / 32, limb[MAXW / 32];
	if (!c->wide || bits > MAXW) {
		putf(p, "0x%llx<wide>", (unsigned long long)c->i);
		return;
	}
	for (uint32_t i = 0; i < n; i++)
		limb[i] = (uint32_t)(c->wide[i / 2] >> (32 * (i & 1)));
	if (bits % 32)	/* only the type's bits */
		limb[n - 1] &= (1u << (bits % 32)) - 1;
	bool neg = (limb[n - 1] >> ((bits - 1) % 32)) & 1;
	if (neg) {	/* the magnitude: two's complement within `bits` */
		uint64_t carry = 1;
		for (uint32_t i = 0; i < n; i++) {
			carry += (uint32_t)~limb[i];
			limb[i] = (uint32_t)carry;
			carry >>= 32;
		}
		if (bits % 32)
			limb[n - 1] &= (1u << (bits % 32)) - 1;
	}
	char digit[MAXW * 31 / 100 + 3];	/* log10(2) < 0.31 */
	uint32_t nd = 0, top = n;
	do {
		uint64_t rem = 0;
		for (uint32_t i = top; i-- > 0;) {
			uint64_t cur = rem << 32 | limb[i];
			limb[i] = (uint32_t)(cur / 10);
			rem = cur % 10;
		}
		digit[nd++] = (char)('0' + rem);
		while (top && !limb[top - 1])
			top--;
	} while (top);
	if (neg)
		put(p, "-");
	while (nd)
		putf(p, "%c", digit[--nd]);
}

static void print_const(struct ir_printer *p, const struct ir_const *c, uint32_t *budget)
{
	if (*budget == 0) {
		put(p, "...");
		return;
	}
	(*budget)--;
	const struct ir_type *t = c->v.type;
	switch (c->v.kind) {
	case IR_VAL_CONST_INT:
		if (t->bits == 1)
			put(p, c->i ? "true" : "false");
		else if (t->bits <= 64)
			putf(p, "%lld", (long long)ir_const_sext(c));
		else
			print_wide(p, c);
		break;
	case IR_VAL_CONST_FP:
		print_fp(p, c);
		break;
	case IR_VAL_CONST_NULL:
		if (t->kind == IR_TY_PTR)
			put(p, "null");
		else if (t->kind == IR_TY_INT)
			put(p, t->bits == 1 ? "false" : "0");
		else if (ir_type_is_fp(t))
			put(p, "0.000000e+00");
		else
			put(p, "zeroinitializer");
		break;
	case IR_VAL_CONST_UNDEF: put(p, "undef"); break;
	case IR_VAL_CONST_POISON: put(p, "poison"); break;
	case IR_VAL_CONST_AGG: {
		const char *open = t->kind == IR_TY_STRUCT ? (t->packed ? "<{ " : "{ ")
				   : t->kind == IR_TY_VECTOR ? "<" : "[";
		const char *close = t->kind == IR_TY_STRUCT ? (t->packed ? " }>" : " }")
				    : t->kind == IR_TY_VECTOR ? ">" : "]";
		put(p, open);
		for (uint32_t i = 0; i < c->nelems && *budget; i++) {
			if (i)
				put(p, ", ");
			print_ref(p, c->elems[i], true, budget);
		}
		put(p, close);
		break;
	}
	case IR_VAL_CONST_DATA: {
		const struct ir_type *el = t->elem;
		if (el->kind == IR_TY_INT && el->bits == 8 && t->kind == IR_TY_ARRAY) {
			put(p, "c\"");
			for (uint32_t i = 0; i < c->nelems; i++) {
				unsigned ch = (unsigned)c->data[i];
				if (ch >= 32 && ch < 127 && ch != '"' && ch != '\\') {
					char s = (char)ch;
					p->write(p->ctx, &s, 1);
				} else {
					putf(p, "\\%02X", ch);
				}
			}
			put(p, "\"");
			break;
		}
		put(p, t->kind == IR_TY_VECTOR ? "<" : "[");
		for (uint32_t i = 0; i < c->nelems; i++) {
			if (i)
				put(p, ", ");
			ir_print_type(p, el);
			if (el->kind == IR_TY_INT) {
				uint64_t v = c->data[i];
				if (el->bits < 64 && (v >> (el->bits - 1)) & 1)
					v |= ~(uint64_t)0 << el->bits;
				putf(p, " %lld", (long long)v);
			} else {
				putf(p, " 0x%llX", (unsigned long long)c->data[i]);
			}
		}
		put(p, t->kind == IR_TY_VECTOR ? ">" : "]");
		break;
	}
	case IR_VAL_CONST_EXPR: {
		const struct ir_const_expr *e = &c->expr;
		put(p, ir_opcode_name(e->op));
		if (e->flags & IR_FL_INBOUNDS)
			put(p, " inbounds");
		if (e->flags & IR_FL_NUW)
			put(p, " nuw");
		if (e->flags & IR_FL_NSW)
			put(p, " nsw");
		if (e->op == IR_OP_ICMP || e->op == IR_OP_FCMP)
			putf(p, " %s", ir_pred_name(e->pred));
		put(p, " (");
		if (e->op == IR_OP_GEP && e->src_type) {
			ir_print_type(p, e->src_type);
			put(p, ", ");
		}
		for (uint32_t i = 0; i < e->nops && *budget; i++) {
			if (i)
				put(p, ", ");
			print_ref(p, e->ops[i], true, budget);
		}
		if (e->op >= IR_OP_TRUNC && e->op <= IR_OP_ADDRSPACECAST) {
			put(p, " to ");
			ir_print_type(p, t);
		}
		put(p, ")");
		break;
	}
	default:
		put(p, "<?>");
	}
}

/* Parameter/return attributes, before the value (" sret(T) align 4"). */
static void print_attrs(struct ir_printer *p, const struct ir_attrs *a)
{
	static const struct { uint32_t bit; const char *name; } names[] = {
		{ IR_ATTR_NOALIAS, " noalias" }, { IR_ATTR_NONNULL, " nonnull" },
		{ IR_ATTR_INREG, " inreg" }, { IR_ATTR_SEXT, " signext" },
		{ IR_ATTR_ZEXT, " zeroext" }, { IR_ATTR_RETURNED, " returned" },
	};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (a->flags & names[i].bit)
			put(p, names[i].name);
	if (a->flags & (IR_ATTR_BYVAL | IR_ATTR_SRET)) {
		put(p, a->flags & IR_ATTR_SRET ? " sret(" : " byval(");
		if (a->type)
			ir_print_type(p, a->type);
		put(p, ")");
	}
	if (a->align)
		putf(p, " align %u", a->align);
}

static const char *ordering_name(uint32_t o)
{
	static const char *const n[] = { "notatomic", "unordered", "monotonic", "acquire",
					 "release", "acq_rel", "seq_cst" };
	return o < sizeof n / sizeof n[0] ? n[o] : "<ordering?>";
}

static void print_align(struct ir_printer *p, uint32_t a)
{
	if (a)
		putf(p, ", align %u", a);
}

void ir_print_inst(struct ir_printer *p, const struct ir_inst *in)
{
	uint32_t budget = CONST_BUDGET;
	put(p, "  ");
	if (in->v.type->kind != IR_TY_VOID) {
		print_ref(p, &in->v, false, &budget);
		put(p, " = ");
	}
	const struct ir_value *o0 = in->nops ? in->ops[0].value : NULL;
	switch (in->op) {
	case IR_OP_RET:
		put(p, "ret ");
		if (o0)
			print_ref(p, o0, true, &budget);
		else
			put(p, "void");
		break;
	case IR_OP_BR:
		put(p, "br ");
		if (in->nops == 1) {
			print_ref(p, o0, true, &budget);
		} else {
			for (uint32_t i = 0; i < 3; i++) {
				if (i)
					put(p, ", ");
				print_ref(p, in->ops[i].value, true, &budget);
			}
		}
		break;
	case IR_OP_SWITCH:
		put(p, "switch ");
		print_ref(p, o0, true, &budget);
		put(p, ", ");
		print_ref(p, in->ops[1].value, true, &budget);
		put(p, " [\n");
		for (uint32_t i = 2; i + 1 < in->nops; i += 2) {
			put(p, "    ");
			print_ref(p, in->ops[i].value, true, &budget);
			put(p, ", ");
			print_ref(p, in->ops[i + 1].value, true, &budget);
			put(p, "\n");
		}
		put(p, "  ]");
		break;
	case IR_OP_PHI:
		put(p, "phi ");
		ir_print_type(p, in->v.type);
		for (uint32_t i = 0; i + 1 < in->nops; i += 2) {
			put(p, i ? ", [ " : " [ ");
			print_ref(p, in->ops[i].value, false, &budget);
			put(p, ", ");
			print_ref(p, in->ops[i + 1].value, false, &budget);
			put(p, " ]");
		}
		break;
	case IR_OP_ICMP:
	case IR_OP_FCMP:
		putf(p, "%s %s ", ir_opcode_name(in->op), ir_pred_name(in->pred));
		print_ref(p, o0, true, &budget);
		put(p, ", ");
		print_ref(p, in->ops[1].value, false, &budget);
		break;
	case IR_OP_ALLOCA:
		put(p, "alloca ");
		ir_print_type(p, in->alloc_type);
		if (!(o0->kind == IR_VAL_CONST_INT && ((const struct ir_const *)o0)->i == 1)) {
			put(p, ", ");
			print_ref(p, o0, true, &budget);
		}
		print_align(p, in->align);
		break;
	case IR_OP_LOAD:
		put(p, in->flags & IR_FL_ATOMIC ? "load atomic " : "load ");
		if (in->flags & IR_FL_VOLATILE)
			put(p, "volatile ");
		ir_print_type(p, in->v.type);
		put(p, ", ");
		print_ref(p, o0, true, &budget);
		if (in->flags & IR_FL_ATOMIC)
			putf(p, " %s", ordering_name(in->ordering));
		print_align(p, in->align);
		break;
	case IR_OP_STORE:
		put(p, in->flags & IR_FL_ATOMIC ? "store atomic " : "store ");
		if (in->flags & IR_FL_VOLATILE)
			put(p, "volatile ");
		print_ref(p, o0, true, &budget);
		put(p, ", ");
		print_ref(p, in->ops[1].value, true, &budget);
		if (in->flags & IR_FL_ATOMIC)
			putf(p, " %s", ordering_name(in->ordering));
		print_align(p, in->align);
		break;
	case IR_OP_GEP:
		put(p, "getelementptr ");
		if (in->flags & IR_FL_INBOUNDS)
			put(p, "inbounds ");
		ir_print_type(p, in->src_type);
		for (uint32_t i = 0; i < in->nops; i++) {
			put(p, ", ");
			print_ref(p, in->ops[i].value, true, &budget);
		}
		break;
	case IR_OP_CALL: {
		if (in->flags & IR_FL_MUSTTAIL)
			put(p, "musttail ");
		else if (in->flags & IR_FL_TAIL)
			put(p, "tail ");
		else if (in->flags & IR_FL_NOTAIL)
			put(p, "notail ");
		put(p, "call ");
		const struct ir_type *ft = in->fn_type;
		if (ft->vararg)
			ir_print_type(p, ft);
		else
			ir_print_type(p, ft->ret);
		put(p, " ");
		print_ref(p, o0, false, &budget);
		put(p, "(");
		for (uint32_t i = 1; i < in->nops; i++) {
			if (i > 1)
				put(p, ", ");
			const struct ir_value *v = in->ops[i].value;
			ir_print_type(p, v->type);
			if (i < in->ncall_attrs)
				print_attrs(p, &in->call_attrs[i]);
			put(p, " ");
			print_ref(p, v, false, &budget);
		}
		put(p, ")");
		if (in->call_fn_attrs & IR_FN_NORETURN)
			put(p, " noreturn");
		break;
	}
	case IR_OP_ATOMICRMW:
	case IR_OP_CMPXCHG: {
		static const char *const rmw[] = {
			"xchg", "add", "sub", "and", "nand", "or", "xor", "max", "min",
			"umax", "umin", "fadd", "fsub", "fmax", "fmin", "uinc_wrap", "udec_wrap",
		};
		put(p, ir_opcode_name(in->op));
		if (in->flags & IR_FL_WEAK)
			put(p, " weak");
		if (in->flags & IR_FL_VOLATILE)
			put(p, " volatile");
		if (in->op == IR_OP_ATOMICRMW)
			putf(p, " %s", in->pred < sizeof rmw / sizeof rmw[0] ? rmw[in->pred] : "?");
		for (uint32_t i = 0; i < in->nops; i++) {
			put(p, i ? ", " : " ");
			print_ref(p, in->ops[i].value, true, &budget);
		}
		putf(p, " %s", ordering_name(in->ordering));
		if (in->op == IR_OP_CMPXCHG)
			putf(p, " %s", ordering_name(in->pred));
		print_align(p, in->align);
		break;
	}
	case IR_OP_SELECT:
	case IR_OP_FREEZE:
	case IR_OP_FNEG:
	case IR_OP_EXTRACTELEMENT:
	case IR_OP_INSERTELEMENT:
	case IR_OP_SHUFFLEVECTOR:
		put(p, ir_opcode_name(in->op));
		for (uint32_t i = 0; i < in->nops; i++) {
			put(p, i ? ", " : " ");
			print_ref(p, in->ops[i].value, true, &budget);
		}
		break;
	case IR_OP_EXTRACTVALUE:
	case IR_OP_INSERTVALUE:
		put(p, ir_opcode_name(in->op));
		for (uint32_t i = 0; i < in->nops; i++) {
			put(p, i ? ", " : " ");
			print_ref(p, in->ops[i].value, true, &budget);
		}
		for (uint32_t i = 0; i < in->nidx; i++)
			putf(p, ", %u", in->idx[i]);
		break;
	case IR_OP_VAARG:
		put(p, "va_arg ");
		print_ref(p, o0, true, &budget);
		put(p, ", ");
		ir_print_type(p, in->v.type);
		break;
	case IR_OP_FENCE:
		putf(p, "fence %s", ordering_name(in->ordering));
		break;
	case IR_OP_UNREACHABLE:
		put(p, "unreachable");
		break;
	default:
		put(p, ir_opcode_name(in->op));
		if (in->flags & IR_FL_NUW)
			put(p, " nuw");
		if (in->flags & IR_FL_NSW)
			put(p, " nsw");
		if (in->flags & IR_FL_EXACT)
			put(p, " exact");
		if (in->flags & IR_FL_DISJOINT)
			put(p, " disjoint");
		if (in->flags & IR_FL_NNEG)
			put(p, " nneg");
		put(p, " ");
		print_ref(p, o0, true, &budget);
		if (in->op >= IR_OP_TRUNC && in->op <= IR_OP_ADDRSPACECAST) {
			put(p, " to ");
			ir_print_type(p, in->v.type);
		} else {
			for (uint32_t i = 1; i < in->nops; i++) {
				put(p, ", ");
				print_ref(p, in->ops[i].value, false, &budget);
			}
		}
		break;
	}
	put(p, "\n");
}

void ir_print_number(const struct ir_func *f)
{
	uint32_t n = 0;
	for (uint32_t i = 0; i < f->nparams; i++)
		if (!f->params[i].v.name)
			((struct ir_value *)&f->params[i].v)->slot = n++;
	for (uint32_t b = 0; b < f->nblocks; b++) {
		struct ir_block *bb = f->blocks[b];
		if (!bb->v.name)
			bb->v.slot = n++;
		for (struct ir_inst *in = bb->first; in; in = in->next)
			if (!in->v.name && in->v.type->kind != IR_TY_VOID)
				in->v.slot = n++;
	}
}

void ir_print_func(struct ir_printer *p, const struct ir_func *f)
{
	ir_print_number(f);
	put(p, f->is_decl ? "declare" : "define");
	if (f->linkage != IR_LINK_EXTERNAL) {
		put(p, " ");
		put(p, ir_linkage_name(f->linkage));
	}
	print_attrs(p, &f->ret_attrs);
	put(p, " ");
	ir_print_type(p, f->fn_type->ret);
	put(p, " ");
	put_name(p, '@', f->v.name ? f->v.name : "");
	put(p, "(");
	for (uint32_t i = 0; i < f->nparams; i++) {
		if (i)
			put(p, ", ");
		ir_print_type(p, f->params[i].v.type);
		print_attrs(p, &f->params[i].attrs);
		if (!f->is_decl) {
			put(p, " ");
			ir_print_value_ref(p, &f->params[i].v, false);
		}
	}
	if (f->fn_type->vararg)
		put(p, f->nparams ? ", ..." : "...");
	put(p, ")");
	if (f->attrs & IR_FN_NORETURN)
		put(p, " noreturn");
	if (f->is_decl) {
		put(p, "\n");
		return;
	}
	put(p, " {\n");
	for (uint32_t b = 0; b < f->nblocks; b++) {
		const struct ir_block *bb = f->blocks[b];
		if (b) {
			put(p, "\n");
			if (bb->v.name) {
				put_name(p, ' ', bb->v.name);
				put(p, ":\n");
			} else {
				putf(p, "%u:\n", bb->v.slot);
			}
		}
		for (const struct ir_inst *in = bb->first; in; in = in->next)
			ir_print_inst(p, in);
	}
	put(p, "}\n");
}

void ir_print_module(struct ir_printer *p, const struct ir_module *m)
{
	if (m->source_filename && *m->source_filename)
		putf(p, "source_filename = \"%s\"\n", m->source_filename);
	if (m->datalayout && *m->datalayout)
		putf(p, "target datalayout = \"%s\"\n", m->datalayout);
	if (m->triple && *m->triple)
		putf(p, "target triple = \"%s\"\n", m->triple);
	bool any = false;
	for (uint32_t i = 0; i < m->ntypes; i++) {
		const struct ir_type *t = m->types[i];
		if ((t->kind == IR_TY_STRUCT && t->name && *t->name) || t->kind == IR_TY_OPAQUE) {
			if (!any)
				put(p, "\n");
			any = true;
			put_name(p, '%', t->name);
			put(p, " = type ");
			if (t->kind == IR_TY_OPAQUE) {
				put(p, "opaque\n");
				continue;
			}
			put(p, t->packed ? "<{ " : "{ ");
			for (uint32_t k = 0; k < t->nmembers; k++) {
				if (k)
					put(p, ", ");
				ir_print_type(p, t->members[k]);
			}
			put(p, t->packed ? " }>\n" : " }\n");
		}
	}
	if (m->nglobals)
		put(p, "\n");
	for (uint32_t i = 0; i < m->nglobals; i++) {
		const struct ir_global *g = m->globals[i];
		uint32_t budget = CONST_BUDGET;
		put_name(p, '@', g->v.name ? g->v.name : "");
		put(p, " = ");
		if (g->linkage != IR_LINK_EXTERNAL || !g->init) {
			put(p, g->init || g->linkage != IR_LINK_EXTERNAL ? ir_linkage_name(g->linkage)
			    : "external");
			put(p, " ");
		}
		if (g->unnamed_addr == 1)
			put(p, "unnamed_addr ");
		else if (g->unnamed_addr == 2)
			put(p, "local_unnamed_addr ");
		put(p, g->is_const ? "constant " : "global ");
		ir_print_type(p, g->value_type);
		if (g->init) {
			put(p, " ");
			print_ref(p, g->init, false, &budget);
		}
		if (g->section)
			putf(p, ", section \"%s\"", g->section);
		print_align(p, g->align);
		put(p, "\n");
	}
	for (uint32_t i = 0; i < m->nfuncs; i++) {
		put(p, "\n");
		ir_print_func(p, m->funcs[i]);
	}
}
