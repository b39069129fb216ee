#!/usr/bin/env bash
# Module benchmark, one guest run under -icount shift=0,sleep=off (guest
# rdtsc counts instructions, so every figure repeats exactly):
#   - cycles per call of each module's entry at tiers 0..3 (all functions
#     forced to the tier) and for the same C built by i686 gcc -O2 and run
#     as a native ring-3 task (bench/native/natbench.c);
#   - time from a threshold signal to the new code being live (sum, tiers 1-3);
#   - cycles per call against call number for every module with tiers at
#     20 / 100 / 400 calls, drawn to build/bench/tiers.png (gnuplot).
# Table: build/bench/modules.txt.
set -euo pipefail
out=build/bench
mkdir -p "$out"
log=$(mktemp)
QEMU_EXTRA="-icount shift=0,sleep=off" tests/qemu/boot.sh --timeout 900 -- test=modbench >"$log" 2>&1 \
  || { grep -a -E 'FAIL|TIMEOUT|PANIC' "$log"; rm -f "$log"; exit 1; }
grep -a '^bench: ' "$log" | sed 's/^bench: //' >"$out/modules.raw"
grep -a '^curve ' "$log" | sed 's/^curve //' >"$out/curves.txt"
rm -f "$log"

awk '
  $1 == "jit"    { jit[$2, $3] = $4; names[$2] = 1; order[n++] = $2 }
  $1 == "native" { nat[$2] = $3 }
  $1 == "tierup_latency" { lat[$2] = $3 }
  END {
    printf "%-9s %10s %10s %10s %10s %10s %8s %8s\n", "module", "tier0", "tier1", "tier2", "tier3", "gcc -O2", "t0/gcc", "t3/gcc"
    seen[""] = 0; g0 = 0; g3 = 0; k = 0
    for (i = 0; i < n; i++) {
      m = order[i]; if (m in seen) continue; seen[m] = 1
      printf "%-9s %10d %10d %10d %10d %10d %8.2f %8.2f\n", m, jit[m,0], jit[m,1], jit[m,2], jit[m,3], nat[m], nat[m] / jit[m,0], nat[m] / jit[m,3]
      g0 += log(nat[m] / jit[m,0]); g3 += log(nat[m] / jit[m,3]); k++
    }
    printf "\ngeometric mean speed vs gcc -O2 (1.00 = as fast): tier 0 %.2f, tier 3 %.2f (target for the top tier: 0.85)\n", exp(g0 / k), exp(g3 / k)
    printf "threshold signal -> new code live (sum, instructions): tier 1 %d, tier 2 %d, tier 3 %d\n", lat[1], lat[2], lat[3]
  }' "$out/modules.raw" | tee "$out/modules.txt"

# one curve per module, normalised to its first point
if command -v gnuplot >/dev/null; then
  awk '{ if (!($1 in first)) { first[$1] = $3; if (n++) printf "\n\n"; printf "# %s\n", $1 }
         printf "%s %d %.4f\n", $1, $2, $3 / first[$1] }' "$out/curves.txt" >"$out/curves.dat"
  mods=$(awk '{ print $1 }' "$out/curves.txt" | uniq | tr '\n' ' ')
  gnuplot <<GP
set terminal png size 1100,650
set output "$out/tiers.png"
set title "BareFlow: cycles per call against call number (tiers at 20 / 100 / 400 calls; -icount shift=0)"
set xlabel "calls of the module's entry"
set ylabel "cycles per call / first calls' cycles per call"
set key outside right
set logscale x
set xrange [10:600]
set arrow from 20, graph 0 to 20, graph 1 nohead dt 2
set arrow from 100, graph 0 to 100, graph 1 nohead dt 2
set arrow from 400, graph 0 to 400, graph 1 nohead dt 2
plot for [i=0:$(($(echo $mods | wc -w) - 1))] "$out/curves.dat" index i using 2:3 with lines lw 2 title word("$mods", i + 1)
GP
  echo "curves: $out/tiers.png"
fi
