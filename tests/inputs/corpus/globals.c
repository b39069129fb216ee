/* Corpus: globals — initialised and zero globals, constant lookup
 * tables, tables of pointers into other globals, static locals, a
 * struct table with strings, globals updated across calls. */
typedef unsigned int u32;
typedef unsigned char u8;

static u32 mix(u32 h, u32 v) { return (h ^ v) * 16777619u; }

static const u8 sbox[16] = { 0xc, 0x5, 0x6, 0xb, 0x9, 0x0, 0xa, 0xd,
			     0x3, 0xe, 0xf, 0x8, 0x4, 0x7, 0x1, 0x2 };
static const u32 powers[] = { 1, 10, 100, 1000, 10000, 100000, 1000000 };
static const short deltas[3][4] = { { 1, -1, 2, -2 }, { 3, -3, 4, -4 }, { 5, -5, 6, -6 } };

int counter = 42;
u32 zeroed[32];
static int *const counter_ptr = &counter;
static const int *table_ptrs[3] = { &counter, (const int *)&zeroed[4], (const int *)&powers[2] };

struct entry { const char *name; int value; const struct entry *next; };
static const struct entry e3 = { "three", 3, 0 };
static const struct entry e2 = { "two", 2, &e3 };
static const struct entry e1 = { "one", 1, &e2 };
const struct entry *const list_head = &e1;

static u32 next_id(void)
{
	static u32 id = 100;
	return id++;
}

static u32 substitute(u32 x)
{
	u32 r = 0;
	for (int i = 0; i < 8; i++)
		r |= (u32)sbox[(x >> (4 * i)) & 15] << (4 * i);
	return r;
}

static u32 name_hash(const char *s)
{
	u32 h = 5381;
	while (*s)
		h = h * 33 + (u8)*s++;
	return h;
}

int test_main(void)
{
	u32 h = 2166136261u;
	for (u32 x = 1; x < 1000000; x = x * 7 + 1)
		h = mix(h, substitute(x));
	for (int i = 0; i < 7; i++)
		h = mix(h, powers[i] / 3);
	for (int i = 0; i < 3; i++)
		for (int j = 0; j < 4; j++)
			h = mix(h, (u32)(deltas[i][j] * (i + 1)));
	for (int i = 0; i < 32; i++)
		zeroed[i] += (u32)i * (u32)counter;
	*counter_ptr += 5;
	for (int i = 0; i < 3; i++)
		h = mix(h, (u32)*table_ptrs[i]);
	for (const struct entry *e = list_head; e; e = e->next)
		h = mix(h, name_hash(e->name) + (u32)e->value);
	for (int i = 0; i < 5; i++)
		h = mix(h, next_id());
	h = mix(h, zeroed[31]);
	return (int)h;
}
/* EXPECT test_main = 874944791 (i386; gcc and clang-19 at -O0..-O3 agree) */
