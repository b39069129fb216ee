/* malloc, calloc, realloc, free: first fit on an address-ordered free
 * list, with coalescing, over the heap the loader gave the module.
 *
 * Where the memory comes from: a module task may make no syscall that
 * maps memory (exit, notify and console write only: isolation), and the
 * runtime has no writable data, so the heap must be mapped before the
 * module starts.  The jit server does it when it loads a module that
 * calls an allocating function (servers/jit/server/heap.c): zeroed pages
 * at RT_HEAP_VA, as many as the module's memory quota (`run --mem`)
 * leaves after its image, data, stack and a reserve for recompiled code,
 * and writes where and how big into rt_libc (lib/rt/rt.h).  Here we only
 * carve it up; docs/libc.md says more.
 *
 * Layout: the heap starts with its header (struct heap), then blocks.
 * Every block starts with a 16-byte header, so with the heap page aligned
 * and block sizes multiples of 16 every payload is 16-byte aligned.  A
 * free block's header links it into the free list (sorted by address, so
 * freeing merges with both neighbours by looking at the list alone); a
 * used block's header holds a check word, so a free() of a pointer
 * malloc never gave (or a second free) is caught and aborts with a
 * message rather than corrupting the list silently.  The state lives in
 * the heap itself: zero pages mean "not set up yet". */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "lib/rt/libc/libc.h"

#define ALIGN      16u
#define HEAP_MAGIC 0x48454150u	/* "HEAP" */
#define USED_MAGIC 0x55534544u	/* "USED", XORed with the block's size */

struct block {
	size_t size;		/* bytes, header included, a multiple of ALIGN */
	struct block *next;	/* free: the next free block up; used: unused */
	uintptr_t check;	/* used: USED_MAGIC ^ size; free: 0 */
	uintptr_t pad;
} __attribute__((aligned(16)));

struct heap {
	uint32_t magic;
	struct block *free;	/* the lowest free block */
} __attribute__((aligned(16)));

_Static_assert(sizeof(struct block) % ALIGN == 0, "block headers keep payloads aligned");
_Static_assert(sizeof(struct heap) % ALIGN == 0, "the heap header keeps blocks aligned");

#define HDR sizeof(struct block)
#define MIN_BLOCK (HDR + ALIGN)	/* a split leaves no block smaller */

/* The heap, set up on first use; NULL if the module has none. */
static struct heap *heap(void)
{
	struct heap *h = (struct heap *)rt_libc.heap_va;
	if (!h || rt_libc.heap_size < sizeof *h + MIN_BLOCK)
		return NULL;
	if (h->magic != HEAP_MAGIC) {
		struct block *b = (struct block *)(h + 1);
		b->size = (rt_libc.heap_size - sizeof *h) & ~(size_t)(ALIGN - 1);
		b->next = NULL;
		b->check = 0;
		h->free = b;
		h->magic = HEAP_MAGIC;
	}
	return h;
}

/* Block size for n payload bytes; 0 if no heap could hold it. */
static size_t block_size(size_t n)
{
	if (n > rt_libc.heap_size)
		return 0;
	size_t s = (n + HDR + ALIGN - 1) & ~(size_t)(ALIGN - 1);
	return s < MIN_BLOCK ? MIN_BLOCK : s;
}

static void *used(struct block *b)
{
	b->check = USED_MAGIC ^ b->size;
	b->next = NULL;
	return b + 1;
}

/* The block of a pointer malloc gave, or abort: the module's heap is
 * corrupt or the pointer is not one of ours. */
static struct block *block_of(void *p, const char *who)
{
	struct block *b = (struct block *)p - 1;
	uintptr_t lo = rt_libc.heap_va, hi = lo + rt_libc.heap_size;
	if ((uintptr_t)p % ALIGN || (uintptr_t)b < lo || (uintptr_t)p >= hi ||
	    b->check != (USED_MAGIC ^ b->size)) {
		printf("%s(%p): not a block from malloc, or freed already\n", who, p);
		abort();
	}
	return b;
}

void *malloc(size_t n)
{
	struct heap *h = heap();
	size_t need = block_size(n);
	if (!h || !need) {
		errno = ENOMEM;
		return NULL;
	}
	for (struct block **link = &h->free, *b; (b = *link); link = &b->next) {
		if (b->size < need)
			continue;
		if (b->size - need >= MIN_BLOCK) {	/* split: the rest stays free */
			struct block *rest = (struct block *)((char *)b + need);
			rest->size = b->size - need;
			rest->next = b->next;
			rest->check = 0;
			b->size = need;
			*link = rest;
		} else {
			*link = b->next;
		}
		return used(b);
	}
	errno = ENOMEM;
	return NULL;
}

/* Puts b on the free list in address order, merged with a free block
 * right below or above it. */
static void release(struct heap *h, struct block *b)
{
	struct block *prev = NULL, *next = h->free;
	while (next && next < b) {
		prev = next;
		next = next->next;
	}
	b->check = 0;
	b->next = next;
	if (next && (char *)b + b->size == (char *)next) {
		b->size += next->size;
		b->next = next->next;
	}
	if (prev && (char *)prev + prev->size == (char *)b) {
		prev->size += b->size;
		prev->next = b->next;
	} else if (prev) {
		prev->next = b;
	} else {
		h->free = b;
	}
}

void free(void *p)
{
	if (!p)
		return;
	struct heap *h = heap();
	if (!h) {	/* no heap: no pointer can be ours */
		printf("free(%p): the module has no heap\n", p);
		abort();
	}
	release(h, block_of(p, "free"));
}

void *calloc(size_t n, size_t size)
{
	if (size && n > (size_t)-1 / size) {
		errno = ENOMEM;
		return NULL;
	}
	void *p = malloc(n * size);
	if (p)
		memset(p, 0, n * size);	/* a reused block is not zero */
	return p;
}

/* Shrinks in place, grows in place into a free block right above, and
 * moves only when it must.  realloc(p, 0) frees p and returns NULL
 * (glibc's choice; C17 leaves it to the implementation). */
void *realloc(void *p, size_t n)
{
	if (!p)
		return malloc(n);
	if (!n) {
		free(p);
		return NULL;
	}
	struct heap *h = heap();
	if (!h) {
		printf("realloc(%p): the module has no heap\n", p);
		abort();
	}
	struct block *b = block_of(p, "realloc");
	size_t need = block_size(n);
	if (!need) {
		errno = ENOMEM;
		return NULL;
	}
	if (need > b->size) {	/* the free block right above, if big enough */
		struct block **link = &h->free, *up;
		while ((up = *link) && up < b)
			link = &up->next;
		if (up && (char *)b + b->size == (char *)up && b->size + up->size >= need) {
			*link = up->next;
			b->size += up->size;
		}
	}
	if (need <= b->size) {
		if (b->size - need >= MIN_BLOCK) {	/* give the tail back */
			struct block *rest = (struct block *)((char *)b + need);
			rest->size = b->size - need;
			b->size = need;
			release(h, rest);
		}
		b->check = USED_MAGIC ^ b->size;
		return p;
	}
	void *q = malloc(n);
	if (q) {
		memcpy(q, p, b->size - HDR);
		free(p);
	}
	return q;
}
