#!/usr/bin/env bash
# mkdisk.sh IMAGE [FILE...]: a fresh 32 MiB FAT16 disk image (mkfs.fat -F 16)
# with the given files copied into its root directory by mtools.
# mkdisk.sh --update IMAGE [FILE...]: copy the files into an existing image
# in place (made fresh only when IMAGE does not exist yet).  An image that
# is there is never reformatted: files a user wrote on it survive; one that
# mtools cannot write is an error, not a reason to start over.
set -euo pipefail
update=0
[ "${1:-}" = --update ] && { update=1; shift; }
img=$1; shift
export MTOOLS_SKIP_CHECK=1
# Module files go on the disk by their 8.3 name: fib.llbc -> FIB.LLB.
copy_in() {
  local target=$1; shift
  for f in "$@"; do
    local name; name=$(basename "$f" | tr a-z A-Z)
    case $name in *.LLBC) name=${name%.LLBC}.LLB;; esac
    mcopy -o -i "$target" "$f" "::$name"
  done
}
if [ $update -eq 1 ] && [ -e "$img" ]; then
  if ! copy_in "$img" "$@"; then
    echo "mkdisk: cannot update $img in place (not a FAT image mtools can write?)." >&2
    echo "mkdisk: it was left as it is; remove it to have the build make a fresh one." >&2
    exit 1
  fi
  [ $# -gt 0 ] && echo "mkdisk: updated $# file(s) on $img in place"
  exit 0
fi
# A private temporary name: two builds at once must not write one file.
tmp=$(mktemp "$img.XXXXXX")
trap 'rm -f "$tmp"' EXIT
rm -f "$tmp"
mkfs.fat -F 16 -C -n BAREFLOW "$tmp" 32768 >/dev/null
copy_in "$tmp" "$@"
fsck.fat -n "$tmp" >/dev/null
mv "$tmp" "$img"
