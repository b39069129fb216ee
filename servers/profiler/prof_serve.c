/* See prof_serve.h.  Every handle and index from a request is checked
 * against the table before use: a bad one is PROF_EINVAL (or PROF_ENOENT
 * past the last phase), never a fault.
 *
 * The view is hostile and changes under us (the module writes it while
 * the jit compiles, or while we are preempted): nothing in it is read
 * twice for one decision.  page() copies the fields we use into s->pg,
 * each read once, and checks them: nfuncs <= RT_MAX_FUNCS, ncurve <=
 * RT_CURVE_MAX, every counter and cycle address aligned and inside the
 * module's data in the view, checked as an offset (in_data: never
 * `va + len <= end`, which wraps near 4 GiB).  Loops run over the copy's
 * bounds; names are printed from the copy, cut and made printable.  A
 * counter is one load through a checked address; entry calls and cycles
 * (phase_open/close, curve points) are values, read once, never used as
 * an index or address, and their differences saturate at 0.  A page that
 * fails a check is invalid for as long as we hold that view: one line
 * says why, then its profile is ignored. */
#include <string.h>
#include "servers/profiler/prof_serve.h"
#include "servers/profiler/prof_proto.h"
#include "servers/jit/server/jit_client.h"

void prof_init(struct prof_server *s, const struct prof_env *env, const struct bf_conn *jit)
{
	memset(s, 0, sizeof *s);
	s->env = *env;
	s->jit = *jit;
}

static const volatile struct rt_params *params(const struct prof_module *m)
{
	return (const volatile struct rt_params *)m->view;
}

/* len bytes at module address va, if they lie in the module's data (after
 * the params pages) inside the view and va is word-aligned; else 0. */
static const volatile uint32_t *in_data(const struct prof_module *m, uint32_t va, uint32_t len)
{
	uint32_t off = va - RT_PARAMS_VA;	/* below the view: wraps to a huge offset */
	if ((va & 3) || off < RT_DATA_VA - RT_PARAMS_VA || off >= m->view_size ||
	    len > m->view_size - off)
		return 0;
	return (const volatile uint32_t *)(m->view + off);
}

static uint32_t counter(const struct prof_module *m, uint32_t va)
{
	const volatile uint32_t *c = in_data(m, va, 4);
	return c ? *c : 0;
}

/* Cycles tier-0 code spent in a function (inclusive of its callees). */
static uint64_t cycles_t0(const struct prof_module *m, uint32_t va)
{
	const volatile uint32_t *c = in_data(m, va, 8);
	if (!c)
		return 0;
	uint32_t lo = c[0], hi = c[1];
	return ((uint64_t)hi << 32) | lo;
}

static uint32_t sub_sat(uint32_t a, uint32_t b) { return a > b ? a - b : 0; }
static uint64_t sub_sat64(uint64_t a, uint64_t b) { return a > b ? a - b : 0; }

/* A name of the page: RT_NAME_MAX bytes, a NUL not guaranteed. */
static void name_copy(char out[RT_NAME_MAX + 1], const volatile char *in)
{
	uint32_t i;
	for (i = 0; i < RT_NAME_MAX; i++) {
		char c = in[i];
		if (!c)
			break;
		out[i] = c >= 0x20 && c < 0x7f ? c : '?';
	}
	out[i] = 0;
}

/* Module m's page is invalid: say so once, then ignore it. */
static int invalid(struct prof_server *s, struct prof_module *m, const char *field, int f,
		   uint32_t value)
{
	uint32_t slot = (uint32_t)(m - s->mods);
	m->bad = field;
	if (f < 0)
		s->env.print("profiler: %s (handle %u): invalid parameter page: %s = 0x%x; "
			     "its profile is ignored\n", m->name, slot, field, value);
	else
		s->env.print("profiler: %s (handle %u): invalid parameter page: funcs[%d].%s = 0x%x; "
			     "its profile is ignored\n", m->name, slot, f, field, value);
	return -1;
}

/* What we use of m's parameter page, each field read once, into s->pg;
 * then checked.  -1: the page is invalid (now or before). */
static int page(struct prof_server *s, struct prof_module *m)
{
	if (m->bad)
		return -1;
	const volatile struct rt_params *v = params(m);
	struct prof_page *pg = &s->pg;
	name_copy(pg->module, v->module);
	memcpy(m->name, pg->module, sizeof m->name);
	uint32_t magic = v->magic;
	if (magic != RT_MAGIC)
		return invalid(s, m, "magic", -1, magic);
	pg->nfuncs = v->nfuncs;
	if (pg->nfuncs > RT_MAX_FUNCS)
		return invalid(s, m, "nfuncs", -1, pg->nfuncs);
	pg->ncurve = v->ncurve;
	if (pg->ncurve > RT_CURVE_MAX)
		return invalid(s, m, "ncurve", -1, pg->ncurve);
	pg->curve_bucket = v->curve_bucket;
	for (int k = 0; k < 3; k++)
		pg->thresholds[k] = v->thresholds[k];
	pg->done_calls = v->done_calls;
	pg->mismatches = v->mismatches;
	pg->finished = v->finished;
	for (uint32_t f = 0; f < pg->nfuncs; f++) {
		struct prof_fn *pf = &pg->funcs[f];
		const volatile struct rt_func *vf = &v->funcs[f];
		name_copy(pf->name, vf->name);
		pf->defined = vf->defined;
		pf->counter_va = vf->counter_va;
		pf->cycles_va = vf->cycles_va;
		if (pf->counter_va && !in_data(m, pf->counter_va, 4))
			return invalid(s, m, "counter_va", (int)f, pf->counter_va);
		if (pf->cycles_va && !in_data(m, pf->cycles_va, 8))
			return invalid(s, m, "cycles_va", (int)f, pf->cycles_va);
	}
	return 0;
}

/* Of the page in s->pg (m's): its function with the most calls. */
static uint32_t hottest(const struct prof_server *s, const struct prof_module *m)
{
	uint32_t best = 0, n = 0;
	for (uint32_t f = 0; f < s->pg.nfuncs; f++) {
		uint32_t c = counter(m, s->pg.funcs[f].counter_va);
		if (c > n) {
			n = c;
			best = f;
		}
	}
	return best;
}

static void phase_close(struct prof_module *m)
{
	if (m->nphases == 0)
		return;
	struct prof_phase *ph = &m->ph[m->nphases - 1];
	ph->calls1 = params(m)->done_calls;
	ph->cycles1 = params(m)->cycles_total;
}

/* A phase begins where the one before ended, not at a new reading: on
 * two CPUs the module goes on calling while we work, and the calls
 * between our readings would belong to no phase. */
static void phase_open(const struct prof_server *s, struct prof_module *m)
{
	if (m->nphases == PROF_MAX_PHASES)
		return;
	struct prof_phase *ph = &m->ph[m->nphases++];
	if (m->nphases > 1) {
		ph->calls0 = ph->calls1 = ph[-1].calls1;
		ph->cycles0 = ph->cycles1 = ph[-1].cycles1;
	} else {
		ph->calls0 = ph->calls1 = params(m)->done_calls;
		ph->cycles0 = ph->cycles1 = params(m)->cycles_total;
	}
	ph->tier = m->tier[hottest(s, m)];
}

static uint32_t phase_calls(const struct prof_phase *ph) { return sub_sat(ph->calls1, ph->calls0); }

static uint32_t phase_cpc(const struct prof_phase *ph)
{
	uint32_t n = phase_calls(ph);
	return n ? (uint32_t)(sub_sat64(ph->cycles1, ph->cycles0) / n) : 0;
}

/* Forget module slot s, and its view. */
static void forget(struct prof_server *s, uint32_t slot)
{
	struct prof_module *m = &s->mods[slot];
	if (m->view_pages)
		s->env.unmap(s->env.ctx, m->view_va, m->view_pages);
	memset(m, 0, sizeof *m);
}

/* Make sure we look at the module now in jit slot `slot`. */
static int refresh(struct prof_server *s, uint32_t slot)
{
	struct prof_module *m = &s->mods[slot];
	uint32_t va, pages;
	int serial = jitc_share(&s->jit, (int)slot, m->serial, &va, &pages);
	if (serial < 0)
		return -1;
	if (!pages)
		return m->view ? 0 : -1;
	forget(s, slot);
	m->serial = (uint32_t)serial;
	if (pages > MSG_MAX_PAGES || pages * PAGE_SIZE < sizeof(struct rt_params)) {
		s->env.print("profiler: handle %u: a view of %u pages cannot be a module's\n", slot,
			     pages);
		s->env.unmap(s->env.ctx, va, pages);
		return -1;	/* and not again for this serial */
	}
	m->view_va = va;
	m->view_pages = pages;
	m->view_size = pages * PAGE_SIZE;
	m->view = bf_conn_ptr(&s->jit, va);
	if (page(s, m))
		return 0;	/* we hold the view, and ignore it */
	phase_open(s, m);
	/* functions may start above tier 0 (`tier` pins, forced tiers) */
	for (uint32_t f = 0; f < s->pg.nfuncs; f++) {
		int t = s->pg.funcs[f].defined ? jitc_func_tier(&s->jit, (int)slot, f) : 0;
		if (t > 0)
			m->tier[f] = (uint8_t)(t < 3 ? t : 3);
	}
	m->ph[0].tier = m->tier[hottest(s, m)];
	m->ph[0].calls0 = 0;	/* the first phase began when the module did */
	m->ph[0].cycles0 = 0;
	return 0;
}

/* Tier up every function whose calls crossed its next threshold. */
static void scan(struct prof_server *s, uint32_t slot)
{
	uint64_t woke = s->env.now();	/* we run as soon as the module signals */
	struct prof_module *m = &s->mods[slot];
	if (refresh(s, slot) || page(s, m))
		return;
	const struct prof_page *pg = &s->pg;	/* stays ours while the jit compiles */
	for (uint32_t f = 0; f < pg->nfuncs; f++) {
		const struct prof_fn *pf = &pg->funcs[f];
		if (!pf->defined || !pf->counter_va)
			continue;
		uint32_t calls = counter(m, pf->counter_va), target = m->tier[f];
		while (target < 3 && calls >= pg->thresholds[target])
			target++;
		if (target == m->tier[f])
			continue;
		struct jit_tiered t;
		int r = jitc_tier(&s->jit, (int)slot, f, (int)target, &t);
		if (r == JIT_EGONE)
			return;	/* the module ended under the compile: its death ends the rest */
		if (r < 0) {
			s->env.print("profiler: %s: tier %u of %s failed (%d)\n", pg->module, target,
				     pf->name, r);
			m->tier[f] = 3;	/* do not retry on every signal */
			continue;
		}
		phase_close(m);
		if (m->tier[f] == 0)
			m->calls_t0[f] = calls;	/* its tier-0 code stops counting cycles */
		m->latency[f][target] = (uint32_t)(s->env.now() - woke);
		m->tier[f] = (uint8_t)target;
		m->tierups[f]++;
		m->compile[f][target] = t.cycles;
		phase_open(s, m);
	}
	if (pg->finished && !m->done) {
		phase_close(m);
		m->done = 1;
	}
}

void prof_signal(struct prof_server *s, uint32_t bits)
{
	for (uint32_t slot = 0; slot < PROF_SLOTS && slot < 31; slot++)
		if (bits & (1u << slot))
			scan(s, slot);
}

static void print_module(struct prof_server *s, struct prof_module *m)
{
	int (*print)(const char *, ...) __attribute__((format(printf, 1, 2))) = s->env.print;
	if (page(s, m)) {
		print("%-10s   invalid parameter page (%s): profile ignored\n", m->name, m->bad);
		return;
	}
	const struct prof_page *pg = &s->pg;
	for (uint32_t f = 0; f < pg->nfuncs; f++) {
		const struct prof_fn *pf = &pg->funcs[f];
		if (!pf->defined)
			continue;
		uint32_t calls = counter(m, pf->counter_va);
		uint32_t n0 = m->tier[f] == 0 ? calls : m->calls_t0[f];
		uint64_t c0 = cycles_t0(m, pf->cycles_va);
		print("%-10s %-20s %6u %4u %10llu %6u %7u %7u %7u\n", pg->module, pf->name,
		      sub_sat(calls, m->base[f]), m->tier[f], (unsigned long long)c0,
		      n0 ? (uint32_t)(c0 / n0) : 0, m->compile[f][1], m->compile[f][2],
		      m->compile[f][3]);
	}
	for (int i = 0; i < m->nphases; i++) {
		const struct prof_phase *ph = &m->ph[i];
		uint32_t n = phase_calls(ph);
		if (!n && i + 1 < m->nphases)
			continue;
		print("%-10s   phase %d (hot fn tier %u): %u calls, %u cycles/call\n", pg->module, i,
		      ph->tier, n, phase_cpc(ph));
	}
	print("%-10s   %u calls of the entry, %s\n", pg->module, pg->done_calls,
	      pg->finished ? "finished" : "running");
}

static void print_table(struct prof_server *s)
{
	s->env.print("MODULE     FUNCTION              CALLS TIER  T0-CYCLES T0-AVG  T1-CMP  T2-CMP  T3-CMP\n");
	for (uint32_t slot = 0; slot < PROF_SLOTS; slot++)
		if (s->mods[slot].view)
			print_module(s, &s->mods[slot]);
}

static void reset(struct prof_server *s)
{
	for (uint32_t slot = 0; slot < PROF_SLOTS; slot++) {
		struct prof_module *m = &s->mods[slot];
		if (!m->view || page(s, m))
			continue;
		for (uint32_t f = 0; f < RT_MAX_FUNCS; f++) {
			m->base[f] = f < s->pg.nfuncs ? counter(m, s->pg.funcs[f].counter_va) : 0;
			memset(m->compile[f], 0, sizeof m->compile[f]);
		}
		m->nphases = 0;
		phase_open(s, m);
	}
}

/* PROF_QUERY: w1 function, w2 tier T -> tier; calls, tier-ups, latency of T. */
static int query(const struct prof_server *s, const struct prof_module *m, const struct bf_msg *q,
		 struct bf_msg *out)
{
	uint32_t f = q->w[1];
	if (f >= s->pg.nfuncs)
		return PROF_EINVAL;
	out->w[1] = counter(m, s->pg.funcs[f].counter_va);
	out->w[2] = m->tierups[f];
	out->w[3] = m->latency[f][q->w[2] < 4 ? q->w[2] : 0];
	return m->tier[f];
}

/* PROF_PHASE: w1 phase -> its tier; entry calls, cycles per call. */
static int phase(const struct prof_module *m, uint32_t i, struct bf_msg *out)
{
	if (i >= (uint32_t)m->nphases)
		return PROF_ENOENT;
	const struct prof_phase *ph = &m->ph[i];
	out->w[1] = phase_calls(ph);
	out->w[2] = phase_cpc(ph);
	return ph->tier;
}

/* PROF_CURVE: print the points -> how many. */
static int curve(const struct prof_server *s, const struct prof_module *m)
{
	const struct prof_page *pg = &s->pg;
	for (uint32_t i = 0; i < pg->ncurve; i++) {
		uint32_t c = params(m)->curve[i];	/* i < RT_CURVE_MAX: inside the page */
		s->env.print("curve %s %u %u\n", pg->module, (i + 1) * pg->curve_bucket, c);
	}
	return (int)pg->ncurve;
}

/* PROF_SWAPS: print the harness's records of tier changes -> how many.
 * Every field is a value read once; only nswaps bounds a loop, checked. */
static int swaps(const struct prof_server *s, const struct prof_module *m)
{
	uint32_t n = params(m)->nswaps;
	if (n > RT_SWAP_MAX)
		return PROF_EBADPAGE;
	for (uint32_t i = 0; i < n; i++) {
		const volatile struct rt_swap *w = &params(m)->swaps[i];
		uint32_t sig = w->signal_call, live = w->live_call, before = w->before;
		uint32_t peak = w->peak, after = w->after, lat = w->latency, pc = w->peak_call;
		s->env.print("swap %s %u %u %u %u %u %u %u %u\n", s->pg.module, i, sig, live, before, peak,
			     after, lat, pc);
	}
	return (int)n;
}

static int request(struct prof_server *s, const struct bf_msg *q, struct bf_msg *out)
{
	uint32_t op = q->label & MSG_LABEL_MASK;
	struct prof_module *m = q->w[0] < PROF_SLOTS ? &s->mods[q->w[0]] : 0;
	switch (op) {
	case PROF_PRINT:
		print_table(s);
		return 0;
	case PROF_RESET:
		reset(s);
		return 0;
	case PROF_FORGET:
		if (!m)
			return PROF_EINVAL;
		forget(s, q->w[0]);
		return 0;
	case PROF_QUERY:
	case PROF_PHASE:
	case PROF_CURVE:
	case PROF_STATS:
	case PROF_SWAPS:
		break;
	default:
		return PROF_EINVAL;
	}
	if (!m || !m->view)
		return PROF_EINVAL;	/* no such module, or never signalled */
	if (page(s, m))
		return PROF_EBADPAGE;
	switch (op) {
	case PROF_QUERY:
		return query(s, m, q, out);
	case PROF_PHASE:
		return phase(m, q->w[1], out);
	case PROF_CURVE:
		return curve(s, m);
	case PROF_SWAPS:
		return swaps(s, m);
	default:	/* PROF_STATS */
		out->w[1] = s->pg.mismatches;
		out->w[2] = s->pg.finished;
		/* a count, never to be taken for an error code */
		return s->pg.done_calls < 0x80000000u ? (int)s->pg.done_calls : 0x7fffffff;
	}
}

void prof_serve(struct prof_server *s, struct bf_msg *m)
{
	struct bf_msg out = { 0, { 0, 0, 0, 0 }, 0 };
	out.w[0] = (uint32_t)request(s, m, &out);
	*m = out;
}
