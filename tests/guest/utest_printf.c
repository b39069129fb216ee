/* utest's printf role (ROLE_PRINTF, test=fpu): the module runtime's
 * printf family (lib/rt/printf.c, lib/fmt.c) and libm (lib/rt/math/),
 * compiled natively for the guest exactly as in the runtime, called with
 * doubles and 64-bit integers through i386 variadic calls: every result
 * must be what the host's glibc printed for it (tests/guest/
 * printf_cases_gen.c made the table at build time).  The summary goes
 * out through the runtime's own printf.  Built with SSE2 (guest.mk). */
#include <stdint.h>
#include <stddef.h>
#include "lib/rt/math/bfmath.h"
#include "printf_cases.h"

int printf(const char *fmt, ...);
int snprintf(char *buf, size_t size, const char *fmt, ...);

static double asd(uint64_t u) { double d; __builtin_memcpy(&d, &u, 8); return d; }

static int streq(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return *a == *b;
}

static uint64_t hexbits(const char *s)
{
	uint64_t v = 0;
	for (; *s; s++)
		v = v * 16 + (uint64_t)(*s <= '9' ? *s - '0' : *s - 'a' + 10);
	return v;
}

int printf_role(void)
{
	char buf[256];
	unsigned n = sizeof pcases / sizeof pcases[0], bad = 0, nlibm = 0;
	for (unsigned i = 0; i < n; i++) {
		const struct pcase *c = &pcases[i];
		if (c->kind == 0)
			snprintf(buf, sizeof buf, c->fmt, asd(c->bits));
		else if (c->kind == 1)
			snprintf(buf, sizeof buf, c->fmt, (unsigned long long)c->bits);
		else {
			double x = asd(c->bits), y = asd(hexbits(c->fmt)), r;
			switch (c->kind - 2) {
			case 0: r = exp(x); break;
			case 1: r = log(x); break;
			case 2: r = pow(x, y); break;
			case 3: r = sin(x * 1e3); break;
			case 4: r = cos(x); break;
			case 5: r = tan(x); break;
			case 6: r = atan2(y, x); break;
			case 7: r = tanh(y); break;
			case 8: r = sqrt(x); break;
			case 9: r = fmod(x * 100, y ? y : 1); break;
			case 10: r = sinf((float)x); break;
			default: r = expf((float)y); break;
			}
			snprintf(buf, sizeof buf, "%.17g", r);
			nlibm++;
		}
		if (!streq(buf, c->expect) && bad++ < 5)
			printf("utest: printf case %u (\"%s\"): \"%s\", glibc \"%s\"\n", i,
			       c->kind >= 2 ? "%.17g" : c->fmt, buf, c->expect);
	}
	printf("utest: runtime printf and libm in the guest: %u of %u results as glibc prints them "
	       "(%u libm results), pi = %.15f, e = %e\n", n - bad, n, nlibm, 4 * atan2(1, 1), exp(1));
	return bad != 0;
}
