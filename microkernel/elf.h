/* ELF32 parsing for boot modules (init and the servers).  Portable and
 * host-tested: it only reads the file and describes what to map; task.c
 * maps it.  Anything not a little-endian i386 executable linked into the
 * user range, with sane, in-bounds, non-overlapping segments that are never
 * writable and executable at once, is rejected with a reason. */
#ifndef KERNEL_ELF_H
#define KERNEL_ELF_H
#include <stddef.h>
#include <stdint.h>

#define ELF_MAX_SEGS 8

struct elf_seg {
	uint32_t vaddr, memsz;	/* where and how big in memory */
	uint32_t offset, filesz;	/* bytes to copy from the file */
	unsigned writable : 1, executable : 1;
};

struct elf_image {
	uint32_t entry;
	int nsegs;
	struct elf_seg segs[ELF_MAX_SEGS];
};

/* 0 on success; else E_BADELF with *why set to a static message. */
int elf_parse(const uint8_t *data, size_t len, uint32_t lo, uint32_t hi,
	      struct elf_image *out, const char **why);
#endif
