#!/usr/bin/env bash
# Two CPUs (issue 18).  Each figure says its mode:
#  - tier-up as the module lives it (test=swapbench: sum(200) x12000, tiers
#    at 100 / 1000 / 10000; the harness's records, lib/rt/rt.h struct
#    rt_swap): per tier change the module's wall cycles per entry call
#    just before the threshold signal, the slowest call from the signal to
#    the first call of the new code (the stall), the calls after it, and
#    signal -> new code live.
#      * -smp 1 under -icount shift=0 (guest instructions, repeat exactly):
#        the module stops for the whole compile;
#      * -smp 1 and -smp 2 without -icount (QEMU's TCG on host threads,
#        rdtsc = host TSC cycles; a loaded host: median of 3 runs).  The
#        two-CPU case cannot be measured under -icount: -icount makes QEMU
#        run the vCPUs in turn, so one CPU's compile time counts in the
#        other's rdtsc.
#  - the IPC round trip under -icount (test=bench): -smp 1, and -smp 2
#    with both tasks pinned to CPU 0 and with the client on CPU 1;
#  - two modules at once, both pinned to CPU 0 vs one per CPU
#    (test=pairbench, -smp 2 without -icount, best of three each).
# Table: build/bench/smp.txt.
set -euo pipefail
out=build/bench
mkdir -p "$out"
raw=$out/smp.raw
: >"$raw"
run() {	# MODE SMP TEST [QEMU_EXTRA]
  local mode=$1 n=$2 t=$3 log
  log=$(mktemp)
  SMP=$n QEMU_EXTRA="${4:-}" tests/qemu/boot.sh --timeout 600 -- "test=$t" >"$log" 2>&1 \
    || { grep -a -E 'FAIL|TIMEOUT|PANIC' "$log"; rm -f "$log"; exit 1; }
  grep -a -E '^(swap |bench: )' "$log" | sed "s/^bench: //; s/^/$mode /" >>"$raw"
  rm -f "$log"
}
icount="-icount shift=0,sleep=off"
run icount1 1 swapbench "$icount"
for k in 1 2 3; do run tcg1 1 swapbench; run tcg2 2 swapbench; done
run icount1 1 bench "$icount"
run icount2 2 bench "$icount"
run tcg2 2 pairbench

awk '
  # swap MODULE K SIGNAL LIVE BEFORE PEAK AFTER LATENCY PEAK_CALL; the tier from the
  # signal: the counter reaches 100 / 1000 / 10000 after call 99 / 999 / 9999
  $2 == "swap" {
    m = $1; t = $5 < 999 ? 1 : $5 < 9999 ? 2 : 3
    if ($6 == 0) next		# did not go live before the run ended
    k = m SUBSEP t; n[k]++
    bef[k, n[k]] = $7; stall[k, n[k]] = $8 - $7; aft[k, n[k]] = $9; lat[k, n[k]] = $10
    late[k, n[k]] = $6 - $5 - 1; at[k, n[k]] = $11 - $6
  }
  $2 == "ipc_round_trip" && $1 == "icount1" { ipc1 = $3 }
  $2 == "ipc_round_trip" && $1 == "icount2" { ipc = $3 }
  $2 == "ipc_round_trip_cross" { ipcx = $3 }
  $2 == "pair_one_cpu" { one = $3 } $2 == "pair_two_cpus" { two = $3 }
  function med(a, k, c,   i, j, v, x) {
    for (i = 1; i <= c; i++) v[i] = a[k, i]
    for (i = 1; i <= c; i++) for (j = i + 1; j <= c; j++) if (v[j] < v[i]) { x = v[i]; v[i] = v[j]; v[j] = x }
    return v[int((c + 1) / 2)]
  }
  END {
    split("icount1 tcg1 tcg2", modes, " ")
    split("-smp 1, -icount (instructions)|-smp 1, TCG (host cycles, median)|-smp 2, TCG (host cycles, median)", title, "|")
    for (i = 1; i <= 3; i++) {
      printf "%s\n  %-5s %10s %12s %10s %14s %11s %8s\n", title[i], "tier", "before", "stall", "after", "signal->live", "calls late", "stall at"
      for (t = 1; t <= 3; t++) {
        k = modes[i] SUBSEP t
        if (!(k in n)) { printf "  %-5d (never live before the run ended)\n", t; continue }
        printf "  %-5d %10d %12d %10d %14d %11d %8d  (%d runs)\n", t, med(bef, k, n[k]), med(stall, k, n[k]),
               med(aft, k, n[k]), med(lat, k, n[k]), med(late, k, n[k]), med(at, k, n[k]), n[k]
      }
    }
    printf "stall = the slowest call from the signal to the new code, minus the calls before;\n"
    printf "stall at = that call relative to the first call of the new code (-1: the call\n"
    printf "  during which the entry changed, 0: the first call of the new code)\n"
    printf "IPC round trip, -icount (instructions): -smp 1 %d; -smp 2 same CPU %d, client on CPU 1 %d (both CPUs counted)\n", ipc1, ipc, ipcx
    if (one) printf "two modules, one CPU vs two (TCG, host cycles): %d vs %d, ratio %.3f (target <= 0.55)\n", one, two, two / one
  }' "$raw" | tee "$out/smp.txt"
