/* jit-bcgen KIND N WHERE OUT.bc: writes one of the hand-made modules of
 * bcgen.h (KIND shared, shared-ptr or tree; N levels; the constant used
 * by f, by the global k or both: WHERE f, k or fk) for
 * tests/jit/diff/limits.sh, and prints K's value for `shared`. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/jit/lib/bcgen.h"

int main(int argc, char **argv)
{
	static uint8_t buf[16u << 20];
	if (argc != 5) {
		fprintf(stderr, "usage: jit-bcgen shared|shared-ptr|tree N f|k|fk OUT.bc\n");
		return 2;
	}
	unsigned where = (strchr(argv[3], 'f') ? BCGEN_FUNC : 0) | (strchr(argv[3], 'k') ? BCGEN_GLOBAL : 0);
	enum bcgen_kind k = !strcmp(argv[1], "shared") ? BCGEN_SHARED :
			    !strcmp(argv[1], "shared-ptr") ? BCGEN_SHARED_PTR : BCGEN_TREE;
	if (k == BCGEN_TREE && strcmp(argv[1], "tree")) {
		fprintf(stderr, "jit-bcgen: unknown kind %s\n", argv[1]);
		return 2;
	}
	size_t n = bcgen_module(buf, sizeof buf, k, (unsigned)atoi(argv[2]), where);
	FILE *f = n ? fopen(argv[4], "wb") : NULL;
	if (!f || fwrite(buf, 1, n, f) != n || fclose(f)) {
		fprintf(stderr, "jit-bcgen: cannot write %s\n", argv[4]);
		return 1;
	}
	if (k == BCGEN_SHARED)
		printf("%u\n", bcgen_shared_value((unsigned)atoi(argv[2])));
	return 0;
}
