#!/usr/bin/env bash
# The JIT's defences' cost (docs/secure-jit.md, "Cost"), measured side by
# side in one run: the module benchmark (test=modbench: cycles per call of
# each module's entry at tiers 0..3) booted three times under -icount
# shift=0,sleep=off, where guest rdtsc counts instructions, so the figures
# are guest instructions per call and repeat exactly:
#   none     secure=none: the plain JIT;
#   sandbox  secure=verify,pin: the sandboxed form, verified, pinned;
#   all      the default (verify,pin,random,blind);
# and the code bytes of every module's image at every tier from the host
# build of the same compiler (mjit --stats --secure none|sandbox|all),
# their compile time on the host, and the attack matrix (test=attacks).
# Table: build/bench/secure.txt.
set -euo pipefail
out=build/bench
mkdir -p "$out"
raw="$out/secure.raw.$$"
: > "$raw"
for s in none sandbox all; do
  case $s in none) arg="secure=none";; sandbox) arg="secure=verify,pin";; all) arg="";; esac
  log=$(mktemp)
  QEMU_EXTRA="-icount shift=0,sleep=off" tests/qemu/boot.sh --timeout 900 -- test=modbench $arg >"$log" 2>&1 \
    || { grep -a -E 'FAIL|TIMEOUT|PANIC' "$log"; rm -f "$log"; exit 1; }
  grep -a '^bench: jit ' "$log" | sed "s/^bench: jit /$s /" >>"$raw"
  rm -f "$log"
done
while read -r n _ _; do
  for t in 0 1 2 3; do
    for s in none sandbox all; do
      b=$(build/host/mjit "build/modules/$n.llbc" --tier "$t" --secure "$s" --seed 1 --stats |
          sed -n 's/.*, \([0-9]*\) code bytes.*/\1/p')
      echo "bytes_$s $n $t $b"
    done
  done
done < build/modules/expected.txt >>"$raw"
# compile time on the host (the same compiler): the least of 5 compiles
for s in none sandbox all; do
  while read -r n _ _; do
    for t in 0 3; do
      best=
      for _ in 1 2 3 4 5; do
        us=$(build/host/mjit "build/modules/$n.llbc" --tier "$t" --secure "$s" --seed 1 --stats |
             sed -n 's/.*compile \([0-9]*\) us.*/\1/p')
        [ -z "$best" ] || [ "$us" -lt "$best" ] && best=$us
      done
      echo "compile_$s $n $t $best"
    done
  done < build/modules/expected.txt
done >>"$raw"
mv "$raw" "$out/secure.raw"
awk '
  $1 == "none" || $1 == "sandbox" || $1 == "all" {
    v[$1, $2, $3] = $4; if ($1 == "none" && !($2 in seen)) { seen[$2] = 1; order[n++] = $2 } }
  $1 ~ /^bytes_/ { c = substr($1, 7); bytes[c, $2, $3] = $4 }
  $1 ~ /^compile_/ { c = substr($1, 9); comp[c, $2, $3] = $4 }
  function table(title, a, b, arr,    i, t, m, r, g, k) {
    printf "%s\n%-9s", title, "module"; for (t = 0; t < 4; t++) printf " %22s", "tier " t; printf "\n"
    for (i = 0; i < n; i++) {
      m = order[i]; printf "%-9s", m
      for (t = 0; t < 4; t++) {
        if (!((a, m, t) in arr) || !((b, m, t) in arr) || arr[a, m, t] == 0) { printf " %22s", "-"; continue }
        r = arr[b, m, t] / arr[a, m, t]; g[t] += log(r); k[t]++
        printf " %8d %8d %+5.1f%%", arr[a, m, t], arr[b, m, t], 100 * (r - 1)
      }
      printf "\n"
    }
    printf "%-9s", "geomean"; for (t = 0; t < 4; t++) printf " %16s %+5.1f%%", "", k[t] ? 100 * (exp(g[t] / k[t]) - 1) : 0; printf "\n\n"
  }
  END {
    table("guest instructions per call (-icount): none -> sandbox (verify,pin)", "none", "sandbox", v)
    table("guest instructions per call (-icount): sandbox -> all (+ random, blind)", "sandbox", "all", v)
    table("guest instructions per call (-icount): none -> all (the default)", "none", "all", v)
    table("code bytes (image, host mjit): none -> sandbox", "none", "sandbox", bytes)
    table("code bytes (image, host mjit): none -> all", "none", "all", bytes)
    table("compile time (us, host mjit, least of 5; tiers 0 and 3): none -> all", "none", "all", comp)
  }' "$out/secure.raw" | tee "$out/secure.txt"

# the attack matrix (test=attacks), in the same run
log=$(mktemp)
tests/qemu/boot.sh --timeout 300 -- test=attacks >"$log" 2>&1 || { grep -a 'FAIL' "$log"; rm -f "$log"; exit 1; }
{ echo "attack matrix (test=attacks)"; grep -a '^attacks: ' "$log" | sed 's/^attacks: //'; } | tee -a "$out/secure.txt"
rm -f "$log"
