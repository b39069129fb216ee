/* Corpus: switch — dense (jump table), sparse, with fall-through, on
 * chars and on 64-bit values, and a state machine driven by a switch. */
typedef unsigned int u32;

static u32 mix(u32 h, u32 v) { return (h ^ v) * 16777619u; }

static int dense(int x)
{
	switch (x) {
	case 0: return 11;
	case 1: return 23;
	case 2: return 5;
	case 3: return 77;
	case 4: return 13;
	case 5: return 99;
	case 6: return 1;
	case 7: return 64;
	case 8: return 8;
	default: return -1;
	}
}

static int sparse(u32 x)
{
	switch (x) {
	case 1: return 1;
	case 100: return 2;
	case 1000: return 3;
	case 65536: return 4;
	case 0x7fffffff: return 5;
	case 0xdeadbeef: return 6;
	default: return 0;
	}
}

static int fallthrough(int x)
{
	int r = 0;
	switch (x & 7) {
	case 0: r += 1; /* fall through */
	case 1: r += 2; /* fall through */
	case 2: r += 4; break;
	case 3: r += 8; /* fall through */
	case 4: r += 16; break;
	default: r = -x;
	}
	return r;
}

static int wide(long long v)
{
	switch (v) {
	case 0x100000000LL: return 1;
	case -1LL: return 2;
	case 0x7fffffffffffLL: return 3;
	default: return 4;
	}
}

enum state { S_START, S_NUM, S_IDENT, S_SPACE, S_OTHER };

static u32 lex(const char *s)
{
	enum state st = S_START;
	u32 tokens = 0, h = 0;
	for (; *s; s++) {
		char c = *s;
		enum state nx;
		if (c >= '0' && c <= '9')
			nx = st == S_IDENT ? S_IDENT : S_NUM;
		else if ((c >= 'a' && c <= 'z') || c == '_')
			nx = S_IDENT;
		else if (c == ' ')
			nx = S_SPACE;
		else
			nx = S_OTHER;
		if (nx != st) {
			switch (nx) {
			case S_NUM: h = mix(h, 1); tokens++; break;
			case S_IDENT: h = mix(h, 2); tokens++; break;
			case S_OTHER: h = mix(h, (u32)c); tokens++; break;
			default: break;
			}
		}
		st = nx;
	}
	return h + tokens;
}

int test_main(void)
{
	u32 h = 2166136261u;
	for (int i = -2; i < 12; i++)
		h = mix(h, (u32)dense(i));
	u32 probes[] = { 0, 1, 100, 999, 1000, 65536, 0x7fffffff, 0xdeadbeef, 5 };
	for (int i = 0; i < 9; i++)
		h = mix(h, (u32)sparse(probes[i]));
	for (int i = 0; i < 20; i++)
		h = mix(h, (u32)fallthrough(i));
	long long wv[] = { 0x100000000LL, -1, 0x7fffffffffffLL, 12 };
	for (int i = 0; i < 4; i++)
		h = mix(h, (u32)wide(wv[i]));
	h = mix(h, lex("int x1 = 42 + foo_bar(7, y);"));
	return (int)h;
}
/* EXPECT test_main = -679598105 (i386; gcc and clang-19 at -O0..-O3 agree) */
