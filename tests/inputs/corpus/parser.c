/* Corpus: a recursive-descent parser and evaluator for integer
 * expressions with variables, precedence, unary operators, parentheses
 * and a small statement language (assignments separated by ';'), plus
 * error reporting.  Exercises deep recursion through several mutually
 * recursive functions, character classification and a symbol table. */
typedef unsigned int u32;

static u32 mix(u32 h, u32 v) { return (h ^ v) * 16777619u; }

struct parser {
	const char *p;
	int error;
	int vars[26];
	int depth;
};

static void skip(struct parser *ps)
{
	while (*ps->p == ' ' || *ps->p == '\t' || *ps->p == '\n')
		ps->p++;
}

static int expr(struct parser *ps);

static int primary(struct parser *ps)
{
	skip(ps);
	char c = *ps->p;
	if (c >= '0' && c <= '9') {
		int v = 0;
		while (*ps->p >= '0' && *ps->p <= '9')
			v = v * 10 + (*ps->p++ - '0');
		return v;
	}
	if (c >= 'a' && c <= 'z') {
		ps->p++;
		return ps->vars[c - 'a'];
	}
	if (c == '(') {
		ps->p++;
		if (++ps->depth > 50) {
			ps->error = 3;
			return 0;
		}
		int v = expr(ps);
		ps->depth--;
		skip(ps);
		if (*ps->p != ')') {
			ps->error = 1;
			return 0;
		}
		ps->p++;
		return v;
	}
	if (c == '-') {
		ps->p++;
		return -primary(ps);
	}
	if (c == '~') {
		ps->p++;
		return ~primary(ps);
	}
	if (c == '!') {
		ps->p++;
		return !primary(ps);
	}
	ps->error = 2;
	return 0;
}

static int term(struct parser *ps)
{
	int v = primary(ps);
	for (;;) {
		skip(ps);
		char op = *ps->p;
		if (op != '*' && op != '/' && op != '%')
			return v;
		ps->p++;
		int r = primary(ps);
		if (op == '*')
			v *= r;
		else if (r == 0)
			ps->error = 4;
		else if (op == '/')
			v /= r;
		else
			v %= r;
	}
}

static int sum(struct parser *ps)
{
	int v = term(ps);
	for (;;) {
		skip(ps);
		char op = *ps->p;
		if (op != '+' && op != '-')
			return v;
		ps->p++;
		int r = term(ps);
		v = op == '+' ? v + r : v - r;
	}
}

static int shift(struct parser *ps)
{
	int v = sum(ps);
	for (;;) {
		skip(ps);
		if (ps->p[0] == '<' && ps->p[1] == '<') {
			ps->p += 2;
			v = (int)((u32)v << (sum(ps) & 31));
		} else if (ps->p[0] == '>' && ps->p[1] == '>') {
			ps->p += 2;
			v >>= sum(ps) & 31;
		} else {
			return v;
		}
	}
}

static int compare(struct parser *ps)
{
	int v = shift(ps);
	for (;;) {
		skip(ps);
		if (ps->p[0] == '<' && ps->p[1] != '<') {
			ps->p++;
			v = v < shift(ps);
		} else if (ps->p[0] == '>' && ps->p[1] != '>') {
			ps->p++;
			v = v > shift(ps);
		} else if (ps->p[0] == '=' && ps->p[1] == '=') {
			ps->p += 2;
			v = v == shift(ps);
		} else {
			return v;
		}
	}
}

static int bitwise(struct parser *ps)
{
	int v = compare(ps);
	for (;;) {
		skip(ps);
		char op = *ps->p;
		if (op != '&' && op != '|' && op != '^')
			return v;
		ps->p++;
		int r = compare(ps);
		v = op == '&' ? v & r : op == '|' ? v | r : v ^ r;
	}
}

static int expr(struct parser *ps)
{
	int c = bitwise(ps);
	skip(ps);
	if (*ps->p == '?') {
		ps->p++;
		int a = expr(ps);
		skip(ps);
		if (*ps->p != ':') {
			ps->error = 5;
			return 0;
		}
		ps->p++;
		int b = expr(ps);
		return c ? a : b;
	}
	return c;
}

/* "x = expr; y = expr; ..." ; returns the last value */
static int program(struct parser *ps)
{
	int last = 0;
	for (;;) {
		skip(ps);
		if (!*ps->p || ps->error)
			return last;
		const char *save = ps->p;
		char c = *ps->p;
		if (c >= 'a' && c <= 'z') {
			ps->p++;
			skip(ps);
			if (*ps->p == '=' && ps->p[1] != '=') {
				ps->p++;
				last = ps->vars[c - 'a'] = expr(ps);
			} else {
				ps->p = save;
				last = expr(ps);
			}
		} else {
			last = expr(ps);
		}
		skip(ps);
		if (*ps->p == ';')
			ps->p++;
		else if (*ps->p) {
			ps->error = 6;
			return last;
		}
	}
}

static const char *const sources[] = {
	"1 + 2 * 3",
	"(1 + 2) * 3 - -4",
	"a = 10; b = a * a - 1; c = b % 7; a + b + c",
	"x = 1 << 10; y = x >> 3; x | y ^ 5",
	"n = 12; f = n > 10 ? n * 2 : n / 2; f",
	"((((((((((7))))))))))",
	"a = 3; b = 4; a * a + b * b == 25",
	"~0 & 255",
	"!0 + !5",
	"1 / 0",
	"(1 + 2",
	"3 $ 4",
	"p = 5; q = p ? (p < 3 ? 1 : 2) : 3; q * 100 + p",
};

int test_main(void)
{
	u32 h = 2166136261u;
	for (u32 i = 0; i < sizeof sources / sizeof sources[0]; i++) {
		struct parser ps = { sources[i], 0, { 0 }, 0 };
		int v = program(&ps);
		h = mix(h, (u32)v);
		h = mix(h, (u32)ps.error);
	}
	/* a long generated expression: 1+2+...+200 with nesting */
	char buf[2048];
	u32 n = 0;
	for (int i = 1; i <= 200; i++) {
		if (i % 20 == 1)
			buf[n++] = '(';
		int d = i;
		char tmp[4];
		int k = 0;
		do {
			tmp[k++] = (char)('0' + d % 10);
			d /= 10;
		} while (d);
		while (k)
			buf[n++] = tmp[--k];
		if (i % 20 == 0)
			buf[n++] = ')';
		if (i < 200)
			buf[n++] = '+';
	}
	buf[n] = 0;
	struct parser ps = { buf, 0, { 0 }, 0 };
	h = mix(h, (u32)program(&ps));
	h = mix(h, (u32)ps.error);
	return (int)h;
}
/* EXPECT test_main = -689598558 (i386; gcc and clang-19 at -O0..-O3 agree) */
