/* sort: quicksort of 20000 pseudo-random integers */
static int v[20000];
static void qs(int *a, int lo, int hi)
{
	while (lo < hi) {
		int p = a[(lo + hi) / 2], i = lo, j = hi;
		while (i <= j) {
			while (a[i] < p) i++;
			while (a[j] > p) j--;
			if (i <= j) { int t = a[i]; a[i] = a[j]; a[j] = t; i++; j--; }
		}
		if (j - lo < hi - i) { qs(a, lo, j); lo = i; } else { qs(a, i, hi); hi = j; }
	}
}
int main(void)
{
	unsigned x = 12345;
	for (int i = 0; i < 20000; i++) {
		x ^= x << 13; x ^= x >> 17; x ^= x << 5;
		v[i] = (int)(x % 100000);
	}
	qs(v, 0, 19999);
	unsigned h = 0;
	for (int i = 0; i < 20000; i += 7)
		h = h * 33 + (unsigned)v[i];
	return (int)h;
}
