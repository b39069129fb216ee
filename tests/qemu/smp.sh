#!/usr/bin/env bash
# The kernel on more than one CPU (servers/init/selftest_smp.c), each test
# at -smp 1 and -smp 2 (SMP="..." for others):
#   tlb  TLB shootdown: a reader pinned to CPU 1 never reads a page after
#        another CPU unmapped or remapped it, and faults on one unmapped
#        under its feet.
#   reclaim  old code reclaimed: a function swapped 10,000 times while a
#        recurser pinned to CPU 1 runs it 1000 levels deep, within a code
#        quota of 512 pages; every round right, frames all back.
set -uo pipefail
status=0
for n in ${SMP:-1 2}; do
  for t in tlb reclaim; do
    if SMP=$n tests/qemu/boot.sh --timeout 120 -- "test=$t"; then
      echo "TEST PASS boot.$t.smp$n"
    else
      echo "TEST FAIL boot.$t.smp$n"; status=1
    fi
  done
done
exit $status
