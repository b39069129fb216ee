# QEMU integration tests (each boots the kernel; every run has a timeout).
TEST_SCRIPTS += tests/qemu/expect_in_order_test.sh tests/qemu/selftests.sh tests/qemu/modules.sh tests/qemu/no_nx.sh tests/qemu/shell.sh \
	tests/qemu/grub_iso.sh tests/qemu/pipe_input.sh tests/qemu/isolation_shell.sh tests/qemu/secure.sh \
	tests/qemu/make_module.sh tests/qemu/attacks.sh tests/qemu/smp.sh
SOAK_CMDS += tests/qemu/soak_syscalls.sh
