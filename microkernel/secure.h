/* The secure JIT on the kernel's side (docs/secure-jit.md): the trusted
 * runtime the kernel maps into every module task, the switch (which
 * module tasks get the verifier and pinned syscalls), and the checks that
 * use them: verification of code installs, dispatch entries and entry
 * points that stay on bundle starts of verified code, and the syscall
 * site.  secure.c is portable (host-tested in tests/kernel/unit/test_ksecure.c);
 * rtboot.c finds and checks the runtime at boot. */
#ifndef KERNEL_SECURE_H
#define KERNEL_SECURE_H
#include <stdint.h>

struct task;

/* The runtime as the kernel knows it: its bytes (linked at RT_BASE) and
 * what the build said of them (build/rt/rt_kernel.c, from lib/rt). */
struct rt_image {
	const uint8_t *data;	/* the boot module `rt` */
	uint32_t size;
	uint32_t entry;		/* rt_entry: where a module task starts */
	uint32_t gate_ret;	/* the address after the gate's int 0x80 */
	const uint32_t *exports;	/* lib/rt/exports.txt, ascending addresses */
	uint32_t nexports;
};

/* What the build says of lib/rt (generated; crc is CRC-32 of the bytes). */
struct rt_built {
	uint32_t size, crc, entry, gate_ret;
	const uint32_t *exports;
	uint32_t nexports;
};
extern const struct rt_built rt_built;

extern const struct rt_image *secure_rt;	/* NULL: no trusted runtime */
extern uint32_t secure_switch;		/* SECURE_VERIFY | SECURE_PIN for new module tasks */

/* A new module task: its flags from the switch, and the runtime mapped
 * read+execute at RT_BASE (a copy of its own: one holder per code frame). */
int  secure_task_init(struct task *x);
/* Code (or its removal) at n pages from dst in x: E_PERM inside the
 * runtime's range RT_BASE..RT_IMAGE_BASE of a task that has it. */
int  secure_check_range(const struct task *x, uint32_t dst, uint32_t n);
/* Before code_install maps INSTALL_CODE frames into x: for a verified
 * task, E_VERIFY unless the n pages at src in t pass the verifier as code
 * at dst (one console line says why not). */
int  secure_verify_install(struct task *t, struct task *x, uint32_t src, uint32_t n, uint32_t dst);
/* May control reach va in x from a dispatch entry (or, with entry set, as
 * the task's first instruction)?  0, or E_FAULT. */
int  secure_check_target(struct task *x, uint32_t va, int entry);
/* A syscall trapped with EIP = eip: 0 if x may make it from there. */
int  secure_syscall_site_ok(const struct task *x, uint32_t eip);
/* The verifier's view of x: exports and dispatch page. */
struct verify_env;
void secure_env(struct verify_env *env);
/* rtboot.c, at boot: the switch from the command line, the runtime. */
void rtboot_init(void);
/* "verify,pin" / "none" / ... -> flags, or -1. */
int  secure_parse(const char *s, uint32_t len);
#endif
