#!/usr/bin/env bash
# Boot to the shell prompt and drive it through a pipe: every built-in
# command answers, an unknown one gets a one-line error, halt powers off.
exec tests/qemu/boot.sh --timeout 60 --expect-exit 1 \
  --input 'help\nps\nmem\naudit\nuptime\nfrobnicate\nkill\nkill 999\nhalt\n' \
  --expect "BareFlow ready" --expect "bareflow> " \
  --expect "list tasks" --expect " init " --expect "frames: " \
  --expect "W+X, 0 user-visible kernel pages: clean" --expect "up " \
  --expect "unknown command 'frobnicate' (try 'help')" \
  --expect "kill: usage: kill ID|NAME" --expect "kill: no task '999' started by init" \
  --expect "halting" --
