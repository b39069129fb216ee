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
; the syscall trap (int 0x80) has its own way in: the same frame, but
; straight to trap_syscall, past trap()'s sorting of vectors
global isr128
isr128:
	push dword 0
	push dword 128
	pusha
	push ds
	push es
	push fs
	push gs
	mov ax, 0x10
	mov ds, ax
	mov es, ax
	mov fs, ax
	mov ax, 0x30		; SEG_PERCPU
	mov gs, ax
	cld
	push esp
	call trap_syscall
	add esp, 4
	jmp trapret
; the local APIC's vectors (apic.h): timer, reschedule, mailbox, halt, spurious
	ISR_NOERR 64
	ISR_NOERR 65
	ISR_NOERR 66
	ISR_NOERR 67
	ISR_NOERR 255

extern trap
extern trap_syscall
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
	mov ax, 0x30		; SEG_PERCPU: this CPU's struct cpu (gdt.c)
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

; A new task's first context (task.c): schedule() switched to it holding
; the big kernel lock, which the end of a trap() would have given back.
global task_first_run
extern kernel_unlock
task_first_run:
	call kernel_unlock
	jmp trapret

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

; The IPC fast path's switch (sched.c sched_handoff), under the big lock:
; void swtch_direct(uint32_t *save_esp, uint32_t *save_ctx, uint32_t new_esp, uint32_t *new_ctx, uint32_t new_tf)
; The task we leave is in a syscall that has nothing left to do but go
; back to ring 3: its C frames are dropped and it is recorded to resume at
; fast_resume (save_ctx: 4 words for swtch to pop, fast_resume, its trap
; frame), so whoever switches to it (swtch or this) sends it straight to
; trap_exit and ring 3.  The task we go to: if it left the same way
; (new_esp == new_ctx), its trap frame is all it has: go there directly;
; else its stack was saved by swtch, resume it as swtch would.
global swtch_direct
swtch_direct:
	mov eax, [esp + 4]
	mov edx, [esp + 8]
	mov [eax], edx		; prev->kesp = prev's resume frame
	mov eax, [esp + 12]
	cmp eax, [esp + 16]
	jne .stack
	mov esp, [esp + 20]	; next's trap frame
	jmp fast_exit
.stack:
	mov esp, eax
	pop edi
	pop esi
	pop ebx
	pop ebp
	ret

; A task that left by swtch_direct resumes here (ret from a swtch or the
; pops above), with esp at the last word of its resume frame: its frame.
global fast_resume
extern trap_exit
fast_resume:
	mov esp, [esp]
fast_exit:
	call trap_exit		; zombie / resched, then the lock goes back
	jmp trapret

section .rodata
global isr_table
isr_table:
%assign i 0
%rep 48
	dd isr %+ i
 %assign i i+1
%endrep
