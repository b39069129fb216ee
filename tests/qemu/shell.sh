#!/usr/bin/env bash
# Boot to the shell prompt (after the module demo) and drive it through a
# pipe: every command answers, errors are one line, halt powers off.
# Expectations are checked in order (tests/qemu/expect_in_order.awk): each
# command's answer must follow its own prompt line, so an answer printed
# for the wrong command, or not at all, fails.  init's home is CPU 0, but
# on two CPUs an idle CPU 1 may take it while CPU 0 is busy: ps and cpus
# may show it on either.
prompt() { printf -- '--expect-re\n^bareflow> %s$\n' "$1"; }
# the demo runs every module of modules/modules.txt
nmod=$(awk '!/^#/ && NF' "$(dirname "$0")/../../modules/modules.txt" | wc -l)
mapfile -t expects < <(
  printf -- '--expect-re\n^demo: %d of %d modules correct$\n' "$nmod" "$nmod"
  printf -- '--expect\nBareFlow ready. Type '"'"'help'"'"' for commands.\n'
  prompt help;   printf -- '--expect-re\n^  ps +list tasks \n--expect-re\n^  halt +power off$\n'
  prompt ps;     printf -- '--expect-re\n^  ID NAME +STATE PRIO CPU HOME PAGES +TICKS BUDGET$\n--expect-re\n^ +1 init +[a-z]+ +[0-9]+ +[0-9] +0 +[0-9]+ +[0-9]+ +[0-9]+$\n'
  prompt cpus;   printf -- '--expect-re\n^CPU APIC LOAD RUNNING +QUEUED +IPIS +LOCK-HOLDS MEAN-HOLD +MAX-HOLD +WAITED$\n--expect-re\n^ +[0-9] +[0-9]+ +[0-9]+%% init +0 +[0-9]+ +[0-9]+ +[0-9]+ +[0-9]+ +[0-9]+$\n'
  prompt mem;    printf -- '--expect-re\n^frames: [0-9]+ used, [0-9]+ free, [0-9]+ total \\(4 KiB pages; [0-9]+ KiB free\\)$\n'
  prompt audit;  printf -- '--expect-re\n^audit: [0-9]+ address spaces, [0-9]+ mappings, 0 W\\+X, 0 user-visible kernel pages: clean$\n'
  prompt uptime; printf -- '--expect-re\n^up [0-9]+\\.[0-9][0-9] s \\([0-9]+ ticks\\)$\n'
  prompt frobnicate; printf -- '--expect-re\n^unknown command '"'"'frobnicate'"'"' \\(try '"'"'help'"'"'\\)$\n'
  prompt kill;   printf -- '--expect-re\n^kill: usage: kill ID\\|NAME$\n'
  prompt 'kill 999'; printf -- '--expect-re\n^kill: no task '"'"'999'"'"' started by init$\n'
  prompt modules; printf -- '--expect-re\n^embedded in the jit server:$\n--expect-re\n^  fib +default arg 20, expected result 6765$\n--expect-re\n^on the disk:$\n--expect-re\n^  FIB.LLB +[0-9]+ bytes \\(disk\\)$\n'
  prompt 'run fib 15 --calls 50'; printf -- '--expect-re\n^run fib\\(15\\) x50 from disk: 610$\n'
  prompt 'run nosuch'; printf -- '--expect-re\n^run: nosuch: cannot load \\(-[0-9]+\\): no such module$\n'
  prompt 'run fib --calls x'; printf -- '--expect-re\n^run: --calls wants a positive number, not '"'"'x'"'"'$\n'
  prompt jit;    printf -- '--expect-re\n^  H MODULE +FUNCTION +TIER +BYTES COMPILES +T0-CYCLES +TOP-CYCLES$\n--expect-re\n^ +[0-9]+ fib +fib +[0-3] +[0-9]+ +[0-9]+ +[0-9]+ +[0-9]+$\n--expect-re\n^    fib +image [0-9]+ bytes at [0-9a-f]+, recompiled code up to [0-9a-f]+$\n'
  prompt prof;   printf -- '--expect-re\n^MODULE +FUNCTION +CALLS TIER +T0-CYCLES T0-AVG +T1-CMP +T2-CMP +T3-CMP$\n--expect-re\n^fib +fib +[0-9]+ +3 \n'
  prompt 'tier fib fib 2'; printf -- '--expect-re\n^tier: fib.fib will start at tier 2 in the next runs$\n'
  prompt 'run fib 15 --calls 2'; printf -- '--expect-re\n^run: fib: fib starts at tier 2 \\(pinned with `tier`\\)$\n--expect-re\n^run fib\\(15\\) x2 from disk: 610$\n'
  prompt 'tier nosuch f 1'; printf -- '--expect-re\n^tier: module '"'"'nosuch'"'"' is not loaded \\(run it first\\)$\n'
  prompt 'tier fib fib 9'; printf -- '--expect-re\n^tier: usage: tier MODULE FUNCTION N \\(N = 0..3\\)$\n'
  prompt 'write NOTE.TXT hello from the shell'; printf -- '--expect-re\n^wrote 21 bytes to NOTE.TXT$\n'
  prompt 'cat NOTE.TXT'; printf -- '--expect-re\n^hello from the shell$\n'
  prompt ls;     printf -- '--expect-re\n^ +[0-9]+  FIB.LLB$\n--expect-re\n^ +21  NOTE.TXT$\n'
  prompt 'cat NOPE.TXT'; printf -- '--expect-re\n^cat: NOPE.TXT: not found \\(not found: no such file\\)$\n'
  prompt 'mkdir DIR'; printf -- '--expect-re\n^created DIR$\n'
  prompt 'ls DIR'
  prompt 'rm NOTE.TXT'; printf -- '--expect-re\n^removed NOTE.TXT$\n'
  prompt 'cat NOTE.TXT'; printf -- '--expect-re\n^cat: NOTE.TXT: not found \\(not found: no such file\\)$\n'
  prompt df;     printf -- '--expect-re\n^disk: [0-9]+ KiB total, [0-9]+ KiB used, [0-9]+ KiB free \\([0-9]+ clusters of [0-9]+ bytes\\)$\n'
  prompt 'prof thresholds 5 3 1'; printf -- '--expect-re\n^prof: thresholds must be three increasing positive numbers$\n'
  prompt 'prof reset'; printf -- '--expect-re\n^prof: reset$\n'
  prompt secure; printf -- '--expect-re\n^  jit-task +always +\n--expect-re\n^  wx +always +\n--expect-re\n^  verify +on +\n--expect-re\n^  pin +on +\n--expect-re\n^  blind +on +\n--expect-re\n^  random +on +\n'
  prompt 'secure off verify'; printf -- '--expect-re\n^secure: verify off for modules started from now on$\n'
  prompt 'run fib 15 --calls 5'; printf -- '--expect-re\n^run fib\\(15\\) x5 from disk: 610$\n'
  prompt secure; printf -- '--expect-re\n^  verify +off +\n--expect-re\n^  pin +on +\n'
  prompt 'secure on all'; printf -- '--expect-re\n^secure: all on for modules started from now on$\n'
  prompt 'secure off wx'; printf -- '--expect-re\n^secure: wx is always on: it cannot be switched$\n'
  prompt 'secure off blind'; printf -- '--expect-re\n^secure: blind off for modules started from now on$\n'
  prompt 'secure on nx'; printf -- '--expect-re\n^secure: no defence '"'"'nx'"'"' \\(try '"'"'secure'"'"'\\)$\n'
  prompt 'secure sideways'; printf -- '--expect-re\n^secure: usage: secure \\[on\\|off NAME\\|all\\]$\n'
  prompt secure; printf -- '--expect-re\n^  verify +on +\n--expect-re\n^  pin +on +\n'
  prompt halt;   printf -- '--expect-re\n^halting$\n'
)
# at -smp 1 and -smp 2 (SMP="..." for others)
status=0
for n in ${SMP:-1 2}; do
SMP=$n tests/qemu/boot.sh --timeout 120 --expect-exit 1 \
  --input 'help\nps\ncpus\nmem\naudit\nuptime\nfrobnicate\nkill\nkill 999\nmodules\nrun fib 15 --calls 50\nrun nosuch\nrun fib --calls x\njit\nprof\ntier fib fib 2\nrun fib 15 --calls 2\ntier nosuch f 1\ntier fib fib 9\nwrite NOTE.TXT hello from the shell\ncat NOTE.TXT\nls\ncat NOPE.TXT\nmkdir DIR\nls DIR\nrm NOTE.TXT\ncat NOTE.TXT\ndf\nprof thresholds 5 3 1\nprof reset\nsecure\nsecure off verify\nrun fib 15 --calls 5\nsecure\nsecure on all\nsecure off wx\nsecure off blind\nsecure on nx\nsecure sideways\nsecure\nhalt\n' \
  "${expects[@]}" -- || status=1
done
exit $status
