/* lib/llbc.h: the LLBC module container — a 128-byte little-endian header
 * in front of LLVM bitcode.  Written on the host by tools/llbc-wrap,
 * checked by the jit server (and llbc-info) with llbc_validate.  The
 * format is described in docs/llbc.md.
 *
 *   off  size  field
 *     0     4  magic "LLBC"
 *     4    32  module name, NUL-padded, at least one NUL
 *    36    64  entry function name, NUL-padded, at least one NUL
 *   100     4  bitcode size in bytes (file size - 128)
 *   104     4  format version (LLBC_VERSION)
 *   108     4  opt level 0..3
 *   112     4  CRC-32 (IEEE 802.3, as zlib) of the bitcode
 *   116     4  flags (none defined in version 1: must be 0)
 *   120     8  two reserved words, must be 0
 */
#ifndef BF_LLBC_H
#define BF_LLBC_H
#include <stddef.h>
#include <stdint.h>

#define LLBC_HEADER_SIZE 128
#define LLBC_VERSION     1
#define LLBC_NAME_MAX    32
#define LLBC_ENTRY_MAX   64
#define LLBC_OPT_MAX     3

struct llbc_header {
	char magic[4];
	char name[LLBC_NAME_MAX];
	char entry[LLBC_ENTRY_MAX];
	uint32_t bitcode_size;
	uint32_t version;
	uint32_t opt_level;
	uint32_t crc32;
	uint32_t flags;
	uint32_t reserved[2];
};
_Static_assert(sizeof(struct llbc_header) == LLBC_HEADER_SIZE,
	       "the LLBC header is 128 bytes");

enum llbc_err {
	LLBC_OK = 0,
	LLBC_ERR_SHORT,         /* fewer than 128 bytes */
	LLBC_ERR_MAGIC,         /* not "LLBC" */
	LLBC_ERR_VERSION,       /* unknown format version */
	LLBC_ERR_SIZE,          /* size field disagrees with the file */
	LLBC_ERR_RESERVED,      /* a reserved word is not zero */
	LLBC_ERR_FLAGS,         /* unknown flag bits */
	LLBC_ERR_NAME_UNTERMINATED,
	LLBC_ERR_NAME_EMPTY,
	LLBC_ERR_ENTRY_UNTERMINATED,
	LLBC_ERR_ENTRY_EMPTY,
	LLBC_ERR_OPT,           /* opt level not 0..3 */
	LLBC_ERR_CRC,           /* CRC-32 of the payload does not match */
	LLBC_ERR_NOT_BITCODE,   /* payload lacks the bitcode magic */
	LLBC_ERR__COUNT
};

/* CRC-32 (reflected, polynomial 0xEDB88320, init and final xor ~0). */
uint32_t llbc_crc32(const void *data, size_t len);

/* Decode / encode the header bytes (little-endian, independent of host
 * byte order). */
void llbc_header_decode(const uint8_t *in, struct llbc_header *h);
void llbc_header_encode(const struct llbc_header *h, uint8_t *out);

/* Fill a header for `size` bytes of bitcode.  Names longer than the
 * fields allow (31 / 63 characters) return -1. */
int llbc_header_init(struct llbc_header *h, const char *name, const char *entry,
		     uint32_t opt_level, const void *bitcode, uint32_t size);

/* Check a whole LLBC file.  On success (LLBC_OK) fills *h (if non-NULL)
 * and points *payload (if non-NULL) at the bitcode.  Otherwise returns
 * the enum llbc_err of the first problem found, in the order listed. */
int llbc_validate(const void *file, size_t len, struct llbc_header *h,
		  const uint8_t **payload);

/* One-line description of an llbc_err. */
const char *llbc_strerror(int code);
#endif
