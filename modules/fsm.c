/* fsm: a table-free state machine (switch) that tokenises a generated
 * expression-like text: numbers, identifiers, operators, comments. */
#include <stdint.h>

enum state { START, NUMBER, IDENT, SLASH, COMMENT };

static char src[1024];

static int32_t tokenize(const char *s, int32_t n)
{
	enum state st = START;
	int32_t numbers = 0, idents = 0, ops = 0, comments = 0, value = 0, total = 0;
	for (int32_t i = 0; i <= n; i++) {
		char c = i < n ? s[i] : ' ';
		switch (st) {
		case START:
			if (c >= '0' && c <= '9') { st = NUMBER; value = c - '0'; }
			else if (c >= 'a' && c <= 'z') st = IDENT;
			else if (c == '/') st = SLASH;
			else if (c == '+' || c == '*' || c == '-') ops++;
			break;
		case NUMBER:
			if (c >= '0' && c <= '9') value = value * 10 + (c - '0');
			else { numbers++; total += value; st = START; i--; }
			break;
		case IDENT:
			if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))) { idents++; st = START; i--; }
			break;
		case SLASH:
			if (c == '/') st = COMMENT;
			else { ops++; st = START; i--; }
			break;
		case COMMENT:
			if (c == '\n') { comments++; st = START; }
			break;
		}
	}
	return numbers * 1000000 + idents * 10000 + ops * 100 + comments + total;
}

int32_t module_main(int32_t arg)
{
	static const char alphabet[] = "0123456789abcxyz+-*/ \n";
	uint32_t s = (uint32_t)arg * 2654435761u + 1;
	for (int i = 0; i < (int)sizeof src; i++) {
		s = s * 1103515245u + 12345u;
		src[i] = alphabet[(s >> 16) % (sizeof alphabet - 1)];
	}
	return tokenize(src, sizeof src);
}
