/* See modrun.h.  A module's life as init drives it:
 *   task  = empty task (SYS_TASK_CREATE), with a send right to the
 *           profiler's notification in its slot 0;
 *   jit   = JIT_NEW (hands over the task with the COMPILE right only),
 *           JIT_THRESHOLDS, JIT_LOAD with the file's pages from the fs
 *           server, or JIT_LOAD_EMBEDDED with the reason printed;
 *   start = entry and argument from the jit's reply, then wait for the
 *           task's death report: its exit status is the module's result. */
#include <string.h>
#include "lib/fmt.h"
#include "servers/init/init.h"
#include "servers/init/modrun.h"
#include "servers/init/initfs.h"
#include "servers/fs/fat.h"
#include "servers/jit/server/jit_client.h"
#include "servers/profiler/prof_client.h"

uint32_t tier_thresholds[3] = { 100, 1000, 10000 };
static int prof_notify = -1;	/* init's cap to the profiler's notification */

/* The last run of each module stays loaded in the jit server (the
 * shell's `jit` and `prof` show it) until the module runs again or this
 * table is full.  Fewer than the server's slots: the remembered runs
 * never take the slot a new run or a concurrent one needs (with as many
 * as the server had, the 17th distinct module found none). */
#define MAX_RUNS (JIT_MODULE_SLOTS - 4)
static struct { char name[16]; int handle; uint32_t when; } runs[MAX_RUNS];
static uint32_t run_clock;	/* remember() stamps; the oldest run goes first */

/* The notification modules signal; the profiler waits on it.  Made once,
 * kept by init so a restarted profiler gets the same one. */
int modrun_profiler_notify(void)
{
	if (prof_notify < 0)
		prof_notify = bf_notify_create();
	return prof_notify;
}

const char *modrun_embedded_name(uint32_t i)
{
	static char name[9];
	return jitc_embedded(&jit_server, i, name, 0) < 0 ? 0 : name;
}

int modrun_handle(const char *name)
{
	for (int i = 0; i < MAX_RUNS; i++)
		if (runs[i].name[0] && !strcmp(runs[i].name, name))
			return runs[i].handle;
	return -1;
}

static void forget(int handle)
{
	for (int i = 0; i < MAX_RUNS; i++)
		if (runs[i].name[0] && runs[i].handle == handle)
			memset(&runs[i], 0, sizeof runs[i]);
	jitc_unload(&jit_server, handle);
}

/* `tier MODULE FN N` pins a function's tier for the module's next run. */
#define MAX_PINS 16
static struct { char module[16], func[32]; int tier; } pins[MAX_PINS];

int modrun_pin(const char *module, const char *func, int tier)
{
	int slot = -1;
	for (int i = 0; i < MAX_PINS; i++)
		if ((pins[i].module[0] && !strcmp(pins[i].module, module) && !strcmp(pins[i].func, func)) ||
		    (slot < 0 && !pins[i].module[0]))
			slot = i;
	if (slot < 0 || strlen(module) >= sizeof pins[0].module || strlen(func) >= sizeof pins[0].func)
		return -1;
	memcpy(pins[slot].module, module, strlen(module) + 1);
	memcpy(pins[slot].func, func, strlen(func) + 1);
	pins[slot].tier = tier;
	return 0;
}

/* Apply the pins for `name` to a freshly loaded module. */
static int apply_pins(const char *name, int handle)
{
	for (int i = 0; i < MAX_PINS; i++) {
		if (!pins[i].module[0] || strcmp(pins[i].module, name))
			continue;
		int f = jitc_func(&jit_server, handle, pins[i].func);
		int r = f < 0 ? f : jitc_tier(&jit_server, handle, (uint32_t)f, pins[i].tier, 0);
		if (r < 0) {
			bf_printf("run: %s: cannot put %s at tier %d (%d)\n", name, pins[i].func,
				  pins[i].tier, r);
			return r;
		}
		bf_printf("run: %s: %s starts at tier %d (pinned with `tier`)\n", name,
			  pins[i].func, pins[i].tier);
	}
	return 0;
}

static void remember(const char *name, int handle)
{
	int slot = -1;
	for (int i = 0; i < MAX_RUNS; i++)
		if (runs[i].name[0] && !strcmp(runs[i].name, name))
			slot = i;
	if (slot >= 0) {	/* the previous run of it gives its slot back */
		jitc_unload(&jit_server, runs[slot].handle);
	} else {
		for (int i = 0; i < MAX_RUNS && slot < 0; i++)
			if (!runs[i].name[0])
				slot = i;
		if (slot < 0) {	/* full: the least recently run gives its slot */
			slot = 0;
			for (int i = 1; i < MAX_RUNS; i++)
				if (runs[i].when < runs[slot].when)
					slot = i;
			jitc_unload(&jit_server, runs[slot].handle);
		}
	}
	memset(runs[slot].name, 0, sizeof runs[slot].name);
	memcpy(runs[slot].name, name, strnlen(name, sizeof runs[slot].name - 1));
	runs[slot].handle = handle;
	runs[slot].when = ++run_clock;
}

void modrun_forget_all(void)
{
	memset(runs, 0, sizeof runs);
}

static void upper_83(const char *name, char *out)
{
	int n = 0;
	for (; name[n] && n < 8; n++)
		out[n] = name[n] >= 'a' && name[n] <= 'z' ? name[n] - 32 : name[n];
	memcpy(out + n, ".LLB", 5);
}

/* Read NAME.LLB from the disk and hand its pages to the jit server.
 * Returns 0, or an error with *why describing it. */
static int load_from_disk(int handle, const char *name, struct jit_loaded *out, char *why, int whylen)
{
	char path[16];
	upper_83(name, path);
	uint32_t size = 0;
	int fh;
	struct fsc *c = initfs(&fh);
	if (c)
		fh = fsc_open(c, path, FAT_O_READ, &size);
	if (fh < 0) {
		bf_snprintf(why, (size_t)whylen, "%s: %s", path, initfs_strerror(fh));
		return fh;
	}
	if (size > FS_GRANT_MAX_PAGES * PAGE_SIZE) {
		fsc_close(c, fh);
		bf_snprintf(why, (size_t)whylen, "%s is %u bytes: a module file may have at most %u",
			    path, size, FS_GRANT_MAX_PAGES * PAGE_SIZE);
		return E_INVAL;
	}
	uint32_t va = 0, pages = 0;
	int32_t n = fsc_read_grant(c, fh, size, &va, &pages);
	fsc_close(c, fh);
	if (n < 0 || (uint32_t)n != size || !pages) {
		bf_snprintf(why, (size_t)whylen, "%s: read failed: %s", path,
			    n < 0 ? initfs_strerror(n) : "short read");
		if (pages)
			bf_unmap(va, pages);
		return n < 0 ? n : E_INVAL;
	}
	int r = jitc_load(&jit_server, handle, va, pages, size, out);
	if (r < 0) {
		bf_snprintf(why, (size_t)whylen, "%s: the jit server refused it (%d)", path, r);
		if (bf_ipc_failed(r))
			bf_unmap(va, pages);	/* they never left */
		return r;
	}
	return 0;
}

static int load_embedded(int handle, const char *name, struct jit_loaded *out)
{
	for (uint32_t i = 0;; i++) {
		const char *e = modrun_embedded_name(i);
		if (!e)
			return JIT_ENOENT;
		if (!strncmp(e, name, 8) && strlen(name) <= 8 && !strcmp(e, name))
			return jitc_load_embedded(&jit_server, handle, i, out);
	}
}

static const struct expected *expected_for(const char *name)
{
	for (unsigned i = 0; i < expected_count; i++)
		if (!strcmp(expected_results[i].name, name))
			return &expected_results[i];
	return 0;
}

/* Console input while a module runs goes to the shell's typed-ahead
 * queue, in order; a Ctrl-C in it (typed after the run's line, before or
 * during the run) is for us: it is taken out and stops the module.  When
 * the queue is full we stop reading; the kernel then holds the rest back
 * (and a Ctrl-C behind it waits for the module's deadline). */
static int read_for_interrupt(void)
{
	char buf[64];
	int n, room;
	while ((room = shell_ahead_room()) > 0 &&
	       (n = bf_read(buf, (uint32_t)(room < (int)sizeof buf ? room : (int)sizeof buf), 1)) > 0)
		shell_take_ahead(buf, n);
	return shell_take_interrupt();
}

/* Wait for task `id` (capability `task`) to die; other deaths are
 * handled as usual.  Never without a bound: at the deadline, or on
 * Ctrl-C at the console, the task is killed with that cause, and its
 * death report (with the frames it gave back) ends the wait. */
static void await(uint32_t id, int task, uint32_t timeout_ms, struct bf_death *out)
{
	int deadline = bf_time() + (int)(timeout_ms / 10) + 1, killed = 0;
	for (;;) {
		struct bf_death d;
		int found = 0;
		while (bf_reap(&d) == 0) {
			if (d.task_id == id) {
				*out = d;
				found = 1;
			} else {
				handle_death(&d);
			}
		}
		if (found)
			return;
		int left = deadline - bf_time(), cause = 0;
		if (!killed && read_for_interrupt())
			cause = DEATH_INTERRUPTED;
		else if (!killed && left <= 0)
			cause = DEATH_DEADLINE;
		if (cause) {
			bf_task_kill_cause((uint32_t)task, (uint32_t)cause);
			killed = 1;	/* the report follows at once */
			continue;
		}
		/* sleep until a death, input, the deadline or a server's restart */
		uint32_t restart_ms = restarts_due();
		uint32_t ms = killed ? 0 : (uint32_t)left * 10;
		if (restart_ms && (!ms || restart_ms < ms))
			ms = restart_ms;
		ms ? bf_wait_timeout(INIT_SLOT_DEATHS, ms) : bf_wait(INIT_SLOT_DEATHS);
	}
}

int modrun_start(const char *name, const struct run_opts *o, struct run_result *res,
		 struct modrun_job *job)
{
	memset(res, 0, sizeof *res);
	res->handle = -1;
	const struct expected *exp = expected_for(name);
	int32_t arg = o->have_arg ? o->arg : exp ? exp->arg : 0;
	int pn = modrun_profiler_notify();
	int task = bf_task_create(name, MODULE_PRIO, o->budget_ms ? o->budget_ms : 120000, o->mem_pages);
	if (task < 0) {
		bf_printf("run: cannot create a task for %s: %s\n", name, bf_strerror(task));
		return task;
	}
	struct bf_task_info info;
	bf_task_info_cap((uint32_t)task, &info);
	int r = bf_cap_copy((uint32_t)task, (uint32_t)pn, 0, RIGHT_SEND);	/* its slot 0 */
	/* give the jit server the task, without the right to start or kill it */
	int handle = r < 0 ? r : jitc_new(&jit_server, (uint32_t)task, arg, o->calls, o->curve);
	if (handle < 0) {
		if (handle == JIT_ENOSPC)
			bf_printf("run: %s: the jit server has all its %d module slots in use\n", name,
				  JIT_MODULE_SLOTS);
		else
			bf_printf("run: %s: the jit server is not available (%d)\n", name, handle);
		bf_task_kill((uint32_t)task);
		bf_cap_delete((uint32_t)task);
		return handle;
	}
	remember(name, handle);
	res->handle = handle;
	jitc_thresholds(&jit_server, handle, tier_thresholds);
	struct jit_loaded out;
	char why[160] = "";
	r = o->from_embedded ? -1 : load_from_disk(handle, name, &out, why, sizeof why);
	if (r == 0) {
		res->from_disk = 1;
	} else {
		if (!o->from_embedded)
			bf_printf("run: %s; using the embedded copy\n", why);
		r = load_embedded(handle, name, &out);
	}
	if (r < 0) {
		bf_printf("run: %s: cannot load (%d)%s\n", name, r,
			  r == JIT_ENOENT ? ": no such module" : "; see the jit server's message");
		bf_task_kill((uint32_t)task);
		bf_cap_delete((uint32_t)task);
		forget(handle);
		res->handle = -1;
		return r;
	}
	if ((r = apply_pins(name, handle)) < 0) {
		bf_task_kill((uint32_t)task);
		bf_cap_delete((uint32_t)task);
		return r;
	}
	if (o->force_tier > 0 &&
	    (r = jitc_tier_all(&jit_server, handle, o->force_tier)) < 0) {
		bf_printf("run: %s: recompiling at tier %d failed (%d)\n", name, o->force_tier, r);
		bf_task_kill((uint32_t)task);
		bf_cap_delete((uint32_t)task);
		return r;
	}
	if (o->cpu > 0 && (r = bf_task_affinity((uint32_t)task, (uint32_t)(o->cpu - 1), AFFINITY_PIN)) < 0) {
		bf_printf("run: %s: no CPU %d: %s\n", name, o->cpu - 1, bf_strerror(r));
		bf_task_kill((uint32_t)task);
		bf_cap_delete((uint32_t)task);
		return r;
	}
	if ((r = bf_task_set_entry((uint32_t)task, out.eip, out.arg)) < 0 ||
	    (!o->hold && (r = bf_task_start((uint32_t)task)) < 0)) {
		bf_printf("run: %s: cannot start: %s\n", name, bf_strerror(r));
		bf_task_kill((uint32_t)task);
		bf_cap_delete((uint32_t)task);
		return r;
	}
	if (o->kill_server) {
		struct child *victim = child_by_name(o->kill_server);
		if (victim && victim->cap >= 0) {
			bf_printf("run: killing the %s server while %s runs\n", o->kill_server, name);
			bf_task_kill((uint32_t)victim->cap);
		}
	}
	job->id = info.id;
	job->task = task;
	job->name = name;
	job->arg = arg;
	job->calls = o->calls;
	job->quiet = o->quiet;
	job->timeout = o->timeout_ms ? o->timeout_ms : MODRUN_TIMEOUT_MS;
	return 0;
}

int modrun(const char *name, const struct run_opts *o, struct run_result *res)
{
	struct modrun_job job;
	int r = modrun_start(name, o, res, &job);
	if (r < 0)
		return r;
	struct bf_death d = { 0 };
	await(job.id, job.task, job.timeout, &d);
	return modrun_ended(&job, &d, res);
}

int modrun_ended(const struct modrun_job *job, const struct bf_death *dp, struct run_result *res)
{
	const struct bf_death d = *dp;
	const char *name = job->name;
	int32_t arg = job->arg;
	uint32_t timeout = job->timeout;
	const struct expected *exp = expected_for(name);
	struct { int quiet; uint32_t calls; } opts = { job->quiet, job->calls }, *o = &opts;
	bf_cap_delete((uint32_t)job->task);
	res->cause = d.cause;
	res->result = (int32_t)d.status;
	res->frames_released = d.frames_released;
	if (d.cause == DEATH_DEADLINE) {
		bf_printf("run %s: killed at its deadline: still running after %u.%u s "
			  "(run ... --timeout S for more); %u frames given back\n", name,
			  timeout / 1000, timeout % 1000 / 100, d.frames_released);
		return -1;
	}
	if (d.cause == DEATH_INTERRUPTED) {
		bf_printf("run %s: interrupted (Ctrl-C); %u frames given back\n", name, d.frames_released);
		return -1;
	}
	if (d.cause != DEATH_EXIT) {
		bf_printf("run %s: killed: %s (eip %08x, cr2 %08x)\n", name,
			  abi_death_cause(d.cause), d.eip, d.cr2);
		return -1;
	}
	int checked = exp && arg == exp->arg;
	res->ok = !checked || exp->result == res->result;
	if (!o->quiet || !res->ok) {
		if (checked)
			bf_printf("run %s(%d) x%u from %s: %d, expected %d: %s\n", name, arg, o->calls,
				  res->from_disk ? "disk" : "embedded copy", res->result, exp->result,
				  res->ok ? "ok" : "WRONG");
		else
			bf_printf("run %s(%d) x%u from %s: %d\n", name, arg, o->calls,
				  res->from_disk ? "disk" : "embedded copy", res->result);
	}
	return res->ok ? 0 : -1;
}

/* Before the prompt: every module from the disk, with low thresholds so
 * that its hot functions reach the top tier in a short run. */
void modrun_demo(void)
{
	uint32_t saved[3];
	memcpy(saved, tier_thresholds, sizeof saved);
	tier_thresholds[0] = 5;
	tier_thresholds[1] = 20;
	tier_thresholds[2] = 60;
	bf_printf("demo: every module from the disk, tiers at %u/%u/%u calls\n",
		  tier_thresholds[0], tier_thresholds[1], tier_thresholds[2]);
	int good = 0;
	for (unsigned i = 0; i < expected_count; i++) {
		struct run_opts o = { .calls = 100 };
		struct run_result res;
		if (modrun(expected_results[i].name, &o, &res) == 0 && res.ok)
			good++;
	}
	profc_print(&prof_server);
	bf_printf("demo: %d of %u modules correct\n", good, expected_count);
	memcpy(tier_thresholds, saved, sizeof saved);
}

int modrun_set_thresholds(const char *spec)
{
	uint32_t v[3] = { 0, 0, 0 };
	int k = 0, digits = 0;
	for (const char *p = spec;; p++) {
		if (*p >= '0' && *p <= '9') {
			if (k >= 3 || v[k] > 100000000u)
				return -1;
			v[k] = v[k] * 10 + (uint32_t)(*p - '0');
			digits = 1;
		} else if (*p == ',' || *p == ' ' || *p == 0) {
			if (digits)
				k++;
			digits = 0;
			if (!*p)
				break;
		} else {
			return -1;
		}
	}
	if (k != 3 || v[0] == 0 || v[0] >= v[1] || v[1] >= v[2])
		return -1;
	memcpy(tier_thresholds, v, sizeof v);
	return 0;
}
