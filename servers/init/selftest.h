/* The kernel integration tests' shared pieces (selftest_util.c) and the
 * roles utest plays (tests/guest/roles.h). */
#ifndef INIT_SELFTEST_H
#define INIT_SELFTEST_H
#include <stdint.h>
#include "servers/init/init.h"
#include "tests/guest/roles.h"

/* Where the tests install code into a module task: RT_IMAGE_BASE, above
 * the runtime the kernel maps at RT_BASE (lib/rt/rt.h). */
#define CODE_VA 0x60100000u

extern int failures;
/* "TEST PASS name", or "TEST FAIL name: " fmt (with a, b) and a failure. */
void check(int ok, const char *name, const char *fmt, long a, long b);
/* Wait for task `id` to die (deaths of others are kept for later). */
int  await_death(uint32_t id, struct bf_death *out);
/* utest (or another boot module) started in `role`, not yet running. */
struct child *spawn(const char *name, uint32_t role, uint32_t budget_ms);
uint32_t frames_used(void);
#endif
