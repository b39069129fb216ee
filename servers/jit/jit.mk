# servers/jit/: the micro-JIT (LLVM IR -> x86-32).  The encoder and the
# code generator are portable C: built for the guest (libjitcg.a, linked by
# the jit server) and for the host tests and tools (mjit).
JIT_CG_SRCS := servers/jit/x86/x86.c servers/jit/cg/data.c servers/jit/cg/opt.c servers/jit/cg/inline.c \
	servers/jit/cg/unroll.c servers/jit/cg/layout.c servers/jit/cg/live.c servers/jit/cg/emit.c servers/jit/cg/jit.c \
	servers/jit/cg/conv.c
JIT_CG_GUEST_OBJS := $(patsubst %.c,$(B)/guest/%.o,$(JIT_CG_SRCS))
JIT_CG_HOST_OBJS  := $(patsubst %.c,$(B)/host/%.o,$(JIT_CG_SRCS))
# the bitcode reader (issue 3) and lib/fmt.c, for host tools and tests
JIT_RD_SRCS := servers/jit/ir/ir.c servers/jit/ir/print.c servers/jit/ir/verify.c \
	$(wildcard servers/jit/bc/*.c) lib/fmt.c
JIT_RD_HOST_OBJS := $(patsubst %.c,$(B)/host/%.o,$(JIT_RD_SRCS))

$(B)/guest/servers/jit/libjitcg.a: $(JIT_CG_GUEST_OBJS)
	$(AR32) rcs $@ $^

# The module runtime for host runs under Unicorn: lib/ built by the cross
# compiler and linked at a fixed address.
$(B)/host/jit/rt.elf: $(B)/guest/lib/string.o $(B)/guest/lib/divmod64.o $(B)/guest/lib/mulo64.o
	@mkdir -p $(@D)
	$(LD32) -m elf_i386 -nostdlib -Ttext=0x00100000 -e 0 $^ -o $@

JIT_HARNESS := $(B)/host/tests/jit/harness.o $(JIT_CG_HOST_OBJS) $(JIT_RD_HOST_OBJS)

$(B)/host/mjit: tools/mjit.c $(JIT_HARNESS) | $(B)/host/jit/rt.elf
	@mkdir -p $(@D)
	$(HOSTCC) $(HOST_CFLAGS) $^ -o $@ -lunicorn -lcapstone -lpthread -lm

$(B)/host/test_x86: tests/host/test_x86.c $(B)/host/servers/jit/x86/x86.o
	@mkdir -p $(@D)
	$(HOSTCC) $(HOST_CFLAGS) $^ -o $@ -lcriterion

ALL_TARGETS += $(B)/guest/servers/jit/libjitcg.a $(B)/host/mjit $(B)/host/jit/rt.elf
HOST_TESTS  += $(B)/host/test_x86

$(B)/host/jit-difftest: tests/jit/difftest.c $(JIT_HARNESS) | $(B)/host/jit/rt.elf
	@mkdir -p $(@D)
	$(HOSTCC) $(HOST_CFLAGS) $^ -o $@ -lunicorn -lpthread -lm
ALL_TARGETS += $(B)/host/jit-difftest

# Differential tests: the C corpus at -O0..-O3 x tiers 0..3, and csmith
# (fixed seeds, tiers 0 and 3) against i686 gcc under qemu-i386.
TEST_SCRIPTS += tests/jit/corpus.sh tests/jit/csmith.sh

# Open-ended csmith campaign: make fuzz-jit [FUZZ_JIT_N=1000]
.PHONY: fuzz-jit
fuzz-jit: $(B)/host/jit-difftest $(B)/host/jit/rt.elf
	tests/jit/csmith.sh --random $${FUZZ_JIT_N:-500}

$(B)/host/jit-bench: bench/jit/jit-bench.c $(JIT_HARNESS) | $(B)/host/jit/rt.elf
	@mkdir -p $(@D)
	$(HOSTCC) $(HOST_CFLAGS) $^ -o $@ -lunicorn -lpthread -lm
ALL_TARGETS += $(B)/host/jit-bench
BENCH_CMDS  += bench/jit/bench.sh

$(B)/host/test_jit: tests/host/test_jit.c $(JIT_HARNESS) | $(B)/host/jit/rt.elf
	@mkdir -p $(@D)
	$(HOSTCC) $(HOST_CFLAGS) $^ -o $@ -lcriterion -lunicorn -lpthread -lm
HOST_TESTS += $(B)/host/test_jit

$(B)/host/test_jit_regalloc: tests/host/test_jit_regalloc.c tests/host/jit_insns.h $(JIT_HARNESS) | $(B)/host/jit/rt.elf
	@mkdir -p $(@D)
	$(HOSTCC) $(HOST_CFLAGS) $(filter-out %.h,$^) -o $@ -lcriterion -lunicorn -lcapstone -lpthread -lm
HOST_TESTS += $(B)/host/test_jit_regalloc

$(B)/host/test_jit_conv: tests/host/test_jit_conv.c tests/host/jit_insns.h $(JIT_HARNESS) | $(B)/host/jit/rt.elf
	@mkdir -p $(@D)
	$(HOSTCC) $(HOST_CFLAGS) $(filter-out %.h,$^) -o $@ -lcriterion -lunicorn -lcapstone -lpthread -lm
HOST_TESTS += $(B)/host/test_jit_conv

# Native functions for the ABI test (JIT code <-> i686 gcc code).
$(B)/host/jit/abi.elf: tests/jit/native/abi.c tests/jit/native/abi.h $(B)/guest/lib/string.o $(B)/guest/lib/divmod64.o
	@mkdir -p $(@D)
	$(CC32) $(GUEST_CFLAGS) -c tests/jit/native/abi.c -o $(B)/host/jit/abi.o
	$(LD32) -m elf_i386 -nostdlib -Ttext=0x00100000 -e 0 $(B)/host/jit/abi.o $(B)/guest/lib/string.o \
		$(B)/guest/lib/divmod64.o -o $@
$(B)/host/test_jit: | $(B)/host/jit/abi.elf
