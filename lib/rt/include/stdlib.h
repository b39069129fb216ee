/* stdlib.h for modules: the module runtime's (lib/rt/libc/).
 *   strtol & co.: C's rules (bases 0 and 2..36, endptr, saturation at
 *     the type's limits with errno = ERANGE on overflow);
 *   strtod/strtof/atof: correctly rounded (round to nearest even), for
 *     any number of digits, hex floats, inf and nan too;
 *   qsort is a heapsort (not stable, no recursion, no memory);
 *   rand is C's example LCG (RAND_MAX 32767), seeded 1;
 *   malloc & co. take memory from the heap the loader gave the module
 *     (docs/libc.md): 16-byte aligned, NULL when it is used up;
 *   exit and abort end the module: exit's status is the module's result,
 *     abort's is 134 (128 + SIGABRT, as a shell would say).  No atexit;
 *   getenv: a module has no environment, always NULL. */
#ifndef BF_RT_STDLIB_H
#define BF_RT_STDLIB_H
#include <stddef.h>

#define EXIT_SUCCESS 0
#define EXIT_FAILURE 1
#define RAND_MAX 32767
#define MB_CUR_MAX 1

typedef struct { int quot, rem; } div_t;
typedef struct { long quot, rem; } ldiv_t;
typedef struct { long long quot, rem; } lldiv_t;

int abs(int x);
long labs(long x);
long long llabs(long long x);
div_t div(int num, int den);
ldiv_t ldiv(long num, long den);
lldiv_t lldiv(long long num, long long den);

int atoi(const char *s);
long atol(const char *s);
long long atoll(const char *s);
long strtol(const char *restrict s, char **restrict end, int base);
unsigned long strtoul(const char *restrict s, char **restrict end, int base);
long long strtoll(const char *restrict s, char **restrict end, int base);
unsigned long long strtoull(const char *restrict s, char **restrict end, int base);
double atof(const char *s);
double strtod(const char *restrict s, char **restrict end);
float strtof(const char *restrict s, char **restrict end);

void qsort(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *));
void *bsearch(const void *key, const void *base, size_t n, size_t size,
	      int (*cmp)(const void *, const void *));

int rand(void);
void srand(unsigned seed);

void *malloc(size_t size);
void *calloc(size_t n, size_t size);
void *realloc(void *p, size_t size);
void free(void *p);

_Noreturn void exit(int status);
_Noreturn void _Exit(int status);
_Noreturn void abort(void);
char *getenv(const char *name);
#endif
