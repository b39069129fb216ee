/* libFuzzer target: llbc_validate, the bitcode reader and the IR printer
 * on arbitrary bytes.  Inputs starting with "LLBC" go through the
 * container first (a CRC mismatch is ignored so the fuzzer can reach the
 * payload), anything else is read as raw bitcode.  The arena is small
 * enough that exhaustion paths get exercised too.  Any crash, ASan or
 * UBSan report, leak or timeout is a finding. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "lib/llbc.h"
#include "servers/jit/bc/bc.h"
#include "servers/jit/ir.h"

static size_t printed;
static void sink(void *ctx, const char *s, size_t n)
{
	(void)ctx;
	/* touch the bytes so ASan checks the printer's reads */
	for (size_t i = 0; i < n; i++)
		printed += (unsigned char)s[i];
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	static uint8_t *mem;
	const size_t memsize = 8u << 20;
	if (!mem)
		mem = malloc(memsize);
	const uint8_t *bc = data;
	size_t bclen = len;
	struct llbc_header h;
	const uint8_t *payload;
	int rc = llbc_validate(data, len, &h, &payload);
	if (rc == LLBC_OK) {
		bc = payload;
		bclen = h.bitcode_size;
	} else if (len >= LLBC_HEADER_SIZE && memcmp(data, "LLBC", 4) == 0) {
		bc = data + LLBC_HEADER_SIZE;
		bclen = len - LLBC_HEADER_SIZE;
	}
	if (llbc_strerror(rc)[0] == 0)
		abort();
	/* the reader works on a private, exactly sized copy so that any
	 * over-read is caught by ASan */
	uint8_t *copy = malloc(bclen ? bclen : 1);
	if (bclen)
		memcpy(copy, bc, bclen);
	/* vary the arena size with the input to reach exhaustion paths */
	size_t asize = (len & 1) ? memsize : (len * 16 + 4096 < memsize ? len * 16 + 4096 : memsize);
	struct ir_arena a;
	ir_arena_init(&a, mem, asize);
	struct ir_module *m = NULL;
	struct bc_error err;
	rc = bc_read_module(copy, bclen, &a, &m, &err);
	if (rc == BC_OK) {
		if (!m)
			abort();
		struct ir_printer p = { sink, NULL };
		ir_print_module(&p, m);
	} else {
		if (m || err.code != rc || !memchr(err.msg, 0, sizeof err.msg) ||
		    err.bit > (uint64_t)bclen * 8 + 64)
			abort();
		if (a.used != 0)
			abort();        /* a failed read gives the arena back */
	}
	free(copy);
	return 0;
}
