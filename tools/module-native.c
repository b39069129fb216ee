/* Computes a module's expected result natively: the same C, built by the
 * i686 cross gcc -O2 and run under qemu-i386.  It calls module_main three
 * times and insists the answers agree (modules must be repeatable, since
 * the JIT tests call them thousands of times). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int32_t module_main(int32_t arg);

int main(int argc, char **argv)
{
	if (argc != 2)
		return 2;
	int32_t arg = (int32_t)strtol(argv[1], 0, 10);
	int32_t a = module_main(arg), b = module_main(arg), c = module_main(arg);
	if (a != b || b != c) {
		fprintf(stderr, "module is not repeatable: %d %d %d\n", a, b, c);
		return 1;
	}
	printf("%d\n", a);
	return 0;
}
