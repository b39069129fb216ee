#!/usr/bin/env python3
"""Random floating-point C programs for the JIT's differential test
(tests/jit/diff/fpfuzz.sh).  One program per seed, the same for the same
seed: float and double expression trees (+ - * /, negation, fmod, sqrt,
fabs, copysign, comparisons of every kind feeding selects and branches,
conversions to and from i8..i64 signed and unsigned, float<->double),
evaluated over inputs that include the edges (+-0, +-inf, NaN, denormals,
2^31, 2^63, 2^64-1) and inside loops that carry values through phis.
Every value computed is hashed bit for bit into test_main's result.

Only defined C: a float-to-integer conversion happens only after a range
check (out of range is undefined), integers never overflow; floating
point follows IEEE (Annex F) on both compilers.  The conversion helpers
hash the integer they made, a side effect: at most one of them per
expression, since C leaves the order of unsequenced operands unspecified
(gcc and clang evaluate copysign's two arguments in opposite orders:
seeds 5193 and 5196 differed before)."""
import random
import sys

INPUTS = ["0.0", "-0.0", "1.0", "-1.0", "0.5", "3.25", "-7.75", "1e300", "-1e-300", "4.9e-324",
          "2.2250738585072014e-308", "2147483648.0", "-2147483648.0", "4294967295.0",
          "9223372036854775808.0", "18446744073709549568.0", "1.0/3.0", "255.5", "-129.0",
          "65535.0", "1e-40", "3.4028234663852886e38", "123456.789", "-0.1"]

INT_TYPES = [("int8_t", -128, 127), ("uint8_t", 0, 255), ("int16_t", -32768, 32767),
             ("uint16_t", 0, 65535), ("int32_t", -2147483648, 2147483647),
             ("uint32_t", 0, 4294967295), ("int64_t", -9223372036854775808, 9223372036854775807),
             ("uint64_t", 0, 18446744073709551615)]


class Gen:
    def __init__(self, seed):
        self.r = random.Random(seed)
        self.helpers = []
        self.nconv = 0
        self.conv_left = 1      # per expression (see the docstring)

    def leaf(self, ty, vars_):
        r = self.r.random()
        if r < 0.6 and vars_:
            v = self.r.choice(vars_)
            return v if v[1] == ty else ("((%s)%s)" % (ty, v[0]), ty)
        c = self.r.choice(INPUTS + ["2.0", "0.1", "-3.0", "1e10", "7.0"])
        return ("((%s)(%s))" % (ty, c), ty)

    def conv(self, e, ty):
        """a float/double through an integer type and back, range-checked"""
        it, lo, hi = self.r.choice(INT_TYPES)
        self.nconv += 1
        name = "cv%d" % self.nconv
        # the range test in double: every bound below is exact or errs inside
        lo_d = "%d.0" % (lo - 1) if lo != 0 else "-1.0"
        hi_d = {127: "128.0", 255: "256.0", 32767: "32768.0", 65535: "65536.0",
                2147483647: "2147483648.0", 4294967295: "4294967296.0",
                9223372036854775807: "9223372036854775808.0",
                18446744073709551615: "18446744073709551616.0"}[hi]
        if lo < -2**31:
            lo_d = "-9223372036854775808.0"
            test = "x >= %s && x < %s" % (lo_d, hi_d)
        else:
            test = "x > %s && x < %s" % (lo_d, hi_d)
        self.helpers.append(
            "static %s %s(%s x) { if (%s) { %s i = (%s)x; mix((uint32_t)i); mix((uint32_t)((uint64_t)i >> 32));"
            " return (%s)i; } return x; }" % (ty, name, ty, test, it, it, ty))
        return ("%s(%s)" % (name, e[0]), ty)

    def expr(self, ty, vars_, depth):
        if depth <= 0 or self.r.random() < 0.2:
            return self.leaf(ty, vars_)
        k = self.r.randrange(14)
        other = "float" if ty == "double" else "double"
        if k < 5:
            op = "+-*/"[k % 4] if k < 4 else self.r.choice("+-*/")
            a, b = self.expr(ty, vars_, depth - 1), self.expr(ty, vars_, depth - 1)
            return ("(%s %s %s)" % (a[0], op, b[0]), ty)
        if k == 5:
            return ("(-%s)" % self.expr(ty, vars_, depth - 1)[0], ty)
        if k == 6:
            f = self.r.choice(["__builtin_fmod", "__builtin_copysign"] if ty == "double"
                              else ["__builtin_fmodf", "__builtin_copysignf"])
            a, b = self.expr(ty, vars_, depth - 1), self.expr(ty, vars_, depth - 1)
            return ("%s(%s, %s)" % (f, a[0], b[0]), ty)
        if k == 7:
            f = self.r.choice(["__builtin_sqrt", "__builtin_fabs"] if ty == "double"
                              else ["__builtin_sqrtf", "__builtin_fabsf"])
            return ("%s(%s)" % (f, self.expr(ty, vars_, depth - 1)[0]), ty)
        if k in (8, 9):
            a, b = self.expr(ty, vars_, depth - 1), self.expr(ty, vars_, depth - 1)
            cmp = self.r.choice(["<", "<=", ">", ">=", "==", "!=", "!<", "!>=", "U", "O", "LG"])
            t, f = self.expr(ty, vars_, depth - 1), self.expr(ty, vars_, depth - 1)
            return ("(%s ? %s : %s)" % (self.cond(a[0], b[0], cmp), t[0], f[0]), ty)
        if k == 10:
            return ("((%s)%s)" % (ty, self.expr(other, vars_, depth - 1)[0]), ty)
        if k == 11 and self.conv_left > 0:
            self.conv_left -= 1
            return self.conv(self.expr(ty, vars_, depth - 1), ty)
        if k == 12:
            it, lo, hi = self.r.choice(INT_TYPES)
            iv = self.r.choice([lo, hi, 0, 1, -1 if lo < 0 else 2, lo // 3, hi // 7, hi - 1])
            suffix = "ull" if it == "uint64_t" else "ll"
            lit = "(%s)%d%s" % (it, iv, suffix) if iv >= 0 or it != "int64_t" else \
                "(int64_t)(%dll - 1)" % (iv + 1)
            # unsigned wrap-around, then a conversion both compilers define
            return ("((%s)(%s)((uint64_t)ivar + (uint64_t)%s))" % (ty, it, lit) if self.r.random() < 0.3 else
                    "((%s)%s)" % (ty, lit), ty)
        return self.leaf(ty, vars_)

    @staticmethod
    def cond(a, b, cmp):
        if cmp == "!<":
            return "!(%s < %s)" % (a, b)
        if cmp == "!>=":
            return "!(%s >= %s)" % (a, b)
        if cmp == "U":
            return "__builtin_isunordered(%s, %s)" % (a, b)
        if cmp == "O":
            return "!__builtin_isunordered(%s, %s)" % (a, b)
        if cmp == "LG":
            return "__builtin_islessgreater(%s, %s)" % (a, b)
        return "(%s %s %s)" % (a, cmp, b)

    def program(self):
        body = []
        nfn = self.r.randint(2, 4)
        fns = []
        for fi in range(nfn):
            ty = self.r.choice(["float", "double"])
            pts = [self.r.choice(["float", "double"]) for _ in range(self.r.randint(1, 3))]
            params = [("p%d" % i, t) for i, t in enumerate(pts)]
            lines = []
            vars_ = list(params)
            for vi in range(self.r.randint(1, 4)):
                vt = self.r.choice(["float", "double"])
                self.conv_left = 1
                e = self.expr(vt, vars_, self.r.randint(1, 4))
                lines.append("\t%s v%d = %s;" % (vt, vi, e[0]))
                lines.append("\tmix%s(v%d);" % ("f" if vt == "float" else "d", vi))
                vars_.append(("v%d" % vi, vt))
            if self.r.random() < 0.6:
                # a loop carrying an accumulator (phis of FP values)
                acc_t = self.r.choice(["float", "double"])
                n = self.r.randint(1, 9)
                lines.append("\t%s acc = %s;" % (acc_t, self.leaf(acc_t, vars_)[0]))
                lines.append("\tfor (int ivar = 0; ivar < %d; ivar++) {" % n)
                inner = vars_ + [("acc", acc_t)]
                self.conv_left = 1
                e = self.expr(acc_t, inner, self.r.randint(1, 3))
                lines.append("\t\tacc = %s;" % e[0])
                self.conv_left = 1
                c = self.expr(acc_t, inner, 1)
                lines.append("\t\tif (%s) acc = %s;" % (self.cond("acc", c[0], self.r.choice(["<", ">", "!=", "U"])),
                                                       self.leaf(acc_t, inner)[0]))
                lines.append("\t}")
                lines.append("\tmix%s(acc);" % ("f" if acc_t == "float" else "d"))
                vars_.append(("acc", acc_t))
            self.conv_left = 1
            ret = self.expr(ty, vars_, 2)
            src = "static __attribute__((noinline)) %s f%d(%s)\n{\n\tint ivar = %d;\n\t(void)ivar;\n%s\n\treturn %s;\n}\n" % (
                ty, fi, ", ".join("%s %s" % (t, n) for n, t in params), fi, "\n".join(lines), ret[0])
            fns.append((ty, pts, src))
        out = ["/* generated by tests/jit/diff/fpfuzz_gen.py */", "#include <stdint.h>",
               "static uint32_t h = 2166136261u;",
               "static void mix(uint32_t x) { h = (h ^ x) * 16777619u; }",
               # a NaN's sign and payload are not specified by C or by LLVM
               # (which NaN operand an SSE operation passes on depends on
               # the operand order the compiler chose): one NaN for all
               "static void mixd(double d) { union { double d; uint64_t u; } v = { d }; "
               "if (d != d) v.u = 0x7ff8000000000000ull; mix((uint32_t)v.u); mix((uint32_t)(v.u >> 32)); }",
               "static void mixf(float f) { union { float f; uint32_t u; } v = { f }; "
               "if (f != f) v.u = 0x7fc00000u; mix(v.u); }",
               "static volatile double in[] = { %s, 0.0, 0.0, 0.0 };" % ", ".join(INPUTS)]
        out += self.helpers
        # NaN and infinities only at run time (inf/inf, 1/0) so neither side folds them
        main = ["int test_main(void)", "{", "\tin[%d] = 1.0 / in[0];" % len(INPUTS),
                "\tin[%d] = -in[%d];" % (len(INPUTS) + 1, len(INPUTS)),
                "\tin[%d] = in[%d] + in[%d];" % (len(INPUTS) + 2, len(INPUTS), len(INPUTS) + 1),
                "\tunsigned n = sizeof in / sizeof in[0];"]
        for ty, pts, src in fns:
            out.append(src)
        for fi, (ty, pts, src) in enumerate(fns):
            args = ", ".join("(%s)in[(i * %d + %d) %% n]" % (t, 3 + 2 * j, fi + j) for j, t in enumerate(pts))
            main.append("\tfor (unsigned i = 0; i < n; i++)")
            main.append("\t\tmix%s(f%d(%s));" % ("f" if ty == "float" else "d", fi, args))
        main += ["\treturn (int)h;", "}"]
        return "\n".join(out + main) + "\n"


if __name__ == "__main__":
    sys.stdout.write(Gen(int(sys.argv[1])).program())
