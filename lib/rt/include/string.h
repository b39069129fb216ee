/* string.h for modules: the module runtime's string and memory functions
 * (lib/string.c and lib/rt/libc/string.c), C11's with C's semantics.
 * strtok keeps its position in the module's own memory (struct rt_libc in
 * lib/rt/rt.h), one position per module: do not interleave two strtok
 * scans.  strerror knows the errno values of <errno.h>. */
#ifndef BF_RT_STRING_H
#define BF_RT_STRING_H
#include <stddef.h>

void  *memcpy(void *restrict dst, const void *restrict src, size_t n);
void  *memmove(void *dst, const void *src, size_t n);
void  *memset(void *dst, int c, size_t n);
int    memcmp(const void *a, const void *b, size_t n);
void  *memchr(const void *s, int c, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
int    strcmp(const char *a, const char *b);
int    strncmp(const char *a, const char *b, size_t n);
int    strcoll(const char *a, const char *b);
char  *strcpy(char *restrict dst, const char *restrict src);
char  *strncpy(char *restrict dst, const char *restrict src, size_t n);
char  *strcat(char *restrict dst, const char *restrict src);
char  *strncat(char *restrict dst, const char *restrict src, size_t n);
char  *strchr(const char *s, int c);
char  *strrchr(const char *s, int c);
char  *strstr(const char *hay, const char *needle);
size_t strspn(const char *s, const char *accept);
size_t strcspn(const char *s, const char *reject);
char  *strpbrk(const char *s, const char *accept);
char  *strtok(char *restrict s, const char *restrict delim);
char  *strerror(int errnum);
/* C23 (and POSIX): copies in memory from malloc */
char  *strdup(const char *s);
char  *strndup(const char *s, size_t n);
#endif
