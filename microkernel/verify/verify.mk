# microkernel/verify/: the code verifier (built into the kernel by
# microkernel/kernel.mk), its host tests, the Capstone comparison, the
# libFuzzer target, the benchmark and the host tool bf-verify.
VERIFY_SRCS := microkernel/verify/x86dec.c microkernel/verify/verify.c
VERIFY_HOST_OBJS := $(patsubst %.c,$(B)/host/%.o,$(VERIFY_SRCS))

# One test per rule; every form the JIT's encoder emits is known.
$(B)/host/test_verify: tests/host/test_verify.c $(VERIFY_HOST_OBJS) $(B)/host/servers/jit/x86/x86.o
	@mkdir -p $(@D)
	$(HOSTCC) $(HOST_CFLAGS) $^ -o $@ -lcriterion
# The decoder against Capstone on 1,000,000 random strings (seed printed).
$(B)/host/test_verify_capstone: tests/host/test_verify_capstone.c $(B)/host/tests/host/verify_cs.o \
		$(VERIFY_HOST_OBJS)
	@mkdir -p $(@D)
	$(HOSTCC) $(HOST_CFLAGS) $^ -o $@ -lcriterion -lcapstone
HOST_TESTS += $(B)/host/test_verify $(B)/host/test_verify_capstone

# libFuzzer: accepted images rechecked with Capstone (tests/fuzz/fuzz_verify.c).
# `make test` runs it for 30 s with a fixed seed, `make fuzz-verify` (and
# `make fuzz`) for FUZZ_SECONDS (600).
VERIFY_FUZZ_FLAGS := -std=c11 -D_DEFAULT_SOURCE -g -O1 -I. -fsanitize=fuzzer,address,undefined \
	-fno-sanitize-recover=undefined
$(B)/fuzz/fuzz_verify: tests/fuzz/fuzz_verify.c $(VERIFY_SRCS) tests/host/verify_cs.c \
		microkernel/verify/x86dec.h microkernel/verify/verify.h
	@mkdir -p $(@D)
	$(CLANG) $(VERIFY_FUZZ_FLAGS) $(filter %.c,$^) -o $@ -lcapstone
ALL_TARGETS  += $(B)/fuzz/fuzz_verify
TEST_SCRIPTS += microkernel/verify/fuzz.sh

.PHONY: fuzz-verify
fuzz: fuzz-verify
fuzz-verify: $(B)/fuzz/fuzz_verify
	FUZZ_SEED=$${FUZZ_SEED:-0} microkernel/verify/fuzz.sh $${FUZZ_SECONDS:-600}
