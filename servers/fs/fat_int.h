/* Internals shared by the FAT16 core's files (not for the server). */
#ifndef BF_FS_FAT_INT_H
#define BF_FS_FAT_INT_H
#include <string.h>
#include "lib/fmt.h"
#include "servers/fs/fat.h"

#define FAT_EOC		0xFFFFu	/* what we write at a chain's end */
#define FAT_EOC_MIN	0xFFF8u	/* any value >= this ends a chain */
#define FAT_BADCLUS	0xFFF7u
#define DIRENT_SIZE	32u
#define DIR_PER_SEC	(FAT_SECTOR / DIRENT_SIZE)
#define DIR_MAX_ENTS	65536u	/* a directory holds at most 2 MiB of entries */
#define LFN_CHARS	13u
#define LFN_MAX_ENTS	20u

/* Short directory entry field offsets. */
#define DE_NAME		0
#define DE_ATTR		11
#define DE_NTRES	12
#define DE_CTIME_TENTH	13
#define DE_CTIME	14
#define DE_CDATE	16
#define DE_ADATE	18
#define DE_CLUS_HI	20
#define DE_WTIME	22
#define DE_WDATE	24
#define DE_CLUS_LO	26
#define DE_SIZE		28
#define DE_FREE		0xE5u	/* first byte of a deleted entry */
#define NTRES_LOWER_BASE 0x08u
#define NTRES_LOWER_EXT	0x10u

static inline uint16_t rd16(const uint8_t *p) { return (uint16_t)(p[0] | p[1] << 8); }
static inline uint32_t rd32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}
static inline void wr16(uint8_t *p, uint16_t v) { p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); }
static inline void wr32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); p[2] = (uint8_t)(v >> 16); p[3] = (uint8_t)(v >> 24);
}

static inline bool fat_clus_ok(const struct fat_vol *v, uint32_t c)
{
	return c >= 2 && c <= v->nclus + 1;
}
static inline uint32_t fat_clus_lba(const struct fat_vol *v, uint32_t c)
{
	return v->data_lba + (c - 2) * v->spc;
}

/* fat_part.c: 1 and the FAT16 partition's sectors when sector 0 is an MBR
 * holding one, 0 when sector 0 is no MBR, < 0 (message set) for an MBR
 * without a usable FAT16 partition. */
int fat_find_partition(struct fat_vol *v, const uint8_t *sec0, uint32_t *start, uint32_t *count);

/* fat_err.c */
int fat_fail(struct fat_vol *v, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* fat_mount.c: bounds-checked device access and the one-sector window */
int fat_dev_read(struct fat_vol *v, uint32_t lba, uint32_t n, void *buf);
int fat_dev_write(struct fat_vol *v, uint32_t lba, uint32_t n, const void *buf);
int fat_win_load(struct fat_vol *v, uint32_t lba);
int fat_win_store(struct fat_vol *v);	/* write the window back (write-through) */
bool fat_writable(struct fat_vol *v);	/* sets EROFS message when not */

/* fat_table.c: FAT entries, cluster chains */
int fat_get(struct fat_vol *v, uint32_t clus, uint32_t *val);
int fat_set(struct fat_vol *v, uint32_t clus, uint32_t val);
int fat_flush(struct fat_vol *v);	/* dirty FAT sector -> every copy */
/* Next cluster of a chain: 1 and *next, 0 at end of chain, < 0 corrupt. */
int fat_next(struct fat_vol *v, uint32_t clus, uint32_t *next);
/* Allocate a free cluster, mark it end-of-chain; link prev -> it if prev. */
int fat_alloc(struct fat_vol *v, uint32_t prev, uint32_t *out);
int fat_free_chain(struct fat_vol *v, uint32_t first);	/* tolerant of corruption */
int fat_chain_len(struct fat_vol *v, uint32_t first, uint32_t *len);
int fat_count_free(struct fat_vol *v);
int fat_zero_cluster(struct fat_vol *v, uint32_t clus);

/* fat_name.c: names */
struct fat_name {
	uint16_t lfn[FAT_NAME_MAX + 1];	/* UCS-2, NUL-terminated */
	unsigned len;
	uint8_t sfn[11];	/* the upper-case 8.3 form when `match83` */
	uint8_t ntres;		/* lower-case flags when `fits83` */
	bool fits83;		/* storable as a short entry alone */
	bool match83;		/* has an 8.3 shape: sfn holds its upper-case form */
};
int fat_name_parse(const char *s, size_t n, struct fat_name *out);
uint8_t fat_lfn_sum(const uint8_t sfn[11]);
void fat_sfn_display(const uint8_t *ent, char out[13]);	/* ASCII; '?' for OEM bytes */
/* The short name as UTF-16 (code page 850, lower-case flags applied). */
unsigned fat_sfn_to_ucs2(const uint8_t *ent, uint16_t out[12]);
size_t fat_ucs2_to_utf8(const uint16_t *u, unsigned len, char *out, size_t cap);
bool fat_ucs2_eq_ci(const uint16_t *a, unsigned alen, const uint16_t *b, unsigned blen);
/* Make an 8.3 alias for a long name given the aliases in use (callback). */
void fat_sfn_basis(const struct fat_name *n, uint8_t basis[11]);

/* fat_dir.c: directory entries */
struct dir_it {
	uint32_t first;		/* 0 = root */
	uint32_t clus;		/* cluster holding `index` (subdirectories) */
	uint32_t index;
	/* Brent's cycle detection over the chain: a loop is ECORRUPT at once */
	uint32_t mark, pow, len;
};
struct fat_found {
	struct fat_loc loc;
	uint8_t ent[DIRENT_SIZE];
	uint16_t lfn[FAT_NAME_MAX + 1];
	unsigned lfn_len;	/* 0: no valid long name */
};
void dir_it_start(struct dir_it *it, uint32_t first);
/* Loads the sector of it->index into the window; *ent points at the entry.
 * Returns 1, 0 at the end of the directory's storage, < 0 on error. */
int dir_it_get(struct fat_vol *v, struct dir_it *it, uint8_t **ent, uint32_t *lba);
int dir_it_next(struct fat_vol *v, struct dir_it *it);	/* 1 / 0 end / < 0 */
/* Next live entry (LFN assembled): 1 found, 0 end, < 0 error. */
int dir_read(struct fat_vol *v, struct dir_it *it, struct fat_found *f);
int dir_find(struct fat_vol *v, uint32_t dir, const struct fat_name *n, struct fat_found *f);
int dir_add(struct fat_vol *v, uint32_t dir, const struct fat_name *n, const uint8_t proto[DIRENT_SIZE],
	    struct fat_loc *loc);
int dir_remove(struct fat_vol *v, const struct fat_loc *loc);
int dir_remove_lfn(struct fat_vol *v, const struct fat_loc *loc);	/* its LFN entries only */
/* Rewrite the short entry at loc with first cluster / size / attr (flushes FAT first). */
int dir_update(struct fat_vol *v, const struct fat_loc *loc, uint32_t first, uint32_t size, bool touch);
int dir_is_empty(struct fat_vol *v, uint32_t dir);
void dir_make_entry(struct fat_vol *v, uint8_t ent[DIRENT_SIZE], uint8_t attr, uint32_t first, uint32_t size);
static inline uint32_t de_first(const uint8_t *e) { return rd16(e + DE_CLUS_LO); }
void fat_fill_stat(const struct fat_found *f, struct fat_stat *st);

/* fat_path.c */
/* Resolve the directory holding the last component, which last/lastlen name. */
int path_parent(struct fat_vol *v, const char *path, uint32_t *dir, const char **last, size_t *lastlen);
int path_lookup(struct fat_vol *v, const char *path, struct fat_found *f, bool *is_root);

/* fat_file.c */
bool fat_loc_is_open(struct fat_vol *v, const struct fat_loc *loc);
#endif
