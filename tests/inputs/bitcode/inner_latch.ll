; Pairs (i, j), i < j < n, counted in a rotated nest whose inner loop's
; latch leaves for the outer loop's test, laid out before it (the shape
; clang gives nbody's pair loop): both successors of the latch are back
; edges.  Used by test_jit_regalloc inner_latch_takes_its_own_loop.
target datalayout = "e-m:e-p:32:32-p270:32:32-p271:32:32-p272:64:64-i128:128-f64:32:64-f80:32-n8:16:32-S128"
target triple = "i686-unknown-unknown"
define i32 @pairs(i32 %n) {
entry:
  br label %outer
outer:
  %i = phi i32 [ 0, %entry ], [ %i1, %inner ]
  %s = phi i32 [ 0, %entry ], [ %s1, %inner ]
  %i1 = add i32 %i, 1
  %more = icmp slt i32 %i1, %n
  br i1 %more, label %inner, label %done
inner:
  %j = phi i32 [ %i1, %outer ], [ %j1, %inner ]
  %t = phi i32 [ %s, %outer ], [ %s1, %inner ]
  %x = mul i32 %j, 7
  %y = xor i32 %x, %i
  %s1 = add i32 %t, %y
  %j1 = add i32 %j, 1
  %end = icmp eq i32 %j1, %n
  br i1 %end, label %outer, label %inner
done:
  ret i32 %s
}
