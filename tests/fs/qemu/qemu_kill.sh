#!/usr/bin/env bash
# Crash safety: QEMU is killed (SIGKILL) at a random moment of a write
# workload at the shell, N times (tests/fs/qemu/qemu_kill.sh [N=20] [SEED]).
# After each kill the image is judged by fsck.fat and mtools:
#   - every file the shell reported written (its close syncs it) is there
#     with exactly its contents, and the module files are untouched;
#   - the image is clean, or made clean by one `fsck.fat -a` (repairable);
#     anything else is damage, and a failure.
# Prints the seed and the counts: clean / repairable / damaged.
set -uo pipefail
cd "$(dirname "$0")/../../.."
export MTOOLS_SKIP_CHECK=1
n=${1:-20}
seed=${2:-${KILL_SEED:-20261207}}
echo "kill test: $n kills, seed $seed"
RANDOM=$seed
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
mods="build/init.elf init,build/utest.elf utest,build/rt/rt.bin rt"
for s in fs profiler jit; do mods="$mods,build/$s.elf $s"; done
in=""
for i in $(seq 1 60); do
  in+="write K$i.TXT kill test file $i, written before the power went\n"
  [ $((i % 10)) -eq 0 ] && in+="mkdir D$i\nwrite D$i/INNER.TXT inside $i\n"
done
in+="halt\n"
printf "$in" > "$tmp/input"
writes=$(grep -c '^write' "$tmp/input")
clean=0 repairable=0 damaged=0 status=0
for k in $(seq 1 "$n"); do
  img=$tmp/disk.img log=$tmp/log
  cp build/test-disk.img "$img"
  # kill after a random number of writes were reported (and a few ms more):
  # spread over the whole workload whatever the machine's speed
  after=$(( RANDOM % (writes + 1) )) extra_ms=$(( RANDOM % 40 ))
  qemu-system-i386 -cpu max -m 128 -display none -monitor none -serial stdio \
    -no-reboot -device isa-debug-exit,iobase=0xf4,iosize=0x04 \
    -drive "file=$img,format=raw,if=ide,index=0" -kernel build/kernel.elf -initrd "$mods" \
    -append "demo=0" <"$tmp/input" >"$log" 2>&1 &
  qpid=$!
  for _ in $(seq 1 3000); do
    [ "$(grep -a -c '^wrote' "$log")" -ge "$after" ] && break
    kill -0 "$qpid" 2>/dev/null || break
    sleep 0.01
  done
  sleep "0.0$(printf '%02d' "$extra_ms")"
  kill -KILL "$qpid" 2>/dev/null
  wait "$qpid" 2>/dev/null
  delay_ms="after write $after + $extra_ms"
  tr -d '\r' <"$log" >"$log.txt"
  what="kill $k ${delay_ms} ms ($(grep -a -c '^wrote' "$log.txt") writes reported)"
  state=clean
  if ! fsck.fat -n "$img" >/dev/null 2>&1; then
    state=repairable
    fsck.fat -a "$img" >/dev/null 2>&1
    fsck.fat -n "$img" >/dev/null 2>&1 || state=damaged
  fi
  lost=""
  while read -r f; do
    want=$(grep -a -o "^write $f .*" <<<"$(printf "$in")" | head -n1 | cut -d' ' -f3-)
    got=$(mtype -i "$img" "::$f" 2>/dev/null)
    [ "$got" = "$want" ] || lost+=" $f"
  done < <(grep -a -o '^wrote [0-9]* bytes to [^ ]*' "$log.txt" | awk '{ print $NF }')
  for f in build/modules/*.llbc; do
    m=$(basename "$f" .llbc | tr a-z A-Z).LLB
    mtype -i "$img" "::$m" 2>/dev/null | cmp -s - "$f" || lost+=" $m"
  done
  [ -n "$lost" ] && state=damaged
  echo "$what: $state"
  case $state in
    clean) clean=$((clean + 1));;
    repairable) repairable=$((repairable + 1));;
    damaged) damaged=$((damaged + 1)); status=1
      echo "TEST FAIL kill.$k: $what: damaged; lost or changed:${lost:- (fsck could not repair it)}";;
  esac
done
echo "kill test: $n kills (seed $seed): $clean clean, $repairable repairable by one fsck.fat -a, $damaged damaged"
[ $status -eq 0 ] && echo "TEST PASS kill.no_synced_file_lost_no_damage ($clean clean, $repairable repairable)"
exit $status
