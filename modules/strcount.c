/* strcount: naive substring counting of four patterns in a generated
 * three-letter text (byte compares in a short inner loop that usually
 * fails at once: branchy code, unlike strfind's KMP automaton). */
#include <stdint.h>

static char text[4096];
static const char *const patterns[4] = { "abcab", "bca", "cabbage", "aaab" };

static int32_t count(const char *t, int32_t n, const char *p)
{
	int32_t c = 0, m = 0;
	while (p[m])
		m++;
	for (int32_t i = 0; i + m <= n; i++) {
		int32_t k = 0;
		while (k < m && t[i + k] == p[k])
			k++;
		if (k == m)
			c++;
	}
	return c;
}

int32_t module_main(int32_t arg)
{
	uint32_t x = (uint32_t)arg;
	for (int i = 0; i < (int)sizeof text; i++) {
		x = x * 1103515245u + 12345u;
		text[i] = (char)('a' + (x >> 16) % 3);
	}
	int32_t total = 0;
	for (int p = 0; p < 4; p++)
		total = total * 1000 + count(text, (int32_t)sizeof text, patterns[p]);
	return total;
}
