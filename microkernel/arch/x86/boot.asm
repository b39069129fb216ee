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

; An application processor, from the trampoline (trampoline.asm): 32-bit
; protected mode, flat segments, paging off.  Paging goes on here, in the
; kernel's text -- identity mapped and executable -- so the instruction
; after `mov cr0` is fetched through the page tables from code the kernel
; maps R+X.  CR4 (PAE, PGE, SMEP, SMAP) is the boot CPU's; CR3 the
; kernel-only tables; CR0 with caches on (INIT leaves CD and NW set).
global ap_entry
extern ap_main, ap_boot_esp, ap_boot_cr3, ap_boot_cr4
ap_entry:
	mov eax, [ap_boot_cr4]
	mov cr4, eax
	mov ecx, 0xC0000080		; EFER.NXE
	rdmsr
	or eax, 1 << 11
	wrmsr
	mov eax, [ap_boot_cr3]
	mov cr3, eax
	mov eax, cr0
	and eax, 0x9FFFFFFF		; CD, NW off
	or eax, 0x80010000		; PG, WP
	mov cr0, eax
	mov esp, [ap_boot_esp]
	xor ebp, ebp
	call ap_main
.hang:
	cli
	hlt
	jmp .hang
