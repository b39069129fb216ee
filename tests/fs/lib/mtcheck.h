/* Judging images with the independent tools: fsck.fat -n, and file
 * contents / listings read back by mtools. */
#ifndef BF_TESTS_FS_MTCHECK_H
#define BF_TESTS_FS_MTCHECK_H
#include <stddef.h>
#include <stdint.h>

/* Contents of ::path as mtools reads it (malloc'd, *len set); NULL if absent. */
uint8_t *mt_read(const char *img, const char *path, size_t *len);
/* Every path on the image, one per line ("/a/b"), dirs with a trailing '/',
 * sorted, as `mdir -/ -b` lists them.  Returns the count; out is malloc'd. */
int mt_list(const char *img, char **out);
#endif
