# servers/profiler/: the profiler server (build/profiler.elf): set-up, the
# portable work (prof_serve.c), the jit client it calls the jit server
# with; its own client library for init; the host test of both.
PROF_OBJS := $(patsubst %.c,$(B)/guest/servers/profiler/%.o,main.c prof_serve.c) \
	$(B)/guest/servers/jit/server/jit_client.o
$(eval $(call user_program,$(B)/profiler.elf,$(PROF_OBJS)))
ALL_TARGETS += $(B)/profiler.elf

$(B)/host/test_prof_serve: tests/host/test_prof_serve.c $(B)/host/servers/profiler/prof_serve.o \
		$(B)/host/servers/profiler/prof_client.o $(B)/host/servers/jit/server/jit_client.o \
		$(B)/host/lib/conn.o
	@mkdir -p $(@D)
	$(HOSTCC) $(HOST_CFLAGS) $^ -o $@ -lcriterion
HOST_TESTS += $(B)/host/test_prof_serve
