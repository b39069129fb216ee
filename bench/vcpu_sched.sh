#!/usr/bin/env bash
# bench/vcpu_sched.sh OUT CMD...: run CMD (a tests/qemu/boot.sh line whose
# QEMU has -name ...,debug-threads=on), and while it runs sample the host's
# scheduler figures of its QEMU's vCPU threads (/proc/PID/task/TID/schedstat:
# ns on a host CPU, ns runnable but waiting for one).  The last sample
# before QEMU exits goes to OUT, one line a vCPU: "vcpu N RUN_NS WAIT_NS".
# Why: under TCG a guest's rdtsc is the host's TSC, so every figure of a
# -smp 2 run without -icount includes the time the host did not run the
# vCPU at all; WAIT_NS says how much of that there was (bench/smp.sh).
# CMD's own output and status are passed through.
set -uo pipefail
out=$1; shift
: >"$out"
"$@" &
top=$!
q=""
for _ in $(seq 1 2000); do	# find our QEMU among CMD's descendants
  for p in $(ps -o pid= --ppid "$top" 2>/dev/null); do
    for c in $p $(ps -o pid= --ppid "$p" 2>/dev/null); do
      [[ "$(cat /proc/$c/comm 2>/dev/null)" == qemu-system* ]] && q=$c
    done
  done
  [ -n "$q" ] && break
  kill -0 "$top" 2>/dev/null || break
  sleep 0.005
done
declare -A run wait	# per vCPU, its last sample (a thread may end first)
while [ -n "$q" ] && kill -0 "$q" 2>/dev/null; do
  for t in /proc/$q/task/*; do
    n=$(cat "$t/comm" 2>/dev/null) || continue
    [[ "$n" =~ ^CPU\ ([0-9]+)/TCG$ ]] || continue
    read -r r w _ <"$t/schedstat" 2>/dev/null || continue
    run[${BASH_REMATCH[1]}]=$r wait[${BASH_REMATCH[1]}]=$w
  done
  sleep 0.01
done
for v in "${!run[@]}"; do echo "vcpu $v ${run[$v]} ${wait[$v]}"; done >"$out"
wait "$top"
