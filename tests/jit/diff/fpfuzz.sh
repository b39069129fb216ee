#!/usr/bin/env bash
# Differential fuzzing of the JIT's floating point: random programs from
# tests/jit/diff/fpfuzz_gen.py (seeded; the seeds are printed), built by
# i686 gcc -O2 -msse2 -mfpmath=sse -ffp-contract=off and run under
# qemu-i386 for the reference, and by clang-19 -ffp-contract=off at -O0,
# -O1 and -O2 into bitcode that jit-difftest runs at tiers 0..3.
#
#   tests/jit/diff/fpfuzz.sh [FIRST_SEED [COUNT]]
#
# make test runs a bounded slice (seeds 1..FPFUZZ_N, 16 by default);
# make fuzz-jit-fp runs FPFUZZ_N (1000) from a random first seed.
set -uo pipefail
cd "$(dirname "$0")/../../.."
first=${1:-1}
count=${2:-${FPFUZZ_N:-16}}
out=build/jit-fpfuzz
mkdir -p "$out"
: > "$out/list.txt"
echo "fpfuzz seeds: $first..$((first + count - 1))"
for s in $(seq "$first" $((first + count - 1))); do
  c="$out/fp$s.c"
  python3 tests/jit/diff/fpfuzz_gen.py "$s" > "$c" || { echo "TEST FAIL fpfuzz-$s: generator"; continue; }
  i686-linux-gnu-gcc -m32 -O2 -msse2 -mfpmath=sse -ffp-contract=off -fexcess-precision=standard \
    -mincoming-stack-boundary=2 -w -ffreestanding -nostdlib -static -fno-pie -no-pie \
    -fno-stack-protector -I. -Ilib/include -Dtest_main=main \
    tests/jit/diff/native/start.c lib/string.c lib/rt/math/*.c "$c" -lgcc -o "$out/fp$s.native" \
    || { echo "TEST FAIL fpfuzz-$s: native build"; continue; }
  r=$(timeout 10 qemu-i386 "$out/fp$s.native" | sed -n 's/^result = 0x//p')
  [ -n "$r" ] || { echo "TEST FAIL fpfuzz-$s: native run"; continue; }
  for o in 0 1 2; do
    clang-19 --target=i686-unknown-none -m32 -ffreestanding -nostdlib -ffp-contract=off -w -emit-llvm -c \
      -O$o "$c" -o "$out/fp$s.O$o.bc" || { echo "TEST FAIL fpfuzz-$s-O$o: clang"; continue; }
    echo "fpfuzz-$s-O$o $out/fp$s.O$o.bc test_main $r" >> "$out/list.txt"
  done
done
. tests/jit/diff/pick.sh
"${DIFFTEST[@]}" -t 0 -t 1 -t 2 -t 3 < "$out/list.txt"
