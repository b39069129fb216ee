#!/usr/bin/env bash
# make-module.sh SRC [NAME] [DISK]: `make module SRC=prog.c [NAME=...]
# [DISK=...]` -- a user's own C file as a module on the run disk.
#   1. clang-19 -O2 to bitcode as modules/modules.mk builds the workloads
#      (i686, freestanding, -mlong-double-64: long double is double, the
#      JIT has no x87 arithmetic), with lib/rt/include/ on the include path:
#      <stdio.h>, <math.h>, <string.h>, <stdlib.h>, <ctype.h>, <errno.h>
#      and <assert.h> there declare the runtime's printf family, libm and
#      C library (docs/libc.md); clang's own give <stdint.h>, <stddef.h>,
#      <stdbool.h>, <limits.h>, <float.h>, <stdarg.h>, <stdalign.h>;
#   2. the entry must be module_main, and every function the module calls
#      but does not define must be one the runtime provides
#      (lib/rt/exports.txt); either error names the file and a line;
#   3. tools/llbc-wrap puts the LLBC header on (build/usermod/NAME.llbc);
#   4. tools/mkdisk.sh --update copies it onto DISK (default
#      build/disk.img, the image `make run` boots with) in place as
#      NAME.LLB: the disk is never reformatted.
# Then `run NAME [ARG]` at the BareFlow shell runs it.
set -uo pipefail
cd "$(dirname "$0")/.."
src=${1:-} name=${2:-} disk=${3:-build/disk.img}
die() { echo "$*" >&2; exit 1; }
[ -n "$src" ] || die "make module: say which file: make module SRC=path/to/prog.c [NAME=name]"
[ -f "$src" ] || die "make module: $src: no such file"
[ -n "$name" ] || name=$(basename "$src" .c | tr 'A-Z' 'a-z')
[[ $name =~ ^[a-z0-9_]{1,8}$ ]] || die "make module: NAME '$name' must be 1 to 8 letters, digits or _ (it is the module's 8.3 name on the disk, ${name^^}.LLB); say NAME=..."
out=build/usermod
mkdir -p "$out"
bc=$out/$name.bc llbc=$out/$name.llbc
clang-19 --target=i686-unknown-none -m32 -ffreestanding -nostdlib -mlong-double-64 -emit-llvm -c -O2 \
  -isystem lib/rt/include "$src" -o "$bc" || die "make module: $src does not compile (clang's messages above)"
syms=$(llvm-nm-19 "$bc" 2>/dev/null) || die "make module: $bc: llvm-nm-19 cannot read it"
if ! grep -qE '^[0-9a-f-]* *T module_main$' <<<"$syms"; then
  line=$(grep -nE '\bmodule_main\b' "$src" | head -n 1 | cut -d: -f1)
  die "$src:${line:-1}: error: no module_main defined: a module's entry is int module_main(int arg) (see modules/fib.c)"
fi
bad=0
while read -r sym; do
  [ -n "$sym" ] || continue
  grep -qx "$sym" lib/rt/exports.txt && continue
  line=$(grep -nE "\\b$sym\\b" "$src" | head -n 1 | cut -d: -f1)
  echo "$src:${line:-1}: error: $sym is called but not defined, and the module runtime does not provide it (lib/rt/exports.txt lists what it does)" >&2
  bad=1
done < <(awk '$1 == "U" && $2 != "_GLOBAL_OFFSET_TABLE_" { print $2 }' <<<"$syms")
[ $bad -eq 0 ] || exit 1
build/tools/llbc-wrap --input "$bc" --output "$llbc" --name "$name" --entry module_main --opt 2 >/dev/null \
  || die "make module: llbc-wrap failed on $bc"
tools/mkdisk.sh --update "$disk" "$llbc" >/dev/null || die "make module: cannot put $llbc on $disk"
echo "module $name: $src -> $llbc, on $disk as ${name^^}.LLB"
echo "at the shell (make run): run $name [ARG]"
