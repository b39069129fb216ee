; Entry of every ring-3 program linked from C: the kernel starts us with
; ESP at the top of the stack and the spawn argument in EAX.
section .text
global _start
extern main
extern bf_exit
_start:
	xor ebp, ebp
	push eax
	call main
	push eax
	call bf_exit
.spin:	jmp .spin
