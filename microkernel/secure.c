/* The secure JIT, kernel side (see secure.h, docs/secure-jit.md).
 *
 * Guarantees, for a module task x:
 *  - the runtime the kernel trusts (boot module `rt`, checked against the
 *    build at boot by rtboot.c) is mapped read+execute at RT_BASE before
 *    any code can arrive, and nobody may install over it or remove it
 *    (E_PERM for the whole range RT_BASE..RT_IMAGE_BASE);
 *  - x's SECURE_* flags are the switch's at x's creation and never change;
 *  - with SECURE_VERIFY, every INSTALL_CODE into x passes the verifier
 *    (microkernel/verify/) over the whole install unit before a frame
 *    moves, else E_VERIFY and one console line (task, offset, rule); so
 *    all code in RT_IMAGE_BASE..USER_CODE_TOP of x is verified, and a
 *    dispatch entry or an entry point must be a bundle start there, a
 *    runtime export (dispatch) or the runtime's entry (entry point);
 *  - with SECURE_PIN, a syscall is accepted only from the runtime's gate
 *    (EIP after the trap = rt gate_ret); syscall.c kills the task
 *    otherwise (DEATH_SYSCALL_SITE).
 * Portable (host-tested in tests/kernel/unit/test_ksecure.c). */
#include <string.h>
#include "microkernel/secure.h"
#include "microkernel/task.h"
#include "microkernel/kernel.h"
#include "microkernel/physmem.h"
#include "microkernel/verify/verify.h"
#include "lib/rt/rt.h"

const struct rt_image *secure_rt;
/* On by default: the JIT emits the sandboxed form for verified tasks
 * (docs/secure-jit.md, "The switch"); `secure=none` turns both off. */
uint32_t secure_switch = SECURE_SWITCH;

static uint32_t pages_of(uint32_t bytes) { return (bytes + PAGE_SIZE - 1) / PAGE_SIZE; }

int secure_task_init(struct task *x)
{
	x->secure = 0;
	if (!secure_rt)
		return 0;	/* no trusted runtime: nothing to pin to either */
	uint32_t n = pages_of(secure_rt->size);
	for (uint32_t i = 0; i < n; i++) {
		paddr_t pa = frame_alloc();
		if (!pa) {
			while (i--)
				vm_unmap(&x->as, RT_BASE + i * PAGE_SIZE);
			return E_NOMEM;
		}
		uint8_t *page = phys_to_virt(pa);
		uint32_t off = i * PAGE_SIZE, len = secure_rt->size - off;
		memset(page, 0xCC, PAGE_SIZE);
		memcpy(page, secure_rt->data + off, len < PAGE_SIZE ? len : PAGE_SIZE);
		int r = vm_map(&x->as, RT_BASE + i * PAGE_SIZE, pa, VM_EXEC);
		frame_unref(pa);	/* the mapping holds it */
		if (r) {
			while (i--)
				vm_unmap(&x->as, RT_BASE + i * PAGE_SIZE);
			return r;
		}
	}
	x->secure = SECURE_RT | secure_switch;
	return 0;
}

int secure_check_range(const struct task *x, uint32_t dst, uint32_t n)
{
	if (!(x->secure & SECURE_RT))
		return 0;
	return dst < RT_IMAGE_BASE && dst + n * PAGE_SIZE > RT_BASE ? E_PERM : 0;
}

void secure_env(struct verify_env *env)
{
	env->ext = secure_rt ? secure_rt->exports : 0;
	env->next = secure_rt ? secure_rt->nexports : 0;
	env->dispatch_va = USER_DISPATCH_VA;
}

/* The installer's pages, read where they are (their frames). */
struct src_pages {
	struct task *t;
	uint32_t src, page;
	const uint8_t *at;
};

static const uint8_t *fetch_src(void *ctx, uint32_t off)
{
	struct src_pages *s = ctx;
	uint32_t page = off / PAGE_SIZE;
	if (!s->at || page != s->page) {
		paddr_t pa = 0;
		vm_lookup(&s->t->as, s->src + page * PAGE_SIZE, &pa, 0);	/* checked by code.c */
		s->at = phys_to_virt(pa);
		s->page = page;
	}
	return s->at + off % PAGE_SIZE;
}

int secure_verify_install(struct task *t, struct task *x, uint32_t src, uint32_t n, uint32_t dst)
{
	if (!(x->secure & SECURE_VERIFY))
		return 0;
	struct verify_env env;
	struct verify_result res;
	struct src_pages s = { t, src, 0, 0 };
	secure_env(&env);
	if (verify_image(fetch_src, &s, n * PAGE_SIZE, dst, &env, &res) == V_OK)
		return 0;
	kprintf("kernel: verify: task %u (%s): code refused at %08x (offset 0x%x of %u pages from %s): "
		"%s%s%s\n", x->id, x->name, dst + res.offset, res.offset, n, t->name,
		verify_rule_name(res.rule), res.detail[0] ? ": " : "", res.detail);
	return E_VERIFY;
}

int secure_check_target(struct task *x, uint32_t va, int entry)
{
	unsigned fl;
	if (!(x->secure & SECURE_VERIFY))
		return 0;
	if (entry ? va == secure_rt->entry : verify_is_ext(&(struct verify_env){ secure_rt->exports,
							secure_rt->nexports, 0 }, va))
		return 0;
	if (va % VERIFY_BUNDLE || va < RT_IMAGE_BASE || va >= USER_CODE_TOP ||
	    vm_lookup(&x->as, va, 0, &fl) || !(fl & VM_EXEC))
		return E_FAULT;
	return 0;
}

int secure_syscall_site_ok(const struct task *x, uint32_t eip)
{
	return !(x->secure & SECURE_PIN) || (secure_rt && eip == secure_rt->gate_ret);
}

int secure_parse(const char *s, uint32_t len)
{
	uint32_t flags = 0, i = 0;
	while (i < len) {
		uint32_t j = i;
		while (j < len && s[j] != ',')
			j++;
		uint32_t w = j - i;
		if (w == 4 && !memcmp(s + i, "none", 4))
			flags |= 0;
		else if (w == 6 && !memcmp(s + i, "verify", 6))
			flags |= SECURE_VERIFY;
		else if (w == 3 && !memcmp(s + i, "pin", 3))
			flags |= SECURE_PIN;
		else if (w == 6 && !memcmp(s + i, "random", 6))
			flags |= SECURE_RANDOM;
		else if (w == 5 && !memcmp(s + i, "blind", 5))
			flags |= SECURE_BLIND;
		else if (w == 2 && !memcmp(s + i, "on", 2))
			flags |= SECURE_SWITCH;
		else
			return -1;
		i = j + 1;
	}
	return (int)flags;
}
