# servers/jit/bc/: the LLVM bitcode reader and the SSA IR (servers/jit/ir/),
# the LLBC container (lib/llbc.c), the host tools llbc-wrap / llbc-info /
# llbc-dis, the C corpus compiled at -O0..-O3, Criterion tests, the
# libFuzzer target and the reader benchmark.  See docs/llbc.md.

BC_SRCS := servers/jit/ir/ir.c servers/jit/ir/verify.c servers/jit/ir/print.c \
	$(wildcard servers/jit/bc/*.c) lib/llbc.c
BC_HOST_OBJS  := $(patsubst %.c,$(B)/host/%.o,$(BC_SRCS)) $(B)/host/lib/fmt.o
BC_GUEST_OBJS := $(patsubst %.c,$(B)/guest/%.o,$(BC_SRCS))

# Guest build: proves the reader is freestanding i386 code (the jit server
# links these objects).
$(B)/guest/servers/jit/bc/libbc.a: $(BC_GUEST_OBJS)
	$(AR32) rcs $@ $^

# Host tools.
BC_TOOLS := $(B)/tools/llbc-wrap $(B)/tools/llbc-info $(B)/tools/llbc-dis
$(B)/tools/llbc-%: tools/llbc-%.c tools/tool_io.c $(BC_HOST_OBJS)
	@mkdir -p $(@D)
	$(HOSTCC) $(HOST_CFLAGS) $^ -o $@

# The corpus: every tests/corpus/*.c at -O0..-O3 as bitcode, as the text
# llvm-dis-19 makes of it (the tests' reference) and wrapped as LLBC.
BC_CLANG_FLAGS := --target=i686-unknown-none -m32 -ffreestanding -nostdlib -emit-llvm -c
BC_CORPUS_NAMES := $(patsubst tests/corpus/%.c,%,$(wildcard tests/corpus/*.c))
BC_CORPUS_BC  := $(foreach n,$(BC_CORPUS_NAMES),$(foreach o,0 1 2 3,$(B)/corpus/$(n).O$(o).bc))
BC_CORPUS_LL  := $(BC_CORPUS_BC:.bc=.ll)
BC_CORPUS_LLBC := $(BC_CORPUS_BC:.bc=.llbc)
define BC_CORPUS_RULE
$(B)/corpus/%.O$(1).bc: tests/corpus/%.c
	@mkdir -p $$(@D)
	$(CLANG) $(BC_CLANG_FLAGS) -O$(1) $$< -o $$@
$(B)/corpus/%.O$(1).llbc: $(B)/corpus/%.O$(1).bc $(B)/tools/llbc-wrap
	$(B)/tools/llbc-wrap --input $$< --output $$@ --name $$* --entry test_main --opt $(1)
endef
$(foreach o,0 1 2 3,$(eval $(call BC_CORPUS_RULE,$(o))))
$(B)/corpus/%.ll: $(B)/corpus/%.bc
	llvm-dis-19 $< -o $@
# Inputs of test_bitcode: floating point (must parse; the JIT rejects it)
# and constructs the reader refuses by name (computed goto, aliases,
# inline assembly).
$(B)/bcinputs/%.bc: tests/host/test_bitcode_input_%.c
	@mkdir -p $(@D)
	$(CLANG) $(BC_CLANG_FLAGS) -O1 $< -o $@
BC_INPUTS := $(patsubst tests/host/test_bitcode_input_%.c,$(B)/bcinputs/%.bc,\
	$(wildcard tests/host/test_bitcode_input_*.c)) $(B)/bcinputs/vm-debug.bc
# debug information and value names must be skipped / kept without
# changing the code read
$(B)/bcinputs/vm-debug.bc: tests/corpus/vm.c
	@mkdir -p $(@D)
	$(CLANG) $(BC_CLANG_FLAGS) -O2 -g -fno-discard-value-names $< -o $@

# Criterion tests.
$(B)/host/test_llbc: tests/host/test_llbc.c $(B)/host/lib/llbc.o
	@mkdir -p $(@D)
	$(HOSTCC) $(HOST_CFLAGS) $^ -o $@ -lcriterion
$(B)/host/test_llbc_tools: tests/host/test_llbc_tools.c $(BC_HOST_OBJS) | $(BC_TOOLS) $(BC_CORPUS_BC)
	@mkdir -p $(@D)
	$(HOSTCC) $(HOST_CFLAGS) $(filter %.c %.o,$^) -o $@ -lcriterion
$(B)/host/test_bitcode: tests/host/test_bitcode.c $(BC_HOST_OBJS) | $(BC_CORPUS_BC) $(BC_INPUTS)
	@mkdir -p $(@D)
	$(HOSTCC) $(HOST_CFLAGS) $(filter %.c %.o,$^) -o $@ -lcriterion
$(B)/host/test_bitcode_corpus: tests/host/test_bitcode_corpus.c $(BC_HOST_OBJS) | $(BC_CORPUS_BC) $(BC_CORPUS_LL)
	@mkdir -p $(@D)
	$(HOSTCC) $(HOST_CFLAGS) $(filter %.c %.o,$^) -o $@ -lcriterion

# libFuzzer over llbc_validate + the reader (+ printer), seeded with the
# corpus; `make test` runs it for 60 s, `make fuzz` for FUZZ_SECONDS (600).
BC_FUZZ_FLAGS := -std=c11 -D_DEFAULT_SOURCE -g -O1 -I. -fsanitize=fuzzer,address,undefined \
	-fno-sanitize-recover=undefined
$(B)/fuzz/fuzz_bitcode: tests/fuzz/fuzz_bitcode.c $(BC_SRCS) lib/fmt.c
	@mkdir -p $(@D)
	$(CLANG) $(BC_FUZZ_FLAGS) $^ -o $@

ALL_TARGETS  += $(B)/guest/servers/jit/bc/libbc.a $(BC_TOOLS) $(B)/fuzz/fuzz_bitcode \
	$(BC_CORPUS_BC) $(BC_CORPUS_LLBC)
HOST_TESTS   += $(B)/host/test_llbc $(B)/host/test_llbc_tools $(B)/host/test_bitcode \
	$(B)/host/test_bitcode_corpus
TEST_SCRIPTS += servers/jit/bc/fuzz.sh
BENCH_CMDS   += servers/jit/bc/bench.sh

.PHONY: fuzz fuzz-bitcode
fuzz: fuzz-bitcode
fuzz-bitcode: $(B)/fuzz/fuzz_bitcode $(BC_CORPUS_BC) $(BC_CORPUS_LLBC)
	FUZZ_SEED=$${FUZZ_SEED:-0} servers/jit/bc/fuzz.sh $${FUZZ_SECONDS:-600}
