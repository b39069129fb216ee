# tests/guest/: ring-3 programs that exist only for the QEMU tests.
$(eval $(call user_program,$(B)/utest.elf,$(B)/guest/tests/guest/utest.o))
ALL_TARGETS += $(B)/utest.elf
