#!/usr/bin/env bash
# make bench: the fs server's in-guest raw vs FAT benchmark on QEMU's IDE
# disk (-icount shift=0), 512 KiB sequential, best of three.  Cycle ratios
# follow the host's I/O timing and vary by +-20%; the sector counts (how
# many sectors the FAT path moves for the same data) are exact.
exec "$(dirname "$0")/../../tests/fs/qemu/qemu_fs.sh" --bench
