#!/usr/bin/env bash
# The floating-point corpus (tests/inputs/fpcorpus/*.c, entry test_main) at
# -O0..-O3 under the JIT at every tier, against i686 gcc -O2 -msse2
# -mfpmath=sse -ffp-contract=off (the issue's reference) run under
# qemu-i386.  Both sides link the module runtime's libm (lib/rt/math/,
# built natively with the same flags), so libm calls give the same bits;
# clang also gets -ffp-contract=off (no fused multiply-add in the bitcode).
# Both get -mlong-double-64, as modules are built: long double is double.
# Results are hashes of the bits of every value computed: bit for bit.
set -uo pipefail
cd "$(dirname "$0")/../../.."
out=build/jit-fpcorpus
mkdir -p "$out"
: > "$out/list.txt"
only=${1:-}
for c in tests/inputs/fpcorpus/*.c; do
  n=$(basename "$c" .c)
  [ -z "$only" ] || [ "$only" = "$n" ] || continue
  i686-linux-gnu-gcc -m32 -O2 -msse2 -mfpmath=sse -ffp-contract=off -fexcess-precision=standard -mlong-double-64 \
    -mincoming-stack-boundary=2 -w -ffreestanding -nostdlib -static -fno-pie -no-pie \
    -fno-stack-protector -fno-builtin-memcpy -I. -Ilib/include -Ilib/rt/include -Dtest_main=main \
    tests/jit/diff/native/start.c lib/string.c lib/rt/math/*.c "$c" -lgcc -o "$out/$n.native" \
    || { echo "TEST FAIL fpcorpus-$n: native build"; continue; }
  r=$(timeout 20 qemu-i386 "$out/$n.native" | sed -n 's/^result = 0x//p')
  [ -n "$r" ] || { echo "TEST FAIL fpcorpus-$n: native run"; continue; }
  # a program may ask for more clang flags on its first line:
  # /* fpcorpus-clang-flags: ... */ (fp_round.c: -fno-math-errno)
  extra=$(sed -n '1s/.*fpcorpus-clang-flags: *\([^*]*\).*/\1/p' "$c")
  for o in 0 1 2 3; do
    clang-19 --target=i686-unknown-none -m32 -ffreestanding -nostdlib -ffp-contract=off -mlong-double-64 -emit-llvm -c -O$o \
      $extra -Ilib/rt/include "$c" -o "$out/$n.O$o.bc" || { echo "TEST FAIL fpcorpus-$n-O$o: clang"; continue; }
    echo "fpcorpus-$n-O$o $out/$n.O$o.bc test_main $r" >> "$out/list.txt"
  done
done
. tests/jit/diff/pick.sh
"${DIFFTEST[@]}" -t 0 -t 1 -t 2 -t 3 -t 3u < "$out/list.txt"; rc=$?
# the sandboxed form too: every image through the kernel's verifier
# (its SSE2/x87 rules) before it runs
"${DIFFTEST[@]}" --secure all -t 0 -t 1 -t 2 -t 3 < "$out/list.txt" || rc=1
exit $rc
