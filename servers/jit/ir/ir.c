/* servers/jit/ir/ir.c: the IR's arena, type layout, names, the gep
 * index check and dominators.  What changes IR is in edit.c, the
 * verifier in verify.c and the printer in print.c. */
#include <string.h>
#include "servers/jit/ir/ir.h"

/* ------------------------------------------------------------------ arena */

void ir_arena_init(struct ir_arena *a, void *mem, size_t size)
{
	a->base = mem;
	a->size = mem ? size : 0;
	a->used = 0;
	a->peak = 0;
	a->backed = a->size;
	a->grow = NULL;
	a->grow_ctx = NULL;
}

void ir_arena_init_lazy(struct ir_arena *a, void *mem, size_t size,
			size_t (*grow)(void *ctx, void *at, size_t n), void *ctx)
{
	ir_arena_init(a, mem, size);
	a->backed = 0;
	a->grow = grow;
	a->grow_ctx = ctx;
}

void *ir_arena_alloc(struct ir_arena *a, size_t n, size_t align)
{
	if (!align || (align & (align - 1)))
		align = 8;
	uintptr_t base = (uintptr_t)a->base;
	uintptr_t p = (base + a->used + align - 1) & ~(uintptr_t)(align - 1);
	size_t off = (size_t)(p - base);
	if (off > a->size || n > a->size - off)
		return NULL;
	if (off + n > a->backed) {
		size_t more = a->grow ? a->grow(a->grow_ctx, a->base + a->backed, off + n - a->backed) : 0;
		if (more < off + n - a->backed)
			return NULL;
		a->backed += more;
	}
	a->used = off + n;
	if (a->used > a->peak)
		a->peak = a->used;
	memset((void *)p, 0, n);
	return (void *)p;
}

char *ir_arena_strdup(struct ir_arena *a, const char *s, size_t n)
{
	if (n == SIZE_MAX)
		return NULL;
	char *d = ir_arena_alloc(a, n + 1, 1);
	if (d) {
		if (n)
			memcpy(d, s, n);
		d[n] = 0;
	}
	return d;
}

void ir_arena_reset(struct ir_arena *a, size_t mark)
{
	if (mark <= a->used)
		a->used = mark;
}

/* ------------------------------------------------------------------ types */

static uint64_t round_up(uint64_t v, uint32_t a)
{
	return a ? (v + a - 1) / a * a : v;
}

/* i386 data layout: i1..i8 1, i16 2, i32 4, i64 4 (ABI), i128 16;
 * other widths take the alignment of the next larger listed width. */
static uint32_t int_align(uint32_t bits)
{
	if (bits <= 8) return 1;
	if (bits <= 16) return 2;
	if (bits <= 64) return 4;
	return 16;
}

int ir_type_layout(struct ir_type *t)
{
	uint64_t size = 0;
	uint32_t align = 0;
	switch (t->kind) {
	case IR_TY_INT:
		align = int_align(t->bits);
		size = round_up(((uint64_t)t->bits + 7) / 8, align);
		break;
	case IR_TY_PTR: size = 4; align = 4; break;
	case IR_TY_HALF: case IR_TY_BFLOAT: size = 2; align = 2; break;
	case IR_TY_FLOAT: size = 4; align = 4; break;
	case IR_TY_DOUBLE: size = 8; align = 4; break;
	case IR_TY_X86_FP80: size = 12; align = 4; break;
	case IR_TY_FP128: case IR_TY_PPC_FP128: size = 16; align = 16; break;
	case IR_TY_X86_MMX: size = 8; align = 8; break;
	case IR_TY_ARRAY:
		align = t->elem->align;
		if (t->elem->size && t->count > ((uint64_t)1 << 32) / t->elem->size)
			return -1;
		size = t->count * t->elem->size;
		break;
	case IR_TY_VECTOR: {
		uint64_t bits = t->elem->kind == IR_TY_INT ? t->elem->bits : t->elem->size * 8;
		if (t->count > ((uint64_t)1 << 35) / (bits ? bits : 1))
			return -1;
		uint64_t bytes = (t->count * bits + 7) / 8;
		align = 1;
		while (align < bytes && align < (1u << 30))
			align <<= 1;
		size = round_up(bytes, align);
		break;
	}
	case IR_TY_STRUCT:
		align = 1;
		for (uint32_t i = 0; i < t->nmembers; i++) {
			const struct ir_type *m = t->members[i];
			uint32_t ma = t->packed ? 1 : (m->align ? m->align : 1);
			size = round_up(size, ma) + m->size;
			if (ma > align)
				align = ma;
			if (size >= ((uint64_t)1 << 32))
				return -1;
		}
		size = round_up(size, align);
		for (uint32_t i = 0; i < t->nmembers; i++)
			if (!t->members[i]->align)
				align = 0;      /* an unsized member: unsized struct */
		break;
	default:
		break;
	}
	if (size >= ((uint64_t)1 << 32))
		return -1;
	t->size = size;
	t->align = align;
	return 0;
}

uint64_t ir_type_size(const struct ir_type *t)
{
	return t->size;
}

uint32_t ir_type_align(const struct ir_type *t)
{
	return t->align;
}

uint64_t ir_struct_offset(const struct ir_type *st, uint32_t idx)
{
	uint64_t off = 0;
	for (uint32_t i = 0; i < st->nmembers; i++) {
		const struct ir_type *m = st->members[i];
		off = round_up(off, st->packed ? 1 : (m->align ? m->align : 1));
		if (i == idx)
			return off;
		off += m->size;
	}
	return off;
}

/* -------------------------------------------------------------- constants */

int64_t ir_const_sext(const struct ir_const *c)
{
	uint32_t bits = c->v.type->bits;
	if (bits >= 64 || bits == 0)
		return (int64_t)c->i;
	uint64_t sign = (uint64_t)1 << (bits - 1);
	return (int64_t)((c->i ^ sign) - sign);
}

/* ------------------------------------------------------------------ names */

const char *ir_opcode_name(enum ir_opcode op)
{
	static const char *const n[IR_OP__COUNT] = {
		[IR_OP_NONE] = "<none>", [IR_OP_RET] = "ret", [IR_OP_BR] = "br",
		[IR_OP_SWITCH] = "switch", [IR_OP_UNREACHABLE] = "unreachable",
		[IR_OP_INDIRECTBR] = "indirectbr", [IR_OP_INVOKE] = "invoke",
		[IR_OP_RESUME] = "resume", [IR_OP_CALLBR] = "callbr",
		[IR_OP_ADD] = "add", [IR_OP_SUB] = "sub", [IR_OP_MUL] = "mul",
		[IR_OP_UDIV] = "udiv", [IR_OP_SDIV] = "sdiv", [IR_OP_UREM] = "urem",
		[IR_OP_SREM] = "srem", [IR_OP_SHL] = "shl", [IR_OP_LSHR] = "lshr",
		[IR_OP_ASHR] = "ashr", [IR_OP_AND] = "and", [IR_OP_OR] = "or",
		[IR_OP_XOR] = "xor", [IR_OP_FADD] = "fadd", [IR_OP_FSUB] = "fsub",
		[IR_OP_FMUL] = "fmul", [IR_OP_FDIV] = "fdiv", [IR_OP_FREM] = "frem",
		[IR_OP_FNEG] = "fneg", [IR_OP_TRUNC] = "trunc", [IR_OP_ZEXT] = "zext",
		[IR_OP_SEXT] = "sext", [IR_OP_FPTOUI] = "fptoui", [IR_OP_FPTOSI] = "fptosi",
		[IR_OP_UITOFP] = "uitofp", [IR_OP_SITOFP] = "sitofp",
		[IR_OP_FPTRUNC] = "fptrunc", [IR_OP_FPEXT] = "fpext",
		[IR_OP_PTRTOINT] = "ptrtoint", [IR_OP_INTTOPTR] = "inttoptr",
		[IR_OP_BITCAST] = "bitcast", [IR_OP_ADDRSPACECAST] = "addrspacecast",
		[IR_OP_ICMP] = "icmp", [IR_OP_FCMP] = "fcmp", [IR_OP_PHI] = "phi",
		[IR_OP_SELECT] = "select", [IR_OP_ALLOCA] = "alloca", [IR_OP_LOAD] = "load",
		[IR_OP_STORE] = "store", [IR_OP_GEP] = "getelementptr", [IR_OP_CALL] = "call",
		[IR_OP_EXTRACTVALUE] = "extractvalue", [IR_OP_INSERTVALUE] = "insertvalue",
		[IR_OP_FREEZE] = "freeze", [IR_OP_VAARG] = "va_arg",
		[IR_OP_EXTRACTELEMENT] = "extractelement",
		[IR_OP_INSERTELEMENT] = "insertelement",
		[IR_OP_SHUFFLEVECTOR] = "shufflevector", [IR_OP_FENCE] = "fence",
		[IR_OP_CMPXCHG] = "cmpxchg", [IR_OP_ATOMICRMW] = "atomicrmw",
		[IR_OP_LANDINGPAD] = "landingpad",
	};
	if ((unsigned)op >= IR_OP__COUNT || !n[op])
		return "<bad opcode>";
	return n[op];
}

const char *ir_pred_name(uint32_t p)
{
	static const char *const f[16] = {
		"false", "oeq", "ogt", "oge", "olt", "ole", "one", "ord",
		"uno", "ueq", "ugt", "uge", "ult", "ule", "une", "true",
	};
	static const char *const i[10] = {
		"eq", "ne", "ugt", "uge", "ult", "ule", "sgt", "sge", "slt", "sle",
	};
	if (p < 16)
		return f[p];
	if (p >= 32 && p <= 41)
		return i[p - 32];
	return "<bad predicate>";
}

const char *ir_linkage_name(enum ir_linkage l)
{
	static const char *const n[] = {
		[IR_LINK_EXTERNAL] = "external", [IR_LINK_WEAK_ANY] = "weak",
		[IR_LINK_APPENDING] = "appending", [IR_LINK_INTERNAL] = "internal",
		[IR_LINK_LINKONCE_ANY] = "linkonce", [IR_LINK_EXTERN_WEAK] = "extern_weak",
		[IR_LINK_COMMON] = "common", [IR_LINK_PRIVATE] = "private",
		[IR_LINK_WEAK_ODR] = "weak_odr", [IR_LINK_LINKONCE_ODR] = "linkonce_odr",
		[IR_LINK_AVAILABLE_EXTERNALLY] = "available_externally",
	};
	if ((unsigned)l >= sizeof n / sizeof n[0])
		return "<bad linkage>";
	return n[l];
}

/* Name prefixes after "llvm.", first match wins (memcpy.inline. is a
 * memcpy., expect.with.probability an expect). */
static const struct {
	const char *prefix;
	enum ir_intrinsic k;
} intrinsic_names[] = {
	{ "lifetime.", IR_INTR_NOP }, { "assume", IR_INTR_NOP }, { "dbg.", IR_INTR_NOP },
	{ "experimental.noalias.scope.decl", IR_INTR_NOP }, { "invariant.", IR_INTR_NOP },
	{ "sideeffect", IR_INTR_NOP }, { "donothing", IR_INTR_NOP },
	{ "var.annotation", IR_INTR_NOP }, { "prefetch", IR_INTR_NOP },
	{ "expect", IR_INTR_EXPECT }, { "ptr.annotation", IR_INTR_PASS },
	{ "launder.invariant.group", IR_INTR_PASS }, { "strip.invariant.group", IR_INTR_PASS },
	{ "trap", IR_INTR_TRAP }, { "debugtrap", IR_INTR_TRAP }, { "ubsantrap", IR_INTR_TRAP },
	{ "stacksave", IR_INTR_STACKSAVE }, { "stackrestore", IR_INTR_STACKRESTORE },
	{ "stack", IR_INTR_STACK }, { "va_end", IR_INTR_VA_END }, { "va_copy", IR_INTR_VA_COPY },
	{ "va_", IR_INTR_VA },
	{ "memcpy.", IR_INTR_MEMCPY }, { "memmove.", IR_INTR_MEMMOVE },
	{ "memset.", IR_INTR_MEMSET },
	{ "smax.", IR_INTR_SMAX }, { "smin.", IR_INTR_SMIN }, { "umax.", IR_INTR_UMAX },
	{ "umin.", IR_INTR_UMIN },
	{ "sadd.sat.", IR_INTR_SADD_SAT }, { "uadd.sat.", IR_INTR_UADD_SAT },
	{ "ssub.sat.", IR_INTR_SSUB_SAT }, { "usub.sat.", IR_INTR_USUB_SAT },
	{ "abs.", IR_INTR_ABS }, { "fshl.", IR_INTR_FSHL }, { "fshr.", IR_INTR_FSHR },
	{ "bswap.", IR_INTR_BSWAP }, { "bitreverse.", IR_INTR_BITREVERSE },
	{ "ctpop.", IR_INTR_CTPOP }, { "ctlz.", IR_INTR_CTLZ }, { "cttz.", IR_INTR_CTTZ },
	{ "sadd.with.overflow.", IR_INTR_SADD_OV }, { "uadd.with.overflow.", IR_INTR_UADD_OV },
	{ "ssub.with.overflow.", IR_INTR_SSUB_OV }, { "usub.with.overflow.", IR_INTR_USUB_OV },
	{ "smul.with.overflow.", IR_INTR_SMUL_OV }, { "umul.with.overflow.", IR_INTR_UMUL_OV },
	{ "fmuladd.", IR_INTR_FMULADD }, { "fma.", IR_INTR_FMA }, { "sqrt.", IR_INTR_SQRT },
	{ "fabs.", IR_INTR_FABS }, { "copysign.", IR_INTR_COPYSIGN },
	{ "minnum.", IR_INTR_MINNUM }, { "maxnum.", IR_INTR_MAXNUM },
	{ "floor.", IR_INTR_FLOOR }, { "ceil.", IR_INTR_CEIL }, { "trunc.", IR_INTR_TRUNC },
	{ "round.", IR_INTR_ROUND }, { "roundeven.", IR_INTR_ROUNDEVEN },
	{ "rint.", IR_INTR_RINT }, { "nearbyint.", IR_INTR_NEARBYINT },
	{ "lround.", IR_INTR_LROUND }, { "llround.", IR_INTR_LLROUND },
	{ "lrint.", IR_INTR_LRINT }, { "llrint.", IR_INTR_LLRINT },
	{ "is.fpclass.", IR_INTR_IS_FPCLASS }, { "frexp.", IR_INTR_FREXP },
	{ "ldexp.", IR_INTR_LIBM },
	{ "sin.", IR_INTR_LIBM }, { "cos.", IR_INTR_LIBM }, { "tan.", IR_INTR_LIBM },
	{ "exp.", IR_INTR_LIBM }, { "exp2.", IR_INTR_LIBM }, { "exp10.", IR_INTR_LIBM },
	{ "log.", IR_INTR_LIBM }, { "log2.", IR_INTR_LIBM }, { "log10.", IR_INTR_LIBM },
	{ "pow.", IR_INTR_LIBM }, { "tanh.", IR_INTR_LIBM }, { "asin.", IR_INTR_LIBM },
	{ "acos.", IR_INTR_LIBM }, { "atan.", IR_INTR_LIBM }, { "sinh.", IR_INTR_LIBM },
	{ "cosh.", IR_INTR_LIBM },
};

const char *ir_libm_name(const char *name)
{
	/* the double versions have the intrinsic's own name; ldexp's names
	 * carry its exponent's type too (llvm.ldexp.f64.i32) */
	static const char *const fns[] = { "sin", "cos", "tan", "exp", "exp2", "exp10", "log", "log2",
		"log10", "pow", "tanh", "asin", "acos", "atan", "sinh", "cosh", "ldexp" };
	static const char *const flt[] = { "sinf", "cosf", "tanf", "expf", "exp2f", "exp10f", "logf",
		"log2f", "log10f", "powf", "tanhf", "asinf", "acosf", "atanf", "sinhf", "coshf", "ldexpf" };
	if (!name || strncmp(name, "llvm.", 5) != 0)
		return NULL;
	for (size_t i = 0; i < sizeof fns / sizeof fns[0]; i++) {
		size_t n = strlen(fns[i]);
		if (strncmp(name + 5, fns[i], n) == 0 && name[5 + n] == '.') {
			bool ldexp = strcmp(fns[i], "ldexp") == 0;
			if (strcmp(name + 6 + n, ldexp ? "f64.i32" : "f64") == 0)
				return fns[i];
			if (strcmp(name + 6 + n, ldexp ? "f32.i32" : "f32") == 0)
				return flt[i];
			return NULL;
		}
	}
	return NULL;
}

enum ir_intrinsic ir_intrinsic_of(const char *name)
{
	if (!name || strncmp(name, "llvm.", 5) != 0)
		return IR_INTR_NONE;
	for (size_t i = 0; i < sizeof intrinsic_names / sizeof intrinsic_names[0]; i++) {
		const char *p = intrinsic_names[i].prefix;
		if (strncmp(name + 5, p, strlen(p)) == 0)
			return intrinsic_names[i].k;
	}
	return IR_INTR_OTHER;
}

struct ir_func *ir_module_func(const struct ir_module *m, const char *name)
{
	for (uint32_t i = 0; i < m->nfuncs; i++)
		if (m->funcs[i]->v.name && strcmp(m->funcs[i]->v.name, name) == 0)
			return m->funcs[i];
	return NULL;
}

struct ir_global *ir_module_global(const struct ir_module *m, const char *name)
{
	for (uint32_t i = 0; i < m->nglobals; i++)
		if (m->globals[i]->v.name && strcmp(m->globals[i]->v.name, name) == 0)
			return m->globals[i];
	return NULL;
}

/* ------------------------------------------------------------------ gep */

const char *ir_gep_check(const struct ir_type *src, struct ir_value *const *idx, uint32_t n)
{
	/* the first index steps over whole objects; each further one selects
	 * an element of the current aggregate */
	const struct ir_type *t = src;
	for (uint32_t i = 1; i < n; i++) {
		const struct ir_value *x = idx[i];
		if (t->kind == IR_TY_ARRAY || t->kind == IR_TY_VECTOR) {
			t = t->elem;
		} else if (t->kind == IR_TY_STRUCT) {
			if (x->kind != IR_VAL_CONST_INT || x->type->bits > 64)
				return "struct index is not a constant integer";
			uint64_t k = ((const struct ir_const *)x)->i;
			if (k >= t->nmembers)
				return "struct index out of range";
			t = t->members[k];
		} else {
			return "index into a non-aggregate type";
		}
	}
	return NULL;
}

bool ir_idoms(uint32_t n, uint32_t np, const uint32_t *order, const uint32_t *rpo,
	      const uint32_t *predoff, const uint32_t *preds, uint32_t *idom, uint64_t *steps)
{
/* one step of the budget; out of steps: give up */
#define STEP() do { if (steps && (*steps)-- == 0) { *steps = 0; return false; } } while (0)
	for (uint32_t b = 0; b < n; b++)
		idom[b] = UINT32_MAX;
	idom[0] = 0;
	bool changed = true;
	for (uint32_t round = 0; changed; round++) {
		if (round > n + 2)
			return false;
		changed = false;
		for (uint32_t oi = 1; oi < np; oi++) {
			uint32_t b = order[oi], nd = UINT32_MAX;
			STEP();
			for (uint32_t k = predoff[b]; k < predoff[b + 1]; k++) {
				uint32_t x = preds[k];
				STEP();
				if (idom[x] == UINT32_MAX)
					continue;       /* unreachable or not yet seen */
				if (nd == UINT32_MAX) {
					nd = x;
					continue;
				}
				uint32_t y = nd;
				while (x != y) {
					while (rpo[x] > rpo[y]) {
						STEP();
						x = idom[x];
					}
					while (rpo[y] > rpo[x]) {
						STEP();
						y = idom[y];
					}
				}
				nd = x;
			}
			if (nd != idom[b]) {
				idom[b] = nd;
				changed = true;
			}
		}
	}
	return true;
#undef STEP
}
