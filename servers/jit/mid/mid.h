/* servers/jit/mid/mid.h: the IR-to-IR passes (tier >= 2).  They work on a
 * clone of the function being compiled, made in the compile's scratch
 * arena by inline.c; the module's IR never changes, so the same module
 * can be compiled again at any tier.  Their edits go through ir/edit.c
 * (the clone discipline: use lists of the clone's own values only).
 *
 *   inline.c  the clone, with small direct callees inlined
 *   unroll.c  tier 3: small innermost loops unrolled
 *   layout.c  block layout: loop exits after their latch, fall-throughs
 *
 * The driver (cg/driver.c) runs them in that order. */
#ifndef BF_JIT_MID_H
#define BF_JIT_MID_H
#include "servers/jit/cg/cg.h"

/* A clone of f (in c->a) with small direct callees inlined, or f itself
 * when there is nothing to inline and `clone` is false (or the scratch
 * arena is too small). */
struct ir_func *mid_inline(struct codegen *c, struct ir_func *f, bool clone);
/* Unrolls small innermost loops of the clone f. */
void mid_unroll(struct codegen *c, struct ir_func *f);
/* Block layout of the clone f. */
void mid_layout(struct codegen *c, struct ir_func *f);
#endif
