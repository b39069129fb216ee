/* The profiler server.  Per module and function: calls (read from the
 * counters that tier-0..2 code keeps in module data), current tier, and
 * compile time of each tier; per module: cycles per entry call in each
 * phase between tier changes.  When a function's calls reach the next
 * threshold (100 / 1000 / 10000 by default, set per module at load) it
 * asks the jit server for that tier.  Modules pay no IPC per call: the
 * runtime harness signals us only when a threshold is crossed. */
#include <string.h>
#include "lib/user/sys.h"
#include "lib/rt/rt.h"
#include "servers/jit/server/jit_proto.h"
#include "servers/profiler/prof_proto.h"

#define SLOTS 16
#define MAX_PHASES 8

struct phase {
	uint32_t calls0, calls1;	/* entry calls at its start and end */
	uint64_t cycles0, cycles1;
	uint8_t tier;			/* tier of the hottest function during it */
};

struct pmod {
	uint32_t serial;		/* jit load serial of the view we hold */
	const struct rt_params *p;	/* read-only view of the module's params */
	uint32_t view_va, view_pages;
	uint8_t tier[RT_MAX_FUNCS];
	uint32_t tierups[RT_MAX_FUNCS];
	uint32_t compile[RT_MAX_FUNCS][4];	/* compile cycles per tier */
	uint32_t base[RT_MAX_FUNCS];		/* counters at the last reset */
	uint32_t latency[RT_MAX_FUNCS][4];	/* signal -> tier's code live, cycles */
	uint32_t calls_t0[RT_MAX_FUNCS];	/* calls made while it was at tier 0 */
	int nphases;
	struct phase ph[MAX_PHASES];
	int done;
};

static struct pmod mods[SLOTS];

static uint32_t counter(const struct pmod *m, uint32_t f)
{
	uint32_t va = m->p->funcs[f].counter_va;
	if (!va || va < RT_PARAMS_VA || va >= RT_PARAMS_VA + m->view_pages * PAGE_SIZE)
		return 0;
	return *(const volatile uint32_t *)(m->view_va + (va - RT_PARAMS_VA));
}

/* Cycles tier-0 code spent in function f (inclusive of its callees). */
static uint64_t cycles_t0(const struct pmod *m, uint32_t f)
{
	uint32_t va = m->p->funcs[f].cycles_va;
	if (!va || va < RT_PARAMS_VA || va + 8 > RT_PARAMS_VA + m->view_pages * PAGE_SIZE)
		return 0;
	const volatile uint32_t *c = (const volatile uint32_t *)(m->view_va + (va - RT_PARAMS_VA));
	return ((uint64_t)c[1] << 32) | c[0];
}

static uint32_t hottest(const struct pmod *m)
{
	uint32_t best = 0, n = 0;
	for (uint32_t f = 0; f < m->p->nfuncs && f < RT_MAX_FUNCS; f++)
		if (counter(m, f) > n) {
			n = counter(m, f);
			best = f;
		}
	return best;
}

static void phase_close(struct pmod *m)
{
	if (m->nphases == 0)
		return;
	struct phase *ph = &m->ph[m->nphases - 1];
	ph->calls1 = m->p->done_calls;
	ph->cycles1 = m->p->cycles_total;
}

static void phase_open(struct pmod *m)
{
	if (m->nphases == MAX_PHASES)
		return;
	struct phase *ph = &m->ph[m->nphases++];
	ph->calls0 = ph->calls1 = m->p->done_calls;
	ph->cycles0 = ph->cycles1 = m->p->cycles_total;
	ph->tier = m->tier[hottest(m)];
}

/* Make sure we look at the module now in jit slot s. */
static int refresh(uint32_t s)
{
	struct pmod *m = &mods[s];
	struct bf_msg q = { JIT_SHARE, { s, m->serial, 0, 0 }, 0 };
	if (bf_call(PROF_SLOT_JIT, &q) < 0 || (int32_t)q.w[0] < 0)
		return -1;
	if (!(q.label & MSG_SHARE_RO))
		return m->p ? 0 : -1;
	if (m->view_pages)
		bf_unmap(m->view_va, m->view_pages);
	memset(m, 0, sizeof *m);
	m->serial = q.w[0];
	m->view_va = q.w[2];
	m->view_pages = q.w[3];
	m->p = (const struct rt_params *)m->view_va;
	phase_open(m);
	/* functions may start above tier 0 (`tier` pins, forced tiers) */
	for (uint32_t f = 0; f < m->p->nfuncs && f < RT_MAX_FUNCS; f++) {
		struct bf_msg t = { JIT_FUNC_TIER, { s, f, 0, 0 }, 0 };
		if (m->p->funcs[f].defined && bf_call(PROF_SLOT_JIT, &t) == 0 && (int32_t)t.w[0] > 0)
			m->tier[f] = (uint8_t)t.w[0];
	}
	m->ph[0].tier = m->tier[hottest(m)];
	m->ph[0].calls0 = 0;	/* the first phase began when the module did */
	m->ph[0].cycles0 = 0;
	return 0;
}


/* Tier up every function whose calls crossed its next threshold. */
static void scan(uint32_t s)
{
	uint64_t woke = bf_rdtsc();	/* we run as soon as the module signals */
	if (refresh(s))
		return;
	struct pmod *m = &mods[s];
	const struct rt_params *p = m->p;
	for (uint32_t f = 0; f < p->nfuncs && f < RT_MAX_FUNCS; f++) {
		if (!p->funcs[f].defined || !p->funcs[f].counter_va)
			continue;
		uint32_t calls = counter(m, f), target = m->tier[f];
		while (target < 3 && calls >= p->thresholds[target])
			target++;
		if (target == m->tier[f])
			continue;
		struct bf_msg q = { JIT_TIER, { s, f, target, 0 }, 0 };
		if (bf_call(PROF_SLOT_JIT, &q) < 0 || (int32_t)q.w[0] < 0) {
			bf_printf("profiler: %s: tier %u of %s failed (%d)\n", p->module, target,
				  p->funcs[f].name, (int32_t)q.w[0]);
			m->tier[f] = 3;	/* do not retry on every signal */
			continue;
		}
		phase_close(m);
		if (m->tier[f] == 0)
			m->calls_t0[f] = calls;	/* its tier-0 code stops counting cycles */
		m->latency[f][target] = (uint32_t)(bf_rdtsc() - woke);
		m->tier[f] = (uint8_t)target;
		m->tierups[f]++;
		m->compile[f][target] = q.w[1];
		phase_open(m);
	}
	if (p->finished && !m->done) {
		phase_close(m);
		m->done = 1;
	}
}

static void print_table(void)
{
	bf_printf("MODULE     FUNCTION              CALLS TIER  T0-CYCLES T0-AVG  T1-CMP  T2-CMP  T3-CMP\n");
	for (uint32_t s = 0; s < SLOTS; s++) {
		struct pmod *m = &mods[s];
		if (!m->p)
			continue;
		const struct rt_params *p = m->p;
		for (uint32_t f = 0; f < p->nfuncs && f < RT_MAX_FUNCS; f++) {
			if (!p->funcs[f].defined)
				continue;
			uint32_t n0 = m->tier[f] == 0 ? counter(m, f) : m->calls_t0[f];
			uint64_t c0 = cycles_t0(m, f);
			bf_printf("%-10s %-20s %6u %4u %10llu %6u %7u %7u %7u\n", p->module, p->funcs[f].name,
				  counter(m, f) - m->base[f], m->tier[f], (unsigned long long)c0,
				  n0 ? (uint32_t)(c0 / n0) : 0, m->compile[f][1], m->compile[f][2],
				  m->compile[f][3]);
		}
		for (int i = 0; i < m->nphases; i++) {
			const struct phase *ph = &m->ph[i];
			uint32_t n = ph->calls1 - ph->calls0;
			if (!n && i + 1 < m->nphases)
				continue;
			bf_printf("%-10s   phase %d (hot fn tier %u): %u calls, %u cycles/call\n",
				  p->module, i, ph->tier, n,
				  n ? (uint32_t)((ph->cycles1 - ph->cycles0) / n) : 0);
		}
		bf_printf("%-10s   %u calls of the entry, %s\n", p->module, p->done_calls,
			  p->finished ? "finished" : "running");
	}
}

int main(void)
{
	if (bf_notify_bind(PROF_SLOT_NOTIFY) < 0) {
		bf_printf("profiler: cannot bind the module notification\n");
		return 1;
	}
	struct bf_msg m;
	int r = bf_recv(PROF_SLOT_EP, &m);
	for (;;) {
		if (r < 0) {
			r = bf_recv(PROF_SLOT_EP, &m);
			continue;
		}
		if (m.badge == NOTIFY_BADGE) {
			for (uint32_t s = 0; s < SLOTS && s < 31; s++)
				if (m.label & (1u << s))
					scan(s);
			r = bf_recv(PROF_SLOT_EP, &m);
			continue;
		}
		struct bf_msg out = { 0, { 0, 0, 0, 0 }, 0 };
		int res = 0;
		switch (m.label & MSG_LABEL_MASK) {
		case PROF_PRINT:
			print_table();
			break;
		case PROF_RESET:
			for (uint32_t s = 0; s < SLOTS; s++) {
				struct pmod *pm = &mods[s];
				if (!pm->p)
					continue;
				for (uint32_t f = 0; f < RT_MAX_FUNCS; f++) {
					pm->base[f] = f < pm->p->nfuncs ? counter(pm, f) : 0;
					memset(pm->compile[f], 0, sizeof pm->compile[f]);
				}
				pm->nphases = 0;
				phase_open(pm);
			}
			break;
		case PROF_FORGET:
			if (m.w[0] >= SLOTS) {
				res = PROF_EINVAL;
			} else {
				struct pmod *pm = &mods[m.w[0]];
				if (pm->view_pages)
					bf_unmap(pm->view_va, pm->view_pages);
				memset(pm, 0, sizeof *pm);
			}
			break;
		case PROF_QUERY:
			if (m.w[0] >= SLOTS || !mods[m.w[0]].p || m.w[1] >= RT_MAX_FUNCS) {
				res = PROF_EINVAL;
			} else {
				struct pmod *pm = &mods[m.w[0]];
				res = pm->tier[m.w[1]];
				out.w[1] = counter(pm, m.w[1]);
				out.w[2] = pm->tierups[m.w[1]];
				out.w[3] = pm->latency[m.w[1]][m.w[2] < 4 ? m.w[2] : 0];
			}
			break;
		case PROF_PHASE:
			if (m.w[0] >= SLOTS || !mods[m.w[0]].p) {
				res = PROF_EINVAL;
			} else if ((int)m.w[1] >= mods[m.w[0]].nphases) {
				res = PROF_ENOENT;
			} else {
				const struct phase *ph = &mods[m.w[0]].ph[m.w[1]];
				uint32_t n = ph->calls1 - ph->calls0;
				res = ph->tier;
				out.w[1] = n;
				out.w[2] = n ? (uint32_t)((ph->cycles1 - ph->cycles0) / n) : 0;
			}
			break;
		case PROF_CURVE:
			if (m.w[0] >= SLOTS || !mods[m.w[0]].p) {
				res = PROF_EINVAL;
			} else {
				const struct rt_params *p = mods[m.w[0]].p;
				uint32_t n = p->ncurve < RT_CURVE_MAX ? p->ncurve : RT_CURVE_MAX;
				for (uint32_t i = 0; i < n; i++)
					bf_printf("curve %s %u %u\n", p->module, (i + 1) * p->curve_bucket,
						  p->curve[i]);
				res = (int)n;
			}
			break;
		case PROF_STATS:
			if (m.w[0] >= SLOTS || !mods[m.w[0]].p) {
				res = PROF_EINVAL;
			} else {
				const struct rt_params *p = mods[m.w[0]].p;
				res = (int)p->done_calls;
				out.w[1] = p->mismatches;
				out.w[2] = p->finished;
			}
			break;
		default:
			res = PROF_EINVAL;
		}
		out.w[0] = (uint32_t)res;
		r = bf_reply_recv(PROF_SLOT_EP, &out);
		m = out;
	}
}
