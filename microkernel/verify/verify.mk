# microkernel/verify/: the code verifier (built into the kernel by
# microkernel/kernel.mk), its host tests, the Capstone comparison, the
# libFuzzer target, the benchmark and the host tool bf-verify.
VERIFY_SRCS := microkernel/verify/x86dec.c microkernel/verify/verify.c
VERIFY_HOST_OBJS := $(patsubst %.c,$(B)/host/%.o,$(VERIFY_SRCS))

# One test per rule; every form the JIT's encoder emits is known.
$(B)/host/test_verify: tests/kernel/unit/test_verify.c $(VERIFY_HOST_OBJS) $(B)/host/servers/jit/x86/x86.o $(B)/host/servers/jit/x86/blind.o \
		$(B)/host/servers/jit/x86/sse.o $(B)/host/servers/jit/x86/bundle.o $(B)/host/servers/jit/x86/jump.o \
		$(B)/host/servers/jit/x86/shift.o
	@mkdir -p $(@D)
	$(HOSTCC) $(HOST_CFLAGS) $^ -o $@ -lcriterion
# The decoder against Capstone on 1,000,000 random strings (seed printed).
$(B)/host/test_verify_capstone: tests/kernel/unit/test_verify_capstone.c $(B)/host/tests/kernel/unit/verify_cs.o \
		$(VERIFY_HOST_OBJS)
	@mkdir -p $(@D)
	$(HOSTCC) $(HOST_CFLAGS) $^ -o $@ -lcriterion -lcapstone
HOST_TESTS += $(B)/host/test_verify $(B)/host/test_verify_capstone

# libFuzzer: accepted images rechecked with Capstone (tests/kernel/fuzz/fuzz_verify.c).
# `make test` runs it for 30 s with a fixed seed, `make fuzz-verify` (and
# `make fuzz`) for FUZZ_SECONDS (600).
VERIFY_FUZZ_FLAGS := -std=c11 -D_DEFAULT_SOURCE -g -O1 -I. -fsanitize=fuzzer,address,undefined \
	-fno-sanitize-recover=undefined
$(B)/fuzz/fuzz_verify: tests/kernel/fuzz/fuzz_verify.c $(VERIFY_SRCS) tests/kernel/unit/verify_cs.c \
		microkernel/verify/x86dec.h microkernel/verify/verify.h
	@mkdir -p $(@D)
	$(CLANG) $(VERIFY_FUZZ_FLAGS) $(filter %.c,$^) -o $@ -lcapstone
ALL_TARGETS  += $(B)/fuzz/fuzz_verify
TEST_SCRIPTS += tests/kernel/fuzz/fuzz_verify.sh

.PHONY: fuzz-verify
fuzz: fuzz-verify
fuzz-verify: $(B)/fuzz/fuzz_verify
	FUZZ_SEED=$${FUZZ_SEED:-0} tests/kernel/fuzz/fuzz_verify.sh $${FUZZ_SECONDS:-600}

# make bench: the verifier's cycles per KiB (bench/verify/verify-bench.c),
# built -O2 as in the kernel.
$(B)/bench/verify-bench: bench/verify/verify-bench.c $(VERIFY_SRCS)
	@mkdir -p $(@D)
	$(HOSTCC) $(HOST_CFLAGS) -O2 $(filter %.c,$^) -o $@
ALL_TARGETS += $(B)/bench/verify-bench
BENCH_CMDS  += $(B)/bench/verify-bench

# The host tool: the same verifier on a raw image, with this build's
# runtime exports as the allowed external targets.
$(B)/tools/bf-verify: tools/bf-verify.c $(VERIFY_SRCS) $(B)/rt/rt_kernel.c
	@mkdir -p $(@D)
	$(HOSTCC) $(HOST_CFLAGS) $(filter %.c,$^) -o $@
ALL_TARGETS  += $(B)/tools/bf-verify
TEST_SCRIPTS += tests/kernel/unit/bf_verify_test.sh
