# servers/fs/: the FAT16 core and the ATA PIO driver (portable C, built for
# the guest and host-tested), the fs server's request handling, the server
# itself (main.c, and its in-guest self-test fs_selftest.c), its client
# library, and their tests.  See docs/fat16.md and
# docs/fs-protocol.md.
FS_CORE_SRCS  := $(addprefix servers/fs/,fat_err.c fat_mount.c fat_part.c fat_table.c fat_name.c \
	fat_dir.c fat_path.c fat_file.c)
FS_SRCS       := $(FS_CORE_SRCS) servers/fs/ata.c servers/fs/fs_serve.c

# Guest: core + driver + request handling, freestanding i386 (the server
# links these; building them proves the code is portable).
FS_GUEST_OBJS := $(patsubst %.c,$(B)/guest/%.o,$(FS_SRCS))
$(B)/guest/servers/fs/libfs.a: $(FS_GUEST_OBJS)
	$(AR32) rcs $@ $^

# The fs server (a ring-3 boot module that init starts).
$(eval $(call user_program,$(B)/fs.elf,$(B)/guest/servers/fs/main.o \
	$(B)/guest/servers/fs/fs_selftest.o $(FS_GUEST_OBJS)))

# Client library for init's shell and other tasks.
FS_CLIENT_GUEST_OBJS := $(B)/guest/servers/fs/fs_client.o
$(B)/guest/servers/fs/libfsclient.a: $(FS_CLIENT_GUEST_OBJS)
	$(AR32) rcs $@ $^

# Host tests: Criterion binaries over images made at test time.
FS_HOST_TEST := $(patsubst %.c,$(B)/host/%.o,$(FS_CORE_SRCS) servers/fs/fs_serve.c \
	servers/fs/fs_client.c tests/fs/lib/memdev.c tests/fs/lib/fatimg.c tests/fs/lib/mtcheck.c) \
	$(B)/host/lib/fmt.o $(B)/host/lib/conn.o
FS_CRITERION := test_fat_read test_fat_write test_fat_corrupt test_fat_server test_fat_client test_ata
$(B)/host/test_fat_%: tests/fs/unit/test_fat_%.c $(FS_HOST_TEST)
	@mkdir -p $(@D)
	$(HOSTCC) $(HOST_CFLAGS) $^ -o $@ -lcriterion
$(B)/host/test_ata: tests/fs/unit/test_ata.c $(B)/host/servers/fs/ata.o $(FS_HOST_TEST)
	@mkdir -p $(@D)
	$(HOSTCC) $(HOST_CFLAGS) $^ -o $@ -lcriterion

# Script tests: random operations vs a model (judged by fsck.fat, mdir,
# mtype), crash cuts after every sector write, and the benchmark tool.
$(B)/host/fat_random $(B)/host/fat_crash: $(B)/host/fat_%: tests/fs/model/fat_%.c $(FS_HOST_TEST)
	@mkdir -p $(@D)
	$(HOSTCC) $(HOST_CFLAGS) $^ -o $@
$(B)/host/fat_bench: bench/fs/fat_bench.c $(FS_HOST_TEST)
	@mkdir -p $(@D)
	$(HOSTCC) $(HOST_CFLAGS) -O2 $^ -o $@

# libFuzzer targets (ASan + UBSan): corrupt images, operation sequences.
FUZZ_FLAGS := -std=c11 -D_DEFAULT_SOURCE -g -O1 -I. -fsanitize=fuzzer,address,undefined \
	-fno-sanitize-recover=undefined
$(B)/fuzz/fuzz_fat $(B)/fuzz/fuzz_fat_ops: $(B)/fuzz/%: tests/fs/fuzz/%.c $(FS_CORE_SRCS) lib/fmt.c
	@mkdir -p $(@D)
	$(CLANG) $(FUZZ_FLAGS) $^ -o $@

.PHONY: fuzz-fs
fuzz-fs: $(B)/fuzz/fuzz_fat $(B)/fuzz/fuzz_fat_ops
	FUZZ_SEED=$${FUZZ_SEED:-0} tests/fs/fuzz/fuzz.sh $${FUZZ_SECONDS:-600}

ALL_TARGETS  += $(B)/guest/servers/fs/libfs.a $(B)/fs.elf $(B)/guest/servers/fs/libfsclient.a \
	$(B)/host/fat_random $(B)/host/fat_crash $(B)/host/fat_bench \
	$(B)/fuzz/fuzz_fat $(B)/fuzz/fuzz_fat_ops
HOST_TESTS   += $(addprefix $(B)/host/,$(FS_CRITERION))
TEST_SCRIPTS += $(B)/host/fat_random $(B)/host/fat_crash tests/fs/fuzz/fuzz.sh tests/fs/qemu/qemu_fs.sh \
	tests/fs/qemu/qemu_throttle.sh tests/fs/qemu/qemu_kill.sh tests/fs/qemu/disk_errors.sh
SOAK_CMDS    += tests/fs/qemu/qemu_kill_soak.sh
BENCH_CMDS   += $(B)/host/fat_bench bench/fs/bench_qemu.sh
