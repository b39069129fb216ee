#!/usr/bin/env bash
# The JIT's limits through mjit, every tier, each run under `timeout 10`
# (docs/threat-model.md; the unit tests are tests/jit/unit/test_jit_limits.c):
# - hand-made bitcode (build/host/jit-bcgen, tests/jit/lib/bcgen.h): 40 levels
#   of constant expressions sharing operands compile at once to the right
#   value; over an address, a clear error at once; a constant of 8191
#   expressions is "too large";
# - a switch to 400 distinct blocks feeding a phi: a clear error (tiers
#   1-3 used to overflow a table on the stack and crash);
# - a chain of 2000 blocks laid out backwards: the liveness at tier 1
#   runs out of the compile budget (it used to take seconds, cubic in the
#   chain); --budget 1 names the function;
# - tests/inputs/limits/vla.c (VLAs, a large frame, a large byval copy, all
#   probed) at -O0..-O3 x tiers 0-3 and 3u against i686 gcc under qemu-i386.
# MJIT=path (and MJIT_RT=rt.elf) runs the mjit checks with another mjit,
# e.g. the one before issue 13, which must fail them.
set -uo pipefail
cd "$(dirname "$0")/../../.."
out=build/jit-limits
mkdir -p "$out"
mjit=${MJIT:-build/host/mjit}
rt=()
[ -n "${MJIT_RT:-}" ] && rt=(--rt "$MJIT_RT")
pass() { echo "TEST PASS limits.$1"; }
fail() { echo "TEST FAIL limits.$1: $2"; }

# run NAME EXPECTED_REGEX mjit-args...: output (stdout+stderr) must match
# in 10 s
run() {
  local name=$1 want=$2; shift 2
  local start=$SECONDS o rc
  o=$(timeout 10 "$mjit" "$@" "${rt[@]}" 2>&1); rc=$?
  if [ $rc -eq 124 ]; then fail "$name" "no answer in 10 s"
  elif [ $rc -ge 128 ]; then fail "$name" "killed by signal $((rc - 128)): $o"
  elif grep -Eq -- "$want" <<<"$o"; then pass "$name"
  else fail "$name" "got: $o (exit $rc, $((SECONDS - start)) s), wanted /$want/"; fi
}

gen=build/host/jit-bcgen
value=$("$gen" shared 40 fk "$out/deep40.bc") || { fail gen "jit-bcgen"; exit 1; }
"$gen" shared-ptr 40 fk "$out/deepptr40.bc" >/dev/null && "$gen" tree 14 f "$out/tree14.bc" >/dev/null ||
  { fail gen "jit-bcgen"; exit 1; }
hex=$(printf '0x%x' "$value")

# a switch with 400 distinct targets, all meeting in a phi
{
  echo 'define i32 @f(i32 %x) {'
  echo 'entry:'
  echo '  switch i32 %x, label %d ['
  for i in $(seq 0 399); do echo "    i32 $i, label %b$i"; done
  echo '  ]'
  for i in $(seq 0 399); do printf 'b%d:\n  br label %%m\n' "$i"; done
  printf 'd:\n  br label %%m\nm:\n  %%p = phi i32 [7, %%d]'
  for i in $(seq 0 399); do printf ', [%d, %%b%d]' "$((3 * i))" "$i"; done
  printf '\n  ret i32 %%p\n}\n'
} > "$out/switch400.ll"
# a chain of blocks laid out backwards, two values live through it
{
  printf 'define i32 @chain(i32 %%x) {\nentry:\n  %%v0 = add i32 %%x, 1\n  %%v1 = mul i32 %%x, 3\n  br label %%b1\n'
  printf 'b2000:\n  br label %%exit\n'
  for i in $(seq 1999 -1 1); do printf 'b%d:\n  br label %%b%d\n' "$i" "$((i + 1))"; done
  printf 'exit:\n  %%r = add i32 %%v0, %%v1\n  ret i32 %%r\n}\n'
} > "$out/chain.ll"
for f in switch400 chain; do
  llvm-as-19 "$out/$f.ll" -o "$out/$f.bc" || { fail "$f" "llvm-as-19"; exit 1; }
done

for t in 0 1 2 3; do
  run "shared_constants_40_levels.t$t" "^f\(\) = -?[0-9]+ \($hex\)$" "$out/deep40.bc" --tier $t --call f
  run "shared_constants_in_a_global.t$t" "^gk\(\) = -?[0-9]+ \($hex\)$" "$out/deep40.bc" --tier $t --call gk
  run "shared_addresses_refused.t$t" "^mjit: compile: global k: unsupported initialiser$" \
    "$out/deepptr40.bc" --tier $t --call f
  run "constant_too_large.t$t" \
    "^mjit: compile: constant expression too large in function f \(more than 4096 expressions\)$" \
    "$out/tree14.bc" --tier $t --call f
  run "switch_to_400_blocks.t$t" "switch with too many distinct targets" "$out/switch400.bc" --tier $t --call f 3
  if [ $t = 1 ]; then
    run "backward_chain.t$t" "^mjit: compile: compile budget exceeded in function chain at tier 1$" \
      "$out/chain.bc" --tier $t --call chain 5
  else
    run "backward_chain.t$t" "^chain\(\) = 21 \(0x15\)$" "$out/chain.bc" --tier $t --call chain 5
  fi
  run "tiny_budget.t$t" "^mjit: compile: compile budget exceeded in function chain at tier $t$" \
    "$out/chain.bc" --tier $t --budget 1 --call chain 5
done
[ -n "${MJIT:-}" ] && exit 0

# VLAs and large frames against gcc
c=tests/inputs/limits/vla.c
i686-linux-gnu-gcc -m32 -O1 -w -ffreestanding -nostdlib -static -fno-pie -no-pie -fno-stack-protector \
  -fno-builtin -I. -Ilib/include -Dtest_main=main tests/jit/diff/native/start.c lib/string.c "$c" -lgcc \
  -o "$out/vla.native" || { fail vla "native build"; exit 1; }
r=$(timeout 10 qemu-i386 "$out/vla.native" | sed -n 's/^result = 0x//p')
[ -n "$r" ] || { fail vla "native run"; exit 1; }
: > "$out/list.txt"
for o in 0 1 2 3; do
  clang-19 --target=i686-unknown-none -m32 -ffreestanding -nostdlib -emit-llvm -c -O$o "$c" \
    -o "$out/vla.O$o.bc" || { fail "vla-O$o" clang; continue; }
  echo "limits.vla-O$o $out/vla.O$o.bc test_main $r" >> "$out/list.txt"
done
build/host/jit-difftest -t 0 -t 1 -t 2 -t 3 -t 3u < "$out/list.txt"
