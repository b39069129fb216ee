#include "tests/jit/diff/harness.h"

#include <elf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "servers/jit/bc/bc.h"

#define ARENA_SIZE (256u << 20)
#define SCRATCH_SIZE (128u << 20)
#define CODE_CAP (16u << 20)
#define DATA_CAP (16u << 20)
#define NRELOCS (1u << 20)
#define NFUNCS 8192

static double now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

uint8_t *jh_slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	uint8_t *p = malloc(n > 0 ? (size_t)n : 1);
	if (!p || fread(p, 1, (size_t)n, f) != (size_t)n) {
		fclose(f);
		free(p);
		return NULL;
	}
	fclose(f);
	*len = (size_t)n;
	if (n >= 132 && memcmp(p, "LLBC", 4) == 0) {
		memmove(p, p + 128, (size_t)n - 128);
		*len = (size_t)n - 128;
	}
	return p;
}

static int load_rt(struct jh *h, const char *path)
{
	size_t n;
	FILE *f = fopen(path, "rb");
	if (!f) {
		snprintf(h->err, sizeof h->err, "cannot open runtime %s", path);
		return -1;
	}
	fseek(f, 0, SEEK_END);
	n = (size_t)ftell(f);
	fseek(f, 0, SEEK_SET);
	uint8_t *p = malloc(n);
	if (fread(p, 1, n, f) != n) {
		fclose(f);
		free(p);
		return -1;
	}
	fclose(f);
	Elf32_Ehdr *eh = (Elf32_Ehdr *)p;
	if (n < sizeof *eh || memcmp(eh->e_ident, ELFMAG, 4) || eh->e_ident[EI_CLASS] != ELFCLASS32) {
		snprintf(h->err, sizeof h->err, "%s: not an ELF32 file", path);
		free(p);
		return -1;
	}
	Elf32_Phdr *ph = (Elf32_Phdr *)(p + eh->e_phoff);
	for (int i = 0; i < eh->e_phnum && h->nseg < 8; i++) {
		if (ph[i].p_type != PT_LOAD || !ph[i].p_memsz)
			continue;
		h->seg[h->nseg].vaddr = ph[i].p_vaddr;
		h->seg[h->nseg].memsz = ph[i].p_memsz;
		h->seg[h->nseg].filesz = ph[i].p_filesz;
		h->seg[h->nseg].flags = ph[i].p_flags;
		h->seg[h->nseg].bytes = malloc(ph[i].p_filesz + 1);
		memcpy(h->seg[h->nseg].bytes, p + ph[i].p_offset, ph[i].p_filesz);
		h->nseg++;
	}
	Elf32_Shdr *sh = (Elf32_Shdr *)(p + eh->e_shoff);
	for (int i = 0; i < eh->e_shnum; i++) {
		if (sh[i].sh_type != SHT_SYMTAB)
			continue;
		Elf32_Sym *sy = (Elf32_Sym *)(p + sh[i].sh_offset);
		const char *str = (const char *)(p + sh[sh[i].sh_link].sh_offset);
		for (uint32_t k = 0; k < sh[i].sh_size / sizeof *sy && h->nsyms < 512; k++) {
			if (ELF32_ST_TYPE(sy[k].st_info) != STT_FUNC || !sy[k].st_value)
				continue;
			snprintf(h->syms[h->nsyms].name, sizeof h->syms[0].name, "%s", str + sy[k].st_name);
			h->syms[h->nsyms].addr = sy[k].st_value;
			h->nsyms++;
		}
	}
	free(p);
	return 0;
}

uint32_t jh_resolve(void *ctx, const char *name)
{
	struct jh *h = ctx;
	for (int i = 0; i < h->nsyms; i++)
		if (strcmp(h->syms[i].name, name) == 0)
			return h->syms[i].addr;
	return 0;
}

int jh_init(struct jh *h, const char *rt)
{
	memset(h, 0, sizeof *h);
	h->mem = malloc(ARENA_SIZE);
	h->smem = malloc(SCRATCH_SIZE);
	h->code = malloc(CODE_CAP);
	h->data = malloc(DATA_CAP);
	h->relocs = malloc(sizeof(struct jit_reloc) * NRELOCS);
	h->funcs = malloc(sizeof(struct jit_func_out) * NFUNCS);
	if (!h->mem || !h->smem || !h->code || !h->data || !h->relocs || !h->funcs)
		return -1;
	return load_rt(h, rt ? rt : "build/host/jit/rt.elf");
}

void jh_fini(struct jh *h)
{
	jhb_close(h);
	for (int i = 0; i < h->nseg; i++)
		free(h->seg[i].bytes);
	free(h->mem);
	free(h->smem);
	free(h->code);
	free(h->data);
	free(h->relocs);
	free(h->funcs);
}

/* Runs `cmd`, which leaves DIR/m.bc, reads that module and removes the
 * temporary directory DIR. */
static int load_made_bc(struct jh *h, const char *dir, const char *cmd, const char *what)
{
	char path[64], rm[96];
	size_t len = 0;
	uint8_t *bc = NULL;
	if (system(cmd) == 0) {
		snprintf(path, sizeof path, "%s/m.bc", dir);
		bc = jh_slurp(path, &len);
	}
	snprintf(rm, sizeof rm, "rm -rf %s", dir);
	if (system(rm)) {}
	if (!bc) {
		snprintf(h->err, sizeof h->err, "%s failed", what);
		return -1;
	}
	int rc = jh_read(h, bc, len);
	free(bc);
	return rc;
}

int jh_load_c(struct jh *h, const char *src, int olevel)
{
	char dir[] = "/tmp/jh_c_XXXXXX", path[64], cmd[512], what[32];
	if (!mkdtemp(dir)) {
		snprintf(h->err, sizeof h->err, "mkdtemp failed");
		return -1;
	}
	snprintf(path, sizeof path, "%s/m.c", dir);
	FILE *f = fopen(path, "w");
	if (!f) {
		snprintf(h->err, sizeof h->err, "cannot write %s", path);
		return -1;
	}
	fputs(src, f);
	fclose(f);
	snprintf(cmd, sizeof cmd, "clang-19 --target=i686-unknown-none -m32 -ffreestanding -nostdlib "
		 "-emit-llvm -c -O%d -w %s/m.c -o %s/m.bc", olevel, dir, dir);
	snprintf(what, sizeof what, "clang-19 -O%d", olevel);
	return load_made_bc(h, dir, cmd, what);
}

int jh_load_ll(struct jh *h, const char *path)
{
	char dir[] = "/tmp/jh_ll_XXXXXX", cmd[512];
	if (!mkdtemp(dir)) {
		snprintf(h->err, sizeof h->err, "mkdtemp failed");
		return -1;
	}
	snprintf(cmd, sizeof cmd, "llvm-as-19 %s -o %s/m.bc", path, dir);
	return load_made_bc(h, dir, cmd, "llvm-as-19");
}

int jh_read(struct jh *h, const uint8_t *bc, size_t len)
{
	ir_arena_init(&h->arena, h->mem, ARENA_SIZE);
	struct bc_error e;
	double t0 = now_us();
	if (bc_read_module(bc, len, &h->arena, &h->m, &e) != BC_OK) {
		snprintf(h->err, sizeof h->err, "bitcode: %s (bit %llu)", e.msg,
			 (unsigned long long)e.bit);
		return -1;
	}
	h->read_us = now_us() - t0;
	return 0;
}

int jh_compile(struct jh *h, int tier)
{
	ir_arena_init(&h->scratch, h->smem, SCRATCH_SIZE);
	jit_out_init(&h->o, h->code, CODE_CAP, h->data, DATA_CAP, h->relocs, NRELOCS, h->funcs, NFUNCS);
	struct jit_opts opt = { .tier = tier, .only_func = -1, .unroll_all = h->unroll_all,
				.budget = h->budget, .secure = h->secure,
				.sandbox_faults = h->sandbox_faults, .seed = h->seed };
	char err[300];
	double t0 = now_us();
	if (jit_compile(h->m, &opt, &h->scratch, &h->o, err, sizeof err) != 0) {
		snprintf(h->err, sizeof h->err, "compile: %s", err);
		return -1;
	}
	h->compile_us = now_us() - t0;
	if (h->o.bss_len && h->o.bss_off + h->o.bss_len > JH_TABLE - JH_DATA) {
		snprintf(h->err, sizeof h->err, "data and bss (%u bytes) do not fit the harness's %u",
			 h->o.bss_off + h->o.bss_len, JH_TABLE - JH_DATA);
		return -1;
	}
	if (jit_link(&h->o, JH_CODE, JH_DATA, JH_TABLE, JH_CODE, jh_resolve, h, err, sizeof err)) {
		snprintf(h->err, sizeof h->err, "link: %s", err);
		return -1;
	}
	if ((h->secure & JIT_SEC_SANDBOX) && jh_verify(h, JH_CODE, h->o.code, h->o.code_len) != 0)
		return -1;
	uint32_t nt = h->o.nfuncs;
	uint32_t *tab = calloc(nt + 1, 4);
	for (uint32_t i = 0; i < nt; i++) {
		tab[i] = jit_table_entry(&h->o, JH_CODE, i, jh_resolve, h);
		/* as the jit server refuses it (servers/jit/server/module.c): a
		 * declared function the runtime does not have, rather than a
		 * call to address 0 */
		if (!tab[i] && !h->o.funcs[i].defined && h->o.funcs[i].import >= 0) {
			snprintf(h->err, sizeof h->err, "link: %s is declared but neither defined nor in the runtime",
				 h->o.funcs[i].name);
			free(tab);
			return -1;
		}
	}
	/* as the kernel's code_dispatch_set: a verified task's dispatch
	 * entries are bundle starts of its code (or runtime exports) */
	for (uint32_t i = 0; i < nt && (h->secure & JIT_SEC_SANDBOX); i++) {
		if (h->o.funcs[i].defined && (tab[i] & 31)) {
			snprintf(h->err, sizeof h->err, "verify: dispatch entry %u (0x%08x) is not a bundle start",
				 i, tab[i]);
			free(tab);
			return -1;
		}
	}
	int rc = jhb_load(h, tab, nt);
	free(tab);
	return rc;
}

int jh_call(struct jh *h, const char *fn, const uint64_t *args, int nargs, uint64_t *ret)
{
	struct ir_func *f = ir_module_func(h->m, fn);
	if (!f || f->is_decl) {
		snprintf(h->err, sizeof h->err, "no function %s", fn);
		return -1;
	}
	if ((uint32_t)nargs != f->nparams) {
		snprintf(h->err, sizeof h->err, "%s takes %u arguments", fn, f->nparams);
		return -1;
	}
	/* module functions only module code calls take their first words
	 * in ECX/EDX (servers/jit/cg/conv.c) */
	uint8_t *tmp = malloc(h->m->nfuncs + 1);
	if (!tmp) {
		snprintf(h->err, sizeof h->err, "out of memory");
		return -1;
	}
	uint32_t nreg = jit_reg_params(h->m, f, tmp);
	free(tmp);
	uint32_t words[64], regs[2] = { 0, 0 };
	int nw = 0;
	for (int i = 0; i < nargs && nw < 62; i++) {
		if ((uint32_t)i < nreg) {
			regs[i] = (uint32_t)args[i];
			continue;
		}
		words[nw++] = (uint32_t)args[i];
		if (f->params[i].v.type->kind == IR_TY_INT && f->params[i].v.type->bits > 32)
			words[nw++] = (uint32_t)(args[i] >> 32);
	}
	uint32_t entry = JH_CODE + h->o.funcs[f->v.id].code_off;
	return jhb_call(h, fn, entry, words, nw, regs, ret);
}

int jh_recompile(struct jh *h, const char *fn, int tier)
{
	static int n;
	struct ir_func *f = ir_module_func(h->m, fn);
	if (!f || f->is_decl) {
		snprintf(h->err, sizeof h->err, "no function %s", fn);
		return -1;
	}
	static uint8_t code[1 << 20], data[DATA_CAP];
	static struct jit_reloc rel[1 << 16];
	static struct jit_func_out fo[NFUNCS];
	struct jit_out o;
	jit_out_init(&o, code, sizeof code, data, sizeof data, rel, 1 << 16, fo, NFUNCS);
	struct jit_opts opt = { .tier = tier, .only_func = (int)f->v.id, .unroll_all = h->unroll_all,
				.secure = h->secure, .sandbox_faults = h->sandbox_faults,
				.seed = h->seed + 1 + (uint64_t)n };
	char err[300];
	ir_arena_init(&h->scratch, h->smem, SCRATCH_SIZE);
	if (jit_compile(h->m, &opt, &h->scratch, &o, err, sizeof err) != 0) {
		snprintf(h->err, sizeof h->err, "recompile: %s", err);
		return -1;
	}
	uint32_t base = JH_CODE2 + 0x100000u * (uint32_t)(n++ % 16);
	if (jit_link(&o, base, JH_DATA, JH_TABLE, JH_CODE, jh_resolve, h, err, sizeof err)) {
		snprintf(h->err, sizeof h->err, "relink: %s", err);
		return -1;
	}
	if ((h->secure & JIT_SEC_SANDBOX) && jh_verify(h, base, o.code, o.code_len) != 0)
		return -1;
	uint32_t entry = base + o.funcs[f->v.id].code_off;
	if ((h->secure & JIT_SEC_SANDBOX) && (entry & 31)) {
		snprintf(h->err, sizeof h->err, "verify: dispatch entry 0x%08x is not a bundle start", entry);
		return -1;
	}
	if (jhb_install(h, base, o.code, o.code_len, f->v.id, entry))
		return -1;
	h->o.funcs[f->v.id].code_off = entry - JH_CODE; /* jh_call enters here */
	return 0;
}

uint32_t jh_counter(struct jh *h, const char *fn)
{
	struct ir_func *f = ir_module_func(h->m, fn);
	uint32_t v = 0;
	if (f)
		jhb_read(h, JH_DATA + h->o.funcs[f->v.id].counter_off, &v, 4);
	return v;
}

uint64_t jh_cycles(struct jh *h, const char *fn)
{
	struct ir_func *f = ir_module_func(h->m, fn);
	uint64_t v = 0;
	if (f)
		jhb_read(h, JH_DATA + h->o.funcs[f->v.id].cycles_off, &v, 8);
	return v;
}
