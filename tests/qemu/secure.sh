#!/usr/bin/env bash
# The secure JIT in the guest (servers/init/selftest_secure.c): with the
# verifier and pinned syscalls on, init plays a compromised jit server and
# installs each forbidden class into a module task; the kernel refuses
# every one (E_VERIFY) with one console line naming the task, the offset
# and the rule, and the task is left without that code.  Checked in
# order: a few of the kernel's lines, then the guest's verdicts.  The boot
# also starts with secure=verify,pin on the command line, so the switch
# is read there too.
# Runs at -smp 1 and at -smp 2 (SMP=N: that one only).
if [ -z "${SMP:-}" ]; then st=0; for n in 1 2; do SMP=$n "$0" "$@" || st=1; done; exit $st; fi
set -uo pipefail
tests/qemu/boot.sh --timeout 120 \
  --expect "secure=verify,pin" \
  --expect-re "kernel: verify: task [0-9]+ \\(evil\\): code refused at 60100014 \\(offset 0x14 of 1 pages from init\\): forbidden-instruction: int n / into / int1" \
  --expect "TEST PASS secure.refused_int_0x80" \
  --expect-re "kernel: verify: task [0-9]+ \\(evil\\): code refused at 60100014 .*: int3-outside-padding" \
  --expect-re "kernel: verify: .*: forbidden-instruction: port I/O" \
  --expect-re "kernel: verify: .*: plain-ret" \
  --expect-re "kernel: verify: .*: unmasked-indirect" \
  --expect-re "kernel: verify: .*: call-not-at-bundle-end" \
  --expect-re "kernel: verify: .*: direct-target" \
  --expect "TEST PASS secure.every_forbidden_class_refused" \
  --expect "TEST PASS secure.sandboxed_code_runs_through_the_gate" \
  --expect-re "kernel: task [0-9]+ \\(pinned\\) made a syscall outside the runtime's gate" \
  --expect "TEST PASS secure.pinned_syscall_elsewhere_killed" \
  --expect "TEST PASS secure.audit_clean" \
  -- "test=secure secure=verify,pin"
