/* Native side of the ABI test (tests/jit/unit/test_jit.c, jit::native_abi):
 * built by i686 gcc into build/host/jit/abi.elf and called by JIT code,
 * and calling JIT code through function pointers; the same file is
 * compiled into the host test for the expected values. */
#include "abi.h"

struct abi_s native_make(int x)
{
	struct abi_s s = { x, (short)(x * 2), (signed char)(x * 3), { x, x + 1, x + 2 } };
	return s;
}

int native_take(struct abi_s s, signed char c, unsigned short u)
{
	return s.a + s.b + s.c + s.d[2] + c + u;
}

long long native_ll(long long a, int b) { return a * b - (a >> 7); }

int native_calls(int (*f)(struct abi_s, int), int x)
{
	struct abi_s s = native_make(x + 1);
	return f(s, x) + 1;
}

int native_calls_sret(struct abi_s (*f)(int), int x)
{
	struct abi_s s = f(x);
	return s.a + s.b * 3 + s.c + s.d[1];
}

signed char native_sc(int x) { return (signed char)x; }
unsigned short native_us(int x) { return (unsigned short)x; }
