/* Corpus: memory operations — memcpy/memset/memcmp declared by hand,
 * struct assignment and zero-initialisation (which clang turns into
 * llvm.memcpy / llvm.memset), overlapping moves done by hand, a ring
 * buffer. */
typedef unsigned int u32;
typedef unsigned char u8;
typedef __SIZE_TYPE__ size_t;
void *memcpy(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);

static u32 mix(u32 h, u32 v) { return (h ^ v) * 16777619u; }

struct big { int a[20]; char name[16]; long long tail; };

static struct big make(int seed)
{
	struct big b = { { 0 }, "big", 0 };
	for (int i = 0; i < 20; i++)
		b.a[i] = seed * i;
	b.tail = seed * 1000000000LL;
	return b;
}

static u32 hash_bytes(const void *p, size_t n)
{
	const u8 *b = p;
	u32 h = 0;
	for (size_t i = 0; i < n; i++)
		h = mix(h, b[i]);
	return h;
}

struct ring { u8 buf[16]; u32 head, tail; };

static void ring_put(struct ring *r, u8 v)
{
	r->buf[r->head++ & 15] = v;
	if (r->head - r->tail > 16)
		r->tail = r->head - 16;
}

static int ring_get(struct ring *r)
{
	if (r->tail == r->head)
		return -1;
	return r->buf[r->tail++ & 15];
}

int test_main(void)
{
	u32 h = 2166136261u;
	u8 a[100], b[100];
	memset(a, 0xab, sizeof a);
	for (int i = 0; i < 100; i++)
		b[i] = (u8)(i * 7);
	memcpy(a + 10, b + 20, 50);
	h = mix(h, hash_bytes(a, sizeof a));
	h = mix(h, (u32)(memcmp(a, b, 100) < 0));
	h = mix(h, (u32)(memcmp(a + 10, b + 20, 50) == 0));

	struct big x = make(3), y = make(5);
	struct big z = x;
	z.a[3] = y.a[4];
	y = z;
	h = mix(h, hash_bytes(&y, sizeof y));
	h = mix(h, hash_bytes(&x.tail, sizeof x.tail));

	int zero[64] = { 0 };
	zero[10] = 1;
	h = mix(h, hash_bytes(zero, sizeof zero));

	for (int i = 99; i >= 5; i--)
		a[i] = a[i - 5];
	h = mix(h, hash_bytes(a, sizeof a));

	struct ring r;
	memset(&r, 0, sizeof r);
	for (int i = 0; i < 40; i++) {
		ring_put(&r, (u8)(i * 3));
		if (i % 3 == 0)
			h = mix(h, (u32)ring_get(&r));
	}
	int v;
	while ((v = ring_get(&r)) >= 0)
		h = mix(h, (u32)v);
	return (int)h;
}
/* EXPECT test_main = 1525689201 (i386; gcc and clang-19 at -O0..-O3 agree) */
