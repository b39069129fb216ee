/* The C side of the user syscall library. */
#include <stdarg.h>
#include <string.h>
#include "lib/fmt.h"
#include "lib/user/sys.h"

int bf_spawn(const char *name, int prio, uint32_t budget_ms, uint32_t arg)
{
	return bf_sys(SYS_SPAWN, (uint32_t)name, strlen(name), (uint32_t)prio, budget_ms, arg, 0);
}

int bf_task_create(const char *name, int prio, uint32_t budget_ms, uint32_t mem_pages)
{
	return bf_sys(SYS_TASK_CREATE, (uint32_t)name, strlen(name), (uint32_t)prio, budget_ms, mem_pages, 0);
}

int bf_write(const char *buf, uint32_t len) { return bf_sys(SYS_CONSOLE_WRITE, (uint32_t)buf, len, 0, 0, 0, 0); }
int bf_read(char *buf, uint32_t len, int nonblock) { return bf_sys(SYS_CONSOLE_READ, (uint32_t)buf, len, (uint32_t)nonblock, 0, 0, 0); }

void bf_exit(int status)
{
	bf_sys(SYS_EXIT, (uint32_t)status, 0, 0, 0, 0, 0);
	for (;;)
		;
}

int bf_printf(const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	va_start(ap, fmt);
	int n = bf_vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	if (n > (int)sizeof buf - 1)
		n = sizeof buf - 1;
	bf_write(buf, (uint32_t)n);
	return n;
}

const char *bf_strerror(int err)
{
	switch (err) {
	case E_OK: return "ok";
	case E_INVAL: return "invalid argument";
	case E_FAULT: return "bad address";
	case E_NOMEM: return "out of memory";
	case E_PERM: return "permission denied";
	case E_NOENT: return "no such object";
	case E_BADCAP: return "bad capability";
	case E_DEAD: return "partner died";
	case E_WX: return "writable+executable refused";
	case E_AGAIN: return "nothing available";
	case E_NOSYS: return "no such syscall";
	case E_EXIST: return "already exists";
	case E_NOSPC: return "no space";
	case E_BADELF: return "bad ELF image";
	case E_TIMEOUT: return "timed out";
	case E_QUOTA: return "quota exceeded";
	case E_VERIFY: return "refused by the code verifier";
	default: return "unknown error";
	}
}

static int cap_call(void *ctx, struct bf_msg *m)
{
	return bf_call((uint32_t)(uintptr_t)ctx, m);
}

struct bf_conn bf_conn_cap(uint32_t cap)
{
	return bf_conn_cap_timeout(cap, 0);
}

/* ctx is SYS_CALL's first argument as it is: slot and time limit. */
struct bf_conn bf_conn_cap_timeout(uint32_t cap, uint32_t timeout_ms)
{
	if (timeout_ms > CALL_TIMEOUT_MAX)
		timeout_ms = CALL_TIMEOUT_MAX;
	struct bf_conn c = { (void *)(uintptr_t)CALL_CAP(cap, timeout_ms), 0, cap_call };
	return c;
}
