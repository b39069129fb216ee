/* tools/llbc-wrap, llbc-info, llbc-dis (built by make into build/tools/)
 * run on the corpus: the wrapper's checks and output, the info summary,
 * the disassembly, and their failures on bad input. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "lib/llbc.h"

#define T "build/test-tmp/llbc"

static void setup(void)
{
	cr_assert_eq(system("mkdir -p " T), 0);
}
TestSuite(tools, .init = setup);

/* Run a shell command; returns its exit status and captures stdout. */
static int run(const char *cmd, char *out, size_t max)
{
	FILE *p = popen(cmd, "r");
	cr_assert(p, "%s", cmd);
	size_t n = fread(out, 1, max - 1, p);
	out[n] = 0;
	int st = pclose(p);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128;
}

static uint8_t *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	static uint8_t buf[1 << 20];
	*len = fread(buf, 1, sizeof buf, f);
	fclose(f);
	return buf;
}

static char out[1 << 18];

Test(tools, wrap_writes_a_valid_header)
{
	remove(T "/a.llbc");
	cr_assert_eq(run("build/tools/llbc-wrap --input build/corpus/recursion.O2.bc --output "
			 T "/a.llbc --name recursion --entry test_main --opt 2 2>&1", out, sizeof out),
		     0, "%s", out);
	size_t len, bclen;
	uint8_t *f = slurp(T "/a.llbc", &len);
	cr_assert_not_null(f);
	struct llbc_header h;
	const uint8_t *bc;
	cr_assert_eq(llbc_validate(f, len, &h, &bc), LLBC_OK);
	cr_assert_str_eq(h.name, "recursion");
	cr_assert_str_eq(h.entry, "test_main");
	cr_assert_eq(h.opt_level, 2);
	static uint8_t copy[1 << 20];
	memcpy(copy, bc, h.bitcode_size);
	uint8_t *orig = slurp("build/corpus/recursion.O2.bc", &bclen);
	cr_assert_eq(bclen, h.bitcode_size);
	cr_assert_eq(memcmp(orig, copy, bclen), 0, "payload is not the input bitcode");
}

Test(tools, wrap_refuses_a_missing_entry)
{
	remove(T "/b.llbc");
	cr_assert_eq(run("build/tools/llbc-wrap --input build/corpus/loops.O0.bc --output " T
			 "/b.llbc --name loops --entry no_such_function --opt 0 2>&1", out, sizeof out), 1);
	cr_assert(strstr(out, "no_such_function"), "%s", out);
	struct stat st;
	cr_assert_neq(stat(T "/b.llbc", &st), 0, "output written despite the error");
	/* a declared-only function is not an entry either */
	cr_assert_eq(run("build/tools/llbc-wrap --input build/corpus/memops.O0.bc --output " T
			 "/b.llbc --name m --entry memcmp 2>&1", out, sizeof out), 1);
}

Test(tools, wrap_refuses_bad_arguments_and_input)
{
	cr_assert_eq(run("build/tools/llbc-wrap --input build/corpus/loops.O0.bc --output " T
			 "/c.llbc --name loops --entry test_main --opt 4 2>&1", out, sizeof out), 2);
	cr_assert_eq(run("build/tools/llbc-wrap --input build/corpus/loops.O0.bc --output " T
			 "/c.llbc --name 0123456789012345678901234567890123 --entry test_main 2>&1",
			 out, sizeof out), 1);
	cr_assert_eq(run("build/tools/llbc-wrap --input tests/inputs/corpus/loops.c --output " T
			 "/c.llbc --name loops --entry test_main 2>&1", out, sizeof out), 1);
	cr_assert(strstr(out, "not bitcode"), "%s", out);
	cr_assert_eq(run("build/tools/llbc-wrap --output x 2>&1", out, sizeof out), 2);
}

Test(tools, info_summarises_the_module)
{
	cr_assert_eq(run("build/tools/llbc-info build/corpus/funcptr.O1.llbc", out, sizeof out), 0);
	cr_assert(strstr(out, "name      funcptr"), "%s", out);
	cr_assert(strstr(out, "entry     test_main"), "%s", out);
	cr_assert(strstr(out, "opt       -O1"), "%s", out);
	cr_assert(strstr(out, "define  i32 @test_main()"), "%s", out);
	cr_assert(strstr(out, "@ops"), "%s", out);
	cr_assert(strstr(out, "instructions "), "%s", out);
}

Test(tools, info_rejects_a_corrupt_file)
{
	size_t len;
	uint8_t *f = slurp("build/corpus/switch.O2.llbc", &len);
	cr_assert_not_null(f);
	f[len - 9] ^= 0x40;
	FILE *o = fopen(T "/bad.llbc", "wb");
	fwrite(f, 1, len, o);
	fclose(o);
	cr_assert_eq(run("build/tools/llbc-info " T "/bad.llbc build/corpus/switch.O2.llbc", out,
			 sizeof out), 1);
	cr_assert(strstr(out, "INVALID: CRC-32"), "%s", out);
	cr_assert(strstr(out, "name      switch"), "%s", out);   /* the good one still listed */
}

Test(tools, dis_prints_the_ir)
{
	cr_assert_eq(run("build/tools/llbc-dis build/corpus/switch.O2.llbc", out, sizeof out), 0);
	cr_assert(strstr(out, "target triple = \"i686-unknown-none\""), "%s", out);
	cr_assert(strstr(out, "define i32 @test_main()"), "%s", out);
	cr_assert(strstr(out, "switch i32 "), "%s", out);
	cr_assert(strstr(out, "phi i32 "), "%s", out);
	cr_assert(strstr(out, "ret i32 "), "%s", out);
	cr_assert_eq(run("build/tools/llbc-dis --stats build/corpus/loops.O0.bc", out, sizeof out), 0);
	cr_assert(strstr(out, "func test_main def 0 "), "%s", out);
	cr_assert(strstr(out, "alloca"), "%s", out);
	cr_assert_eq(run("build/tools/llbc-dis tests/inputs/corpus/loops.c 2>&1", out, sizeof out), 1);
	cr_assert(strstr(out, "not bitcode"), "%s", out);
}
