/* The native side of a corpus program that uses the C library
 * (tests/jit/diff/corpus.sh, "corpus-native: glibc"): built against i686
 * glibc, static, run under qemu-i386, so the JIT's run with the module
 * runtime's library is compared with glibc's.  Prints what start.c does. */
#include <stdint.h>
#include <stdio.h>

int test_main(void);

int main(void)
{
	printf("result = 0x%08x\n", (uint32_t)test_main());
	return 0;
}
