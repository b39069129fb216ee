/* File names: UTF-8 <-> UCS-2, validation, the 8.3 form and its lower-case
 * flags, the LFN checksum and the basis of generated 8.3 aliases. */
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

static uint16_t up(uint16_t c) { return (c >= 'a' && c <= 'z') ? (uint16_t)(c - 32) : c; }
static bool is_lower(uint16_t c) { return c >= 'a' && c <= 'z'; }
static bool is_upper(uint16_t c) { return c >= 'A' && c <= 'Z'; }

/* Decode one UTF-8 character (BMP only). Returns bytes used, 0 on error. */
static size_t utf8_dec(const unsigned char *s, size_t n, uint16_t *out)
{
	if (s[0] < 0x80) {
		*out = s[0];
		return 1;
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
		uint16_t c = u[i];
		if (c >= 0xD800 && c <= 0xDFFF)
			c = '?';	/* no surrogate pairs */
		if (c < 0x80 && o + 1 < cap)
			out[o++] = (char)c;
		else if (c >= 0x80 && c < 0x800 && o + 2 < cap) {
			out[o++] = (char)(0xC0 | c >> 6);
			out[o++] = (char)(0x80 | (c & 0x3F));
		} else if (c >= 0x800 && o + 3 < cap) {
			out[o++] = (char)(0xE0 | c >> 12);
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
		uint16_t c;
		size_t used = utf8_dec(p + i, len - i, &c);
		if (used == 0 || !lfn_char_ok(c) || n >= FAT_NAME_MAX)
			return FAT_EBADNAME;
		out->lfn[n++] = c;
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
