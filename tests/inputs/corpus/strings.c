/* Corpus: strings — literals, a hand-declared strlen/memcmp, reversal,
 * integer formatting and parsing, character classes, a tiny tokenizer. */
typedef unsigned int u32;
typedef __SIZE_TYPE__ size_t;
size_t strlen(const char *s);
int memcmp(const void *a, const void *b, size_t n);

static u32 mix(u32 h, u32 v) { return (h ^ v) * 16777619u; }

static void reverse(char *s, int n)
{
	for (int i = 0, j = n - 1; i < j; i++, j--) {
		char t = s[i];
		s[i] = s[j];
		s[j] = t;
	}
}

static int format_int(int v, char *out)
{
	char buf[16];
	int n = 0, neg = v < 0;
	unsigned int u = neg ? 0u - (unsigned int)v : (unsigned int)v;
	do {
		buf[n++] = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (neg)
		buf[n++] = '-';
	reverse(buf, n);
	for (int i = 0; i < n; i++)
		out[i] = buf[i];
	out[n] = 0;
	return n;
}

static int parse_int(const char **sp)
{
	const char *s = *sp;
	int sign = 1, v = 0;
	while (*s == ' ')
		s++;
	if (*s == '-') {
		sign = -1;
		s++;
	}
	while (*s >= '0' && *s <= '9')
		v = v * 10 + (*s++ - '0');
	*sp = s;
	return sign * v;
}

static int is_vowel(char c)
{
	switch (c | 0x20) {
	case 'a': case 'e': case 'i': case 'o': case 'u':
		return 1;
	default:
		return 0;
	}
}

static const char text[] = "The quick brown fox jumps over the lazy dog 0123456789";
static const char *const words[] = { "alpha", "beta", "gamma", "delta", "epsilon" };

int test_main(void)
{
	u32 h = 2166136261u;
	char buf[64];
	h = mix(h, (u32)strlen(text));
	int vowels = 0, upper = 0, digits = 0;
	for (const char *p = text; *p; p++) {
		vowels += is_vowel(*p);
		upper += *p >= 'A' && *p <= 'Z';
		digits += *p >= '0' && *p <= '9';
	}
	h = mix(h, (u32)(vowels * 10000 + upper * 100 + digits));
	for (int v = -1000; v <= 1000; v += 137) {
		int n = format_int(v * 1009, buf);
		for (int i = 0; i < n; i++)
			h = mix(h, (u32)buf[i]);
	}
	const char *expr = "12 -7 300 44 -5 8";
	int sum = 0;
	while (*expr)
		sum += parse_int(&expr);
	h = mix(h, (u32)sum);
	for (int i = 0; i < 5; i++) {
		size_t n = strlen(words[i]);
		h = mix(h, (u32)n);
		h = mix(h, (u32)memcmp(words[i], "delta", n < 5 ? n : 5) > 0 ? 1u : 0u);
	}
	char copy[sizeof text];
	for (size_t i = 0; i < sizeof text; i++)
		copy[i] = text[i];
	reverse(copy, (int)strlen(copy));
	h = mix(h, (u32)copy[0] << 8 | (u32)copy[1]);
	return (int)h;
}
/* EXPECT test_main = -1904969223 (i386; gcc and clang-19 at -O0..-O3 agree) */
