/* Corpus: bit tricks — population count, leading/trailing zeros (clang
 * builtins become llvm.ctpop/ctlz/cttz), rotates (llvm.fshl), byte swaps,
 * bit reversal, parity, branch-free min/max/abs, power-of-two tests. */
typedef unsigned int u32;
typedef unsigned long long u64;

static u32 mix(u32 h, u32 v) { return (h ^ v) * 16777619u; }

static u32 popcount_loop(u32 x)
{
	u32 n = 0;
	while (x) {
		x &= x - 1;
		n++;
	}
	return n;
}

static u32 rotl(u32 x, u32 r) { return (x << (r & 31)) | (x >> ((32 - r) & 31)); }
static u32 bswap(u32 x)
{
	return (x >> 24) | ((x >> 8) & 0xff00) | ((x << 8) & 0xff0000) | (x << 24);
}
static u32 reverse_bits(u32 x)
{
	x = ((x >> 1) & 0x55555555u) | ((x & 0x55555555u) << 1);
	x = ((x >> 2) & 0x33333333u) | ((x & 0x33333333u) << 2);
	x = ((x >> 4) & 0x0f0f0f0fu) | ((x & 0x0f0f0f0fu) << 4);
	return bswap(x);
}
static int imin(int a, int b) { return a < b ? a : b; }
static int imax(int a, int b) { return a > b ? a : b; }
static int iabs(int a) { return a < 0 ? -a : a; }
static u32 next_pow2(u32 x)
{
	x--;
	x |= x >> 1; x |= x >> 2; x |= x >> 4; x |= x >> 8; x |= x >> 16;
	return x + 1;
}

int test_main(void)
{
	u32 h = 2166136261u;
	u32 x = 0x9e3779b9u;
	for (int i = 0; i < 64; i++) {
		x = x * 1664525u + 1013904223u;
		h = mix(h, (u32)__builtin_popcount(x) ^ popcount_loop(x) << 8);
		h = mix(h, (u32)__builtin_clz(x | 1) | (u32)__builtin_ctz(x | 0x80000000u) << 8);
		h = mix(h, rotl(x, (u32)i));
		h = mix(h, bswap(x) ^ __builtin_bswap32(x));
		h = mix(h, reverse_bits(x));
		h = mix(h, (u32)__builtin_parity(x));
		int s = (int)x;
		h = mix(h, (u32)imin(s, -s / 3) ^ (u32)imax(s, 12345) ^ (u32)iabs(s >> 3));
		h = mix(h, next_pow2(x >> 7));
		h = mix(h, (x & (x - 1)) == 0);
	}
	u64 w = 0x0123456789abcdefull;
	h = mix(h, (u32)__builtin_popcountll(w) | (u32)__builtin_clzll(w) << 8 |
		   (u32)__builtin_ctzll(w << 7) << 16);
	u64 sw = __builtin_bswap64(w);
	h = mix(h, (u32)sw ^ (u32)(sw >> 32));
	return (int)h;
}
/* EXPECT test_main = 2071937274 (i386; gcc and clang-19 at -O0..-O3 agree) */
