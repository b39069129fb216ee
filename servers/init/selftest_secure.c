/* The secure JIT in the guest (test=secure, tests/qemu/secure.sh), with
 * the verifier and pinned syscalls switched on (SYS_SECURE): init plays
 * a compromised jit server and installs hand-made code into module tasks
 * through SYS_CODE_INSTALL, as the jit would.
 *   - every forbidden class is refused (E_VERIFY) and the module task is
 *     left without that code (nothing executable where it was to go; the
 *     installer keeps its page);
 *   - code in the sandboxed form is accepted and runs: a dispatch call,
 *     a masked return, a masked call into the runtime's gate;
 *   - dispatch entries and entry points only at bundle starts of verified
 *     code; nothing installed over or removed from the runtime;
 *   - pinned syscalls: int 0x80 outside the gate kills the task
 *     (DEATH_SYSCALL_SITE); every syscall number through the gate gets
 *     the module surface (the pinned twin of isolation's every_syscall). */
#include <string.h>
#include "lib/fmt.h"
#include "lib/rt/rt.h"
#include "servers/init/init.h"
#include "servers/init/selftest.h"

#define STAGE USER_HEAP_BASE

/* A task with the switch as it is now, and a page of `code` (then INT3)
 * staged at STAGE in init. */
static int make(const char *name, const uint8_t *code, uint32_t n)
{
	int t = bf_task_create(name, 3, 1000, 0);
	bf_map_anon(STAGE, 1, MAP_READ | MAP_WRITE);
	memset((void *)STAGE, 0xCC, PAGE_SIZE);
	memcpy((void *)STAGE, code, n);
	return t;
}

static int run(int t, uint32_t entry, struct bf_death *d)
{
	struct bf_task_info info;
	bf_task_info_cap((uint32_t)t, &info);
	int r = bf_task_set_entry((uint32_t)t, entry, 0);
	if (!r)
		r = bf_task_start((uint32_t)t);
	if (!r)
		r = await_death(info.id, d);
	bf_cap_delete((uint32_t)t);
	return r;
}

static const struct { const char *name; uint8_t b[8]; uint8_t n; } evil[] = {
	{ "int_0x80", { 0xCD, 0x80 }, 2 }, { "int3_in_code", { 0xCC, 0x40 }, 2 },
	{ "into", { 0xCE }, 1 }, { "syscall", { 0x0F, 0x05 }, 2 }, { "sysenter", { 0x0F, 0x34 }, 2 },
	{ "sysexit", { 0x0F, 0x35 }, 2 }, { "far_jmp", { 0xEA, 0, 0, 0x10, 0x60, 0x1B, 0 }, 7 },
	{ "far_call", { 0x9A, 0, 0, 0x10, 0x60, 0x1B, 0 }, 7 }, { "far_ret", { 0xCB }, 1 },
	{ "iret", { 0xCF }, 1 }, { "in", { 0xE4, 0x60 }, 2 }, { "out", { 0xEE }, 1 },
	{ "insb", { 0x6C }, 1 }, { "outsd", { 0x6F }, 1 }, { "cli", { 0xFA }, 1 },
	{ "sti", { 0xFB }, 1 }, { "hlt", { 0xF4 }, 1 }, { "lgdt", { 0x0F, 0x01, 0x10 }, 3 },
	{ "mov_cr3", { 0x0F, 0x22, 0xD8 }, 3 }, { "mov_dr7", { 0x0F, 0x23, 0xF8 }, 3 },
	{ "wrmsr", { 0x0F, 0x30 }, 2 }, { "rdmsr", { 0x0F, 0x32 }, 2 },
	{ "invlpg", { 0x0F, 0x01, 0x38 }, 3 }, { "lldt", { 0x0F, 0x00, 0xD0 }, 3 },
	{ "ltr", { 0x0F, 0x00, 0xD8 }, 3 }, { "clts", { 0x0F, 0x06 }, 2 },
	{ "mov_ds", { 0x8E, 0xD8 }, 2 }, { "pop_ss", { 0x17 }, 1 }, { "lds", { 0xC5, 0x06 }, 2 },
	{ "lss", { 0x0F, 0xB2, 0x06 }, 3 }, { "unknown_x87", { 0xD9, 0xC0 }, 2 },
	{ "lock_prefix", { 0xF0, 0x01, 0x06 }, 3 }, { "fs_override", { 0x64, 0x8B, 0x00 }, 3 },
	{ "plain_ret", { 0xC3 }, 1 }, { "unmasked_jmp", { 0xFF, 0xE0 }, 2 },
	{ "jmp_through_memory", { 0xFF, 0x20 }, 2 },
	{ "call_mid_bundle", { 0xFF, 0x15, 0x00, 0xF0, 0xFF, 0x5F }, 6 },
	{ "jmp_to_data", { 0xE9 }, 5 },		/* to USER_HEAP_BASE (rel filled in) */
};

static void test_forbidden_classes(void)
{
	int bad = 0;
	for (unsigned i = 0; i < sizeof evil / sizeof evil[0]; i++) {
		char name[64];
		uint8_t code[32];
		memset(code, 0x90, 20);			/* bundle 0: NOPs, then the class */
		memcpy(code + 20, evil[i].b, evil[i].n);
		if (!strcmp(evil[i].name, "jmp_to_data")) {
			uint32_t rel = USER_HEAP_BASE - (CODE_VA + 25);
			memcpy(code + 21, &rel, 4);
		}
		int t = make("evil", code, 20 + evil[i].n);
		int r = bf_code_install((uint32_t)t, STAGE, 1, CODE_VA, INSTALL_CODE);
		bf_snprintf(name, sizeof name, "secure.refused_%s", evil[i].name);
		/* refused; the task has nothing there; the page stayed ours
		 * (writable: the kernel can write a task_info into it) */
		int none = bf_task_set_entry((uint32_t)t, CODE_VA, 0) == E_FAULT;
		int kept = bf_task_info_cap((uint32_t)t, (struct bf_task_info *)STAGE) == 0;
		check(r == E_VERIFY && none && kept, name, "install %ld, task left with code %ld",
		      r, !none);
		bad += r != E_VERIFY;
		bf_unmap(STAGE, 1);
		bf_task_kill((uint32_t)t);
		bf_cap_delete((uint32_t)t);
	}
	struct bf_death d;
	while (bf_reap(&d) == 0)
		;
	check(bad == 0, "secure.every_forbidden_class_refused", "%ld accepted", bad, 0);
}

/* The sandboxed form, verified and pinned:
 *   bundle 0 (entry): NOPs; call [dispatch + 0]           (ends the bundle)
 *   bundle 1: push 0 x5; push eax; push SYS_EXIT; mov eax, RT_GATE;
 *             NOPs; and eax, -32; call eax                 (bf_sys: exit(eax))
 *   bundle 2 (dispatch 0): mov eax, 42; pop ecx; and ecx, -32; jmp ecx */
static uint32_t sandboxed(uint8_t *c)
{
	memset(c, 0x90, 96);
	memcpy(c + 26, (uint8_t[]){ 0xFF, 0x15, 0x00, 0xF0, 0xFF, 0x5F }, 6);
	memcpy(c + 32, (uint8_t[]){ 0x6A, 0, 0x6A, 0, 0x6A, 0, 0x6A, 0, 0x6A, 0, 0x50, 0x6A, SYS_EXIT,
				    0xB8, 0x00, 0x00, 0x00, 0x60 }, 18);
	memcpy(c + 32 + 27, (uint8_t[]){ 0x83, 0xE0, 0xE0, 0xFF, 0xD0 }, 5);
	memcpy(c + 64, (uint8_t[]){ 0xB8, 42, 0, 0, 0, 0x59, 0x83, 0xE1, 0xE0, 0xFF, 0xE1 }, 11);
	return 96;
}

static void test_sandboxed_code_runs(void)
{
	uint8_t code[96];
	uint32_t before = frames_used();
	int t = make("sandboxed", code, sandboxed(code));
	struct bf_task_info info;
	bf_task_info_cap((uint32_t)t, &info);
	check(info.secure == (SECURE_RT | SECURE_VERIFY | SECURE_PIN), "secure.task_flags_at_creation",
	      "flags %lx", info.secure, 0);
	int r = bf_code_install((uint32_t)t, STAGE, 1, CODE_VA, INSTALL_CODE);
	check(r == 0, "secure.sandboxed_code_accepted", "install %ld", r, 0);
	check(bf_dispatch_set((uint32_t)t, 0, CODE_VA + 3) == E_FAULT, "secure.dispatch_mid_bundle_refused",
	      "", 0, 0);
	check(bf_dispatch_set((uint32_t)t, 0, CODE_VA + 64) == 0, "secure.dispatch_bundle_start", "", 0, 0);
	check(bf_task_set_entry((uint32_t)t, CODE_VA + 26, 0) == E_FAULT, "secure.entry_mid_bundle_refused",
	      "", 0, 0);
	/* the runtime's range is the kernel's */
	bf_map_anon(STAGE, 1, MAP_READ | MAP_WRITE);
	memset((void *)STAGE, 0x90, PAGE_SIZE);
	check(bf_code_install((uint32_t)t, STAGE, 1, RT_BASE + 0x10000, INSTALL_CODE) == E_PERM,
	      "secure.install_in_runtime_range_refused", "", 0, 0);
	check(bf_code_install((uint32_t)t, 0, 1, RT_BASE, INSTALL_REMOVE) == E_PERM,
	      "secure.remove_runtime_refused", "", 0, 0);
	bf_unmap(STAGE, 1);
	struct bf_death d = { 0 };
	r = run(t, CODE_VA, &d);
	check(r == 0 && d.cause == DEATH_EXIT && d.status == 42, "secure.sandboxed_code_runs_through_the_gate",
	      "cause %ld status %ld", d.cause, d.status);
	check(frames_used() == before, "secure.no_frame_leak", "frames %ld -> %ld", before, frames_used());
}

/* Pinned, not verified (raw code may hold int 0x80): the gate works, any
 * other int 0x80 kills. */
static const uint8_t via_gate[] = {
	0x6A, 0, 0x6A, 0, 0x6A, 0, 0x6A, 0, 0x6A, 0, 0x6A, 7, 0x6A, SYS_EXIT,	/* exit(7) */
	0xB8, 0x00, 0x00, 0x00, 0x60,		/* mov eax, RT_GATE */
	0xFF, 0xD0,				/* call eax */
};
static const uint8_t raw_int80[] = {
	0xB8, SYS_EXIT, 0, 0, 0, 0x31, 0xDB, 0xCD, 0x80,	/* mov eax, SYS_EXIT; xor ebx, ebx; int 0x80 */
};

/* Like isolation's every_syscall, through the gate: bf_sys(nr, 0, ...)
 * for nr = 0 .. SYS_COUNT + 3 but exit, each result into the page at
 * USER_HEAP_BASE, then exit(0) through the gate. */
static const uint8_t every_syscall_gate[] = {
	0xBF, 0x00, 0x00, 0x00, 0x50,	/*  0: mov edi, USER_HEAP_BASE */
	0x31, 0xF6,			/*  5: xor esi, esi */
	0x83, 0xFE, SYS_EXIT,		/*  7: cmp esi, SYS_EXIT */
	0x74, 0x1A,			/* 10: je 38 */
	0x6A, 0, 0x6A, 0, 0x6A, 0, 0x6A, 0, 0x6A, 0, 0x6A, 0,	/* 12: push 0 x6 */
	0x56,				/* 24: push esi */
	0xB8, 0x00, 0x00, 0x00, 0x60,	/* 25: mov eax, RT_GATE */
	0xFF, 0xD0,			/* 30: call eax */
	0x83, 0xC4, 0x1C,		/* 32: add esp, 28 */
	0x89, 0x04, 0xB7,		/* 35: mov [edi + esi * 4], eax */
	0x46,				/* 38: inc esi */
	0x83, 0xFE, SYS_COUNT + 4,	/* 39: cmp esi, SYS_COUNT + 4 */
	0x72, 0xDB,			/* 42: jb 7 */
	0x6A, 0, 0x6A, 0, 0x6A, 0, 0x6A, 0, 0x6A, 0, 0x6A, 0, 0x6A, SYS_EXIT,	/* 44: exit(0) */
	0xB8, 0x00, 0x00, 0x00, 0x60,	/* 58: mov eax, RT_GATE */
	0xFF, 0xD0,			/* 63: call eax */
};

#define RESULTS ((const volatile int32_t *)(USER_HEAP_BASE + 0x10000))

static void test_pinned_syscalls(void)
{
	bf_secure_set(SECURE_PIN);
	struct bf_death d = { 0 };
	int t = make("pinned", via_gate, sizeof via_gate);
	int r = bf_code_install((uint32_t)t, STAGE, 1, CODE_VA, INSTALL_CODE);
	bf_unmap(STAGE, 1);
	r = r ? r : run(t, CODE_VA, &d);
	check(r == 0 && d.cause == DEATH_EXIT && d.status == 7, "secure.pinned_syscall_through_the_gate",
	      "r %ld cause %ld", r, d.cause);
	t = make("pinned", raw_int80, sizeof raw_int80);
	r = bf_code_install((uint32_t)t, STAGE, 1, CODE_VA, INSTALL_CODE);
	bf_unmap(STAGE, 1);
	r = r ? r : run(t, CODE_VA, &d);
	check(r == 0 && d.cause == DEATH_SYSCALL_SITE && d.eip == CODE_VA + 9,
	      "secure.pinned_syscall_elsewhere_killed", "cause %ld eip %lx", d.cause, d.eip);
	/* every number through the gate: the module surface */
	t = make("surface", every_syscall_gate, sizeof every_syscall_gate);
	r = bf_code_install((uint32_t)t, STAGE, 1, CODE_VA, INSTALL_CODE);
	bf_map_anon((uint32_t)RESULTS, 1, MAP_READ | MAP_WRITE);
	memset((void *)RESULTS, 0x7F, PAGE_SIZE);
	if (!r)
		r = bf_code_install((uint32_t)t, (uint32_t)RESULTS, 1, USER_HEAP_BASE, INSTALL_DATA_SHARED);
	r = r ? r : run(t, CODE_VA, &d);
	check(r == 0 && d.cause == DEATH_EXIT && d.status == 0, "secure.pinned_every_syscall_ran",
	      "r %ld cause %ld", r, d.cause);
	int wrong = 0, first = -1;
	for (int nr = 0; nr < SYS_COUNT + 4; nr++) {
		if (nr == SYS_EXIT)
			continue;
		int allowed = nr == SYS_NOTIFY || nr == SYS_CONSOLE_WRITE;
		if (allowed ? RESULTS[nr] == E_PERM : RESULTS[nr] != E_PERM) {
			wrong++;
			if (first < 0)
				first = nr;
		}
	}
	check(wrong == 0, "secure.pinned_module_syscalls_e_perm", "%ld wrong, the first %ld", wrong, first);
	bf_unmap((uint32_t)RESULTS, 1);
	bf_secure_set(SECURE_VERIFY | SECURE_PIN);
}

int selftest_secure(void)
{
	bf_map_anon(USER_HEAP_BASE, 1, MAP_WRITE);	/* page tables made once */
	bf_unmap(USER_HEAP_BASE, 1);
	int was = bf_secure_get();
	check(bf_secure_set(SECURE_VERIFY | SECURE_PIN) == (SECURE_VERIFY | SECURE_PIN) &&
	      bf_secure_get() == (SECURE_VERIFY | SECURE_PIN), "secure.switch_on", "was %ld", was, 0);
	check(bf_secure_set(0x80) == E_INVAL, "secure.switch_unknown_flag", "", 0, 0);
	test_forbidden_classes();
	test_sandboxed_code_runs();
	test_pinned_syscalls();
	struct bf_audit a;
	check(bf_audit(&a) == 0 && a.wx_violations == 0 && a.user_kernel == 0, "secure.audit_clean",
	      "wx %ld exposed %ld", a.wx_violations, a.user_kernel);
	bf_secure_set((uint32_t)was);
	return failures;
}
