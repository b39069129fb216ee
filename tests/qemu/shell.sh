#!/usr/bin/env bash
# Boot to the shell prompt (after the module demo) and drive it through a
# pipe: every command answers, errors are one line, halt powers off.
exec tests/qemu/boot.sh --timeout 120 --expect-exit 1 \
  --input 'help\nps\nmem\naudit\nuptime\nfrobnicate\nkill\nkill 999\nmodules\nrun fib 15 --calls 50\nrun nosuch\nrun fib --calls x\njit\nprof\ntier fib fib 2\nrun fib 15 --calls 2\ntier nosuch f 1\ntier fib fib 9\nwrite NOTE.TXT hello from the shell\ncat NOTE.TXT\nls\ncat NOPE.TXT\nmkdir DIR\nls DIR\nrm NOTE.TXT\ncat NOTE.TXT\ndf\nprof thresholds 5 3 1\nprof reset\nhalt\n' \
  --expect "demo: 11 of 11 modules correct" --expect "BareFlow ready" --expect "bareflow> " \
  --expect "list tasks" --expect " init " --expect "frames: " \
  --expect "W+X, 0 user-visible kernel pages: clean" --expect "up " \
  --expect "unknown command 'frobnicate' (try 'help')" \
  --expect "kill: usage: kill ID|NAME" --expect "kill: no task '999' started by init" \
  --expect "embedded in the jit server:" --expect "FIB.LLB" \
  --expect "run fib(15) x50 from disk: 610" \
  --expect "run: nosuch: cannot load" --expect "run: --calls wants a positive number, not 'x'" \
  --expect "image " --expect "MODULE     FUNCTION" \
  --expect "tier: fib.fib will start at tier 2 in the next runs" \
  --expect "run: fib: fib starts at tier 2 (pinned with \`tier\`)" --expect "run fib(15) x2 from disk: 610" \
  --expect "tier: module 'nosuch' is not loaded" --expect "tier: usage: tier MODULE FUNCTION N" \
  --expect "wrote 21 bytes to NOTE.TXT" --expect "hello from the shell" \
  --expect "cat: NOPE.TXT: not found" --expect "created DIR" --expect "removed NOTE.TXT" \
  --expect "cat: NOTE.TXT: not found" --expect "disk: " \
  --expect "prof: thresholds must be three increasing positive numbers" --expect "prof: reset" \
  --expect "halting" --
