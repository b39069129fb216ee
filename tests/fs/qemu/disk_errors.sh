#!/usr/bin/env bash
# What the shell says about disks that are not the build's:
#   - 512-byte clusters: df gives the sizes mdir gives (it printed 0 KiB);
#   - a full disk: a write that cannot fit is refused before anything is
#     touched, and leaves no empty file behind;
#   - an MBR-partitioned disk: its first FAT16 partition is mounted; one
#     with no FAT16 partition is refused as such, not as a bad jump.
set -uo pipefail
cd "$(dirname "$0")/../../.."
export MTOOLS_SKIP_CHECK=1
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
ok() { echo "TEST PASS disk_errors.$1"; }
bad() { echo "TEST FAIL disk_errors.$1: $2"; }
boot() { DISK="$1" DISK_WRITE=1 tests/qemu/boot.sh --timeout 120 --expect-exit 1 --input "$2" -- demo=0 2>&1; }

# 512-byte clusters, nearly full
mkfs.fat -F 16 -s 1 -C -n SMALL "$tmp/small.img" 4096 >/dev/null
free_bytes() { mdir -i "$1" :: | awk '/bytes free/ { s = ""; for (i = 1; i < NF - 1; i++) s = s $i; print s }'; }
# fill it up to one cluster (512 bytes) free
head -c $(( $(free_bytes "$tmp/small.img") - 512 )) /dev/zero > "$tmp/FILLER.BIN"
mcopy -i "$tmp/small.img" "$tmp/FILLER.BIN" ::FILLER.BIN
free=$(free_bytes "$tmp/small.img")
long=$(head -c 900 /dev/zero | tr '\0' y)
out=$(boot "$tmp/small.img" "df\nwrite BIG.TXT $long\nls\nhalt\n")
dfl=$(grep -a '^disk:' <<<"$out")
clusters=$(sed -n 's/.*(\([0-9]*\) clusters of 512 bytes)$/\1/p' <<<"$dfl")
want="disk: $((clusters * 512 / 1024)) KiB total, $(( (clusters * 512 - free) / 1024 )) KiB used, $((free / 1024)) KiB free ($clusters clusters of 512 bytes)"
[ -n "$clusters" ] && [ "$dfl" = "$want" ] && ok df_512_byte_clusters || bad df_512_byte_clusters "wanted '$want', got '$dfl'"
grep -aq "^write: BIG.TXT: disk full" <<<"$out" && ok full_disk_refused || bad full_disk_refused "$(grep -a 'BIG' <<<"$out")"
grep -aq "BIG.TXT$" <<<"$(grep -a -A30 '^bareflow> ls' <<<"$out")" && bad no_empty_file_left "ls shows BIG.TXT" || ok no_empty_file_left
mdir -i "$tmp/small.img" ::BIG.TXT >/dev/null 2>&1 && bad no_file_on_disk "BIG.TXT exists" || ok no_file_on_disk

# MBR: a Linux partition first, the FAT16 volume second (1 MiB in)
mkfs.fat -F 16 -C -n PARTED "$tmp/vol.img" 20480 >/dev/null
echo "inside a partition" > "$tmp/PART.TXT"
mcopy -i "$tmp/vol.img" "$tmp/PART.TXT" ::PART.TXT
mbr() { # mbr OUT TYPE1 TYPE2: the volume as partition 2, a small partition 1 after it
  local vsec=$(( $(stat -c %s "$tmp/vol.img") / 512 ))
  head -c $((2048 * 512)) /dev/zero > "$1"
  cat "$tmp/vol.img" >> "$1"; head -c $((64 * 512)) /dev/zero >> "$1"
  le32() { printf "\\\\x%02x\\\\x%02x\\\\x%02x\\\\x%02x" $(($1 & 255)) $(($1 >> 8 & 255)) $(($1 >> 16 & 255)) $(($1 >> 24 & 255)); }
  { printf "\\x00\\x00\\x00\\x00\\x$2\\x00\\x00\\x00"; printf "$(le32 $((2048 + vsec)))$(le32 64)";
    printf "\\x80\\x00\\x00\\x00\\x$3\\x00\\x00\\x00"; printf "$(le32 2048)$(le32 "$vsec")"; } |
    dd of="$1" bs=1 seek=446 conv=notrunc status=none
  printf '\x55\xaa' | dd of="$1" bs=1 seek=510 conv=notrunc status=none
}
mbr "$tmp/parted.img" 83 06
out=$(boot "$tmp/parted.img" "cat PART.TXT\nhalt\n")
grep -aq "^fs: FAT16 volume 'PARTED' .*(MBR partition)$" <<<"$out" && grep -aqx "inside a partition" <<<"$out" \
  && ok mbr_first_fat16_partition || bad mbr_first_fat16_partition "$(grep -a '^fs:\|PART' <<<"$out")"
mbr "$tmp/nofat.img" 83 0c
out=$(boot "$tmp/nofat.img" "ls\nhalt\n")
grep -aq "partitioned disk with no FAT16 partition (1: Linux (0x83), 2: FAT32 (0x0c))" <<<"$out" \
  && ok mbr_without_fat16_refused || bad mbr_without_fat16_refused "$(grep -a '^fs:' <<<"$out")"
