#!/usr/bin/env bash
# `make run`: boot the GRUB ISO with the serial console on this terminal
# (or on a pipe) and the FAT16 disk attached.  `halt` at the prompt powers
# the machine off; that is a normal end, so it exits 0.
#
# Two CPUs by default (SMP=N for another number): the vCPUs run on host
# threads (-accel tcg,thread=multi), so the jit really compiles on one
# while a module runs on the other, and cycle figures are the host's.
# With SMP=1, -icount shift=0 makes the guest's rdtsc count instructions,
# so the cycle figures that the demo and `prof` print are exact and
# repeatable instead of host noise (-icount runs every vCPU on one host
# thread in turn, which would hide what two CPUs do).
set -uo pipefail
iso=$1 disk=$2; shift 2
smp=${SMP:-2}
if [ "$smp" -gt 1 ]; then timing=(-accel tcg,thread=multi); else timing=(-icount shift=0); fi
qemu-system-i386 -cpu max -m 128 -smp "$smp" "${timing[@]}" -display none -serial mon:stdio -no-reboot \
  -device isa-debug-exit,iobase=0xf4,iosize=0x04 \
  -drive "file=$disk,format=raw,if=ide,index=0" \
  -cdrom "$iso" -boot d "$@"
rc=$?
# isa-debug-exit makes status (code << 1) | 1: halt writes 0, i.e. 1.
[ $rc -eq 1 ] && exit 0
exit $rc
