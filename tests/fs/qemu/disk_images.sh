#!/usr/bin/env bash
# Users' disk images are never reformatted:
#   - `make run DISK=IMG` boots with the user's own FAT16 image and leaves
#     it byte-identical when no command wrote to it;
#   - tools/mkdisk.sh --update (how the build refreshes build/disk.img)
#     copies changed modules in place: a file the user put on the image
#     survives, and an image mtools cannot write is refused, not remade.
set -uo pipefail
cd "$(dirname "$0")/../../.."
export MTOOLS_SKIP_CHECK=1
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
ok() { echo "TEST PASS disk_images.$1"; }
bad() { echo "TEST FAIL disk_images.$1: $2"; }

# 1. the user's image, booted with make run
mkfs.fat -F 16 -C -n MINE "$tmp/my.img" 20480 >/dev/null
echo "the user's own words" > "$tmp/USERNOTE.TXT"
mcopy -i "$tmp/my.img" "$tmp/USERNOTE.TXT" ::USERNOTE.TXT
before=$(md5sum < "$tmp/my.img")
out=$(printf 'ls\ncat USERNOTE.TXT\nhalt\n' | timeout 300 make --no-print-directory run DISK="$tmp/my.img" 2>&1 | tr -d '\r')
rc=$?
after=$(md5sum < "$tmp/my.img")
[ $rc -eq 0 ] && ok make_run_exits_0 || bad make_run_exits_0 "exit $rc: $(tail -n 5 <<<"$out")"
grep -qx "the user's own words" <<<"$out" && ok user_file_read || bad user_file_read "$(tail -n 20 <<<"$out")"
[ "$before" = "$after" ] && ok user_image_unchanged || bad user_image_unchanged "the image changed"

# 2. in-place update keeps the user's files
f1=$tmp/one.llbc; f2=$tmp/two.llbc
echo one > "$f1"; echo two > "$f2"
tools/mkdisk.sh --update "$tmp/run.img" "$f1" "$f2" >/dev/null || bad update_creates "exit $?"
mcopy -i "$tmp/run.img" "$tmp/USERNOTE.TXT" ::USERNOTE.TXT
echo "two, rebuilt" > "$f2"
tools/mkdisk.sh --update "$tmp/run.img" "$f2" >/dev/null
[ "$(mtype -i "$tmp/run.img" ::USERNOTE.TXT)" = "the user's own words" ] && ok user_file_survives_update \
  || bad user_file_survives_update "USERNOTE.TXT is gone"
[ "$(mtype -i "$tmp/run.img" ::TWO.LLB)" = "two, rebuilt" ] && ok changed_module_copied \
  || bad changed_module_copied "TWO.LLB: $(mtype -i "$tmp/run.img" ::TWO.LLB 2>&1)"
fsck.fat -n "$tmp/run.img" >/dev/null && ok updated_image_clean || bad updated_image_clean "fsck.fat -n"

# 3. an image that is not FAT is refused and left alone
head -c 1048576 /dev/urandom > "$tmp/junk.img"
sum=$(md5sum < "$tmp/junk.img")
if tools/mkdisk.sh --update "$tmp/junk.img" "$f1" >/dev/null 2>&1; then
  bad not_fat_refused "mkdisk accepted it"
else
  [ "$(md5sum < "$tmp/junk.img")" = "$sum" ] && ok not_fat_refused || bad not_fat_refused "it was modified"
fi
