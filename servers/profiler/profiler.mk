# servers/profiler/: the profiler server (build/profiler.elf): set-up, the
# portable work (prof_serve.c), the jit client it calls the jit server
# with; its own client library for init; the host test of both; the
# fuzz target (tests/servers/fuzz/fuzz_prof.c, tests/servers/fuzz/fuzz_prof.sh).
PROF_OBJS := $(patsubst %.c,$(B)/guest/servers/profiler/%.o,main.c prof_serve.c) \
	$(B)/guest/servers/jit/server/jit_client.o
$(eval $(call user_program,$(B)/profiler.elf,$(PROF_OBJS)))
ALL_TARGETS += $(B)/profiler.elf

$(B)/host/test_prof_serve: tests/servers/unit/test_prof_serve.c $(B)/host/servers/profiler/prof_serve.o \
		$(B)/host/servers/profiler/prof_client.o $(B)/host/servers/jit/server/jit_client.o \
		$(B)/host/lib/conn.o
	@mkdir -p $(@D)
	$(HOSTCC) $(HOST_CFLAGS) $^ -o $@ -lcriterion
HOST_TESTS += $(B)/host/test_prof_serve

# libFuzzer over prof_serve.c against hostile modules (tests/servers/fuzz/fuzz_prof.c):
# `make test` runs it for 30 s with a fixed seed (tests/servers/fuzz/fuzz_prof.sh),
# `make fuzz-prof` (and `make fuzz`) for FUZZ_SECONDS (600).
PROF_FUZZ_FLAGS := -std=c11 -D_DEFAULT_SOURCE -g -O1 -I. -fsanitize=fuzzer,address,undefined \
	-fno-sanitize-recover=undefined
$(B)/fuzz/fuzz_prof: tests/servers/fuzz/fuzz_prof.c servers/profiler/prof_serve.c \
		servers/jit/server/jit_client.c lib/conn.c
	@mkdir -p $(@D)
	$(CLANG) $(PROF_FUZZ_FLAGS) $^ -o $@
ALL_TARGETS  += $(B)/fuzz/fuzz_prof
TEST_SCRIPTS += tests/servers/fuzz/fuzz_prof.sh

.PHONY: fuzz fuzz-prof
fuzz: fuzz-prof
fuzz-prof: $(B)/fuzz/fuzz_prof
	FUZZ_SEED=$${FUZZ_SEED:-0} tests/servers/fuzz/fuzz_prof.sh $${FUZZ_SECONDS:-600}
