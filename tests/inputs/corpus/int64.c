/* Corpus: 64-bit arithmetic on a 32-bit target — add/sub with carries,
 * multiplication, signed and unsigned division and remainder (runtime
 * helpers), shifts by variable amounts, comparisons, conversions. */
typedef unsigned int u32;
typedef unsigned long long u64;
typedef long long i64;

static u32 mix(u32 h, u32 v) { return (h ^ v) * 16777619u; }
static u32 mix64(u32 h, u64 v) { return mix(mix(h, (u32)v), (u32)(v >> 32)); }

static u64 fnv64(const unsigned char *p, int n)
{
	u64 h = 14695981039346656037ull;
	for (int i = 0; i < n; i++)
		h = (h ^ p[i]) * 1099511628211ull;
	return h;
}

static u64 isqrt64(u64 x)
{
	u64 r = 0, bit = 1ull << 62;
	while (bit > x)
		bit >>= 2;
	while (bit) {
		if (x >= r + bit) {
			x -= r + bit;
			r = (r >> 1) + bit;
		} else {
			r >>= 1;
		}
		bit >>= 2;
	}
	return r;
}

static u64 mulmod(u64 a, u64 b, u64 m)
{
	u64 r = 0;
	a %= m;
	while (b) {
		if (b & 1)
			r = (r + a) % m;
		a = (a << 1) % m;
		b >>= 1;
	}
	return r;
}

static u64 powmod(u64 b, u64 e, u64 m)
{
	u64 r = 1;
	while (e) {
		if (e & 1)
			r = mulmod(r, b, m);
		b = mulmod(b, b, m);
		e >>= 1;
	}
	return r;
}

int test_main(void)
{
	u32 h = 2166136261u;
	i64 vals[] = { 0, 1, -1, 7, -7, 1000000007LL, -999999999999LL, 0x7fffffffffffffffLL,
		       -0x7fffffffffffffffLL, 0x123456789abcdefLL, 3LL << 40 };
	int n = sizeof vals / sizeof vals[0];
	for (int i = 0; i < n; i++)
		for (int j = 0; j < n; j++) {
			i64 a = vals[i], b = vals[j];
			h = mix64(h, (u64)a + (u64)b);
			h = mix64(h, (u64)a * (u64)b);
			if (b != 0 && !(b == -1 && a == -0x7fffffffffffffffLL - 1)) {
				h = mix64(h, (u64)(a / b));
				h = mix64(h, (u64)(a % b));
			}
			if (b != 0) {
				h = mix64(h, (u64)a / (u64)b);
				h = mix64(h, (u64)a % (u64)b);
			}
			h = mix(h, (u32)(a < b) | (u32)((u64)a < (u64)b) << 1 | (u32)(a == b) << 2);
		}
	for (int s = 0; s < 64; s += 5) {
		h = mix64(h, 0x8000000000000001ull >> s);
		h = mix64(h, (u64)(-0x7000000000000000LL >> s));
		h = mix64(h, 0x0123456789abcdefull << s);
	}
	h = mix64(h, fnv64((const unsigned char *)"bareflow", 8));
	h = mix64(h, isqrt64(0xfffffffffffffull));
	h = mix64(h, powmod(3, 1000000006ull, 1000000007ull));
	int neg = -123456;
	h = mix64(h, (u64)(i64)neg);
	h = mix64(h, (u64)(u32)neg);
	h = mix(h, (u32)(i64)(vals[9] >> 17));
	return (int)h;
}
/* EXPECT test_main = -621548925 (i386; gcc and clang-19 at -O0..-O3 agree) */
