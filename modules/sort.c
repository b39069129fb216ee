/* sort: quicksort (recursive, Lomuto partition) of LCG data, then a
 * position-weighted checksum that only a correct sort reproduces. */
#include <stdint.h>
#define N 256

static int32_t v[N];

static void swap(int32_t *x, int32_t *y) { int32_t t = *x; *x = *y; *y = t; }

static void quicksort(int32_t *s, int32_t lo, int32_t hi)
{
	while (lo < hi) {
		int32_t pivot = s[hi], i = lo;
		for (int32_t j = lo; j < hi; j++)
			if (s[j] < pivot)
				swap(&s[i++], &s[j]);
		swap(&s[i], &s[hi]);
		if (i - lo < hi - i) {
			quicksort(s, lo, i - 1);
			lo = i + 1;
		} else {
			quicksort(s, i + 1, hi);
			hi = i - 1;
		}
	}
}

int32_t module_main(int32_t arg)
{
	uint32_t seed = (uint32_t)arg;
	for (int i = 0; i < N; i++) {
		seed = seed * 1103515245u + 12345u;
		v[i] = (int32_t)(seed >> 8) % 10007 - 5000;
	}
	quicksort(v, 0, N - 1);
	int32_t h = 0;
	for (int i = 0; i < N; i++)
		h = h * 31 + v[i] * (i + 1);
	return h;
}
