/* The string.h functions modules get beyond lib/string.c's (memcpy,
 * memmove, memset, memcmp, strlen, strnlen, strcmp, strncmp, strchr,
 * which the kernel and the servers share and which the runtime exports
 * as they are).  Plain byte loops: clear over fast, modules are small. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "lib/rt/libc/libc.h"

void *memchr(const void *s, int c, size_t n)
{
	const unsigned char *p = s;
	for (; n; n--, p++)
		if (*p == (unsigned char)c)
			return (void *)p;
	return NULL;
}

/* the C locale's collation is strcmp's */
int strcoll(const char *a, const char *b)
{
	return strcmp(a, b);
}

char *strcpy(char *restrict dst, const char *restrict src)
{
	char *d = dst;
	while ((*d++ = *src++))
		;
	return dst;
}

/* C's strncpy: pads with NULs to n, and leaves dst unterminated when src
 * has n or more characters. */
char *strncpy(char *restrict dst, const char *restrict src, size_t n)
{
	size_t i = 0;
	for (; i < n && src[i]; i++)
		dst[i] = src[i];
	for (; i < n; i++)
		dst[i] = 0;
	return dst;
}

char *strcat(char *restrict dst, const char *restrict src)
{
	strcpy(dst + strlen(dst), src);
	return dst;
}

/* at most n characters of src, always terminated */
char *strncat(char *restrict dst, const char *restrict src, size_t n)
{
	char *d = dst + strlen(dst);
	for (; n && *src; n--)
		*d++ = *src++;
	*d = 0;
	return dst;
}

char *strrchr(const char *s, int c)
{
	const char *last = NULL;
	for (;; s++) {
		if (*s == (char)c)
			last = s;
		if (!*s)
			return (char *)last;
	}
}

char *strstr(const char *hay, const char *needle)
{
	size_t n = strlen(needle);
	if (!n)
		return (char *)hay;	/* the empty string is found at once */
	for (; *hay; hay++)
		if (*hay == *needle && !strncmp(hay, needle, n))
			return (char *)hay;
	return NULL;
}

/* Is c one of set's characters?  (Never the terminating NUL.) */
static int in_set(char c, const char *set)
{
	for (; *set; set++)
		if (*set == c)
			return 1;
	return 0;
}

size_t strspn(const char *s, const char *accept)
{
	size_t n = 0;
	while (s[n] && in_set(s[n], accept))
		n++;
	return n;
}

size_t strcspn(const char *s, const char *reject)
{
	size_t n = 0;
	while (s[n] && !in_set(s[n], reject))
		n++;
	return n;
}

char *strpbrk(const char *s, const char *accept)
{
	s += strcspn(s, accept);
	return *s ? (char *)s : NULL;
}

/* The position between calls is the module's (rt_libc.strtok_next): one
 * scan at a time per module, as C's strtok has one per program. */
char *strtok(char *restrict s, const char *restrict delim)
{
	if (!s)
		s = (char *)rt_libc.strtok_next;
	if (!s)
		return NULL;
	s += strspn(s, delim);
	if (!*s) {
		rt_libc.strtok_next = 0;
		return NULL;
	}
	char *end = s + strcspn(s, delim);
	if (*end) {
		*end = 0;
		rt_libc.strtok_next = (uintptr_t)(end + 1);
	} else {
		rt_libc.strtok_next = 0;
	}
	return s;
}

char *strndup(const char *s, size_t n)
{
	n = strnlen(s, n);
	char *d = malloc(n + 1);
	if (d) {
		memcpy(d, s, n);
		d[n] = 0;
	}
	return d;
}

char *strdup(const char *s)
{
	return strndup(s, (size_t)-1);
}
