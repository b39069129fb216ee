; Twelve doubles carried around a loop in phis (more than the JIT's six
; XMM registers), each the fadd/fsub/fmul/fdiv of its old value, stored
; every iteration (the shape of nbody's step loop); used by
; test_jit_regalloc fp_phis_share_slots: the spilled phis, their
; temporaries and the results copied into them share stack slots.
target datalayout = "e-m:e-p:32:32-p270:32:32-p271:32:32-p272:64:64-i128:128-f64:32:64-f80:32-n8:16:32-S128"
target triple = "i686-unknown-unknown"
@pos = global [12 x double] zeroinitializer, align 8
@vel = global [12 x double] zeroinitializer, align 8
define void @init() {
entry:
  %p0 = getelementptr inbounds [12 x double], ptr @pos, i32 0, i32 0
  store double 1.0, ptr %p0, align 8
  %v0 = getelementptr inbounds [12 x double], ptr @vel, i32 0, i32 0
  store double -2.25, ptr %v0, align 8
  %p1 = getelementptr inbounds [12 x double], ptr @pos, i32 0, i32 1
  store double 2.0, ptr %p1, align 8
  %v1 = getelementptr inbounds [12 x double], ptr @vel, i32 0, i32 1
  store double -1.75, ptr %v1, align 8
  %p2 = getelementptr inbounds [12 x double], ptr @pos, i32 0, i32 2
  store double 3.0, ptr %p2, align 8
  %v2 = getelementptr inbounds [12 x double], ptr @vel, i32 0, i32 2
  store double -1.25, ptr %v2, align 8
  %p3 = getelementptr inbounds [12 x double], ptr @pos, i32 0, i32 3
  store double 4.0, ptr %p3, align 8
  %v3 = getelementptr inbounds [12 x double], ptr @vel, i32 0, i32 3
  store double -0.75, ptr %v3, align 8
  %p4 = getelementptr inbounds [12 x double], ptr @pos, i32 0, i32 4
  store double 5.0, ptr %p4, align 8
  %v4 = getelementptr inbounds [12 x double], ptr @vel, i32 0, i32 4
  store double -0.25, ptr %v4, align 8
  %p5 = getelementptr inbounds [12 x double], ptr @pos, i32 0, i32 5
  store double 6.0, ptr %p5, align 8
  %v5 = getelementptr inbounds [12 x double], ptr @vel, i32 0, i32 5
  store double 0.25, ptr %v5, align 8
  %p6 = getelementptr inbounds [12 x double], ptr @pos, i32 0, i32 6
  store double 7.0, ptr %p6, align 8
  %v6 = getelementptr inbounds [12 x double], ptr @vel, i32 0, i32 6
  store double 0.75, ptr %v6, align 8
  %p7 = getelementptr inbounds [12 x double], ptr @pos, i32 0, i32 7
  store double 8.0, ptr %p7, align 8
  %v7 = getelementptr inbounds [12 x double], ptr @vel, i32 0, i32 7
  store double 1.25, ptr %v7, align 8
  %p8 = getelementptr inbounds [12 x double], ptr @pos, i32 0, i32 8
  store double 9.0, ptr %p8, align 8
  %v8 = getelementptr inbounds [12 x double], ptr @vel, i32 0, i32 8
  store double 1.75, ptr %v8, align 8
  %p9 = getelementptr inbounds [12 x double], ptr @pos, i32 0, i32 9
  store double 10.0, ptr %p9, align 8
  %v9 = getelementptr inbounds [12 x double], ptr @vel, i32 0, i32 9
  store double 2.25, ptr %v9, align 8
  %p10 = getelementptr inbounds [12 x double], ptr @pos, i32 0, i32 10
  store double 11.0, ptr %p10, align 8
  %v10 = getelementptr inbounds [12 x double], ptr @vel, i32 0, i32 10
  store double 2.75, ptr %v10, align 8
  %p11 = getelementptr inbounds [12 x double], ptr @pos, i32 0, i32 11
  store double 12.0, ptr %p11, align 8
  %v11 = getelementptr inbounds [12 x double], ptr @vel, i32 0, i32 11
  store double 3.25, ptr %v11, align 8
  ret void
}
define void @steps(i32 %n) {
entry:
  %p0 = getelementptr inbounds [12 x double], ptr @pos, i32 0, i32 0
  %v0 = getelementptr inbounds [12 x double], ptr @vel, i32 0, i32 0
  %a0_0 = load double, ptr %p0, align 8
  %p1 = getelementptr inbounds [12 x double], ptr @pos, i32 0, i32 1
  %v1 = getelementptr inbounds [12 x double], ptr @vel, i32 0, i32 1
  %a0_1 = load double, ptr %p1, align 8
  %p2 = getelementptr inbounds [12 x double], ptr @pos, i32 0, i32 2
  %v2 = getelementptr inbounds [12 x double], ptr @vel, i32 0, i32 2
  %a0_2 = load double, ptr %p2, align 8
  %p3 = getelementptr inbounds [12 x double], ptr @pos, i32 0, i32 3
  %v3 = getelementptr inbounds [12 x double], ptr @vel, i32 0, i32 3
  %a0_3 = load double, ptr %p3, align 8
  %p4 = getelementptr inbounds [12 x double], ptr @pos, i32 0, i32 4
  %v4 = getelementptr inbounds [12 x double], ptr @vel, i32 0, i32 4
  %a0_4 = load double, ptr %p4, align 8
  %p5 = getelementptr inbounds [12 x double], ptr @pos, i32 0, i32 5
  %v5 = getelementptr inbounds [12 x double], ptr @vel, i32 0, i32 5
  %a0_5 = load double, ptr %p5, align 8
  %p6 = getelementptr inbounds [12 x double], ptr @pos, i32 0, i32 6
  %v6 = getelementptr inbounds [12 x double], ptr @vel, i32 0, i32 6
  %a0_6 = load double, ptr %p6, align 8
  %p7 = getelementptr inbounds [12 x double], ptr @pos, i32 0, i32 7
  %v7 = getelementptr inbounds [12 x double], ptr @vel, i32 0, i32 7
  %a0_7 = load double, ptr %p7, align 8
  %p8 = getelementptr inbounds [12 x double], ptr @pos, i32 0, i32 8
  %v8 = getelementptr inbounds [12 x double], ptr @vel, i32 0, i32 8
  %a0_8 = load double, ptr %p8, align 8
  %p9 = getelementptr inbounds [12 x double], ptr @pos, i32 0, i32 9
  %v9 = getelementptr inbounds [12 x double], ptr @vel, i32 0, i32 9
  %a0_9 = load double, ptr %p9, align 8
  %p10 = getelementptr inbounds [12 x double], ptr @pos, i32 0, i32 10
  %v10 = getelementptr inbounds [12 x double], ptr @vel, i32 0, i32 10
  %a0_10 = load double, ptr %p10, align 8
  %p11 = getelementptr inbounds [12 x double], ptr @pos, i32 0, i32 11
  %v11 = getelementptr inbounds [12 x double], ptr @vel, i32 0, i32 11
  %a0_11 = load double, ptr %p11, align 8
  %c0 = icmp sgt i32 %n, 0
  br i1 %c0, label %loop, label %exit
loop:
  %i = phi i32 [ 0, %entry ], [ %i1, %loop ]
  %a0 = phi double [ %a0_0, %entry ], [ %b0, %loop ]
  %a1 = phi double [ %a0_1, %entry ], [ %b1, %loop ]
  %a2 = phi double [ %a0_2, %entry ], [ %b2, %loop ]
  %a3 = phi double [ %a0_3, %entry ], [ %b3, %loop ]
  %a4 = phi double [ %a0_4, %entry ], [ %b4, %loop ]
  %a5 = phi double [ %a0_5, %entry ], [ %b5, %loop ]
  %a6 = phi double [ %a0_6, %entry ], [ %b6, %loop ]
  %a7 = phi double [ %a0_7, %entry ], [ %b7, %loop ]
  %a8 = phi double [ %a0_8, %entry ], [ %b8, %loop ]
  %a9 = phi double [ %a0_9, %entry ], [ %b9, %loop ]
  %a10 = phi double [ %a0_10, %entry ], [ %b10, %loop ]
  %a11 = phi double [ %a0_11, %entry ], [ %b11, %loop ]
  %x0 = load double, ptr %v0, align 8
  %y0 = fmul double %x0, 1.250000e-01
  %b0 = fadd double %a0, %y0
  store double %b0, ptr %p0, align 8
  %w0 = fsub double %x0, %b0
  store double %w0, ptr %v0, align 8
  %x1 = load double, ptr %v1, align 8
  %y1 = fmul double %x1, 1.250000e-01
  %b1 = fsub double %a1, %y1
  store double %b1, ptr %p1, align 8
  %w1 = fsub double %x1, %b1
  store double %w1, ptr %v1, align 8
  %x2 = load double, ptr %v2, align 8
  %y2 = fmul double %x2, 1.250000e-01
  %y2b = fadd double %y2, 1.000000e+00
  %b2 = fmul double %a2, %y2b
  store double %b2, ptr %p2, align 8
  %w2 = fsub double %x2, %b2
  store double %w2, ptr %v2, align 8
  %x3 = load double, ptr %v3, align 8
  %y3 = fmul double %x3, 1.250000e-01
  %y3b = fadd double %y3, 3.000000e+00
  %b3 = fdiv double %a3, %y3b
  store double %b3, ptr %p3, align 8
  %w3 = fsub double %x3, %b3
  store double %w3, ptr %v3, align 8
  %x4 = load double, ptr %v4, align 8
  %y4 = fmul double %x4, 1.250000e-01
  %b4 = fadd double %a4, %y4
  store double %b4, ptr %p4, align 8
  %w4 = fsub double %x4, %b4
  store double %w4, ptr %v4, align 8
  %x5 = load double, ptr %v5, align 8
  %y5 = fmul double %x5, 1.250000e-01
  %b5 = fsub double %a5, %y5
  store double %b5, ptr %p5, align 8
  %w5 = fsub double %x5, %b5
  store double %w5, ptr %v5, align 8
  %x6 = load double, ptr %v6, align 8
  %y6 = fmul double %x6, 1.250000e-01
  %y6b = fadd double %y6, 1.000000e+00
  %b6 = fmul double %a6, %y6b
  store double %b6, ptr %p6, align 8
  %w6 = fsub double %x6, %b6
  store double %w6, ptr %v6, align 8
  %x7 = load double, ptr %v7, align 8
  %y7 = fmul double %x7, 1.250000e-01
  %y7b = fadd double %y7, 3.000000e+00
  %b7 = fdiv double %a7, %y7b
  store double %b7, ptr %p7, align 8
  %w7 = fsub double %x7, %b7
  store double %w7, ptr %v7, align 8
  %x8 = load double, ptr %v8, align 8
  %y8 = fmul double %x8, 1.250000e-01
  %b8 = fadd double %a8, %y8
  store double %b8, ptr %p8, align 8
  %w8 = fsub double %x8, %b8
  store double %w8, ptr %v8, align 8
  %x9 = load double, ptr %v9, align 8
  %y9 = fmul double %x9, 1.250000e-01
  %b9 = fsub double %a9, %y9
  store double %b9, ptr %p9, align 8
  %w9 = fsub double %x9, %b9
  store double %w9, ptr %v9, align 8
  %x10 = load double, ptr %v10, align 8
  %y10 = fmul double %x10, 1.250000e-01
  %y10b = fadd double %y10, 1.000000e+00
  %b10 = fmul double %a10, %y10b
  store double %b10, ptr %p10, align 8
  %w10 = fsub double %x10, %b10
  store double %w10, ptr %v10, align 8
  %x11 = load double, ptr %v11, align 8
  %y11 = fmul double %x11, 1.250000e-01
  %y11b = fadd double %y11, 3.000000e+00
  %b11 = fdiv double %a11, %y11b
  store double %b11, ptr %p11, align 8
  %w11 = fsub double %x11, %b11
  store double %w11, ptr %v11, align 8
  %i1 = add nsw i32 %i, 1
  %c = icmp slt i32 %i1, %n
  br i1 %c, label %loop, label %exit
exit:
  ret void
}
define i64 @hash() {
entry:
  %p0 = getelementptr inbounds [12 x double], ptr @pos, i32 0, i32 0
  %l0 = load i64, ptr %p0, align 8
  %m0 = mul i64 0, 31
  %h0 = xor i64 %m0, %l0
  %p1 = getelementptr inbounds [12 x double], ptr @pos, i32 0, i32 1
  %l1 = load i64, ptr %p1, align 8
  %m1 = mul i64 %h0, 31
  %h1 = xor i64 %m1, %l1
  %p2 = getelementptr inbounds [12 x double], ptr @pos, i32 0, i32 2
  %l2 = load i64, ptr %p2, align 8
  %m2 = mul i64 %h1, 31
  %h2 = xor i64 %m2, %l2
  %p3 = getelementptr inbounds [12 x double], ptr @pos, i32 0, i32 3
  %l3 = load i64, ptr %p3, align 8
  %m3 = mul i64 %h2, 31
  %h3 = xor i64 %m3, %l3
  %p4 = getelementptr inbounds [12 x double], ptr @pos, i32 0, i32 4
  %l4 = load i64, ptr %p4, align 8
  %m4 = mul i64 %h3, 31
  %h4 = xor i64 %m4, %l4
  %p5 = getelementptr inbounds [12 x double], ptr @pos, i32 0, i32 5
  %l5 = load i64, ptr %p5, align 8
  %m5 = mul i64 %h4, 31
  %h5 = xor i64 %m5, %l5
  %p6 = getelementptr inbounds [12 x double], ptr @pos, i32 0, i32 6
  %l6 = load i64, ptr %p6, align 8
  %m6 = mul i64 %h5, 31
  %h6 = xor i64 %m6, %l6
  %p7 = getelementptr inbounds [12 x double], ptr @pos, i32 0, i32 7
  %l7 = load i64, ptr %p7, align 8
  %m7 = mul i64 %h6, 31
  %h7 = xor i64 %m7, %l7
  %p8 = getelementptr inbounds [12 x double], ptr @pos, i32 0, i32 8
  %l8 = load i64, ptr %p8, align 8
  %m8 = mul i64 %h7, 31
  %h8 = xor i64 %m8, %l8
  %p9 = getelementptr inbounds [12 x double], ptr @pos, i32 0, i32 9
  %l9 = load i64, ptr %p9, align 8
  %m9 = mul i64 %h8, 31
  %h9 = xor i64 %m9, %l9
  %p10 = getelementptr inbounds [12 x double], ptr @pos, i32 0, i32 10
  %l10 = load i64, ptr %p10, align 8
  %m10 = mul i64 %h9, 31
  %h10 = xor i64 %m10, %l10
  %p11 = getelementptr inbounds [12 x double], ptr @pos, i32 0, i32 11
  %l11 = load i64, ptr %p11, align 8
  %m11 = mul i64 %h10, 31
  %h11 = xor i64 %m11, %l11
  ret i64 %h11
}
define i64 @module_main(i32 %n) {
  call void @init()
  call void @steps(i32 %n)
  %r = call i64 @hash()
  ret i64 %r
}
