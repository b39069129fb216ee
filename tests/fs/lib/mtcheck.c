/* See mtcheck.h. */
#include "tests/fs/lib/mtcheck.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "tests/fs/lib/memdev.h"

uint8_t *mt_read(const char *img, const char *path, size_t *len)
{
	char tmp[512];
	uint8_t *d;
	uint32_t secs;
	FILE *f;
	long sz;
	snprintf(tmp, sizeof tmp, "%s.mtread", img);
	remove(tmp);
	if (shell("LC_ALL=C.UTF-8 MTOOLS_SKIP_CHECK=1 mtype -i '%s' '::%s' > '%s' 2>/dev/null", img, path, tmp) != 0)
		return NULL;
	(void)secs;
	f = fopen(tmp, "rb");
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	sz = ftell(f);
	fseek(f, 0, SEEK_SET);
	d = malloc((size_t)sz + 1);
	*len = fread(d, 1, (size_t)sz, f);
	fclose(f);
	remove(tmp);
	return d;
}

static int cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int mt_list(const char *img, char **out)
{
	size_t cap = 1 << 20;
	char *buf = malloc(cap), *lines[8192], *res, *p;
	int n = 0;
	size_t plen = 0;
	shell_out(buf, cap, "LC_ALL=C.UTF-8 MTOOLS_SKIP_CHECK=1 mdir -/ -b -i '%s' :: 2>/dev/null", img);
	for (p = strtok(buf, "\n"); p && n < 8192; p = strtok(NULL, "\n")) {
		if (strncmp(p, "::", 2) == 0)
			p += 2;
		lines[n++] = p;
	}
	qsort(lines, (size_t)n, sizeof lines[0], cmp);
	res = malloc(cap);
	res[0] = 0;
	for (int i = 0; i < n; i++)
		plen += (size_t)snprintf(res + plen, cap - plen, "%s\n", lines[i]);
	free(buf);
	*out = res;
	return n;
}
