#!/usr/bin/env bash
# csmith with floats (--float) on fixed seeds (tests/jit/diff/csmith/
# seeds_fp.txt): both sides built for bit-for-bit floating point
# (CSMITH_FP=1, see csmith.sh), tiers 0, 3 and 3u at -O0..-O2.
cd "$(dirname "$0")/../../.."
CSMITH_FP=1 CSMITH_OPTS="--no-structs --no-unions --no-argc --float --max-funcs 6" \
  exec tests/jit/diff/csmith.sh --seeds tests/jit/diff/csmith/seeds_fp.txt "$@"
