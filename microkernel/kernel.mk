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

# The kernel never computes with the x87, MMX or SSE units: it only moves
# tasks' states (arch/x86/fpu.c), so gcc must not use them for its own code
# (tests/kernel/image/nofpu.sh checks the linked image).  lib/lib.mk does
# the same for the lib/ objects the kernel links.
KERNEL_NOFPU := -mno-80387 -mno-mmx -mno-sse -mno-sse2
$(patsubst %.c,$(B)/guest/%.o,$(KERNEL_C)): GUEST_CFLAGS += $(KERNEL_NOFPU)

$(B)/guest/%.o: %.asm
	@mkdir -p $(@D)
	$(NASM) -f elf32 -g -o $@ $<

$(KERNEL_ELF): $(KERNEL_OBJS) $(B)/guest/lib/libbf.a linker.ld
	$(LD32) -m elf_i386 -z noexecstack -T linker.ld -o $@ $(KERNEL_OBJS) $(B)/guest/lib/libbf.a

ALL_TARGETS += $(KERNEL_ELF)
