; Alignments at LLVM's limit, 2^32 bytes (stored in bitcode as 33):
; a global, an alloca and a load.  clang cannot ask for them; test_bitcode
; reads this (assembled by llvm-as-19) and flips its bits for exponents
; past the limit.
target datalayout = "e-m:e-p:32:32-p270:32:32-p271:32:32-p272:64:64-i128:128-f64:32:64-f80:32-n8:16:32-S128"
target triple = "i686-unknown-none"

@g = global i32 7, align 4294967296

define i32 @f(ptr %p) {
  %a = alloca i32, align 4294967296
  store i32 1, ptr %a, align 4
  %v = load i32, ptr %p, align 4294967296
  ret i32 %v
}
