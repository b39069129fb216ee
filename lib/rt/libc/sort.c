/* qsort and bsearch.  qsort is a heapsort: O(n log n) for every input
 * (no quicksort worst case a user's data could hit), no recursion (the
 * module stack is 64 KiB) and no memory beyond a few words, at the price
 * of stability, which C does not promise. */
#include <stdlib.h>

/* The comparator is module code: called through callback.asm, whose call
 * ends at a bundle end, so that a sandboxed comparator's masked return
 * comes back to it.  (A host build, with no sandbox, calls it directly.) */
typedef int (*cmp_fn)(const void *, const void *);
#ifdef __i386__
int rt_call_cmp(cmp_fn fn, const void *a, const void *b);
#define CMP(fn, a, b) rt_call_cmp(fn, a, b)
#else
#define CMP(fn, a, b) (fn)(a, b)
#endif

static void swap(unsigned char *a, unsigned char *b, size_t size)
{
	while (size--) {
		unsigned char t = *a;
		*a++ = *b;
		*b++ = t;
	}
}

/* Moves element `root` down the heap of the first n elements until
 * neither child is greater. */
static void sift(unsigned char *base, size_t root, size_t n, size_t size,
		 cmp_fn cmp)
{
	for (;;) {
		size_t big = root, l = 2 * root + 1, r = l + 1;
		if (l < n && CMP(cmp, base + l * size, base + big * size) > 0)
			big = l;
		if (r < n && CMP(cmp, base + r * size, base + big * size) > 0)
			big = r;
		if (big == root)
			return;
		swap(base + root * size, base + big * size, size);
		root = big;
	}
}

void qsort(void *base, size_t n, size_t size, cmp_fn cmp)
{
	unsigned char *b = base;
	if (n < 2 || !size)
		return;
	for (size_t i = n / 2; i-- > 0;)
		sift(b, i, n, size, cmp);
	for (size_t end = n - 1; end > 0; end--) {
		swap(b, b + end * size, size);
		sift(b, 0, end, size, cmp);
	}
}

void *bsearch(const void *key, const void *base, size_t n, size_t size,
	      cmp_fn cmp)
{
	const unsigned char *lo = base;
	while (n) {
		const unsigned char *mid = lo + (n / 2) * size;
		int c = CMP(cmp, key, mid);
		if (c == 0)
			return (void *)mid;
		if (c > 0) {
			lo = mid + size;
			n -= n / 2 + 1;
		} else {
			n /= 2;
		}
	}
	return NULL;
}
