# lib/user/: what every ring-3 program links with: crt0, the syscall
# stubs and their C wrappers, the servers' receive/reply loop (plus lib/'s
# string, fmt and client connection code).
USER_LIB := $(B)/guest/lib/user/libuser.a
USER_LIB_OBJS := $(B)/guest/lib/user/crt0.o $(B)/guest/lib/user/syscall.o \
	$(B)/guest/lib/user/sys.o $(B)/guest/lib/user/serve.o
$(USER_LIB): $(filter-out $(B)/guest/lib/user/crt0.o,$(USER_LIB_OBJS))
	$(AR32) rcs $@ $^

# $(call user_program,OUTPUT.elf,OBJECTS): link a ring-3 ELF at USER_BASE.
define user_program
$(1): $(2) $(USER_LIB) $(B)/guest/lib/libbf.a $(B)/guest/lib/user/crt0.o lib/user/user.ld
	$$(LD32) -m elf_i386 -z noexecstack -T lib/user/user.ld -o $$@ \
		$(B)/guest/lib/user/crt0.o $(2) $(USER_LIB) $(B)/guest/lib/libbf.a
endef
