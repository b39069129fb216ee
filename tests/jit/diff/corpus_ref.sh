# Sourced by corpus.sh and sandbox.sh: the C corpus (tests/inputs/corpus/*.c,
# entry test_main) made ready for jit-difftest, once for both scripts.
# For each program: the reference result from i686 gcc -O1 (freestanding,
# tests/jit/diff/native/start.c; with i686 glibc for a program marked
# "corpus-native: glibc") run under qemu-i386, and clang-19's
# bitcode at -O0..-O3, in build/jit-corpus; a program whose outputs are
# newer than its source (and the reference's own sources) is not built
# again, so the second script reuses the first one's work.  Writes
# build/jit-corpus/list.txt ("corpus-NAME-Ok BITCODE test_main RESULT"
# lines) and prints a TEST FAIL line for each program it cannot prepare.
corpus_out=build/jit-corpus
corpus_ref() {
  local c n r o ref
  mkdir -p "$corpus_out"
  : > "$corpus_out/list.txt"
  for c in tests/inputs/corpus/*.c; do
    n=$(basename "$c" .c) ref=$corpus_out/$n.result
    # a program whose first line says "corpus-native: glibc" uses the C
    # library: natively it gets i686 glibc (and its headers), under the
    # JIT the module runtime's (lib/rt/include, lib/rt/libc), so its
    # reference is glibc's answer
    local glibc=; head -n 1 "$c" | grep -q 'corpus-native: glibc' && glibc=1
    if ! [ "$ref" -nt "$c" ] || ! [ "$ref" -nt tests/jit/diff/native/start.c ] || ! [ "$ref" -nt lib/string.c ] \
       || ! [ "$ref" -nt tests/jit/diff/native/libc_main.c ]; then
      rm -f "$ref"
      if [ -n "$glibc" ]; then
        i686-linux-gnu-gcc -m32 -O1 -w -static -fno-pie -no-pie tests/jit/diff/native/libc_main.c "$c" \
          -o "$corpus_out/$n.native" || { echo "TEST FAIL corpus-$n: native build"; continue; }
      else
        i686-linux-gnu-gcc -m32 -O1 -w -ffreestanding -nostdlib -static -fno-pie -no-pie \
          -fno-stack-protector -fno-builtin -I. -Ilib/include -Dtest_main=main tests/jit/diff/native/start.c \
          lib/string.c "$c" -lgcc -o "$corpus_out/$n.native" || { echo "TEST FAIL corpus-$n: native build"; continue; }
      fi
      r=$(timeout 10 qemu-i386 "$corpus_out/$n.native" | sed -n 's/^result = 0x//p')
      [ -n "$r" ] || { echo "TEST FAIL corpus-$n: native run"; continue; }
      echo "$r" > "$ref"
    fi
    r=$(cat "$ref")
    for o in 0 1 2 3; do
      if ! [ "$corpus_out/$n.O$o.bc" -nt "$c" ]; then
        clang-19 --target=i686-unknown-none -m32 -ffreestanding -nostdlib -emit-llvm -c -O$o \
          ${glibc:+-isystem lib/rt/include} "$c" -o "$corpus_out/$n.O$o.bc" || { rm -f "$corpus_out/$n.O$o.bc"; echo "TEST FAIL corpus-$n-O$o: clang"; continue; }
      fi
      echo "corpus-$n-O$o $corpus_out/$n.O$o.bc test_main $r" >> "$corpus_out/list.txt"
    done
  done
}
