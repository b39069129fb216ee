#!/usr/bin/env bash
# The kernel on more than one CPU (servers/init/selftest_smp.c), each test
# at -smp 1 and -smp 2 (SMP="..." for others):
#   tlb  TLB shootdown: a reader pinned to CPU 1 never reads a page after
#        another CPU unmapped or remapped it, and faults on one unmapped
#        under its feet.
#   reclaim  old code reclaimed: a function swapped 10,000 times while a
#        recurser pinned to CPU 1 runs it 1000 levels deep, within a code
#        quota of 512 pages; every round right, frames all back.
# And a wakeup across CPUs is prompt under -icount -smp 2 while its
# sender keeps running (test=wake): QEMU then runs the vCPUs in turn, and
# the IPI's sender PAUSEs after it gives the lock back (microkernel/
# lock.c); the slowest of 20 wakeups stays under 1,000,000 instructions --
# without the PAUSE each waits for QEMU's 100 ms round-robin slice.
set -uo pipefail
status=0
for n in ${SMP:-1 2}; do
  for t in tlb reclaim tick; do
    if SMP=$n tests/qemu/boot.sh --timeout 120 -- "test=$t"; then
      echo "TEST PASS boot.$t.smp$n"
    else
      echo "TEST FAIL boot.$t.smp$n"; status=1
    fi
  done
done
if [[ " ${SMP:-1 2} " == *" 2 "* ]]; then
  log=$(mktemp)
  SMP=2 QEMU_EXTRA="-icount shift=0,sleep=off" tests/qemu/boot.sh --timeout 300 -- test=wake >"$log" 2>&1
  rc=$?
  grep -a '^TEST' "$log"
  w=$(awk '$1 == "bench:" && $2 == "wake_worst" { print $3 }' "$log")
  rm -f "$log"
  if [ $rc -eq 0 ] && [ -n "$w" ] && [ "$w" -lt 1000000 ]; then
    echo "TEST PASS smp.cross_cpu_wakeup_prompt (slowest $w instructions, -icount)"
  else
    echo "TEST FAIL smp.cross_cpu_wakeup_prompt (rc $rc, slowest '${w:-none}' instructions)"; status=1
  fi
fi
exit $status
