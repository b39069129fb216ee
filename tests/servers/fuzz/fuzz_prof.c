/* libFuzzer target for the profiler's work (servers/profiler/prof_serve.c)
 * against hostile modules.  The input sets up two modules (view size and
 * function count each), then runs a sequence of operations: the module
 * writes its parameter page and data (words, fields with edge values,
 * names without a NUL, raw bytes, counters), runs like the harness does,
 * signals; requests of every kind with any words; reloads, forgets, a jit
 * that fails or dies; and writes "armed" to happen later, inside a call
 * of the profiler (while the jit compiles, while it prints), so a field
 * changes between two reads of one decision.
 *
 * The profiler sees each view exactly as the kernel would map it: the
 * module's memory (a memfd) mapped read-only at its size inside an 8 GiB
 * PROT_NONE reservation that covers every address base + va + any 32-bit
 * offset, so any read outside a view, or of a view after its unmap, or any
 * write to one, is a SEGV that ASan reports.  Also findings (abort): a
 * printed byte that is neither printable nor a newline; "invalid parameter
 * page" said twice for one view; a JIT_TIER for a function >= RT_MAX_FUNCS
 * or a tier outside 1..3; an unmap of something it was not given; a view
 * the profiler holds that is not mapped. */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include "servers/profiler/prof_serve.h"
#include "servers/profiler/prof_proto.h"
#include "servers/jit/server/jit_proto.h"

#define MAX_PAGES 8
#define NMOD 2
static const uint32_t handle[NMOD] = { 3, 9 };

static uint8_t *base;	/* the profiler's "address space": 8 GiB reserved */
#define RESERVE (8ull << 30)

struct mod {
	int live;		/* the jit knows the handle */
	uint32_t serial, pages;
	uint8_t *mem;		/* the module's own (writable) mapping */
	int fd;
	uint8_t tier[RT_MAX_FUNCS];	/* where the jit says each starts */
	int said_invalid;	/* for the view last shared */
};
static struct mod mods[NMOD];

/* Views the profiler was given and has not unmapped. */
struct view { uint32_t va, pages; };
static struct view views[16];
static int nviews;

static int tier_fail, jit_dead;
static uint64_t clock_now;

static void die(const char *why)
{
	fprintf(stderr, "fuzz_prof: %s\n", why);
	abort();
}

/* ---- the module's writes, now or armed for later ------------------------ */
struct write { int m; uint32_t off, len; uint8_t bytes[32]; };
struct armed { struct write w; int at; };
static struct armed armed[8];
static int narmed, tick;

static void mod_write(const struct write *w)
{
	struct mod *m = &mods[w->m];
	uint32_t size = m->pages * PAGE_SIZE;
	if (!m->pages || w->off >= size)
		return;
	uint32_t n = w->len < size - w->off ? w->len : size - w->off;
	memcpy(m->mem + w->off, w->bytes, n);
}

static void mod_fill(int mi, uint32_t off, uint32_t len, uint8_t b)
{
	struct mod *m = &mods[mi];
	uint32_t size = m->pages * PAGE_SIZE;
	if (off >= size)
		return;
	memset(m->mem + off, b, len < size - off ? len : size - off);
}

static void mod_put32(int mi, uint32_t off, uint32_t v)
{
	struct write w = { mi, off, 4, { 0 } };
	memcpy(w.bytes, &v, 4);
	mod_write(&w);
}

static uint32_t mod_get32(int mi, uint32_t off)
{
	struct mod *m = &mods[mi];
	uint32_t v = 0;
	if (off + 4 <= m->pages * PAGE_SIZE)
		memcpy(&v, m->mem + off, 4);
	return v;
}

/* Something of the profiler runs: the module may have written meanwhile. */
static void step(void)
{
	tick++;
	for (int i = 0; i < narmed; i++)
		if (armed[i].at == tick)
			mod_write(&armed[i].w);
}

/* ---- the kernel's side: mapping views ----------------------------------- */
static uint32_t free_va(int mi)
{
	for (uint32_t k = 0; k < 4; k++) {
		uint32_t va = 0x10000000u + handle[mi] * 0x01000000u + k * 0x00100000u;
		int used = 0;
		for (int i = 0; i < nviews; i++)
			used |= views[i].va == va;
		if (!used)
			return va;
	}
	die("no free view address (the profiler keeps old views)");
	return 0;
}

static uint32_t map_view(int mi)
{
	struct mod *m = &mods[mi];
	uint32_t va = free_va(mi);
	if (nviews == (int)(sizeof views / sizeof views[0]))
		die("too many views held");
	if (mmap(base + va, m->pages * PAGE_SIZE, PROT_READ, MAP_SHARED | MAP_FIXED, m->fd, 0) ==
	    MAP_FAILED)
		die("mmap view");
	views[nviews++] = (struct view){ va, m->pages };
	m->said_invalid = 0;
	return va;
}

static void unmap_at(uint32_t va, uint32_t pages)
{
	if (mmap(base + va, (size_t)pages * PAGE_SIZE, PROT_NONE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED | MAP_NORESERVE, -1, 0) == MAP_FAILED)
		die("mmap guard");
}

static void env_unmap(void *ctx, uint32_t va, uint32_t pages)
{
	(void)ctx;
	step();
	for (int i = 0; i < nviews; i++)
		if (views[i].va == va) {
			if (views[i].pages != pages)
				die("unmap with the wrong size");
			unmap_at(va, pages);
			views[i] = views[--nviews];
			return;
		}
	die("unmap of a view it was not given");
}

/* ---- the jit server ----------------------------------------------------- */
static int mod_of(uint32_t h)
{
	for (int i = 0; i < NMOD; i++)
		if (handle[i] == h && mods[i].live)
			return i;
	return -1;
}

static int fake_jit(void *ctx, struct bf_msg *q)
{
	(void)ctx;
	step();
	if (jit_dead)
		return E_DEAD;
	uint32_t op = q->label & MSG_LABEL_MASK;
	int mi = mod_of(q->w[0]);
	struct bf_msg r = { 0, { 0, 0, 0, 0 }, 0 };
	if (mi < 0) {
		r.w[0] = (uint32_t)JIT_EINVAL;
	} else if (op == JIT_SHARE) {
		struct mod *m = &mods[mi];
		r.w[0] = m->serial;
		if (q->w[1] != m->serial)
			r = (struct bf_msg){ MSG_SHARE_RO, { m->serial, 0, map_view(mi), m->pages }, 0 };
	} else if (op == JIT_FUNC_TIER) {
		if (q->w[1] >= RT_MAX_FUNCS)
			die("JIT_FUNC_TIER past RT_MAX_FUNCS");
		r.w[0] = mods[mi].tier[q->w[1]];
	} else if (op == JIT_TIER) {
		if (q->w[1] >= RT_MAX_FUNCS)
			die("JIT_TIER of a function past RT_MAX_FUNCS");
		if (q->w[2] < 1 || q->w[2] > 3)
			die("JIT_TIER of a tier outside 1..3");
		r.w[0] = tier_fail ? (uint32_t)JIT_ECOMPILE : 0;
		r.w[1] = 5000u + q->w[2];
	} else {
		die("a request the profiler does not make");
	}
	*q = r;
	return 0;
}

/* ---- the profiler's environment ----------------------------------------- */
static int env_print(const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	step();
	va_start(ap, fmt);
	int n = vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	for (int i = 0; i < n && i < (int)sizeof buf - 1; i++)
		if (buf[i] != '\n' && (buf[i] < 0x20 || buf[i] >= 0x7f))
			die("printed an unprintable byte");
	/* "profiler: %s (handle %u): invalid parameter page: ..." (by its
	 * format: a module's name may say anything) */
	if (strstr(fmt, "invalid parameter page:")) {
		va_start(ap, fmt);
		(void)va_arg(ap, const char *);
		int mi = mod_of(va_arg(ap, unsigned));
		va_end(ap);
		if (mi >= 0 && mods[mi].said_invalid++)
			die("invalid parameter page said twice for one view");
	}
	return n;
}

static uint64_t env_now(void)
{
	step();
	return clock_now += 17;
}

static struct prof_server srv;

/* Every view the profiler holds is mapped. */
static void check_views(void)
{
	for (uint32_t s = 0; s < PROF_SLOTS; s++) {
		const struct prof_module *m = &srv.mods[s];
		if (!m->view)
			continue;
		int ok = 0;
		for (int i = 0; i < nviews; i++)
			ok |= (const volatile uint8_t *)(base + views[i].va) == m->view &&
			      views[i].pages == m->view_pages;
		if (!ok)
			die("the profiler holds a view that is not mapped");
	}
}

/* ---- the input ---------------------------------------------------------- */
struct in { const uint8_t *p; size_t n; };
static uint32_t get8(struct in *in)
{
	if (!in->n)
		return 0;
	in->n--;
	return *in->p++;
}
static uint32_t get16(struct in *in) { uint32_t a = get8(in); return a | get8(in) << 8; }
static uint32_t get32(struct in *in) { uint32_t a = get16(in); return a | get16(in) << 16; }

/* A module as the jit loads it: counters and cycle totals in its data. */
static void load(int mi, uint32_t pages, uint32_t nfuncs)
{
	struct mod *m = &mods[mi];
	m->live = 1;
	m->serial++;
	m->pages = pages;
	memset(m->mem, 0, MAX_PAGES * PAGE_SIZE);
	memset(m->tier, 0, sizeof m->tier);
	if (pages * PAGE_SIZE < sizeof(struct rt_params))
		return;
	struct rt_params *p = (struct rt_params *)m->mem;
	p->magic = RT_MAGIC;
	snprintf(p->module, RT_NAME_MAX, "mod%d", mi);
	p->handle = handle[mi];
	p->thresholds[0] = 100, p->thresholds[1] = 1000, p->thresholds[2] = 10000;
	p->curve_bucket = 10;
	p->nfuncs = nfuncs;
	for (uint32_t f = 0; f < nfuncs && f < RT_MAX_FUNCS; f++) {
		snprintf(p->funcs[f].name, RT_NAME_MAX, "fn%u", f);
		p->funcs[f].defined = f % 5 != 4;
		p->funcs[f].counter_va = p->funcs[f].defined ? RT_DATA_VA + 4 * f : 0;
		p->funcs[f].cycles_va = p->funcs[f].defined ? RT_DATA_VA + 256 + 8 * f : 0;
	}
}

#define OFF(field) ((uint32_t)offsetof(struct rt_params, field))
#define DATA_OFF (RT_DATA_VA - RT_PARAMS_VA)

static uint32_t field_off(uint32_t sel, uint32_t k)
{
	k %= RT_MAX_FUNCS;
	switch (sel % 16) {
	case 0: return OFF(magic);
	case 1: return OFF(nfuncs);
	case 2: return OFF(ncurve);
	case 3: return OFF(curve_bucket);
	case 4: return OFF(thresholds[0]) + 4 * (k % 3);
	case 5: return OFF(done_calls);
	case 6: return OFF(mismatches);
	case 7: return OFF(finished);
	case 8: return OFF(cycles_total);
	case 9: return OFF(cycles_total) + 4;
	case 10: case 11: return OFF(funcs[0].counter_va) + k * sizeof(struct rt_func);
	case 12: case 13: return OFF(funcs[0].cycles_va) + k * sizeof(struct rt_func);
	case 14: return OFF(funcs[0].defined) + k * sizeof(struct rt_func);
	default: return OFF(curve[0]) + 4 * (k * 4);
	}
}

static uint32_t value(struct in *in, int mi)
{
	uint32_t end = RT_PARAMS_VA + mods[mi].pages * PAGE_SIZE;
	uint32_t sel = get8(in);
	static const uint32_t fixed[] = {
		0, 1, 2, 3, 4, 63, 64, 65, 99, 100, 1000, 10000, 255, 256, 257,
		0x7fffffffu, 0x80000000u, 0xfffffffeu, 0xffffffffu, 0xfffffffcu, 0xfffffff8u,
		0xfffff000u, RT_PARAMS_VA, RT_DATA_VA, RT_PARAMS_VA - 4, RT_DATA_VA + 2,
		RT_DATA_VA - 4, 0x41414141u, RT_MAGIC, 0xB0000000u, RT_PARAMS_VA + 0xB0000000u - 4,
	};
	uint32_t nfixed = sizeof fixed / sizeof fixed[0];
	if (sel < nfixed)
		return fixed[sel];
	switch (sel - nfixed) {
	case 0: return end - 4;
	case 1: return end - 8;
	case 2: return end - 2;
	case 3: return end;
	case 4: return end + 4;
	case 5: return RT_DATA_VA + 4 * (get8(in) % RT_MAX_FUNCS);
	case 6: return get8(in);
	case 7: return get16(in);
	default: return get32(in);
	}
}

/* One write of the module, described by the input. */
static int parse_write(struct in *in, int mi, struct write *w)
{
	*w = (struct write){ mi, 0, 0, { 0 } };
	uint32_t kind = get8(in) % 5;
	if (kind == 0) {		/* a word anywhere */
		w->off = get16(in);
		w->len = 4;
		uint32_t v = get32(in);
		memcpy(w->bytes, &v, 4);
	} else if (kind == 1) {		/* a field, an edge value */
		uint32_t sel = get8(in), k = get8(in);
		w->off = field_off(sel, k);
		w->len = 4;
		uint32_t v = value(in, mi);
		memcpy(w->bytes, &v, 4);
	} else if (kind == 2) {		/* a name, without a NUL or with odd bytes */
		uint32_t which = get8(in), b = get8(in);
		w->off = which == 0 ? OFF(module)
				    : OFF(funcs[0].name) + ((which - 1) % RT_MAX_FUNCS) * sizeof(struct rt_func);
		w->len = RT_NAME_MAX;
		for (int i = 0; i < RT_NAME_MAX; i++)
			w->bytes[i] = (uint8_t)(b & 0x80 ? get8(in) : b | 1);
	} else if (kind == 3) {		/* a counter of the loaded layout */
		uint32_t f = get8(in) % RT_MAX_FUNCS;
		w->off = DATA_OFF + (get8(in) & 1 ? 256 + 8 * f : 4 * f);
		w->len = 4;
		uint32_t v = value(in, mi);
		memcpy(w->bytes, &v, 4);
	} else {			/* raw bytes */
		w->off = get16(in);
		w->len = get8(in) % 33;
		for (uint32_t i = 0; i < w->len; i++)
			w->bytes[i] = (uint8_t)get8(in);
	}
	return 0;
}

/* The harness: `calls` entry calls, counters of some functions with it. */
static void harness(struct in *in, int mi)
{
	uint32_t calls = get16(in), fmask = get8(in), cyc = get16(in);
	mod_put32(mi, OFF(done_calls), mod_get32(mi, OFF(done_calls)) + calls);
	uint64_t total = mod_get32(mi, OFF(cycles_total)) |
			 (uint64_t)mod_get32(mi, OFF(cycles_total) + 4) << 32;
	total += (uint64_t)calls * cyc;
	mod_put32(mi, OFF(cycles_total), (uint32_t)total);
	mod_put32(mi, OFF(cycles_total) + 4, (uint32_t)(total >> 32));
	for (uint32_t f = 0; f < 8; f++)
		if (fmask & (1u << f)) {
			uint32_t g = f * 3;	/* spread over the first functions */
			mod_put32(mi, DATA_OFF + 4 * g, mod_get32(mi, DATA_OFF + 4 * g) + calls);
			mod_put32(mi, DATA_OFF + 256 + 8 * g,
				  mod_get32(mi, DATA_OFF + 256 + 8 * g) + calls * cyc);
		}
	uint32_t n = mod_get32(mi, OFF(ncurve));
	if (n < RT_CURVE_MAX) {
		mod_put32(mi, OFF(curve[0]) + 4 * n, cyc);
		mod_put32(mi, OFF(ncurve), n + 1);
	}
	if (calls == 0xFFFF)
		mod_put32(mi, OFF(finished), 1);
	prof_signal(&srv, 1u << (handle[mi] % 31));
}

static void request(struct in *in, int mi)
{
	uint32_t k = get8(in), s = get8(in);
	uint32_t label = k < 240 ? PROF_PRINT + k % 8 : get32(in);
	uint32_t w0 = s < 160 ? handle[mi] : s < 240 ? s % 20 : get32(in);
	uint32_t w1 = get8(in) & 1 ? get32(in) : get8(in) % 70;
	uint32_t w2 = get8(in);
	struct bf_msg m = { label, { w0, w1, w2, get8(in) }, 0 };
	prof_serve(&srv, &m);
	if (m.label != 0)
		die("a reply that carries something");
}

static void reset_world(void)
{
	for (int i = 0; i < nviews; i++)
		unmap_at(views[i].va, views[i].pages);
	nviews = 0;
	narmed = tick = 0;
	tier_fail = jit_dead = 0;
	clock_now = 0;
	for (int i = 0; i < NMOD; i++) {
		mods[i].live = 0;
		mods[i].serial = 100u * (uint32_t)i;
		mods[i].pages = 0;
		mods[i].said_invalid = 0;
	}
	static const struct prof_env env = { 0, env_print, env_unmap, env_now };
	struct bf_conn jit = { 0, (uintptr_t)base, fake_jit };
	prof_init(&srv, &env, &jit);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc, (void)argv;
	base = mmap(0, RESERVE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (base == MAP_FAILED)
		die("cannot reserve the address space");
	for (int i = 0; i < NMOD; i++) {
		mods[i].fd = memfd_create("module", 0);
		if (mods[i].fd < 0 || ftruncate(mods[i].fd, MAX_PAGES * PAGE_SIZE))
			die("memfd");
		mods[i].mem = mmap(0, MAX_PAGES * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED,
				   mods[i].fd, 0);
		if (mods[i].mem == MAP_FAILED)
			die("mmap module");
	}
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct in in = { data, size };
	reset_world();
	for (int i = 0; i < NMOD; i++) {
		uint32_t pages = get8(&in), nfuncs = get8(&in);
		if (nfuncs != 0xFF)
			load(i, 1 + pages % MAX_PAGES, nfuncs % (RT_MAX_FUNCS + 1));
	}
	for (int ops = 0; in.n && ops < 400; ops++) {
		uint32_t c = get8(&in);
		int mi = (c >> 7) & 1;
		struct write w;
		switch (c % 13) {
		case 0: {	/* signal: one module, both, any bits */
			uint32_t sel = get8(&in) % 4;
			uint32_t bits = sel == 0 ? 1u << handle[0] : sel == 1 ? 1u << handle[1]
				      : sel == 2 ? (1u << handle[0]) | (1u << handle[1]) : get32(&in);
			prof_signal(&srv, bits);
			break;
		}
		case 1:
			request(&in, mi);
			break;
		case 2: case 3: case 4:
			parse_write(&in, mi, &w);
			mod_write(&w);
			break;
		case 5: {	/* a name or the page from here to the end, no NUL */
			uint32_t off = get16(&in) % (MAX_PAGES * PAGE_SIZE);
			mod_fill(mi, off, MAX_PAGES * PAGE_SIZE, (uint8_t)(get8(&in) | 1));
			break;
		}
		case 6: {	/* the module is loaded again */
			uint32_t pages = get8(&in), nfuncs = get8(&in);
			load(mi, 1 + pages % MAX_PAGES, nfuncs % (RT_MAX_FUNCS + 1));
			break;
		}
		case 7:		/* a write that happens inside a later call of the profiler */
			if (narmed < (int)(sizeof armed / sizeof armed[0])) {
				armed[narmed].at = tick + 1 + (int)(get8(&in) % 16);
				parse_write(&in, mi, &armed[narmed].w);
				narmed++;
			}
			break;
		case 8: {	/* the jit */
			uint32_t k = get8(&in);
			if (k % 4 == 0)
				tier_fail ^= 1;
			else if (k % 4 == 1)
				jit_dead ^= 1;
			else if (k % 4 == 2)
				mods[mi].tier[get8(&in) % RT_MAX_FUNCS] = (uint8_t)get8(&in);
			else
				mods[mi].live = 0;	/* unloaded: JIT_SHARE says JIT_EINVAL */
			break;
		}
		case 9: case 10:
			harness(&in, mi);
			break;
		default:
			prof_signal(&srv, 1u << (handle[mi] % 31));
			break;
		}
		check_views();
	}
	/* and whatever state it is in, every request once more */
	static const uint32_t last[] = { PROF_PRINT, PROF_QUERY, PROF_PHASE, PROF_STATS, PROF_CURVE,
					 PROF_RESET, PROF_PRINT, PROF_FORGET };
	for (unsigned k = 0; k < sizeof last / sizeof last[0]; k++)
		for (int i = 0; i < NMOD; i++) {
			struct bf_msg m = { last[k], { handle[i], 0, 3, 0 }, 0 };
			prof_serve(&srv, &m);
		}
	check_views();
	return 0;
}
