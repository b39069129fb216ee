BENCH_CMDS += bench/kernel.sh
BENCH_CMDS += bench/smp.sh
