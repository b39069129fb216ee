/* The module runtime's symbols (generated from build/rt/rt.elf; the
 * kernel maps the runtime itself, from boot module `rt`), and the
 * embedded fallback copies of the modules. */
#ifndef BF_JIT_RTSYMS_H
#define BF_JIT_RTSYMS_H
#include <stdint.h>

struct rt_sym {
	const char *name;
	uint32_t addr;
};

/* The functions module code may call (lib/rt/exports.txt), nothing else. */
extern const struct rt_sym rt_syms[];
extern const unsigned rt_nsyms;
extern const uint32_t rt_entry_va;	/* where a module task starts */

struct embedded_module {
	const char *name;
	const uint8_t *data;
	uint32_t size;
};
extern const struct embedded_module embedded_modules[];
extern const unsigned embedded_count;
#endif
