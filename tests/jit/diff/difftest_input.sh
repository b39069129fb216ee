#!/usr/bin/env bash
# The differential harness must not pass when it is given nothing to test:
# no input, and a malformed line, are failures (exit 1, a TEST FAIL line).
set -uo pipefail
cd "$(dirname "$0")/../../.."
d=build/host/jit-difftest
check() { # check NAME INPUT
  local out; out=$(printf '%b' "$2" | "$d" 2>/dev/null); local rc=$?
  if [ $rc -eq 1 ] && grep -q '^TEST FAIL ' <<<"$out"; then echo "TEST PASS difftest_input.$1"
  else echo "TEST FAIL difftest_input.$1 (exit $rc: $out)"; fi
}
check empty ''
check blank_lines_only '\n\n'
check malformed 'only-two fields\n'
