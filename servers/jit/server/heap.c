/* The module's malloc heap (lib/rt/libc/malloc.c, docs/libc.md), given at
 * load.  A module task can map no memory itself (it may make only the
 * exit, notify and console-write syscalls), and the runtime has no
 * writable data, so the loader maps the heap before the module starts:
 * zeroed pages at RT_HEAP_VA, moved into the task with INSTALL_DATA (we
 * keep no view of them).  Only a module that calls an allocating function
 * gets one: the others pay nothing.
 *
 * Its size is the module's memory quota (`run --mem PAGES`; the kernel
 * counts every frame the task holds against it) less what the task holds
 * already, the params and data about to be installed, the heap's page
 * tables and a reserve kept for recompiled code (HEAP_RESERVE pages, or a
 * quarter of a small quota): `--mem` is the one knob, and a module that
 * uses the whole heap can still tier up.  If
 * the kernel refuses part of it (the machine is short of frames) the
 * module gets what was installed so far -- malloc returns NULL sooner,
 * nothing fails. */
#include <string.h>
#include "lib/user/sys.h"
#include "servers/jit/server/jitsrv.h"

#define HEAP_RESERVE    256u	/* pages left in the quota for recompiled code, */
#define HEAP_RESERVE_DIV 4u	/* or a quarter of a small quota */
#define HEAP_NOLIMIT    1024u	/* pages for a task without a quota (4 MiB) */
#define HEAP_CHUNK      1024u	/* pages staged and moved at a time */
#define HEAP_STAGE_VA   0x53000000u	/* our staging window, after the views */
#define HEAP_MAX        ((USER_DISPATCH_VA - RT_HEAP_VA) / PAGE_SIZE)

/* The runtime functions that take memory from the heap. */
static const char *const allocators[] = { "malloc", "calloc", "realloc", "strdup", "strndup" };

int jheap_wanted(const struct jit_out *o)
{
	for (uint32_t i = 0; i < o->nfuncs; i++) {
		const struct jit_func_out *f = &o->funcs[i];
		if (f->defined || f->import < 0)
			continue;
		for (unsigned k = 0; k < sizeof allocators / sizeof allocators[0]; k++)
			if (!strcmp(f->name, allocators[k]))
				return 1;
	}
	return 0;
}

/* Pages for the heap of `task`, which is yet to receive `pending` pages. */
static uint32_t heap_pages(int task, uint32_t pending)
{
	struct bf_task_info ti;
	if (bf_task_info_cap((uint32_t)task, &ti))
		return 0;
	if (!ti.mem_limit)
		return HEAP_NOLIMIT;
	uint32_t reserve = ti.mem_limit / HEAP_RESERVE_DIV;
	if (reserve > HEAP_RESERVE)
		reserve = HEAP_RESERVE;
	uint32_t used = ti.mem_held + pending + reserve;
	if (ti.mem_limit <= used)
		return 0;
	uint32_t left = ti.mem_limit - used;
	uint32_t tables = left / 512 + 2;	/* a PAE table maps 2 MiB; the range may straddle one more */
	uint32_t n = left > tables ? left - tables : 0;
	return n < HEAP_MAX ? n : HEAP_MAX;
}

uint32_t jzero_give(int task, uint32_t va, uint32_t pages)
{
	uint32_t done = 0;
	while (done < pages) {
		uint32_t n = pages - done < HEAP_CHUNK ? pages - done : HEAP_CHUNK;
		if (bf_map_anon(HEAP_STAGE_VA, n, MAP_READ | MAP_WRITE))
			break;
		if (bf_code_install((uint32_t)task, HEAP_STAGE_VA, n, va + done * PAGE_SIZE, INSTALL_DATA)) {
			bf_unmap(HEAP_STAGE_VA, n);
			break;
		}
		done += n;
	}
	return done;
}

uint32_t jheap_give(int task, uint32_t pending)
{
	return jzero_give(task, RT_HEAP_VA, heap_pages(task, pending)) * PAGE_SIZE;
}
