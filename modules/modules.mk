# modules/: the workloads.  Each is compiled by clang-19 -O2 to bitcode and
# wrapped as LLBC (build/modules/NAME.llbc, entry module_main); its expected
# result for the argument in modules.txt is computed at build time by the
# same C built natively (i686 gcc -O2, run under qemu-i386).
MODULE_NAMES := $(shell awk '!/^\#/ && NF { print $$1 }' modules/modules.txt)
MODULE_LLBC  := $(patsubst %,$(B)/modules/%.llbc,$(MODULE_NAMES))
# Floating point as the native reference computes it (SSE2, nothing fused,
# sqrt as the instruction): -ffp-contract=off -fno-math-errno here, and
# FP_NATIVE for gcc.  Both sides -mlong-double-64: long double is double
# in modules (the JIT has no x87 arithmetic; docs/jit.md).
MODULE_CLANG := --target=i686-unknown-none -m32 -ffreestanding -nostdlib -emit-llvm -c -O2 \
	-ffp-contract=off -fno-math-errno -mlong-double-64
FP_NATIVE := -msse2 -mfpmath=sse -ffp-contract=off -fexcess-precision=standard -fno-math-errno \
	-mlong-double-64

MODULE_FLAGS := $(call flags_file,modules,$(CLANG) $(MODULE_CLANG) | $(CC32) $(FP_NATIVE))
$(B)/modules/%.bc: modules/%.c $(MODULE_FLAGS)
	@mkdir -p $(@D)
	$(CLANG) $(MODULE_CLANG) $< -o $@

$(B)/modules/%.llbc: $(B)/modules/%.bc $(B)/tools/llbc-wrap
	$(B)/tools/llbc-wrap --input $< --output $@ --name $* --entry module_main --opt 2

$(B)/modules/%.native: modules/%.c tools/module-native.c $(MODULE_FLAGS)
	@mkdir -p $(@D)
	$(CC32) -std=c11 -O2 $(FP_NATIVE) -static $(filter %.c,$^) -o $@

# name arg expected-result, one line per module
$(B)/modules/expected.txt: modules/modules.txt $(patsubst %,$(B)/modules/%.native,$(MODULE_NAMES))
	@set -e; awk '!/^#/ && NF { print $$1, $$2 }' modules/modules.txt | while read n a; do \
		r=$$(qemu-i386 $(B)/modules/$$n.native $$a); echo "$$n $$a $$r"; done >$@.tmp
	@mv $@.tmp $@

# Hostile modules (modules/hostile/): on the disk only, for the W^X and
# containment tests; each must be killed, never trusted.
HOSTILE_NAMES := $(basename $(notdir $(wildcard modules/hostile/*.c)))
HOSTILE_LLBC  := $(patsubst %,$(B)/modules/%.llbc,$(HOSTILE_NAMES))
# hostile/float.c is bitcode made without -mlong-double-64 (an x87 long
# double): the jit server must refuse it by name and go on serving.
$(B)/modules/float.bc: MODULE_CLANG := $(filter-out -mlong-double-64,$(MODULE_CLANG))
$(B)/modules/%.bc: modules/hostile/%.c $(MODULE_FLAGS)
	@mkdir -p $(@D)
	$(CLANG) $(MODULE_CLANG) $< -o $@

# Attack modules (modules/attacks/): on the disk only, for the attack
# matrix (test=attacks, docs/secure-jit.md); what they return depends on
# the defences, so they have no expected result.
ATTACK_NAMES := $(basename $(notdir $(wildcard modules/attacks/*.c)))
ATTACK_LLBC  := $(patsubst %,$(B)/modules/%.llbc,$(ATTACK_NAMES))
$(B)/modules/%.bc: modules/attacks/%.c $(MODULE_FLAGS)
	@mkdir -p $(@D)
	$(CLANG) $(MODULE_CLANG) $< -o $@

ALL_TARGETS += $(MODULE_LLBC) $(HOSTILE_LLBC) $(ATTACK_LLBC) $(B)/modules/expected.txt
DISK_FILES := $(MODULE_LLBC) $(HOSTILE_LLBC) $(ATTACK_LLBC)
