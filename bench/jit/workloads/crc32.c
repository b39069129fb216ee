/* crc32: table-driven CRC-32 over 64 KiB */
static unsigned tab[256];
static unsigned char buf[65536];
int main(void)
{
	for (unsigned i = 0; i < 256; i++) {
		unsigned c = i;
		for (int k = 0; k < 8; k++)
			c = c & 1 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
		tab[i] = c;
	}
	for (unsigned i = 0; i < sizeof buf; i++)
		buf[i] = (unsigned char)(i * 7 + (i >> 8));
	unsigned crc = 0xffffffffu;
	for (unsigned i = 0; i < sizeof buf; i++)
		crc = tab[(crc ^ buf[i]) & 0xff] ^ (crc >> 8);
	return (int)~crc;
}
