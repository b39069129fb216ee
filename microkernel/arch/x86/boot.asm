; Multiboot (v1) entry.  GRUB or QEMU's -kernel loader jumps here in 32-bit
; protected mode with paging off, EAX = multiboot magic, EBX = info pointer.
; We set up the boot stack and call kmain(magic, info); paging, GDT and IDT
; are built in C.

MB_MAGIC  equ 0x1BADB002
MB_FLAGS  equ (1 << 0) | (1 << 1)        ; page-aligned modules, memory map
MB_CHECK  equ -(MB_MAGIC + MB_FLAGS)

section .multiboot
align 4
	dd MB_MAGIC
	dd MB_FLAGS
	dd MB_CHECK

section .bss
align 16
global boot_stack_top
boot_stack:
	resb 16384
boot_stack_top:

section .text
global _start
extern kmain
_start:
	cli
	mov esp, boot_stack_top
	xor ebp, ebp
	push ebx
	push eax
	call kmain
.hang:
	cli
	hlt
	jmp .hang
