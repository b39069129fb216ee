/* servers/jit/cg/live.h: what the register allocation passes share —
 * live.c (liveness, the phi copy scheme), ranges.c (live ranges and
 * interference), rega.c (linear scan), slots.c (phi webs sharing stack
 * slots), scratch.c (ECX/EDX, tier 3) and xmm.c (the XMM class).
 *
 * Variables ("vregs"): SSA values, promoted allocas (defined by stores,
 * used by loads) and phi temporaries.  Positions: block head 4k (k =
 * index of its first instruction; phi temporaries read and phis written
 * there), instruction k reads its operands at 4k+1 and writes its result
 * at 4k+2; a terminator's edge copies read and write at 4k+2. */
#ifndef BF_JIT_CG_LIVE_H
#define BF_JIT_CG_LIVE_H
#include "servers/jit/cg/cg.h"

#define VREG_NONE 0xffffffffu

/* One walk of the function's instructions (scan_block) serves three
 * purposes: the live sets (use/def per block), the intervals (start/end,
 * weights and ranges, when `intervals`) and slot coalescing (the members
 * an instruction reads, when `live` is set). */
struct liveness {
	struct codegen *c;
	uint32_t W;             /* words per set */
	uint32_t *use, *def, *in, *out;
	uint32_t *cur_use, *cur_def;
	int32_t *start, *end;
	uint32_t *weight;       /* uses/defs weighted by loop depth */
	uint32_t *depth;        /* per block: loop nesting estimate */
	uint32_t curw;          /* weight of an event in the current block */
	bool intervals;         /* building intervals (else sets) */
	uint32_t *pos;          /* per instruction id: index k in layout */
	uint32_t npos;          /* instructions */
	struct ir_block **succ; /* scratch */
	/* slot coalescing (coalesce_slots): uses add members to `live` */
	uint32_t *live;
	const uint32_t *member;
	/* live ranges: while building intervals, the extent of each vreg in
	 * the current block (bs/be, valid when stamp == curstamp), flushed
	 * per block as (rv, rs, re) triples in position order */
	int32_t *bs, *be;
	uint32_t *stamp, curstamp;
	uint32_t *touched, ntouched;
	uint32_t *rv;
	int32_t *rs, *re;
	uint32_t nrange, rcap;
	bool roverflow;         /* no room: every vreg gets its hull */
};

/* An interval: a sorted list of closed ranges per vreg (ranges.c). */
struct live_ranges {
	uint32_t *off, *n;      /* per vreg: first range, number of ranges */
	int32_t *s, *e;         /* closed ranges [s, e] */
};

/* What the second round (cg_regalloc_wide) needs of the first. */
struct cg_ra {
	struct live_ranges rl;
	struct ir_inst **vi;    /* id -> instruction, phi temporary -> phi */
	double *dens;           /* spill cost: weight^2 per hull length */
	uint32_t *weight;       /* loop-weighted uses and definitions */
	int32_t *start, *end;   /* hulls */
	uint32_t *order, n;     /* the candidates by start */
	uint8_t *stay;          /* per vreg: kept in a slot (spill_phi_links) */
};

static inline bool set_has(const uint32_t *s, uint32_t i) { return (s[i >> 5] >> (i & 31)) & 1; }
static inline void set_add(uint32_t *s, uint32_t i) { s[i >> 5] |= 1u << (i & 31); }

/* live.c */
void use_val(struct liveness *l, struct ir_value *v, int32_t p, int depth);
bool no_code(struct codegen *c, struct ir_inst *in);
bool promoted_ptr(struct codegen *c, struct ir_value *p, uint32_t *id);
uint32_t succs(struct codegen *c, struct ir_block *b, struct ir_block **out);
bool live_phi(struct codegen *c, struct ir_inst *p);
void scan_block(struct liveness *l, struct ir_block *b);
/* The tables of the liveness, and the positions (l->npos instructions);
 * false when the function is too big for them (then everything stays in
 * slots). */
bool live_init(struct codegen *c, struct liveness *l);
/* Live-in and live-out sets per block (use/def per block, then the
 * iteration to a fixed point). */
void live_sets(struct liveness *l);
void choose_direct(struct liveness *l);
bool eligible(struct codegen *c, uint32_t v);

/* ranges.c */
void extend_interval(struct liveness *l, uint32_t v, int32_t p);
void flush_range(struct liveness *l, uint32_t v);
/* The intervals: hulls (start/end), loop-weighted uses (weight) and the
 * ranges of every vreg.  False when out of memory. */
bool build_intervals(struct liveness *l, struct live_ranges *rl);
bool interfere(struct codegen *c, struct ir_inst **vi, const struct live_ranges *r, uint32_t a, uint32_t b);
bool range_free(struct codegen *c, uint32_t v, int r);

/* rega.c */
/* Linear scan rounds over regs (with keep: the first round's registers
 * stay), each followed by spill_phi_links until it spills none; then
 * the callee-saved registers used.  False when out of memory. */
bool allocate(struct codegen *c, const int8_t *regs, int nr, const struct cg_loc *keep);

/* xmm.c: whether in's code may call (clobbering every XMM register);
 * c->xclob from it (false when out of memory); whether vreg v, of type
 * ty, may live in an XMM register (needs c->ra, c->kinst, c->xclob) */
bool xmm_may_call(struct codegen *c, struct ir_inst *in);
bool xmm_clobber_map(struct codegen *c);
bool xmm_candidate(struct codegen *c, uint32_t v, const struct ir_type *ty);
/* xmm.c: c->fpk, the FP constants read in loops (needs c->bdepth) */
void xmm_pool(struct codegen *c);

/* slots.c */
void coalesce_slots(struct liveness *l, struct ir_type **ty);
#endif
