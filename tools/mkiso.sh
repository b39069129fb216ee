#!/usr/bin/env bash
# mkiso.sh OUT.iso KERNEL "CMDLINE" MODULE.elf:NAME...: a GRUB (BIOS) ISO
# that multiboots the kernel with the given boot modules.
set -euo pipefail
out=$1 kernel=$2 cmdline=$3; shift 3
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
mkdir -p "$dir/boot/grub"
cp "$kernel" "$dir/boot/kernel.elf"
mods=""
for m in "$@"; do
  file=${m%%:*} name=${m##*:}
  ext=${file##*.}	# rt.bin (the runtime) is no ELF
  cp "$file" "$dir/boot/$name.$ext"
  mods+=$'\t'"module /boot/$name.$ext $name"$'\n'
done
awk -v mods="$mods" -v cmd="$cmdline" '{ gsub("@CMDLINE@", cmd); if ($0 == "@MODULES@") printf "%s", mods; else print }' \
  tools/grub.cfg.in >"$dir/boot/grub/grub.cfg"
grub-mkrescue -o "$out" "$dir" >/dev/null 2>&1 || { echo "mkiso: grub-mkrescue failed"; grub-mkrescue -o "$out" "$dir"; exit 1; }
