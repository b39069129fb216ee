#!/usr/bin/env bash
# The C corpus (tests/inputs/corpus/*.c, entry test_main) at -O0..-O3 under the
# JIT at every tier, against the same C built by i686 gcc (freestanding,
# tests/jit/diff/native/start.c) and run under qemu-i386; also tier 3 with every
# loop the unroller can transform unrolled, its heuristics off (t3u).
set -uo pipefail
cd "$(dirname "$0")/../../.."
out=build/jit-corpus
mkdir -p "$out"
: > "$out/list.txt"
libc_users=()
for c in tests/inputs/corpus/*.c; do
  n=$(basename "$c" .c)
  # a program whose first line says "corpus-native: glibc" uses the C
  # library: natively it gets i686 glibc (and its headers), under the JIT
  # the module runtime's (lib/rt/include, lib/rt/libc)
  if head -n 1 "$c" | grep -q 'corpus-native: glibc'; then
    i686-linux-gnu-gcc -m32 -O1 -w -static -fno-pie -no-pie tests/jit/diff/native/libc_main.c "$c" \
      -o "$out/$n.native" || { echo "TEST FAIL corpus-$n: native build"; continue; }
    inc=(-isystem lib/rt/include)
    libc_users+=("$n")
  else
    i686-linux-gnu-gcc -m32 -O1 -w -ffreestanding -nostdlib -static -fno-pie -no-pie \
      -fno-stack-protector -fno-builtin -I. -Ilib/include -Dtest_main=main tests/jit/diff/native/start.c \
      lib/string.c "$c" -lgcc -o "$out/$n.native" || { echo "TEST FAIL corpus-$n: native build"; continue; }
    inc=()
  fi
  r=$(timeout 10 qemu-i386 "$out/$n.native" | sed -n 's/^result = 0x//p')
  [ -n "$r" ] || { echo "TEST FAIL corpus-$n: native run"; continue; }
  for o in 0 1 2 3; do
    clang-19 --target=i686-unknown-none -m32 -ffreestanding -nostdlib -emit-llvm -c -O$o \
      "${inc[@]}" "$c" -o "$out/$n.O$o.bc" || { echo "TEST FAIL corpus-$n-O$o: clang"; continue; }
    echo "corpus-$n-O$o $out/$n.O$o.bc test_main $r" >> "$out/list.txt"
  done
done
. tests/jit/diff/pick.sh
"${DIFFTEST[@]}" -t 0 -t 1 -t 2 -t 3 -t 3u < "$out/list.txt"; rc=$?
# the C library calls module code back (qsort's comparator): the sandboxed
# form too, whose masked returns need that call to end at a bundle end
grep -E "^corpus-($(IFS='|'; echo "${libc_users[*]:-none}"))-O" "$out/list.txt" > "$out/libc-list.txt"
if [ -s "$out/libc-list.txt" ]; then
  "${DIFFTEST[@]}" --secure all -t 0 -t 1 -t 2 -t 3 < "$out/libc-list.txt" || rc=1
fi
exit $rc
