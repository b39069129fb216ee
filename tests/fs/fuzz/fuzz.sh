#!/usr/bin/env bash
# Bounded libFuzzer runs of the FAT16 core: tests/fs/fuzz/fuzz_fat.c (corrupt
# and truncated images: 55% of the time) then tests/fs/fuzz/fuzz_fat_ops.c
# (operation sequences checked against a model and an internal fsck).
# Usage: tests/fs/fuzz/fuzz.sh [seconds=45].  Image seeds are small FAT16 images
# made here with mkfs.fat + mtools and cut after their first data clusters
# (never committed); corpora grow in build/fuzz/.  Exit 0 = no finding.
set -uo pipefail
# A fixed seed (printed; FUZZ_SEED overrides, 0 = random as `make fuzz*`
# uses): `make test` replays the same
# inputs on every run instead of a new random walk each time.
seed=${FUZZ_SEED:-20261125}
echo "fuzz seed $seed"
secs=${1:-45}
bin=build/fuzz/fuzz_fat
ops=build/fuzz/fuzz_fat_ops
for b in "$bin" "$ops"; do
  [ -x "$b" ] || { echo "TEST FAIL fuzz_fat: $b not built"; exit 1; }
done
secs_img=$(( secs * 55 / 100 )); secs_ops=$(( secs - secs_img ))
corpus=build/fuzz/corpus-fat
art=build/fuzz/artifacts/
mkdir -p "$corpus" "$art"
seeds=$(mktemp -d "${TMPDIR:-/tmp}/bf-fat-seeds-XXXXXX")
trap '[ -n "${KEEP_SEEDS:-}" ] || rm -rf "$seeds"' EXIT
export MTOOLS_SKIP_CHECK=1
mk() {	# name kib mkfs-args...
	local name=$1 kb=$2; shift 2
	local img="$seeds/$name.img"
	mkfs.fat -C -F 16 "$@" "$img" "$kb" >/dev/null 2>&1 || return 0
	mkdir -p "$seeds/src/Sub Directory/deeper"
	printf 'hello\n' > "$seeds/src/hello.txt"
	head -c 3000 /dev/zero | tr '\0' 'x' > "$seeds/src/A long file name.text"
	: > "$seeds/src/empty"
	printf 'deep\n' > "$seeds/src/Sub Directory/deeper/deep file.txt"
	(cd "$seeds/src" && mcopy -s -i "$img" ./* ::/ 2>/dev/null)
	mmd -i "$img" ::/EMPTYDIR 2>/dev/null
	# keep the metadata and the first data clusters only
	local rsvd fats fatsz root spc
	rsvd=$(od -An -tu2 -j14 -N2 "$img"); fats=$(od -An -tu1 -j16 -N1 "$img")
	root=$(od -An -tu2 -j17 -N2 "$img"); fatsz=$(od -An -tu2 -j22 -N2 "$img")
	spc=$(od -An -tu1 -j13 -N1 "$img")
	local keep=$(( (rsvd + fats * fatsz + root * 32 / 512 + 12 * spc) * 512 ))
	head -c "$keep" "$img" > "$seeds/$name"
	rm -f "$img"
	rm -rf "$seeds/src"
}
mk a 2200 -s 1 -r 16
mk b 2200 -s 1 -r 32 -f 1
mk c 8000 -s 2 -r 16 -R 2
[ "$(ls "$seeds" | wc -l)" -gt 0 ] || { echo "TEST FAIL fuzz_fat: no seeds"; exit 1; }
"$bin" -max_total_time="$secs_img" -seed="$seed" -max_len=40000 -timeout=10 -rss_limit_mb=2048 \
	-artifact_prefix="$art" -print_final_stats=1 "$corpus" "$seeds" 2>&1 | tail -n 12
rc=${PIPESTATUS[0]}
status=0
if [ "$rc" -eq 0 ]; then
	echo "TEST PASS fuzz_fat images (${secs_img}s, no finding)"
else
	echo "TEST FAIL fuzz_fat images: finding (exit $rc), see $art"; status=1
fi
mkdir -p build/fuzz/corpus-fat-ops
"$ops" -max_total_time="$secs_ops" -seed="$seed" -max_len=4096 -timeout=10 -rss_limit_mb=2048 \
	-artifact_prefix="$art" -print_final_stats=1 build/fuzz/corpus-fat-ops 2>&1 | tail -n 12
rc=${PIPESTATUS[0]}
if [ "$rc" -eq 0 ]; then
	echo "TEST PASS fuzz_fat_ops sequences (${secs_ops}s, no finding)"
else
	echo "TEST FAIL fuzz_fat_ops sequences: finding (exit $rc), see $art"; status=1
fi
exit $status
