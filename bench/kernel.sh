#!/usr/bin/env bash
# Kernel benchmarks, in the guest under -icount shift=0,sleep=off: guest
# rdtsc then counts instructions, so the numbers repeat exactly.
#   ipc_round_trip  call + reply between two address spaces, 4-word message
#   null_syscall    int 0x80 in and out
#   boot_to_prompt  from reset (BIOS included) to init's prompt
set -euo pipefail
export QEMU_EXTRA="-icount shift=0,sleep=off"
out=$(mktemp)
tests/qemu/boot.sh --timeout 300 -- test=bench >"$out" 2>&1 || { cat "$out"; exit 1; }
tests/qemu/boot.sh --timeout 300 --expect-exit 1 --input 'halt\n' -- tsc=1 demo=0 >>"$out" 2>&1 || { cat "$out"; exit 1; }
mkdir -p build/bench
grep -a '^bench:' "$out" | sed 's/^bench: //' >build/bench/kernel.txt
rm -f "$out"
echo "== kernel (guest instructions, -icount shift=0) =="
awk '{ printf "  %-16s %12s\n", $1, $2 }' build/bench/kernel.txt
rt=$(awk '$1 == "ipc_round_trip" { print $2 }' build/bench/kernel.txt)
echo "  IPC round trip target <= 600 instructions (issue 18): $([ "$rt" -le 600 ] && echo met || echo MISSED) ($rt)"
