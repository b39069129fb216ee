# lib/rt/: the module runtime, linked at RT_BASE as a flat read+execute
# blob (build/rt/rt.bin) that the jit server embeds and installs into every
# module task, with a symbol table (build/rt/rt_syms.c) for linking JIT code
# against it.  A writable section in it is a build error: runtime code must
# be installable read+execute.
RT_OBJS := $(B)/guest/lib/rt/entry.o $(B)/guest/lib/rt/harness.o $(B)/guest/lib/string.o \
	$(B)/guest/lib/divmod64.o $(B)/guest/lib/mulo64.o $(B)/guest/lib/fmt.o $(B)/guest/lib/user/syscall.o \
	$(B)/guest/lib/user/sys.o

$(B)/rt/rt.elf: $(RT_OBJS) lib/rt/rt.ld
	@mkdir -p $(@D)
	$(LD32) -m elf_i386 -z noexecstack -T lib/rt/rt.ld -o $@ $(RT_OBJS)
	@if [ -n "$$($(CROSS)size -A $@ | awk '$$1 == ".data" && $$2 > 0')" ]; then \
		echo "lib/rt: the runtime has writable data; it must not"; rm -f $@; exit 1; fi

$(B)/rt/rt.bin: $(B)/rt/rt.elf
	$(OBJCOPY32) -O binary -j .text $< $@

# name -> address for every global function of the runtime
$(B)/rt/rt_syms.c: $(B)/rt/rt.elf
	@{ echo '/* generated from rt.elf by lib/rt/rt.mk */'; \
	   echo '#include "servers/jit/server/rtsyms.h"'; \
	   echo 'const struct rt_sym rt_syms[] = {'; \
	   $(CROSS)nm -g --defined-only $< | awk '$$2 == "T" { printf "\t{ \"%s\", 0x%s },\n", $$3, $$1 }'; \
	   echo '};'; \
	   echo 'const unsigned rt_nsyms = sizeof rt_syms / sizeof rt_syms[0];'; } >$@
