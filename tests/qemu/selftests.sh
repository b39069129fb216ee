#!/usr/bin/env bash
# Boots the kernel once per in-guest selftest (servers/init/selftest.c),
# with each number of CPUs in SMP (default "1 2": the kernel suites run on
# one CPU and on two).  The guest prints a TEST PASS/FAIL line per check;
# this adds one line per boot for its verdict (exit status, timeout,
# panic), named boot.TEST for one CPU and boot.TEST.smpN for N.
status=0
for n in ${SMP:-1 2}; do
  sfx=""; [ "$n" -gt 1 ] && sfx=".smp$n"
  for t in ipc grant faults syscalls code restart irq hostile_kernel isolation fpu; do
    if SMP=$n tests/qemu/boot.sh --timeout 60 -- "test=$t"; then
      echo "TEST PASS boot.$t$sfx"
    else
      echo "TEST FAIL boot.$t$sfx"; status=1
    fi
  done
done
exit $status
