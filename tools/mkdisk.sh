#!/usr/bin/env bash
# mkdisk.sh IMAGE [FILE...]: a fresh 32 MiB FAT16 disk image (mkfs.fat -F 16)
# with the given files copied into its root directory by mtools.
set -euo pipefail
img=$1; shift
# A private temporary name: two builds at once must not write one file.
tmp=$(mktemp "$img.XXXXXX")
trap 'rm -f "$tmp"' EXIT
rm -f "$tmp"
mkfs.fat -F 16 -C -n BAREFLOW "$tmp" 32768 >/dev/null
# Module files go on the disk by their 8.3 name: fib.llbc -> FIB.LLB.
for f in "$@"; do
  name=$(basename "$f" | tr a-z A-Z)
  case $name in *.LLBC) name=${name%.LLBC}.LLB;; esac
  MTOOLS_SKIP_CHECK=1 mcopy -o -i "$tmp" "$f" "::$name"
done
fsck.fat -n "$tmp" >/dev/null
mv "$tmp" "$img"
