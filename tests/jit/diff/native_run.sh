#!/usr/bin/env bash
# The native backend of the harness (build/host32: JIT code mapped
# read+execute in a 32-bit process and called): every module at every tier
# gives the result gcc's build gives, and JIT code that faults or hangs is
# an error of that call (reported, the tool goes on), not a crash.  Run
# natively where this host runs 32-bit code, else under qemu-i386 (said).
set -uo pipefail
cd "$(dirname "$0")/../../.."
if build/host32/can-run >/dev/null 2>&1; then run=(); echo "native"
else run=(qemu-i386); echo "this host cannot run 32-bit x86 code: build/host32/mjit under qemu-i386"; fi
mjit() { "${run[@]}" build/host32/mjit "$@" 2>&1; }
while read -r n a r; do
  for t in 0 1 2 3; do
    out=$(mjit "build/modules/$n.llbc" --tier "$t" --native --call module_main "$a" --repeat 2)
    if grep -q "^module_main() = $r " <<<"$out" && grep -q '^cycles: min [0-9]* median' <<<"$out"; then
      echo "TEST PASS native.$n.t$t"
    else
      echo "TEST FAIL native.$n.t$t: $out"
    fi
  done
done < build/modules/expected.txt
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
printf 'int crash(int a){ return *(volatile int *)(a * 0); }\nint spin(int a){ volatile int x = a; for (;;) x++; }\nint div0(int a){ volatile int z = 0; return a / z; }\nint fine(int a){ return a + 1; }\n' > "$tmp/t.c"
clang-19 --target=i686-unknown-none -m32 -ffreestanding -nostdlib -emit-llvm -c -O1 "$tmp/t.c" -o "$tmp/t.bc"
for f in crash:Segmentation spin:'did not return' div0:'Floating point'; do
  out=$(mjit "$tmp/t.bc" --native --call "${f%%:*}" 1); rc=$?
  [ $rc -eq 1 ] && grep -q "${f#*:}" <<<"$out" && echo "TEST PASS native.caught_${f%%:*}" || echo "TEST FAIL native.caught_${f%%:*}: exit $rc: $out"
done
out=$(mjit "$tmp/t.bc" --native --call fine 41)
grep -q '^fine() = 42 ' <<<"$out" && echo "TEST PASS native.fine_after_faults" || echo "TEST FAIL native.fine_after_faults: $out"
