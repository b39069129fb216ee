#!/usr/bin/env bash
# The C corpus (tests/inputs/corpus/*.c, entry test_main) at -O0..-O3 under the
# JIT at every tier, against the same C built by i686 gcc (freestanding,
# tests/jit/diff/native/start.c) and run under qemu-i386; also tier 3 with every
# loop the unroller can transform unrolled, its heuristics off (t3u).
# The reference results and bitcode: corpus_ref.sh (shared with sandbox.sh).
set -uo pipefail
cd "$(dirname "$0")/../../.."
. tests/jit/diff/corpus_ref.sh
corpus_ref
. tests/jit/diff/pick.sh
"${DIFFTEST[@]}" -t 0 -t 1 -t 2 -t 3 -t 3u < "$corpus_out/list.txt"
