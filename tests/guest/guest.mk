# tests/guest/: ring-3 programs that exist only for the QEMU tests.
# utest_fpu.c (the floating-point roles) alone computes in SSE and x87.
$(B)/guest/tests/guest/utest_fpu.o: GUEST_CFLAGS += -msse2 -mfpmath=sse
$(eval $(call user_program,$(B)/utest.elf,$(B)/guest/tests/guest/utest.o $(B)/guest/tests/guest/utest_fpu.o))
ALL_TARGETS += $(B)/utest.elf
