/* See prof_serve.h.  Every handle and index from a request is checked
 * against the table and the module's view before use: a bad one is
 * PROF_EINVAL (or PROF_ENOENT past the last phase), never a fault.  A
 * counter address outside the view reads as 0. */
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

/* The word at module address va, if the view holds it (len bytes). */
static const volatile uint32_t *in_view(const struct prof_module *m, uint32_t va, uint32_t len)
{
	if (!va || va < RT_PARAMS_VA || va - RT_PARAMS_VA + len > m->view_pages * PAGE_SIZE)
		return 0;
	return (const volatile uint32_t *)((const uint8_t *)m->p + (va - RT_PARAMS_VA));
}

static uint32_t counter(const struct prof_module *m, uint32_t f)
{
	const volatile uint32_t *c = in_view(m, m->p->funcs[f].counter_va, 4);
	return c ? *c : 0;
}

/* Cycles tier-0 code spent in function f (inclusive of its callees). */
static uint64_t cycles_t0(const struct prof_module *m, uint32_t f)
{
	const volatile uint32_t *c = in_view(m, m->p->funcs[f].cycles_va, 8);
	return c ? ((uint64_t)c[1] << 32) | c[0] : 0;
}

static uint32_t nfuncs(const struct prof_module *m)
{
	return m->p->nfuncs < RT_MAX_FUNCS ? m->p->nfuncs : RT_MAX_FUNCS;
}

static uint32_t hottest(const struct prof_module *m)
{
	uint32_t best = 0, n = 0;
	for (uint32_t f = 0; f < nfuncs(m); f++)
		if (counter(m, f) > n) {
			n = counter(m, f);
			best = f;
		}
	return best;
}

static void phase_close(struct prof_module *m)
{
	if (m->nphases == 0)
		return;
	struct prof_phase *ph = &m->ph[m->nphases - 1];
	ph->calls1 = m->p->done_calls;
	ph->cycles1 = m->p->cycles_total;
}

static void phase_open(struct prof_module *m)
{
	if (m->nphases == PROF_MAX_PHASES)
		return;
	struct prof_phase *ph = &m->ph[m->nphases++];
	ph->calls0 = ph->calls1 = m->p->done_calls;
	ph->cycles0 = ph->cycles1 = m->p->cycles_total;
	ph->tier = m->tier[hottest(m)];
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
		return m->p ? 0 : -1;
	forget(s, slot);
	m->serial = (uint32_t)serial;
	m->view_va = va;
	m->view_pages = pages;
	m->p = bf_conn_ptr(&s->jit, va);
	phase_open(m);
	/* functions may start above tier 0 (`tier` pins, forced tiers) */
	for (uint32_t f = 0; f < nfuncs(m); f++) {
		int t = m->p->funcs[f].defined ? jitc_func_tier(&s->jit, (int)slot, f) : 0;
		if (t > 0)
			m->tier[f] = (uint8_t)t;
	}
	m->ph[0].tier = m->tier[hottest(m)];
	m->ph[0].calls0 = 0;	/* the first phase began when the module did */
	m->ph[0].cycles0 = 0;
	return 0;
}

/* Tier up every function whose calls crossed its next threshold. */
static void scan(struct prof_server *s, uint32_t slot)
{
	uint64_t woke = s->env.now();	/* we run as soon as the module signals */
	if (refresh(s, slot))
		return;
	struct prof_module *m = &s->mods[slot];
	const struct rt_params *p = m->p;
	for (uint32_t f = 0; f < nfuncs(m); f++) {
		if (!p->funcs[f].defined || !p->funcs[f].counter_va)
			continue;
		uint32_t calls = counter(m, f), target = m->tier[f];
		while (target < 3 && calls >= p->thresholds[target])
			target++;
		if (target == m->tier[f])
			continue;
		struct jit_tiered t;
		int r = jitc_tier(&s->jit, (int)slot, f, (int)target, &t);
		if (r < 0) {
			s->env.print("profiler: %s: tier %u of %s failed (%d)\n", p->module, target,
				     p->funcs[f].name, r);
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
		phase_open(m);
	}
	if (p->finished && !m->done) {
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

static void print_table(struct prof_server *s)
{
	int (*print)(const char *, ...) __attribute__((format(printf, 1, 2))) = s->env.print;
	print("MODULE     FUNCTION              CALLS TIER  T0-CYCLES T0-AVG  T1-CMP  T2-CMP  T3-CMP\n");
	for (uint32_t slot = 0; slot < PROF_SLOTS; slot++) {
		struct prof_module *m = &s->mods[slot];
		if (!m->p)
			continue;
		const struct rt_params *p = m->p;
		for (uint32_t f = 0; f < nfuncs(m); f++) {
			if (!p->funcs[f].defined)
				continue;
			uint32_t n0 = m->tier[f] == 0 ? counter(m, f) : m->calls_t0[f];
			uint64_t c0 = cycles_t0(m, f);
			print("%-10s %-20s %6u %4u %10llu %6u %7u %7u %7u\n", p->module, p->funcs[f].name,
			      counter(m, f) - m->base[f], m->tier[f], (unsigned long long)c0,
			      n0 ? (uint32_t)(c0 / n0) : 0, m->compile[f][1], m->compile[f][2],
			      m->compile[f][3]);
		}
		for (int i = 0; i < m->nphases; i++) {
			const struct prof_phase *ph = &m->ph[i];
			uint32_t n = ph->calls1 - ph->calls0;
			if (!n && i + 1 < m->nphases)
				continue;
			print("%-10s   phase %d (hot fn tier %u): %u calls, %u cycles/call\n", p->module, i,
			      ph->tier, n, n ? (uint32_t)((ph->cycles1 - ph->cycles0) / n) : 0);
		}
		print("%-10s   %u calls of the entry, %s\n", p->module, p->done_calls,
		      p->finished ? "finished" : "running");
	}
}

static void reset(struct prof_server *s)
{
	for (uint32_t slot = 0; slot < PROF_SLOTS; slot++) {
		struct prof_module *m = &s->mods[slot];
		if (!m->p)
			continue;
		for (uint32_t f = 0; f < RT_MAX_FUNCS; f++) {
			m->base[f] = f < m->p->nfuncs ? counter(m, f) : 0;
			memset(m->compile[f], 0, sizeof m->compile[f]);
		}
		m->nphases = 0;
		phase_open(m);
	}
}

/* PROF_QUERY: w1 function, w2 tier T -> tier; calls, tier-ups, latency of T. */
static int query(struct prof_module *m, const struct bf_msg *q, struct bf_msg *out)
{
	uint32_t f = q->w[1];
	if (f >= RT_MAX_FUNCS)
		return PROF_EINVAL;
	out->w[1] = counter(m, f);
	out->w[2] = m->tierups[f];
	out->w[3] = m->latency[f][q->w[2] < 4 ? q->w[2] : 0];
	return m->tier[f];
}

/* PROF_PHASE: w1 phase -> its tier; entry calls, cycles per call. */
static int phase(struct prof_module *m, uint32_t i, struct bf_msg *out)
{
	if ((int)i >= m->nphases || (int)i < 0)
		return PROF_ENOENT;
	const struct prof_phase *ph = &m->ph[i];
	uint32_t n = ph->calls1 - ph->calls0;
	out->w[1] = n;
	out->w[2] = n ? (uint32_t)((ph->cycles1 - ph->cycles0) / n) : 0;
	return ph->tier;
}

/* PROF_CURVE: print the points -> how many. */
static int curve(struct prof_server *s, const struct rt_params *p)
{
	uint32_t n = p->ncurve < RT_CURVE_MAX ? p->ncurve : RT_CURVE_MAX;
	for (uint32_t i = 0; i < n; i++)
		s->env.print("curve %s %u %u\n", p->module, (i + 1) * p->curve_bucket, p->curve[i]);
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
		break;
	default:
		return PROF_EINVAL;
	}
	if (!m || !m->p)
		return PROF_EINVAL;	/* no such module, or never signalled */
	switch (op) {
	case PROF_QUERY:
		return query(m, q, out);
	case PROF_PHASE:
		return phase(m, q->w[1], out);
	case PROF_CURVE:
		return curve(s, m->p);
	default:	/* PROF_STATS */
		out->w[1] = m->p->mismatches;
		out->w[2] = m->p->finished;
		return (int)m->p->done_calls;
	}
}

void prof_serve(struct prof_server *s, struct bf_msg *m)
{
	struct bf_msg out = { 0, { 0, 0, 0, 0 }, 0 };
	out.w[0] = (uint32_t)request(s, m, &out);
	*m = out;
}
