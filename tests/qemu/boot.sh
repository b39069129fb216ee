#!/usr/bin/env bash
# Boot BareFlow in QEMU (direct multiboot, fast) and report the result.
#   tests/qemu/boot.sh [--cpu MODEL] [--timeout S] [--expect-exit N]
#                      [--expect TEXT | --expect-re REGEX]... [--input TEXT] -- KERNEL_ARGS
# Expectations are checked IN ORDER: each must appear after the end of the
# previous one's match (--expect: a fixed string; --expect-re: an awk ERE
# matched within one line), so a line printed in the wrong place, or a
# string that only occurs earlier in the log, fails the test.
# DISK picks the IDE disk image (default build/test-disk.img, the tests' own;
# "none" for none); it is used with snapshot=on (left unchanged) unless
# DISK_WRITE=1.  DISK_OPTS adds -drive options (e.g. throttling.iops-total=8).
# QEMU_EXTRA adds QEMU options (e.g. -icount shift=0,sleep=off for benchmarks).
# SMP is the number of CPUs (default 1; `make run` boots 2).  With SMP > 1
# and no -icount the vCPUs run on host threads (-accel tcg,thread=multi);
# -icount makes TCG run them in turn on one thread, so counts repeat.
# Boot modules: build/init.elf, build/utest.elf, the runtime build/rt/rt.bin
# (which the kernel maps into module tasks) and any server ELFs built.
# The guest prints "TEST PASS/FAIL" lines (passed through to our output)
# and leaves through isa-debug-exit: QEMU's status is (code << 1) | 1,
# so a selftest pass (0x10) is 33.  Every run has a timeout.
set -uo pipefail
cpu=max timeout=60 expect_exit=33 input="" append=""
expects=()
while [ $# -gt 0 ]; do
  case $1 in
    --cpu) cpu=$2; shift 2;;
    --timeout) timeout=$2; shift 2;;
    --expect-exit) expect_exit=$2; shift 2;;
    --expect) expects+=("F $2"); shift 2;;
    --expect-re) expects+=("R $2"); shift 2;;
    --input) input=$2; shift 2;;
    --) shift; append="$*"; break;;
    *) echo "boot.sh: unknown option $1"; exit 2;;
  esac
done
mods="build/init.elf init,build/utest.elf utest"
[ -f build/rt/rt.bin ] && mods="$mods,build/rt/rt.bin rt"
for s in fs profiler jit natbench; do
  [ -f build/$s.elf ] && mods="$mods,build/$s.elf $s"
done
smp=${SMP:-1}
accel=()
if [ "$smp" -gt 1 ] && [[ "${QEMU_EXTRA:-}" != *icount* ]]; then accel=(-accel tcg,thread=multi); fi
log=$(mktemp)
disk=()
# DISK=path attaches another image, DISK=none none at all.
img=${DISK:-build/test-disk.img}
snap=",snapshot=on"; [ "${DISK_WRITE:-}" = 1 ] && snap=""
[ "$img" != none ] && [ -f "$img" ] && disk=(-drive "file=$img,format=raw,if=ide,index=0$snap${DISK_OPTS:+,$DISK_OPTS}")
# shellcheck disable=SC2086
printf '%b' "$input" | timeout "$timeout" qemu-system-i386 -cpu "$cpu" -m 128 -smp "$smp" "${accel[@]}" ${QEMU_EXTRA:-} \
  -display none -monitor none -serial stdio -no-reboot \
  -device isa-debug-exit,iobase=0xf4,iosize=0x04 "${disk[@]}" \
  -kernel build/kernel.elf -initrd "$mods" -append "$append" >"$log" 2>&1
rc=$?
tr -d '\r' <"$log" >"$log.txt" && mv "$log.txt" "$log"
cat "$log"
status=0
if [ $rc -eq 124 ]; then echo "boot.sh: TIMEOUT after ${timeout}s"; status=1
elif [ $rc -ne "$expect_exit" ]; then echo "boot.sh: QEMU exit status $rc, expected $expect_exit"; status=1; fi
if [ ${#expects[@]} -gt 0 ]; then
  LC_ALL=C awk -f tests/qemu/expect_in_order.awk <(printf '%s\n' "${expects[@]}") "$log" || status=1
fi
if grep -q "KERNEL PANIC" "$log"; then echo "boot.sh: kernel panicked"; status=1; fi
rm -f "$log"
exit $status
