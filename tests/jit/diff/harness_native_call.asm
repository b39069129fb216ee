; uint64_t jh_trampoline(uint32_t entry, const uint32_t *words, uint32_t nw,
;                        uint32_t ecx, uint32_t edx)
; Calls entry as the JIT's code expects to be called: the argument words on
; a 16-byte aligned stack (cdecl), the first register parameters in ECX and
; EDX (servers/jit/cg/conv.c); the result comes back in EDX:EAX.  EBX, ESI,
; EDI and EBP are ours again afterwards (the callee keeps them, and we
; restore ESP from EBP whatever it did to the stack).
section .text align=32
global jh_trampoline
jh_trampoline:
	push ebp
	mov ebp, esp
	push ebx
	push esi
	push edi
	mov ecx, [ebp + 16]		; nw
	lea eax, [ecx * 4]
	sub esp, eax
	and esp, -16
	mov esi, [ebp + 12]
	mov edi, esp
	cld
	rep movsd
	mov ecx, [ebp + 20]
	mov edx, [ebp + 24]
	; the call ends at a 32-byte boundary: sandboxed code (jit_opts.secure)
	; returns with `and ecx, -32; jmp ecx`, so its return address must be
	; a bundle start (docs/secure-jit.md, rule 9)
	jmp .call
	align 32, db 0xcc
	times 29 nop
.call:	call [ebp + 8]
	lea esp, [ebp - 12]
	pop edi
	pop esi
	pop ebx
	pop ebp
	ret
section .note.GNU-stack noalloc noexec nowrite progbits
