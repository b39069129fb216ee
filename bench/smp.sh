#!/usr/bin/env bash
# Two CPUs (issue 18).  Every figure says its mode: "-icount" figures are
# guest instructions (rdtsc under -icount shift=0), exact and repeatable;
# "TCG" figures are host TSC cycles (rdtsc without -icount: QEMU runs each
# vCPU on a host thread), and include whatever the host did instead of
# running the vCPU.  So each TCG run also records the host's load average
# (uptime) and how long its vCPU threads waited for a host CPU
# (bench/vcpu_sched.sh: ns runnable but not running, over the whole boot,
# as a share of run + wait); figures are medians over the runs.
#
#  - tier-up as the module lives it (test=swapbench: sum(200) x16000,
#    pinned to CPU 0, tiers at 100 / 1000 / 10000; the harness's records,
#    lib/rt/rt.h struct rt_swap).  Per tier change, in wall cycles per
#    entry call (start of one call to start of the next):
#      before   the mean of the 8 calls before the threshold signal;
#      stall    the slowest call from the signal to the first call of the
#               new code, minus `before`; `at` says which call that was,
#               relative to the first call of the new code (-1: the call
#               during which the entry changed; a large negative one: a
#               call somewhere in the compile);
#      excess   signal->live minus (calls late x before): the total time
#               the module lost over the whole window, all calls together,
#               not just the slowest -- robust where one call's peak is not
#               ("-": the signal came before the last change went live, so
#               the window ran two tiers; at -smp 2 tier 2's usually does);
#      signal->live, calls late: from the signal to the first call of the
#               new code, in cycles and in calls.
#    -smp 1 under -icount: the module stops for the compile (excess =
#    signal->live).  -smp 1 and -smp 2 in TCG (an -smp 2 run cannot use
#    -icount: it runs the vCPUs in turn, so CPU 1's compile would count in
#    CPU 0's rdtsc).  At -smp 2 the ideal excess is ~0: CPU 1 compiles while
#    CPU 0 runs on.  Below each TCG table, the guest's own account over the
#    module's run (SYS_CPU_INFO, reset at its start): what the kernel took
#    from the module's CPU 0 -- interrupts from ring 3, entry to exit, and
#    its waits for the big lock -- and the longest wait of CPU 1 for CPU 0's
#    acknowledgement (the serialization before a dispatch store).  A stall
#    far above those is time the host did not run vCPU 0.
#  - the IPC round trip under -icount (test=bench): -smp 1, and -smp 2
#    with both tasks pinned to CPU 0 and with the client on CPU 1;
#  - two modules at once, both pinned to CPU 0 vs one per CPU
#    (test=pairbench, TCG, three of each per boot, $PAIR_BOOTS boots):
#    the ratio of the medians (and of the bests), target <= 0.55; and per
#    CPU of the one-per-CPU runs, task switches (what else ran there) and
#    lock waits.  The ratio needs two host CPUs free for the two vCPUs;
#    the vCPUs' wait share says how far the host was from that.
# Table: build/bench/smp.txt; raw lines: build/bench/smp.raw.
set -euo pipefail
out=build/bench
mkdir -p "$out"
raw=$out/smp.raw
: >"$raw"
TCG_RUNS=${TCG_RUNS:-5}
PAIR_BOOTS=${PAIR_BOOTS:-1}
nrun=0
run() {	# MODE SMP TEST [QEMU_EXTRA]
  local mode=$1 n=$2 t=$3 log sched load
  log=$(mktemp) sched=$(mktemp)
  nrun=$((nrun + 1))
  load=$(cut -d' ' -f1 /proc/loadavg)
  SMP=$n QEMU_EXTRA="${4:-} -name bareflow,debug-threads=on" bench/vcpu_sched.sh "$sched" \
    tests/qemu/boot.sh --timeout 600 -- "test=$t" >"$log" 2>&1 \
    || { grep -a -E 'FAIL|TIMEOUT|PANIC' "$log"; rm -f "$log" "$sched"; exit 1; }
  grep -a -E '^(swap |bench: )' "$log" | sed "s/^bench: //; s/^/$mode $nrun /" >>"$raw"
  awk -v m="$mode" -v k="$nrun" -v l="$load" '{ r[$2] = $3; w[$2] = $4 }
    END { printf "%s %d host load %s run0 %.0f wait0 %.0f run1 %.0f wait1 %.0f\n", m, k, l, r[0], w[0], r[1], w[1] }' \
    "$sched" >>"$raw"
  rm -f "$log" "$sched"
}
icount="-icount shift=0,sleep=off"
run icount1 1 swapbench "$icount"
for _ in $(seq "$TCG_RUNS"); do run tcg1 1 swapbench; run tcg2 2 swapbench; done
run icount1 1 bench "$icount"
run icount2 2 bench "$icount"
for _ in $(seq "$PAIR_BOOTS"); do run pair 2 pairbench; done

awk '
  function med(a, k, c,   i, j, v, x) {
    for (i = 1; i <= c; i++) v[i] = a[k, i]
    for (i = 1; i <= c; i++) for (j = i + 1; j <= c; j++) if (v[j] < v[i]) { x = v[i]; v[i] = v[j]; v[j] = x }
    return v[int((c + 1) / 2)]
  }
  function add(a, k, v) { cnt[a, k]++; val[a, k, cnt[a, k]] = v }
  function m(a, k,   i) { if (!cnt[a, k]) return 0; for (i = 1; i <= cnt[a, k]; i++) tmp[1, i] = val[a, k, i]; return med(tmp, 1, cnt[a, k]) }
  function mx(a, k,   i, x) { x = 0; for (i = 1; i <= cnt[a, k]; i++) if (val[a, k, i] > x) x = val[a, k, i]; return x }
  function mn(a, k,   i, x) { x = val[a, k, 1]; for (i = 2; i <= cnt[a, k]; i++) if (val[a, k, i] < x) x = val[a, k, i]; return x }
  function M(x) { return sprintf("%.1fM", x / 1e6) }
  # MODE RUN swap MODULE K SIGNAL LIVE BEFORE PEAK AFTER LATENCY PEAK_CALL; the
  # tier from the signal: the counter reaches 100 / 1000 / 10000 after call 99 / 999 / 9999
  $3 == "swap" {
    t = $6 < 999 ? 1 : $6 < 9999 ? 2 : 3
    if ($7 == 0) next		# did not go live before the run ended
    k = $1 SUBSEP t; late = $7 - $6 - 1
    add("bef", k, $8); add("stall", k, $9 - $8); add("lat", k, $11); add("late", k, late)
    add("at", k, $12 - $7)
    # a signal given before the last change went live (at -smp 2 tier 2s
    # usually is): its window ran two tiers, no one call time to compare with
    if ($6 >= plive[$1, $2]) add("exc", k, $11 - late * $8)
    plive[$1, $2] = $7
  }
  # MODE RUN cpu C holds . holdmax . waits . spin . spinmax . irqs . irqcycles . irqmax . vec . spinin . acks . ackcycles . ackmax .
  $3 == "cpu" && $4 == 0 { add("irq", $1, $18); add("irqs", $1, $16); add("irqmax", $1, $20); add("vec", $1, $22)
                           add("wait", $1, $12); add("waits", $1, $10) }
  $3 == "cpu" && $4 == 1 { add("ackmax", $1, $30) }
  # MODE RUN host load L run0 NS wait0 NS run1 NS wait1 NS
  $3 == "host" { add("load", $1, $5); s = $7 + $9 + $11 + $13; add("vwait", $1, s ? 100 * ($9 + $13) / s : 0) }
  $3 == "ipc_round_trip" && $1 == "icount1" { ipc1 = $4 }
  $3 == "ipc_round_trip" && $1 == "icount2" { ipc = $4 }
  $3 == "ipc_round_trip_cross" { ipcx = $4 }
  $3 == "pair_wall" { add("pair", $4, $5) }
  # MODE RUN pair_cpu NCPUS C switches . irqs . irqcycles . lockwaits . spin . late .
  $3 == "pair_cpu" && $4 == 2 { add("psw", $5, $7); add("pwait", $5, $15) }
  END {
    split("icount1 tcg1 tcg2", modes, " ")
    split("-smp 1, -icount (guest instructions)|-smp 1, TCG (host cycles)|-smp 2, TCG (host cycles)", title, "|")
    for (i = 1; i <= 3; i++) {
      md = modes[i]
      printf "%s", title[i]
      if (md != "icount1")
        printf "; median of %d runs, host load %s..%s, vCPUs waited for a host CPU %d%% of their time (median)",
               cnt["load", md], mn("load", md), mx("load", md), m("vwait", md)
      printf "\n  %-5s %9s %11s %5s %11s %13s %10s\n", "tier", "before", "stall", "at", "excess", "signal->live", "calls late"
      for (t = 1; t <= 3; t++) {
        k = md SUBSEP t
        if (!cnt["bef", k]) { printf "  %-5d (never live before the run ended)\n", t; continue }
        printf "  %-5d %9d %11d %5d %11s %13d %10d  (%d runs)\n", t, m("bef", k), m("stall", k), m("at", k),
               cnt["exc", k] ? m("exc", k) : "-", m("lat", k), m("late", k), cnt["bef", k]
      }
      if (md != "icount1")
        printf "  the kernel took from CPU 0 over the run: interrupts %d, %s cycles (longest %s, vector %d), lock waits %d, %s;\n  CPU 1 waited for CPU 0 at most %s (medians)\n",
               m("irqs", md), M(m("irq", md)), M(m("irqmax", md)), m("vec", md), m("waits", md), M(m("wait", md)), M(m("ackmax", md))
    }
    printf "IPC round trip, -icount (instructions): -smp 1 %d; -smp 2 same CPU %d, client on CPU 1 %d (both CPUs counted)\n", ipc1, ipc, ipcx
    if (cnt["pair", 1] && cnt["pair", 2])
      printf "two modules, TCG (host cycles), one CPU vs one per CPU: medians %s vs %s, ratio %.3f (best %.3f; target <= 0.55; %d runs each, host load %s..%s, vCPUs waited %d%%);\n  one per CPU: task switches CPU 0 %d, CPU 1 %d; lock waits %s, %s (medians)\n",
             M(m("pair", 1)), M(m("pair", 2)), m("pair", 2) / m("pair", 1), mn("pair", 2) / mn("pair", 1), cnt["pair", 1],
             mn("load", "pair"), mx("load", "pair"), m("vwait", "pair"), m("psw", 0), m("psw", 1), M(m("pwait", 0)), M(m("pwait", 1))
  }' "$raw" | tee "$out/smp.txt"
