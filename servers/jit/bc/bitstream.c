/* servers/jit/bc/bitstream.c: reading the LLVM bitstream container
 * (fixed/VBR/char6 fields, blobs, arrays, abbreviations, BLOCKINFO, blocks
 * with lengths).  Every read is checked against the end of the input and
 * of the enclosing block; see bitstream.h for the guarantees. */
#include <stdarg.h>
#include <string.h>
#include "lib/fmt.h"
#include "servers/jit/bc/bitstream.h"

/* Reserved abbreviation ids. */
enum { ID_END_BLOCK = 0, ID_ENTER_SUBBLOCK = 1, ID_DEFINE_ABBREV = 2,
       ID_UNABBREV_RECORD = 3 };

int bs_fail(struct bs *s, int code, const char *fmt, ...)
{
	if (s->failed)
		return -1;
	s->failed = true;
	if (s->err) {
		va_list ap;
		s->err->code = code;
		s->err->bit = s->pos;
		va_start(ap, fmt);
		bf_vsnprintf(s->err->msg, sizeof s->err->msg, fmt, ap);
		va_end(ap);
	}
	return -1;
}

void bs_init(struct bs *s, const uint8_t *data, size_t len, uint64_t start_bit,
	     struct ir_arena *arena, struct bc_error *err)
{
	memset(s, 0, sizeof *s);
	s->data = data;
	s->end_bit = (uint64_t)len * 8;
	s->pos = start_bit;
	s->arena = arena;
	s->err = err;
	s->scopes[0].block_id = UINT32_MAX;
	s->scopes[0].abbrev_width = 2;
	s->scopes[0].end_bit = s->end_bit;
	if (start_bit > s->end_bit)
		bs_fail(s, BC_ERR_TRUNCATED, "start beyond end of data");
}

static inline uint64_t limit_bit(const struct bs *s)
{
	return s->scopes[s->depth].end_bit;
}

uint64_t bs_read(struct bs *s, unsigned n)
{
	if (s->failed || n == 0)
		return 0;
	if (n > 64) {
		bs_fail(s, BC_ERR_ABBREV, "field width %u > 64", n);
		return 0;
	}
	uint64_t lim = limit_bit(s);
	if (s->pos > lim || n > lim - s->pos) {
		bs_fail(s, BC_ERR_TRUNCATED, "read of %u bits past the end of %s",
			n, s->depth ? "the block" : "the data");
		return 0;
	}
	size_t byte = (size_t)(s->pos >> 3);
	unsigned sh = (unsigned)(s->pos & 7);
	size_t total = (size_t)(s->end_bit >> 3);
	uint64_t w = 0;
	if (total - byte >= 8) {
		memcpy(&w, s->data + byte, 8);  /* host and guest are little-endian */
	} else {
		for (size_t i = 0; i < total - byte; i++)
			w |= (uint64_t)s->data[byte + i] << (8 * i);
	}
	uint64_t v = w >> sh;
	if (sh + n > 64)        /* the field spills into a ninth byte */
		v |= (uint64_t)s->data[byte + 8] << (64 - sh);
	if (n < 64)
		v &= ((uint64_t)1 << n) - 1;
	s->pos += n;
	return v;
}

uint64_t bs_read_vbr(struct bs *s, unsigned width)
{
	if (width < 2 || width > 32) {
		bs_fail(s, BC_ERR_ABBREV, "VBR width %u out of range", width);
		return 0;
	}
	uint64_t hi = (uint64_t)1 << (width - 1);
	uint64_t v = 0;
	unsigned shift = 0;
	for (;;) {
		uint64_t chunk = bs_read(s, width);
		if (s->failed)
			return 0;
		uint64_t bits = chunk & (hi - 1);
		if (shift >= 64) {
			if (bits) {
				bs_fail(s, BC_ERR_RECORD, "VBR value exceeds 64 bits");
				return 0;
			}
		} else {
			if (shift && (bits >> (64 - shift)) != 0) {
				bs_fail(s, BC_ERR_RECORD, "VBR value exceeds 64 bits");
				return 0;
			}
			v |= bits << shift;
		}
		if (!(chunk & hi))
			return v;
		shift += width - 1;
		if (shift > 64 + 32) {
			bs_fail(s, BC_ERR_RECORD, "VBR value too long");
			return 0;
		}
	}
}

void bs_align32(struct bs *s)
{
	uint64_t np = (s->pos + 31) & ~(uint64_t)31;
	if (np > limit_bit(s)) {
		bs_fail(s, BC_ERR_TRUNCATED, "alignment past the end");
		return;
	}
	s->pos = np;
}

bool bs_at_end(const struct bs *s)
{
	return s->pos >= s->end_bit || s->end_bit - s->pos < 32;
}

static uint64_t bits_left(const struct bs *s)
{
	uint64_t lim = limit_bit(s);
	return s->pos < lim ? lim - s->pos : 0;
}

/* ------------------------------------------------------- abbreviations */

static struct bs_abbrev *read_abbrev_def(struct bs *s)
{
	uint64_t n = bs_read_vbr(s, 5);
	if (s->failed)
		return NULL;
	/* every operand takes at least 4 bits */
	if (n == 0 || n > bits_left(s) / 4 + 1) {
		bs_fail(s, BC_ERR_ABBREV, "abbreviation with %llu operands",
			(unsigned long long)n);
		return NULL;
	}
	struct bs_abbrev *a = ir_arena_alloc(s->arena, sizeof *a, 8);
	struct bs_abbrev_op *ops = a ? ir_arena_alloc(s->arena, n * sizeof *ops, 8) : NULL;
	if (!ops) {
		bs_fail(s, BC_ERR_NOMEM, "arena exhausted (abbreviation)");
		return NULL;
	}
	uint32_t k = 0;
	for (uint64_t i = 0; i < n; i++) {
		bool lit = bs_read(s, 1);
		if (lit) {
			ops[k].kind = BS_OP_LITERAL;
			ops[k].value = bs_read_vbr(s, 8);
		} else {
			unsigned enc = (unsigned)bs_read(s, 3);
			uint64_t w = 0;
			if (enc == 1 || enc == 2) {
				w = bs_read_vbr(s, 5);
				if (s->failed)
					return NULL;
				if (w == 0) {   /* zero-width field: LLVM reads it as 0 */
					ops[k].kind = BS_OP_LITERAL;
					ops[k].value = 0;
					k++;
					continue;
				}
				if (enc == 1 && w > 64)
					return bs_fail(s, BC_ERR_ABBREV, "fixed width %llu > 64",
						       (unsigned long long)w), NULL;
				if (enc == 2 && (w < 2 || w > 32))
					return bs_fail(s, BC_ERR_ABBREV, "VBR width %llu",
						       (unsigned long long)w), NULL;
				ops[k].kind = enc == 1 ? BS_OP_FIXED : BS_OP_VBR;
				ops[k].value = w;
			} else if (enc == 3) {
				ops[k].kind = BS_OP_ARRAY;
			} else if (enc == 4) {
				ops[k].kind = BS_OP_CHAR6;
			} else if (enc == 5) {
				ops[k].kind = BS_OP_BLOB;
			} else {
				return bs_fail(s, BC_ERR_ABBREV, "unknown operand encoding %u",
					       enc), NULL;
			}
		}
		if (s->failed)
			return NULL;
		k++;
	}
	/* shape checks: array is second to last followed by a scalar element,
	 * blob is last, the record code is a scalar */
	for (uint32_t i = 0; i < k; i++) {
		uint8_t kind = ops[i].kind;
		if (kind == BS_OP_ARRAY) {
			if (i + 2 != k)
				return bs_fail(s, BC_ERR_ABBREV, "array not second to last"), NULL;
			uint8_t ek = ops[i + 1].kind;
			if (ek != BS_OP_FIXED && ek != BS_OP_VBR && ek != BS_OP_CHAR6)
				return bs_fail(s, BC_ERR_ABBREV, "bad array element encoding"), NULL;
			break;
		}
		if (kind == BS_OP_BLOB && i + 1 != k)
			return bs_fail(s, BC_ERR_ABBREV, "blob not last"), NULL;
	}
	if (ops[0].kind == BS_OP_ARRAY || ops[0].kind == BS_OP_BLOB)
		return bs_fail(s, BC_ERR_ABBREV, "record code cannot be an array or blob"), NULL;
	a->nops = k;
	a->ops = ops;
	return a;
}

static int push_scope_abbrev(struct bs *s, struct bs_abbrev *a)
{
	if (s->nabbrevs >= BS_MAX_SCOPE_ABBREVS)
		return bs_fail(s, BC_ERR_LIMIT, "too many abbreviations");
	s->abbrevs[s->nabbrevs++] = a;
	return 0;
}

static struct bs_blockinfo *blockinfo_for(struct bs *s, uint32_t id, bool create)
{
	for (uint32_t i = 0; i < s->nblockinfo; i++)
		if (s->blockinfo[i].block_id == id)
			return &s->blockinfo[i];
	if (!create)
		return NULL;
	if (s->nblockinfo >= BS_MAX_BLOCKINFO) {
		bs_fail(s, BC_ERR_LIMIT, "BLOCKINFO describes too many blocks");
		return NULL;
	}
	struct bs_blockinfo *bi = &s->blockinfo[s->nblockinfo++];
	memset(bi, 0, sizeof *bi);
	bi->block_id = id;
	return bi;
}

static int blockinfo_add(struct bs *s, struct bs_blockinfo *bi, struct bs_abbrev *a)
{
	if (bi->nabbrevs == bi->cap) {
		uint32_t nc = bi->cap ? bi->cap * 2 : 8;
		if (nc > BS_MAX_SCOPE_ABBREVS)
			return bs_fail(s, BC_ERR_LIMIT, "too many BLOCKINFO abbreviations");
		struct bs_abbrev **na = ir_arena_alloc(s->arena, nc * sizeof *na, 8);
		if (!na)
			return bs_fail(s, BC_ERR_NOMEM, "arena exhausted (blockinfo)");
		if (bi->nabbrevs)
			memcpy(na, bi->abbrevs, bi->nabbrevs * sizeof *na);
		bi->abbrevs = na;
		bi->cap = nc;
	}
	bi->abbrevs[bi->nabbrevs++] = a;
	return 0;
}

/* ------------------------------------------------------------- records */

static int rec_reserve(struct bs *s, uint64_t need)
{
	if (need <= s->rec_cap)
		return 0;
	if (need > (uint64_t)UINT32_MAX / 2)
		return bs_fail(s, BC_ERR_LIMIT, "record too long");
	uint64_t nc = s->rec_cap ? (uint64_t)s->rec_cap * 2 : 64;
	while (nc < need)
		nc *= 2;
	uint64_t *nr = ir_arena_alloc(s->arena, nc * sizeof *nr, 8);
	if (!nr)
		return bs_fail(s, BC_ERR_NOMEM, "arena exhausted (record of %llu operands)",
			       (unsigned long long)need);
	/* the old buffer is abandoned: contents are never needed across
	 * records, and growth is geometric so the waste stays bounded */
	s->rec = nr;
	s->rec_cap = (uint32_t)nc;
	return 0;
}

static uint64_t read_scalar(struct bs *s, const struct bs_abbrev_op *op)
{
	switch (op->kind) {
	case BS_OP_LITERAL: return op->value;
	case BS_OP_FIXED:   return bs_read(s, (unsigned)op->value);
	case BS_OP_VBR:     return bs_read_vbr(s, (unsigned)op->value);
	case BS_OP_CHAR6:   return (uint64_t)(uint8_t)bs_char6((unsigned)bs_read(s, 6));
	default:
		bs_fail(s, BC_ERR_ABBREV, "bad scalar operand");
		return 0;
	}
}

static int read_record(struct bs *s, uint32_t abbrev_id, struct bs_entry *e)
{
	e->kind = BS_ENTRY_RECORD;
	e->abbrev = abbrev_id;
	e->blob = NULL;
	e->blob_len = 0;
	e->nops = 0;
	e->ops = s->rec;
	if (abbrev_id == ID_UNABBREV_RECORD) {
		uint64_t code = bs_read_vbr(s, 6);
		uint64_t n = bs_read_vbr(s, 6);
		if (s->failed)
			return -1;
		if (code > UINT32_MAX)
			return bs_fail(s, BC_ERR_RECORD, "record code too large");
		if (n > bits_left(s) / 6)
			return bs_fail(s, BC_ERR_TRUNCATED, "record of %llu operands past the end",
				       (unsigned long long)n);
		if (rec_reserve(s, n))
			return -1;
		for (uint64_t i = 0; i < n; i++)
			s->rec[i] = bs_read_vbr(s, 6);
		if (s->failed)
			return -1;
		e->id = (uint32_t)code;
		e->nops = (uint32_t)n;
		e->ops = s->rec;
		return 0;
	}
	const struct bs_scope *sc = &s->scopes[s->depth];
	uint32_t idx = abbrev_id - 4;
	const struct bs_abbrev *a;
	if (abbrev_id < 4 || idx >= sc->nbi + (s->nabbrevs - sc->abbrev_base))
		return bs_fail(s, BC_ERR_ABBREV, "undefined abbreviation id %u", abbrev_id);
	if (idx < sc->nbi)
		a = sc->bi->abbrevs[idx];
	else
		a = s->abbrevs[sc->abbrev_base + (idx - sc->nbi)];
	uint64_t code = read_scalar(s, &a->ops[0]);
	if (s->failed)
		return -1;
	if (code > UINT32_MAX)
		return bs_fail(s, BC_ERR_RECORD, "record code too large");
	e->id = (uint32_t)code;
	uint32_t n = 0;
	if (rec_reserve(s, a->nops))
		return -1;
	for (uint32_t i = 1; i < a->nops; i++) {
		const struct bs_abbrev_op *op = &a->ops[i];
		if (op->kind == BS_OP_ARRAY) {
			const struct bs_abbrev_op *elt = &a->ops[i + 1];
			uint64_t cnt = bs_read_vbr(s, 6);
			if (s->failed)
				return -1;
			uint64_t minbits = elt->kind == BS_OP_CHAR6 ? 6 : elt->value;
			if (minbits == 0 || cnt > bits_left(s) / minbits)
				return bs_fail(s, BC_ERR_TRUNCATED, "array of %llu elements past the end",
					       (unsigned long long)cnt);
			if (rec_reserve(s, (uint64_t)n + cnt + 1))
				return -1;
			for (uint64_t j = 0; j < cnt; j++)
				s->rec[n++] = read_scalar(s, elt);
			break;
		}
		if (op->kind == BS_OP_BLOB) {
			uint64_t len = bs_read_vbr(s, 6);
			bs_align32(s);
			if (s->failed)
				return -1;
			if (len > bits_left(s) / 8)
				return bs_fail(s, BC_ERR_TRUNCATED, "blob of %llu bytes past the end",
					       (unsigned long long)len);
			e->blob = s->data + (s->pos >> 3);
			e->blob_len = (size_t)len;
			s->pos += len * 8;
			bs_align32(s);
			break;
		}
		s->rec[n++] = read_scalar(s, op);
	}
	if (s->failed)
		return -1;
	e->nops = n;
	e->ops = s->rec;
	return 0;
}

/* -------------------------------------------------------------- blocks */

/* Reads the header after an ENTER_SUBBLOCK id into s->pending. */
static int read_subblock_header(struct bs *s)
{
	uint64_t id = bs_read_vbr(s, 8);
	uint64_t width = bs_read_vbr(s, 4);
	bs_align32(s);
	uint64_t words = bs_read(s, 32);
	if (s->failed)
		return -1;
	if (id > UINT32_MAX)
		return bs_fail(s, BC_ERR_BLOCK, "block id too large");
	if (width < 1 || width > 32)
		return bs_fail(s, BC_ERR_BLOCK, "block %llu has abbrev width %llu",
			       (unsigned long long)id, (unsigned long long)width);
	if (words * 32 > bits_left(s))
		return bs_fail(s, BC_ERR_TRUNCATED, "block %llu of %llu words past the end",
			       (unsigned long long)id, (unsigned long long)words);
	s->pending = true;
	s->pending_id = (uint32_t)id;
	s->pending_width = (uint32_t)width;
	s->pending_end = s->pos + words * 32;
	return 0;
}

int bs_enter(struct bs *s, uint32_t block_id)
{
	if (s->failed)
		return -1;
	if (!s->pending || s->pending_id != block_id)
		return bs_fail(s, BC_ERR_BLOCK, "no block %u to enter", block_id);
	if (s->depth >= BS_MAX_DEPTH)
		return bs_fail(s, BC_ERR_LIMIT, "blocks nested deeper than %d", BS_MAX_DEPTH);
	s->pending = false;
	struct bs_scope *sc = &s->scopes[++s->depth];
	sc->block_id = block_id;
	sc->abbrev_width = s->pending_width;
	sc->end_bit = s->pending_end;
	sc->abbrev_base = s->nabbrevs;
	struct bs_blockinfo *bi = blockinfo_for(s, block_id, false);
	sc->bi = bi;
	sc->nbi = bi ? bi->nabbrevs : 0;
	return 0;
}

int bs_skip(struct bs *s)
{
	if (s->failed)
		return -1;
	if (!s->pending)
		return bs_fail(s, BC_ERR_BLOCK, "no block to skip");
	s->pending = false;
	s->pos = s->pending_end;
	return 0;
}

static void pop_scope(struct bs *s)
{
	s->nabbrevs = s->scopes[s->depth].abbrev_base;
	s->depth--;
}

int bs_skip_rest(struct bs *s)
{
	if (s->failed)
		return -1;
	if (s->depth == 0)
		return bs_fail(s, BC_ERR_BLOCK, "no open block");
	s->pos = s->scopes[s->depth].end_bit;
	pop_scope(s);
	return 0;
}

/* BLOCKINFO (block id 0): SETBID selects the block id that following
 * DEFINE_ABBREVs apply to; names are ignored. */
static int read_blockinfo(struct bs *s)
{
	if (bs_enter(s, 0))
		return -1;
	struct bs_blockinfo *cur = NULL;
	struct bs_entry e;
	for (;;) {
		uint32_t w = s->scopes[s->depth].abbrev_width;
		uint32_t id = (uint32_t)bs_read(s, w);
		if (s->failed)
			return -1;
		switch (id) {
		case ID_END_BLOCK:
			bs_align32(s);
			pop_scope(s);
			return s->failed ? -1 : 0;
		case ID_ENTER_SUBBLOCK:
			if (read_subblock_header(s) || bs_skip(s))
				return -1;
			break;
		case ID_DEFINE_ABBREV: {
			if (!cur)
				return bs_fail(s, BC_ERR_BLOCK, "BLOCKINFO abbreviation before SETBID");
			struct bs_abbrev *a = read_abbrev_def(s);
			if (!a || blockinfo_add(s, cur, a))
				return -1;
			break;
		}
		default:
			if (read_record(s, id, &e))
				return -1;
			if (e.id == 1) {        /* SETBID */
				if (e.nops < 1 || e.ops[0] > UINT32_MAX)
					return bs_fail(s, BC_ERR_RECORD, "bad SETBID");
				cur = blockinfo_for(s, (uint32_t)e.ops[0], true);
				if (!cur)
					return -1;
			}
			break;
		}
	}
}

enum bs_entry_kind bs_next(struct bs *s, struct bs_entry *e)
{
	memset(e, 0, sizeof *e);
	e->kind = BS_ENTRY_ERROR;
	if (s->failed)
		return BS_ENTRY_ERROR;
	if (s->pending) {
		bs_fail(s, BC_ERR_BLOCK, "sub-block %u neither entered nor skipped",
			s->pending_id);
		return BS_ENTRY_ERROR;
	}
	for (;;) {
		if (s->depth == 0 && bs_at_end(s)) {
			e->kind = BS_ENTRY_END;
			return e->kind;
		}
		uint32_t w = s->scopes[s->depth].abbrev_width;
		uint32_t id = (uint32_t)bs_read(s, w);
		if (s->failed)
			return BS_ENTRY_ERROR;
		switch (id) {
		case ID_END_BLOCK:
			if (s->depth == 0) {
				bs_fail(s, BC_ERR_BLOCK, "END_BLOCK at top level");
				return BS_ENTRY_ERROR;
			}
			bs_align32(s);
			if (s->failed)
				return BS_ENTRY_ERROR;
			pop_scope(s);
			e->kind = BS_ENTRY_END;
			return e->kind;
		case ID_ENTER_SUBBLOCK:
			if (read_subblock_header(s))
				return BS_ENTRY_ERROR;
			if (s->pending_id == 0) {
				if (read_blockinfo(s))
					return BS_ENTRY_ERROR;
				continue;
			}
			e->kind = BS_ENTRY_SUBBLOCK;
			e->id = s->pending_id;
			return e->kind;
		case ID_DEFINE_ABBREV: {
			if (s->depth == 0) {
				bs_fail(s, BC_ERR_ABBREV, "abbreviation at top level");
				return BS_ENTRY_ERROR;
			}
			struct bs_abbrev *a = read_abbrev_def(s);
			if (!a || push_scope_abbrev(s, a))
				return BS_ENTRY_ERROR;
			continue;
		}
		default:
			if (s->depth == 0) {
				bs_fail(s, BC_ERR_BLOCK, "record at top level");
				return BS_ENTRY_ERROR;
			}
			if (read_record(s, id, e))
				return e->kind = BS_ENTRY_ERROR;
			return e->kind;
		}
	}
}
