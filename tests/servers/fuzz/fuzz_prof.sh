#!/usr/bin/env bash
# Runs the profiler fuzzer (build/fuzz/fuzz_prof, tests/servers/fuzz/fuzz_prof.c:
# prof_serve.c against hostile modules) for N seconds (default 30: `make
# test`; `make fuzz-prof` / `make fuzz` pass FUZZ_SECONDS) over a working
# corpus seeded with a few valid modules and runs, written here (the input
# format is the target's).  Exit status non-zero on any finding (crash,
# sanitizer report, abort, timeout); artifacts go to build/fuzz/prof-*.
set -uo pipefail
# A fixed seed (printed; FUZZ_SEED overrides, 0 = random as `make fuzz*`
# uses): `make test` replays the same inputs on every run.
seed=${FUZZ_SEED:-20261207}
echo "fuzz seed $seed"
secs=${1:-30}
fz=build/fuzz/fuzz_prof
work=build/fuzz/corpus-prof
seeds=build/fuzz/prof-seeds
[ -x "$fz" ] || { echo "TEST FAIL fuzz_prof ($fz not built)"; exit 1; }
mkdir -p "$work" "$seeds"
# Header: pages, functions of module A, then of module B (0xff: none).
# Ops (byte % 13, bit 7 = module B): 9 = the harness runs (calls u16,
# function mask, cycles u16) and signals; 1 = request (kind, handle,
# w1, w2, w3); 12 = signal; 6 = reload; 8 = jit knob; 7 = armed write;
# 2 = write (kind 1: field, index, value selector).
seed_file() { printf "$2" > "$seeds/$1"; }
# one module, 3 functions, tiers up to 2, every request, then finishes
seed_file valid-run '\x05\x03\x00\xff\x09\x64\x00\x01\x84\x03\x09\x84\x03\x01\x90\x01\x01\x03\x00\x00\x00\x01\x00\x01\x04\x00\x00\x01\x00\x00\x01\x05\x00\x00\x00\x00\x00\x01\x06\x00\x00\x00\x00\x00\x01\x00\x00\x00\x00\x00\x00\x01\x01\x00\x00\x00\x00\x00\x09\xff\xff\x01\x0a\x00'
# two modules of 64 functions, both run, one reloaded, the other forgotten
seed_file two-modules '\x05\x40\x05\x40\x09\x10\x27\xff\x20\x00\x89\xe8\x03\x0f\x30\x00\x00\x02\x06\x05\x03\x0c\x81\x02\x00\x00\x00\x00\x00\x01\x00\x00\x00\x00\x00\x00'
# a failing tier-up while the module rewrites a name (armed write)
seed_file rewrite-during-compile '\x05\x03\x00\xff\x08\x00\x07\x00\x02\x01\x41\x09\x64\x00\x01\x84\x03\x01\x00\x00\x00\x00\x00\x00'
# a hostile field, then a signal and the table
seed_file huge-nfuncs '\x05\x03\x00\xff\x02\x01\x01\x00\x12\x0c\x01\x00\x00\x00\x00\x00\x00'
for f in "$seeds"/*; do cp -n "$f" "$work/" 2>/dev/null; done
"$fz" -max_total_time="$secs" -seed="$seed" -timeout=10 -rss_limit_mb=2048 -max_len=2048 \
  -artifact_prefix=build/fuzz/prof- -print_final_stats=1 "$work" 2>&1 | tail -n 15
rc=${PIPESTATUS[0]}
if [ $rc -eq 0 ]; then echo "TEST PASS fuzz_prof (${secs}s, no finding)"; else echo "TEST FAIL fuzz_prof (exit $rc), see build/fuzz/prof-*"; fi
exit $rc
