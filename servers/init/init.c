/* init's main loop.  It waits on its one notification: bit 0 means a task
 * died (reap the reports, restart servers), bit 1 means console input
 * (feed the shell).  With "test=NAME" on the kernel command line it runs
 * that integration test instead and powers off with its verdict. */
#include <string.h>
#include "servers/init/init.h"
#include "servers/init/modrun.h"
#include "servers/init/initfs.h"
#include "servers/jit/server/jit_proto.h"

struct child children[MAX_CHILDREN];

/* Servers started at boot if their boot module is present, and the
 * capabilities each needs beyond its own endpoint. */
static const struct {
	const char *name;
	int prio;
	int needs_ata;
} servers[] = {
	{ "fs", 6, 1 },
	/* below init (4): a compile that runs long cannot take the shell's
	 * CPU; before the profiler, which gets a right to call it */
	{ "jit", 3, 0 },
	{ "profiler", 6, 0 },
};

/* The CPU a server prefers: with two or more, the jit server and the
 * profiler keep to CPU 1, so they compile and count while modules (and
 * init, and everything else, CPU 0 by default) run on CPU 0.  A
 * preference, not a pin: an idle CPU 0 still takes them. */
static uint32_t server_cpu(const char *name)
{
	struct bf_cpu_info ci;
	int n = bf_cpu_info(0, &ci, 0);
	if (n < 2)
		return 0;
	return !strcmp(name, "jit") || !strcmp(name, "profiler") ? 1 : 0;
}

/* The table entry for a new child: a dead one of the same name first (a
 * restarted server keeps its endpoint), else an unused or finished one. */
static struct child *slot_for(const char *name)
{
	for (int i = 0; i < MAX_CHILDREN; i++)
		if (!children[i].alive && !strcmp(children[i].name, name))
			return &children[i];
	for (int i = 0; i < MAX_CHILDREN; i++)
		if (!children[i].alive && (!children[i].name[0] || !children[i].restart)) {
			if (children[i].cap >= 0)
				bf_cap_delete((uint32_t)children[i].cap);
			memset(&children[i], 0, sizeof children[i]);
			children[i].cap = children[i].endpoint = -1;
			return &children[i];
		}
	return 0;
}

struct child *child_by_id(uint32_t id)
{
	for (int i = 0; i < MAX_CHILDREN; i++)
		if (children[i].alive && children[i].id == id)
			return &children[i];
	return 0;
}

struct child *child_by_name(const char *name)
{
	for (int i = 0; i < MAX_CHILDREN; i++)
		if (children[i].alive && !strcmp(children[i].name, name))
			return &children[i];
	return 0;
}

/* init's calls to a server never wait without a bound: a server that
 * does not answer within its limit is taken for hung, killed, and
 * restarted (the jit's own compile budget ends any one compile long
 * before its limit). */
struct server_conn {
	const char *name;
	uint32_t timeout_ms;
};

static int child_call(void *ctx, struct bf_msg *m)
{
	const struct server_conn *s = ctx;
	struct child *c = child_by_name(s->name);
	if (!c || c->endpoint < 0)
		return E_NOENT;
	int r = bf_call(CALL_CAP((uint32_t)c->endpoint, s->timeout_ms), m);
	if (r == E_TIMEOUT && c->alive && c->cap >= 0) {
		bf_printf("init: the %s server did not answer in %u s; restarting it\n", s->name,
			  s->timeout_ms / 1000);
		bf_task_kill((uint32_t)c->cap);
		handle_deaths(0);
	}
	return r;
}

static const struct server_conn jit_conn = { "jit", 30000 }, prof_conn = { "profiler", 5000 };
const struct bf_conn jit_server = { (void *)&jit_conn, 0, child_call };
const struct bf_conn prof_server = { (void *)&prof_conn, 0, child_call };

/* Spawn a boot module; servers get their endpoint (receive right) in
 * slot 0 and, for the fs server, the ATA IRQ and ports. */
static int give_server_caps(struct child *c, int needs_ata)
{
	int r;
	if (c->endpoint < 0 && (c->endpoint = bf_endpoint_create()) < 0)
		return c->endpoint;
	if ((r = bf_cap_copy(c->cap, c->endpoint, 0, RIGHT_RECV)) < 0)
		return r;
	if (!strcmp(c->name, "profiler")) {
		/* slot 1: the notification modules signal; slot 2: the jit server */
		struct child *jit = child_by_name("jit");
		int pn = modrun_profiler_notify();
		if (pn < 0 || !jit || jit->endpoint < 0)
			return E_NOENT;
		if ((r = bf_cap_copy(c->cap, (uint32_t)pn, 0, RIGHT_RECV)) < 0 ||
		    (r = bf_cap_copy(c->cap, (uint32_t)jit->endpoint, JIT_BADGE_PROFILER, RIGHT_SEND)) < 0)
			return r;
	}
	if (needs_ata) {
		if ((r = bf_cap_copy(c->cap, INIT_SLOT_IRQ_ATA, 0, RIGHT_ALL)) < 0)
			return r;
		if ((r = bf_ioport_grant(c->cap, INIT_SLOT_IO_ATA)) < 0)
			return r;
		if ((r = bf_ioport_grant(c->cap, INIT_SLOT_IO_ATA2)) < 0)
			return r;
	}
	return 0;
}

struct child *child_start(const char *name, int prio, uint32_t budget_ms,
			  uint32_t arg, int restart, int *err)
{
	struct child *c = slot_for(name);
	if (!c) {
		*err = E_NOSPC;
		return 0;
	}
	int cap = bf_spawn(name, prio, budget_ms, arg);
	if (cap < 0) {
		*err = cap;
		return 0;
	}
	struct bf_task_info info;
	bf_task_info_cap((uint32_t)cap, &info);
	size_t n = strlen(name);
	if (n > sizeof c->name - 1)
		n = sizeof c->name - 1;
	memcpy(c->name, name, n);
	c->name[n] = 0;
	if (c->cap >= 0 && c->cap != cap)
		bf_cap_delete((uint32_t)c->cap);
	c->cap = cap;
	c->id = info.id;
	c->alive = 1;
	c->started_at = bf_time();
	c->restart = restart;
	*err = 0;
	return c;
}

/* A server: a restartable child with its own endpoint (receive right in
 * its slot 0), started at once. */
struct child *server_start(const char *name, int prio, uint32_t arg, int needs_ata, int *err)
{
	struct child *c = child_start(name, prio, 0, arg, 1, err);
	if (!c)
		return 0;
	uint32_t cpu = server_cpu(name);
	if (cpu)
		bf_task_affinity((uint32_t)c->cap, cpu, 0);
	c->prio = prio;
	c->arg = arg;
	c->needs_ata = needs_ata;
	if ((*err = give_server_caps(c, needs_ata)) < 0 ||
	    (*err = bf_task_start((uint32_t)c->cap)) < 0) {
		bf_task_kill((uint32_t)c->cap);
		c->alive = 0;
		return 0;
	}
	/* Started means ready: wait (5 s at most) until it waits for its
	 * first request, so what it sets up is done before anyone calls it
	 * (servers run below or beside init and would otherwise set up later,
	 * in the middle of whatever init does next). */
	struct bf_task_info info;
	for (int waited = 0; waited < 5000; waited += 10) {
		if (bf_task_info_cap((uint32_t)c->cap, &info) < 0 || info.state == TASK_RECV)
			break;
		init_sleep(10);
	}
	return c;
}

void init_sleep(uint32_t ms)
{
	static int nap = -1;	/* a notification nobody signals */
	if (nap < 0)
		nap = bf_notify_create();
	bf_wait_timeout((uint32_t)nap, ms);
}

/* A server that dies is restarted at once the first time; while it keeps
 * dying within a minute of its start, each next restart waits twice as
 * long (100 ms, 200 ms, ... 10 s at most), so a server that always
 * crashes costs little, and one that recovers is back.  init never gives
 * up on a server: the profiler, say, must come back even after a module
 * made it crash many times. */
#define RESTART_STABLE_TICKS (60 * 100)
#define RESTART_MAX_DELAY_TICKS (10 * 100)

static void restart(struct child *c);

static void schedule_restart(struct child *c)
{
	int now = bf_time();
	if (now - c->started_at >= RESTART_STABLE_TICKS)
		c->restarts = 0;	/* it ran well for a while: start over */
	int delay = 0;
	if (c->restarts > 0) {
		delay = 10 << (c->restarts - 1 < 7 ? c->restarts - 1 : 7);
		if (delay > RESTART_MAX_DELAY_TICKS)
			delay = RESTART_MAX_DELAY_TICKS;
	}
	if (delay == 0) {
		restart(c);
		return;
	}
	c->restart_pending = 1;
	c->restart_at = now + delay;
	bf_printf("init: %s died again; restarting it in %d ms\n", c->name, delay * 10);
}

uint32_t restarts_due(void)
{
	int now = bf_time(), next = 0;
	for (int i = 0; i < MAX_CHILDREN; i++) {
		struct child *c = &children[i];
		if (!c->restart_pending || c->alive)
			continue;
		if (now - c->restart_at >= 0) {
			c->restart_pending = 0;
			restart(c);
		} else if (!next || c->restart_at - now < next) {
			next = c->restart_at - now;
		}
	}
	return (uint32_t)next * 10;
}

static void restart(struct child *c)
{
	uint32_t restarts = c->restarts + 1;
	int err;
	char name[16];
	memcpy(name, c->name, sizeof name);
	struct child *n = server_start(name, c->prio, c->arg, c->needs_ata, &err);
	if (n && !strcmp(name, "jit"))
		modrun_forget_all();	/* the new instance knows none of the old handles */
	if (!strcmp(name, "fs"))
		initfs_reset();		/* nor does a new fs server know our session */
	if (n) {
		n->restarts = restarts;
		bf_printf("init: restarted %s (task %u)\n", n->name, n->id);
	} else {
		bf_printf("init: cannot restart %s: %s\n", name, bf_strerror(err));
	}
}

void handle_death(const struct bf_death *d)
{
	struct child *c = child_by_id(d->task_id);
	if (!c)
		return;
	c->alive = 0;
	if (c->cap >= 0) {
		bf_cap_delete((uint32_t)c->cap);
		c->cap = -1;
	}
	if (c->restart)
		schedule_restart(c);
}

int handle_deaths(struct bf_death *last)
{
	struct bf_death d;
	int n = 0;
	while (bf_reap(&d) == 0) {
		n++;
		if (last)
			*last = d;
		handle_death(&d);
	}
	return n;
}

char boot_cmdline[256];

/* The value of key=value on the kernel command line, or 0. */
const char *cmdline_value(const char *cmd, const char *key, char *out, int max)
{
	size_t kl = strlen(key);
	for (const char *p = cmd; *p; p++) {
		if ((p == cmd || p[-1] == ' ') && !strncmp(p, key, kl) && p[kl] == '=') {
			int n = 0;
			for (p += kl + 1; *p && *p != ' ' && n < max - 1; p++)
				out[n++] = *p;
			out[n] = 0;
			return out;
		}
	}
	return 0;
}

int main(void)
{
	for (int i = 0; i < MAX_CHILDREN; i++) {
		children[i].cap = -1;
		children[i].endpoint = -1;
	}
	char *cmd = boot_cmdline, test[32];
	if (bf_bootinfo(cmd, sizeof boot_cmdline) < 0)
		cmd[0] = 0;
	if (cmdline_value(cmd, "thresholds", test, sizeof test) &&
	    modrun_set_thresholds(test) < 0)
		bf_printf("init: bad thresholds=%s (want three increasing numbers A,B,C)\n", test);
	bf_printf("init: starting servers\n");
	for (unsigned i = 0; i < sizeof servers / sizeof servers[0]; i++) {
		int err;
		if (server_start(servers[i].name, servers[i].prio, 0, servers[i].needs_ata, &err))
			bf_printf("init: started %s\n", servers[i].name);
		else if (err != E_NOENT)
			bf_printf("init: cannot start %s: %s\n", servers[i].name, bf_strerror(err));
	}
	if (cmdline_value(cmd, "test", test, sizeof test)) {
		int r = selftest(test);
		bf_printf("selftest %s: %s\n", test, r ? "FAILED" : "passed");
		bf_poweroff(r ? 0x11 : 0x10);
	}
	if (!(cmdline_value(cmd, "demo", test, sizeof test) && !strcmp(test, "0")) &&
	    child_by_name("jit"))
		modrun_demo();
	bf_printf("BareFlow ready. Type 'help' for commands.\n");
	if (cmdline_value(cmd, "tsc", test, sizeof test)) {
		/* under -icount shift=0: guest instructions since reset */
		bf_printf("bench: boot_to_prompt %llu\n", (unsigned long long)bf_rdtsc());
	}
	shell_prompt();
	/* Input is read without blocking before every wait: a command that
	 * waited for a module (run) may have swallowed the input signal. */
	while (!shell_quit) {
		char buf[128];
		int n;
		/* queued input first (after a command line, or read while a
		 * module ran), then what the kernel holds */
		if (shell_feed_typed_ahead())
			continue;
		if ((n = bf_read(buf, sizeof buf, 1)) > 0) {
			shell_feed(buf, n);
			continue;
		}
		handle_deaths(0);
		uint32_t next = restarts_due();
		if (!shell_quit)
			next ? bf_wait_timeout(INIT_SLOT_DEATHS, next) : bf_wait(INIT_SLOT_DEATHS);
	}
	bf_poweroff(0);
	return 0;
}
