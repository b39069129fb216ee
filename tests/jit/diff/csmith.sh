#!/usr/bin/env bash
# Differential testing of the micro-JIT with csmith.
#
#   tests/jit/diff/csmith.sh [--seeds FILE] [--random N] [--jobs J] [--opts "-O0 -O1 -O2"]
#
# For every seed: csmith generates a program (integer only: no structs,
# unions or floats); it is built natively (i686 gcc -O1, freestanding,
# tests/jit/diff/native/start.c) and run under qemu-i386 for the reference
# checksum, and compiled by clang-19 at each -O level to bitcode that
# build/host/jit-difftest runs under the JIT at tier 0 and the top tier,
# and at tier 3 with every loop the unroller can transform unrolled (t3u).
# CSMITH_OPTS overrides the csmith options (e.g. with structs: make
# fuzz-jit CSMITH_OPTS="--no-argc --no-float").
# With floats on (CSMITH_OPTS without --no-float), CSMITH_FP=1 builds both
# sides the way floating point compares bit for bit: gcc -msse2
# -mfpmath=sse -ffp-contract=off, clang -ffp-contract=off.
# Seeds are printed; every result is a TEST PASS/FAIL line.  Programs
# whose native run does not finish within 2 s are skipped (reported).
set -uo pipefail
cd "$(dirname "$0")/../../.."
seeds_file=tests/jit/diff/csmith/seeds.txt
random=0
jobs=2
opts="-O0 -O1 -O2"
while [ $# -gt 0 ]; do
  case $1 in
    --seeds) seeds_file=$2; shift 2 ;;
    --random) random=$2; shift 2 ;;
    --jobs) jobs=$2; shift 2 ;;
    --opts) opts=$2; shift 2 ;;
    *) echo "usage: $0 [--seeds FILE] [--random N] [--jobs J] [--opts '-O0 -O1 -O2']" >&2; exit 2 ;;
  esac
done
out=build/jit-csmith
mkdir -p "$out"
CSMITH_OPTS="${CSMITH_OPTS:---no-structs --no-unions --no-argc --no-float --max-funcs 6}"
if [ "$random" -gt 0 ]; then
  seeds=$(for _ in $(seq "$random"); do echo $(( (RANDOM << 15 | RANDOM) + 1 )); done)
else
  seeds=$(grep -v '^#' "$seeds_file")
fi
echo "csmith seeds: $(echo $seeds | tr '\n' ' ')"

prep() {
  s=$1; d=$2; opts=$3
  csmith --seed "$s" $CSMITH_OPTS -o "$d/s$s.c" >/dev/null 2>&1 || { echo "s$s GENFAIL"; return; }
  i686-linux-gnu-gcc -m32 -O1 ${CSMITH_GCC_FP:-} -w -ffreestanding -nostdlib -static -fno-pie -no-pie \
    -fno-stack-protector -I. -Ilib/include -Itests/jit/diff/csmith tests/jit/diff/native/start.c \
    lib/string.c "$d/s$s.c" -lgcc -o "$d/s$s.native" 2>/dev/null || { echo "s$s NATIVEFAIL"; return; }
  r=$(timeout 2 qemu-i386 "$d/s$s.native" 2>/dev/null | sed -n 's/^result = 0x//p')
  [ -n "$r" ] || { echo "s$s TIMEOUT"; return; }
  for o in $opts; do
    clang-19 -m32 ${CSMITH_CLANG_FP:-} -ffreestanding -nostdlib -emit-llvm -c $o -w -Itests/jit/diff/csmith \
      "$d/s$s.c" -o "$d/s$s$o.bc" 2>/dev/null || { echo "s$s CLANGFAIL"; return; }
    echo "csmith-$s$o $d/s$s$o.bc main $r"
  done
}
export -f prep
export CSMITH_OPTS
if [ -n "${CSMITH_FP:-}" ]; then
  export CSMITH_GCC_FP="-msse2 -mfpmath=sse -ffp-contract=off -fexcess-precision=standard" CSMITH_CLANG_FP="-ffp-contract=off"
fi
list=$(echo "$seeds" | xargs -P "$jobs" -I{} bash -c "prep {} $out '$opts'")
echo "$list" | grep -E ' (GENFAIL|NATIVEFAIL|TIMEOUT|CLANGFAIL)$' | sed 's/^/skipped: /'
echo "$list" | grep -v -E ' (GENFAIL|NATIVEFAIL|TIMEOUT|CLANGFAIL)$' | sort > "$out/list.txt"
n=$(wc -l < "$out/list.txt")
half=$(( (n + 1) / 2 ))
. tests/jit/diff/pick.sh
# two processes, one per core
head -n "$half" "$out/list.txt" | "${DIFFTEST[@]}" -t 0 -t 3 -t 3u > "$out/r1.txt" 2>&1 &
tail -n +"$((half + 1))" "$out/list.txt" | "${DIFFTEST[@]}" -t 0 -t 3 -t 3u > "$out/r2.txt" 2>&1
wait
cat "$out/r1.txt" "$out/r2.txt"
! grep -q '^TEST FAIL' "$out/r1.txt" "$out/r2.txt"
