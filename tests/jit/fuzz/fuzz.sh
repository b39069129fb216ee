#!/usr/bin/env bash
# Runs the bitcode fuzzer (build/fuzz/fuzz_bitcode) for N seconds (default
# 60: `make test`; `make fuzz` passes FUZZ_SECONDS) over a working corpus
# seeded with the compiled C corpus.  Exit status non-zero on any finding
# (crash, sanitizer report, leak, timeout); artifacts go to build/fuzz/.
set -uo pipefail
# A fixed seed (printed; FUZZ_SEED overrides, 0 = random as `make fuzz*`
# uses): `make test` replays the same
# inputs on every run instead of a new random walk each time.
seed=${FUZZ_SEED:-20261125}
echo "fuzz seed $seed"
secs=${1:-60}
fz=build/fuzz/fuzz_bitcode
work=build/fuzz/bitcode-corpus
[ -x "$fz" ] || { echo "TEST FAIL fuzz_bitcode ($fz not built)"; exit 1; }
mkdir -p "$work"
for f in build/corpus/*.bc build/corpus/*.llbc build/bcinputs/*.bc; do
  [ -e "$f" ] && cp -n "$f" "$work/" 2>/dev/null
done
"$fz" -max_total_time="$secs" -seed="$seed" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
  -artifact_prefix=build/fuzz/bitcode- -print_final_stats=1 "$work"
rc=$?
if [ $rc -eq 0 ]; then echo "TEST PASS fuzz_bitcode (${secs}s)"; else echo "TEST FAIL fuzz_bitcode (exit $rc)"; fi
exit $rc
