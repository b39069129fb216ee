#!/usr/bin/env bash
# A module's whole life in the guest (servers/init/selftest_modules.c):
# every module from the FAT16 disk at every tier; tier-up at 100/1000/10000
# (under -icount so cycle counts repeat); the embedded fallback without a
# disk and with a corrupt file; hostile modules; servers killed mid-run.
# Each at -smp 1 and -smp 2 (SMP="..." for others; verdicts boot.X for one
# CPU, boot.X.smpN for N).  Tier-up on two CPUs runs without -icount:
# -icount makes QEMU run the vCPUs in turn, never at once, and the test is
# that the module goes on while the other CPU compiles
# (selftest_modules.c tierup_background).
set -uo pipefail
status=0
for n in ${SMP:-1 2}; do
export SMP=$n
sfx=""; [ "$n" -gt 1 ] && sfx=".smp$n"
verdict() { if [ "$1" -eq 0 ]; then echo "TEST PASS boot.$2$sfx"; else echo "TEST FAIL boot.$2$sfx"; status=1; fi; }

tests/qemu/boot.sh --timeout 120 -- test=modules; verdict $? modules
# tierup asserts each tier's code is faster than the last; tiers 2 and 3
# of `sum` run the same number of instructions, and the sandbox's NOP
# padding (docs/secure-jit.md, "Cost") can decide that race either way, so
# this one measures the compiler alone (secure=none); test=modules above
# runs every module at every tier sandboxed and verified.
if [ "$n" -gt 1 ]; then
  tests/qemu/boot.sh --timeout 300 -- test=tierup; verdict $? tierup
else
  QEMU_EXTRA="-icount shift=0,sleep=off" tests/qemu/boot.sh --timeout 300 -- test=tierup secure=none; verdict $? tierup
fi
DISK=none tests/qemu/boot.sh --timeout 60 --expect "using the embedded copy" -- test=fallback
verdict $? fallback_no_disk

# the same disk with one flipped byte in FIB.LLB's bitcode: its CRC fails
tmp=$(mktemp -d)
cp build/modules/fib.llbc "$tmp/FIB.LLB"
printf '\x55' | dd of="$tmp/FIB.LLB" bs=1 seek=300 conv=notrunc status=none
cp build/test-disk.img "$tmp/disk.img"
MTOOLS_SKIP_CHECK=1 mcopy -o -i "$tmp/disk.img" "$tmp/FIB.LLB" ::FIB.LLB
DISK=$tmp/disk.img tests/qemu/boot.sh --timeout 60 --expect "CRC" \
  --expect "using the embedded copy" -- test=fallback
verdict $? fallback_bad_crc
rm -rf "$tmp"

tests/qemu/boot.sh --timeout 120 --expect "long double (x86_fp80) is not supported: build the module with -mlong-double-64" -- test=hostile; verdict $? hostile
tests/qemu/boot.sh --timeout 120 -- test=crash; verdict $? crash
done
exit $status
