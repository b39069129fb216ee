/* crc32: table-driven CRC-32 (IEEE) of a generated buffer; the table is
 * built on first use. */
#include <stdint.h>

static uint32_t table[256];
static uint8_t buf[1024];

static void make_table(void)
{
	for (uint32_t i = 0; i < 256; i++) {
		uint32_t c = i;
		for (int k = 0; k < 8; k++)
			c = c & 1 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
		table[i] = c;
	}
}

static uint32_t crc32(const uint8_t *p, uint32_t n)
{
	uint32_t c = 0xFFFFFFFFu;
	for (uint32_t i = 0; i < n; i++)
		c = table[(c ^ p[i]) & 0xFF] ^ (c >> 8);
	return c ^ 0xFFFFFFFFu;
}

int32_t module_main(int32_t arg)
{
	if (!table[1])
		make_table();
	for (uint32_t i = 0; i < sizeof buf; i++)
		buf[i] = (uint8_t)(i * 7 + (uint32_t)arg);
	return (int32_t)crc32(buf, sizeof buf);
}
