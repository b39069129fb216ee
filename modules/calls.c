/* calls: 200 small functions reached through a table of function
 * pointers, as an interpreter's opcode handlers or a library's many
 * entry points are -- a module with more functions than the first
 * BareFlow allowed (64: the runtime's per-function tables now hold 256,
 * lib/rt/rt.h RT_MAX_FUNCS).  The table keeps every function out of line
 * (no inlining through it).  arg * 1000 dispatches; the result is the
 * last value. */
#include <stdint.h>

#define H(n) __attribute__((noinline)) static uint32_t h##n(uint32_t x) \
	{ return (x * (2u * (n) + 1u) + (n)) ^ (x >> ((n) % 13 + 1)); }
#define H10(t) H(t##0) H(t##1) H(t##2) H(t##3) H(t##4) H(t##5) H(t##6) H(t##7) H(t##8) H(t##9)
#define R10(t) h##t##0, h##t##1, h##t##2, h##t##3, h##t##4, h##t##5, h##t##6, h##t##7, h##t##8, h##t##9,

H(0) H(1) H(2) H(3) H(4) H(5) H(6) H(7) H(8) H(9)
H10(1) H10(2) H10(3) H10(4) H10(5) H10(6) H10(7) H10(8) H10(9) H10(10)
H10(11) H10(12) H10(13) H10(14) H10(15) H10(16) H10(17) H10(18) H10(19)

static uint32_t (*const handler[200])(uint32_t) = {
	h0, h1, h2, h3, h4, h5, h6, h7, h8, h9,
	R10(1) R10(2) R10(3) R10(4) R10(5) R10(6) R10(7) R10(8) R10(9) R10(10)
	R10(11) R10(12) R10(13) R10(14) R10(15) R10(16) R10(17) R10(18) R10(19)
};

int module_main(int arg)
{
	uint32_t x = 12345;
	for (int i = 0; i < arg * 1000; i++)
		x = handler[x % 200](x + (uint32_t)i);
	return (int)(x & 0x7fffffff);
}
