/* Corpus: local (stack) arrays of two and three dimensions and arrays of
 * structs indexed by several variables at once — getelementptrs on a
 * frame object with more than one variable index, whose address the code
 * generator computes from the frame register (ESP or EBP).  Indices come
 * from a volatile so the accesses stay variable.  test_main returns a
 * checksum; deterministic, no C library. */
typedef unsigned int u32;

static volatile int idx[] = { 3, 1, 4, 1, 5, 2, 0, 2, 4, 3 };

static u32 mix(u32 h, u32 v) { return (h ^ v) * 16777619u; }

struct cell { int key; short tag[3]; };

static u32 grid(int n)
{
	int a[5][3];
	u32 h = 0;
	for (int i = 0; i < 5; i++)
		for (int j = 0; j < 3; j++)
			a[i][j] = i * 10 + j;
	for (int k = 0; k < n; k++) {
		int i = idx[k % 10] % 5, j = idx[(k + 3) % 10] % 3;
		a[i][j] += k;
		h = mix(h, (u32)a[i][j]);
	}
	return h;
}

static u32 cube(int n)
{
	unsigned char c[4][3][5];
	for (int i = 0; i < 4; i++)
		for (int j = 0; j < 3; j++)
			for (int k = 0; k < 5; k++)
				c[i][j][k] = (unsigned char)(i * 31 + j * 7 + k);
	u32 h = 1;
	for (int k = 0; k < n; k++) {
		int x = idx[k % 10] % 4, y = idx[(k + 1) % 10] % 3, z = idx[(k + 2) % 10];
		c[x][y][z] ^= (unsigned char)k;
		h = mix(h, c[x][y][z] + (u32)c[y][x % 3][z % 5]);
	}
	return h;
}

static u32 cells(int n)
{
	struct cell t[6];
	for (int i = 0; i < 6; i++) {
		t[i].key = i * i;
		for (int j = 0; j < 3; j++)
			t[i].tag[j] = (short)(i - j * 100);
	}
	u32 h = 2;
	for (int k = 0; k < n; k++) {
		int i = idx[k % 10], j = idx[(k + 4) % 10] % 3;
		t[i].tag[j] = (short)(t[i].tag[j] * 3 + k);
		h = mix(h, (u32)t[i].tag[j] + (u32)t[i].key);
	}
	return h;
}

int test_main(void)
{
	u32 h = 2166136261u;
	h = mix(h, grid(37));
	h = mix(h, cube(41));
	h = mix(h, cells(29));
	return (int)h;
}
