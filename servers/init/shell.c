/* The serial shell.  Input arrives in pieces (shell_feed); complete lines
 * run as commands.  Every command answers in one line at least; an unknown
 * command or a bad argument gets a one-line error.
 *
 * Lines are bytes, UTF-8 passes through; "double" or 'single' quotes make
 * one argument of text with spaces, and a backslash takes the next
 * character as it is.  A line longer than SHELL_LINE_MAX - 1 bytes is
 * refused whole with a message (never cut, never run in part); Ctrl-C
 * drops the line being typed. */
#include <string.h>
#include "servers/init/init.h"
#include "servers/init/initfs.h"
#include "lib/fmt.h"

int shell_quit;
static char line[SHELL_LINE_MAX];
static int len, last_cr, overflow;

void shell_prompt(void) { bf_printf("bareflow> "); }

/* A decimal number that fits 32 bits: 0, or -1 when s is anything else. */
int parse_uint(const char *s, uint32_t *out)
{
	uint32_t v = 0;
	if (!*s)
		return -1;
	for (; *s; s++) {
		if (*s < '0' || *s > '9' || v > 429496728u)
			return -1;
		v = v * 10 + (uint32_t)(*s - '0');
	}
	*out = v;
	return 0;
}

static const char *state_name(uint32_t s)
{
	static const char *n[] = { "free", "new", "ready", "send", "recv", "reply",
				   "wait", "input", "zombie" };
	return s < sizeof n / sizeof n[0] ? n[s] : "?";
}

static int cmd_help(int argc, char **argv);

static int cmd_ps(int argc, char **argv)
{
	(void)argc; (void)argv;
	bf_printf("  ID NAME             STATE PRIO CPU HOME PAGES  TICKS BUDGET\n");
	for (uint32_t i = 1; i < 64; i++) {
		struct bf_task_info t;
		if (bf_task_info(i, &t) < 0 || t.state == 0)
			continue;
		char cpu[4] = "  -";
		if (t.cpu != CPU_NONE)
			bf_snprintf(cpu, sizeof cpu, "%3u", t.cpu);
		bf_printf("%4u %-16s %-5s %4u %s %3u%c %5u %6u %6u\n", t.id, t.name, state_name(t.state),
			  t.prio, cpu, t.home, t.pinned ? '!' : ' ', t.frames, t.ticks, t.budget);
	}
	return 0;
}

/* Each CPU: what runs there, its load over the last second, the tasks
 * waiting for it, the IPIs it took, and how it held the big kernel lock
 * (cycles: rdtsc's, guest instructions under -icount). */
static int cmd_cpus(int argc, char **argv)
{
	(void)argc; (void)argv;
	struct bf_cpu_info c;
	int n = bf_cpu_info(0, &c, 0);
	if (n < 0)
		return -1;
	bf_printf("CPU APIC LOAD RUNNING          QUEUED   IPIS  LOCK-HOLDS MEAN-HOLD  MAX-HOLD  WAITED\n");
	for (int i = 0; i < n; i++) {
		if (bf_cpu_info((uint32_t)i, &c, 0) < 0)
			continue;
		uint32_t mean = c.lock_count ? (uint32_t)(c.lock_cycles / c.lock_count) : 0;
		bf_printf("%3d %4u %3u%% %-16s %6u %6u %11u %9u %9u %7u\n", i, c.apic_id, c.load_pct,
			  c.task_id ? c.task : "(idle)", c.queued, c.ipis, c.lock_count, mean,
			  c.lock_max, c.lock_waits);
	}
	return 0;
}

static int cmd_mem(int argc, char **argv)
{
	(void)argc; (void)argv;
	struct bf_mem_info m;
	if (bf_mem_info(&m) < 0)
		return -1;
	bf_printf("frames: %u used, %u free, %u total (%u KiB pages; %u KiB free)\n",
		  m.frames_used, m.frames_free, m.frames_total, m.page_size / 1024,
		  m.frames_free * (m.page_size / 1024));
	return 0;
}

static int cmd_kill(int argc, char **argv)
{
	if (argc != 2) {
		bf_printf("kill: usage: kill ID|NAME\n");
		return -1;
	}
	uint32_t id;
	struct child *c = parse_uint(argv[1], &id) == 0 ? child_by_id(id) : child_by_name(argv[1]);
	if (!c || c->cap < 0) {
		bf_printf("kill: no task '%s' started by init\n", argv[1]);
		return -1;
	}
	int r = bf_task_kill((uint32_t)c->cap);
	if (r < 0) {
		bf_printf("kill: %s\n", bf_strerror(r));
		return -1;
	}
	bf_printf("killed %s (task %u)\n", c->name, c->id);
	handle_deaths(0);
	return 0;
}

static int cmd_audit(int argc, char **argv)
{
	(void)argc; (void)argv;
	struct bf_audit a;
	if (bf_audit(&a) < 0)
		return -1;
	bf_printf("audit: %u address spaces, %u mappings, %u W+X, %u user-visible kernel pages: %s\n",
		  a.spaces, a.entries, a.wx_violations, a.user_kernel,
		  a.wx_violations || a.user_kernel ? "VIOLATION" : "clean");
	if (a.wx_violations || a.user_kernel)
		bf_printf("audit: first at %08x in task %u\n", a.first_bad_va, a.first_bad_task);
	return 0;
}

static int cmd_uptime(int argc, char **argv)
{
	(void)argc; (void)argv;
	int t = bf_time();
	bf_printf("up %d.%02d s (%d ticks)\n", t / 100, t % 100, t);
	return 0;
}

/* The disk is synced before the power goes: whatever the fs server still
 * holds (FAT sectors, open files' entries) reaches the disk. */
static int cmd_halt(int argc, char **argv)
{
	(void)argc; (void)argv;
	bf_printf("halting\n");
	int r = initfs_sync();
	if (r < 0)
		bf_printf("halt: the disk could not be synced: %s\n", initfs_strerror(r));
	shell_quit = 1;
	return 0;
}

int cmd_run(int, char **), cmd_modules(int, char **), cmd_jit(int, char **);
int cmd_tier(int, char **), cmd_prof(int, char **), cmd_secure(int, char **);
int cmd_ls(int, char **), cmd_cat(int, char **), cmd_write(int, char **);
int cmd_rm(int, char **), cmd_mkdir(int, char **), cmd_rmdir(int, char **), cmd_df(int, char **);

static const struct {
	const char *name, *help;
	int (*fn)(int, char **);
} commands[] = {
	{ "help", "list commands", cmd_help },
	{ "ps", "list tasks (CPU: where it runs now; HOME: the CPU it prefers, ! pinned)", cmd_ps },
	{ "cpus", "each CPU: running task, load, queue, IPIs, big-lock holds", cmd_cpus },
	{ "mem", "physical frames used and free", cmd_mem },
	{ "kill", "kill ID|NAME: kill a task init started", cmd_kill },
	{ "audit", "check every page table for W+X and exposed kernel pages", cmd_audit },
	{ "uptime", "time since boot", cmd_uptime },
	{ "run", "run MODULE [ARG] [--calls N] [--timeout S] [--mem PAGES] [--embedded]: load, JIT, run, check", cmd_run },
	{ "modules", "modules embedded and on the disk, with expected results", cmd_modules },
	{ "jit", "the code cache: functions, tiers, bytes, compile cycles", cmd_jit },
	{ "tier", "tier MODULE FUNCTION N: recompile a function at a tier", cmd_tier },
	{ "prof", "prof | prof reset | prof thresholds A B C", cmd_prof },
	{ "secure", "secure [on|off NAME|all]: the JIT's defences, for modules started afterwards", cmd_secure },
	{ "ls", "ls [PATH]: list a directory on the disk", cmd_ls },
	{ "cat", "cat FILE: print a file", cmd_cat },
	{ "write", "write FILE TEXT...: create or replace a file", cmd_write },
	{ "rm", "rm FILE: delete a file", cmd_rm },
	{ "mkdir", "mkdir PATH: make a directory", cmd_mkdir },
	{ "rmdir", "rmdir PATH: remove an empty directory", cmd_rmdir },
	{ "df", "disk space", cmd_df },
	{ "halt", "power off", cmd_halt },
};

static int cmd_help(int argc, char **argv)
{
	(void)argc; (void)argv;
	for (unsigned i = 0; i < sizeof commands / sizeof commands[0]; i++)
		bf_printf("  %-8s %s\n", commands[i].name, commands[i].help);
	return 0;
}

/* Split s in place into arguments (quotes and backslashes removed).
 * Returns argc, or -1 with a message. */
int shell_split(char *s, char **argv, int max)
{
	int argc = 0;
	char *out = s;
	for (;;) {
		while (*s == ' ' || *s == '\t')
			s++;
		if (!*s)
			return argc;
		if (argc == max) {
			bf_printf("too many arguments (at most %d)\n", max - 1);
			return -1;
		}
		argv[argc++] = out;
		char quote = 0;
		for (; *s && (quote || (*s != ' ' && *s != '\t')); s++) {
			if (quote && *s == quote) {
				quote = 0;
			} else if (!quote && (*s == '"' || *s == '\'')) {
				quote = *s;
			} else if (*s == '\\' && quote != '\'' && s[1]) {
				*out++ = *++s;
			} else {
				*out++ = *s;
			}
		}
		if (quote) {
			bf_printf("unterminated %c quote\n", quote);
			return -1;
		}
		char *next = *s ? s + 1 : s;
		*out++ = 0;
		s = next;
	}
}

int shell_run_line(char *s)
{
	char *argv[SHELL_MAX_ARGS + 1];
	int argc = shell_split(s, argv, SHELL_MAX_ARGS + 1);
	if (argc <= 0)
		return argc;
	for (unsigned i = 0; i < sizeof commands / sizeof commands[0]; i++)
		if (!strcmp(argv[0], commands[i].name))
			return commands[i].fn(argc, argv);
	bf_printf("unknown command '%s' (try 'help')\n", argv[0]);
	return -1;
}

void shell_feed(const char *buf, int n)
{
	for (int i = 0; i < n && !shell_quit; i++) {
		unsigned char c = (unsigned char)buf[i];
		if (c == '\n' && last_cr) {
			last_cr = 0;
			continue;	/* the LF of a CR LF pair */
		}
		last_cr = c == '\r';
		if (c == '\r' || c == '\n') {
			/* What follows the line waits its turn in the typed-ahead
			 * queue: the command may read input itself (a module's
			 * run reads it to see Ctrl-C), and order must hold. */
			shell_take_ahead(buf + i + 1, n - i - 1);
			bf_printf("\n");
			line[len] = 0;
			if (overflow)
				bf_printf("line too long (%d bytes; at most %d): not run\n", overflow,
					  (int)sizeof line - 1);
			else
				shell_run_line(line);
			len = overflow = 0;
			if (!shell_quit)
				shell_prompt();
			return;
		} else if (c == 0x03) {	/* Ctrl-C */
			shell_interrupt();
		} else if (c == 0x7F || c == 0x08) {
			/* one character: a UTF-8 lead byte and its continuation bytes */
			int k = len;
			while (k > 0 && ((unsigned char)line[k - 1] & 0xC0) == 0x80)
				k--;
			if (k > 0) {
				len = k - 1;
				bf_printf("\b \b");
			}
		} else if (c >= ' ') {
			if (overflow || len == (int)sizeof line - 1) {
				overflow = overflow ? overflow + 1 : len + 1;
				continue;
			}
			line[len++] = (char)c;
			bf_write((const char *)&c, 1);
		}
	}
}

/* Input that arrives while a module runs is read by init (modrun's wait,
 * to see a Ctrl-C) and kept here, in order, for the shell. */
static char ahead[SHELL_LINE_MAX];
static int nahead;

int shell_take_ahead(const char *buf, int n)
{
	int room = (int)sizeof ahead - nahead;
	if (n > room)
		n = room;
	memcpy(ahead + nahead, buf, (size_t)n);
	nahead += n;
	return n;
}

int shell_ahead_room(void) { return (int)sizeof ahead - nahead; }

int shell_take_interrupt(void)
{
	for (int i = 0; i < nahead; i++)
		if (ahead[i] == 0x03) {
			memmove(ahead + i, ahead + i + 1, (size_t)(nahead - i - 1));
			nahead--;
			return 1;
		}
	return 0;
}

/* Feeds what is queued; returns 0 when nothing was. */
int shell_feed_typed_ahead(void)
{
	static char batch[sizeof ahead];
	int n = nahead;
	memcpy(batch, ahead, (size_t)n);
	nahead = 0;
	shell_feed(batch, n);
	return n;
}

/* Ctrl-C at the prompt: the line typed so far is dropped. */
void shell_interrupt(void)
{
	bf_printf("^C\n");
	len = overflow = 0;
	last_cr = 0;
	if (!shell_quit)
		shell_prompt();
}
