/* 64-bit multiplication with overflow detection, for JIT-compiled modules
 * (llvm.umul.with.overflow.i64 / llvm.smul.with.overflow.i64, what
 * __builtin_mul_overflow on 64-bit operands becomes).  *res gets the low
 * 64 bits of the product (the wrapped result), the return value is 1
 * when the product does not fit.  No 128-bit type on i386: the product is
 * assembled from 32x32->64 partial products. */
#include <stdint.h>

int __bf_umulo64(uint64_t a, uint64_t b, uint64_t *res);
int __bf_smulo64(int64_t a, int64_t b, int64_t *res);

int __bf_umulo64(uint64_t a, uint64_t b, uint64_t *res)
{
	uint32_t al = (uint32_t)a, ah = (uint32_t)(a >> 32);
	uint32_t bl = (uint32_t)b, bh = (uint32_t)(b >> 32);
	uint64_t lo = (uint64_t)al * bl;
	/* ah * bh lands at bit 64 and above */
	int ovf = ah && bh;
	/* at most one cross term is non-zero unless ovf is already set; its
	 * bits 32.. land at bit 64 and above */
	uint64_t mid = (uint64_t)ah * bl + (uint64_t)al * bh;
	if (mid >> 32)
		ovf = 1;
	uint64_t r = lo + (mid << 32);
	if (r < lo)
		ovf = 1;
	*res = r;
	return ovf;
}

int __bf_smulo64(int64_t a, int64_t b, int64_t *res)
{
	uint64_t ua = a < 0 ? 0 - (uint64_t)a : (uint64_t)a;
	uint64_t ub = b < 0 ? 0 - (uint64_t)b : (uint64_t)b;
	uint64_t p;
	int ovf = __bf_umulo64(ua, ub, &p);
	int neg = (a < 0) != (b < 0);
	/* the magnitude must fit: at most 2^63 - 1, or 2^63 when negative */
	if (p > (neg ? (uint64_t)1 << 63 : ((uint64_t)1 << 63) - 1))
		ovf = 1;
	*res = (int64_t)(neg ? 0 - p : p); /* the low 64 bits either way */
	return ovf;
}
