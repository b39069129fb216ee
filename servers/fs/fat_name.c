/* File names: UTF-8 <-> UTF-16 (long names hold UTF-16: characters beyond
 * the BMP, emoji say, are surrogate pairs, as Windows and Linux write
 * them), validation, the 8.3 form and its lower-case flags, the LFN
 * checksum and the basis of generated 8.3 aliases. */
#include "servers/fs/fat_int.h"

static bool sfn_char_ok(uint16_t c)
{
	if (c >= 'A' && c <= 'Z')
		return true;
	if (c >= '0' && c <= '9')
		return true;
	return c < 0x80 && c > 0x20 && strchr("!#$%&'()-@^_`{}~", (int)c) != NULL;
}

static bool lfn_char_ok(uint16_t c)
{
	return c >= 0x20 && c != 0x7F && !(c < 0x80 && strchr("\"*/:<>?\\|", (int)c));
}

/* Case folding for comparisons: ASCII and Latin-1 (the letters of the
 * OEM code page short names use), like the upcase table of FAT
 * implementations restricted to the first 256 code points. */
static uint16_t up(uint16_t c)
{
	if ((c >= 'a' && c <= 'z') || (c >= 0xE0 && c <= 0xFE && c != 0xF7))
		return (uint16_t)(c - 32);
	return c;
}
static bool is_lower(uint16_t c) { return c >= 'a' && c <= 'z'; }
static bool is_upper(uint16_t c) { return c >= 'A' && c <= 'Z'; }

/* Decode one UTF-8 character into one UTF-16 unit, or two (a surrogate
 * pair) beyond the BMP.  Returns bytes used, 0 on malformed input
 * (overlong forms, surrogates, beyond U+10FFFF). */
static size_t utf8_dec(const unsigned char *s, size_t n, uint16_t out[2], unsigned *units)
{
	*units = 1;
	if (s[0] < 0x80) {
		*out = s[0];
		return 1;
	}
	if ((s[0] & 0xF8) == 0xF0 && n >= 4 && (s[1] & 0xC0) == 0x80 && (s[2] & 0xC0) == 0x80 &&
	    (s[3] & 0xC0) == 0x80) {
		uint32_t c = (uint32_t)(s[0] & 0x07) << 18 | (uint32_t)(s[1] & 0x3F) << 12 |
			     (uint32_t)(s[2] & 0x3F) << 6 | (s[3] & 0x3F);
		if (c < 0x10000 || c > 0x10FFFF)
			return 0;
		c -= 0x10000;
		out[0] = (uint16_t)(0xD800 | c >> 10);
		out[1] = (uint16_t)(0xDC00 | (c & 0x3FF));
		*units = 2;
		return 4;
	}
	if ((s[0] & 0xE0) == 0xC0 && n >= 2 && (s[1] & 0xC0) == 0x80) {
		uint16_t c = (uint16_t)((s[0] & 0x1F) << 6 | (s[1] & 0x3F));
		if (c < 0x80)
			return 0;
		*out = c;
		return 2;
	}
	if ((s[0] & 0xF0) == 0xE0 && n >= 3 && (s[1] & 0xC0) == 0x80 && (s[2] & 0xC0) == 0x80) {
		uint16_t c = (uint16_t)((s[0] & 0x0F) << 12 | (s[1] & 0x3F) << 6 | (s[2] & 0x3F));
		if (c < 0x800 || (c >= 0xD800 && c <= 0xDFFF))
			return 0;
		*out = c;
		return 3;
	}
	return 0;
}

size_t fat_ucs2_to_utf8(const uint16_t *u, unsigned len, char *out, size_t cap)
{
	size_t o = 0;
	for (unsigned i = 0; i < len; i++) {
		uint32_t c = u[i];
		if (c >= 0xD800 && c <= 0xDBFF && i + 1 < len && u[i + 1] >= 0xDC00 && u[i + 1] <= 0xDFFF)
			c = 0x10000 + ((c - 0xD800) << 10 | (uint32_t)(u[++i] - 0xDC00));
		else if (c >= 0xD800 && c <= 0xDFFF)
			c = 0xFFFD;	/* a lone surrogate: the replacement character */
		if (c < 0x80 && o + 1 < cap)
			out[o++] = (char)c;
		else if (c >= 0x80 && c < 0x800 && o + 2 < cap) {
			out[o++] = (char)(0xC0 | c >> 6);
			out[o++] = (char)(0x80 | (c & 0x3F));
		} else if (c >= 0x800 && c < 0x10000 && o + 3 < cap) {
			out[o++] = (char)(0xE0 | c >> 12);
			out[o++] = (char)(0x80 | ((c >> 6) & 0x3F));
			out[o++] = (char)(0x80 | (c & 0x3F));
		} else if (c >= 0x10000 && o + 4 < cap) {
			out[o++] = (char)(0xF0 | c >> 18);
			out[o++] = (char)(0x80 | ((c >> 12) & 0x3F));
			out[o++] = (char)(0x80 | ((c >> 6) & 0x3F));
			out[o++] = (char)(0x80 | (c & 0x3F));
		} else
			break;
	}
	if (cap)
		out[o] = 0;
	return o;
}

bool fat_ucs2_eq_ci(const uint16_t *a, unsigned alen, const uint16_t *b, unsigned blen)
{
	if (alen != blen)
		return false;
	for (unsigned i = 0; i < alen; i++)
		if (up(a[i]) != up(b[i]))
			return false;
	return true;
}

/* Does name fit a short entry alone?  Each part must be uniformly cased
 * (all-lower parts are recorded with the NT lower-case flags). */
static void fit83(struct fat_name *n)
{
	unsigned dot = n->len, i, blen, elen;
	bool bl = false, bu = false, el = false, eu = false;
	n->fits83 = n->match83 = false;
	for (i = 0; i < n->len; i++)
		if (n->lfn[i] == '.') {
			if (dot != n->len)
				return;	/* two dots */
			dot = i;
		}
	blen = dot;
	elen = dot < n->len ? n->len - dot - 1 : 0;
	if (blen == 0 || blen > 8 || elen > 3 || (dot < n->len && elen == 0))
		return;
	memset(n->sfn, ' ', 11);
	for (i = 0; i < n->len; i++) {
		uint16_t c = n->lfn[i];
		bool ext = i > dot;
		if (i == dot)
			continue;
		if (!sfn_char_ok(up(c)))
			return;
		if (is_lower(c))
			*(ext ? &el : &bl) = true;
		if (is_upper(c))
			*(ext ? &eu : &bu) = true;
		n->sfn[ext ? 8 + (i - dot - 1) : i] = (uint8_t)up(c);
	}
	if (n->sfn[0] == DE_FREE)
		n->sfn[0] = 0x05;
	n->match83 = true;
	if ((bl && bu) || (el && eu))
		return;
	n->ntres = (uint8_t)((bl ? NTRES_LOWER_BASE : 0) | (el ? NTRES_LOWER_EXT : 0));
	n->fits83 = true;
}

int fat_name_parse(const char *s, size_t len, struct fat_name *out)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;
	unsigned n = 0;
	memset(out, 0, sizeof *out);
	while (i < len) {
		uint16_t c[2];
		unsigned units;
		size_t used = utf8_dec(p + i, len - i, c, &units);
		if (used == 0 || !lfn_char_ok(c[0]) || n + units > FAT_NAME_MAX)
			return FAT_EBADNAME;
		for (unsigned k = 0; k < units; k++)
			out->lfn[n++] = c[k];
		i += used;
	}
	if (n == 0 || out->lfn[n - 1] == '.' || out->lfn[n - 1] == ' ')
		return FAT_EBADNAME;	/* also rejects "." and ".." */
	out->len = n;
	fit83(out);
	return FAT_OK;
}

uint8_t fat_lfn_sum(const uint8_t sfn[11])
{
	uint8_t sum = 0;
	for (int i = 0; i < 11; i++)
		sum = (uint8_t)(((sum & 1) << 7) + (sum >> 1) + sfn[i]);
	return sum;
}

void fat_sfn_display(const uint8_t *ent, char out[13])
{
	int o = 0;
	uint8_t nt = ent[DE_NTRES];
	for (int i = 0; i < 8 && ent[i] != ' '; i++) {
		uint8_t c = (i == 0 && ent[0] == 0x05) ? 0xE5 : ent[i];
		if (c >= 0x80)
			c = '?';
		else if ((nt & NTRES_LOWER_BASE) && is_upper(c))
			c = (uint8_t)(c + 32);
		out[o++] = (char)c;
	}
	if (ent[8] != ' ') {
		out[o++] = '.';
		for (int i = 8; i < 11 && ent[i] != ' '; i++) {
			uint8_t c = ent[i];
			if (c >= 0x80)
				c = '?';
			else if ((nt & NTRES_LOWER_EXT) && is_upper(c))
				c = (uint8_t)(c + 32);
			out[o++] = (char)c;
		}
	}
	out[o] = 0;
}

/* Bytes 0x80-0xFF of a short name are in the OEM code page; mtools and
 * DOS default to code page 850 (mtools writes "é.txt" as the short entry
 * "É       TXT" with the lower-case flags and no long name). */
static const uint16_t cp850[128] = {
	0x00C7, 0x00FC, 0x00E9, 0x00E2, 0x00E4, 0x00E0, 0x00E5, 0x00E7,
	0x00EA, 0x00EB, 0x00E8, 0x00EF, 0x00EE, 0x00EC, 0x00C4, 0x00C5,
	0x00C9, 0x00E6, 0x00C6, 0x00F4, 0x00F6, 0x00F2, 0x00FB, 0x00F9,
	0x00FF, 0x00D6, 0x00DC, 0x00F8, 0x00A3, 0x00D8, 0x00D7, 0x0192,
	0x00E1, 0x00ED, 0x00F3, 0x00FA, 0x00F1, 0x00D1, 0x00AA, 0x00BA,
	0x00BF, 0x00AE, 0x00AC, 0x00BD, 0x00BC, 0x00A1, 0x00AB, 0x00BB,
	0x2591, 0x2592, 0x2593, 0x2502, 0x2524, 0x00C1, 0x00C2, 0x00C0,
	0x00A9, 0x2563, 0x2551, 0x2557, 0x255D, 0x00A2, 0x00A5, 0x2510,
	0x2514, 0x2534, 0x252C, 0x251C, 0x2500, 0x253C, 0x00E3, 0x00C3,
	0x255A, 0x2554, 0x2569, 0x2566, 0x2560, 0x2550, 0x256C, 0x00A4,
	0x00F0, 0x00D0, 0x00CA, 0x00CB, 0x00C8, 0x0131, 0x00CD, 0x00CE,
	0x00CF, 0x2518, 0x250C, 0x2588, 0x2584, 0x00A6, 0x00CC, 0x2580,
	0x00D3, 0x00DF, 0x00D4, 0x00D2, 0x00F5, 0x00D5, 0x00B5, 0x00FE,
	0x00DE, 0x00DA, 0x00DB, 0x00D9, 0x00FD, 0x00DD, 0x00AF, 0x00B4,
	0x00AD, 0x00B1, 0x2017, 0x00BE, 0x00B6, 0x00A7, 0x00F7, 0x00B8,
	0x00B0, 0x00A8, 0x00B7, 0x00B9, 0x00B3, 0x00B2, 0x25A0, 0x00A0,
};

unsigned fat_sfn_to_ucs2(const uint8_t *ent, uint16_t out[12])
{
	unsigned o = 0;
	uint8_t nt = ent[DE_NTRES];
	for (int i = 0; i < 11; i++) {
		uint8_t b = (i == 0 && ent[0] == 0x05) ? 0xE5 : ent[i];
		if (i == 8) {
			if (ent[8] == ' ')
				break;
			out[o++] = '.';
		}
		if (b == ' ') {
			if (i < 8) {
				i = 7;	/* the base ends: go on with the extension */
				continue;
			}
			break;
		}
		uint16_t c = b < 0x80 ? b : cp850[b - 0x80];
		bool lower = i < 8 ? (nt & NTRES_LOWER_BASE) : (nt & NTRES_LOWER_EXT);
		if (lower && up((uint16_t)(c + 32)) == c && (is_upper(c) || (c >= 0xC0 && c <= 0xDE && c != 0xD7)))
			c = (uint16_t)(c + 32);
		out[o++] = c;
	}
	return o;
}

void fat_sfn_basis(const struct fat_name *n, uint8_t basis[11])
{
	unsigned dot = n->len, o = 0;
	memset(basis, ' ', 11);
	for (unsigned i = n->len; i-- > 1;)
		if (n->lfn[i] == '.') {
			dot = i;
			break;
		}
	for (unsigned i = 0; i < dot && o < 8; i++) {
		uint16_t c = up(n->lfn[i]);
		if (c == '.' || c == ' ')
			continue;
		basis[o++] = sfn_char_ok(c) ? (uint8_t)c : '_';
	}
	if (o == 0)
		basis[o++] = '_';
	o = 8;
	for (unsigned i = dot + 1; i < n->len && o < 11; i++) {
		uint16_t c = up(n->lfn[i]);
		if (c == ' ' || c == '.')
			continue;
		basis[o++] = sfn_char_ok(c) ? (uint8_t)c : '_';
	}
}
