/* Corpus: structs — nested, by value and by pointer, returned by value,
 * arrays of structs, bit-fields, unions, packed layout. */
typedef unsigned int u32;
typedef unsigned short u16;
typedef unsigned char u8;

static u32 mix(u32 h, u32 v) { return (h ^ v) * 16777619u; }

struct point { int x, y; };
struct rect { struct point lo, hi; u8 tag; };
struct flags { u32 a : 3, b : 5, c : 12, d : 1; };
struct mixed { char c; long long ll; short s; int i; };
union word { u32 w; u16 h[2]; u8 b[4]; };
struct __attribute__((packed)) packed { u8 a; u32 b; u16 c; };

static struct point add(struct point a, struct point b)
{
	struct point r = { a.x + b.x, a.y + b.y };
	return r;
}

static int area(const struct rect *r)
{
	return (r->hi.x - r->lo.x) * (r->hi.y - r->lo.y);
}

static struct rect grow(struct rect r, int d)
{
	r.lo.x -= d;
	r.lo.y -= d;
	r.hi.x += d;
	r.hi.y += d;
	r.tag++;
	return r;
}

static void bump(struct mixed *m)
{
	m->c += 1;
	m->ll = m->ll * 3 + m->s;
	m->s = (short)(m->s - 5);
	m->i ^= 0x5a5a;
}

int test_main(void)
{
	u32 h = 2166136261u;
	struct point p = { 1, 2 };
	for (int i = 0; i < 10; i++)
		p = add(p, (struct point){ i, -i * 2 });
	h = mix(h, (u32)p.x);
	h = mix(h, (u32)p.y);

	struct rect r = { { 0, 0 }, { 3, 4 }, 7 };
	for (int i = 0; i < 5; i++) {
		r = grow(r, i);
		h = mix(h, (u32)area(&r));
	}
	h = mix(h, r.tag);

	struct flags f = { 0 };
	for (u32 i = 0; i < 40; i++) {
		f.a += 1;
		f.b += i;
		f.c ^= i * 77;
		f.d = !f.d;
		h = mix(h, f.a | (u32)f.b << 3 | (u32)f.c << 8 | (u32)f.d << 20);
	}

	struct mixed ms[4];
	for (int i = 0; i < 4; i++) {
		ms[i].c = (char)('a' + i);
		ms[i].ll = 1000000007LL * (i + 1);
		ms[i].s = (short)(i * 100);
		ms[i].i = i;
	}
	for (int k = 0; k < 3; k++)
		for (int i = 0; i < 4; i++)
			bump(&ms[i]);
	for (int i = 0; i < 4; i++) {
		h = mix(h, (u32)ms[i].c);
		h = mix(h, (u32)ms[i].ll);
		h = mix(h, (u32)(ms[i].ll >> 32));
		h = mix(h, (u32)ms[i].s);
		h = mix(h, (u32)ms[i].i);
	}

	union word w;
	w.w = 0x11223344u;
	w.h[0] ^= 0xffff;
	w.b[3] = 0x99;
	h = mix(h, w.w);

	struct packed pk = { 1, 0xdeadbeef, 0x1234 };
	pk.b += pk.a;
	h = mix(h, pk.b ^ pk.c);
	h = mix(h, (u32)sizeof(struct packed) * 100 + (u32)sizeof(struct mixed));
	return (int)h;
}
/* EXPECT test_main = -799332979 (i386; gcc and clang-19 at -O0..-O3 agree) */
