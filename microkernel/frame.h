/* Physical frame allocator with reference counts.
 *
 * Portable (host-tested): it keeps only metadata, one 16-bit count per 4 KiB
 * frame, and never touches the frames themselves.  A count of 0 is a free
 * frame; FRAME_RESERVED marks frames that are not RAM or that hold the
 * kernel and boot modules.  Frames shared between address spaces (page
 * grants in share mode) carry one reference per mapping. */
#ifndef KERNEL_FRAME_H
#define KERNEL_FRAME_H
#include <stdint.h>
#include <stdbool.h>

typedef uint32_t paddr_t;

#define FRAME_SHIFT    12
#define FRAME_SIZE     4096u
#define FRAME_MAX      (0x40000000u >> FRAME_SHIFT)	/* we manage the low 1 GiB */
#define FRAME_RESERVED 0xFFFFu

struct mem_range {
	uint64_t base, len;
};

/* Usable RAM ranges, then the ranges to keep out (kernel, modules, frame 0). */
void     frame_init(const struct mem_range *ram, int nram,
		    const struct mem_range *reserved, int nreserved);
paddr_t  frame_alloc(void);		/* a frame with count 1, or 0 if none */
bool     frame_ref(paddr_t pa);		/* one more holder; false if impossible */
bool     frame_unref(paddr_t pa);	/* one less; true when it became free */
uint32_t frame_refcount(paddr_t pa);
bool     frame_is_ram(paddr_t pa);	/* allocatable RAM (free or in use) */
uint32_t frames_total(void);		/* allocatable frames */
uint32_t frames_used(void);
uint32_t frames_free(void);
#endif
