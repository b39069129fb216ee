/* What the libm tests share: the xorshift64* generator (each test seeds
 * `rs` with its own fixed value, a definition of its own after this
 * header) and the views of a double's or a float's bits. */
#ifndef BF_TEST_LIBM_TESTBITS_H
#define BF_TEST_LIBM_TESTBITS_H
#include <stdint.h>
#include <string.h>

static uint64_t rs;
static inline uint64_t rnd(void)
{
	rs ^= rs >> 12; rs ^= rs << 25; rs ^= rs >> 27;
	return rs * 0x2545F4914F6CDD1Dull;
}
static inline double asd(uint64_t u) { double d; memcpy(&d, &u, 8); return d; }
static inline uint64_t bd(double d) { uint64_t u; memcpy(&u, &d, 8); return u; }
static inline float asf(uint32_t u) { float f; memcpy(&f, &u, 4); return f; }
static inline uint32_t bf(float f) { uint32_t u; memcpy(&u, &f, 4); return u; }
#endif
