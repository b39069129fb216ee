#!/usr/bin/env bash
# mkdisk.sh IMAGE [FILE...]: a fresh 32 MiB FAT16 disk image (mkfs.fat -F 16)
# with the given files copied into its root directory by mtools.
set -euo pipefail
img=$1; shift
rm -f "$img.tmp"
mkfs.fat -F 16 -C -n BAREFLOW "$img.tmp" 32768 >/dev/null
for f in "$@"; do
  MTOOLS_SKIP_CHECK=1 mcopy -o -i "$img.tmp" "$f" "::$(basename "$f" | tr a-z A-Z)"
done
mv "$img.tmp" "$img"
