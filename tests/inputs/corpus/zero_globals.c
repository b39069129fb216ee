/* Zero-initialised globals of every size: small ones stay among the
 * data, those of 4 KiB and more go to the bss the loader gives as zero
 * pages (cg/data.c, JIT_BSS_MIN) -- their reads before any write must
 * see zeros, their writes must not touch their neighbours, and a pointer
 * to one stored in initialised data must point at it. */
#include <stdint.h>

static uint32_t small[16];
static uint8_t page_minus_one[4095];
static uint16_t page[2048];
static double mega[131072];		/* 1 MiB */
static char text[] = "initialised, between them";
static uint32_t *const where[] = { &small[3], (uint32_t *)&mega[7] };
static uint64_t tail[3000];

int test_main(void)
{
	uint32_t h = 2166136261u;
#define MIX(v) (h = (h ^ (uint32_t)(v)) * 16777619u)
	for (int i = 0; i < 16; i++) MIX(small[i]);
	for (int i = 0; i < 4095; i += 97) MIX(page_minus_one[i]);
	for (int i = 0; i < 2048; i += 31) MIX(page[i]);
	for (int i = 0; i < 131072; i += 1021) MIX(mega[i] == 0.0);
	for (int i = 0; i < 3000; i += 7) MIX(tail[i]);
	for (int i = 0; i < 131072; i++) mega[i] = i * 0.25;
	for (int i = 0; i < 2048; i++) page[i] = (uint16_t)(i * 3);
	for (int i = 0; i < 4095; i++) page_minus_one[i] = (uint8_t)i;
	tail[2999] = 0x123456789ull;
	*where[0] = 77;
	*where[1] ^= 0x5555;
	for (int i = 0; i < 131072; i += 977) MIX((uint32_t)(mega[i] * 4));
	MIX(small[3]); MIX(page[2047]); MIX(page_minus_one[4094]); MIX(tail[2999] >> 4);
	for (const char *p = text; *p; p++) MIX(*p);
	return (int)h;
}
