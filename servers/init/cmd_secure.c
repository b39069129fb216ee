/* The shell's `secure`: the JIT's defences, each with where it stands, and
 * the switch for the ones that can be switched (docs/secure-jit.md).
 *
 *   secure                  list every defence: on, off or always
 *   secure on|off NAME|all  switch verify (the kernel verifies JIT code and
 *                           the jit server emits the sandboxed form), pin
 *                           (syscalls only from the runtime's gate), random
 *                           (random code placement) or blind (constant
 *                           blinding) for module tasks started afterwards
 *
 * The switch itself is the kernel's (SYS_SECURE, init only); a task keeps
 * the flags it was made with, so a running module is never changed under
 * its feet.  The names are the ones issue 16's `mjit --secure` takes. */
#include <string.h>
#include "servers/init/init.h"

enum { ALWAYS, SWITCH };

static const struct {
	const char *name, *what;
	int kind;
	uint32_t flag;	/* SECURE_* for SWITCH */
} defences[] = {
	{ "jit-task", "the JIT runs in its own unprivileged task", ALWAYS, 0 },
	{ "wx", "no page writable and executable (W^X, NX)", ALWAYS, 0 },
	{ "verify", "the kernel verifies JIT code; the JIT sandboxes it", SWITCH, SECURE_VERIFY },
	{ "pin", "syscalls only from the runtime's gate", SWITCH, SECURE_PIN },
	{ "blind", "constant blinding", SWITCH, SECURE_BLIND },
	{ "random", "random code placement", SWITCH, SECURE_RANDOM },
};
#define NDEF (sizeof defences / sizeof defences[0])

static int list(void)
{
	int sw = bf_secure_get();
	if (sw < 0) {
		bf_printf("secure: the kernel did not answer: %s\n", bf_strerror(sw));
		return 1;
	}
	for (unsigned i = 0; i < NDEF; i++) {
		const char *st = defences[i].kind == ALWAYS ? "always"
			: ((uint32_t)sw & defences[i].flag) ? "on" : "off";
		bf_printf("  %-9s %-9s %s\n", defences[i].name, st, defences[i].what);
	}
	return 0;
}

int cmd_secure(int argc, char **argv)
{
	if (argc == 1)
		return list();
	int on = argc == 3 && !strcmp(argv[1], "on");
	if (argc != 3 || (!on && strcmp(argv[1], "off"))) {
		bf_printf("secure: usage: secure [on|off NAME|all]\n");
		return 1;
	}
	uint32_t mask = 0;
	if (!strcmp(argv[2], "all")) {
		mask = SECURE_SWITCH;
	} else {
		unsigned i = 0;
		while (i < NDEF && strcmp(argv[2], defences[i].name))
			i++;
		if (i == NDEF) {
			bf_printf("secure: no defence '%s' (try 'secure')\n", argv[2]);
			return 1;
		}
		if (defences[i].kind != SWITCH) {
			bf_printf("secure: %s is always on: it cannot be switched\n", argv[2]);
			return 1;
		}
		mask = defences[i].flag;
	}
	int sw = bf_secure_get();
	if (sw < 0 || (sw = bf_secure_set(on ? ((uint32_t)sw | mask) : ((uint32_t)sw & ~mask))) < 0) {
		bf_printf("secure: the kernel refused: %s\n", bf_strerror(sw));
		return 1;
	}
	bf_printf("secure: %s %s for modules started from now on\n", argv[2], on ? "on" : "off");
	return 0;
}
