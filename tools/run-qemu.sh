#!/usr/bin/env bash
# `make run`: boot the GRUB ISO with the serial console on this terminal
# (or on a pipe) and the FAT16 disk attached.  `halt` at the prompt powers
# the machine off; that is a normal end, so it exits 0.  -icount shift=0
# makes the guest's rdtsc count instructions, so the cycle figures that the
# demo and `prof` print are exact and repeatable instead of host noise.
set -uo pipefail
iso=$1 disk=$2; shift 2
qemu-system-i386 -cpu max -m 128 -icount shift=0 -display none -serial mon:stdio -no-reboot \
  -device isa-debug-exit,iobase=0xf4,iosize=0x04 \
  -drive "file=$disk,format=raw,if=ide,index=0" \
  -cdrom "$iso" -boot d "$@"
rc=$?
# isa-debug-exit makes status (code << 1) | 1: halt writes 0, i.e. 1.
[ $rc -eq 1 ] && exit 0
exit $rc
