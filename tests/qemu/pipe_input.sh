#!/usr/bin/env bash
# The README's scripted use, at volume: over 8 KB of commands piped into
# `make run` (on a copy of the disk).  Every command must run, in order,
# and the last one (halt) must power the machine off: no input byte may be
# lost however fast it arrives.  Also the line discipline: a line longer
# than the shell takes is refused whole (not cut, not glued to the next),
# quoted names with spaces and UTF-8 names work for the disk commands, and
# a bad name is reported as a bad name; Ctrl-C stops a running module and
# drops a half-typed line.
# Runs at -smp 1 and at -smp 2 (SMP=N: that one only).
if [ -z "${SMP:-}" ]; then st=0; for n in 1 2; do SMP=$n "$0" "$@" || st=1; done; exit $st; fi
set -uo pipefail
cd "$(dirname "$0")/../.."
tmp=$(mktemp -d); trap '[ -n "${KEEP_TMP:-}" ] || rm -rf "$tmp"' EXIT
cp build/test-disk.img "$tmp/disk.img"
in=$tmp/input; exp=$tmp/expect
: > "$in"; : > "$exp"
line() { printf '%s\n' "$1" >> "$in"; }
want() { printf 'F %s\n' "$1" >> "$exp"; }
for i in $(seq 1 95); do
  text="note $i: the quick brown fox jumps over the lazy dog"
  line "write N$i.TXT $text"; want "wrote $(( ${#text} + 1 )) bytes to N$i.TXT"
  line "cat N$i.TXT";         want "$text"
done
long=$(head -c 1500 /dev/zero | tr '\0' x)
line "write LONG.TXT $long"; want "line too long (1515 bytes; at most 1023): not run"
line "cat LONG.TXT";        want "cat: LONG.TXT: not found"
line 'write "my notes é.txt" accents and spaces'; want "wrote 19 bytes to my notes é.txt"
line 'cat "my notes é.txt"'; want "accents and spaces"
line 'write 😀.TXT emoji';   want "wrote 6 bytes to 😀.TXT"
line 'ls';                   want "my notes é.txt"; want "😀.TXT"
line 'rm "my notes é.txt"';  want "removed my notes é.txt"
line 'write bad*name x';     want "write: bad*name: bad name"
line 'write "unterminated x'; want 'unterminated " quote'
# Ctrl-C: stops the module that runs (it would spin for 30 s), and at the
# prompt drops the line being typed
line 'run spin --timeout 30'; printf '\003' >> "$in"; want "run spin: interrupted (Ctrl-C)"
printf 'write HALF.TXT never\003' >> "$in"; want "^C"
line 'cat HALF.TXT';         want "cat: HALF.TXT: not found"
line 'halt';                 want "halting"
bytes=$(wc -c < "$in"); lines=$(wc -l < "$in")
echo "piping $lines commands ($bytes bytes)"
[ "$bytes" -gt 8192 ] || { echo "TEST FAIL pipe_input: only $bytes bytes of input"; exit 1; }
timeout 600 make --no-print-directory run DISK="$tmp/disk.img" < "$in" 2>&1 | tr -d '\r' > "$tmp/log"
rc=${PIPESTATUS[0]}
cat "$tmp/log"
[ "$rc" -eq 0 ] || { echo "TEST FAIL pipe_input: make run exit $rc (124: timed out: input lost?)"; exit 1; }
if LC_ALL=C awk -f tests/qemu/expect_in_order.awk "$exp" "$tmp/log"; then
  echo "TEST PASS pipe_input: $lines commands, $bytes bytes, every answer in order, ended by halt"
else
  echo "TEST FAIL pipe_input"; exit 1
fi
grep -q "server died" "$tmp/log" && { echo "TEST FAIL pipe_input: a bad name read as a dead server"; exit 1; }
fsck.fat -n "$tmp/disk.img" >/dev/null && echo "TEST PASS pipe_input: disk clean after the session" \
  || { echo "TEST FAIL pipe_input: fsck.fat -n"; exit 1; }
