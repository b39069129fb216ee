#!/usr/bin/env bash
# make soak: 10,000,000 random syscalls in the guest (test=soak: 100 runs of
# 100,000 over three roles -- no capabilities, the module surface, real
# capabilities -- and 100 seeds), the frames and the page-table audit
# checked after every run.
exec tests/qemu/boot.sh --timeout 3000 -- test=soak
