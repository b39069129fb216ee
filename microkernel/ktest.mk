# Host (Criterion) tests of the portable kernel files.
KHOST := $(B)/host/microkernel
# code.c asks secure.c (and so the verifier) about every install
KSECURE := $(KHOST)/secure.o $(KHOST)/verify/verify.o $(KHOST)/verify/x86dec.o
$(B)/host/test_kframe: tests/kernel/unit/test_kframe.c $(KHOST)/frame.o
	$(HOSTCC) $(HOST_CFLAGS) $^ -o $@ -lcriterion
$(B)/host/test_kvm: tests/kernel/unit/test_kvm.c $(B)/host/tests/kernel/unit/kernel_env.o $(KHOST)/frame.o $(KHOST)/vm.o
	$(HOSTCC) $(HOST_CFLAGS) $^ -o $@ -lcriterion
$(B)/host/test_kelf: tests/kernel/unit/test_kelf.c $(KHOST)/elf.o | $(B)/utest.elf
	$(HOSTCC) $(HOST_CFLAGS) $^ -o $@ -lcriterion
$(B)/host/test_kipc: tests/kernel/unit/test_kipc.c $(B)/host/tests/kernel/unit/kernel_env.o $(KHOST)/frame.o \
		$(KHOST)/vm.o $(KHOST)/cap.o $(KHOST)/ipc.o $(KHOST)/ipc_obj.o
	$(HOSTCC) $(HOST_CFLAGS) $^ -o $@ -lcriterion
$(B)/host/test_kcode: tests/kernel/unit/test_kcode.c $(B)/host/tests/kernel/unit/kernel_env.o $(KHOST)/frame.o \
		$(KHOST)/vm.o $(KHOST)/code.o $(KSECURE)
	$(HOSTCC) $(HOST_CFLAGS) $^ -o $@ -lcriterion
# The rights column: syscall.c and its handlers with task.c, uaccess.c and
# the hardware stubbed in the test.
KSYS := $(addprefix $(KHOST)/,syscall.o sys_task.o sys_ipc.o sys_mem.o sys_machine.o code.o \
	cap.o ipc.o ipc_obj.o vm.o frame.o) $(KSECURE)
$(B)/host/test_ksyscall: tests/kernel/unit/test_ksyscall.c $(B)/host/tests/kernel/unit/kernel_env.o $(KSYS)
	$(HOSTCC) $(HOST_CFLAGS) $^ -o $@ -lcriterion
$(B)/host/test_kisolate: tests/kernel/unit/test_kisolate.c $(B)/host/tests/kernel/unit/kernel_env.o $(KHOST)/frame.o \
		$(KHOST)/vm.o $(KHOST)/cap.o $(KHOST)/ipc.o $(KHOST)/ipc_obj.o
	$(HOSTCC) $(HOST_CFLAGS) $^ -o $@ -lcriterion
# The secure JIT's kernel side: secure.c with code.c.
$(B)/host/test_ksecure: tests/kernel/unit/test_ksecure.c $(B)/host/tests/kernel/unit/kernel_env.o $(KHOST)/frame.o \
		$(KHOST)/vm.o $(KHOST)/code.o $(KSECURE)
	$(HOSTCC) $(HOST_CFLAGS) $^ -o $@ -lcriterion
HOST_TESTS += $(B)/host/test_kisolate $(B)/host/test_ksecure
HOST_TESTS += $(B)/host/test_kframe $(B)/host/test_kvm $(B)/host/test_kelf $(B)/host/test_kipc \
	$(B)/host/test_kcode $(B)/host/test_ksyscall
# The linked kernel has no FPU code of its own (arch/x86/fpu.c only moves states).
TEST_SCRIPTS += tests/kernel/image/nofpu.sh
