/* Not a test binary: input for test_bitcode.  Inline assembly, which the
 * JIT cannot compile; the reader refuses it by name. */
unsigned read_tsc_low(void)
{
	unsigned lo, hi;
	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return lo ^ hi;
}
