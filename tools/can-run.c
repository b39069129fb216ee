/* can-run: a static i686 program that prints "ok".  If it runs, this host
 * runs 32-bit x86 code natively and the build/host32/ tools can be used;
 * scripts check it and fall back to Unicorn (and say so) where not. */
#include <stdio.h>
int main(void)
{
	puts("ok");
	return 0;
}
