#!/usr/bin/env bash
# The real boot path: GRUB from the ISO loads the kernel and modules; the
# shell comes up on the serial line and powers off on `halt`.
set -uo pipefail
log=$(mktemp)
printf 'ps\nhalt\n' | timeout 90 tools/run-qemu.sh build/bareflow.iso build/test-disk.img -snapshot >"$log" 2>&1
rc=$?
tr -d '\r' <"$log" | grep -a -v '^\s*$' | tail -n 30
status=0
[ $rc -eq 0 ] || { echo "grub_iso: QEMU status $rc"; status=1; }
for e in "BareFlow microkernel" "PAE+NX paging on" "BareFlow ready" "halting"; do
  grep -aqF "$e" "$log" || { echo "grub_iso: output lacks: $e"; status=1; }
done
rm -f "$log"
exit $status
