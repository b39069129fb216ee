; The runtime's way into the kernel and its way into module code.
;
; bf_sys holds the one int 0x80 of the runtime: when a module task's
; syscalls are pinned (docs/secure-jit.md), the kernel accepts a syscall
; only if it comes from here (EIP = rt_gate_ret after the trap) and kills
; the task otherwise.  The kernel learns rt_gate_ret from
; build/rt/rt_kernel.c, generated from this runtime at build time.
;
; The gate is the runtime's first bytes: bf_sys is at RT_BASE, a bundle
; start, so verified code reaches it with a masked call like any bundle
; (lib/rt/rt.ld puts .text.gate first).
;
; rt_call_module calls module code so that the call ends at a 32-byte
; bundle end: verified module code returns with a masked jump (pop r;
; and r, -32; jmp r), which lands on the bundle start at or below the
; return address -- so the return address must be one.
section .text.gate progbits alloc exec nowrite align=32

; int bf_sys(int nr, uint32_t a1, uint32_t a2, uint32_t a3, uint32_t a4,
;            uint32_t a5, uint32_t a6)
global bf_sys, rt_gate_ret
bf_sys:
	push ebp
	push ebx
	push esi
	push edi
	mov eax, [esp + 20]
	mov ebx, [esp + 24]
	mov ecx, [esp + 28]
	mov edx, [esp + 32]
	mov esi, [esp + 36]
	mov edi, [esp + 40]
	mov ebp, [esp + 44]
	int 0x80
rt_gate_ret:
	pop edi
	pop esi
	pop ebx
	pop ebp
	ret

; int32_t rt_call_module(int32_t (*fn)(int32_t), int32_t arg)
global rt_call_module
	align 32, db 0xCC
rt_call_module:
	mov eax, [esp + 4]
	push dword [esp + 8]
	times (32 - (($ - $$ + 2) % 32)) % 32 nop
	call eax			; ends at a bundle end
	add esp, 4
	ret
