#!/usr/bin/env bash
# Boots the kernel once per in-guest selftest (servers/init/selftest.c).
# The guest prints a TEST PASS/FAIL line per check; this adds one line per
# boot for its verdict (exit status, timeout, panic).
status=0
for t in ipc grant faults syscalls code restart irq hostile_kernel isolation fpu; do
  if tests/qemu/boot.sh --timeout 60 -- "test=$t"; then
    echo "TEST PASS boot.$t"
  else
    echo "TEST FAIL boot.$t"; status=1
  fi
done
exit $status
