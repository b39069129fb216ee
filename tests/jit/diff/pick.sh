# Sourced by the differential scripts: how to run jit-difftest here.
#   natively (build/host32/jit-difftest, i686 static): the JIT's code runs
#     on this CPU -- the fastest, and what `make bench` times;
#   the same program under qemu-i386, where this host cannot run 32-bit
#     x86 code (a kernel without ia32 emulation): said in the log;
#   build/host/jit-difftest (Unicorn) when neither works.
# Sets DIFFTEST (an array) and prints which.
if build/host32/can-run >/dev/null 2>&1; then
  DIFFTEST=(build/host32/jit-difftest)
  echo "difftest: native (build/host32)"
elif command -v qemu-i386 >/dev/null && qemu-i386 build/host32/can-run >/dev/null 2>&1; then
  DIFFTEST=(qemu-i386 build/host32/jit-difftest)
  echo "difftest: this host cannot run 32-bit x86 code; build/host32 under qemu-i386"
else
  DIFFTEST=(build/host/jit-difftest)
  echo "difftest: no 32-bit execution here; under Unicorn"
fi
