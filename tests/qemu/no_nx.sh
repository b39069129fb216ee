#!/usr/bin/env bash
# A CPU without NX (QEMU's default qemu32 model): the kernel must say why it
# cannot run and stop (exit code 3 -> QEMU status 7), not boot without W^X.
# Runs at -smp 1 and at -smp 2 (SMP=N: that one only).
if [ -z "${SMP:-}" ]; then st=0; for n in 1 2; do SMP=$n "$0" "$@" || st=1; done; exit $st; fi
exec tests/qemu/boot.sh --cpu qemu32 --timeout 30 --expect-exit 7 \
  --expect "lacks the NX (no-execute) bit" --expect "-cpu max" --
