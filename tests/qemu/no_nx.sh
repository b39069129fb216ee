#!/usr/bin/env bash
# A CPU without NX (QEMU's default qemu32 model): the kernel must say why it
# cannot run and stop (exit code 3 -> QEMU status 7), not boot without W^X.
exec tests/qemu/boot.sh --cpu qemu32 --timeout 30 --expect-exit 7 \
  --expect "lacks the NX (no-execute) bit" --expect "-cpu max" --
