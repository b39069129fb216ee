#!/usr/bin/env bash
# `make bench` for the bitcode reader: throughput of BareFlow's reader
# (parse + verify, host, -O1 build) on the largest corpus module, next to
# the wall time llvm-dis-19 takes on the same file (which includes its
# process start-up and writing the text).
set -euo pipefail
f=$(ls -S build/corpus/*.bc | head -n 1)
build/tools/llbc-dis --bench 2000 "$f"
n=20
start=$(date +%s.%N)
for _ in $(seq $n); do llvm-dis-19 "$f" -o /dev/null; done
end=$(date +%s.%N)
awk -v s="$start" -v e="$end" -v n=$n -v f="$f" -v b="$(stat -c %s "$f")" \
  'BEGIN { t = (e - s) / n; printf "llvm-dis-19: %s: %d bytes, %.1f ms/run, %.1f MB/s\n", f, b, t * 1e3, b / t / 1e6 }'
