/* Corpus: direct and mutual recursion, deep-ish call chains, recursion
 * returning through several paths. */
typedef unsigned int u32;

static u32 mix(u32 h, u32 v) { return (h ^ v) * 16777619u; }

static int fib(int n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }

static int ackermann(int m, int n)
{
	if (m == 0)
		return n + 1;
	if (n == 0)
		return ackermann(m - 1, 1);
	return ackermann(m - 1, ackermann(m, n - 1));
}

static int is_odd(u32 n);
static int is_even(u32 n) { return n == 0 ? 1 : is_odd(n - 1); }
static int is_odd(u32 n) { return n == 0 ? 0 : is_even(n - 1); }

static u32 gcd(u32 a, u32 b) { return b ? gcd(b, a % b) : a; }

static u32 hanoi(int n, int from, int to, int via, u32 h)
{
	if (n == 0)
		return h;
	h = hanoi(n - 1, from, via, to, h);
	h = mix(h, (u32)(from * 10 + to));
	return hanoi(n - 1, via, to, from, h);
}

static int binsearch(const int *a, int lo, int hi, int key)
{
	if (lo > hi)
		return -1;
	int mid = lo + (hi - lo) / 2;
	if (a[mid] == key)
		return mid;
	return a[mid] < key ? binsearch(a, mid + 1, hi, key) : binsearch(a, lo, mid - 1, key);
}

static long long power(long long b, int e)
{
	if (e == 0)
		return 1;
	long long half = power(b, e / 2);
	return e % 2 ? half * half * b : half * half;
}

int test_main(void)
{
	u32 h = 2166136261u;
	int sorted[64];
	for (int i = 0; i < 64; i++)
		sorted[i] = i * 3 + 1;
	h = mix(h, (u32)fib(20));
	h = mix(h, (u32)ackermann(2, 3));
	h = mix(h, (u32)is_even(301) * 2 + (u32)is_odd(77));
	h = mix(h, gcd(1071u * 7, 462u * 7));
	h = hanoi(8, 1, 3, 2, h);
	for (int k = 0; k < 200; k += 7)
		h = mix(h, (u32)binsearch(sorted, 0, 63, k));
	long long p = power(3, 30);
	h = mix(h, (u32)p);
	h = mix(h, (u32)(p >> 32));
	return (int)h;
}
/* EXPECT test_main = -749338321 (i386; gcc and clang-19 at -O0..-O3 agree) */
