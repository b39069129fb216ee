/* Corpus: loop shapes for the tier-3 unroller — trip counts 0, 1, 2, 3,
 * 5, 7 and others that are not multiples of the unroll factor, values
 * used after the loop, early exits (break, return from the body), nested
 * loops, do-while, stores to arrays, i64 induction variables, phis that
 * swap or rotate values, narrow counters, calls in the body.  The trip
 * counts come from non-static globals so that clang cannot fold the
 * loops away.  test_main returns a checksum; deterministic, no C
 * library. */
typedef unsigned int u32;
typedef unsigned short u16;
typedef unsigned char u8;
typedef unsigned long long u64;
typedef long long i64;

u32 trips[] = { 0, 1, 2, 3, 4, 5, 7, 8, 9, 13, 16, 17 };
u32 data[40] = { 9, 3, 14, 1, 5, 9, 2, 6, 5, 3, 5, 8, 9, 7, 9, 3, 2, 3, 8, 4,
		 6, 2, 6, 4, 3, 3, 8, 3, 2, 7, 9, 5, 0, 2, 8, 8, 4, 1, 9, 7 };
u32 out[40];
u32 calls;

static u32 mix(u32 h, u32 v) { return (h ^ v) * 16777619u; }

/* single-block counted loop, the sum used after the loop */
static u32 sum_n(u32 n)
{
	u32 s = 0;
	for (u32 i = 0; i < n; i++)
		s += i * 3u + 1u;
	return s;
}

/* the induction variable itself used after the loop */
static u32 last_i(u32 n)
{
	u32 i = 0, s = 7;
	for (; i < n; i++)
		s = s * 5u + i;
	return s + i * 1000u;
}

/* early exit: the index of the first element above t, or n */
static u32 find_above(const u32 *a, u32 n, u32 t)
{
	u32 i;
	for (i = 0; i < n; i++)
		if (a[i] > t)
			break;
	return i;
}

/* return from inside the body, two different exit blocks */
static int find_pair(const u32 *a, u32 n, u32 x)
{
	for (u32 i = 0; i + 1 < n; i++) {
		if (a[i] == x)
			return (int)i;
		if (a[i] + a[i + 1] == x)
			return -(int)i - 1;
	}
	return -1000;
}

/* nested loops: the inner one is innermost (unrolled), the outer not */
static u32 nested(u32 n, u32 m)
{
	u32 acc = 1;
	for (u32 i = 0; i < n; i++) {
		u32 row = i;
		for (u32 j = 0; j < m; j++)
			row = row * 7u + j;
		acc = mix(acc, row);
	}
	return acc;
}

/* do-while: runs at least once */
static u32 do_while(u32 n)
{
	u32 k = 0, p = 1;
	do {
		p = p * 3u + k;
		k++;
	} while (k < n);
	return p ^ k;
}

/* stores to an array, then a reduction over it */
static u32 fill_and_sum(u32 n)
{
	for (u32 i = 0; i < n; i++)
		out[i] = data[i] * data[i] + i;
	u32 s = 0;
	for (u32 i = 0; i < n; i++)
		s = s * 31u + out[i];
	return s;
}

/* 64-bit induction variable and accumulator */
static u64 wide_loop(i64 from, i64 to, i64 step)
{
	u64 acc = 0x12345678ull;
	for (i64 i = from; i < to; i += step)
		acc = acc * 0x100000001b3ull + (u64)i;
	return acc;
}

/* phis that swap: (a, b) = (b, a + b) */
static u32 fib(u32 n)
{
	u32 a = 0, b = 1;
	for (u32 i = 0; i < n; i++) {
		u32 t = a + b;
		a = b;
		b = t;
	}
	return a;
}

/* three values rotated every iteration */
static u32 rotate3(u32 n)
{
	u32 a = 1, b = 2, c = 3;
	for (u32 i = 0; i < n; i++) {
		u32 t = a;
		a = b;
		b = c;
		c = t + i;
	}
	return a * 100u + b * 10u + c;
}

/* if/else in the body (several blocks), countdown */
static u32 branchy(u32 n)
{
	u32 s = 0;
	while (n-- > 0) {
		if (n & 1)
			s += n * 2u;
		else
			s ^= n + 5u;
	}
	return s;
}

/* narrow counters and values */
static u32 narrow(u32 n)
{
	u8 x = 250;
	u16 y = 65530;
	for (u8 i = 0; i < (u8)n; i++) {
		x = (u8)(x + i * 3);
		y = (u16)(y + x);
	}
	return (u32)x << 16 | y;
}

/* pointer walk until a terminator */
static u32 walk(const u32 *p)
{
	u32 n = 0;
	while (*p != 0) {
		n += *p;
		p++;
	}
	return n;
}

/* a call in the body (not inlined) */
__attribute__((noinline)) static u32 bump(u32 v)
{
	calls++;
	return v * 2u + 1u;
}

static u32 with_call(u32 n)
{
	u32 v = 0;
	for (u32 i = 0; i < n; i++)
		v = bump(v) ^ i;
	return v + calls;
}

/* a value from the body used after the loop that is not the exit value
 * of a header phi */
static u32 after_use(u32 n)
{
	u32 i = 0, sq = 0;
	while (i < n) {
		sq = i * i + 1u;
		i++;
	}
	return sq + i;
}

int test_main(void)
{
	u32 h = 2166136261u;
	for (u32 t = 0; t < sizeof trips / sizeof trips[0]; t++) {
		u32 n = trips[t];
		h = mix(h, sum_n(n));
		h = mix(h, last_i(n));
		h = mix(h, find_above(data, n, 8));
		h = mix(h, (u32)find_pair(data, n, 11));
		h = mix(h, nested(n, trips[(t + 3) % 12]));
		h = mix(h, do_while(n));
		h = mix(h, fill_and_sum(n));
		u64 w = wide_loop(-(i64)n, (i64)n * 3, (i64)(n % 3) + 1);
		h = mix(h, (u32)w);
		h = mix(h, (u32)(w >> 32));
		w = wide_loop(0x100000000ll - 5, 0x100000000ll + (i64)n, 1);
		h = mix(h, (u32)w ^ (u32)(w >> 32));
		h = mix(h, fib(n));
		h = mix(h, rotate3(n));
		h = mix(h, branchy(n));
		h = mix(h, narrow(n));
		h = mix(h, with_call(n));
		h = mix(h, after_use(n));
	}
	data[39] = 0;
	h = mix(h, walk(data + 20));
	h = mix(h, walk(data + 39));
	h = mix(h, fib(47));
	return (int)h;
}
/* EXPECT test_main = 84490237 (i386; gcc and clang-19 at -O0..-O3 agree) */
