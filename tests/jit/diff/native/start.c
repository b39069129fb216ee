/* Freestanding start-up for the native side of the differential tests
 * (i686 gcc, run under qemu-i386; there is no i386 libc here): runs
 * main() and prints its return value as "result = 0xXXXXXXXX". */
#include <stdint.h>

int main(void);

static void sys_write(const char *p, uint32_t n)
{
	int r;
	__asm__ volatile("int $0x80" : "=a"(r) : "a"(4), "b"(1), "c"(p), "d"(n) : "memory");
	(void)r;
}

static void sys_exit(int code)
{
	__asm__ volatile("int $0x80" : : "a"(1), "b"(code));
	for (;;) {}
}

void _start(void)
{
	uint32_t r = (uint32_t)main();
	char buf[32] = "result = 0x";
	int n = 11;
	for (int i = 7; i >= 0; i--)
		buf[n++] = "0123456789abcdef"[(r >> (4 * i)) & 15];
	buf[n++] = '\n';
	sys_write(buf, (uint32_t)n);
	sys_exit(0);
}
