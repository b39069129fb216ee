; `or disjoint` (LLVM 19: no bit set in both operands) is an add: the JIT
; may compute it with a three-address lea.  @f ors 1 and 2 into a
; multiple of 4 (disjoint); @g is the same without the flag.  Used by
; test_jit_regalloc or_disjoint_as_lea.
target datalayout = "e-m:e-p:32:32-p270:32:32-p271:32:32-p272:64:64-i128:128-f64:32:64-f80:32-n8:16:32-S128"
target triple = "i686-unknown-unknown"
define i32 @f(i32 %n) {
entry:
  br label %loop
loop:
  %i = phi i32 [ 0, %entry ], [ %i1, %loop ]
  %s = phi i32 [ 0, %entry ], [ %s1, %loop ]
  %a = shl i32 %i, 2
  %b = or disjoint i32 %a, 1
  %c = or disjoint i32 %a, 2
  %m = mul i32 %b, %c
  %t = xor i32 %m, %a
  %s1 = add i32 %s, %t
  %i1 = add i32 %i, 1
  %e = icmp eq i32 %i1, %n
  br i1 %e, label %done, label %loop
done:
  ret i32 %s1
}
define i32 @g(i32 %n) {
entry:
  br label %loop
loop:
  %i = phi i32 [ 0, %entry ], [ %i1, %loop ]
  %s = phi i32 [ 0, %entry ], [ %s1, %loop ]
  %a = shl i32 %i, 2
  %b = or i32 %a, 1
  %c = or i32 %a, 2
  %m = mul i32 %b, %c
  %t = xor i32 %m, %a
  %s1 = add i32 %s, %t
  %i1 = add i32 %i, 1
  %e = icmp eq i32 %i1, %n
  br i1 %e, label %done, label %loop
done:
  ret i32 %s1
}
