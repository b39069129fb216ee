#!/usr/bin/env bash
# Runs the verifier's fuzzer (build/fuzz/fuzz_verify, tests/kernel/fuzz/fuzz_verify.c)
# for N seconds (default 30: `make test`; `make fuzz-verify` passes
# FUZZ_SECONDS) over a working corpus seeded here with a few images.  Every
# image the verifier accepts is decoded again with Capstone from every
# bundle start and checked against the rules.  Exit status non-zero on
# any finding; artifacts go to build/fuzz/verify-*.
set -uo pipefail
# A fixed seed (printed; FUZZ_SEED overrides, 0 = random as `make fuzz*`
# uses): `make test` replays the same inputs on every run.
seed=${FUZZ_SEED:-20261207}
echo "fuzz seed $seed"
secs=${1:-30}
fz=build/fuzz/fuzz_verify
work=build/fuzz/corpus-verify
seeds=build/fuzz/verify-seeds
[ -x "$fz" ] || { echo "TEST FAIL fuzz_verify ($fz not built)"; exit 1; }
mkdir -p "$work" "$seeds"
# Input: mode (bit 0: assembled; bits 5-7: overwrites), bundles, then the
# bytes or the forms (kind, register, byte, ...), then overwrites.
seed_file() { printf "$2" > "$seeds/$1"; }
seed_file raw-masked-return '\x00\x01\x59\x83\xe1\xe0\xff\xe1'
seed_file assembled-calls '\x01\x03\x00\x01\x02\x0d\x00\x00\x01\x11\x03\x00\x00\x10\x00\x01\x01\x0e\x02\x80\x00\x0b\x01\x01\x00'
seed_file assembled-jumps '\x41\x04\x0a\x00\x20\x01\x0c\x01\x01\x01\x0b\x02\x05\x01\x11\x00\x00\x00\x03\x90'
for f in "$seeds"/*; do cp -n "$f" "$work/" 2>/dev/null; done
"$fz" -max_total_time="$secs" -seed="$seed" -timeout=10 -rss_limit_mb=2048 -max_len=1024 \
  -artifact_prefix=build/fuzz/verify- -print_final_stats=1 "$work" 2>&1 | tail -n 8
rc=${PIPESTATUS[0]}
if [ $rc -eq 0 ]; then echo "TEST PASS fuzz_verify (${secs}s, no finding)"; else echo "TEST FAIL fuzz_verify (exit $rc), see build/fuzz/verify-*"; fi
exit $rc
