; Interrupt entry stubs.  Every vector builds the same trap frame
; (struct trapframe in task.h) and calls trap(); trapret unwinds it.
; Vectors that push no error code get a 0 so the frame is uniform.

%macro ISR_NOERR 1
global isr%1
isr%1:
	push dword 0
	push dword %1
	jmp trap_common
%endmacro
%macro ISR_ERR 1
global isr%1
isr%1:
	push dword %1
	jmp trap_common
%endmacro

section .text
%assign i 0
%rep 48
 %if i == 8 || i == 10 || i == 11 || i == 12 || i == 13 || i == 14 || i == 17 || i == 21
	ISR_ERR i
 %else
	ISR_NOERR i
 %endif
 %assign i i+1
%endrep
	ISR_NOERR 128

extern trap
trap_common:
	pusha
	push ds
	push es
	push fs
	push gs
	mov ax, 0x10
	mov ds, ax
	mov es, ax
	mov fs, ax
	mov gs, ax
	cld
	push esp
	call trap
	add esp, 4
global trapret
trapret:
	pop gs
	pop fs
	pop es
	pop ds
	popa
	add esp, 8
	iret

; void swtch(uint32_t *save_esp, uint32_t new_esp)
; Saves the callee-saved registers on this kernel stack, records it, and
; resumes the other stack where its own swtch (or a fresh frame) left it.
global swtch
swtch:
	mov eax, [esp + 4]
	mov edx, [esp + 8]
	push ebp
	push ebx
	push esi
	push edi
	mov [eax], esp
	mov esp, edx
	pop edi
	pop esi
	pop ebx
	pop ebp
	ret

section .rodata
global isr_table
isr_table:
%assign i 0
%rep 48
	dd isr %+ i
 %assign i i+1
%endrep
