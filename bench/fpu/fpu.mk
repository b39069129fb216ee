# The cost of an eager FPU switch on this host's CPU (bench/fpu/fxcost.c).
$(B)/bench/fxcost: bench/fpu/fxcost.c
	@mkdir -p $(@D)
	$(HOSTCC) -O2 $< -o $@
ALL_TARGETS += $(B)/bench/fxcost
BENCH_CMDS += $(B)/bench/fxcost
