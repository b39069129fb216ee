# The bootable image: GRUB ISO with the kernel and every ring-3 boot module,
# plus the FAT16 disks the fs server reads.  `make run` and `make debug`.
#
# Two disks: build/disk.img is yours -- `make run` attaches it, writes
# persist, and a rebuild only copies changed modules onto it in place
# (never mkfs), so your files survive.  build/test-disk.img is the tests'
# own, made fresh from the modules, so nothing you do at the shell changes
# what the tests see.  `make run DISK=path/to/your.img` boots with any
# other FAT16 image instead; the build never writes to it.
BOOT_MODULES := $(B)/init.elf:init $(B)/utest.elf:utest $(B)/rt/rt.bin:rt $(foreach s,fs profiler jit,\
	$(if $(filter $(B)/$(s).elf,$(ALL_TARGETS)),$(B)/$(s).elf:$(s)))
DISK_FILES  ?= README.md
ISO := $(B)/bareflow.iso
RUN_DISK  := $(B)/disk.img
TEST_DISK := $(B)/test-disk.img
DISK ?= $(RUN_DISK)
SMP ?= 2

$(ISO): $(KERNEL_ELF) $(foreach m,$(BOOT_MODULES),$(firstword $(subst :, ,$(m)))) tools/mkiso.sh tools/grub.cfg.in
	tools/mkiso.sh $@ $(KERNEL_ELF) "" $(BOOT_MODULES)

$(TEST_DISK): $(DISK_FILES) tools/mkdisk.sh
	tools/mkdisk.sh $@ $(DISK_FILES)

# made once (all modules), then brought up to date file by file
$(RUN_DISK): | $(DISK_FILES)
	tools/mkdisk.sh --update $@ $(DISK_FILES)
$(B)/disk.stamp: $(DISK_FILES) | $(RUN_DISK)
	tools/mkdisk.sh --update $(RUN_DISK) $(filter $(DISK_FILES),$?)
	@touch $@

ALL_TARGETS += $(ISO) $(TEST_DISK) $(B)/disk.stamp

run: deps
	@$(MAKE) --no-print-directory all
	@SMP=$(SMP) tools/run-qemu.sh $(ISO) $(DISK)

debug: deps
	@$(MAKE) --no-print-directory all
	@echo "QEMU waits for gdb on :1234; gdb has the kernel's symbols."
	@qemu-system-i386 -cpu max -m 128 -display none -serial file:$(B)/debug-serial.log \
		-no-reboot -device isa-debug-exit,iobase=0xf4,iosize=0x04 \
		-drive file=$(DISK),format=raw,if=ide,index=0 -cdrom $(ISO) -boot d -s -S & \
	gdb -q $(KERNEL_ELF) -ex 'set architecture i386' -ex 'target remote :1234' \
		-ex 'break kmain' -ex 'continue'; kill %1 2>/dev/null; true
TEST_SCRIPTS += tests/fs/qemu/disk_images.sh
