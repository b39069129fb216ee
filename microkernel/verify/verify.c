/* The code verifier's rules (see verify.h and docs/secure-jit.md).
 *
 * One pass over the bundles.  Bundles are independent: no instruction
 * crosses a boundary, so decoding from a bundle's start is the one and
 * only way to read it, and "is X an instruction start" is answered by
 * decoding X's bundle from its start -- no table of starts, no memory
 * beyond two 47-byte windows.  Portable. */
#include <string.h>
#include "microkernel/verify/verify.h"
#include "microkernel/verify/x86dec.h"

#define WINDOW (VERIFY_BUNDLE + 15)	/* a bundle and what may run past it */

struct window {
	uint8_t b[WINDOW];
	uint32_t have;		/* bytes of b that are the image's */
};

/* The bundle at off, and up to 15 bytes of the next, so an instruction
 * that crosses is still decoded whole (and one cut by the image's end is
 * not decoded at all). */
static void load(struct window *w, verify_fetch fetch, void *ctx, uint32_t len, uint32_t off)
{
	memcpy(w->b, fetch(ctx, off), VERIFY_BUNDLE);
	w->have = VERIFY_BUNDLE;
	if (off + VERIFY_BUNDLE < len) {
		memcpy(w->b + VERIFY_BUNDLE, fetch(ctx, off + VERIFY_BUNDLE), WINDOW - VERIFY_BUNDLE);
		w->have = WINDOW;
	}
}

const char *verify_rule_name(int rule)
{
	static const char *names[V_RULES] = {
		"accepted", "unknown-instruction", "bundle-crossing", "forbidden-instruction",
		"int3-outside-padding", "direct-target", "unmasked-indirect",
		"indirect-through-memory", "plain-ret", "call-not-at-bundle-end", "image-size",
	};
	return rule >= 0 && rule < V_RULES ? names[rule] : "?";
}

int verify_is_ext(const struct verify_env *env, uint32_t va)
{
	uint32_t lo = 0, hi = env->next;
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (env->ext[mid] == va)
			return 1;
		if (env->ext[mid] < va)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

static int is_indirect_reg(int cls) { return cls == XC_JMP_REG || cls == XC_CALL_REG; }

/* Is offset `off` of the image an instruction start that a direct jump
 * may take: reached by decoding its bundle from the start, and not the
 * jump of a masked pair (which would skip the mask)? */
static int is_start(verify_fetch fetch, void *ctx, uint32_t len, uint32_t off)
{
	struct window w;
	uint32_t bs = off & ~(VERIFY_BUNDLE - 1), i = 0;
	int prev_mask = -1;
	if (off == bs)
		return 1;	/* a bundle start; if that bundle is bad, the pass refuses it */
	load(&w, fetch, ctx, len, bs);
	while (i < VERIFY_BUNDLE) {
		struct vx_insn in;
		if (!x86_decode(w.b + i, w.have - i, &in) || in.cls == XC_FORBID ||
		    in.len > VERIFY_BUNDLE - i)
			return 0;
		if (bs + i == off)
			return !(is_indirect_reg(in.cls) && prev_mask == in.reg);
		if (bs + i > off)
			return 0;
		prev_mask = in.cls == XC_MASK ? in.reg : -1;
		i += in.len;
	}
	return 0;
}

static int refuse(struct verify_result *res, uint32_t off, int rule, const char *detail)
{
	res->offset = off;
	res->rule = rule;
	res->detail = detail;
	return rule;
}

int verify_image(verify_fetch fetch, void *ctx, uint32_t len, uint32_t base,
		 const struct verify_env *env, struct verify_result *res)
{
	struct window w;
	if (len == 0 || len % VERIFY_BUNDLE || base % VERIFY_BUNDLE)
		return refuse(res, 0, V_SIZE, "");
	for (uint32_t b = 0; b < len; b += VERIFY_BUNDLE) {
		uint32_t i = 0, pad = 0;
		int prev_mask = -1, in_pad = 0;
		load(&w, fetch, ctx, len, b);
		while (i < VERIFY_BUNDLE) {
			struct vx_insn in;
			uint32_t at = b + i;
			if (w.b[i] == 0xCC) {
				/* INT3, as x86_decode classes it, without decoding:
				 * it fills the rest of every code page (a tier-up's
				 * few hundred bytes of code come in a page of them),
				 * and decoding it byte by byte was most of the
				 * verifier's time */
				if (!in_pad) {
					in_pad = 1;
					pad = at;
				}
				prev_mask = -1;
				i++;
				continue;
			}
			if (!x86_decode(w.b + i, w.have - i, &in))
				return refuse(res, at, V_UNKNOWN, "");
			if (in.cls == XC_FORBID)
				return refuse(res, at, V_FORBIDDEN, x86_forbid_name(in.why));
			if (in.len > VERIFY_BUNDLE - i)
				return refuse(res, at, V_BUNDLE, "");
			/* padding: NOPs and INT3s up to the bundle's end */
			if (in.cls == XC_INT3 && !in_pad) {
				in_pad = 1;
				pad = at;
			} else if (in.cls != XC_INT3 && in.cls != XC_NOP && in_pad) {
				return refuse(res, pad, V_INT3, "");
			}
			uint32_t end = at + in.len;
			switch (in.cls) {
			case XC_JMP: case XC_JCC: case XC_CALL: {
				uint32_t target = base + end + (uint32_t)in.rel;
				uint32_t off = target - base;
				if (off < len ? !is_start(fetch, ctx, len, off) : !verify_is_ext(env, target))
					return refuse(res, at, V_TARGET, "");
				break;
			}
			case XC_JMP_REG: case XC_CALL_REG:
				if (prev_mask != in.reg)
					return refuse(res, at, V_UNMASKED, "");
				break;
			case XC_JMP_MEM: case XC_CALL_MEM:
				if (!in.mem_abs || !env->dispatch_va || in.abs % 4 ||
				    in.abs - env->dispatch_va >= 4096u)
					return refuse(res, at, V_INDIRECT_MEM, "");
				break;
			case XC_RET:
				return refuse(res, at, V_RET, "");
			}
			if ((in.cls == XC_CALL || in.cls == XC_CALL_REG || in.cls == XC_CALL_MEM) &&
			    end % VERIFY_BUNDLE)
				return refuse(res, at, V_CALL_ALIGN, "");
			prev_mask = in.cls == XC_MASK ? in.reg : -1;
			i += in.len;
		}
	}
	return refuse(res, 0, V_OK, "");
}

static const uint8_t *fetch_flat(void *ctx, uint32_t off)
{
	return (const uint8_t *)ctx + off;
}

int verify_code(const uint8_t *code, uint32_t len, uint32_t base,
		const struct verify_env *env, struct verify_result *res)
{
	return verify_image(fetch_flat, (void *)code, len, base, env, res);
}
