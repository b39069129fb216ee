#!/usr/bin/env bash
# Hostile modules at the shell, in one boot, and the system afterwards:
#   spin   never returns: killed at its deadline (--timeout 2), and the
#          shell answers within 1 s of it (the uptimes around the run);
#   block  would create a notification and wait on it for ever: refused
#          at load, naming the runtime function it may not call;
#   hog    448 KiB of zero globals under a 64-page limit: its bss (zero
#          pages the jit server gives) does not fit the quota, refused by
#          name; with the default limit it runs;
# then `run fib 20` prints 6765 and `run sum 200 --calls 20000` still
# tiers up (prof shows tier 2 or 3 with the calls its counters saw: on
# two CPUs the compiles run beside the module and each swap lands at its
# next tick, so it needs more calls than the tier-2 threshold's 1000).
# Runs at -smp 1 and at -smp 2 (SMP=N: that one only).
if [ -z "${SMP:-}" ]; then st=0; for n in 1 2; do SMP=$n "$0" "$@" || st=1; done; exit $st; fi
set -uo pipefail
cd "$(dirname "$0")/../.."
log=$(mktemp); trap 'rm -f "$log"' EXIT
tests/qemu/boot.sh --timeout 120 --expect-exit 1 \
  --input 'uptime\nrun spin --timeout 2\nuptime\nrun block\nrun hog --mem 64\nrun hog\nrun fib 20\nrun sum 200 --calls 20000\nprof\nhalt\n' \
  --expect-re '^bareflow> uptime$' --expect-re '^up [0-9]+\.[0-9][0-9] s' \
  --expect-re '^run spin: killed at its deadline: still running after 2\.0 s' \
  --expect-re '^up [0-9]+\.[0-9][0-9] s' \
  --expect-re '^jit: block: link: the module calls bf_sys, which the module runtime does not offer' \
  --expect-re '^jit: hog: install: no memory for 458752 bytes of zero-initialised data: the task.s quota' \
  --expect-re '^run hog\(0\) x1 from disk: [0-9]+$' \
  --expect-re '^run fib\(20\) x1 from disk: 6765, expected 6765: ok$' \
  --expect-re '^run sum\(200\) x20000 from disk: 2686700$' \
  --expect-re '^sum +module_main +[0-9]+ +[23] ' \
  --expect-re '^halting$' -- demo=0 >"$log" 2>&1
rc=$?
cat "$log"
status=0
[ $rc -eq 0 ] && echo "TEST PASS isolation_shell.attacks_contained" || { echo "TEST FAIL isolation_shell.attacks_contained"; status=1; }
# uptimes (in ticks) before and after the 2 s deadline: at most 1 s more
ticks=$(grep -a -o 'up [0-9.]* s ([0-9]* ticks)' "$log" | sed 's/.*(\([0-9]*\) ticks)/\1/')
t0=$(sed -n 1p <<<"$ticks"); t1=$(sed -n 2p <<<"$ticks")
if [ -n "$t0" ] && [ -n "$t1" ] && [ $((t1 - t0)) -ge 200 ] && [ $((t1 - t0)) -le 300 ]; then
  echo "TEST PASS isolation_shell.answers_within_1s_of_the_deadline ($((t1 - t0)) ticks)"
else
  echo "TEST FAIL isolation_shell.answers_within_1s_of_the_deadline (ticks '$t0' -> '$t1')"; status=1
fi
exit $status
