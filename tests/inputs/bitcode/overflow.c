/* Not a test binary: input for test_bitcode, and through the symlink
 * tests/inputs/corpus/overflow.c part of the JIT's corpus (clang turns sat_add
 * into llvm.sadd.sat at -O1+).
 * Checked and saturating arithmetic — __builtin_*_overflow
 * (llvm.*.with.overflow returning { iN, i1 }: extractvalue), saturating
 * add/sub, 32x32->64 multiplies, multiply-high, __builtin_expect and
 * __builtin_unreachable, a variable-length array. */
typedef unsigned int u32;
typedef unsigned long long u64;
typedef long long i64;

static u32 mix(u32 h, u32 v) { return (h ^ v) * 16777619u; }

static int sat_add(int a, int b)
{
	int r;
	if (__builtin_add_overflow(a, b, &r))
		return a > 0 ? 0x7fffffff : (int)0x80000000u;
	return r;
}

static u32 sat_usub(u32 a, u32 b)
{
	u32 r;
	return __builtin_sub_overflow(a, b, &r) ? 0 : r;
}

static int checked_mul(int a, int b, int *out)
{
	return __builtin_mul_overflow(a, b, out);
}

static u32 mulhi(u32 a, u32 b) { return (u32)(((u64)a * b) >> 32); }

static int classify(int x)
{
	switch (x & 3) {
	case 0: return 10;
	case 1: return 20;
	case 2: return 30;
	case 3: return 40;
	}
	__builtin_unreachable();
}

static u32 vla_sum(int n)
{
	u32 buf[n];
	for (int i = 0; i < n; i++)
		buf[i] = (u32)(i * i) ^ (u32)n;
	u32 s = 0;
	for (int i = n - 1; i >= 0; i--)
		s = s * 3 + buf[i];
	return s;
}

int test_main(void)
{
	u32 h = 2166136261u;
	static const int vals[] = { 0, 1, -1, 1000, -1000, 0x7fffffff, (int)0x80000000u, 46341, -46341, 65536 };
	int n = sizeof vals / sizeof vals[0];
	for (int i = 0; i < n; i++)
		for (int j = 0; j < n; j++) {
			int r = 0;
			h = mix(h, (u32)sat_add(vals[i], vals[j]));
			h = mix(h, sat_usub((u32)vals[i], (u32)vals[j]));
			int ov = checked_mul(vals[i], vals[j], &r);
			h = mix(h, (u32)ov << 31 | ((u32)r & 0x7fffffff));
			h = mix(h, mulhi((u32)vals[i], (u32)vals[j]));
			i64 wide = (i64)vals[i] * vals[j];
			h = mix(h, (u32)(wide >> 32));
		}
	for (int i = 0; i < 16; i++) {
		if (__builtin_expect(i == 13, 0))
			h = mix(h, 0xdead);
		h = mix(h, (u32)classify(i * 7));
	}
	for (int k = 1; k < 40; k += 3)
		h = mix(h, vla_sum(k));
	return (int)h;
}
/* EXPECT test_main = 723222718 (i386; gcc and clang-19 at -O0..-O3 agree) */
