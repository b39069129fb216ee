#!/usr/bin/env bash
# The kernel never computes with the x87, MMX or SSE units (their registers
# belong to the running task): in build/kernel.elf the only FPU instructions
# are fninit, fxsave and fxrstor, and only in the fpu_* functions
# (microkernel/arch/x86/fpu.c), which move whole states.  Catches a gcc
# flag lost from microkernel/kernel.mk or lib/lib.mk, or FPU code added.
set -euo pipefail
elf=${1:-build/kernel.elf}
[ -f "$elf" ] || { echo "TEST FAIL kernel.nofpu: $elf missing"; exit 1; }
i686-linux-gnu-objdump -d --no-show-raw-insn "$elf" | awk '
	/^[0-9a-f]+ <.*>:$/ { fn = $2; gsub(/[<>:]/, "", fn); next }
	/^ *[0-9a-f]+:\t/ {
		n++
		split($0, p, "\t"); ins = p[2]; m = ins; sub(/ .*/, "", m)
		fpu = m ~ /^f/ || m ~ /^(ldmxcsr|stmxcsr|emms|wait)$/ || ins ~ /%(st|mm|xmm|ymm)/
		if (!fpu) next
		if (m ~ /^(fninit|fxsave|fxrstor)$/ && fn ~ /^fpu_/) { moved++; next }
		bad++
		if (bad <= 10) printf "kernel.nofpu: %s in %s\n", ins, fn
	}
	END {
		if (n < 1000) { print "TEST FAIL kernel.nofpu: only " n " instructions disassembled"; exit 1 }
		if (bad) { print "TEST FAIL kernel.nofpu: " bad " FPU instruction(s) outside fpu_*"; exit 1 }
		if (moved < 3) { print "TEST FAIL kernel.nofpu: fninit/fxsave/fxrstor not found in fpu_*"; exit 1 }
		print "TEST PASS kernel.nofpu (" n " instructions, " moved " state moves in fpu_*)"
	}'
