# servers/init/: the first task (server starter, supervisor, shell, selftests).
INIT_OBJS := $(patsubst %.c,$(B)/guest/%.o,$(wildcard servers/init/*.c))
$(eval $(call user_program,$(B)/init.elf,$(INIT_OBJS)))
ALL_TARGETS += $(B)/init.elf
