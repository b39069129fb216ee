#!/usr/bin/env bash
# The attack matrix in the guest (servers/init/selftest_attacks.c,
# modules/attacks/spray.c): JIT spraying and the scan before it under
# each defence alone, none and all; the guest prints every cell and
# asserts the ones that define the defences.
set -uo pipefail
tests/qemu/boot.sh --timeout 180 \
  --expect-re "^attacks: none +scan +attack succeeded: bytes found" \
  --expect-re "^attacks: none +spray +attack succeeded: gadget ran" \
  --expect-re "^attacks: none +ret-overwrite +attack succeeded: gadget ran" \
  --expect-re "^attacks: default +ret-overwrite +bytes absent" \
  --expect "TEST PASS attacks.all_off_attacks_succeed" \
  --expect "TEST PASS attacks.defaults_stop_every_attack" \
  --expect "TEST PASS attacks.sandbox_masks_the_jump_and_the_return" \
  --expect "TEST PASS attacks.pin_kills_the_smuggled_syscall" \
  --expect "TEST PASS attacks.blinding_hides_the_bytes" \
  --expect "TEST PASS attacks.random_moves_code" \
  --expect "TEST PASS attacks.audit_clean" \
  -- test=attacks
