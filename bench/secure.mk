# make bench: the sandbox's cost, on against off (docs/secure-jit.md, "Cost").
BENCH_CMDS += bench/secure.sh
