/* lib/fmt.c: the formatter every error message goes through. */
#include <criterion/criterion.h>
#include <stdint.h>
#include "lib/fmt.h"

static char buf[128];

Test(fmt, integers)
{
	bf_snprintf(buf, sizeof buf, "%d %i %u %x %X", -42, 7, 4000000000u, 0xbeef, 0xbeef);
	cr_assert_str_eq(buf, "-42 7 4000000000 beef BEEF");
}

Test(fmt, width_and_padding)
{
	bf_snprintf(buf, sizeof buf, "[%5d][%-5d][%05d][%08x][%-3s]", 42, 42, -42, 0x1f, "a");
	cr_assert_str_eq(buf, "[   42][42   ][-0042][0000001f][a  ]");
}

Test(fmt, sixty_four_bit)
{
	bf_snprintf(buf, sizeof buf, "%llu %lld %llx", 18446744073709551615ull,
		    (long long)INT64_MIN, 0x123456789abcdefull);
	cr_assert_str_eq(buf, "18446744073709551615 -9223372036854775808 123456789abcdef");
}

static const char *volatile nullstr;

Test(fmt, strings_chars_pointers)
{
	bf_snprintf(buf, sizeof buf, "%s %c %% %s", "hi", 'x', nullstr);
	cr_assert_str_eq(buf, "hi x % (null)");
}

Test(fmt, truncation_reports_full_length)
{
	char small[6];
	int n = bf_snprintf(small, sizeof small, "%s", "abcdefghij");
	cr_assert_eq(n, 10);
	cr_assert_str_eq(small, "abcde");
}
