/* The jit server: an unprivileged ring-3 task.  It compiles modules for
 * the tasks init creates and hands the code to the kernel; it can install
 * code only into tasks it holds a COMPILE capability for, and never keeps a
 * writable view of code that runs.  Set-up here; requests in jit_serve.c,
 * the modules in module.c, the loop in lib/user/serve.c.  Protocol:
 * jit_proto.h, docs/jit-protocol.md. */
#include "lib/user/serve.h"
#include "lib/user/sys.h"
#include "servers/jit/server/jitsrv.h"
#include "servers/jit/server/jit_serve.h"

#define EP 0	/* our endpoint (receive right), given by init */

static void unmap(void *ctx, uint32_t va, uint32_t pages)
{
	(void)ctx;
	bf_unmap(va, pages);
}

static void cap_delete(void *ctx, uint32_t slot)
{
	(void)ctx;
	bf_cap_delete(slot);
}

static void dispatch(void *env, struct bf_msg *m) { jit_serve(env, m); }

int main(void)
{
	static struct jit_env env = { 0, 0, unmap, cap_delete, 0, 0 };
	if (bf_map_anon(SCRATCH_VA, SCRATCH_SIZE / PAGE_SIZE, MAP_READ | MAP_WRITE)) {
		bf_printf("jit: no memory for the compiler's scratch arena\n");
		return 1;
	}
	env.embedded = embedded_modules;
	env.nembedded = embedded_count;
	serve_loop(EP, dispatch, 0, &env);
}
