#!/usr/bin/env bash
# The sandboxed JIT (jit_opts.secure = JIT_SEC_SANDBOX, docs/secure-jit.md):
# all of its output passes the kernel's verifier and computes what the
# plain JIT computes.  jit-difftest --secure all runs every image it
# links through microkernel/verify (the kernel's own files,
# tests/jit/diff/harness_verify.c) before calling it, and recompiles every
# function alone at the same tier (a tier-up's unit, verified too), so a
# refused image is a TEST FAIL naming the offset and the rule.  Inputs:
#   - the C corpus (tests/inputs/corpus) at -O0..-O3, tiers 0..3 and 3u,
#     against i686 gcc's result under qemu-i386 (corpus_ref.sh: what
#     corpus.sh prepared, reused);
#   - every module (modules/, build/modules/expected.txt), tiers 0..3,
#     natively with mjit --secure all (as native_run.sh);
#   - a csmith sample (the first SANDBOX_CSMITH seeds of seeds.txt, 12 by
#     default) at -O0..-O2, tiers 0..3.
set -uo pipefail
cd "$(dirname "$0")/../../.."
out=build/jit-sandbox
mkdir -p "$out"
. tests/jit/diff/corpus_ref.sh
corpus_ref > "$out/corpus.txt"
. tests/jit/diff/pick.sh
"${DIFFTEST[@]}" --secure all -t 0 -t 1 -t 2 -t 3 -t 3u < "$corpus_out/list.txt" >> "$out/corpus.txt" 2>&1
cat "$out/corpus.txt"

# modules: natively where this host runs 32-bit code (the masked returns
# and calls really execute), else under qemu-i386
if build/host32/can-run >/dev/null 2>&1; then run=(); else run=(qemu-i386); fi
while read -r n a r; do
  for t in 0 1 2 3; do
    o=$("${run[@]}" build/host32/mjit "build/modules/$n.llbc" --tier "$t" --native --secure all \
      --call module_main "$a" 2>&1)
    if grep -q "^module_main() = $r " <<<"$o"; then echo "TEST PASS sandbox-module.$n.t$t"
    else echo "TEST FAIL sandbox-module.$n.t$t: $o"; fi
  done
done < build/modules/expected.txt > "$out/modules.txt"
cat "$out/modules.txt"

# a csmith sample
: > "$out/csmith.txt"
if command -v csmith >/dev/null; then
  CSMITH_OPTS="${CSMITH_OPTS:---no-structs --no-unions --no-argc --no-float --max-funcs 6}"
  : > "$out/cs-list.txt"
  for s in $(grep -v '^#' tests/jit/diff/csmith/seeds.txt | head -n "${SANDBOX_CSMITH:-12}"); do
    csmith --seed "$s" $CSMITH_OPTS -o "$out/s$s.c" >/dev/null 2>&1 || continue
    i686-linux-gnu-gcc -m32 -O1 -w -ffreestanding -nostdlib -static -fno-pie -no-pie \
      -fno-stack-protector -I. -Ilib/include -Itests/jit/diff/csmith tests/jit/diff/native/start.c \
      lib/string.c "$out/s$s.c" -lgcc -o "$out/s$s.native" 2>/dev/null || continue
    r=$(timeout 2 qemu-i386 "$out/s$s.native" 2>/dev/null | sed -n 's/^result = 0x//p')
    [ -n "$r" ] || { echo "skipped: csmith seed $s (native run over 2 s)"; continue; }
    for o in -O0 -O1 -O2; do
      clang-19 -m32 -ffreestanding -nostdlib -emit-llvm -c $o -w -Itests/jit/diff/csmith \
        "$out/s$s.c" -o "$out/s$s$o.bc" 2>/dev/null && echo "csmith-$s$o $out/s$s$o.bc main $r" >> "$out/cs-list.txt"
    done
  done
  "${DIFFTEST[@]}" --secure all -t 0 -t 1 -t 2 -t 3 < "$out/cs-list.txt" > "$out/csmith.txt" 2>&1
  cat "$out/csmith.txt"
else
  echo "TEST FAIL sandbox-csmith: csmith is not installed"
fi
echo "sandbox: $(cat "$out"/{corpus,modules,csmith}.txt | grep -c '^TEST PASS') passed," \
  "$(cat "$out"/{corpus,modules,csmith}.txt | grep -c '^TEST FAIL') failed"
! grep -q '^TEST FAIL' "$out"/{corpus,modules,csmith}.txt
