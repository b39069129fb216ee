/* Stack allocations of every size the JIT probes (servers/jit/cg/frame.c
 * stack probes) or does not: variable-length arrays from a few bytes to
 * several pages, in loops (each iteration's array freed by stack
 * restore), in recursion, two-dimensional, with over-aligned elements;
 * a local array of several pages (the frame); a struct of several pages
 * passed by value (its copy below the arguments).  Corpus style:
 * test_main returns a checksum, compared with i686 gcc's
 * (tests/jit/diff/limits.sh). */
typedef unsigned int u32;

static volatile int sizes[] = { 1, 3, 17, 100, 1023, 1024, 1025, 2048, 5000, 12289, 7, 0 };

static u32 mix(u32 h, u32 v) { return (h ^ v) * 16777619u; }

static u32 fill_sum(int n, u32 seed)
{
	u32 a[n];
	for (int i = 0; i < n; i++)
		a[i] = seed + (u32)i * 2654435761u;
	u32 h = 0;
	for (int i = n - 1; i >= 0; i -= 3)
		h = mix(h, a[i]);
	return h + (u32)n;
}

static u32 bytes(int n)
{
	unsigned char b[n + 1];
	for (int i = 0; i <= n; i++)
		b[i] = (unsigned char)(i * 7 + n);
	u32 h = 5;
	for (int i = 0; i <= n; i += 5)
		h = mix(h, b[i]);
	return h;
}

static u32 grid(int r, int c)
{
	int g[r][c];
	for (int i = 0; i < r; i++)
		for (int j = 0; j < c; j++)
			g[i][j] = i * c + j;
	u32 h = 7;
	for (int i = 0; i < r; i++)
		h = mix(h, (u32)g[i][(i * 3) % c]);
	return h;
}

struct wide { long long v; char pad[8]; } __attribute__((aligned(16)));

static u32 aligned(int n)
{
	struct wide w[n];
	for (int i = 0; i < n; i++)
		w[i].v = (long long)i * 1000003;
	u32 h = 11;
	for (int i = 0; i < n; i++)
		h = mix(h, (u32)w[i].v ^ (u32)(w[i].v >> 32));
	return h;
}

static u32 nested(int depth, int n)
{
	if (depth == 0)
		return (u32)n;
	char s[n + depth];
	for (int i = 0; i < n + depth; i++)
		s[i] = (char)(depth + i);
	u32 below = nested(depth - 1, n + 37);
	return mix(below, (u32)s[n / 2] + (u32)s[n + depth - 1]);
}

static u32 frame(int k)
{
	volatile u32 big[3000];     /* 12000 bytes: the frame is probed */
	for (int i = 0; i < 3000; i++)
		big[i] = (u32)(i ^ k);
	u32 h = 13;
	for (int i = 0; i < 3000; i += 7)
		h = mix(h, big[i]);
	return h;
}

struct block { u32 w[1500]; };   /* 6000 bytes: a byval copy, probed */

static u32 __attribute__((noinline)) by_value(struct block b, int k)
{
	u32 h = 17;
	for (int i = k; i < 1500; i += 11)
		h = mix(h, b.w[i]);
	return h;
}

static u32 pass_block(int k)
{
	struct block b;
	for (int i = 0; i < 1500; i++)
		b.w[i] = (u32)i * 31u + (u32)k;
	return by_value(b, k % 5);
}

int test_main(void)
{
	u32 h = 0;
	for (int i = 0; sizes[i]; i++) {
		h = mix(h, fill_sum(sizes[i], (u32)i));
		h = mix(h, bytes(sizes[i]));
	}
	for (int i = 0; i < 40; i++)
		h = mix(h, fill_sum(i * 97 + 1, 3));
	h = mix(h, grid(9, 7));
	h = mix(h, grid(70, 33));
	h = mix(h, aligned(5));
	h = mix(h, aligned(300));
	h = mix(h, nested(12, 300));
	h = mix(h, frame(sizes[3]));
	h = mix(h, pass_block(sizes[2]));
	return (int)h;
}
