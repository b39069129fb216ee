#!/usr/bin/env bash
# make bench (micro-JIT part), over the workloads of modules/ (module_main(arg)
# with the argument of modules/modules.txt), compiled by clang-19 -O2 to
# bitcode, in one run:
#   - native cycles (build/host32/jit-cycles: the code runs on this CPU,
#     least of 31 runs, rdtsc): the JIT's tiers 0-3, and the same C or
#     bitcode built by i686 gcc -O2, clang-19 -O2, llc-19 -O0 and -O2;
#     a bar chart of the ratios to gcc, build/jit-bench/cycles.png;
#   - compile time per tier against llc-19 -O0/-O2 net of llc's start-up
#     (llc on an empty module, subtracted), and dynamic instruction counts
#     per tier against gcc -O2 (Unicorn, build/host/jit-bench).
# The last line: native cycles vs gcc -O2, geomean, tier 0 and tier 3.
# Where this host cannot run 32-bit x86 code the cycles are not measured
# (Unicorn's instruction counts are not cycles) and the last line says so.
set -euo pipefail
cd "$(dirname "$0")/../.."
out=build/jit-bench
mkdir -p "$out"
: > "$out/list.txt"; : > "$out/native.txt"
# Floating point as modules/modules.mk builds it on both sides (SSE2,
# nothing fused, long double = double); the natives link the runtime's
# libm and printf family (sqrt, snprintf: modules nbody, fmt) with the
# host gate (console output to stdout).
FP="-msse2 -mfpmath=sse -ffp-contract=off -fno-math-errno -mlong-double-64"
RTLIB="lib/string.c lib/divmod64.c lib/rt/math/*.c lib/rt/printf.c lib/fmt.c tests/jit/diff/rt_host_gate.c"
LINK="i686-linux-gnu-gcc -m32 -ffreestanding -nostdlib -static -fno-pie -no-pie -fno-stack-protector \
  -fexcess-precision=standard $FP -I. -Ilib/include -e module_main -Wl,-Ttext-segment=0x06000000"
echo 'define void @f() { ret void }' > "$out/empty.ll"
llvm-as-19 "$out/empty.ll" -o "$out/empty.bc"
awk '!/^#/ && NF { print $1, $2 }' modules/modules.txt | while read -r n a; do
  clang-19 --target=i686-unknown-none -m32 -ffreestanding -nostdlib -emit-llvm -c -O2 \
    -ffp-contract=off -fno-math-errno -mlong-double-64 "modules/$n.c" -o "$out/$n.bc"
  $LINK -O2 "modules/$n.c" $RTLIB -lgcc -o "$out/$n.elf"
  clang-19 --target=i686-linux-gnu -m32 -O2 -ffreestanding -fno-pie -fno-stack-protector $FP -I. \
    -Ilib/include -c "modules/$n.c" -o "$out/$n.clang.o"
  $LINK -O2 "$out/$n.clang.o" $RTLIB -lgcc -o "$out/$n.clang.elf"
  for o in 0 2; do
    llc-19 -O$o -march=x86 -mcpu=i686 -relocation-model=static -filetype=obj "$out/$n.bc" -o "$out/$n.llc$o.o"
    $LINK -O2 "$out/$n.llc$o.o" $RTLIB -lgcc -o "$out/$n.llc$o.elf"
  done
  echo "$n $out/$n.bc $out/$n.elf module_main $a" >> "$out/list.txt"
  echo "$n $out/$n.bc module_main $a $out/$n.elf $out/$n.clang.elf $out/$n.llc0.elf $out/$n.llc2.elf" >> "$out/native.txt"
done
LLC_EMPTY_BC="$out/empty.bc" build/host/jit-bench build/host/jit/rt.elf < "$out/list.txt" | tee "$out/report.txt"
ins=$(awk '/speed vs gcc -O2/ { print "tier 0 " $(NF-9) ", tier 3 " $NF }' "$out/report.txt")

if ! build/host32/can-run >/dev/null 2>&1; then
  echo
  echo "native cycles: not measured: this host cannot run 32-bit x86 code (build/host32/can-run fails:"
  echo "  a kernel without ia32 emulation); on a host that can, this table comes from build/host32/jit-cycles"
  echo "native cycles vs gcc -O2, geomean over $(wc -l < "$out/native.txt") workloads: not measured on this host (instructions: $ins)"
  exit 0
fi
build/host32/jit-cycles < "$out/native.txt" > "$out/cycles.raw"
awk -v ins="$ins" '
  $1 == "cycles" { n++; name[n] = $2; for (i = 3; i <= NF; i++) c[n, i - 2] = $i }
  END {
    printf "\n%-10s %10s %10s %10s %10s %10s %10s %10s %10s | %s\n", "native", "tier0", "tier1", "tier2", "tier3",
      "gcc -O2", "clang -O2", "llc -O0", "llc -O2", "gcc/tier0 gcc/tier3 gcc/clang gcc/llcO0 gcc/llcO2"
    for (k = 1; k <= n; k++) {
      g = c[k, 5]
      printf "%-10s %10d %10d %10d %10d %10d %10d %10d %10d | %8.2f %8.2f %8.2f %8.2f %8.2f\n", name[k],
        c[k,1], c[k,2], c[k,3], c[k,4], g, c[k,6], c[k,7], c[k,8], g / c[k,1], g / c[k,4], g / c[k,6], g / c[k,7], g / c[k,8]
      for (j = 1; j <= 8; j++) if (j != 5) s[j] += log(g / c[k, j])
      printf "%s %.4f %.4f %.4f %.4f %.4f\n", name[k], g / c[k,1], g / c[k,4], g / c[k,6], g / c[k,7], g / c[k,8] > "'"$out"'/cycles.dat"
    }
    printf "geomean ratio to gcc -O2: tier0 %.2f tier1 %.2f tier2 %.2f tier3 %.2f clang -O2 %.2f llc -O0 %.2f llc -O2 %.2f\n",
      exp(s[1] / n), exp(s[2] / n), exp(s[3] / n), exp(s[4] / n), exp(s[6] / n), exp(s[7] / n), exp(s[8] / n)
    printf "native cycles vs gcc -O2, geomean over %d workloads: tier 0 %.2f, tier 3 %.2f (instructions: %s)\n",
      n, exp(s[1] / n), exp(s[4] / n), ins
  }' "$out/cycles.raw" | tee "$out/cycles.txt"
if command -v gnuplot >/dev/null; then
  gnuplot <<GP
set terminal png size 1100,600
set output "$out/cycles.png"
set title "BareFlow JIT: native cycles, gcc -O2 / variant (higher is faster; 1 = as fast as gcc -O2)"
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.8
set yrange [0:*]
set xtics rotate by -30
set key outside right
plot "$out/cycles.dat" using 2:xtic(1) title "tier 0", '' using 3 title "tier 3", '' using 4 title "clang -O2", \
     '' using 5 title "llc -O0", '' using 6 title "llc -O2", 1 with lines dt 2 notitle
GP
  echo "chart: $out/cycles.png"
  tail -n 1 "$out/cycles.txt"
fi
