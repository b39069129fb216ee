#!/usr/bin/env bash
# tools/bf-verify on a few images: the sandboxed form is accepted (exit 0,
# "accepted"), a plain ret and an int 0x80 are refused at their offsets
# with the rule (exit 1), a call to a runtime export passes and one next
# to it does not, a bad base or a missing file is a usage error (exit 2).
set -uo pipefail
bv=build/tools/bf-verify
[ -x "$bv" ] || { echo "TEST FAIL bf_verify ($bv not built)"; exit 1; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
check() {	# name, expected exit, expected output (substring), file, args...
  local name=$1 want=$2 text=$3; shift 3
  out=$("$bv" "$@" 2>&1); rc=$?
  if [ $rc -eq "$want" ] && [[ $out == *"$text"* ]]; then echo "TEST PASS bf_verify.$name"
  else echo "TEST FAIL bf_verify.$name: exit $rc, said: $out"; fi
}
# xor eax, eax; pop ecx; and ecx, -32; jmp ecx
printf '\x31\xc0\x59\x83\xe1\xe0\xff\xe1' >"$tmp/good"
check sandboxed_form 0 accepted "$tmp/good"
printf '\x31\xc0\xc3' >"$tmp/ret"
check plain_ret 1 "refused at offset 0x2 (address 0x60100002): plain-ret" "$tmp/ret"
printf '\x90\x90\x90\x90\xcd\x80' >"$tmp/int80"
check int80 1 "refused at offset 0x4 (address 0x60100004): forbidden-instruction: int n" "$tmp/int80"
check base 1 "(address 0x60200004)" "$tmp/int80" --base 0x60200000
# call memcpy (the first export) at the bundle's end, from RT_IMAGE_BASE
exp=$(sed -n 's/^\t0x\([0-9a-f]*\),$/\1/p' build/rt/rt_kernel.c | head -n1)
rel() { printf '%08x' $(( (0x$1 - 0x60100020) & 0xffffffff )) | sed 's/\(..\)\(..\)\(..\)\(..\)/\\x\4\\x\3\\x\2\\x\1/'; }
{ printf '\x90%.0s' $(seq 27); printf '\xe8'; printf "$(rel "$exp")"; } >"$tmp/call"
check call_export 0 accepted "$tmp/call"
{ printf '\x90%.0s' $(seq 27); printf '\xe8'; printf "$(rel "$(printf '%x' $((0x$exp + 1)))")"; } >"$tmp/call1"
check call_beside_export 1 "refused at offset 0x1b (address 0x6010001b): direct-target" "$tmp/call1"
check misaligned_base 1 "image-size" "$tmp/good" --base 0x60100010
check usage 2 "usage" 
check missing_file 2 "No such file" "$tmp/none"
