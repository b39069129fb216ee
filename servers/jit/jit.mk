# servers/jit/: the micro-JIT, one fragment for all of it.  The bitcode
# reader (bc/), the IR (ir/), the IR-to-IR passes on the compiled clone
# (mid/), the x86-32 code generator (cg/) and the encoder (x86/) are
# portable C: built for the guest (libbc.a and libjitcg.a, linked by the
# jit server, whose own rules are in server/server.mk) and for the host
# tools and tests (mjit, llbc-*, Criterion tests, the fuzzer).  See
# docs/jit.md and docs/llbc.md.

# The reader and the IR, with the LLBC container (lib/llbc.c).
BC_SRCS := $(wildcard servers/jit/ir/*.c) $(wildcard servers/jit/bc/*.c) lib/llbc.c
BC_HOST_OBJS  := $(patsubst %.c,$(B)/host/%.o,$(BC_SRCS)) $(B)/host/lib/fmt.o
BC_GUEST_OBJS := $(patsubst %.c,$(B)/guest/%.o,$(BC_SRCS))
# The code generator: the encoder, the mid passes and the x86-32 target.
JIT_CG_SRCS := $(wildcard servers/jit/x86/*.c) $(wildcard servers/jit/mid/*.c) \
	$(wildcard servers/jit/cg/*.c)
JIT_CG_GUEST_OBJS := $(patsubst %.c,$(B)/guest/%.o,$(JIT_CG_SRCS))
JIT_CG_HOST_OBJS  := $(patsubst %.c,$(B)/host/%.o,$(JIT_CG_SRCS))
# The reader without the container, and lib/fmt.c: host tools and tests.
JIT_RD_SRCS := $(wildcard servers/jit/ir/*.c) $(wildcard servers/jit/bc/*.c) lib/fmt.c
JIT_RD_HOST_OBJS := $(patsubst %.c,$(B)/host/%.o,$(JIT_RD_SRCS))

# Guest builds: prove the reader and the compiler are freestanding i386
# code (the jit server links these objects).
$(B)/guest/servers/jit/bc/libbc.a: $(BC_GUEST_OBJS)
	$(AR32) rcs $@ $^
$(B)/guest/servers/jit/libjitcg.a: $(JIT_CG_GUEST_OBJS)
	$(AR32) rcs $@ $^

# ---- the reader ----

# Host tools.
BC_TOOLS := $(B)/tools/llbc-wrap $(B)/tools/llbc-info $(B)/tools/llbc-dis
$(B)/tools/llbc-%: tools/llbc-%.c tools/tool_io.c $(BC_HOST_OBJS)
	@mkdir -p $(@D)
	$(HOSTCC) $(HOST_CFLAGS) $^ -o $@

# The corpus: every tests/inputs/corpus/*.c at -O0..-O3 as bitcode, as the text
# llvm-dis-19 makes of it (the tests' reference) and wrapped as LLBC.
BC_CLANG_FLAGS := --target=i686-unknown-none -m32 -ffreestanding -nostdlib -emit-llvm -c
BC_CORPUS_NAMES := $(patsubst tests/inputs/corpus/%.c,%,$(wildcard tests/inputs/corpus/*.c))
BC_CORPUS_BC  := $(foreach n,$(BC_CORPUS_NAMES),$(foreach o,0 1 2 3,$(B)/corpus/$(n).O$(o).bc))
BC_CORPUS_LL  := $(BC_CORPUS_BC:.bc=.ll)
BC_CORPUS_LLBC := $(BC_CORPUS_BC:.bc=.llbc)
# (the corpus may include the C library's headers: the modules' own)
BC_CORPUS_FLAGS := $(call flags_file,corpus,$(CLANG) $(BC_CLANG_FLAGS) -isystem lib/rt/include)
define BC_CORPUS_RULE
$(B)/corpus/%.O$(1).bc: tests/inputs/corpus/%.c $(BC_CORPUS_FLAGS)
	@mkdir -p $$(@D)
	$(CLANG) $(BC_CLANG_FLAGS) -isystem lib/rt/include -O$(1) $$< -o $$@
$(B)/corpus/%.O$(1).llbc: $(B)/corpus/%.O$(1).bc $(B)/tools/llbc-wrap
	$(B)/tools/llbc-wrap --input $$< --output $$@ --name $$* --entry test_main --opt $(1)
endef
$(foreach o,0 1 2 3,$(eval $(call BC_CORPUS_RULE,$(o))))
$(B)/corpus/%.ll: $(B)/corpus/%.bc
	llvm-dis-19 $< -o $@
# Inputs of test_bitcode: floating point (must parse; the JIT rejects it)
# and constructs the reader refuses by name (computed goto, aliases,
# inline assembly).
$(B)/bcinputs/%.bc: tests/inputs/bitcode/%.c $(BC_CORPUS_FLAGS)
	@mkdir -p $(@D)
	$(CLANG) $(BC_CLANG_FLAGS) -O1 $< -o $@
BC_INPUTS := $(patsubst tests/inputs/bitcode/%.c,$(B)/bcinputs/%.bc,\
	$(wildcard tests/inputs/bitcode/*.c)) $(B)/bcinputs/vm-debug.bc
# debug information and value names must be skipped / kept without
# changing the code read
$(B)/bcinputs/vm-debug.bc: tests/inputs/corpus/vm.c
	@mkdir -p $(@D)
	$(CLANG) $(BC_CLANG_FLAGS) -O2 -g -fno-discard-value-names $< -o $@
# alignments at LLVM's limit (2^32), which clang cannot ask for
$(B)/bcinputs/align.bc: tests/inputs/bitcode/align.ll
	@mkdir -p $(@D)
	llvm-as-19 $< -o $@
BC_INPUTS += $(B)/bcinputs/align.bc

# Criterion tests.
$(B)/host/test_llbc: tests/jit/unit/test_llbc.c $(B)/host/lib/llbc.o
	@mkdir -p $(@D)
	$(HOSTCC) $(HOST_CFLAGS) $^ -o $@ -lcriterion
$(B)/host/test_llbc_tools: tests/jit/unit/test_llbc_tools.c $(BC_HOST_OBJS) | $(BC_TOOLS) $(BC_CORPUS_BC)
	@mkdir -p $(@D)
	$(HOSTCC) $(HOST_CFLAGS) $(filter %.c %.o,$^) -o $@ -lcriterion
$(B)/host/test_bitcode: tests/jit/unit/test_bitcode.c $(BC_HOST_OBJS) | $(BC_CORPUS_BC) $(BC_INPUTS)
	@mkdir -p $(@D)
	$(HOSTCC) $(HOST_CFLAGS) $(filter %.c %.o,$^) -o $@ -lcriterion
$(B)/host/test_bitcode_corpus: tests/jit/unit/test_bitcode_corpus.c $(BC_HOST_OBJS) | $(BC_CORPUS_BC) $(BC_CORPUS_LL)
	@mkdir -p $(@D)
	$(HOSTCC) $(HOST_CFLAGS) $(filter %.c %.o,$^) -o $@ -lcriterion

# libFuzzer over llbc_validate + the reader (+ printer), seeded with the
# corpus; `make test` runs it for 60 s, `make fuzz` for FUZZ_SECONDS (600).
BC_FUZZ_FLAGS := -std=c11 -D_DEFAULT_SOURCE -g -O1 -I. -fsanitize=fuzzer,address,undefined \
	-fno-sanitize-recover=undefined
$(B)/fuzz/fuzz_bitcode: tests/jit/fuzz/fuzz_bitcode.c $(BC_SRCS) lib/fmt.c
	@mkdir -p $(@D)
	$(CLANG) $(BC_FUZZ_FLAGS) $^ -o $@

ALL_TARGETS  += $(B)/guest/servers/jit/bc/libbc.a $(BC_TOOLS) $(B)/fuzz/fuzz_bitcode \
	$(BC_CORPUS_BC) $(BC_CORPUS_LLBC)
HOST_TESTS   += $(B)/host/test_llbc $(B)/host/test_llbc_tools $(B)/host/test_bitcode \
	$(B)/host/test_bitcode_corpus
TEST_SCRIPTS += tests/jit/fuzz/fuzz.sh
BENCH_CMDS   += bench/jit/reader.sh

.PHONY: fuzz fuzz-bitcode
fuzz: fuzz-bitcode
fuzz-bitcode: $(B)/fuzz/fuzz_bitcode $(BC_CORPUS_BC) $(BC_CORPUS_LLBC)
	FUZZ_SEED=$${FUZZ_SEED:-0} tests/jit/fuzz/fuzz.sh $${FUZZ_SECONDS:-600}

# ---- the compiler ----

# The module runtime for host runs (Unicorn, or native 32-bit): the guest
# runtime's objects (lib/rt/rt.mk: libm, printf, string, 64-bit helpers,
# the C library) linked at a fixed address, without the guest's entry,
# harness and syscall gate: bf_sys is tests/jit/diff/rt_host_gate.c
# (console output to stdout), and what the loader gives a module task
# (the C library's state and a heap) is tests/jit/diff/rt_host_libc.c.
RT_HOST_OBJS := $(filter-out $(B)/guest/lib/rt/entry.o $(B)/guest/lib/rt/gate.o \
	$(B)/guest/lib/rt/harness.o,$(RT_OBJS)) $(B)/guest/tests/jit/diff/rt_host_gate.o \
	$(B)/guest/tests/jit/diff/rt_host_libc.o
$(B)/host/jit/rt.elf: $(RT_HOST_OBJS)
	@mkdir -p $(@D)
	$(LD32) -m elf_i386 -nostdlib -Ttext=0x00100000 -e 0 $^ -o $@

JIT_HARNESS := $(B)/host/tests/jit/diff/harness.o $(B)/host/tests/jit/diff/harness_uc.o \
	$(B)/host/tests/jit/diff/harness_verify.o $(VERIFY_HOST_OBJS) $(JIT_CG_HOST_OBJS) $(JIT_RD_HOST_OBJS)

# ---- the 32-bit host build (build/host32/): JIT code run natively ----
# The same portable sources, built by the i686 cross compiler as ordinary
# hosted programs (its glibc, static), with the native backend of the
# harness: mjit --native and jit-difftest run the JIT's code on this CPU
# and time it with rdtsc.  build/host32/can-run tells whether this host
# runs 32-bit x86 programs at all (the scripts fall back to Unicorn).
HOST32_CFLAGS := -std=c11 -D_GNU_SOURCE -O2 -g -Wall -Wextra -I. -m32 -march=i686 \
	-Werror=implicit-function-declaration -fno-pie
$(B)/host32/%.o: %.c
	@mkdir -p $(@D)
	$(CC32) $(HOST32_CFLAGS) -MMD -MP -c $< -o $@
$(B)/host32/%.o: %.asm
	@mkdir -p $(@D)
	$(NASM) -f elf32 -o $@ $<
JIT_HARNESS32 := $(patsubst %.c,$(B)/host32/%.o,$(JIT_CG_SRCS) $(JIT_RD_SRCS) tests/jit/diff/harness.c \
	tests/jit/diff/harness_native.c tests/jit/diff/harness_verify.c microkernel/verify/x86dec.c \
	microkernel/verify/verify.c) $(B)/host32/tests/jit/diff/harness_native_call.o
$(B)/host32/mjit: tools/mjit.c $(JIT_HARNESS32) | $(B)/host/jit/rt.elf
	@mkdir -p $(@D)
	$(CC32) $(HOST32_CFLAGS) -DMJIT_NATIVE $^ -o $@ -static -no-pie -lm
	@mkdir -p $(@D)/jit && ln -sf ../../host/jit/rt.elf $(@D)/jit/rt.elf
$(B)/host32/jit-difftest: tests/jit/diff/difftest.c $(JIT_HARNESS32) | $(B)/host/jit/rt.elf
	@mkdir -p $(@D)
	$(CC32) $(HOST32_CFLAGS) $^ -o $@ -static -no-pie -lm
$(B)/host32/jit-cycles: bench/jit/jit-cycles.c $(JIT_HARNESS32) | $(B)/host/jit/rt.elf
	@mkdir -p $(@D)
	$(CC32) $(HOST32_CFLAGS) $^ -o $@ -static -no-pie -lm
$(B)/host32/can-run: tools/can-run.c
	@mkdir -p $(@D)
	$(CC32) $(HOST32_CFLAGS) $< -o $@ -static -no-pie
ALL_TARGETS += $(B)/host32/mjit $(B)/host32/jit-difftest $(B)/host32/jit-cycles $(B)/host32/can-run

$(B)/host/mjit: tools/mjit.c $(JIT_HARNESS) | $(B)/host/jit/rt.elf
	@mkdir -p $(@D)
	$(HOSTCC) $(HOST_CFLAGS) $^ -o $@ -lunicorn -lcapstone -lpthread -lm

$(B)/host/test_x86: tests/jit/unit/test_x86.c $(B)/host/servers/jit/x86/x86.o $(B)/host/servers/jit/x86/bundle.o \
		$(B)/host/servers/jit/x86/jump.o $(B)/host/servers/jit/x86/blind.o \
		$(B)/host/servers/jit/x86/sse.o $(B)/host/servers/jit/x86/shift.o
	@mkdir -p $(@D)
	$(HOSTCC) $(HOST_CFLAGS) $^ -o $@ -lcriterion -lcapstone

ALL_TARGETS += $(B)/guest/servers/jit/libjitcg.a $(B)/host/mjit $(B)/host/jit/rt.elf
HOST_TESTS  += $(B)/host/test_x86

$(B)/host/jit-difftest: tests/jit/diff/difftest.c $(JIT_HARNESS) | $(B)/host/jit/rt.elf
	@mkdir -p $(@D)
	$(HOSTCC) $(HOST_CFLAGS) $^ -o $@ -lunicorn -lpthread -lm
ALL_TARGETS += $(B)/host/jit-difftest

# Differential tests: the C corpus at -O0..-O3 x tiers 0..3, and csmith
# (fixed seeds, tiers 0 and 3) against i686 gcc under qemu-i386.
TEST_SCRIPTS += tests/jit/diff/corpus.sh tests/jit/diff/fpcorpus.sh tests/jit/diff/csmith.sh tests/jit/diff/csmith_fp.sh \
	tests/jit/diff/sandbox.sh

# The csmith campaign: make fuzz-jit [FUZZ_JIT_N=100000] random programs
# (tiers 0 and 3, -O0..-O2; natively where the host runs 32-bit code),
# in batches of 1000 so the work files stay small; stops at the first
# batch with a failure, whose programs stay in build/jit-csmith.
.PHONY: fuzz-jit
fuzz-jit: $(B)/host/jit-difftest $(B)/host32/jit-difftest $(B)/host32/can-run $(B)/host/jit/rt.elf
	@n=$${FUZZ_JIT_N:-100000}; done=0; while [ $$done -lt $$n ]; do \
		b=$$(( n - done < 1000 ? n - done : 1000 )); \
		tests/jit/diff/csmith.sh --random $$b > build/jit-csmith/batch.log 2>&1 \
			|| { grep -a 'TEST FAIL' build/jit-csmith/batch.log | head; exit 1; }; \
		done=$$((done + b)); echo "fuzz-jit: $$done of $$n programs, no failure"; done

# Floating point: random programs of tests/jit/diff/fpfuzz_gen.py (make
# test runs seeds 1..16); make fuzz-jit-fp [FPFUZZ_N=1000] from a random
# first seed, which it prints.
TEST_SCRIPTS += tests/jit/diff/fpfuzz.sh
.PHONY: fuzz-jit-fp
fuzz-jit-fp: $(B)/host/jit-difftest $(B)/host32/jit-difftest $(B)/host32/can-run $(B)/host/jit/rt.elf
	tests/jit/diff/fpfuzz.sh $$(( (RANDOM << 15 | RANDOM) + 1 )) $${FPFUZZ_N:-1000} > build/jit-fpfuzz.log 2>&1; \
		head -1 build/jit-fpfuzz.log; grep -a 'TEST FAIL' build/jit-fpfuzz.log | head; tail -1 build/jit-fpfuzz.log; \
		! grep -q 'TEST FAIL' build/jit-fpfuzz.log

$(B)/host/jit-bench: bench/jit/jit-bench.c $(JIT_HARNESS) | $(B)/host/jit/rt.elf
	@mkdir -p $(@D)
	$(HOSTCC) $(HOST_CFLAGS) $^ -o $@ -lunicorn -lpthread -lm
ALL_TARGETS += $(B)/host/jit-bench
BENCH_CMDS  += bench/jit/bench.sh

$(B)/host/test_jit: tests/jit/unit/test_jit.c $(JIT_HARNESS) | $(B)/host/jit/rt.elf
	@mkdir -p $(@D)
	$(HOSTCC) $(HOST_CFLAGS) $^ -o $@ -lcriterion -lunicorn -lpthread -lm
HOST_TESTS += $(B)/host/test_jit

$(B)/host/test_jit_regalloc: tests/jit/unit/test_jit_regalloc.c tests/jit/unit/jit_insns.h $(JIT_HARNESS) | $(B)/host/jit/rt.elf
	@mkdir -p $(@D)
	$(HOSTCC) $(HOST_CFLAGS) $(filter-out %.h,$^) -o $@ -lcriterion -lunicorn -lcapstone -lpthread -lm
HOST_TESTS += $(B)/host/test_jit_regalloc

$(B)/host/test_jit_conv: tests/jit/unit/test_jit_conv.c tests/jit/unit/jit_insns.h $(JIT_HARNESS) | $(B)/host/jit/rt.elf
	@mkdir -p $(@D)
	$(HOSTCC) $(HOST_CFLAGS) $(filter-out %.h,$^) -o $@ -lcriterion -lunicorn -lcapstone -lpthread -lm
HOST_TESTS += $(B)/host/test_jit_conv

# The sandboxed form against the kernel's verifier, one test per rule.
$(B)/host/test_jit_sandbox: tests/jit/unit/test_jit_sandbox.c $(JIT_HARNESS) | $(B)/host/jit/rt.elf
	@mkdir -p $(@D)
	$(HOSTCC) $(HOST_CFLAGS) $^ -o $@ -lcriterion -lunicorn -lpthread -lm
HOST_TESTS += $(B)/host/test_jit_sandbox

# Random placement: layouts per seed, results, the sandbox's verifier.
$(B)/host/test_jit_random: tests/jit/unit/test_jit_random.c $(JIT_HARNESS) | $(B)/host/jit/rt.elf
	@mkdir -p $(@D)
	$(HOSTCC) $(HOST_CFLAGS) $^ -o $@ -lcriterion -lunicorn -lpthread -lm
HOST_TESTS += $(B)/host/test_jit_random

# Constant blinding: sprayed constants absent from the code, results equal.
$(B)/host/test_jit_blind: tests/jit/unit/test_jit_blind.c $(JIT_HARNESS) | $(B)/host/jit/rt.elf
	@mkdir -p $(@D)
	$(HOSTCC) $(HOST_CFLAGS) $^ -o $@ -lcriterion -lunicorn -lpthread -lm
HOST_TESTS += $(B)/host/test_jit_blind

# Native functions for the ABI test (JIT code <-> i686 gcc code).
$(B)/host/jit/abi.elf: tests/jit/diff/native/abi.c tests/jit/diff/native/abi.h $(B)/guest/lib/string.o $(B)/guest/lib/divmod64.o
	@mkdir -p $(@D)
	$(CC32) $(GUEST_CFLAGS) -c tests/jit/diff/native/abi.c -o $(B)/host/jit/abi.o
	$(LD32) -m elf_i386 -nostdlib -Ttext=0x00100000 -e 0 $(B)/host/jit/abi.o $(B)/guest/lib/string.o \
		$(B)/guest/lib/divmod64.o -o $@
$(B)/host/test_jit: | $(B)/host/jit/abi.elf


# The JIT's limits (issue 13, docs/threat-model.md): hostile constants,
# the compile budget, stack probes, and the jit server's real module
# slots (module.c, behind a stand-in kernel in the test).  bcgen writes
# the bitcode no LLVM tool can (tests/jit/lib/bcgen.h).
LIMITS_NOWARN := -Wno-int-to-pointer-cast -Wno-pointer-to-int-cast
$(B)/host/jit-limits/%.o: servers/jit/server/%.c
	@mkdir -p $(@D)
	$(HOSTCC) $(HOST_CFLAGS) $(LIMITS_NOWARN) -MMD -MP -c $< -o $@
$(B)/host/test_jit_limits: tests/jit/unit/test_jit_limits.c tests/jit/lib/bcgen.c $(B)/host/jit-limits/module.o \
		$(B)/host/servers/jit/server/entropy.o $(B)/host/jit-limits/heap.o \
		$(B)/host/servers/jit/server/jit_serve.o $(B)/host/lib/llbc.o $(JIT_HARNESS) | $(B)/host/jit/rt.elf
	@mkdir -p $(@D)
	$(HOSTCC) $(HOST_CFLAGS) $(LIMITS_NOWARN) $^ -o $@ -lcriterion -lunicorn -lpthread -lm
HOST_TESTS += $(B)/host/test_jit_limits
$(B)/host/jit-bcgen: tests/jit/lib/bcgen_tool.c tests/jit/lib/bcgen.c tests/jit/lib/bcgen.h
	@mkdir -p $(@D)
	$(HOSTCC) $(HOST_CFLAGS) $(filter %.c,$^) -o $@
ALL_TARGETS += $(B)/host/jit-bcgen
TEST_SCRIPTS += tests/jit/diff/limits.sh
