# Host tests of the module runtime's libm, printf and C library (lib/rt/,
# lib/fmt.c).
#
# The libm is built for the host from the same sources with the same double
# semantics as the guest (SSE2, nothing fused), its symbols renamed bfm_*
# (objcopy) so glibc's libm can sit beside it as the judge.
LIBM_HOST_OBJS := $(patsubst lib/rt/math/%.c,$(B)/host/libm/%.o,$(wildcard lib/rt/math/*.c))
$(B)/host/libm/%.o: lib/rt/math/%.c
	@mkdir -p $(@D)
	$(HOSTCC) $(HOST_CFLAGS) -O2 -ffp-contract=off -MMD -MP -c $< -o $@
$(B)/host/libm/bfm.o: $(LIBM_HOST_OBJS)
	ld -r -o $@.tmp $^
	objcopy --prefix-symbols=bfm_ $@.tmp $@
	@rm -f $@.tmp

$(B)/host/libm_accuracy: tests/lib/libm/accuracy.c $(B)/host/libm/bfm.o
	$(HOSTCC) $(HOST_CFLAGS) -O2 $^ -o $@ -lm
$(B)/host/test_conv: tests/lib/unit/test_conv.c $(B)/host/libm/bfm.o
	$(HOSTCC) $(HOST_CFLAGS) $^ -o $@ -lcriterion -lm
$(B)/host/test_printf: tests/lib/unit/test_printf.c $(B)/host/lib/fmt.o
	$(HOSTCC) $(HOST_CFLAGS) -Wno-format $^ -o $@ -lcriterion -lm

# The same libm built for i686 (as in the runtime) and run under qemu-i386
# must give the host build's bits (tests/lib/libm/same_bits.sh).
$(B)/libm/same_bits.i686: tests/lib/libm/same_bits.c $(RT_MATH_SRCS)
	@mkdir -p $(@D)
	$(CC32) -std=c11 -O2 -static -I. $(RT_MATH_CFLAGS) $^ -o $@
$(B)/libm/same_bits.host: tests/lib/libm/same_bits.c $(B)/host/libm/bfm.o
	@mkdir -p $(@D)
	$(HOSTCC) $(HOST_CFLAGS) -O2 -DBFM_PREFIX $^ -o $@ -lm

# The rounding functions bit for bit against glibc (tests/lib/libm/rounding.c):
# on the host, and built for i686 with the runtime's flags (long = 32 bits)
# against i686 glibc, run under qemu-i386.
$(B)/host/libm_rounding: tests/lib/libm/rounding.c $(B)/host/libm/bfm.o
	$(HOSTCC) $(HOST_CFLAGS) -O2 $^ -o $@ -lm
$(B)/libm/rounding_bfm.i686.o: lib/rt/math/round.c lib/rt/math/sqrt_fmod.c
	@mkdir -p $(@D)
	$(CC32) -std=c11 -O2 -ffreestanding -fno-builtin -fno-pie -I. $(RT_MATH_CFLAGS) -c lib/rt/math/round.c -o $@.a.o
	$(CC32) -std=c11 -O2 -ffreestanding -fno-builtin -fno-pie -I. $(RT_MATH_CFLAGS) -c lib/rt/math/sqrt_fmod.c -o $@.b.o
	$(LD32) -m elf_i386 -r -o $@.tmp $@.a.o $@.b.o
	$(OBJCOPY32) --prefix-symbols=bfm_ $@.tmp $@
	@rm -f $@.tmp $@.a.o $@.b.o
$(B)/libm/rounding.i686: tests/lib/libm/rounding.c $(B)/libm/rounding_bfm.i686.o
	$(CC32) -std=c11 -O2 -msse2 -mfpmath=sse -static -fno-pie -no-pie -I. $^ -o $@ -lm

# The exact functions (fma, fmin, ldexp, remainder, ...) bit for bit against
# glibc (tests/lib/libm/exact.c), on the host and as an i686 build of the
# runtime's sources under qemu-i386.
LIBM_EXACT_SRCS := lib/rt/math/fma.c lib/rt/math/fminmax.c lib/rt/math/scale.c \
	lib/rt/math/remainder.c lib/rt/math/sqrt_fmod.c
$(B)/host/libm_exact: tests/lib/libm/exact.c $(B)/host/libm/bfm.o
	$(HOSTCC) $(HOST_CFLAGS) -O2 $^ -o $@ -lm
$(B)/libm/exact_bfm.i686.o: $(LIBM_EXACT_SRCS)
	@mkdir -p $(@D)
	@rm -f $@.*.o
	for f in $^; do $(CC32) -std=c11 -O2 -ffreestanding -fno-builtin -fno-pie -I. $(RT_MATH_CFLAGS) \
		-c $$f -o $@.$$(basename $$f .c).o || exit 1; done
	$(LD32) -m elf_i386 -r -o $@.tmp $@.*.o
	$(OBJCOPY32) --prefix-symbols=bfm_ $@.tmp $@
	@rm -f $@.tmp $@.*.o
$(B)/libm/exact.i686: tests/lib/libm/exact.c $(B)/libm/exact_bfm.i686.o
	$(CC32) -std=c11 -O2 -msse2 -mfpmath=sse -static -fno-pie -no-pie -DLOOSE_MINMAX -I. $^ -o $@ -lm

ALL_TARGETS += $(B)/host/libm_exact $(B)/libm/exact.i686

# The C library (lib/rt/libc/, with lib/string.c) the same way: built
# against the modules' headers, renamed bfc_*, glibc beside it as the judge
# (tests/lib/unit/test_libc.c supplies rt_libc, printf and the gate).
LIBC_HOST_OBJS := $(patsubst lib/rt/libc/%.c,$(B)/host/libc/%.o,$(RT_LIBC_SRCS)) $(B)/host/libc/lib_string.o
$(B)/host/libc/%.o: lib/rt/libc/%.c
	@mkdir -p $(@D)
	$(HOSTCC) $(HOST_CFLAGS) -isystem lib/rt/include -fno-builtin -Wno-pointer-to-int-cast -MMD -MP -c $< -o $@
$(B)/host/libc/lib_string.o: lib/string.c
	@mkdir -p $(@D)
	$(HOSTCC) $(HOST_CFLAGS) -isystem lib/rt/include -fno-builtin -MMD -MP -c $< -o $@
$(B)/host/libc/bfc.o: $(LIBC_HOST_OBJS)
	ld -r -o $@.tmp $^
	objcopy --prefix-symbols=bfc_ $@.tmp $@
	@rm -f $@.tmp
$(B)/host/test_libc: tests/lib/unit/test_libc.c $(B)/host/libc/bfc.o
	$(HOSTCC) $(HOST_CFLAGS) $^ -o $@ -lcriterion

ALL_TARGETS += $(B)/host/libm_accuracy $(B)/libm/same_bits.i686 $(B)/libm/same_bits.host
ALL_TARGETS += $(B)/host/libm_rounding $(B)/libm/rounding.i686
HOST_TESTS += $(B)/host/test_conv $(B)/host/test_printf $(B)/host/test_libc
TEST_SCRIPTS += tests/lib/libm/libm.sh
