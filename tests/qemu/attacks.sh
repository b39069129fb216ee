#!/usr/bin/env bash
# The attack matrix in the guest (servers/init/selftest_attacks.c,
# modules/attacks/spray.c): JIT spraying and the scan before it under
# each defence alone, none and all; the guest prints every cell and
# asserts the ones that define the defences; attack 4, the compromised
# jit (init installing int 0x80 itself), as its own column.
set -uo pipefail
tests/qemu/boot.sh --timeout 180 \
  --expect-re "^attacks: none +scan +attack succeeded: bytes found" \
  --expect-re "^attacks: none +spray +attack succeeded: gadget ran" \
  --expect-re "^attacks: none +ret-overwrite +attack succeeded: gadget ran" \
  --expect-re "^attacks: none +compromised-jit +attack succeeded: forbidden instruction installed and ran" \
  --expect-re "kernel: verify: task [0-9]+ \\(evil-jit\\): code refused at 6010000a .*: forbidden-instruction: int n" \
  --expect-re "^attacks: verify +compromised-jit +install refused" \
  --expect-re "^attacks: pin +compromised-jit +task killed: syscall outside the gate" \
  --expect-re "^attacks: blind +compromised-jit +attack succeeded: forbidden instruction installed and ran" \
  --expect-re "^attacks: random +compromised-jit +attack succeeded: forbidden instruction installed and ran" \
  --expect-re "^attacks: default +ret-overwrite +bytes absent" \
  --expect-re "^attacks: default +compromised-jit +install refused" \
  --expect "TEST PASS attacks.all_off_attacks_succeed" \
  --expect "TEST PASS attacks.defaults_stop_every_attack" \
  --expect "TEST PASS attacks.verifier_refuses_the_compromised_jit" \
  --expect "TEST PASS attacks.sandbox_masks_the_jump_and_the_return" \
  --expect "TEST PASS attacks.pin_kills_the_smuggled_syscall" \
  --expect "TEST PASS attacks.blinding_hides_the_bytes" \
  --expect "TEST PASS attacks.random_moves_code" \
  --expect "TEST PASS attacks.audit_clean" \
  -- test=attacks
