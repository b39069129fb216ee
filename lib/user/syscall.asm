; The two ways into the kernel (int 0x80).  See lib/include/bareflow/abi.h.

section .text
; int bf_sys(int nr, uint32_t a1, uint32_t a2, uint32_t a3, uint32_t a4,
;            uint32_t a5, uint32_t a6)
global bf_sys
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
	pop edi
	pop esi
	pop ebx
	pop ebp
	ret

; int bf_ipc(int nr, uint32_t cap, struct bf_msg *m)
; Sends m (label, w0..w3) and overwrites it with what comes back (label,
; w0..w3, badge).  struct bf_msg = { label, w[4], badge }.
global bf_ipc
bf_ipc:
	push ebp
	push ebx
	push esi
	push edi
	mov eax, [esp + 20]
	mov ebx, [esp + 24]
	mov edi, [esp + 28]
	push edi
	mov ecx, [edi + 0]
	mov edx, [edi + 4]
	mov esi, [edi + 8]
	mov ebp, [edi + 16]
	mov edi, [edi + 12]
	int 0x80
	xchg edi, [esp]
	mov [edi + 0], ecx
	mov [edi + 4], edx
	mov [edi + 8], esi
	mov [edi + 16], ebp
	mov [edi + 20], ebx
	pop ecx
	mov [edi + 12], ecx
	pop edi
	pop esi
	pop ebx
	pop ebp
	ret
