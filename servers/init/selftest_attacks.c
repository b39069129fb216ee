/* test=attacks: the attack matrix (issue 16, docs/secure-jit.md).  Every
 * attack of modules/attacks/spray.c runs under several settings of the
 * secure switch (SYS_SECURE: the defences of the module tasks started
 * afterwards); each cell prints what happened -- the attack succeeded, or
 * the containment that stopped it -- and the test asserts the cells that
 * define the defences: with everything off the scan and the spray
 * succeed (so the attacks are real), with the defaults nothing does,
 * the sandbox alone stops the jump and the return into an instruction,
 * pinning alone kills the smuggled syscall.  Attack 4, the compromised
 * jit, is init installing a forbidden instruction (int 0x80) into a module
 * task itself, as a jit taken over would: the verifier refuses the install,
 * without it the instruction runs (pinning still kills it when it traps). */
#include <string.h>
#include "lib/fmt.h"
#include "servers/init/init.h"
#include "servers/init/modrun.h"

static int failures;

static void check(int ok, const char *name, const char *detail)
{
	if (ok) {
		bf_printf("TEST PASS %s\n", name);
	} else {
		failures++;
		bf_printf("TEST FAIL %s: %s\n", name, detail);
	}
}

static int audit_clean(void)
{
	struct bf_audit a;
	return bf_audit(&a) == 0 && a.wx_violations == 0 && a.user_kernel == 0 && a.entries > 0;
}

/* the argument of spray.c for each */
enum { SCAN, SPRAY, SYSCALL, RETURN, JIT, NATTACKS };
static const int attack_arg[NATTACKS] = { 0, 1, 2, 4, -1 };
static const char *const attack_name[NATTACKS] = { "scan", "spray", "spray-syscall", "ret-overwrite",
						   "compromised-jit" };

enum { OK_ABSENT, OK_FOUND, OK_SUCCEEDED, OK_MASKED, OK_SYSCALL, OK_KILLED_SITE, OK_KILLED, OK_FAILED,
       OK_INSTALLED, OK_REFUSED };
static const char *const outcome_name[] = {
	"bytes absent", "attack succeeded: bytes found", "attack succeeded: gadget ran",
	"target masked", "attack succeeded: syscall from module code",
	"task killed: syscall outside the gate", "task killed", "did not run",
	"attack succeeded: forbidden instruction installed and ran", "install refused",
};

/* Attack 4: the bytes a compromised jit installs (mov eax, SYS_EXIT;
 * mov ebx, 99; int 0x80: a raw syscall, forbidden by rule 3), at CODE_VA
 * of a module task made with the switch as it is. */
static const uint8_t evil_code[] = {
	0xB8, SYS_EXIT, 0, 0, 0, 0xBB, 99, 0, 0, 0, 0xCD, 0x80,
};
#define STAGE USER_HEAP_BASE
#define CODE_VA 0x60100000u		/* as servers/init/selftest.h */
int await_death(uint32_t id, struct bf_death *out);	/* selftest_util.c */

static int compromised_jit(void)
{
	int t = bf_task_create("evil-jit", 3, 1000, 0);
	if (t < 0)
		return OK_FAILED;
	bf_map_anon(STAGE, 1, MAP_READ | MAP_WRITE);
	memset((void *)STAGE, 0xCC, PAGE_SIZE);
	memcpy((void *)STAGE, evil_code, sizeof evil_code);
	int r = bf_code_install((uint32_t)t, STAGE, 1, CODE_VA, INSTALL_CODE);
	bf_unmap(STAGE, 1);
	struct bf_task_info info;
	bf_task_info_cap((uint32_t)t, &info);
	if (r == E_VERIFY) {
		/* refused, and the task has nothing executable there */
		int none = bf_task_set_entry((uint32_t)t, CODE_VA, 0) == E_FAULT;
		bf_task_kill((uint32_t)t);
		bf_cap_delete((uint32_t)t);
		struct bf_death d;
		while (bf_reap(&d) == 0)
			;
		return none ? OK_REFUSED : OK_FAILED;
	}
	struct bf_death d = { 0 };
	if (!r)
		r = bf_task_set_entry((uint32_t)t, CODE_VA, 0);
	if (!r)
		r = bf_task_start((uint32_t)t);
	if (!r)
		r = await_death(info.id, &d);
	bf_cap_delete((uint32_t)t);
	if (r)
		return OK_FAILED;
	if (d.cause == DEATH_SYSCALL_SITE)
		return OK_KILLED_SITE;
	return d.cause == DEATH_EXIT && d.status == 99 ? OK_INSTALLED : OK_KILLED;
}

static int cell(uint32_t flags, int attack)
{
	int was = bf_secure_get();
	bf_secure_set(flags);
	if (attack == JIT) {
		int c = compromised_jit();
		bf_secure_set(was < 0 ? 0u : (uint32_t)was);
		return c;
	}
	struct run_opts o = { .arg = attack_arg[attack], .have_arg = 1, .calls = 1, .quiet = 1, .budget_ms = 2000 };
	struct run_result res;
	int r = modrun("spray", &o, &res);
	bf_secure_set(was < 0 ? 0u : (uint32_t)was);
	if (res.cause == DEATH_SYSCALL_SITE)
		return OK_KILLED_SITE;
	if (res.cause && res.cause != DEATH_EXIT)
		return OK_KILLED;
	if (r < -1 || res.cause != DEATH_EXIT)
		return OK_FAILED;
	if (res.result == 0)
		return OK_ABSENT;
	if (attack == SCAN)
		return res.result == 1 ? OK_FOUND : OK_FAILED;
	if (attack == SPRAY || attack == RETURN)
		return res.result == 2 ? OK_SUCCEEDED : res.result == -3 ? OK_FAILED : OK_MASKED;
	return res.result < 0 && res.result > -64 ? OK_SYSCALL : OK_MASKED;
}

int selftest_attacks(void)
{
	static const struct { const char *name; uint32_t flags; } settings[] = {
		{ "none", 0 },
		{ "verify", SECURE_VERIFY },
		{ "pin", SECURE_PIN },
		{ "blind", SECURE_BLIND },
		{ "random", SECURE_RANDOM },
		{ "default", SECURE_SWITCH },
	};
	int m[6][NATTACKS];
	for (unsigned s = 0; s < 6; s++)
		for (int a = 0; a < NATTACKS; a++) {
			m[s][a] = cell(settings[s].flags, a);
			bf_printf("attacks: %-8s %-15s %s\n", settings[s].name, attack_name[a], outcome_name[m[s][a]]);
		}
	char d[96];
	bf_snprintf(d, sizeof d, "scan %s, spray %s", outcome_name[m[0][SCAN]], outcome_name[m[0][SPRAY]]);
	check(m[0][SCAN] == OK_FOUND && m[0][SPRAY] == OK_SUCCEEDED && m[0][SYSCALL] == OK_SYSCALL &&
	      m[0][RETURN] == OK_SUCCEEDED && m[0][JIT] == OK_INSTALLED, "attacks.all_off_attacks_succeed", d);
	int none = 1;
	for (int a = 0; a < JIT; a++)
		none &= m[5][a] == OK_ABSENT;
	none &= m[5][JIT] == OK_REFUSED;
	check(none, "attacks.defaults_stop_every_attack",
	      "a cell with the defaults is not 'bytes absent' (or 'install refused' for the compromised jit)");
	/* attack 4: the verifier alone refuses the install; without it the
	 * forbidden instruction is installed and runs (pinning then kills it) */
	int jit_ok = 1;
	for (unsigned s = 0; s < 6; s++) {
		int want = (settings[s].flags & SECURE_VERIFY) ? OK_REFUSED
			 : (settings[s].flags & SECURE_PIN)  ? OK_KILLED_SITE
							     : OK_INSTALLED;
		jit_ok &= m[s][JIT] == want;
	}
	check(jit_ok, "attacks.verifier_refuses_the_compromised_jit", outcome_name[m[1][JIT]]);
	check(m[1][SPRAY] != OK_SUCCEEDED && m[1][SYSCALL] != OK_SYSCALL && m[1][RETURN] != OK_SUCCEEDED &&
	      m[1][RETURN] != OK_FAILED, "attacks.sandbox_masks_the_jump_and_the_return", outcome_name[m[1][RETURN]]);
	check(m[2][SYSCALL] == OK_KILLED_SITE, "attacks.pin_kills_the_smuggled_syscall", outcome_name[m[2][SYSCALL]]);
	check(m[3][SCAN] == OK_ABSENT && m[3][SPRAY] == OK_ABSENT, "attacks.blinding_hides_the_bytes",
	      outcome_name[m[3][SCAN]]);
	/* random placement: holder's code moves from compile to compile (four
	 * compiles each: 16 places, so four equal ones by chance is 1 in 4096) */
	int32_t at[2][4];
	for (int r = 0; r < 2; r++)
		for (int k = 0; k < 4; k++) {
			int was = bf_secure_get();
			bf_secure_set(r ? SECURE_RANDOM : 0);
			struct run_opts o = { .arg = 3, .have_arg = 1, .calls = 1, .quiet = 1 };
			struct run_result res;
			modrun("spray", &o, &res);
			bf_secure_set(was < 0 ? 0u : (uint32_t)was);
			at[r][k] = res.cause == DEATH_EXIT ? res.result : 0;
		}
	int same_off = at[0][0] != 0, moved = 0;
	for (int k = 1; k < 4; k++) {
		same_off &= at[0][k] == at[0][0];
		moved |= at[1][k] != at[1][0];
	}
	bf_printf("attacks: holder at %x %x %x %x (random off), %x %x %x %x (random on)\n", (uint32_t)at[0][0],
		  (uint32_t)at[0][1], (uint32_t)at[0][2], (uint32_t)at[0][3], (uint32_t)at[1][0],
		  (uint32_t)at[1][1], (uint32_t)at[1][2], (uint32_t)at[1][3]);
	check(same_off && moved && at[1][0], "attacks.random_moves_code",
	      "the code stayed put with random on, or moved without it");
	check(audit_clean(), "attacks.audit_clean", "W+X or exposed kernel page");
	return failures;
}
