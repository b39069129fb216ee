/* lib/llbc.c: the LLBC container (see lib/llbc.h, docs/llbc.md). */
#include <string.h>
#include "lib/llbc.h"

uint32_t llbc_crc32(const void *data, size_t len)
{
	/* nibble-at-a-time table, built on the stack: no static state */
	uint32_t t[16];
	for (uint32_t i = 0; i < 16; i++) {
		uint32_t c = i;
		for (int k = 0; k < 4; k++)
			c = c & 1 ? (c >> 1) ^ 0xEDB88320u : c >> 1;
		t[i] = c;
	}
	const uint8_t *p = data;
	uint32_t crc = ~0u;
	for (size_t i = 0; i < len; i++) {
		crc ^= p[i];
		crc = (crc >> 4) ^ t[crc & 15];
		crc = (crc >> 4) ^ t[crc & 15];
	}
	return ~crc;
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

void llbc_header_decode(const uint8_t *in, struct llbc_header *h)
{
	memcpy(h->magic, in, 4);
	memcpy(h->name, in + 4, LLBC_NAME_MAX);
	memcpy(h->entry, in + 36, LLBC_ENTRY_MAX);
	h->bitcode_size = get32(in + 100);
	h->version = get32(in + 104);
	h->opt_level = get32(in + 108);
	h->crc32 = get32(in + 112);
	h->flags = get32(in + 116);
	h->reserved[0] = get32(in + 120);
	h->reserved[1] = get32(in + 124);
}

void llbc_header_encode(const struct llbc_header *h, uint8_t *out)
{
	memcpy(out, h->magic, 4);
	memcpy(out + 4, h->name, LLBC_NAME_MAX);
	memcpy(out + 36, h->entry, LLBC_ENTRY_MAX);
	put32(out + 100, h->bitcode_size);
	put32(out + 104, h->version);
	put32(out + 108, h->opt_level);
	put32(out + 112, h->crc32);
	put32(out + 116, h->flags);
	put32(out + 120, h->reserved[0]);
	put32(out + 124, h->reserved[1]);
}

int llbc_header_init(struct llbc_header *h, const char *name, const char *entry,
		     uint32_t opt_level, const void *bitcode, uint32_t size)
{
	size_t nl = strlen(name), el = strlen(entry);
	if (nl == 0 || nl >= LLBC_NAME_MAX || el == 0 || el >= LLBC_ENTRY_MAX)
		return -1;
	memset(h, 0, sizeof *h);
	memcpy(h->magic, "LLBC", 4);
	memcpy(h->name, name, nl);
	memcpy(h->entry, entry, el);
	h->bitcode_size = size;
	h->version = LLBC_VERSION;
	h->opt_level = opt_level;
	h->crc32 = llbc_crc32(bitcode, size);
	return 0;
}

/* A field must hold a NUL, and something before the first one. */
static int check_name(const char *s, size_t max, int unterminated, int empty)
{
	if (strnlen(s, max) == max)
		return unterminated;
	if (s[0] == 0)
		return empty;
	return LLBC_OK;
}

int llbc_validate(const void *file, size_t len, struct llbc_header *out,
		  const uint8_t **payload)
{
	struct llbc_header h;
	const uint8_t *f = file;
	int rc;
	if (!f || len < LLBC_HEADER_SIZE)
		return LLBC_ERR_SHORT;
	llbc_header_decode(f, &h);
	if (memcmp(h.magic, "LLBC", 4) != 0)
		return LLBC_ERR_MAGIC;
	if (h.version != LLBC_VERSION)
		return LLBC_ERR_VERSION;
	if ((uint64_t)h.bitcode_size != (uint64_t)len - LLBC_HEADER_SIZE)
		return LLBC_ERR_SIZE;
	if (h.reserved[0] || h.reserved[1])
		return LLBC_ERR_RESERVED;
	if (h.flags)
		return LLBC_ERR_FLAGS;
	if ((rc = check_name(h.name, LLBC_NAME_MAX, LLBC_ERR_NAME_UNTERMINATED,
			     LLBC_ERR_NAME_EMPTY)))
		return rc;
	if ((rc = check_name(h.entry, LLBC_ENTRY_MAX, LLBC_ERR_ENTRY_UNTERMINATED,
			     LLBC_ERR_ENTRY_EMPTY)))
		return rc;
	if (h.opt_level > LLBC_OPT_MAX)
		return LLBC_ERR_OPT;
	const uint8_t *bc = f + LLBC_HEADER_SIZE;
	if (llbc_crc32(bc, h.bitcode_size) != h.crc32)
		return LLBC_ERR_CRC;
	if (h.bitcode_size < 4 ||
	    !((bc[0] == 'B' && bc[1] == 'C' && bc[2] == 0xC0 && bc[3] == 0xDE) ||
	      (bc[0] == 0xDE && bc[1] == 0xC0 && bc[2] == 0x17 && bc[3] == 0x0B)))
		return LLBC_ERR_NOT_BITCODE;
	if (out)
		*out = h;
	if (payload)
		*payload = bc;
	return LLBC_OK;
}

const char *llbc_strerror(int code)
{
	static const char *const msg[LLBC_ERR__COUNT] = {
		[LLBC_OK] = "ok",
		[LLBC_ERR_SHORT] = "file shorter than the 128-byte LLBC header",
		[LLBC_ERR_MAGIC] = "bad magic (expected \"LLBC\")",
		[LLBC_ERR_VERSION] = "unknown LLBC format version",
		[LLBC_ERR_SIZE] = "bitcode size field disagrees with the file size",
		[LLBC_ERR_RESERVED] = "reserved header words are not zero",
		[LLBC_ERR_FLAGS] = "unknown header flags",
		[LLBC_ERR_NAME_UNTERMINATED] = "module name is not NUL-terminated",
		[LLBC_ERR_NAME_EMPTY] = "module name is empty",
		[LLBC_ERR_ENTRY_UNTERMINATED] = "entry function name is not NUL-terminated",
		[LLBC_ERR_ENTRY_EMPTY] = "entry function name is empty",
		[LLBC_ERR_OPT] = "opt level out of range (0-3)",
		[LLBC_ERR_CRC] = "CRC-32 of the bitcode does not match the header",
		[LLBC_ERR_NOT_BITCODE] = "payload is not LLVM bitcode",
	};
	if (code < 0 || code >= LLBC_ERR__COUNT)
		return "unknown LLBC error";
	return msg[code];
}
