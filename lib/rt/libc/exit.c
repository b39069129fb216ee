/* exit, _Exit, abort and assert's failure, and getenv: a module ends by SYS_EXIT
 * through the runtime's gate (the one syscall site, gate.asm), as the
 * harness ends it after its last call.  The status is what init reports
 * as the module's result.  There is nothing to flush (printf writes
 * through at once) and no atexit, so exit is _Exit. */
#include <stdio.h>
#include <stdlib.h>
#include "lib/rt/libc/libc.h"
#include "lib/user/sys.h"

#define ABORT_STATUS 134	/* 128 + SIGABRT: what a shell says of an abort */

/* SYS_EXIT does not return in a module task; where it does (the host
 * harness's gate, tests/jit/diff/rt_host_gate.c), the trap ends the call. */
_Noreturn void _Exit(int status)
{
	bf_sys(SYS_EXIT, (uint32_t)status, 0, 0, 0, 0, 0);
	__builtin_trap();
}

_Noreturn void exit(int status)
{
	_Exit(status);
}

_Noreturn void abort(void)
{
	_Exit(ABORT_STATUS);
}

/* assert.h's message, glibc's wording */
_Noreturn void __bf_assert_fail(const char *expr, const char *file, int line, const char *func)
{
	printf("%s:%d: %s: Assertion `%s' failed.\n", file, line, func, expr);
	abort();
}

/* A module has no environment: every variable is unset. */
char *getenv(const char *name)
{
	(void)name;
	return NULL;
}
