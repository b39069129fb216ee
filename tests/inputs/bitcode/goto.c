/* Not a test binary: input for test_bitcode.  Computed goto (a GNU
 * extension) needs blockaddress/indirectbr, which the reader refuses by
 * name. */
int dispatch(const unsigned char *code, int n)
{
	static void *const labels[] = { &&op_inc, &&op_dec, &&op_end };
	int acc = 0, i = 0;
	goto *labels[code[i] % 3];
op_inc:
	acc++;
	if (++i < n)
		goto *labels[code[i] % 3];
	return acc;
op_dec:
	acc--;
	if (++i < n)
		goto *labels[code[i] % 3];
	return acc;
op_end:
	return acc;
}
