# microkernel/: the ring-0 kernel, linked at 1 MiB (linker.ld).
KERNEL_C   := $(wildcard microkernel/*.c microkernel/verify/*.c microkernel/arch/x86/*.c)
KERNEL_ASM := $(wildcard microkernel/arch/x86/*.asm)
KERNEL_OBJS := $(patsubst %.c,$(B)/guest/%.o,$(KERNEL_C)) \
	       $(patsubst %.asm,$(B)/guest/%.o,$(KERNEL_ASM))
KERNEL_ELF := $(B)/kernel.elf
# what the kernel trusts of the runtime (lib/rt/rt.mk)
KERNEL_OBJS += $(B)/guest/rt/rt_kernel.o
$(B)/guest/rt/rt_kernel.o: $(B)/rt/rt_kernel.c
	@mkdir -p $(@D)
	$(CC32) $(GUEST_CFLAGS) -c $< -o $@

$(B)/guest/%.o: %.asm
	@mkdir -p $(@D)
	$(NASM) -f elf32 -g -o $@ $<

$(KERNEL_ELF): $(KERNEL_OBJS) $(B)/guest/lib/libbf.a linker.ld
	$(LD32) -m elf_i386 -z noexecstack -T linker.ld -o $@ $(KERNEL_OBJS) $(B)/guest/lib/libbf.a

ALL_TARGETS += $(KERNEL_ELF)
