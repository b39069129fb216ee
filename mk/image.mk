# The bootable image: GRUB ISO with the kernel and every ring-3 boot module,
# plus the FAT16 disk the fs server reads.  `make run` and `make debug`.
BOOT_MODULES := $(B)/init.elf:init $(B)/utest.elf:utest $(foreach s,fs profiler jit,\
	$(if $(filter $(B)/$(s).elf,$(ALL_TARGETS)),$(B)/$(s).elf:$(s)))
DISK_FILES  ?= README.md
ISO := $(B)/bareflow.iso
DISK := $(B)/disk.img

$(ISO): $(KERNEL_ELF) $(foreach m,$(BOOT_MODULES),$(firstword $(subst :, ,$(m)))) tools/mkiso.sh tools/grub.cfg.in
	tools/mkiso.sh $@ $(KERNEL_ELF) "" $(BOOT_MODULES)

$(DISK): $(DISK_FILES) tools/mkdisk.sh
	tools/mkdisk.sh $@ $(DISK_FILES)

ALL_TARGETS += $(ISO) $(DISK)

run: deps
	@$(MAKE) --no-print-directory all
	@tools/run-qemu.sh $(ISO) $(DISK)

debug: deps
	@$(MAKE) --no-print-directory all
	@echo "QEMU waits for gdb on :1234; gdb has the kernel's symbols."
	@qemu-system-i386 -cpu max -m 128 -display none -serial file:$(B)/debug-serial.log \
		-no-reboot -device isa-debug-exit,iobase=0xf4,iosize=0x04 \
		-drive file=$(DISK),format=raw,if=ide,index=0 -cdrom $(ISO) -boot d -s -S & \
	gdb -q $(KERNEL_ELF) -ex 'set architecture i386' -ex 'target remote :1234' \
		-ex 'break kmain' -ex 'continue'; kill %1 2>/dev/null; true
