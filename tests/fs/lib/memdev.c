/* See memdev.h. */
#include "tests/fs/lib/memdev.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static int md_read(void *ctx, uint32_t lba, uint32_t n, void *buf)
{
	struct memdev *m = ctx;
	if (lba >= m->sectors || n > m->sectors - lba)
		return -1;
	if (m->fail_read_lba >= 0 && (uint32_t)m->fail_read_lba >= lba &&
	    (uint32_t)m->fail_read_lba < lba + n)
		return -1;
	memcpy(buf, m->data + (size_t)lba * 512, (size_t)n * 512);
	m->reads++;
	return 0;
}

static int md_write(void *ctx, uint32_t lba, uint32_t n, const void *buf)
{
	struct memdev *m = ctx;
	const uint8_t *src = buf;
	if (lba >= m->sectors || n > m->sectors - lba)
		return -1;
	if (m->fail_write_lba >= 0 && (uint32_t)m->fail_write_lba >= lba &&
	    (uint32_t)m->fail_write_lba < lba + n)
		return -1;
	m->writes++;
	for (uint32_t i = 0; i < n; i++) {
		if (m->write_budget == 0) {
			m->crashed = true;
			return -1;
		}
		if (m->write_budget > 0)
			m->write_budget--;
		memcpy(m->data + (size_t)(lba + i) * 512, src + (size_t)i * 512, 512);
		m->sectors_written++;
		if (m->log_lba && m->log_len < m->log_cap) {
			m->log_lba[m->log_len] = lba + i;
			memcpy(m->log_data + m->log_len * 512, src + (size_t)i * 512, 512);
			m->log_len++;
		}
	}
	return 0;
}

void memdev_init(struct memdev *m, uint8_t *data, uint32_t sectors)
{
	memset(m, 0, sizeof *m);
	m->data = data;
	m->sectors = sectors;
	m->write_budget = -1;
	m->fail_read_lba = -1;
	m->fail_write_lba = -1;
}

struct blockdev memdev_blockdev(struct memdev *m)
{
	struct blockdev d = {m, md_read, md_write, NULL, m->sectors};
	return d;
}

void memdev_log_enable(struct memdev *m, size_t cap)
{
	m->log_lba = calloc(cap, sizeof *m->log_lba);
	m->log_data = calloc(cap, 512);
	m->log_cap = cap;
	m->log_len = 0;
}

void memdev_free_log(struct memdev *m)
{
	free(m->log_lba);
	free(m->log_data);
	m->log_lba = NULL;
	m->log_data = NULL;
}

uint8_t *img_load(const char *path, uint32_t *sectors)
{
	FILE *f = fopen(path, "rb");
	long sz;
	uint8_t *d;
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	sz = ftell(f);
	fseek(f, 0, SEEK_SET);
	d = malloc((size_t)sz + 512);
	if (fread(d, 1, (size_t)sz, f) != (size_t)sz) {
		fclose(f);
		free(d);
		return NULL;
	}
	fclose(f);
	*sectors = (uint32_t)(sz / 512);
	return d;
}

int img_save(const char *path, const uint8_t *data, uint32_t sectors)
{
	FILE *f = fopen(path, "wb");
	if (!f)
		return -1;
	size_t n = fwrite(data, 512, sectors, f);
	fclose(f);
	return n == sectors ? 0 : -1;
}

static int vshell(char *buf, size_t cap, const char *fmt, va_list ap)
{
	char cmd[8192];
	FILE *p;
	int st;
	size_t len = 0;
	vsnprintf(cmd, sizeof cmd, fmt, ap);
	p = popen(cmd, "r");
	if (!p)
		return -1;
	if (buf && cap) {
		size_t k;
		while (len + 1 < cap && (k = fread(buf + len, 1, cap - 1 - len, p)) > 0)
			len += k;
		buf[len] = 0;
	}
	{
		char sink[4096];
		while (fread(sink, 1, sizeof sink, p) > 0)
			;
	}
	st = pclose(p);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128;
}

int shell(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int r = vshell(NULL, 0, fmt, ap);
	va_end(ap);
	return r;
}

int shell_out(char *buf, size_t cap, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int r = vshell(buf, cap, fmt, ap);
	va_end(ap);
	return r;
}

const char *tmpdir_make(char *buf, size_t cap)
{
	const char *base = getenv("TMPDIR");
	snprintf(buf, cap, "%s/bf-fat-XXXXXX", base && *base ? base : "/tmp");
	return mkdtemp(buf);
}

void tmpdir_remove(const char *dir)
{
	if (dir && strstr(dir, "bf-fat-"))
		shell("rm -rf '%s'", dir);
}

int fsck_check(const char *img, char *buf, size_t cap)
{
	return shell_out(buf, cap, "fsck.fat -n '%s' 2>&1", img);
}

void fill_pattern(uint8_t *buf, size_t n, uint32_t seed, size_t offset)
{
	for (size_t i = 0; i < n; i++) {
		uint32_t x = (uint32_t)(offset + i) * 2654435761u ^ seed * 40503u;
		x ^= x >> 13;
		buf[i] = (uint8_t)(x * 0x9E3779B1u >> 24);
	}
}
