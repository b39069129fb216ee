BENCH_CMDS += bench/kernel.sh
