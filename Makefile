# BareFlow top-level build.
#
# Every subsystem keeps its rules in a fragment (`*.mk`) next to its sources
# and appends to the lists below; this file only holds the toolchain, the
# lists and the user-facing targets.  `make run` and `make test` first make
# sure the Debian packages are present (tools/install-deps.sh, a no-op when
# they are).

.DEFAULT_GOAL := all
SHELL := /bin/bash

B        := build
CROSS    := i686-linux-gnu-
CC32     := $(CROSS)gcc
LD32     := $(CROSS)ld
AR32     := $(CROSS)ar
OBJCOPY32 := $(CROSS)objcopy
NASM     := nasm
HOSTCC   := gcc
CLANG    := clang-19

# Guest code: freestanding C11, i386, no libc but ours (lib/).
GUEST_CFLAGS := -std=c11 -ffreestanding -nostdlib -fno-builtin -fno-pie -fno-pic \
	-fno-stack-protector -fno-asynchronous-unwind-tables -fcf-protection=none \
	-march=i686 -m32 -O2 -g -Wall -Wextra -Werror=implicit-function-declaration \
	-I. -Ilib/include
# Host builds of the portable code and the tests.
HOST_CFLAGS  := -std=c11 -D_DEFAULT_SOURCE -O1 -g -Wall -Wextra -I. \
	-Werror=implicit-function-declaration
HOST_LDLIBS  :=

# $(call flags_file,NAME,FLAGS): the path of build/flags/NAME, a file that
# holds FLAGS and is rewritten only when they change.  Make sees files, not
# flags: a rule that lists it as a prerequisite is redone when its flags
# change (in a tree built before; a clean build makes everything anyway).
# Call it once per NAME, into a := variable (it runs at parse time).
flags_file = $(shell mkdir -p $(B)/flags && f=$(B)/flags/$(1) && v='$(strip $(2))' && \
	{ [ "$$(cat $$f 2>/dev/null)" = "$$v" ] || printf '%s\n' "$$v" >$$f; } && echo $$f)

# Lists the fragments append to.
ALL_TARGETS  :=   # built by `make` / `make all`
HOST_TESTS   :=   # Criterion binaries, run by the test runner
TEST_SCRIPTS :=   # other tests (QEMU, differential, fuzz): exit 0 = pass
BENCH_CMDS   :=   # commands `make bench` runs in order
SOAK_CMDS    :=   # long campaigns `make soak` runs in order (not part of make test)

# Subsystem fragments first; mk/*.mk (the boot image, which packs what
# the others built) last, when every list is complete.
FRAGMENTS := $(sort $(shell find . -name '*.mk' -not -path './$(B)/*' -not -path './.git/*' -not -path './mk/*'))
include $(FRAGMENTS)
include $(sort $(wildcard mk/*.mk))

.PHONY: all deps run test bench soak debug clean
all: $(ALL_TARGETS)

deps:
	@tools/install-deps.sh

# A target that fails to build does not hide the other results: the runner
# counts a missing test binary as a failure, and the build status too.
test: deps
	@mkdir -p $(B)
	@$(MAKE) --no-print-directory -k all $(HOST_TESTS) >$(B)/build.log 2>&1 \
		|| { grep -E 'error|Error' $(B)/build.log | head -n 30; touch $(B)/.build-failed; }
	@BUILD_FAILED=$$(test -f $(B)/.build-failed && echo 1); rm -f $(B)/.build-failed; \
	BUILD_FAILED=$$BUILD_FAILED tools/run-tests.sh $(addprefix criterion:,$(HOST_TESTS)) $(addprefix script:,$(TEST_SCRIPTS))

bench: deps
	@$(MAKE) --no-print-directory all
	@set -e; $(foreach c,$(BENCH_CMDS),$(c);)

# Each campaign prints its counts; the runner's summary line ends it.
soak: deps
	@$(MAKE) --no-print-directory all
	@tools/run-tests.sh $(addprefix script:,$(SOAK_CMDS))

clean:
	rm -rf $(B)

$(B)/%/.dir:
	@mkdir -p $(@D) && touch $@
