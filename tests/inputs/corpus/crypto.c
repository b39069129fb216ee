/* Corpus: hashing and ciphers — SHA-256 (rotates, 32-bit mixing, message
 * schedule), XTEA encrypt/decrypt round trip, Adler-32, base64 encoding,
 * all over data generated in place.  test_main returns a checksum. */
typedef unsigned int u32;
typedef unsigned char u8;
typedef unsigned long long u64;

static u32 mix(u32 h, u32 v) { return (h ^ v) * 16777619u; }

/* ---- SHA-256 ---- */
static const u32 K[64] = {
	0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
	0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
	0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
	0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
	0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
	0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
	0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
	0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

struct sha256 { u32 h[8]; u8 buf[64]; u32 len; u64 total; };

static u32 ror(u32 x, int n) { return (x >> n) | (x << (32 - n)); }

static void sha_block(struct sha256 *s, const u8 *p)
{
	u32 w[64];
	for (int i = 0; i < 16; i++)
		w[i] = (u32)p[4 * i] << 24 | (u32)p[4 * i + 1] << 16 | (u32)p[4 * i + 2] << 8 | p[4 * i + 3];
	for (int i = 16; i < 64; i++) {
		u32 s0 = ror(w[i - 15], 7) ^ ror(w[i - 15], 18) ^ (w[i - 15] >> 3);
		u32 s1 = ror(w[i - 2], 17) ^ ror(w[i - 2], 19) ^ (w[i - 2] >> 10);
		w[i] = w[i - 16] + s0 + w[i - 7] + s1;
	}
	u32 a = s->h[0], b = s->h[1], c = s->h[2], d = s->h[3];
	u32 e = s->h[4], f = s->h[5], g = s->h[6], h = s->h[7];
	for (int i = 0; i < 64; i++) {
		u32 t1 = h + (ror(e, 6) ^ ror(e, 11) ^ ror(e, 25)) + ((e & f) ^ (~e & g)) + K[i] + w[i];
		u32 t2 = (ror(a, 2) ^ ror(a, 13) ^ ror(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
		h = g; g = f; f = e; e = d + t1;
		d = c; c = b; b = a; a = t1 + t2;
	}
	s->h[0] += a; s->h[1] += b; s->h[2] += c; s->h[3] += d;
	s->h[4] += e; s->h[5] += f; s->h[6] += g; s->h[7] += h;
}

static void sha_init(struct sha256 *s)
{
	static const u32 iv[8] = { 0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
				   0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19 };
	for (int i = 0; i < 8; i++)
		s->h[i] = iv[i];
	s->len = 0;
	s->total = 0;
}

static void sha_update(struct sha256 *s, const u8 *p, u32 n)
{
	s->total += n;
	while (n--) {
		s->buf[s->len++] = *p++;
		if (s->len == 64) {
			sha_block(s, s->buf);
			s->len = 0;
		}
	}
}

static void sha_final(struct sha256 *s, u8 out[32])
{
	u64 bits = s->total * 8;
	u8 pad = 0x80;
	sha_update(s, &pad, 1);
	pad = 0;
	while (s->len != 56)
		sha_update(s, &pad, 1);
	for (int i = 7; i >= 0; i--) {
		u8 b = (u8)(bits >> (8 * i));
		sha_update(s, &b, 1);
	}
	for (int i = 0; i < 8; i++) {
		out[4 * i] = (u8)(s->h[i] >> 24);
		out[4 * i + 1] = (u8)(s->h[i] >> 16);
		out[4 * i + 2] = (u8)(s->h[i] >> 8);
		out[4 * i + 3] = (u8)s->h[i];
	}
}

/* ---- XTEA ---- */
static void xtea_enc(u32 v[2], const u32 k[4])
{
	u32 v0 = v[0], v1 = v[1], sum = 0;
	for (int i = 0; i < 32; i++) {
		v0 += (((v1 << 4) ^ (v1 >> 5)) + v1) ^ (sum + k[sum & 3]);
		sum += 0x9E3779B9u;
		v1 += (((v0 << 4) ^ (v0 >> 5)) + v0) ^ (sum + k[(sum >> 11) & 3]);
	}
	v[0] = v0;
	v[1] = v1;
}

static void xtea_dec(u32 v[2], const u32 k[4])
{
	u32 v0 = v[0], v1 = v[1], sum = 0x9E3779B9u * 32;
	for (int i = 0; i < 32; i++) {
		v1 -= (((v0 << 4) ^ (v0 >> 5)) + v0) ^ (sum + k[(sum >> 11) & 3]);
		sum -= 0x9E3779B9u;
		v0 -= (((v1 << 4) ^ (v1 >> 5)) + v1) ^ (sum + k[sum & 3]);
	}
	v[0] = v0;
	v[1] = v1;
}

/* ---- Adler-32, base64 ---- */
static u32 adler32(const u8 *p, u32 n)
{
	u32 a = 1, b = 0;
	for (u32 i = 0; i < n; i++) {
		a = (a + p[i]) % 65521;
		b = (b + a) % 65521;
	}
	return b << 16 | a;
}

static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static u32 base64(const u8 *in, u32 n, char *out)
{
	u32 o = 0, i = 0;
	for (; i + 2 < n; i += 3) {
		u32 v = (u32)in[i] << 16 | (u32)in[i + 1] << 8 | in[i + 2];
		out[o++] = b64[v >> 18];
		out[o++] = b64[(v >> 12) & 63];
		out[o++] = b64[(v >> 6) & 63];
		out[o++] = b64[v & 63];
	}
	if (i < n) {
		u32 v = (u32)in[i] << 16 | (i + 1 < n ? (u32)in[i + 1] << 8 : 0);
		out[o++] = b64[v >> 18];
		out[o++] = b64[(v >> 12) & 63];
		out[o++] = i + 1 < n ? b64[(v >> 6) & 63] : '=';
		out[o++] = '=';
	}
	out[o] = 0;
	return o;
}

int test_main(void)
{
	u32 h = 2166136261u;
	u8 digest[32];
	struct sha256 s;
	sha_init(&s);
	sha_update(&s, (const u8 *)"abc", 3);
	sha_final(&s, digest);
	/* SHA-256("abc") starts ba7816bf */
	if (digest[0] != 0xba || digest[1] != 0x78 || digest[2] != 0x16 || digest[3] != 0xbf)
		return -1;
	u8 data[300];
	for (int i = 0; i < 300; i++)
		data[i] = (u8)(i * 131 + (i >> 3));
	sha_init(&s);
	sha_update(&s, data, 300);
	sha_final(&s, digest);
	for (int i = 0; i < 32; i++)
		h = mix(h, digest[i]);

	static const u32 key[4] = { 0x01234567, 0x89abcdef, 0xfedcba98, 0x76543210 };
	for (u32 i = 0; i < 16; i++) {
		u32 v[2] = { i * 0x1000193u, ~i }, w[2];
		w[0] = v[0];
		w[1] = v[1];
		xtea_enc(w, key);
		h = mix(h, w[0] ^ w[1]);
		xtea_dec(w, key);
		if (w[0] != v[0] || w[1] != v[1])
			return -2;
	}
	h = mix(h, adler32(data, 300));
	h = mix(h, adler32((const u8 *)"Wikipedia", 9));     /* 0x11E60398 */
	char text[512];
	u32 n = base64(data, 100, text);
	for (u32 i = 0; i < n; i++)
		h = mix(h, (u32)text[i]);
	h = mix(h, base64((const u8 *)"ab", 2, text));
	h = mix(h, (u32)text[2] << 8 | (u32)text[3]);
	return (int)h;
}
/* EXPECT test_main = 436127393 (i386; gcc and clang-19 at -O0..-O3 agree) */
