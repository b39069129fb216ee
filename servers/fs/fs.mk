# servers/fs/: the FAT16 core (portable, host-tested), the ATA PIO driver
# (portable over a port-I/O interface, host-tested against a simulated
# controller) and their tests.  See docs/fat16.md and docs/fs-protocol.md.
FS_CORE_SRCS := $(addprefix servers/fs/,fat_err.c fat_mount.c fat_table.c fat_name.c \
	fat_dir.c fat_path.c fat_file.c)
FS_ATA_SRCS  := servers/fs/ata.c
FS_SERVE_SRCS := servers/fs/fs_serve.c
FS_SRCS      := $(FS_CORE_SRCS) $(FS_ATA_SRCS) $(FS_SERVE_SRCS)

# Guest: the core + driver compiled freestanding for i386 (proves portability;
# the server links this archive).
FS_GUEST_OBJS := $(patsubst %.c,$(B)/guest/%.o,$(FS_SRCS))
$(B)/guest/servers/fs/libfs.a: $(FS_GUEST_OBJS)
	$(AR32) rcs $@ $^

# Host objects for the tests.
FS_HOST_CORE := $(patsubst %.c,$(B)/host/%.o,$(FS_CORE_SRCS)) $(B)/host/lib/fmt.o
FS_HOST_TEST := $(FS_HOST_CORE) $(B)/host/servers/fs/fs_serve.o $(B)/host/servers/fs/fs_client.o $(B)/host/tests/fs/memdev.o $(B)/host/tests/fs/fatimg.o $(B)/host/tests/fs/mtcheck.o

FS_CRITERION := $(patsubst tests/host/%.c,%,$(wildcard tests/host/test_fat_*.c tests/host/test_ata.c))
$(B)/host/test_fat_%: tests/host/test_fat_%.c $(FS_HOST_TEST)
	@mkdir -p $(@D)
	$(HOSTCC) $(HOST_CFLAGS) $^ -o $@ -lcriterion
$(B)/host/test_ata: tests/host/test_ata.c $(B)/host/servers/fs/ata.o $(FS_HOST_TEST)
	@mkdir -p $(@D)
	$(HOSTCC) $(HOST_CFLAGS) $^ -o $@ -lcriterion

# Script tests: random operations vs a model (fsck.fat + mtools judge), crash
# cuts after every sector write, bounded fuzzing.
$(B)/host/fat_random: tests/fs/fat_random.c $(FS_HOST_TEST)
	@mkdir -p $(@D)
	$(HOSTCC) $(HOST_CFLAGS) $^ -o $@
$(B)/host/fat_crash: tests/fs/fat_crash.c $(FS_HOST_TEST)
	@mkdir -p $(@D)
	$(HOSTCC) $(HOST_CFLAGS) $^ -o $@

FUZZ_FLAGS := -std=c11 -D_DEFAULT_SOURCE -g -O1 -I. -fsanitize=fuzzer,address,undefined \
	-fno-sanitize-recover=undefined
$(B)/fuzz/fuzz_fat: tests/fuzz/fuzz_fat.c $(FS_CORE_SRCS) lib/fmt.c
	@mkdir -p $(@D)
	$(CLANG) $(FUZZ_FLAGS) $^ -o $@

ALL_TARGETS  += $(B)/guest/servers/fs/libfs.a
HOST_TESTS   += $(addprefix $(B)/host/,$(FS_CRITERION))
ifneq ($(wildcard tests/fs/fat_random.c),)
ALL_TARGETS  += $(B)/host/fat_random
TEST_SCRIPTS += $(B)/host/fat_random
endif
ifneq ($(wildcard tests/fs/fat_crash.c),)
ALL_TARGETS  += $(B)/host/fat_crash
TEST_SCRIPTS += $(B)/host/fat_crash
endif
ifneq ($(wildcard tests/fuzz/fuzz_fat.c),)
ALL_TARGETS  += $(B)/fuzz/fuzz_fat
TEST_SCRIPTS += tests/fs/fuzz.sh
endif

.PHONY: fuzz-fs
fuzz-fs: $(B)/fuzz/fuzz_fat $(B)/fuzz/fuzz_fat_ops
	tests/fs/fuzz.sh $${FUZZ_SECONDS:-600}

# Host benchmark of the core's data path (make bench).
$(B)/host/fat_bench: tests/fs/fat_bench.c $(FS_HOST_TEST)
	@mkdir -p $(@D)
	$(HOSTCC) $(HOST_CFLAGS) -O2 $^ -o $@
ALL_TARGETS += $(B)/host/fat_bench
BENCH_CMDS  += $(B)/host/fat_bench

# The fs server itself (a ring-3 boot module started by init).
FS_SERVER_OBJS := $(B)/guest/servers/fs/main.o $(FS_GUEST_OBJS)
$(eval $(call user_program,$(B)/fs.elf,$(FS_SERVER_OBJS)))
ALL_TARGETS += $(B)/fs.elf
TEST_SCRIPTS += tests/fs/qemu_fs.sh
BENCH_CMDS   += tests/fs/bench_qemu.sh

# Client library for init's shell and other tasks (guest), and its host build.
FS_CLIENT_GUEST_OBJS := $(B)/guest/servers/fs/fs_client.o $(B)/guest/servers/fs/fs_client_sys.o
$(B)/guest/servers/fs/libfsclient.a: $(FS_CLIENT_GUEST_OBJS)
	$(AR32) rcs $@ $^
ALL_TARGETS += $(B)/guest/servers/fs/libfsclient.a
$(B)/fuzz/fuzz_fat_ops: tests/fuzz/fuzz_fat_ops.c $(FS_CORE_SRCS) lib/fmt.c
	@mkdir -p $(@D)
	$(CLANG) $(FUZZ_FLAGS) $^ -o $@
ifneq ($(wildcard tests/fuzz/fuzz_fat_ops.c),)
ALL_TARGETS += $(B)/fuzz/fuzz_fat_ops
endif
