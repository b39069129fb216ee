/* Corpus: arrays — 1-D and 2-D, sorting (insertion, quick, merge with a
 * scratch array), searching, matrix multiply, prefix sums. */
typedef unsigned int u32;

static u32 mix(u32 h, u32 v) { return (h ^ v) * 16777619u; }

static u32 seed = 12345;
static u32 rnd(void) { seed = seed * 1103515245u + 12345u; return seed >> 8; }

static void insertion_sort(int *a, int n)
{
	for (int i = 1; i < n; i++) {
		int v = a[i], j = i - 1;
		while (j >= 0 && a[j] > v) {
			a[j + 1] = a[j];
			j--;
		}
		a[j + 1] = v;
	}
}

static void quick_sort(int *a, int lo, int hi)
{
	while (lo < hi) {
		int p = a[(lo + hi) / 2], i = lo, j = hi;
		while (i <= j) {
			while (a[i] < p) i++;
			while (a[j] > p) j--;
			if (i <= j) {
				int t = a[i]; a[i] = a[j]; a[j] = t;
				i++; j--;
			}
		}
		if (j - lo < hi - i) {
			quick_sort(a, lo, j);
			lo = i;
		} else {
			quick_sort(a, i, hi);
			hi = j;
		}
	}
}

static void merge_sort(int *a, int *tmp, int n)
{
	if (n < 2)
		return;
	int m = n / 2;
	merge_sort(a, tmp, m);
	merge_sort(a + m, tmp, n - m);
	int i = 0, j = m, k = 0;
	while (i < m && j < n)
		tmp[k++] = a[i] <= a[j] ? a[i++] : a[j++];
	while (i < m) tmp[k++] = a[i++];
	while (j < n) tmp[k++] = a[j++];
	for (k = 0; k < n; k++)
		a[k] = tmp[k];
}

#define N 12
static void matmul(int c[N][N], int a[N][N], int b[N][N])
{
	for (int i = 0; i < N; i++)
		for (int j = 0; j < N; j++) {
			int s = 0;
			for (int k = 0; k < N; k++)
				s += a[i][k] * b[k][j];
			c[i][j] = s;
		}
}

static u32 hash_array(const int *a, int n)
{
	u32 h = 0;
	for (int i = 0; i < n; i++)
		h = mix(h, (u32)a[i]);
	return h;
}

int test_main(void)
{
	int a[200], b[200], c[200], tmp[200];
	u32 h = 2166136261u;
	for (int i = 0; i < 200; i++)
		a[i] = b[i] = c[i] = (int)(rnd() % 1000) - 500;
	insertion_sort(a, 200);
	quick_sort(b, 0, 199);
	merge_sort(c, tmp, 200);
	for (int i = 0; i < 200; i++)
		if (a[i] != b[i] || b[i] != c[i])
			return -1;
	h = mix(h, hash_array(a, 200));

	static int m1[N][N], m2[N][N], m3[N][N];
	for (int i = 0; i < N; i++)
		for (int j = 0; j < N; j++) {
			m1[i][j] = i - j;
			m2[i][j] = (i * j) % 7;
		}
	matmul(m3, m1, m2);
	for (int i = 0; i < N; i++)
		h = mix(h, hash_array(m3[i], N));

	long long prefix[201];
	prefix[0] = 0;
	for (int i = 0; i < 200; i++)
		prefix[i + 1] = prefix[i] + a[i] * (long long)a[i];
	h = mix(h, (u32)prefix[200]);
	h = mix(h, (u32)(prefix[150] - prefix[50]));
	return (int)h;
}
/* EXPECT test_main = -265837937 (i386; gcc and clang-19 at -O0..-O3 agree) */
