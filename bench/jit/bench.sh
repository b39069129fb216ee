#!/usr/bin/env bash
# make bench (micro-JIT part): bench/jit/workloads/*.c and modules/*.c
# (module_main(arg) with the argument of modules/modules.txt) compiled by clang-19
# -O2 to bitcode; compile time per tier vs llc-19 -O0/-O2, dynamic
# instruction counts per tier vs i686 gcc -O2 (both under Unicorn).
set -euo pipefail
cd "$(dirname "$0")/../.."
out=build/jit-bench
mkdir -p "$out"
: > "$out/list.txt"
for c in bench/jit/workloads/*.c; do
  n=$(basename "$c" .c)
  clang-19 --target=i686-unknown-none -m32 -ffreestanding -nostdlib -emit-llvm -c -O2 "$c" -o "$out/$n.bc"
  i686-linux-gnu-gcc -m32 -O2 -ffreestanding -nostdlib -static -fno-pie -no-pie -fno-stack-protector \
    -I. -Ilib/include -e main "$c" lib/string.c lib/divmod64.c -o "$out/$n.elf"
  echo "$n $out/$n.bc $out/$n.elf" >> "$out/list.txt"
done
# the project's module workloads (modules/, entry module_main(arg))
if [ -f modules/modules.txt ]; then
  awk '!/^#/ && NF { print $1, $2 }' modules/modules.txt | while read -r n a; do
    [ -f "modules/$n.c" ] || continue
    clang-19 --target=i686-unknown-none -m32 -ffreestanding -nostdlib -emit-llvm -c -O2 \
      "modules/$n.c" -o "$out/mod-$n.bc"
    i686-linux-gnu-gcc -m32 -O2 -ffreestanding -nostdlib -static -fno-pie -no-pie \
      -fno-stack-protector -I. -Ilib/include -e module_main "modules/$n.c" lib/string.c \
      lib/divmod64.c -lgcc -o "$out/mod-$n.elf"
    echo "mod-$n $out/mod-$n.bc $out/mod-$n.elf module_main $a" >> "$out/list.txt"
  done
fi
build/host/jit-bench build/host/jit/rt.elf < "$out/list.txt" | tee "$out/report.txt"
