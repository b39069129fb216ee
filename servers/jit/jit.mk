# servers/jit/: the micro-JIT (LLVM IR -> x86-32).  The encoder and the
# compiler are portable C: built for the guest (into libjit.a, linked by the
# jit server) and for the host tests and tools (mjit).
JIT_CG_SRCS := servers/jit/x86/x86.c
JIT_CG_GUEST_OBJS := $(patsubst %.c,$(B)/guest/%.o,$(JIT_CG_SRCS))
JIT_CG_HOST_OBJS  := $(patsubst %.c,$(B)/host/%.o,$(JIT_CG_SRCS))

$(B)/guest/servers/jit/libjitcg.a: $(JIT_CG_GUEST_OBJS)
	$(AR32) rcs $@ $^

$(B)/host/test_x86: tests/host/test_x86.c $(B)/host/servers/jit/x86/x86.o
	@mkdir -p $(@D)
	$(HOSTCC) $(HOST_CFLAGS) $^ -o $@ -lcriterion

ALL_TARGETS += $(B)/guest/servers/jit/libjitcg.a
HOST_TESTS  += $(B)/host/test_x86
