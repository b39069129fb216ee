; The first instruction of a module task: the kernel starts it with
; EAX = address of its struct rt_params (see lib/rt/rt.h).
section .text
global rt_entry
extern rt_main
rt_entry:
	xor ebp, ebp
	push eax
	call rt_main
.hang:	jmp .hang
