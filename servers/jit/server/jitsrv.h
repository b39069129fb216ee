/* The jit server's state: one slot per loaded module (module.c); its
 * operations are in jmod.h. */
#ifndef BF_JITSRV_H
#define BF_JITSRV_H
#include <stdint.h>
#include "servers/jit/ir/ir.h"
#include "servers/jit/jit.h"
#include "lib/rt/rt.h"
#include "servers/jit/server/jmod.h"
#include "servers/jit/server/jit_proto.h"

#define JIT_SLOTS JIT_MODULE_SLOTS

/* Where things live in the jit server's own heap range. */
#define SCRATCH_VA   0x50000000u	/* compiler scratch arena, 2 MiB */
#define SCRATCH_SIZE (2u << 20)
#define STAGING_VA   0x50400000u	/* code being handed to the kernel */
/* A module's IR: 8 MiB of address space per slot, backed as the reader
 * and the compiler use it (module.c arena_grow), so a large module fits
 * and a small one costs only what it uses (about 12 bytes of IR per byte
 * of bitcode). */
#define ARENA_VA(s)  (0x54000000u + (uint32_t)(s) * ARENA_SIZE)
#define ARENA_SIZE   0x800000u
#define VIEW_VA(s)   (0x52000000u + (uint32_t)(s) * 0x100000u)	/* read-only view of module data */
#define PARAMS_PAGES ((RT_DATA_VA - RT_PARAMS_VA) / PAGE_SIZE)

struct jmod {
	int used;
	uint32_t serial;	/* changes with every load into this slot */
	char name[32];
	int task;		/* capability slot: the module task (COMPILE right) */
	int32_t arg;
	uint32_t calls, curve, thresholds[3];
	struct ir_arena arena;
	struct ir_module *m;
	int loaded;
	uint32_t secure;	/* jit_opts.secure for this module's compiles */
	uint32_t entry;		/* function index of the entry */
	uint32_t nfuncs;
	uint32_t data_pages;	/* module data pages after the params */
	uint32_t image_bytes;
	uint32_t code_next;	/* where the next recompiled function goes */
	/* the pages of each function's last recompilation, its alone: retired
	 * (INSTALL_RETIRE) when the next one goes live.  0 pages: its code is
	 * in the load's image, which other functions share, and stays. */
	uint32_t own_va[RT_MAX_FUNCS], own_pages[RT_MAX_FUNCS];
	uint8_t tier[RT_MAX_FUNCS];
	uint32_t code_bytes[RT_MAX_FUNCS];
	uint32_t compiles[RT_MAX_FUNCS];
	uint8_t recompiles[RT_MAX_FUNCS];	/* JIT_TIER requests compiled, or tried */
	uint32_t cycles[RT_MAX_FUNCS][JIT_MAX_TIER + 1];	/* compile time per tier */
};

extern struct jmod jmods[JIT_SLOTS];

/* The module's malloc heap (heap.c): does the module call an allocating
 * runtime function; then map it (at RT_HEAP_VA, within the task's memory
 * quota, which is yet to take `pending` pages) and say its bytes. */
int jheap_wanted(const struct jit_out *o);
uint32_t jheap_give(int task, uint32_t pending);
/* Zeroed pages moved into `task` at va (the heap, a module's bss):
 * how many it took, fewer when the kernel refused the rest. */
uint32_t jzero_give(int task, uint32_t va, uint32_t pages);

/* 64 random bits for jit_opts.seed (entropy.c: RDRAND, else the TSC). */
uint64_t jit_entropy(void);
#endif
