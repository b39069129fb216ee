#!/usr/bin/env bash
# make bench (micro-JIT part): the workloads of modules/ (module_main(arg)
# with the argument of modules/modules.txt; modules/ is the one workload
# set, shared with the guest benchmark and tests) compiled by clang-19
# -O2 to bitcode; compile time per tier vs llc-19 -O0/-O2, dynamic
# instruction counts per tier vs i686 gcc -O2 (both under Unicorn).
set -euo pipefail
cd "$(dirname "$0")/../.."
out=build/jit-bench
mkdir -p "$out"
: > "$out/list.txt"
awk '!/^#/ && NF { print $1, $2 }' modules/modules.txt | while read -r n a; do
  clang-19 --target=i686-unknown-none -m32 -ffreestanding -nostdlib -emit-llvm -c -O2 \
    "modules/$n.c" -o "$out/$n.bc"
  i686-linux-gnu-gcc -m32 -O2 -ffreestanding -nostdlib -static -fno-pie -no-pie \
    -fno-stack-protector -I. -Ilib/include -e module_main "modules/$n.c" lib/string.c \
    lib/divmod64.c -lgcc -o "$out/$n.elf"
  echo "$n $out/$n.bc $out/$n.elf module_main $a" >> "$out/list.txt"
done
build/host/jit-bench build/host/jit/rt.elf < "$out/list.txt" | tee "$out/report.txt"
