/* servers/jit/cg/secure.c: the names of the JIT's defences (jit_opts.secure).
 *
 * One spelling for mjit's `--secure LIST` and the jit server: a comma
 * separated list of `sandbox` (JIT_SEC_SANDBOX), `random`
 * (JIT_SEC_RANDOM), `blind` (JIT_SEC_BLIND), or `none` / `all`.  Only
 * the defences this compiler implements have a name, so a list that asks
 * for one it does not have is refused instead of silently ignored. */
#include "servers/jit/jit.h"

static const struct { const char *name; uint32_t bit; } names[] = {
	{ "sandbox", JIT_SEC_SANDBOX },
	{ "random", JIT_SEC_RANDOM },
	{ "blind", JIT_SEC_BLIND },
	{ "all", JIT_SEC_ALL },
	{ "none", 0 },
};

/* Does s[0..n) spell name? */
static int same(const char *s, uint32_t n, const char *name)
{
	uint32_t i = 0;
	for (; i < n && name[i]; i++)
		if (s[i] != name[i])
			return 0;
	return i == n && !name[i];
}

int jit_secure_parse(const char *list, uint32_t *out)
{
	uint32_t v = 0;
	const char *p = list;
	if (!list || !*list)
		return -1;
	for (;;) {
		uint32_t n = 0;
		while (p[n] && p[n] != ',')
			n++;
		uint32_t k = 0, nk = sizeof names / sizeof names[0];
		while (k < nk && !same(p, n, names[k].name))
			k++;
		if (k == nk)
			return -1;
		v |= names[k].bit;
		if (!p[n])
			break;
		p += n + 1;
	}
	*out = v;
	return 0;
}
