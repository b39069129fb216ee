/* spray: JIT spraying, and the scan an attacker makes before it.
 *
 * In plain words: the module writes a constant into its own program, here
 * 0xC348C031.  A JIT that copies constants into its code as they are puts
 * the four bytes 31 C0 48 C3 somewhere inside one of its instructions
 * (`add eax, 0xC348C031`, say).  Read from the start of that instruction
 * they are part of an add; read from the byte where the constant starts,
 * they are other instructions: `xor eax, eax; dec eax; ret` -- a tiny
 * program the module smuggled in that returns -1.  A real attacker chooses
 * bytes that do something it may not do (an `int 0x80` with its own
 * arguments, see GADGET_SYSCALL); this one only proves that control
 * reached the middle of an instruction.
 *
 * The module finds its own code (a function pointer is the stub `jmp
 * [table + 4*i]`, the table holds the code's address, both readable),
 * looks for the bytes, and with arg:
 *   0  only reports whether it found them                    (attack 3)
 *   1  calls the address of the bytes                        (attack 1)
 *   2  the same with bytes CD 80 C3: `int 0x80; ret`, a syscall
 *      made from the module's own code, not the runtime's gate (attack 1b)
 *   3  returns where holder's code is (what random placement changes)
 *   4  code reuse (attack 2): victim() overwrites its own return address
 *      with the gadget's address and puts the real one just above it, so
 *      a plain `ret` runs the gadget, whose `ret` comes back here with
 *      -1; the sandbox's masked return lands on the gadget's bundle
 *      start instead (holder's own code), which comes back with anything
 *      but -1
 * Result: 0 the bytes are not in the code (blinding), 1 found (scan),
 * 2 the gadget ran (-1 came back), 3 the call went elsewhere (the sandbox
 * masked the target to a bundle start); for arg 2 what the call returned
 * (the kernel's answer to the syscall, E_NOSYS or E_PERM for the number
 * EAX happened to hold, when the gadget ran).  A death (the kernel killed
 * the task) is the matrix's other answer. */
#include <stdint.h>

#define GADGET_RET     0xC348C031u /* 31 C0 48 C3: xor eax, eax; dec eax; ret */
#define GADGET_SYSCALL 0x90C380CDu /* CD 80 C3 90: int 0x80; ret; nop */

/* first in the module, so its code is never the image's last bytes */
__attribute__((noinline)) uint32_t holder(uint32_t x) { return x * 3u + GADGET_RET; }
__attribute__((noinline)) uint32_t holder2(uint32_t x) { return (x ^ GADGET_SYSCALL) * 5u; }

static const volatile uint8_t *code_of(uint32_t (*f)(uint32_t))
{
	const volatile uint8_t *s = (const volatile uint8_t *)(uintptr_t)f;
	if (s[0] != 0xff || s[1] != 0x25)
		return 0;
	uint32_t slot = s[2] | (uint32_t)s[3] << 8 | (uint32_t)s[4] << 16 | (uint32_t)s[5] << 24;
	return (const volatile uint8_t *)(uintptr_t)*(const volatile uint32_t *)(uintptr_t)slot;
}

static const volatile uint8_t *find(const volatile uint8_t *c, uint32_t k)
{
	for (uint32_t i = 0; i < 96; i++)
		if (c[i] == (k & 0xff) && c[i + 1] == ((k >> 8) & 0xff) && c[i + 2] == ((k >> 16) & 0xff) &&
		    c[i + 3] == k >> 24)
			return c + i;
	return 0;
}

/* Overwrites its own return address: the first word above its locals
 * that points into module_main's code (after mm) right after a `call
 * [slot]` through victim's own dispatch slot (FF 15 slot: stale return
 * addresses of earlier calls lie below it, with other slots) becomes
 * target, and the word above it (its first argument, used by then) the
 * real return address. */
/* what victim returns, where the compiler cannot see it (else it knows
 * -1 never comes back and drops the test) */
static volatile uint32_t answer[2] = { 7, 8 };

__attribute__((noinline)) uint32_t victim(uint32_t target, uint32_t mm, uint32_t slot)
{
	volatile uint32_t buf[2];
	buf[0] = buf[1] = 0;
	volatile uint32_t *p = &buf[0];
	for (uint32_t i = 0; i < 256; i++) {
		uint32_t v = p[i];
		if (v <= mm || v >= mm + 4096)
			continue;
		const volatile uint8_t *c = (const volatile uint8_t *)(uintptr_t)v;
		if (c[-6] != 0xff || c[-5] != 0x15 ||
		    (c[-4] | (uint32_t)c[-3] << 8 | (uint32_t)c[-2] << 16 | (uint32_t)c[-1] << 24) != slot)
			continue;
		p[i] = target;  /* first: p[i + 1] is where target is passed */
		p[i + 1] = v;
		return answer[0];
	}
	return answer[1];
}

int32_t module_main(int32_t arg)
{
	if (arg == 4) {
		const volatile uint8_t *g = find(code_of(holder), GADGET_RET);
		if (!g)
			return 0;
		const volatile uint8_t *v = (const volatile uint8_t *)(uintptr_t)victim;
		uint32_t slot = v[2] | (uint32_t)v[3] << 8 | (uint32_t)v[4] << 16 | (uint32_t)v[5] << 24;
		uint32_t r = victim((uint32_t)(uintptr_t)g,
				    (uint32_t)(uintptr_t)code_of((uint32_t (*)(uint32_t))module_main), slot);
		return r == 0xffffffffu ? 2 : r == 8 ? -3 : 3;
	}
	const volatile uint8_t *c = code_of(arg == 2 ? holder2 : holder);
	if (!c)
		return -2;
	if (arg == 3)
		return (int32_t)(uintptr_t)c;
	const volatile uint8_t *g = find(c, arg == 2 ? GADGET_SYSCALL : GADGET_RET);
	if (!g)
		return 0;
	if (arg == 0)
		return 1;
	uint32_t r = ((uint32_t (*)(void))(uintptr_t)g)();
	if (arg == 2)
		return (int32_t)r;
	return r == 0xffffffffu ? 2 : 3;
}
