# QEMU integration tests (each boots the kernel; every run has a timeout).
QBOOT := tests/qemu/boot.sh --timeout 60
TEST_SCRIPTS += "$(QBOOT) -- test=ipc" "$(QBOOT) -- test=grant" \
	"$(QBOOT) -- test=faults" "$(QBOOT) -- test=syscalls" \
	"$(QBOOT) -- test=code" "$(QBOOT) -- test=restart" \
	"tests/qemu/no_nx.sh" "tests/qemu/shell.sh" "tests/qemu/grub_iso.sh"
