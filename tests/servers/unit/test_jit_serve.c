/* The jit server's request handling (servers/jit/server/jit_serve.c) driven
 * with protocol messages, over a stand-in for the module slots (jmod.h)
 * that records what it was asked: each request kind decodes its words and
 * encodes its reply, who may ask what (by badge), malformed requests get
 * JIT_EINVAL / JIT_ENOENT / JIT_EPERM, and what a request brings but does
 * not keep (pages, a capability) is dropped.  Then the client library
 * (jit_client.c) against it, connected in-process. */
#include <criterion/criterion.h>
#include <string.h>
#include "servers/jit/server/jit_serve.h"
#include "servers/jit/server/jit_client.h"
#include "servers/jit/server/jmod.h"

/* ---- the module slots, recorded ----------------------------------------- */
struct jmod {
	int used, loaded, task, tier[4];
	uint32_t serial, thresholds[3];
	const uint8_t *file;
	uint32_t len;
};
static struct jmod slots[16];
#define NSLOTS (sizeof slots / sizeof slots[0])
static int printed, tiered[3];

int jmod_new(int task, int32_t arg, uint32_t calls, uint32_t curve)
{
	(void)arg; (void)calls; (void)curve;
	for (unsigned s = 0; s < NSLOTS; s++)
		if (!slots[s].used) {
			slots[s] = (struct jmod){ .used = 1, .task = task, .serial = 40 + s };
			return (int)s;
		}
	return JIT_ENOSPC;
}
struct jmod *jmod_get(uint32_t h) { return h < NSLOTS && slots[h].used ? &slots[h] : 0; }
int jmod_thresholds(struct jmod *j, uint32_t a, uint32_t b, uint32_t c)
{
	if (j->loaded)
		return JIT_EINVAL;
	j->thresholds[0] = a, j->thresholds[1] = b, j->thresholds[2] = c;
	return 0;
}
int jmod_load(struct jmod *j, const uint8_t *file, uint32_t len, uint32_t *eip, uint32_t *params)
{
	if (len >= 4 && !memcmp(file, "BAD!", 4))
		return JIT_EFORMAT;
	j->file = file, j->len = len, j->loaded = 1;
	*eip = 0x60000010u;
	*params = 0x50000000u;
	return 0;
}
int jmod_tier(struct jmod *j, uint32_t f, int tier, uint32_t *cycles, uint32_t *addr, uint32_t *bytes)
{
	if (!j->loaded || f >= 4 || tier < 0 || tier > 3)
		return JIT_EINVAL;
	j->tier[f] = tier;
	tiered[0] = (int)f, tiered[1] = tier, tiered[2]++;
	*cycles = 1000u + f, *addr = 0x60800000u + f * 16, *bytes = 32;
	return 0;
}
int jmod_tier_all(struct jmod *j, int tier) { return j->loaded ? (tier >= 0 && tier <= 3 ? 3 : JIT_EINVAL) : JIT_EINVAL; }
int jmod_func_tier(struct jmod *j, uint32_t f) { return j->loaded && f < 4 ? j->tier[f] : JIT_EINVAL; }
int jmod_func(struct jmod *j, const char *name)
{
	static const char *names[4] = { "main", "fib", "module_m", "x" };
	if (!j->loaded)
		return JIT_EINVAL;
	for (int i = 0; i < 4; i++)
		if (!strcmp(names[i], name))
			return i;
	return JIT_ENOENT;
}
int jmod_share(struct jmod *j, uint32_t known, uint32_t *va, uint32_t *pages)
{
	if (!j->loaded)
		return JIT_EINVAL;
	*va = *pages = 0;
	if (known != j->serial)
		*va = 0x52000000u, *pages = 5;
	return (int)j->serial;
}
void jmod_unload(struct jmod *j) { memset(j, 0, sizeof *j); }
void jmod_print(void) { printed++; }

/* ---- the environment: pages and capabilities dropped, embedded copies ---- */
static uint8_t arena[8 * PAGE_SIZE];
static uint32_t unmapped_va, unmapped_pages;
static int caps_deleted, last_cap;
static void unmap(void *ctx, uint32_t va, uint32_t pages) { (void)ctx; unmapped_va = va, unmapped_pages = pages; }
static void cap_delete(void *ctx, uint32_t slot) { (void)ctx; caps_deleted++, last_cap = (int)slot; }
static const uint8_t fib_data[] = "LLBC fib";
static const struct embedded_module embedded[] = { { "fib", fib_data, sizeof fib_data },
						   { "longname9", fib_data, 3 } };
static struct jit_env env;

static void setup(void)
{
	memset(slots, 0, sizeof slots);
	printed = caps_deleted = last_cap = 0;
	memset(tiered, 0, sizeof tiered);
	unmapped_va = unmapped_pages = 0;
	env = (struct jit_env){ 0, (uintptr_t)arena, unmap, cap_delete, embedded, 2 };
}

TestSuite(jit_serve, .init = setup);

static struct bf_msg req(uint32_t badge, uint32_t label, uint32_t a, uint32_t b, uint32_t c, uint32_t d)
{
	struct bf_msg m = { label, { a, b, c, d }, badge };
	jit_serve(&env, &m);
	return m;
}
#define INIT JIT_BADGE_INIT
#define PROF JIT_BADGE_PROFILER
#define R(m) ((int32_t)(m).w[0])

/* a module task handed over by init as slot 7: handle 0 */
static int new_module(void)
{
	struct bf_msg m = req(INIT, JIT_NEW | MSG_CAP, 5, 7, 100, 0);
	cr_assert_geq(R(m), 0);
	return R(m);
}

static int loaded_module(void)
{
	int h = new_module();
	memcpy(arena + PAGE_SIZE, "LLBC....", 8);
	struct bf_msg m = req(INIT, JIT_LOAD | MSG_GRANT, (uint32_t)h, 8, PAGE_SIZE, 1);
	cr_assert_eq(R(m), 0);
	return h;
}

Test(jit_serve, new_takes_the_task_capability)
{
	struct bf_msg m = req(INIT, JIT_NEW | MSG_CAP, 5, 7, 100, 0);
	cr_assert_eq(R(m), 0);
	cr_assert_eq(slots[0].task, 7, "the capability's slot in the server");
	cr_assert_eq(caps_deleted, 0, "kept by the slot");
	cr_assert_eq(m.label, 0);
	cr_assert_eq(R(req(INIT, JIT_NEW | MSG_CAP, 5, 8, 100, 0)), 1);
}

Test(jit_serve, new_without_a_capability_or_from_the_profiler_is_refused)
{
	cr_assert_eq(R(req(INIT, JIT_NEW, 5, 7, 100, 0)), JIT_EINVAL);
	cr_assert_eq(R(req(PROF, JIT_NEW | MSG_CAP, 5, 9, 100, 0)), JIT_EPERM);
	cr_assert_eq(caps_deleted, 1, "a refused capability is not kept");
	cr_assert_eq(last_cap, 9);
	cr_assert_null(jmod_get(0));
}

Test(jit_serve, new_with_no_free_slot_gives_the_capability_back)
{
	for (unsigned i = 0; i < NSLOTS; i++)
		new_module();
	cr_assert_eq(R(req(INIT, JIT_NEW | MSG_CAP, 5, 11, 100, 0)), JIT_ENOSPC);
	cr_assert_eq(last_cap, 11);
}

Test(jit_serve, thresholds_only_before_the_load)
{
	int h = new_module();
	cr_assert_eq(R(req(INIT, JIT_THRESHOLDS, (uint32_t)h, 5, 20, 60)), 0);
	cr_assert_eq(slots[h].thresholds[2], 60);
	cr_assert_eq(R(req(PROF, JIT_THRESHOLDS, (uint32_t)h, 5, 20, 60)), JIT_EPERM);
	loaded_module();
	cr_assert_eq(R(req(INIT, JIT_THRESHOLDS, 1, 5, 20, 60)), JIT_EINVAL);
}

Test(jit_serve, load_reads_the_granted_pages_and_drops_them)
{
	int h = new_module();
	memcpy(arena + 2 * PAGE_SIZE, "LLBC", 4);
	struct bf_msg m = req(INIT, JIT_LOAD | MSG_GRANT, (uint32_t)h, 5000, 2 * PAGE_SIZE, 2);
	cr_assert_eq(R(m), 0);
	cr_assert_eq(m.w[1], 0x60000010u, "entry eip");
	cr_assert_eq(m.w[2], 0x50000000u, "entry argument");
	cr_assert_eq(slots[h].file, arena + 2 * PAGE_SIZE);
	cr_assert_eq(slots[h].len, 5000);
	cr_assert_eq(unmapped_va, 2 * PAGE_SIZE);
	cr_assert_eq(unmapped_pages, 2);
}

Test(jit_serve, malformed_loads_are_einval_and_lose_no_pages)
{
	int h = new_module();
	cr_assert_eq(R(req(INIT, JIT_LOAD, (uint32_t)h, 8, 0, 0)), JIT_EINVAL, "no pages");
	cr_assert_eq(R(req(INIT, JIT_LOAD | MSG_GRANT, (uint32_t)h, PAGE_SIZE + 1, 0, 1)), JIT_EINVAL,
		     "longer than its pages");
	cr_assert_eq(unmapped_pages, 1, "the pages are dropped all the same");
	unmapped_pages = 0;
	cr_assert_eq(R(req(INIT, JIT_LOAD | MSG_GRANT, 9, 8, 0, 1)), JIT_EINVAL, "no such handle");
	cr_assert_eq(unmapped_pages, 1);
	unmapped_pages = 0;
	cr_assert_eq(R(req(PROF, JIT_LOAD | MSG_GRANT, (uint32_t)h, 8, 0, 1)), JIT_EPERM);
	cr_assert_eq(unmapped_pages, 1);
	memcpy(arena, "BAD!", 4);
	struct bf_msg m = req(INIT, JIT_LOAD | MSG_GRANT, (uint32_t)h, 8, 0, 1);
	cr_assert_eq(R(m), JIT_EFORMAT, "the module layer's verdict");
	cr_assert_eq(m.w[1], 0, "no entry");
	cr_assert_not(slots[h].loaded);
}

Test(jit_serve, load_embedded_by_index)
{
	int h = new_module();
	struct bf_msg m = req(INIT, JIT_LOAD_EMBEDDED, (uint32_t)h, 0, 0, 0);
	cr_assert_eq(R(m), 0);
	cr_assert_eq(slots[h].file, fib_data);
	cr_assert_eq(m.w[1], 0x60000010u);
	cr_assert_eq(R(req(INIT, JIT_LOAD_EMBEDDED, (uint32_t)h, 2, 0, 0)), JIT_ENOENT);
	cr_assert_eq(R(req(INIT, JIT_LOAD_EMBEDDED, 5, 0, 0, 0)), JIT_EINVAL);
	cr_assert_eq(R(req(PROF, JIT_LOAD_EMBEDDED, (uint32_t)h, 0, 0, 0)), JIT_EPERM);
}

Test(jit_serve, tier_from_init_or_the_profiler)
{
	int h = loaded_module();
	struct bf_msg m = req(PROF, JIT_TIER, (uint32_t)h, 2, 3, 0);
	cr_assert_eq(R(m), 0);
	cr_assert_eq(m.w[1], 1002, "compile cycles");
	cr_assert_eq(m.w[2], 0x60800020u, "code address");
	cr_assert_eq(m.w[3], 32, "bytes");
	cr_assert_eq(R(req(INIT, JIT_FUNC_TIER, (uint32_t)h, 2, 0, 0)), 3);
	cr_assert_eq(R(req(PROF, JIT_FUNC_TIER, (uint32_t)h, 2, 0, 0)), 3, "any caller may ask");
	cr_assert_eq(R(req(INIT, JIT_TIER, (uint32_t)h, 9, 1, 0)), JIT_EINVAL, "no such function");
	cr_assert_eq(R(req(INIT, JIT_TIER, 12, 0, 1, 0)), JIT_EINVAL, "no such handle");
	cr_assert_eq(R(req(INIT, JIT_FUNC_TIER, (uint32_t)h, 9, 0, 0)), JIT_EINVAL);
}

Test(jit_serve, tier_all_is_init_s)
{
	int h = loaded_module();
	cr_assert_eq(R(req(INIT, JIT_TIER_ALL, (uint32_t)h, 2, 0, 0)), 3);
	cr_assert_eq(R(req(PROF, JIT_TIER_ALL, (uint32_t)h, 2, 0, 0)), JIT_EPERM);
	cr_assert_eq(R(req(INIT, JIT_TIER_ALL, 3, 2, 0, 0)), JIT_EINVAL);
}

Test(jit_serve, func_by_its_first_eight_bytes)
{
	int h = loaded_module();
	uint32_t a, b;
	jit_name_pack("fib", &a, &b);
	cr_assert_eq(R(req(PROF, JIT_FUNC, (uint32_t)h, a, b, 0)), 1);
	jit_name_pack("module_main", &a, &b);
	cr_assert_eq(R(req(INIT, JIT_FUNC, (uint32_t)h, a, b, 0)), 2);
	jit_name_pack("nosuch", &a, &b);
	cr_assert_eq(R(req(INIT, JIT_FUNC, (uint32_t)h, a, b, 0)), JIT_ENOENT);
	cr_assert_eq(R(req(INIT, JIT_FUNC, 7, a, b, 0)), JIT_EINVAL);
}

Test(jit_serve, share_sends_the_view_once_per_load)
{
	int h = loaded_module();
	struct bf_msg m = req(PROF, JIT_SHARE, (uint32_t)h, 0, 0, 0);
	cr_assert_eq(R(m), 40);
	cr_assert_eq(m.label, MSG_SHARE_RO, "the reply carries the pages");
	cr_assert_eq(m.w[2], 0x52000000u);
	cr_assert_eq(m.w[3], 5);
	m = req(PROF, JIT_SHARE, (uint32_t)h, 40, 0, 0);
	cr_assert_eq(R(m), 40);
	cr_assert_eq(m.label, 0, "the same load: nothing to share");
	cr_assert_eq(R(req(PROF, JIT_SHARE, 4, 0, 0, 0)), JIT_EINVAL);
}

Test(jit_serve, unload_is_init_s)
{
	int h = loaded_module();
	cr_assert_eq(R(req(PROF, JIT_UNLOAD, (uint32_t)h, 0, 0, 0)), JIT_EPERM);
	cr_assert_not_null(jmod_get((uint32_t)h));
	cr_assert_eq(R(req(INIT, JIT_UNLOAD, (uint32_t)h, 0, 0, 0)), 0);
	cr_assert_null(jmod_get((uint32_t)h));
	cr_assert_eq(R(req(INIT, JIT_UNLOAD, (uint32_t)h, 0, 0, 0)), JIT_EINVAL);
}

Test(jit_serve, print_and_embedded_for_anyone)
{
	cr_assert_eq(R(req(PROF, JIT_PRINT, 0, 0, 0, 0)), 0);
	cr_assert_eq(printed, 1);
	struct bf_msg m = req(PROF, JIT_EMBEDDED, 1, 0, 0, 0);
	char name[9];
	cr_assert_eq(R(m), 0);
	jit_name_unpack(m.w[1], m.w[2], name);
	cr_assert_str_eq(name, "longname", "eight bytes of the name");
	cr_assert_eq(m.w[3], 3);
	cr_assert_eq(R(req(INIT, JIT_EMBEDDED, 2, 0, 0, 0)), JIT_ENOENT);
}

Test(jit_serve, unknown_operations_are_einval_and_drop_their_pages)
{
	cr_assert_eq(R(req(INIT, JIT_OP_END, 0, 0, 0, 0)), JIT_EINVAL);
	cr_assert_eq(R(req(INIT, JIT_NEW - 1, 0, 0, 0, 0)), JIT_EINVAL);
	cr_assert_eq(R(req(INIT, 0, 0, 0, 0, 0)), JIT_EINVAL);
	struct bf_msg m = req(INIT, 0x7777 | MSG_SHARE_RW, 0, 0, 3 * PAGE_SIZE, 2);
	cr_assert_eq(R(m), JIT_EINVAL);
	cr_assert_eq(m.label, 0, "nothing travels back");
	cr_assert_eq(unmapped_va, 3 * PAGE_SIZE);
	cr_assert_eq(unmapped_pages, 2);
	unmapped_pages = 0;
	int h = loaded_module();
	unmapped_pages = 0;
	cr_assert_eq(R(req(PROF, JIT_FUNC_TIER | MSG_GRANT, (uint32_t)h, 0, PAGE_SIZE, 1)), 0);
	cr_assert_eq(unmapped_pages, 1, "pages a request does not take are dropped");
}

Test(jit_serve, every_slot_operation_checks_the_handle)
{
	static const uint32_t ops[] = { JIT_THRESHOLDS, JIT_LOAD_EMBEDDED, JIT_TIER, JIT_TIER_ALL,
					JIT_FUNC_TIER, JIT_FUNC, JIT_SHARE, JIT_UNLOAD };
	new_module();
	for (unsigned i = 0; i < sizeof ops / sizeof ops[0]; i++) {
		cr_assert_eq(R(req(INIT, ops[i], 1, 0, 0, 0)), JIT_EINVAL, "op %x, a free slot", ops[i]);
		cr_assert_eq(R(req(INIT, ops[i], 0xFFFFFFFFu, 0, 0, 0)), JIT_EINVAL, "op %x, out of range", ops[i]);
	}
}

/* ---- the client library, connected straight to jit_serve ---------------- */
static uint32_t conn_badge;
static int direct(void *ctx, struct bf_msg *m)
{
	(void)ctx;
	if (conn_badge == 0xDEADu)
		return E_DEAD;
	m->badge = conn_badge;
	jit_serve(&env, m);
	return 0;
}
static const struct bf_conn conn = { 0, 0, direct };

Test(jit_serve, the_client_library_speaks_the_protocol)
{
	conn_badge = INIT;
	int h = jitc_new(&conn, 7, 5, 100, 0);
	cr_assert_eq(h, 0);
	cr_assert_eq(slots[0].task, 7);
	uint32_t t[3] = { 5, 20, 60 };
	cr_assert_eq(jitc_thresholds(&conn, h, t), 0);
	cr_assert_eq(slots[0].thresholds[1], 20);
	struct jit_loaded l = { 0, 0 };
	cr_assert_eq(jitc_load_embedded(&conn, h, 0, &l), 0);
	cr_assert_eq(l.eip, 0x60000010u);
	cr_assert_eq(l.arg, 0x50000000u);
	cr_assert_eq(jitc_func(&conn, h, "fib"), 1);
	struct jit_tiered td;
	cr_assert_eq(jitc_tier(&conn, h, 1, 2, &td), 0);
	cr_assert_eq(td.addr, 0x60800010u);
	cr_assert_eq(td.cycles, 1001);
	cr_assert_eq(jitc_func_tier(&conn, h, 1), 2);
	cr_assert_eq(jitc_tier_all(&conn, h, 3), 3);
	uint32_t va, pages;
	cr_assert_eq(jitc_share(&conn, h, 0, &va, &pages), 40);
	cr_assert_eq(pages, 5);
	cr_assert_eq(jitc_share(&conn, h, 40, &va, &pages), 40);
	cr_assert_eq(pages, 0);
	char name[9];
	uint32_t size;
	cr_assert_eq(jitc_embedded(&conn, 0, name, &size), 0);
	cr_assert_str_eq(name, "fib");
	cr_assert_eq(size, sizeof fib_data);
	cr_assert_eq(jitc_embedded(&conn, 2, name, &size), JIT_ENOENT);
	cr_assert_eq(jitc_print(&conn), 0);
	cr_assert_eq(jitc_unload(&conn, h), 0);
	conn_badge = PROF;
	cr_assert_eq(jitc_unload(&conn, h), JIT_EPERM);
	conn_badge = 0xDEADu;
	cr_assert_eq(jitc_load(&conn, h, 0, 1, 8, &l), E_DEAD);
	cr_assert(bf_ipc_failed(E_DEAD), "the pages are still the caller's");
	cr_assert_not(bf_ipc_failed(JIT_EPERM));
}

Test(jit_serve, the_client_grants_a_file)
{
	conn_badge = INIT;
	int h = jitc_new(&conn, 7, 5, 100, 0);
	struct jit_loaded l;
	cr_assert_eq(jitc_load(&conn, h, PAGE_SIZE, 1, 8, &l), 0);
	cr_assert_eq(slots[h].file, arena + PAGE_SIZE, "no base on this connection, the server's env has it");
	cr_assert_eq(unmapped_va, PAGE_SIZE);
	cr_assert_eq(l.eip, 0x60000010u);
}
