/* bf-verify: the kernel's code verifier (microkernel/verify/) on a raw
 * code image, on the host.
 *
 *   bf-verify IMAGE [--base ADDR]
 *
 * IMAGE is machine code as the jit server would install it at ADDR
 * (default RT_IMAGE_BASE, where a module's image goes); like the jit's
 * install it is filled with INT3 up to a whole page.  The allowed
 * external targets are the runtime's exports (lib/rt/exports.txt, at the
 * addresses of this build: build/rt/rt_kernel.c), calls through memory
 * may read the dispatch page.  Prints `accepted` (exit 0) or the offset,
 * the address and the rule that refused it (exit 1); 2 for usage or I/O
 * errors. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "lib/include/bareflow/abi.h"
#include "lib/rt/rt.h"
#include "microkernel/secure.h"
#include "microkernel/verify/verify.h"

static void usage(void)
{
	fprintf(stderr, "usage: bf-verify IMAGE [--base ADDR]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	const char *path = 0;
	uint32_t base = RT_IMAGE_BASE;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--base") && i + 1 < argc) {
			char *end;
			unsigned long v = strtoul(argv[++i], &end, 0);
			if (*end || v > 0xFFFFFFFFul)
				usage();
			base = (uint32_t)v;
		} else if (argv[i][0] == '-' || path) {
			usage();
		} else {
			path = argv[i];
		}
	}
	if (!path)
		usage();
	FILE *f = fopen(path, "rb");
	if (!f) {
		perror(path);
		return 2;
	}
	size_t cap = 1 << 20, len = 0;
	uint8_t *img = malloc(cap);
	size_t n;
	while (img && (n = fread(img + len, 1, cap - len, f)) > 0) {
		len += n;
		if (len == cap && !(img = realloc(img, cap *= 2)))
			break;
	}
	fclose(f);
	if (!img || len > 0x10000000u) {
		fprintf(stderr, "%s: too large\n", path);
		return 2;
	}
	size_t padded = len ? (len + PAGE_SIZE - 1) / PAGE_SIZE * PAGE_SIZE : PAGE_SIZE;
	if (padded > cap && !(img = realloc(img, padded)))
		return 2;
	memset(img + len, 0xCC, padded - len);
	struct verify_env env = { rt_built.exports, rt_built.nexports, USER_DISPATCH_VA };
	struct verify_result res;
	int r = verify_code(img, (uint32_t)padded, base, &env, &res);
	if (r == V_OK) {
		printf("accepted\n");
		return 0;
	}
	printf("%s: refused at offset 0x%x (address 0x%08x): %s%s%s\n", path, res.offset,
	       base + res.offset, verify_rule_name(r), res.detail[0] ? ": " : "", res.detail);
	return 1;
}
