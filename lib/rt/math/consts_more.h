/* Double-double constants of the log2/log10 conversions (log2.c),
 * computed with 300-bit arithmetic (mpmath): hi the nearest double, lo
 * the nearest double to the rest. */
#ifndef RT_MATH_CONSTS_MORE_H
#define RT_MATH_CONSTS_MORE_H
#define INV_LN2_HI 0x1.71547652b82fep+0		/* 1/ln 2 = log2 e */
#define INV_LN2_LO 0x1.777d0ffda0d24p-56
#define INV_LN10_HI 0x1.bcb7b1526e50ep-2	/* 1/ln 10 = log10 e */
#define INV_LN10_LO 0x1.95355baaafad3p-57
#endif
