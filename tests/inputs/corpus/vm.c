/* Corpus: a larger program (the benchmark's module) — a stack-machine
 * interpreter running a small bytecode program, CRC-32 with a table built
 * at run time, an open-addressing hash table, a run-length codec round
 * trip and a xorshift generator.  Deterministic; no C library. */
typedef unsigned int u32;
typedef unsigned char u8;
typedef unsigned long long u64;

static u32 mix(u32 h, u32 v) { return (h ^ v) * 16777619u; }

/* ---- xorshift ---- */
static u32 xs_state = 2463534242u;
static u32 xorshift(void)
{
	u32 x = xs_state;
	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	return xs_state = x;
}

/* ---- CRC-32 ---- */
static u32 crc_table[256];
static void crc_init(void)
{
	for (u32 i = 0; i < 256; i++) {
		u32 c = i;
		for (int k = 0; k < 8; k++)
			c = c & 1 ? 0xedb88320u ^ (c >> 1) : c >> 1;
		crc_table[i] = c;
	}
}
static u32 crc32(const u8 *p, u32 n)
{
	u32 c = 0xffffffffu;
	while (n--)
		c = crc_table[(c ^ *p++) & 0xff] ^ (c >> 8);
	return c ^ 0xffffffffu;
}

/* ---- stack VM ---- */
enum { OP_PUSH, OP_ADD, OP_SUB, OP_MUL, OP_DIV, OP_MOD, OP_DUP, OP_SWAP, OP_DROP,
       OP_JMP, OP_JZ, OP_JNZ, OP_LOAD, OP_STORE, OP_LT, OP_EQ, OP_CALL, OP_RET,
       OP_HALT, OP_NEG, OP_AND, OP_OR, OP_XOR, OP_SHL, OP_SHR };

struct vm {
	int stack[64];
	int sp;
	int rstack[16];
	int rsp;
	int vars[8];
	u32 steps;
	int error;
};

static void push(struct vm *m, int v)
{
	if (m->sp >= 64) { m->error = 1; return; }
	m->stack[m->sp++] = v;
}
static int pop(struct vm *m)
{
	if (m->sp <= 0) { m->error = 2; return 0; }
	return m->stack[--m->sp];
}

static int run(struct vm *m, const int *code, int len, u32 max_steps)
{
	int pc = 0;
	while (!m->error && pc >= 0 && pc < len && m->steps < max_steps) {
		int op = code[pc++], a, b;
		m->steps++;
		switch (op) {
		case OP_PUSH: push(m, code[pc++]); break;
		case OP_ADD: b = pop(m); a = pop(m); push(m, a + b); break;
		case OP_SUB: b = pop(m); a = pop(m); push(m, a - b); break;
		case OP_MUL: b = pop(m); a = pop(m); push(m, a * b); break;
		case OP_DIV: b = pop(m); a = pop(m); if (!b) { m->error = 3; break; } push(m, a / b); break;
		case OP_MOD: b = pop(m); a = pop(m); if (!b) { m->error = 3; break; } push(m, a % b); break;
		case OP_DUP: a = pop(m); push(m, a); push(m, a); break;
		case OP_SWAP: b = pop(m); a = pop(m); push(m, b); push(m, a); break;
		case OP_DROP: pop(m); break;
		case OP_JMP: pc = code[pc]; break;
		case OP_JZ: a = pop(m); pc = a ? pc + 1 : code[pc]; break;
		case OP_JNZ: a = pop(m); pc = a ? code[pc] : pc + 1; break;
		case OP_LOAD: push(m, m->vars[code[pc++] & 7]); break;
		case OP_STORE: m->vars[code[pc++] & 7] = pop(m); break;
		case OP_LT: b = pop(m); a = pop(m); push(m, a < b); break;
		case OP_EQ: b = pop(m); a = pop(m); push(m, a == b); break;
		case OP_CALL:
			if (m->rsp >= 16) { m->error = 4; break; }
			m->rstack[m->rsp++] = pc + 1;
			pc = code[pc];
			break;
		case OP_RET:
			if (m->rsp <= 0) { m->error = 5; break; }
			pc = m->rstack[--m->rsp];
			break;
		case OP_HALT: return m->sp ? m->stack[m->sp - 1] : 0;
		case OP_NEG: push(m, -pop(m)); break;
		case OP_AND: b = pop(m); a = pop(m); push(m, a & b); break;
		case OP_OR: b = pop(m); a = pop(m); push(m, a | b); break;
		case OP_XOR: b = pop(m); a = pop(m); push(m, a ^ b); break;
		case OP_SHL: b = pop(m); a = pop(m); push(m, (int)((u32)a << (b & 31))); break;
		case OP_SHR: b = pop(m); a = pop(m); push(m, (int)((u32)a >> (b & 31))); break;
		default: m->error = 6;
		}
	}
	return -m->error;
}

/* sum of i*i for i < n, and gcd via a subroutine */
static const int program[] = {
	OP_PUSH, 0, OP_STORE, 0,            /* 0: i = 0 */
	OP_PUSH, 0, OP_STORE, 1,            /* 4: s = 0 */
	OP_LOAD, 0, OP_LOAD, 2, OP_LT,      /* 8: i < n ? */
	OP_JZ, 33,                          /* 13: leave the loop */
	OP_LOAD, 0, OP_DUP, OP_MUL,         /* 15: i*i */
	OP_LOAD, 1, OP_ADD, OP_STORE, 1,    /* 19: s += */
	OP_LOAD, 0, OP_PUSH, 1, OP_ADD,     /* 24 */
	OP_STORE, 0, OP_JMP, 8,             /* 29: i++, loop; 33 is the end */
};

static const int gcd_prog[] = {
	OP_PUSH, 1071, OP_PUSH, 462, OP_CALL, 7, OP_HALT,
	/* 7: gcd(a, b) with both on the stack */
	OP_DUP, OP_JZ, 19,                  /* 7: b == 0 ? */
	OP_DUP, OP_STORE, 3,                /* 10: t = b */
	OP_MOD,                             /* 13: a % b */
	OP_LOAD, 3, OP_SWAP,                /* 14: (t, a%b) */
	OP_JMP, 7,                          /* 17 */
	OP_DROP, OP_RET,                    /* 19: drop 0, return a */
};

/* ---- hash table ---- */
struct slot { u32 key; u32 val; };
static struct slot table[256];

static int ht_put(u32 key, u32 val)
{
	u32 i = (key * 2654435761u) >> 24;
	for (u32 n = 0; n < 256; n++, i = (i + 1) & 255) {
		if (table[i].key == 0 || table[i].key == key) {
			table[i].key = key;
			table[i].val = val;
			return (int)n;
		}
	}
	return -1;
}

static u32 ht_get(u32 key)
{
	u32 i = (key * 2654435761u) >> 24;
	for (u32 n = 0; n < 256; n++, i = (i + 1) & 255) {
		if (table[i].key == key)
			return table[i].val;
		if (table[i].key == 0)
			return 0;
	}
	return 0;
}

/* ---- run-length codec ---- */
static u32 rle_encode(const u8 *in, u32 n, u8 *out)
{
	u32 o = 0;
	for (u32 i = 0; i < n;) {
		u8 v = in[i];
		u32 run = 1;
		while (i + run < n && in[i + run] == v && run < 255)
			run++;
		out[o++] = (u8)run;
		out[o++] = v;
		i += run;
	}
	return o;
}

static u32 rle_decode(const u8 *in, u32 n, u8 *out)
{
	u32 o = 0;
	for (u32 i = 0; i + 1 < n; i += 2)
		for (u32 k = 0; k < in[i]; k++)
			out[o++] = in[i + 1];
	return o;
}

int test_main(void)
{
	u32 h = 2166136261u;
	struct vm m = { { 0 }, 0, { 0 }, 0, { 0 }, 0, 0 };
	m.vars[2] = 50;
	int r = run(&m, program, (int)(sizeof program / sizeof program[0]), 100000);
	h = mix(h, (u32)r);
	h = mix(h, (u32)m.vars[1]);
	h = mix(h, m.steps);
	struct vm g = { { 0 }, 0, { 0 }, 0, { 0 }, 0, 0 };
	h = mix(h, (u32)run(&g, gcd_prog, (int)(sizeof gcd_prog / sizeof gcd_prog[0]), 10000));
	h = mix(h, g.steps);

	crc_init();
	u8 data[512];
	for (int i = 0; i < 512; i++)
		data[i] = (u8)(xorshift() >> 24);
	h = mix(h, crc32(data, 512));
	h = mix(h, crc32((const u8 *)"123456789", 9));

	int probes = 0;
	for (u32 k = 1; k <= 200; k++)
		probes += ht_put(k * 7919u, k * k);
	h = mix(h, (u32)probes);
	for (u32 k = 1; k <= 210; k += 3)
		h = mix(h, ht_get(k * 7919u));

	u8 src[300], enc[600], dec[300];
	for (int i = 0; i < 300; i++)
		src[i] = (u8)((i / 17) % 5);
	u32 en = rle_encode(src, 300, enc);
	u32 dn = rle_decode(enc, en, dec);
	h = mix(h, en);
	h = mix(h, dn);
	for (u32 i = 0; i < dn; i++)
		if (dec[i] != src[i])
			return -1;
	u64 acc = 0;
	for (int i = 0; i < 100; i++)
		acc = acc * 6364136223846793005ull + xorshift();
	h = mix(h, (u32)(acc >> 17));
	return (int)h;
}
/* EXPECT test_main = -305274148 (i386; gcc and clang-19 at -O0..-O3 agree) */
