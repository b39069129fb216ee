#!/usr/bin/env bash
# The runtime's libm: accuracy against glibc (tests/lib/libm/accuracy.c,
# >= 1,000,000 inputs a function; the table goes to build/libm-accuracy.md,
# docs/libm.md shows it), the same bits from the guest build (i686, run
# under qemu-i386) as from the host build the accuracy is measured on, and
# the rounding and exact functions bit for bit against glibc.
set -uo pipefail
cd "$(dirname "$0")/../../.."
status=0
if [ ! -x build/host/libm_accuracy ]; then
  echo "TEST FAIL libm.accuracy: build/host/libm_accuracy missing"; exit 1
fi
build/host/libm_accuracy >build/libm-accuracy.md.tmp 2>build/libm-accuracy.err || status=1
grep '^|' build/libm-accuracy.md.tmp >build/libm-accuracy.md
grep '^TEST ' build/libm-accuracy.md.tmp
cat build/libm-accuracy.md
n=$(grep -c '^TEST PASS libm\.' build/libm-accuracy.md.tmp)
[ "$n" -eq 44 ] || { echo "TEST FAIL libm.all_functions_measured: $n of 44"; status=1; }
rm -f build/libm-accuracy.md.tmp

if [ -x build/libm/same_bits.i686 ] && [ -x build/libm/same_bits.host ]; then
  g=$(qemu-i386 build/libm/same_bits.i686 2>&1); h=$(build/libm/same_bits.host 2>&1)
  if [ -n "$g" ] && [ "$g" = "$h" ] && [ "$(wc -l <<<"$g")" -eq 34 ]; then
    echo "TEST PASS libm.same_bits_guest_and_host (34 functions x 100000 inputs)"
  else
    echo "TEST FAIL libm.same_bits_guest_and_host:"; diff <(echo "$g") <(echo "$h"); status=1
  fi
else
  echo "TEST FAIL libm.same_bits_guest_and_host: build/libm/same_bits.{i686,host} missing"; status=1
fi

# the rounding functions: bit for bit against glibc, host and i686
for t in "build/host/libm_rounding" "qemu-i386 build/libm/rounding.i686"; do
  bin=${t#qemu-i386 }
  if [ ! -x "$bin" ]; then echo "TEST FAIL libm.rounding: $bin missing"; status=1; continue; fi
  r=$(timeout 300 $t 2>&1); rc=$?
  grep '^TEST ' <<<"$r"
  n=$(grep -c '^TEST PASS libm\.' <<<"$r")
  [ "$rc" -eq 0 ] && [ "$n" -eq 22 ] || { echo "TEST FAIL libm.rounding ($t): $n of 22 pass, exit $rc"; grep -v '^TEST ' <<<"$r" | head; status=1; }
done
# the exact ones (fma, fmin, ldexp, remainder, ... double and float): bit
# for bit against glibc, host and i686
for t in "build/host/libm_exact" "qemu-i386 build/libm/exact.i686"; do
  bin=${t#qemu-i386 }
  if [ ! -x "$bin" ]; then echo "TEST FAIL libm.exact: $bin missing"; status=1; continue; fi
  r=$(timeout 300 $t 2>&1); rc=$?
  grep '^TEST \|^libm' <<<"$r"
  n=$(grep -c '^TEST PASS libm\.exact\.' <<<"$r")
  [ "$rc" -eq 0 ] && [ "$n" -eq 22 ] || { echo "TEST FAIL libm.exact ($t): $n of 22 pass, exit $rc"; grep -v '^TEST ' <<<"$r" | head; status=1; }
done
exit $status
