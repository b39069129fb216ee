/* ELF32 validation: see elf.h. */
#include <string.h>
#include "microkernel/elf.h"
#include "lib/include/bareflow/abi.h"

#define PT_LOAD 1
#define PF_X 1
#define PF_W 2

static uint32_t rd32(const uint8_t *p) { return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24; }
static uint16_t rd16(const uint8_t *p) { return (uint16_t)(p[0] | p[1] << 8); }

static int fail(const char **why, const char *msg)
{
	*why = msg;
	return E_BADELF;
}

int elf_parse(const uint8_t *d, size_t len, uint32_t lo, uint32_t hi,
	      struct elf_image *out, const char **why)
{
	memset(out, 0, sizeof *out);
	if (len < 52)
		return fail(why, "file shorter than an ELF header");
	if (memcmp(d, "\x7f" "ELF", 4))
		return fail(why, "bad ELF magic");
	if (d[4] != 1 || d[5] != 1)
		return fail(why, "not a 32-bit little-endian ELF");
	if (rd16(d + 16) != 2)
		return fail(why, "not an executable (ET_EXEC)");
	if (rd16(d + 18) != 3)
		return fail(why, "not an i386 ELF");
	uint32_t entry = rd32(d + 24), phoff = rd32(d + 28);
	uint16_t phentsize = rd16(d + 42), phnum = rd16(d + 44);
	if (phentsize != 32)
		return fail(why, "unexpected program header size");
	if (phnum == 0 || phnum > 32)
		return fail(why, "program header count out of range");
	if (phoff > len || (size_t)phnum * 32 > len - phoff)
		return fail(why, "program headers lie outside the file");
	for (int i = 0; i < phnum; i++) {
		const uint8_t *ph = d + phoff + 32u * i;
		if (rd32(ph) != PT_LOAD)
			continue;
		uint32_t off = rd32(ph + 4), va = rd32(ph + 8);
		uint32_t filesz = rd32(ph + 16), memsz = rd32(ph + 20), fl = rd32(ph + 24);
		if (memsz == 0)
			continue;
		if (out->nsegs == ELF_MAX_SEGS)
			return fail(why, "too many loadable segments");
		if ((fl & PF_W) && (fl & PF_X))
			return fail(why, "segment is writable and executable (W^X)");
		if (filesz > memsz)
			return fail(why, "segment file size exceeds memory size");
		if (off > len || filesz > len - off)
			return fail(why, "segment data lies outside the file");
		if (va < lo || va > hi || memsz > hi - va)
			return fail(why, "segment outside the user image range");
		/* Segments must not share a page: each page gets one set of rights. */
		uint32_t pstart = va & ~(PAGE_SIZE - 1);
		uint32_t pend = (va + memsz + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
		for (int j = 0; j < out->nsegs; j++) {
			const struct elf_seg *s = &out->segs[j];
			uint32_t qs = s->vaddr & ~(PAGE_SIZE - 1);
			uint32_t qe = (s->vaddr + s->memsz + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
			if (pstart < qe && qs < pend)
				return fail(why, "segments share a page");
		}
		struct elf_seg *s = &out->segs[out->nsegs++];
		s->vaddr = va;
		s->memsz = memsz;
		s->offset = off;
		s->filesz = filesz;
		s->writable = !!(fl & PF_W);
		s->executable = !!(fl & PF_X);
	}
	if (out->nsegs == 0)
		return fail(why, "no loadable segment");
	int entry_ok = 0;
	for (int j = 0; j < out->nsegs; j++)
		if (out->segs[j].executable && entry >= out->segs[j].vaddr &&
		    entry < out->segs[j].vaddr + out->segs[j].memsz)
			entry_ok = 1;
	if (!entry_ok)
		return fail(why, "entry point is not in an executable segment");
	out->entry = entry;
	return 0;
}
