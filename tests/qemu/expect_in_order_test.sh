#!/usr/bin/env bash
# The checker every QEMU test relies on (expect_in_order.awk): in-order
# expectations pass; the same ones out of order, a missing one, or one
# only present before the previous match fail.
set -uo pipefail
cd "$(dirname "$0")/../.."
chk() { LC_ALL=C awk -f tests/qemu/expect_in_order.awk <(printf '%s\n' "${@:2}") <(printf '%b' "$1"); }
log='boot\nbareflow> ps\n  1 init ready\nbareflow> halt\nhalting\n'
t() { # t NAME WANT(0|1) EXPECTATIONS...
  local name=$1 want=$2; shift 2
  chk "$log" "$@" >/dev/null; local got=$?
  [ "$got" -eq "$want" ] && echo "TEST PASS expect_in_order.$name" || echo "TEST FAIL expect_in_order.$name (exit $got, wanted $want)"
}
t in_order        0 'F bareflow> ps' 'R ^ +1 init ready$' 'F halting'
t out_of_order    1 'F halting' 'F bareflow> ps'
t missing         1 'F bareflow> ps' 'F nosuch'
t only_before     1 'F init ready' 'F bareflow> ps'
t same_line_right 0 'F bareflow>' 'F ps'
t same_line_left  1 'F ps' 'F bareflow> ps'
t regex_anchored  1 'R ^init'
t repeated_needs_two 1 'F halting' 'F halting'
t repeated_two    0 'F bareflow>' 'F bareflow>'
