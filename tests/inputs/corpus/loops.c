/* Corpus: loops of every shape (for, while, do-while, nested, break,
 * continue, early exit, countdown, strided).  test_main returns a
 * checksum; deterministic, no C library. */
typedef unsigned int u32;

static u32 mix(u32 h, u32 v) { return (h ^ v) * 16777619u; }

static u32 sum_to(u32 n)
{
	u32 s = 0;
	for (u32 i = 1; i <= n; i++)
		s += i;
	return s;
}

static int collatz_steps(u32 n)
{
	int steps = 0;
	while (n != 1) {
		n = (n & 1) ? 3 * n + 1 : n / 2;
		steps++;
	}
	return steps;
}

static u32 nested(int n)
{
	u32 acc = 0;
	for (int i = 0; i < n; i++)
		for (int j = i; j < n; j++) {
			if ((i + j) % 3 == 0)
				continue;
			if (j - i > 7)
				break;
			acc = acc * 31 + (u32)(i * j);
		}
	return acc;
}

static int first_square_above(int limit)
{
	int k = 0;
	do {
		k++;
	} while (k * k <= limit);
	return k;
}

static u32 strided(void)
{
	u32 s = 0;
	for (int i = 100; i > 0; i -= 7)
		s = mix(s, (u32)i);
	for (u32 i = 1; i < 100000; i *= 3)
		s = mix(s, i);
	return s;
}

static int primes_below(int n)
{
	int count = 0;
	for (int i = 2; i < n; i++) {
		int prime = 1;
		for (int d = 2; d * d <= i; d++)
			if (i % d == 0) {
				prime = 0;
				break;
			}
		count += prime;
	}
	return count;
}

int test_main(void)
{
	u32 h = 2166136261u;
	h = mix(h, sum_to(1000));
	for (u32 n = 1; n < 60; n++)
		h = mix(h, (u32)collatz_steps(n));
	h = mix(h, nested(40));
	h = mix(h, (u32)first_square_above(12345));
	h = mix(h, strided());
	h = mix(h, (u32)primes_below(2000));
	return (int)h;
}
/* EXPECT test_main = -565323187 (i386; gcc and clang-19 at -O0..-O3 agree) */
