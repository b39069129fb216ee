/* string search: naive substring counting in a generated text */
static char text[32768];
static const char *pats[4] = { "abcab", "bca", "cabbage", "aaab" };
static int count(const char *t, int n, const char *p)
{
	int c = 0, m = 0;
	while (p[m]) m++;
	for (int i = 0; i + m <= n; i++) {
		int k = 0;
		while (k < m && t[i + k] == p[k]) k++;
		if (k == m) c++;
	}
	return c;
}
int main(void)
{
	unsigned x = 7;
	for (int i = 0; i < (int)sizeof text; i++) {
		x = x * 1103515245u + 12345u;
		text[i] = (char)('a' + (x >> 16) % 3);
	}
	int total = 0;
	for (int p = 0; p < 4; p++)
		total = total * 1000 + count(text, (int)sizeof text, pats[p]);
	return total;
}
