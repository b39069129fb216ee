/* What the kernel integration tests share: the verdict lines, waiting for
 * a task's death (keeping the others), spawning utest in a role, the frame
 * count.  See selftest.h. */
#include <string.h>
#include "servers/init/init.h"
#include "servers/init/selftest.h"

int failures;

void check(int ok, const char *name, const char *fmt, long a, long b)
{
	if (ok) {
		bf_printf("TEST PASS %s\n", name);
		return;
	}
	failures++;
	bf_printf("TEST FAIL %s: ", name);
	bf_printf(fmt, a, b);
	bf_printf("\n");
}

/* Deaths that arrive while we wait for a particular one are kept: the
 * newest PENDING of them (a test that never awaits a death it caused must
 * not crowd out the one another test awaits).  A wait is bounded (60 s):
 * a test that waits for a death that never comes fails instead of hanging
 * the boot. */
#define PENDING 16
static struct bf_death pending[PENDING];
static int npending;

static void keep(const struct bf_death *d)
{
	if (npending == PENDING)
		memmove(pending, pending + 1, sizeof pending[0] * --npending);
	pending[npending++] = *d;
}

int await_death(uint32_t id, struct bf_death *out)
{
	int deadline = bf_time() + 6000;
	while (bf_time() - deadline < 0) {
		for (int i = 0; i < npending; i++)
			if (pending[i].task_id == id) {
				*out = pending[i];
				pending[i] = pending[--npending];
				return 0;
			}
		struct bf_death d;
		while (bf_reap(&d) == 0) {
			struct child *c = child_by_id(d.task_id);
			if (c) {
				c->alive = 0;
				if (c->cap >= 0)
					bf_cap_delete((uint32_t)c->cap);
				c->cap = -1;
			}
			keep(&d);
		}
		int found = 0;
		for (int i = 0; i < npending; i++)
			found |= pending[i].task_id == id;
		if (!found)
			bf_wait_timeout(INIT_SLOT_DEATHS, 1000);
	}
	bf_printf("selftest: task %u did not die within 60 s\n", id);
	return -1;
}

struct child *spawn(const char *name, uint32_t role, uint32_t budget_ms)
{
	int err;
	struct child *c = child_start(name, 3, budget_ms, role, 0, &err);
	if (!c)
		bf_printf("selftest: spawn %s: %s\n", name, bf_strerror(err));
	return c;
}

uint32_t frames_used(void)
{
	struct bf_mem_info m;
	bf_mem_info(&m);
	return m.frames_used;
}
