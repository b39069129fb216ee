#!/usr/bin/env bash
# The sandbox's cost (docs/secure-jit.md, "Cost"), measured side by side in
# one run: the module benchmark (test=modbench: cycles per call of each
# module's entry at tiers 0..3) booted twice under -icount shift=0,sleep=off,
# where guest rdtsc counts instructions, so the figures are guest
# instructions per call and repeat exactly -- once with secure=none (plain
# JIT code) and once with the default (verify,pin: the jit server emits the
# sandboxed form and the kernel verifies it); and the code bytes of every
# module at every tier from the host build of the same compiler (mjit
# --stats, --secure none / sandbox).  Table: build/bench/secure.txt.
set -euo pipefail
out=build/bench
mkdir -p "$out"
for s in none on; do
  log=$(mktemp)
  arg=$([ $s = none ] && echo "secure=none" || echo "")
  QEMU_EXTRA="-icount shift=0,sleep=off" tests/qemu/boot.sh --timeout 900 -- test=modbench $arg >"$log" 2>&1 \
    || { grep -a -E 'FAIL|TIMEOUT|PANIC' "$log"; rm -f "$log"; exit 1; }
  grep -a '^bench: jit ' "$log" | sed "s/^bench: jit /$s /" >>"$out/secure.raw.$$"
  rm -f "$log"
done
while read -r n _ _; do
  for t in 0 1 2 3; do
    for s in none sandbox; do
      b=$(build/host/mjit "build/modules/$n.llbc" --tier "$t" --secure "$s" --stats | sed -n 's/.*, \([0-9]*\) code bytes.*/\1/p')
      echo "bytes_$s $n $t $b"
    done
  done
done < build/modules/expected.txt >>"$out/secure.raw.$$"
mv "$out/secure.raw.$$" "$out/secure.raw"
awk '
  $1 == "none" { off[$2, $3] = $4; if (!($2 in seen)) { seen[$2] = 1; order[n++] = $2 } }
  $1 == "on"   { on[$2, $3] = $4 }
  $1 == "bytes_none" { boff[$2, $3] = $4 }
  $1 == "bytes_sandbox" { bon[$2, $3] = $4 }
  END {
    printf "guest instructions per call (-icount), secure=none -> default (sandboxed, verified, pinned)\n"
    printf "%-9s", "module"; for (t = 0; t < 4; t++) printf " %24s", "tier " t; printf "\n"
    for (i = 0; i < n; i++) {
      m = order[i]; printf "%-9s", m
      for (t = 0; t < 4; t++) {
        r = on[m, t] / off[m, t]; g[t] += log(r); printf " %9d %9d %+4.1f%%", off[m, t], on[m, t], 100 * (r - 1)
      }
      printf "\n"
    }
    printf "%-9s", "geomean"; for (t = 0; t < 4; t++) printf " %19s %+4.1f%%", "", 100 * (exp(g[t] / n) - 1); printf "\n\n"
    printf "code bytes (whole image, host mjit), none -> sandbox\n"
    printf "%-9s", "module"; for (t = 0; t < 4; t++) printf " %20s", "tier " t; printf "\n"
    for (i = 0; i < n; i++) {
      m = order[i]; printf "%-9s", m
      for (t = 0; t < 4; t++) {
        if (!((m, t) in bon)) { printf " %20s", "-"; continue }
        r = bon[m, t] / boff[m, t]; h[t] += log(r); k[t]++; printf " %6d %6d %+5.1f%%", boff[m, t], bon[m, t], 100 * (r - 1)
      }
      printf "\n"
    }
    printf "%-9s", "geomean"; for (t = 0; t < 4; t++) printf " %13s %+5.1f%%", "", 100 * (exp(h[t] / k[t]) - 1); printf "\n"
  }' "$out/secure.raw" | tee "$out/secure.txt"
