; rt_call_cmp: how the C library calls a module's function back (qsort's
; and bsearch's comparators, lib/rt/libc/sort.c).  Sandboxed module code
; returns with a masked jump to the 32-byte bundle start at or below its
; return address (docs/secure-jit.md), so the call into it must end at a
; bundle end, as rt_call_module's does for the entry (gate.asm); a plain
; call from C would have the comparator return into the middle of qsort.
section .text.callback progbits alloc exec nowrite align=32

; int rt_call_cmp(int (*fn)(const void *, const void *), const void *a, const void *b)
global rt_call_cmp
	align 32, db 0xCC
rt_call_cmp:
	mov eax, [esp + 4]
	push dword [esp + 12]		; b
	push dword [esp + 12]		; a (moved up by the push)
	times (32 - (($ - $$ + 2) % 32)) % 32 nop
	call eax			; ends at a bundle end
	add esp, 8
	ret

section .note.GNU-stack noalloc noexec nowrite progbits
