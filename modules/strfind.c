/* strfind: count occurrences of a pattern in a generated text with the
 * Knuth-Morris-Pratt algorithm (string search, failure table). */
#include <stdint.h>

static char text[2048];
static int32_t fail[16];

static int32_t kmp_count(const char *t, int32_t n, const char *p, int32_t m)
{
	fail[0] = 0;
	for (int32_t i = 1, k = 0; i < m; i++) {
		while (k && p[i] != p[k])
			k = fail[k - 1];
		if (p[i] == p[k])
			k++;
		fail[i] = k;
	}
	int32_t count = 0;
	for (int32_t i = 0, k = 0; i < n; i++) {
		while (k && t[i] != p[k])
			k = fail[k - 1];
		if (t[i] == p[k])
			k++;
		if (k == m) {
			count++;
			k = fail[k - 1];
		}
	}
	return count;
}

int32_t module_main(int32_t arg)
{
	uint32_t s = (uint32_t)arg | 1;
	for (int i = 0; i < (int)sizeof text; i++) {
		s ^= s << 13; s ^= s >> 17; s ^= s << 5;
		text[i] = "abac"[s & 3];
	}
	return kmp_count(text, sizeof text, "abaca", 5) * 1000 + kmp_count(text, sizeof text, "cab", 3);
}
