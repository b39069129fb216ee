#!/usr/bin/env bash
# `make module SRC=... NAME=... DISK=...` (tools/make-module.sh): a user's
# own C file becomes a module on a copy of the tests' disk, the other files
# on it stay, and `run NAME` at the shell of the next boot runs it; the
# errors (no module_main, a clang error, a function nobody provides, a bad
# NAME) name the file and the line and put nothing on the disk.
set -uo pipefail
cd "$(dirname "$0")/../.."
tmp=$(mktemp -d); trap '[ -n "${KEEP_TMP:-}" ] || rm -rf "$tmp"' EXIT
cp build/test-disk.img "$tmp/disk.img"
export MTOOLS_SKIP_CHECK=1
status=0
pass() { echo "TEST PASS make_module.$1"; }
fail() { echo "TEST FAIL make_module.$1: $2"; status=1; }
mkmod() { make --no-print-directory module SRC="$1" ${2:+NAME=$2} DISK="$tmp/disk.img" 2>&1; }

cat > "$tmp/squares.c" <<'C'
/* a user's module: the sum of the squares up to arg */
#include <stdio.h>
static int square(int x) { return x * x; }
int module_main(int arg)
{
	int s = 0;
	for (int i = 1; i <= arg; i++)
		s += square(i);
	rt_print("hello from a user's module\n");
	return s;
}
C
cat > "$tmp/fpprint.c" <<'C'
/* a user's module with floating point and variadic calls: printf of
 * doubles and a float (promoted), a variadic function of its own that
 * passes its va_list on to vprintf, and a long double (make module
 * builds with -mlong-double-64: it is a double) */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
static void say(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
}
int module_main(int arg)
{
	double r = sqrt((double)arg);
	float f = (float)arg / 4.0f;
	printf("fp %d: sqrt %.6f, quarter %g, %e\n", arg, r, f, r * 1000.0);
	say("say %s %5.2f|%-4d|%x\n", "hi", 3.14159, arg, 255);
	long double third = (long double)arg / 3;	/* a double: -mlong-double-64 */
	printf("ld %.4Lf %Lg\n", third, third * 3);
	return (int)(r * 1000.0);
}
C
cat > "$tmp/fplibm.c" <<'C'
/* a user's module with C99 math: fma (one rounding), classification
 * (llvm.is.fpclass), frexp, hypot, cbrt, log1p from the runtime's libm */
#include <math.h>
#include <stdio.h>
int module_main(int arg)
{
	volatile double one = 1.0;
	double e = 0x1p-30 * arg, a = one + e, b = one - e;
	double d = fma(a, b, -1.0);	/* -e^2 exactly, where a*b - 1 is 0 */
	int ex;
	double m = frexp(hypot(3.0 * arg, 4.0 * arg), &ex);
	printf("fma %g, frexp %g %d, cbrt %g, log1p %.17g\n", d / (e * e), m, ex, cbrt(27.0 * arg * arg * arg),
	       log1p(e));
	printf("class %d %d %d %d %d\n", fpclassify(e), isnormal(e * 0x1p-1000), __builtin_isfpclass(d, 0x1f8),
	       isinf(e / 0.0), fpclassify(0.0 * e));
	return (int)(cbrt(8.0 * arg) * 100);
}
C
cat > "$tmp/words.c" <<'C'
/* a user's module that uses the C library: <string.h>, <stdlib.h>,
 * <ctype.h>, <assert.h>, and the heap.  run words N: the words of a text
 * in sorted order, uppercased, numbers parsed; then how many 64 KiB
 * blocks the heap holds, twice (freed memory is reused); run words 0
 * fails an assertion. */
#include <assert.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}
static int blocks(void)
{
	void *first = 0, **prev = &first;
	int n = 0;
	for (void **p; (p = malloc(64 * 1024)); prev = p, n++)
		*prev = p, *p = 0;	/* a chain through the blocks */
	while (first) {
		void *next = *(void **)first;
		free(first);
		first = next;
	}
	return n;
}
int module_main(int arg)
{
	assert(arg > 0);
	char text[] = "pear 12 apple -7 fig 0x1f kiwi 2.5e1";
	char *words[8];
	int n = 0;
	long sum = 0;
	double real = 0;
	for (char *w = strtok(text, " "); w; w = strtok(NULL, " ")) {
		char *end;
		long v = strtol(w, &end, 0);
		if (*end == 0) {
			sum += v;
		} else if (isdigit((unsigned char)*w)) {
			real += strtod(w, &end);
		} else {
			words[n] = strdup(w);
			for (char *c = words[n]; *c; c++)
				*c = (char)toupper((unsigned char)*c);
			n++;
		}
	}
	qsort(words, (size_t)n, sizeof words[0], by_name);
	printf("words:");
	for (int i = 0; i < n; i++) {
		printf(" %s", words[i]);
		free(words[i]);
	}
	printf("; sum %ld, real %g\n", sum, real);
	int a = blocks(), b = blocks();
	printf("heap: %d blocks of 64 KiB, then %d\n", a, b);
	return a == b && a > 0 ? (int)sum * arg : -1;
}
C
printf 'int main(int a)\n{\n\treturn a;\n}\n' > "$tmp/nomain.c"
printf '#include <math.h>\nint module_main(int a)\n{\n\treturn a +;\n}\n' > "$tmp/broken.c"
printf 'int frob(int);\n\nint module_main(int a)\n{\n\treturn 2 * a;\n}\nint g(int a) { return frob(a); }\n' > "$tmp/undef.c"

out=$(mkmod "$tmp/squares.c" usermod)
if grep -q "^module usermod: $tmp/squares.c -> build/usermod/usermod.llbc, on $tmp/disk.img as USERMOD.LLB$" <<<"$out"; then
  pass made
else fail made "$out"; fi
out=$(mkmod "$tmp/fpprint.c" fpprint)
grep -q "^module fpprint: " <<<"$out" && pass made_fp_printf || fail made_fp_printf "$out"
out=$(mkmod "$tmp/fplibm.c" fplibm)
grep -q "^module fplibm: " <<<"$out" && pass made_fp_libm || fail made_fp_libm "$out"
out=$(mkmod "$tmp/words.c" words)
grep -q "^module words: " <<<"$out" && pass made_with_the_c_library || fail made_with_the_c_library "$out"
# a module with 4 MiB of zero-initialised globals (the jit server's data
# buffer holds 512 KiB: the bss comes as zero pages of the module's own)
cat > "$tmp/grid.c" <<'C'
static int grid[1024][1024];
int module_main(int arg)
{
	int s = 0;
	for (int i = 0; i < 1024; i++)
		for (int j = 0; j < 1024; j += arg) {
			s += grid[i][j] + (i ^ j);	/* zero at first */
			grid[i][j] = i + j;
		}
	for (int i = 0; i < 1024; i++)
		for (int j = 0; j < 1024; j += arg) {
			s += grid[i][j];
			grid[i][j] = 0;	/* as it was: the next call sees the same */
		}
	return s;
}
C
out=$(mkmod "$tmp/grid.c" grid)
grep -q "^module grid: " <<<"$out" && pass made_bss || fail made_bss "$out"
# a large module (120 functions, ~260 KB of LLBC: tests/qemu/big_module.py):
# one read grant brings the whole file, the jit server's IR arena grows as
# the reader needs it; its result from i686 gcc, as for modules/
python3 tests/qemu/big_module.py 120 > "$tmp/big.c"
out=$(mkmod "$tmp/big.c" big)
grep -q "^module big: " <<<"$out" && pass made_large || fail made_large "$out"
size=$(stat -c %s build/usermod/big.llbc)
[ "$size" -gt $((256 * 1024)) ] && pass large_is_over_256_KiB || fail large_is_over_256_KiB "$size bytes"
i686-linux-gnu-gcc -std=c11 -O2 -static "$tmp/big.c" tools/module-native.c -o "$tmp/big.native"
big_expected=$(qemu-i386 "$tmp/big.native" 3)
files=$(mdir -b -i "$tmp/disk.img" ::)
grep -q '::/USERMOD.LLB$' <<<"$files" && grep -q '::/FIB.LLB$' <<<"$files" \
  && pass on_disk_beside_the_others || fail on_disk_beside_the_others "$files"

out=$(mkmod "$tmp/nomain.c" nomain); rc=$?
[ $rc -ne 0 ] && grep -q "^$tmp/nomain.c:1: error: no module_main defined" <<<"$out" \
  && pass no_module_main_named || fail no_module_main_named "rc $rc: $out"
out=$(mkmod "$tmp/broken.c" broken); rc=$?
[ $rc -ne 0 ] && grep -q "^$tmp/broken.c:4:[0-9]*: error: expected expression" <<<"$out" \
  && pass clang_error_named || fail clang_error_named "rc $rc: $out"
out=$(mkmod "$tmp/undef.c" undef); rc=$?
[ $rc -ne 0 ] && grep -q "^$tmp/undef.c:1: error: frob is called but not defined" <<<"$out" \
  && pass unknown_function_named || fail unknown_function_named "rc $rc: $out"
out=$(mkmod "$tmp/squares.c" much_too_long); rc=$?
[ $rc -ne 0 ] && grep -q "NAME 'much_too_long' must be 1 to 8 letters" <<<"$out" \
  && pass bad_name_refused || fail bad_name_refused "rc $rc: $out"
files=$(mdir -b -i "$tmp/disk.img" ::)
grep -qE 'NOMAIN|BROKEN|UNDEF|MUCH' <<<"$files" && fail nothing_left_by_errors "$files" || pass nothing_left_by_errors

if DISK=$tmp/disk.img tests/qemu/boot.sh --timeout 150 --expect-exit 1 \
     --input 'run usermod 7\nrun usermod 10\nrun fpprint 2\nrun fplibm 3\nrun words 3\nrun words 2 --mem 160\nrun words 0\nrun big 3 --calls 200\nrun grid 3 --calls 2\nhalt\n' \
     --expect-re '^bareflow> run usermod 7$' --expect 'hello from a user'"'"'s module' \
     --expect-re '^run usermod\(7\) x1 from disk: 140$' \
     --expect-re '^bareflow> run usermod 10$' --expect-re '^run usermod\(10\) x1 from disk: 385$' \
     --expect 'fp 2: sqrt 1.414214, quarter 0.5, 1.414214e+03' --expect 'say hi  3.14|2   |ff' --expect 'ld 0.6667 2' \
     --expect-re '^run fpprint\(2\) x1 from disk: 1414$' \
     --expect 'fma -1, frexp 0.9375 4, cbrt 9, log1p 2.7939677199433077e-09' --expect 'class 4 0 1 1 2' \
     --expect-re '^run fplibm\(3\) x1 from disk: 288$' \
     --expect 'words: APPLE FIG KIWI PEAR; sum 36, real 25' \
     --expect-re '^heap: 2[0-9][0-9] blocks of 64 KiB, then 2[0-9][0-9]$' \
     --expect-re '^run words\(3\) x1 from disk: 108$' \
     --expect-re '^heap: [1-9] blocks of 64 KiB, then [1-9]$' \
     --expect-re '^run words\(2\) x1 from disk: 72$' \
     --expect-re ": module_main: Assertion \`arg > 0' failed\.$" \
     --expect-re '^run words\(0\) x1 from disk: 134$' \
     --expect-re "^run big\\(3\\) x200 from disk: $big_expected\$" \
     --expect-re '^run grid\(3\) x2 from disk: 537394176$' \
     --expect-re '^halting$' -- demo=0 >"$tmp/boot.log" 2>&1; then
  pass runs_at_the_shell
else fail runs_at_the_shell "$(tail -n 20 "$tmp/boot.log")"; fi
exit $status
