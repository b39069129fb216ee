/* Frame allocator: see frame.h.  Allocation scans from a rotating hint, so
 * a run of allocations is O(1) amortised and frees are O(1). */
#include "microkernel/frame.h"

static uint16_t refs[FRAME_MAX];
static uint32_t nframes;	/* frames indexed: highest usable + 1 */
static uint32_t total, used;
static uint32_t hint;

static uint32_t clamp_frame(uint64_t addr)
{
	uint64_t f = addr >> FRAME_SHIFT;
	return f > FRAME_MAX ? FRAME_MAX : (uint32_t)f;
}

void frame_init(const struct mem_range *ram, int nram,
		const struct mem_range *reserved, int nreserved)
{
	for (uint32_t i = 0; i < FRAME_MAX; i++)
		refs[i] = FRAME_RESERVED;
	nframes = total = used = 0;
	hint = 1;
	/* Whole frames inside each RAM range become free. */
	for (int r = 0; r < nram; r++) {
		uint32_t lo = clamp_frame(ram[r].base + FRAME_SIZE - 1);
		uint32_t hi = clamp_frame(ram[r].base + ram[r].len);
		for (uint32_t f = lo; f < hi; f++)
			refs[f] = 0;
		if (hi > nframes)
			nframes = hi;
	}
	/* Any frame touching a reserved range stays out. */
	for (int r = 0; r < nreserved; r++) {
		uint32_t lo = clamp_frame(reserved[r].base);
		uint32_t hi = clamp_frame(reserved[r].base + reserved[r].len + FRAME_SIZE - 1);
		for (uint32_t f = lo; f < hi; f++)
			refs[f] = FRAME_RESERVED;
	}
	refs[0] = FRAME_RESERVED;	/* physical 0 doubles as "no frame" */
	for (uint32_t f = 0; f < nframes; f++)
		if (refs[f] == 0)
			total++;
}

paddr_t frame_alloc(void)
{
	if (used == total)
		return 0;
	for (uint32_t n = 0; n < nframes; n++) {
		uint32_t f = hint + n;
		if (f >= nframes)
			f -= nframes;
		if (refs[f] == 0) {
			refs[f] = 1;
			used++;
			hint = f + 1 < nframes ? f + 1 : 1;
			return (paddr_t)f << FRAME_SHIFT;
		}
	}
	return 0;
}

static uint16_t *slot(paddr_t pa)
{
	uint32_t f = pa >> FRAME_SHIFT;
	if (f >= nframes || refs[f] == FRAME_RESERVED)
		return 0;
	return &refs[f];
}

bool frame_ref(paddr_t pa)
{
	uint16_t *r = slot(pa);
	if (!r || *r == 0 || *r >= FRAME_RESERVED - 1)
		return false;	/* free, reserved or saturated: refuse */
	(*r)++;
	return true;
}

bool frame_unref(paddr_t pa)
{
	uint16_t *r = slot(pa);
	if (!r || *r == 0)
		return false;
	if (--(*r) == 0) {
		used--;
		return true;
	}
	return false;
}

uint32_t frame_refcount(paddr_t pa)
{
	uint16_t *r = slot(pa);
	return r ? *r : 0;
}

bool frame_is_ram(paddr_t pa) { return slot(pa) != 0; }
uint32_t frames_total(void) { return total; }
uint32_t frames_used(void) { return used; }
uint32_t frames_free(void) { return total - used; }
