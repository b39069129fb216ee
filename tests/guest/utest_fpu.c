/* utest's floating-point roles (test=fpu, servers/init/selftest_fpu.c).
 * Built with -msse2 -mfpmath=sse (tests/guest/guest.mk): the rest of utest
 * has no FPU code at all.
 *
 *   ROLE_FP_WORKER   iterates chaotic maps in SSE (double and float) and
 *                    x87 registers, inside one asm block, yielding to the
 *                    other workers with every value live in a register,
 *                    then once more without yields for long enough to be
 *                    preempted by the timer; the same arithmetic done in C
 *                    afterwards must give the same bits.  An odd seed also
 *                    runs with its own rounding modes (MXCSR round toward
 *                    zero, x87 53-bit precision rounding down): if another
 *                    task's control words leaked in, the bits would differ.
 *                    A logistic map never forgets: a register lost or
 *                    changed anywhere shows in the result.
 *   ROLE_FP_XM       unmasks SSE divide-by-zero and divides by zero: #XM
 *                    (exit 97 if the CPU raises none, as QEMU's TCG).
 *   ROLE_FP_MF       unmasks x87 divide-by-zero and divides by zero: #MF.
 * (ROLE_FP_FRESH, the state a new task starts with, is in utest.c: it must
 * run before any compiled code could touch an SSE register.) */
#include <stddef.h>
#include <stdint.h>
#include "lib/user/sys.h"
#include "tests/guest/roles.h"

struct fp_acc {
	double x, sx;		/* xmm0, xmm1 */
	float y, sy;		/* xmm2, xmm3 */
	double r;		/* xmm6 */
	float rf;		/* xmm7 */
	long double z, sz;	/* st(0), st(1) */
};

static const double one = 1.0;
static const float onef = 1.0f;

/* `rounds` times: `iters` steps of every map with all values in registers,
 * then (if yield) SYS_YIELD with them still there. */
static void fp_run_asm(struct fp_acc *a, uint32_t rounds, uint32_t iters, int yield)
{
	__asm__ volatile(
		"movsd %c[ox](%[a]), %%xmm0\n\t"
		"movsd %c[osx](%[a]), %%xmm1\n\t"
		"movss %c[oy](%[a]), %%xmm2\n\t"
		"movss %c[osy](%[a]), %%xmm3\n\t"
		"movsd %c[or](%[a]), %%xmm6\n\t"
		"movss %c[orf](%[a]), %%xmm7\n\t"
		"fldt %c[osz](%[a])\n\t"
		"fldt %c[oz](%[a])\n"		/* st0 = z, st1 = sz */
		"1:\tmovl %[iters], %%ecx\n"
		"2:\tmovsd %[one], %%xmm4\n\t"	/* x = r * x * (1 - x); sx += x */
		"subsd %%xmm0, %%xmm4\n\t"
		"mulsd %%xmm6, %%xmm0\n\t"
		"mulsd %%xmm4, %%xmm0\n\t"
		"addsd %%xmm0, %%xmm1\n\t"
		"movss %[onef], %%xmm5\n\t"	/* the same in float */
		"subss %%xmm2, %%xmm5\n\t"
		"mulss %%xmm7, %%xmm2\n\t"
		"mulss %%xmm5, %%xmm2\n\t"
		"addss %%xmm2, %%xmm3\n\t"
		"fld1\n\t"			/* and in x87 extended */
		"fsub %%st(1), %%st\n\t"
		"fmul %%st(1), %%st\n\t"
		"fmull %c[or](%[a])\n\t"
		"fstp %%st(1)\n\t"
		"fadd %%st, %%st(1)\n\t"
		"decl %%ecx\n\t"
		"jnz 2b\n\t"
		"testl %[yield], %[yield]\n\t"
		"jz 3f\n\t"
		"movl %[sys_yield], %%eax\n\t"
		"int $0x80\n"
		"3:\tdecl %[rounds]\n\t"
		"jnz 1b\n\t"
		"fstpt %c[oz](%[a])\n\t"
		"fstpt %c[osz](%[a])\n\t"
		"movsd %%xmm0, %c[ox](%[a])\n\t"
		"movsd %%xmm1, %c[osx](%[a])\n\t"
		"movss %%xmm2, %c[oy](%[a])\n\t"
		"movss %%xmm3, %c[osy](%[a])\n\t"
		: [rounds] "+r"(rounds)
		: [a] "r"(a), [iters] "r"(iters), [yield] "r"(yield),
		  [one] "m"(one), [onef] "m"(onef), [sys_yield] "i"(SYS_YIELD),
		  [ox] "i"(offsetof(struct fp_acc, x)), [osx] "i"(offsetof(struct fp_acc, sx)),
		  [oy] "i"(offsetof(struct fp_acc, y)), [osy] "i"(offsetof(struct fp_acc, sy)),
		  [or] "i"(offsetof(struct fp_acc, r)), [orf] "i"(offsetof(struct fp_acc, rf)),
		  [oz] "i"(offsetof(struct fp_acc, z)), [osz] "i"(offsetof(struct fp_acc, sz))
		: "eax", "ecx", "memory", "cc", "xmm0", "xmm1", "xmm2", "xmm3", "xmm4",
		  "xmm5", "xmm6", "xmm7", "st", "st(1)", "st(2)", "st(3)", "st(4)",
		  "st(5)", "st(6)", "st(7)");
}

/* The same arithmetic, one operation at a time through memory. */
static void fp_run_c(struct fp_acc *a, uint32_t steps)
{
	volatile double x = a->x, sx = a->sx, t;
	volatile float y = a->y, sy = a->sy, tf;
	volatile long double z = a->z, sz = a->sz, tz;
	for (uint32_t i = 0; i < steps; i++) {
		t = one - x;
		x = x * a->r;
		x = x * t;
		sx = sx + x;
		tf = onef - y;
		y = y * a->rf;
		y = y * tf;
		sy = sy + y;
		tz = 1.0L - z;
		tz = tz * z;
		z = tz * (long double)a->r;
		sz = sz + z;
	}
	a->x = x; a->sx = sx; a->y = y; a->sy = sy; a->z = z; a->sz = sz;
}

static void fp_start(struct fp_acc *a, uint32_t seed)
{
	a->x = 0.1 + 0.01 * (seed % 64);
	a->y = 0.2f + 0.01f * (float)(seed % 32);
	a->z = 0.3L + 0.001L * (seed % 128);
	a->sx = a->sy = 0;
	a->sz = 0;
	a->r = 3.9 - 0.001 * (seed % 16);
	a->rf = 3.87f - 0.001f * (float)(seed % 8);
}

static int same(const void *p, const void *q, unsigned n)
{
	const uint8_t *a = p, *b = q;
	for (unsigned i = 0; i < n; i++)
		if (a[i] != b[i])
			return 0;
	return 1;
}

#define FP_ROUNDS 400
#define FP_ITERS  250
#define FP_LONG   400000	/* no yields: several timer preemptions */

int fp_worker(uint32_t seed)
{
	if (seed & 1) {	/* its own rounding: toward zero; x87 double precision, down */
		uint32_t mxcsr = 0x1F80 | (3u << 13);
		uint16_t fcw = 0x037F & ~(3u << 8);
		fcw |= (2u << 8) | (1u << 10);
		__asm__ volatile("ldmxcsr %0\n\tfldcw %1" :: "m"(mxcsr), "m"(fcw));
	}
	struct fp_acc reg, mem;
	fp_start(&reg, seed);
	fp_start(&mem, seed);
	uint32_t t0 = (uint32_t)bf_time();
	fp_run_asm(&reg, FP_ROUNDS, FP_ITERS, 1);
	fp_run_asm(&reg, 1, FP_LONG, 0);
	uint32_t t1 = (uint32_t)bf_time();
	fp_run_c(&mem, FP_ROUNDS * FP_ITERS + FP_LONG);
	int bad = 0;
	bad |= !same(&reg.x, &mem.x, sizeof reg.x) || !same(&reg.sx, &mem.sx, sizeof reg.sx);
	bad |= (!same(&reg.y, &mem.y, sizeof reg.y) || !same(&reg.sy, &mem.sy, sizeof reg.sy)) << 1;
	bad |= (!same(&reg.z, &mem.z, 10) || !same(&reg.sz, &mem.sz, 10)) << 2;
	uint64_t bx, by;
	uint32_t fy;
	__builtin_memcpy(&bx, &reg.sx, 8);
	__builtin_memcpy(&fy, &reg.sy, 4);
	__builtin_memcpy(&by, &reg.sz, 8);
	bf_printf("utest: fp worker %u: %u steps in %u ticks, sums %08x%08x %08x %08x%08x: %s\n",
		  seed, FP_ROUNDS * FP_ITERS + FP_LONG, t1 - t0, (uint32_t)(bx >> 32), (uint32_t)bx,
		  fy, (uint32_t)(by >> 32), (uint32_t)by, bad ? "MISMATCH" : "same bits as in memory");
	return bad;
}

/* Unmask divide-by-zero and divide by zero: the task must die, alone. */
int fp_fault(uint32_t role)
{
	volatile double zero = 0.0, r;
	if (role == ROLE_FP_XM) {
		uint32_t mxcsr = 0x1F80 & ~(1u << 9);	/* ZM clear */
		__asm__ volatile("ldmxcsr %0" :: "m"(mxcsr));
		r = 1.0 / zero;				/* divsd: #XM at once */
		/* Still here: this CPU raises no #XM (QEMU's TCG before 8.x
		 * does not model unmasked SSE exceptions).  The flag must be
		 * set all the same. */
		__asm__ volatile("stmxcsr %0" : "=m"(mxcsr));
		return mxcsr & 0x4 ? 97 : 96;
	} else {
		uint16_t fcw = 0x037F & ~(1u << 2);	/* ZM clear */
		__asm__ volatile("fldcw %0\n\t"
				 "fldz\n\t"
				 "fld1\n\t"
				 "fdiv %%st(1), %%st\n\t"	/* 1 / 0: pending */
				 "fwait\n\t"			/* #MF here */
				 "fstp %%st(0)\n\t"
				 "fstp %%st(0)"
				 :: "m"(fcw) : "st");
		r = 0;
	}
	(void)r;
	return 98;
}
