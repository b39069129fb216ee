# servers/profiler/: the profiler server (build/profiler.elf).
PROF_OBJS := $(patsubst %.c,$(B)/guest/%.o,$(wildcard servers/profiler/*.c))
$(eval $(call user_program,$(B)/profiler.elf,$(PROF_OBJS)))
ALL_TARGETS += $(B)/profiler.elf
