/* init: the first task.  It starts the servers, holds and hands out the
 * capabilities, restarts servers that die, and runs the serial shell. */
#ifndef INIT_INIT_H
#define INIT_INIT_H
#include <stdint.h>
#include "lib/user/sys.h"

#define MAX_CHILDREN 24

struct child {
	char name[16];
	int cap;		/* task capability slot in init, -1 if none */
	uint32_t id;
	int restart;		/* restart when it dies */
	int alive;
	uint32_t restarts;
	int endpoint;		/* the server's endpoint in init, or -1 */
	int prio, needs_ata;	/* how to start it again */
	uint32_t arg;
	int started_at;		/* bf_time() of its start */
	int restart_at;		/* a restart is due then (if restart_pending) */
	int restart_pending;
};

extern struct child children[MAX_CHILDREN];

/* Connections to the servers init started, for the client libraries: each
 * call finds the server by name (E_NOENT while it is not running), so a
 * restarted one is reached through the same endpoint. */
extern const struct bf_conn jit_server, prof_server;

/* init.c */
struct child *child_start(const char *name, int prio, uint32_t budget_ms,
			  uint32_t arg, int restart, int *err);
struct child *server_start(const char *name, int prio, uint32_t arg, int needs_ata, int *err);
struct child *child_by_id(uint32_t id);
struct child *child_by_name(const char *name);
int  handle_deaths(struct bf_death *last);	/* reaps all; returns count */
void handle_death(const struct bf_death *d);
/* Servers whose back-off has passed are restarted; returns the ms until
 * the next pending restart, or 0 when none is pending. */
uint32_t restarts_due(void);
void init_sleep(uint32_t ms);	/* lets lower-priority tasks run */

/* shell.c */
#define SHELL_LINE_MAX 1024	/* bytes of a command line, with its NUL */
#define SHELL_MAX_ARGS 64
void shell_feed(const char *buf, int n);
void shell_interrupt(void);
int  shell_take_ahead(const char *buf, int n);	/* keeps input for later; returns bytes kept */
int  shell_ahead_room(void);
int  shell_take_interrupt(void);	/* 1 and the first queued Ctrl-C gone, or 0 */
int  shell_feed_typed_ahead(void);
int  shell_split(char *s, char **argv, int max);	/* argc, or -1 (message printed) */
void shell_prompt(void);
int  shell_run_line(char *line);
extern int shell_quit;

/* selftest.c */
int selftest(const char *name);	/* 0 = pass */
extern char boot_cmdline[256];	/* the kernel command line */
const char *cmdline_value(const char *cmd, const char *key, char *out, int max);
int parse_uint(const char *s, uint32_t *out);	/* 0, or -1: not a 32-bit decimal */
#endif
