/* Running modules: load (disk first, embedded copy as fallback), compile
 * through the jit server, start, wait, check the result. */
#ifndef INIT_MODRUN_H
#define INIT_MODRUN_H
#include <stdint.h>

struct expected {
	const char *name;
	int32_t arg, result;
};
extern const struct expected expected_results[];	/* generated at build */
extern const unsigned expected_count;

struct run_opts {
	int32_t arg;
	int have_arg;
	uint32_t calls;
	uint32_t curve;		/* calls per point of the cycles curve, 0 = none */
	int quiet;
	int from_embedded;	/* skip the disk */
	int force_tier;		/* > 0: recompile everything at this tier first */
	const char *kill_server;	/* kill this server right after the start */
	uint32_t budget_ms;	/* CPU budget, 0 = the default (120 s) */
	uint32_t timeout_ms;	/* wall-clock deadline, 0 = MODRUN_TIMEOUT_MS */
	uint32_t mem_pages;	/* memory limit, 0 = the kernel's default */
	int cpu;		/* > 0: pinned to CPU cpu - 1 */
	int hold;		/* modrun_start: ready, not started (bf_task_start job.task) */
};

/* A module that has not ended this long after its start is killed
 * (DEATH_DEADLINE): a module blocked for good uses no CPU, so its CPU
 * budget alone would never end it.  `run ... --timeout S` changes it. */
#define MODRUN_TIMEOUT_MS 10000

/* Modules run below everything else: init (4) and the jit server (3)
 * preempt them, so a tier-up compiles at once and the shell stays live. */
#define MODULE_PRIO 2

struct run_result {
	int ok;			/* ran to the end with the expected result */
	int handle;		/* jit handle (the module stays loaded) */
	int32_t result;
	uint32_t cause;		/* DEATH_* */
	uint32_t frames_released;	/* by its death */
	int from_disk;
};

extern uint32_t tier_thresholds[3];
int  modrun_profiler_notify(void);	/* the notification modules signal */
int  modrun(const char *name, const struct run_opts *o, struct run_result *res);
/* modrun in two halves, for modules that run at once: start it, then,
 * given its death report (the caller reaps), check how it ended. */
struct bf_death;
struct modrun_job {
	uint32_t id;		/* its task id (death reports) */
	int task;		/* init's capability */
	const char *name;
	int32_t arg;
	uint32_t calls, timeout;
	int quiet;
};
int  modrun_start(const char *name, const struct run_opts *o, struct run_result *res,
		  struct modrun_job *job);
int  modrun_ended(const struct modrun_job *job, const struct bf_death *d, struct run_result *res);
int  modrun_handle(const char *name);	/* jit handle of the last run of NAME */
void modrun_demo(void);
void modrun_forget_all(void);
int  modrun_pin(const char *module, const char *func, int tier);	/* for the next run */	/* the jit server restarted: its handles are gone */
int  modrun_set_thresholds(const char *spec);	/* "A,B,C" or "A B C" */
const char *modrun_embedded_name(uint32_t i);
#endif
