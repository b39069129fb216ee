/* Corpus: function pointers — dispatch tables, callbacks, a generic sort
 * with a comparator, pointers stored in structs and returned from
 * functions. */
typedef unsigned int u32;

static u32 mix(u32 h, u32 v) { return (h ^ v) * 16777619u; }

typedef int (*binop)(int, int);
static int op_add(int a, int b) { return a + b; }
static int op_sub(int a, int b) { return a - b; }
static int op_mul(int a, int b) { return a * b; }
static int op_max(int a, int b) { return a > b ? a : b; }
static const binop ops[4] = { op_add, op_sub, op_mul, op_max };

static int fold(const int *a, int n, binop f, int init)
{
	for (int i = 0; i < n; i++)
		init = f(init, a[i]);
	return init;
}

typedef int (*cmp_fn)(const void *, const void *);
static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;
	return (x > y) - (x < y);
}
static int cmp_int_desc(const void *a, const void *b) { return cmp_int(b, a); }

static void sort(int *a, int n, cmp_fn cmp)
{
	for (int i = 0; i < n; i++)
		for (int j = n - 1; j > i; j--)
			if (cmp(&a[j - 1], &a[j]) > 0) {
				int t = a[j]; a[j] = a[j - 1]; a[j - 1] = t;
			}
}

struct shape {
	int w, h;
	int (*area)(const struct shape *);
};
static int rect_area(const struct shape *s) { return s->w * s->h; }
static int tri_area(const struct shape *s) { return s->w * s->h / 2; }

static binop choose(int k) { return ops[k & 3]; }

static void for_each(int n, void (*cb)(int, void *), void *ctx)
{
	for (int i = 0; i < n; i++)
		cb(i, ctx);
}
static void accumulate(int i, void *ctx) { *(u32 *)ctx = mix(*(u32 *)ctx, (u32)(i * i)); }

int test_main(void)
{
	u32 h = 2166136261u;
	int a[10] = { 5, -3, 9, 1, 0, 7, -8, 2, 6, 4 };
	for (int k = 0; k < 4; k++)
		h = mix(h, (u32)fold(a, 10, ops[k], k));
	sort(a, 10, cmp_int);
	for (int i = 0; i < 10; i++)
		h = mix(h, (u32)a[i]);
	sort(a, 10, cmp_int_desc);
	h = mix(h, (u32)a[0] * 100 + (u32)a[9]);
	struct shape shapes[3] = { { 3, 4, rect_area }, { 6, 5, tri_area }, { 7, 7, rect_area } };
	for (int i = 0; i < 3; i++)
		h = mix(h, (u32)shapes[i].area(&shapes[i]));
	for (int k = 0; k < 8; k++)
		h = mix(h, (u32)choose(k)(k, 3));
	for_each(12, accumulate, &h);
	return (int)h;
}
/* EXPECT test_main = -2120088414 (i386; gcc and clang-19 at -O0..-O3 agree) */
