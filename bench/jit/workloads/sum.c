/* sum: a reduction over an array with a data-dependent stride */
static unsigned a[4096];
int main(void)
{
	for (unsigned i = 0; i < 4096; i++)
		a[i] = i * 2654435761u;
	unsigned s = 0;
	for (int r = 0; r < 40; r++)
		for (unsigned i = 0; i < 4096; i++)
			s += a[i] ^ (s >> 3);
	return (int)s;
}
