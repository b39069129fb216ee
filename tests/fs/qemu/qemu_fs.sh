#!/usr/bin/env bash
# The fs server on QEMU's emulated IDE disk: boot with "fs.selftest" on a
# private copy of build/test-disk.img (mkfs.fat -F 16 + mcopy, made by
# mk/image.mk); the server writes /FSTEST.TXT through its ATA driver, syncs,
# reads it back and benchmarks raw vs FAT transfers.  After QEMU powers off,
# fsck.fat -n must find the image clean and mtools must read the file.
#   tests/fs/qemu/qemu_fs.sh [--bench]   (--bench: -icount shift=0 for repeatable cycles)
set -uo pipefail
extra=()
[ "${1:-}" = --bench ] && extra=(-icount shift=0,sleep=off)
for f in build/kernel.elf build/init.elf build/fs.elf build/test-disk.img; do
  [ -f "$f" ] || { echo "TEST FAIL fs-qemu: $f not built"; exit 1; }
done
dir=$(mktemp -d "${TMPDIR:-/tmp}/bf-fat-qemu-XXXXXX")
trap 'rm -rf "$dir"' EXIT
cp build/test-disk.img "$dir/disk.img"
# fs runs at a higher priority than init, so its selftest ends before the
# shell reads "halt".
printf 'halt\n' | timeout 120 qemu-system-i386 -cpu max -m 128 "${extra[@]}" \
  -display none -monitor none -serial stdio -no-reboot \
  -device isa-debug-exit,iobase=0xf4,iosize=0x04 \
  -drive "file=$dir/disk.img,format=raw,if=ide,index=0" \
  -kernel build/kernel.elf -initrd "build/init.elf init,build/fs.elf fs" \
  -append "fs.selftest" >"$dir/log" 2>&1
rc=$?
tr -d '\r' <"$dir/log" | grep -E '^(fs:|TEST|kernel: power)' 
status=0
[ $rc -eq 1 ] || { echo "TEST FAIL fs-qemu: QEMU exit $rc (expected 1: halt)"; status=1; }
grep -q "fs: selftest done" "$dir/log" || { echo "TEST FAIL fs-qemu: selftest did not finish"; status=1; }
if out=$(fsck.fat -n "$dir/disk.img" 2>&1); then
  echo "TEST PASS fs-qemu fsck.fat -n clean after the guest wrote"
else
  echo "TEST FAIL fs-qemu fsck.fat -n:"; echo "$out"; status=1
fi
want=$(for i in $(seq 100); do echo "written by the BareFlow fs server through its ATA driver"; done)
got=$(MTOOLS_SKIP_CHECK=1 mtype -i "$dir/disk.img" ::/FSTEST.TXT 2>&1)
if [ "$got" = "$want" ]; then
  echo "TEST PASS fs-qemu mtype reads the file the guest wrote"
else
  echo "TEST FAIL fs-qemu mtype: $(echo "$got" | head -3)"; status=1
fi
if MTOOLS_SKIP_CHECK=1 mdir -i "$dir/disk.img" ::/ 2>/dev/null | grep -q '^BENCH'; then
  echo "TEST FAIL fs-qemu: benchmark file left behind"; status=1
fi
exit $status
