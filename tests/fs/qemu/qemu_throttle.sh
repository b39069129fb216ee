#!/usr/bin/env bash
# A slow disk loses nothing: the guest's FAT16 disk throttled by QEMU
# (throttling.iops-total) to 8, 12 and 50 I/O operations per second, and
# a session of writes (40 at 12 IOPS, where the old driver's poll-count
# timeout wrote root-directory sectors over each other), a read, a listing
# and a removal.  Every command completes (slowly) or fails with an error,
# and afterwards fsck.fat -n is clean, every module file on the disk is
# byte-identical to the one the build put there, and every file the
# session says it wrote holds what was written.
set -uo pipefail
cd "$(dirname "$0")/../../.."
export MTOOLS_SKIP_CHECK=1
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
status=0
for spec in ${THROTTLE:-8:6 12:40 50:12}; do
  iops=${spec%%:*} writes=${spec##*:}
  cp build/test-disk.img "$tmp/disk.img"
  log=$tmp/log.$iops exp=$tmp/exp.$iops in=""
  printf 'R ^fs: FAT16 volume .BAREFLOW.\n' > "$exp"
  for i in $(seq 1 "$writes"); do
    in+="write SLOW$i.TXT slow disk line $i\\n"
    t="slow disk line $i"
    printf 'R ^(wrote %d bytes to SLOW%d.TXT|write: SLOW%d.TXT: .*)$\n' $(( ${#t} + 1 )) "$i" "$i" >> "$exp"
  done
  in+='cat SLOW2.TXT\nls\nrm SLOW1.TXT\nhalt\n'
  printf 'R ^bareflow> ls$\nR ^ +[0-9]+  FIB.LLB$\nR ^(removed SLOW1.TXT|rm: SLOW1.TXT: .*)$\nR ^halting$\n' >> "$exp"
  DISK="$tmp/disk.img" DISK_WRITE=1 DISK_OPTS="throttling.iops-total=$iops" \
    tests/qemu/boot.sh --timeout 900 --expect-exit 1 --input "$in" -- demo=0 >"$log" 2>&1
  rc=$?
  if [ $rc -eq 0 ] && LC_ALL=C awk -f tests/qemu/expect_in_order.awk "$exp" "$log"; then
    echo "TEST PASS throttle.$iops.session ($writes writes)"
  else
    echo "TEST FAIL throttle.$iops.session (boot exit $rc)"; tail -n 30 "$log"; status=1
  fi
  grep -a -E '^(write|rm): |I/O error' "$log" | sed "s/^/  $iops IOPS: /"
  if out=$(fsck.fat -n "$tmp/disk.img" 2>&1); then
    echo "TEST PASS throttle.$iops.fsck_clean"
  else
    echo "TEST FAIL throttle.$iops.fsck_clean"; echo "$out" | tail -n 10; status=1
  fi
  bad=0
  for f in build/modules/*.llbc; do
    n=$(basename "$f" .llbc | tr a-z A-Z).LLB
    mtype -i "$tmp/disk.img" "::$n" 2>/dev/null | cmp -s - "$f" || { echo "  $n differs or is gone"; bad=1; }
  done
  for i in $(seq 2 "$writes"); do
    if grep -aq "^wrote [0-9]* bytes to SLOW$i.TXT" "$log"; then
      [ "$(mtype -i "$tmp/disk.img" "::SLOW$i.TXT" 2>&1)" = "slow disk line $i" ] || { echo "  SLOW$i.TXT lost or changed"; bad=1; }
    fi
  done
  [ $bad -eq 0 ] && echo "TEST PASS throttle.$iops.files_intact" || { echo "TEST FAIL throttle.$iops.files_intact"; status=1; }
done
exit $status
