/* Shell commands for modules: run, modules, jit, tier, prof. */
#include <string.h>
#include "lib/fmt.h"
#include "servers/init/init.h"
#include "servers/init/modrun.h"
#include "servers/init/initfs.h"
#include "servers/jit/server/jit_client.h"
#include "servers/profiler/prof_client.h"

static int parse_int(const char *s, int32_t *out)
{
	int neg = *s == '-';
	uint32_t v = 0;
	if (neg)
		s++;
	if (!*s)
		return -1;
	for (; *s; s++) {
		if (*s < '0' || *s > '9' || v > 214748364u)
			return -1;
		v = v * 10 + (uint32_t)(*s - '0');
	}
	*out = neg ? -(int32_t)v : (int32_t)v;
	return 0;
}

#define RUN_USAGE "run MODULE [ARG] [--calls N] [--timeout S] [--mem PAGES] [--embedded]"

int cmd_run(int argc, char **argv)
{
	struct run_opts o = { .calls = 1 };
	const char *name = 0;
	for (int i = 1; i < argc; i++) {
		int32_t v;
		if (!strcmp(argv[i], "--calls") && i + 1 < argc) {
			if (parse_int(argv[++i], &v) || v <= 0) {
				bf_printf("run: --calls wants a positive number, not '%s'\n", argv[i]);
				return -1;
			}
			o.calls = (uint32_t)v;
		} else if (!strcmp(argv[i], "--curve") && i + 1 < argc) {
			if (parse_int(argv[++i], &v) || v <= 0) {
				bf_printf("run: --curve wants a positive number, not '%s'\n", argv[i]);
				return -1;
			}
			o.curve = (uint32_t)v;
		} else if (!strcmp(argv[i], "--timeout") && i + 1 < argc) {
			if (parse_int(argv[++i], &v) || v <= 0 || v > 86400) {
				bf_printf("run: --timeout wants seconds (1..86400), not '%s'\n", argv[i]);
				return -1;
			}
			o.timeout_ms = (uint32_t)v * 1000;
		} else if (!strcmp(argv[i], "--mem") && i + 1 < argc) {
			if (parse_int(argv[++i], &v) || v < 32) {
				bf_printf("run: --mem wants pages (at least 32), not '%s'\n", argv[i]);
				return -1;
			}
			o.mem_pages = (uint32_t)v;
		} else if (!strcmp(argv[i], "--embedded")) {
			o.from_embedded = 1;
		} else if (!name) {
			name = argv[i];
		} else if (!o.have_arg && parse_int(argv[i], &o.arg) == 0) {
			o.have_arg = 1;
		} else {
			bf_printf("run: unexpected '%s' (usage: %s)\n", argv[i], RUN_USAGE);
			return -1;
		}
	}
	if (!name) {
		bf_printf("run: usage: %s\n", RUN_USAGE);
		return -1;
	}
	struct run_result res;
	return modrun(name, &o, &res);
}

static void print_dirent(void *ctx, const struct fs_dirent *d)
{
	(void)ctx;
	size_t n = strlen(d->sfn);
	if (n > 4 && !strcmp(d->sfn + n - 4, ".LLB"))
		bf_printf("  %-12s %6u bytes (disk)\n", d->sfn, d->size);
}

int cmd_modules(int argc, char **argv)
{
	(void)argc; (void)argv;
	bf_printf("embedded in the jit server:\n");
	for (uint32_t i = 0;; i++) {
		const char *n = modrun_embedded_name(i);
		if (!n)
			break;
		int32_t arg = 0, want = 0;
		for (unsigned k = 0; k < expected_count; k++)
			if (!strcmp(expected_results[k].name, n)) {
				arg = expected_results[k].arg;
				want = expected_results[k].result;
			}
		bf_printf("  %-8s default arg %d, expected result %d\n", n, arg, want);
	}
	bf_printf("on the disk:\n");
	int r;
	struct fsc *c = initfs(&r);
	if (c)
		r = fsc_listdir(c, "/", print_dirent, 0);
	if (r < 0)
		bf_printf("  (disk not readable: %s)\n", initfs_strerror(r));
	return 0;
}

int cmd_jit(int argc, char **argv)
{
	(void)argc; (void)argv;
	int r = jitc_print(&jit_server);
	if (r < 0)
		bf_printf("jit: the jit server is not available (%d)\n", r);
	return r;
}

/* tier MODULE FUNCTION N: recompile the function at tier N in the loaded
 * module and pin it there for the module's next runs. */
int cmd_tier(int argc, char **argv)
{
	int32_t tier;
	if (argc != 4 || parse_int(argv[3], &tier) || tier < 0 || tier > 3) {
		bf_printf("tier: usage: tier MODULE FUNCTION N (N = 0..3)\n");
		return -1;
	}
	int h = modrun_handle(argv[1]);
	if (h < 0) {
		bf_printf("tier: module '%s' is not loaded (run it first)\n", argv[1]);
		return -1;
	}
	struct jit_tiered out;
	int f = jitc_func(&jit_server, h, argv[2]);
	if (f < 0) {
		bf_printf("tier: %s has no function '%s'\n", argv[1], argv[2]);
		return -1;
	}
	int r = jitc_tier(&jit_server, h, (uint32_t)f, tier, &out);
	if (r >= 0)
		bf_printf("tier: %s.%s recompiled at tier %d: %u bytes at %08x in %u cycles\n",
			  argv[1], argv[2], tier, out.bytes, out.addr, out.cycles);
	else if (r != JIT_EINSTALL)
		bf_printf("tier: %s.%s at tier %d failed (%d)\n", argv[1], argv[2], tier, r);
	if (modrun_pin(argv[1], argv[2], tier) < 0) {
		bf_printf("tier: too many pinned functions\n");
		return -1;
	}
	bf_printf("tier: %s.%s will start at tier %d in the next runs\n", argv[1], argv[2], tier);
	return 0;
}

int cmd_prof(int argc, char **argv)
{
	if (argc == 1) {
		int r = profc_print(&prof_server);
		if (r < 0)
			bf_printf("prof: the profiler is not available (%d)\n", r);
		return r;
	}
	if (argc == 2 && !strcmp(argv[1], "reset")) {
		int r = profc_reset(&prof_server);
		bf_printf(r < 0 ? "prof: the profiler is not available\n" : "prof: reset\n");
		return r;
	}
	if (argc == 5 && !strcmp(argv[1], "thresholds")) {
		char spec[48];
		bf_snprintf(spec, sizeof spec, "%s,%s,%s", argv[2], argv[3], argv[4]);
		if (modrun_set_thresholds(spec) < 0) {
			bf_printf("prof: thresholds must be three increasing positive numbers\n");
			return -1;
		}
		bf_printf("prof: modules started from now tier up at %u/%u/%u calls\n",
			  tier_thresholds[0], tier_thresholds[1], tier_thresholds[2]);
		return 0;
	}
	bf_printf("prof: usage: prof | prof reset | prof thresholds A B C\n");
	return -1;
}
