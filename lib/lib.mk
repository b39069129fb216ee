# lib/: the freestanding C library subset shared by the kernel, servers and
# module runtime (guest), and its host build for the tests.
LIB_SRCS := lib/string.c lib/fmt.c lib/divmod64.c lib/mulo64.c lib/abi_names.c lib/conn.c
LIB_GUEST_OBJS := $(patsubst %.c,$(B)/guest/%.o,$(LIB_SRCS))
# linked into the kernel, which must not use the FPU (microkernel/kernel.mk)
$(LIB_GUEST_OBJS): GUEST_CFLAGS += -mno-80387 -mno-mmx -mno-sse -mno-sse2
$(B)/guest/lib/libbf.a: $(LIB_GUEST_OBJS)
	$(AR32) rcs $@ $^

$(B)/guest/%.o: %.c
	@mkdir -p $(@D)
	$(CC32) $(GUEST_CFLAGS) -MMD -MP -c $< -o $@

$(B)/host/%.o: %.c
	@mkdir -p $(@D)
	$(HOSTCC) $(HOST_CFLAGS) -MMD -MP -c $< -o $@

-include $(shell find $(B) -name '*.d' 2>/dev/null)

$(B)/host/test_lib: tests/lib/unit/test_lib.c $(B)/host/lib/fmt.o
	@mkdir -p $(@D)
	$(HOSTCC) $(HOST_CFLAGS) $^ -o $@ -lcriterion

ALL_TARGETS += $(B)/guest/lib/libbf.a
HOST_TESTS  += $(B)/host/test_lib
