# tests/guest/: ring-3 programs that exist only for the QEMU tests.
# utest_fpu.c and utest_printf.c (the floating-point roles) alone compute
# in SSE and x87.  The printf role links the module runtime's printf and
# libm objects and checks them against a table the host's glibc made.
$(B)/guest/tests/guest/utest_fpu.o: GUEST_CFLAGS += -msse2 -mfpmath=sse
$(B)/guest/tests/guest/utest_printf.o: GUEST_CFLAGS += $(RT_MATH_CFLAGS) -I$(B)/guest
$(B)/guest/tests/guest/utest_printf.o: $(B)/guest/printf_cases.h
$(B)/host/printf_cases_gen: tests/guest/printf_cases_gen.c $(B)/host/libm/bfm.o
	$(HOSTCC) $(HOST_CFLAGS) $^ -o $@ -lm
$(B)/guest/printf_cases.h: $(B)/host/printf_cases_gen
	@mkdir -p $(@D)
	$< >$@.tmp && mv $@.tmp $@
UTEST_OBJS := $(B)/guest/tests/guest/utest.o $(B)/guest/tests/guest/utest_fpu.o \
	$(B)/guest/tests/guest/utest_printf.o $(B)/guest/lib/rt/printf.o $(RT_MATH_OBJS)
$(eval $(call user_program,$(B)/utest.elf,$(UTEST_OBJS)))
ALL_TARGETS += $(B)/utest.elf
