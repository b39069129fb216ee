#!/usr/bin/env bash
# make soak: 200 kills of QEMU during writes (tests/fs/qemu/qemu_kill.sh).
exec "$(dirname "$0")/qemu_kill.sh" 200 "$@"
