/* See prof_client.h: one function a request, the message layout of
 * prof_proto.h in one place. */
#include "servers/profiler/prof_client.h"

int profc_print(const struct bf_conn *c) { return bf_conn_call(c, PROF_PRINT, 0, 0, 0, 0, 0); }
int profc_reset(const struct bf_conn *c) { return bf_conn_call(c, PROF_RESET, 0, 0, 0, 0, 0); }

int profc_forget(const struct bf_conn *c, int h)
{
	return bf_conn_call(c, PROF_FORGET, (uint32_t)h, 0, 0, 0, 0);
}

int profc_query(const struct bf_conn *c, int h, uint32_t f, int tier, struct prof_func *out)
{
	struct bf_msg m;
	int r = bf_conn_call(c, PROF_QUERY, (uint32_t)h, f, (uint32_t)tier, 0, &m);
	if (r >= 0 && out) {
		out->calls = m.w[1];
		out->tierups = m.w[2];
		out->latency = m.w[3];
	}
	return r;
}

int profc_phase(const struct bf_conn *c, int h, uint32_t i, struct prof_phase_info *out)
{
	struct bf_msg m;
	int r = bf_conn_call(c, PROF_PHASE, (uint32_t)h, i, 0, 0, &m);
	if (r >= 0 && out) {
		out->calls = m.w[1];
		out->cycles_per_call = m.w[2];
	}
	return r;
}

int profc_stats(const struct bf_conn *c, int h, struct prof_stats *out)
{
	struct bf_msg m;
	int r = bf_conn_call(c, PROF_STATS, (uint32_t)h, 0, 0, 0, &m);
	if (r >= 0 && out) {
		out->mismatches = m.w[1];
		out->finished = m.w[2];
	}
	return r;
}

int profc_curve(const struct bf_conn *c, int h)
{
	return bf_conn_call(c, PROF_CURVE, (uint32_t)h, 0, 0, 0, 0);
}

int profc_swaps(const struct bf_conn *c, int h)
{
	return bf_conn_call(c, PROF_SWAPS, (uint32_t)h, 0, 0, 0, 0);
}
