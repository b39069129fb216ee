# servers/init/: the first task (server starter, supervisor, shell, selftests),
# with the client libraries of the fs, jit and profiler servers.
INIT_OBJS := $(patsubst %.c,$(B)/guest/%.o,$(wildcard servers/init/*.c)) $(B)/guest/init/expected.o \
	$(B)/guest/servers/fs/fat_err.o $(B)/guest/servers/fs/fs_client.o \
	$(B)/guest/servers/jit/server/jit_client.o $(B)/guest/servers/profiler/prof_client.o

# The expected result of every module (computed natively at build time).
$(B)/init/expected.c: $(B)/modules/expected.txt
	@mkdir -p $(@D)
	@{ echo '/* generated from build/modules/expected.txt */'; \
	   echo '#include "servers/init/modrun.h"'; \
	   echo 'const struct expected expected_results[] = {'; \
	   awk '{ printf "\t{ \"%s\", %s, %s },\n", $$1, $$2, $$3 }' $<; \
	   echo '};'; \
	   echo 'const unsigned expected_count = sizeof expected_results / sizeof expected_results[0];'; } >$@
$(B)/guest/init/expected.o: $(B)/init/expected.c
	@mkdir -p $(@D)
	$(CC32) $(GUEST_CFLAGS) -c $< -o $@

$(eval $(call user_program,$(B)/init.elf,$(INIT_OBJS)))
ALL_TARGETS += $(B)/init.elf
