/* At boot: the secure JIT's switch from the kernel command line
 * (`secure=verify,pin`, the default, `secure=none`, ...) and the trusted
 * runtime, boot module `rt` (build/rt/rt.bin from lib/rt).  The kernel
 * uses that module only if it is byte for byte the runtime this kernel
 * was built with: its size and CRC-32 must be those of
 * build/rt/rt_kernel.c, generated at the same build, which also gives the
 * entry, the syscall gate and the exports.  Otherwise it says so, and
 * module tasks get no runtime (and so no pinning: nothing to pin to). */
#include <string.h>
#include "microkernel/kernel.h"
#include "microkernel/secure.h"
#include "lib/include/bareflow/abi.h"

static struct rt_image rt;

static uint32_t crc32(const uint8_t *p, uint32_t n)
{
	uint32_t c = ~0u;
	for (uint32_t i = 0; i < n; i++) {
		c ^= p[i];
		for (int k = 0; k < 8; k++)
			c = (c >> 1) ^ (0xEDB88320u & -(c & 1));
	}
	return ~c;
}

/* The value of word `key=` on the command line, or NULL. */
static const char *cmdline_word(const char *c, const char *key, uint32_t *len)
{
	size_t k = strlen(key);
	for (const char *p = c; *p; p++)
		if ((p == c || p[-1] == ' ') && !strncmp(p, key, k)) {
			p += k;
			*len = 0;
			while (p[*len] && p[*len] != ' ')
				(*len)++;
			return p;
		}
	return 0;
}

/* "verify,pin,random,blind", the words of the flags set, or "none" */
static const char *switch_name(uint32_t f)
{
	static const struct { uint32_t flag; const char *word; } w[] = {
		{ SECURE_VERIFY, "verify" }, { SECURE_PIN, "pin" }, { SECURE_RANDOM, "random" },
		{ SECURE_BLIND, "blind" },
	};
	static char buf[40];
	uint32_t n = 0;
	for (unsigned i = 0; i < sizeof w / sizeof w[0]; i++) {
		if (!(f & w[i].flag))
			continue;
		if (n)
			buf[n++] = ',';
		for (const char *p = w[i].word; *p; p++)
			buf[n++] = *p;
	}
	buf[n] = 0;
	return n ? buf : "none";
}

void rtboot_init(void)
{
	uint32_t len;
	const char *v = cmdline_word(boot_cmdline(), "secure=", &len);
	if (v) {
		int f = secure_parse(v, len);
		char word[32];
		uint32_t n = len < sizeof word - 1 ? len : sizeof word - 1;
		memcpy(word, v, n);
		word[n] = 0;
		if (f < 0)
			kprintf("kernel: secure=%s: not a setting (none, verify, pin, random, blind, on); "
				"keeping %s\n", word, switch_name(secure_switch));
		else
			secure_switch = (uint32_t)f;
	}
	const uint8_t *data;
	uint32_t size, crc;
	if (bootmod_find("rt", 2, &data, &size)) {
		kprintf("kernel: no boot module rt: module tasks get no runtime\n");
		return;
	}
	if (size != rt_built.size || (crc = crc32(data, size)) != rt_built.crc) {
		kprintf("kernel: boot module rt (%u bytes) is not the runtime this kernel was built "
			"with (%u bytes, crc %08x): not used\n", size, rt_built.size, rt_built.crc);
		return;
	}
	rt = (struct rt_image){ data, size, rt_built.entry, rt_built.gate_ret, rt_built.exports,
				rt_built.nexports };
	secure_rt = &rt;
	kprintf("kernel: runtime (%u bytes, %u exports, gate %08x) mapped into module tasks; "
		"secure=%s\n", size, rt.nexports, rt.gate_ret, switch_name(secure_switch));
}
