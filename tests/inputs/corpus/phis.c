/* Corpus: phi webs that a register allocator or a slot coalescer can get
 * wrong.  The swap problem (a, b = b, a), the lost-copy problem (a value
 * used after the loop that its own phi overwrote), rotations of three
 * and four values, counters carried through a switch (several phis per
 * latch, most copying the header's phi unchanged), i64 accumulators and
 * values live across the loop exit.  Trip counts come from a volatile so
 * that clang cannot fold the loops away.  test_main returns a checksum;
 * deterministic, no C library. */
typedef unsigned int u32;
typedef unsigned long long u64;

static volatile int trips[] = { 0, 1, 2, 3, 5, 7, 8, 13 };

static u32 mix(u32 h, u32 v) { return (h ^ v) * 16777619u; }

static u32 swap_loop(int n)
{
	u32 a = 1, b = 2;
	for (int i = 0; i < n; i++) {
		u32 t = a;
		a = b;
		b = t;
	}
	return a * 10 + b;
}

static u64 swap_loop64(int n)
{
	u64 a = 0x100000001ull, b = 0x200000002ull;
	for (int i = 0; i < n; i++) {
		u64 t = a;
		a = b + (u64)i;
		b = t;
	}
	return a ^ (b << 3);
}

/* the value before the last update is used after the loop */
static u32 lost_copy(int n)
{
	u32 x = 7, prev = 0;
	int i = 0;
	do {
		prev = x;
		x = x * 3 + (u32)i;
		i++;
	} while (i < n);
	return prev * 1000 + x;
}

static u32 rotate3(int n)
{
	u32 a = 1, b = 20, c = 300;
	for (int i = 0; i < n; i++) {
		u32 t = a;
		a = b;
		b = c;
		c = t + (u32)i;
	}
	return a + 7 * b + 49 * c;
}

static u64 rotate4_64(int n)
{
	u64 a = 1, b = 2, c = 3, d = 4;
	for (int i = 0; i < n; i++) {
		u64 t = d;
		d = c;
		c = b;
		b = a;
		a = t * 3 + 1;
	}
	return a + (b << 8) + (c << 16) + (d << 24);
}

/* several counters, each kept unchanged on most paths of a switch */
static u32 counters(const unsigned char *s, int n)
{
	int state = 0, w = 0, d = 0, q = 0, e = 0, other = 0;
	for (int i = 0; i < n; i++) {
		unsigned char ch = s[i];
		switch (state) {
		case 0:
			if (ch >= 'a' && ch <= 'z') { state = 1; w++; }
			else if (ch >= '0' && ch <= '9') { state = 2; d++; }
			else if (ch == '"') { state = 3; q++; }
			else other++;
			break;
		case 1:
			if (!(ch >= 'a' && ch <= 'z'))
				state = ch == '"' ? 3 : 0;
			break;
		case 2:
			if (!(ch >= '0' && ch <= '9'))
				state = 0;
			break;
		case 3:
			if (ch == '\\') state = 4;
			else if (ch == '"') state = 0;
			break;
		default:
			e++;
			state = 3;
			break;
		}
	}
	return (u32)(w * 1000000 + d * 10000 + q * 100 + e * 7 + other + state);
}

/* i64 accumulators with feedback, values of the last iteration after
 * the loop */
static u64 acc64(int n, u64 *last)
{
	u64 s = 0, t = 1;
	u64 l = 0;
	for (int i = 1; i <= n; i++) {
		l = s;
		s += (u64)i * (u64)i + (s >> 29);
		t = t * 0x9e3779b97f4a7c15ull + s;
	}
	*last = l;
	return s ^ t;
}

/* a phi whose incoming value is another phi of the same block */
static u32 phi_of_phi(int n)
{
	u32 a = 5, b = 9;
	for (int i = 0; i < n; i++) {
		u32 na = b + 1;
		b = a;
		a = na;
		if (a > 100)
			a -= 50;
	}
	return a * 131 + b;
}

int test_main(void)
{
	/* counters() reads n * 25 bytes, n up to 13 */
	static unsigned char text[13 * 25];
	u32 x = 99;
	for (int i = 0; i < (int)sizeof text; i++) {
		x = x * 69069u + 1;
		u32 r = (x >> 24) % 10;
		text[i] = (unsigned char)(r < 4 ? 'a' + r : r < 7 ? '0' + r : r == 7 ? ' ' :
					  r == 8 ? '"' : '\\');
	}
	u32 h = 2166136261u;
	for (int k = 0; k < 8; k++) {
		int n = trips[k];
		u64 last;
		h = mix(h, swap_loop(n));
		u64 s = swap_loop64(n);
		h = mix(h, (u32)s);
		h = mix(h, (u32)(s >> 32));
		h = mix(h, lost_copy(n));
		h = mix(h, rotate3(n));
		s = rotate4_64(n);
		h = mix(h, (u32)s ^ (u32)(s >> 32));
		h = mix(h, counters(text, n * 25));
		s = acc64(n * 100, &last);
		h = mix(h, (u32)s ^ (u32)(s >> 32));
		h = mix(h, (u32)last ^ (u32)(last >> 32));
		h = mix(h, phi_of_phi(n * 11));
	}
	return (int)h;
}
