; Loads and stores of i27 and i61 (odd widths: 4 and 8 bytes in memory,
; the bits above the width unspecified); used by test_jit odd_width_memory.
target datalayout = "e-m:e-p:32:32-p270:32:32-p271:32:32-p272:64:64-i128:128-f64:32:64-f80:32-n8:16:32-S128"
target triple = "i686-unknown-unknown"
@g = global [4 x i32] [i32 -1, i32 -1, i32 -1, i32 -1]
@h = global [2 x i64] [i64 -1, i64 -1]
define i32 @odd(i32 %x) {
  %p = getelementptr [4 x i32], ptr @g, i32 0, i32 1
  %t = trunc i32 %x to i27
  store i27 %t, ptr %p
  %l = load i27, ptr %p
  %z = zext i27 %l to i32
  %q = getelementptr [2 x i64], ptr @h, i32 0, i32 1
  %e = zext i32 %x to i61
  %e2 = mul i61 %e, 1234567891
  store i61 %e2, ptr %q
  %l3 = load i61, ptr %q
  %s = lshr i61 %l3, 29
  %s32 = trunc i61 %s to i32
  %r = add i32 %z, %s32
  ret i32 %r
}
