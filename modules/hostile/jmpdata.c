/* Hostile module: jumps into its own data ("ret" bytes in a global). */
#include <stdint.h>
static uint8_t shellcode[16] = { 0xB8, 0x2A, 0, 0, 0, 0xC3 };	/* mov eax,42; ret */
int32_t module_main(int32_t arg)
{
	int32_t (*fn)(void) = (int32_t (*)(void))(uintptr_t)shellcode;
	return fn() + arg;
}
