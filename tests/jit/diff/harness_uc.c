/* The harness's emulated backend (64-bit host builds): JIT code, data,
 * dispatch table and the runtime mapped in a Unicorn i386 machine at the
 * harness's fixed addresses; calls run there, counting instructions (and
 * executions per code byte for profiles) when asked.  See harness.h. */
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <unicorn/unicorn.h>

#include "tests/jit/diff/harness.h"

static uint32_t pg(uint32_t n) { return (n + 0xfff) & ~0xfffu; }

bool jh_native(void) { return false; }

void jhb_close(struct jh *h)
{
	if (h->engine)
		uc_close(h->engine);
	h->engine = NULL;
}

/* Interrupts: the host runtime's gate (rt_host_gate.c) makes Linux's
 * write(1, buf, len) for the module's console output, done here for the
 * emulated CPU; any other interrupt (an INT3 of padding, a trap of the
 * code) stops the call, and run() names it. */
static void intr_hook(uc_engine *uc, uint32_t intno, void *ud)
{
	struct jh *h = ud;
	uint32_t eax, ebx, ecx, edx;
	uc_reg_read(uc, UC_X86_REG_EAX, &eax);
	uc_reg_read(uc, UC_X86_REG_EBX, &ebx);
	if (intno != 0x80 || eax != 4 || ebx != 1) {
		h->trap = (int)intno;
		uc_emu_stop(uc);
		return;
	}
	uc_reg_read(uc, UC_X86_REG_ECX, &ecx);
	uc_reg_read(uc, UC_X86_REG_EDX, &edx);
	char buf[256];
	uint32_t done = 0;
	while (done < edx) {
		uint32_t n = edx - done < sizeof buf ? edx - done : (uint32_t)sizeof buf;
		if (uc_mem_read(uc, ecx + done, buf, n) != UC_ERR_OK)
			break;
		fwrite(buf, 1, n, stdout);
		done += n;
	}
	fflush(stdout);
	eax = done == edx ? done : (uint32_t)-14; /* -EFAULT */
	uc_reg_write(uc, UC_X86_REG_EAX, &eax);
}

/* A fresh machine with the runtime, a stack and the return trap. */
static uc_engine *machine(struct jh *h)
{
	uc_engine *uc;
	jhb_close(h);
	if (uc_open(UC_ARCH_X86, UC_MODE_32, &uc) != UC_ERR_OK) {
		snprintf(h->err, sizeof h->err, "uc_open failed");
		return NULL;
	}
	h->engine = uc;
	for (int i = 0; i < h->nseg; i++) {
		uint32_t a = h->seg[i].vaddr & ~0xfffu;
		uint32_t e = pg(h->seg[i].vaddr + h->seg[i].memsz);
		uc_mem_map(uc, a, e - a, UC_PROT_ALL);
		uc_mem_write(uc, h->seg[i].vaddr, h->seg[i].bytes, h->seg[i].filesz);
	}
	uc_mem_map(uc, JH_STACK, JH_STACK_SIZE, UC_PROT_READ | UC_PROT_WRITE);
	uc_mem_map(uc, JH_RET, 0x1000, UC_PROT_READ | UC_PROT_EXEC);
	uint8_t int3 = 0xcc;
	uc_mem_write(uc, JH_RET, &int3, 1);
	uc_hook hk;
	uc_hook_add(uc, &hk, UC_HOOK_INTR, intr_hook, h, 1, 0);
	return uc;
}

int jhb_load(struct jh *h, const uint32_t *table, uint32_t nt)
{
	uc_engine *uc = machine(h);
	if (!uc)
		return -1;
	uc_mem_map(uc, JH_CODE, pg(h->o.code_len + 1), UC_PROT_READ | UC_PROT_EXEC);
	uc_mem_write(uc, JH_CODE, h->o.code, h->o.code_len);
	/* the data, then its bss (zero pages: Unicorn maps them zeroed) */
	uint32_t dsize = h->o.bss_len ? h->o.bss_off + h->o.bss_len : h->o.data_len + 1;
	uc_mem_map(uc, JH_DATA, pg(dsize), UC_PROT_READ | UC_PROT_WRITE);
	uc_mem_write(uc, JH_DATA, h->o.data, h->o.data_len);
	uc_mem_map(uc, JH_TABLE, pg(4 * nt + 4), UC_PROT_READ);
	uc_mem_write(uc, JH_TABLE, table, 4 * nt);
	return 0;
}

static void count_hook(uc_engine *uc, uint64_t addr, uint32_t size, void *ud)
{
	(void)uc; (void)size;
	struct jh *h = ud;
	h->icount++;
	if (h->prof && addr >= JH_CODE && addr - JH_CODE < h->prof_len)
		h->prof[addr - JH_CODE]++;
}

/* Run from entry with the stack pointer at sp until it returns to JH_RET. */
static int run(struct jh *h, const char *fn, uint32_t entry, uint32_t sp, const uint32_t regs[2],
	       uint64_t limit, uint64_t *ret)
{
	uc_engine *uc = h->engine;
	uint32_t ebp = 0, zero = 0;
	uc_reg_write(uc, UC_X86_REG_ESP, &sp);
	uc_reg_write(uc, UC_X86_REG_EBP, &ebp);
	uc_reg_write(uc, UC_X86_REG_EAX, &zero);
	uc_reg_write(uc, UC_X86_REG_ECX, &regs[0]);
	uc_reg_write(uc, UC_X86_REG_EDX, &regs[1]);
	uc_hook hk = 0;
	h->icount = 0;
	h->trap = -1;
	if (h->count)
		uc_hook_add(uc, &hk, UC_HOOK_CODE, count_hook, h, 1, 0);
	uc_err e = uc_emu_start(uc, entry, JH_RET, limit, 0);
	if (hk)
		uc_hook_del(uc, hk);
	uint32_t eip, eax, edx;
	uc_reg_read(uc, UC_X86_REG_EIP, &eip);
	if (e == UC_ERR_OK && h->trap >= 0) {
		snprintf(h->err, sizeof h->err, "%s: execution stopped at 0x%08x: interrupt %d (%s)", fn,
			 eip, h->trap, h->trap == 3 ? "INT3" : h->trap == 0x80 ? "a system call other than the console write" : "a CPU exception");
		return -1;
	}
	if (e != UC_ERR_OK || eip != JH_RET) {
		snprintf(h->err, sizeof h->err, "%s: execution stopped at 0x%08x: %s", fn, eip,
			 e != UC_ERR_OK ? uc_strerror(e) : "timeout");
		return -1;
	}
	uc_reg_read(uc, UC_X86_REG_EAX, &eax);
	uc_reg_read(uc, UC_X86_REG_EDX, &edx);
	*ret = (uint64_t)edx << 32 | eax;
	return 0;
}

int jhb_call(struct jh *h, const char *fn, uint32_t entry, const uint32_t *words, int nw,
	     const uint32_t regs[2], uint64_t *ret)
{
	uint32_t sp = JH_STACK + JH_STACK_SIZE - 64;
	sp -= 4 * (uint32_t)nw;
	sp &= ~15u;
	uc_mem_write(h->engine, sp, words, 4 * (size_t)nw);
	sp -= 4;
	uint32_t ra = JH_RET;
	uc_mem_write(h->engine, sp, &ra, 4);
	return run(h, fn, entry, sp, regs, 20 * 1000 * 1000, ret);
}

int jh_call_native(struct jh *h, const char *fn, const uint32_t *args, int nargs, uint64_t *ret)
{
	uint32_t entry = jh_resolve(h, fn);
	if (!entry) {
		snprintf(h->err, sizeof h->err, "no symbol %s", fn);
		return -1;
	}
	if (!machine(h))
		return -1;
	uint32_t sp = JH_STACK + JH_STACK_SIZE - 256, ra = JH_RET, regs[2] = { 0, 0 };
	for (int i = nargs; i-- > 0;) {
		sp -= 4;
		uc_mem_write(h->engine, sp, &args[i], 4);
	}
	sp -= 4;
	uc_mem_write(h->engine, sp, &ra, 4);
	return run(h, fn, entry, sp, regs, 60 * 1000 * 1000, ret);
}

int jhb_install(struct jh *h, uint32_t base, const uint8_t *code, uint32_t len, uint32_t slot, uint32_t entry)
{
	uc_mem_unmap(h->engine, base, 0x100000);
	uc_mem_map(h->engine, base, 0x100000, UC_PROT_READ | UC_PROT_EXEC);
	uc_mem_write(h->engine, base, code, len);
	uc_mem_write(h->engine, JH_TABLE + 4 * slot, &entry, 4);
	return 0;
}

void jhb_read(struct jh *h, uint32_t addr, void *buf, uint32_t n)
{
	uc_mem_read(h->engine, addr, buf, n);
}
