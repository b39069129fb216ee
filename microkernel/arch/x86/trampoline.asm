; The first instructions of an application processor.  The boot CPU copies
; these bytes to 0x8000 (smp.c) and sends a startup IPI with vector 0x08:
; the AP starts here in real mode at 0800:0000.  It loads a flat GDT of
; its own (these bytes), enters 32-bit protected mode and jumps to
; ap_entry in the kernel (boot.asm), which turns paging on.  The code is
; only ever executed from the copy, so every address is TRAMP + offset.

TRAMP equ 0x8000

section .text
bits 16
global ap_tramp_start, ap_tramp_end
extern ap_entry
ap_tramp_start:
	cli
	cld
	xor ax, ax
	mov ds, ax
	lgdt [TRAMP + (tgdtr - ap_tramp_start)]
	mov eax, cr0
	or eax, 1			; PE
	mov cr0, eax
	jmp dword 0x08:(TRAMP + (pm32 - ap_tramp_start))
bits 32
pm32:
	mov ax, 0x10
	mov ds, ax
	mov es, ax
	mov fs, ax
	mov gs, ax
	mov ss, ax
	mov eax, ap_entry
	jmp eax
align 8
tgdt:
	dq 0
	dq 0x00CF9A000000FFFF		; code: flat, 32-bit, ring 0
	dq 0x00CF92000000FFFF		; data: flat, ring 0
tgdtr:
	dw 23
	dd TRAMP + (tgdt - ap_tramp_start)
ap_tramp_end:
