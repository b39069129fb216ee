# lib/rt/: the module runtime, linked at RT_BASE as a flat read+execute
# blob (build/rt/rt.bin): boot module `rt`, which the kernel maps into
# every module task; a symbol table (build/rt/rt_syms.c) for the jit server
# to link JIT code against it, and what the kernel knows of it
# (build/rt/rt_kernel.c: size, CRC-32, entry, syscall gate, exports).  A
# writable section in it is a build error (runtime code is mapped
# read+execute), and so is an int 0x80 other than the gate's: the kernel
# pins module syscalls to that one (docs/secure-jit.md).
#
# The libm (lib/rt/math/) computes in SSE2 doubles, nothing else of the
# runtime touches the FPU: its objects alone get RT_MATH_CFLAGS (no fused or
# extended-precision operations: the same bits as the host build that
# tests/lib/libm/ measures; no 16-byte stack alignment assumed of callers,
# JIT code included).  The i386 ABI still returns floats in ST0.
RT_MATH_SRCS := $(wildcard lib/rt/math/*.c)
RT_MATH_OBJS := $(patsubst %.c,$(B)/guest/%.o,$(RT_MATH_SRCS))
RT_MATH_CFLAGS := -msse2 -mfpmath=sse -ffp-contract=off -fexcess-precision=standard \
	-mincoming-stack-boundary=2
$(RT_MATH_OBJS): GUEST_CFLAGS += $(RT_MATH_CFLAGS)

# The C library subset for modules (lib/rt/libc/, docs/libc.md), built
# against the headers modules get (lib/rt/include/, first on the path), so
# every definition is checked against the declaration a module sees.
# No FPU arithmetic: strtod computes its doubles' bits in integers.
RT_LIBC_SRCS := $(wildcard lib/rt/libc/*.c)
RT_LIBC_OBJS := $(patsubst %.c,$(B)/guest/%.o,$(RT_LIBC_SRCS))
$(RT_LIBC_OBJS): GUEST_CFLAGS := -Ilib/rt/include $(GUEST_CFLAGS)
# (and the call back into module code: qsort's comparator)
RT_LIBC_OBJS += $(B)/guest/lib/rt/libc/callback.o

RT_OBJS := $(B)/guest/lib/rt/entry.o $(B)/guest/lib/rt/gate.o $(B)/guest/lib/rt/harness.o \
	$(B)/guest/lib/rt/printf.o $(RT_MATH_OBJS) $(RT_LIBC_OBJS) \
	$(B)/guest/lib/string.o $(B)/guest/lib/divmod64.o $(B)/guest/lib/mulo64.o $(B)/guest/lib/fmt.o

$(B)/rt/rt.elf: $(RT_OBJS) lib/rt/rt.ld
	@mkdir -p $(@D)
	$(LD32) -m elf_i386 -z noexecstack -T lib/rt/rt.ld -o $@ $(RT_OBJS)
	@if [ -n "$$($(CROSS)size -A $@ | awk '$$1 == ".data" && $$2 > 0')" ]; then \
		echo "lib/rt: the runtime has writable data; it must not"; rm -f $@; exit 1; fi
	@n=$$($(CROSS)objdump -d $@ | grep -c 'int  *$$0x80'); if [ "$$n" != 1 ]; then \
		echo "lib/rt: $$n int 0x80 in the runtime; only the gate (gate.asm) may have one"; \
		rm -f $@; exit 1; fi
	@[ "$$($(CROSS)nm $@ | awk '$$3 == "bf_sys" { print $$1 }')" = 60000000 ] || { \
		echo "lib/rt: the gate (bf_sys) must be the runtime's first bytes, at RT_BASE"; rm -f $@; exit 1; }
	@[ "$$($(CROSS)nm $@ | awk '$$3 == "rt_libc" { print $$1 }')" = 50003f00 ] || { \
		echo "lib/rt: rt_libc (rt.ld) must be RT_LIBC_VA (rt.h)"; rm -f $@; exit 1; }

$(B)/rt/rt.bin: $(B)/rt/rt.elf
	$(OBJCOPY32) -O binary -j .text $< $@

# name -> address of the runtime functions modules may call (the allow-list
# lib/rt/exports.txt; a name missing from the runtime is a build error),
# and the entry the jit server starts module tasks at.
$(B)/rt/rt_syms.c: $(B)/rt/rt.elf lib/rt/exports.txt
	@$(CROSS)nm -g --defined-only $< | awk '$$2 == "T" { print $$3, $$1 }' >$@.nm
	@{ echo '/* generated from rt.elf and lib/rt/exports.txt by lib/rt/rt.mk */'; \
	   echo '#include "servers/jit/server/rtsyms.h"'; \
	   echo 'const struct rt_sym rt_syms[] = {'; \
	   awk 'NR == FNR { addr[$$1] = $$2; next } /^#/ || !NF { next } \
	        !($$1 in addr) { print "lib/rt/exports.txt: " $$1 " is not in the runtime" > "/dev/stderr"; exit 1 } \
	        { printf "\t{ \"%s\", 0x%s },\n", $$1, addr[$$1] }' $@.nm lib/rt/exports.txt; \
	   echo '};'; \
	   echo 'const unsigned rt_nsyms = sizeof rt_syms / sizeof rt_syms[0];'; \
	   awk '$$1 == "rt_entry" { printf "const uint32_t rt_entry_va = 0x%s;\n", $$2 }' $@.nm; } >$@.tmp
	@rm -f $@.nm; mv $@.tmp $@

# What the kernel trusts of the runtime, from the same build: the kernel
# maps boot module `rt` only if its size and CRC-32 are these.
$(B)/rt/rt_kernel.c: $(B)/rt/rt.elf $(B)/rt/rt.bin lib/rt/exports.txt
	@$(CROSS)nm -g --defined-only $(B)/rt/rt.elf | awk '{ print $$3, $$1 }' >$@.nm
	@{ echo '/* generated from rt.elf, rt.bin and lib/rt/exports.txt by lib/rt/rt.mk */'; \
	   echo '#include "microkernel/secure.h"'; \
	   echo 'static const uint32_t exports[] = {'; \
	   awk 'NR == FNR { addr[$$1] = $$2; next } /^#/ || !NF { next } \
	        !($$1 in addr) { print "lib/rt/exports.txt: " $$1 " is not in the runtime" > "/dev/stderr"; exit 1 } \
	        { print addr[$$1] }' $@.nm lib/rt/exports.txt | sort -u | sed 's/.*/\t0x&,/'; \
	   echo '};'; \
	   echo 'const struct rt_built rt_built = {'; \
	   echo "	$$(stat -c %s $(B)/rt/rt.bin), 0x$$(gzip -c $(B)/rt/rt.bin | tail -c 8 | od -An -tx4 -N4 | tr -d ' '),"; \
	   awk '$$1 == "rt_entry" { printf "\t0x%s,\n", $$2 }' $@.nm; \
	   awk '$$1 == "rt_gate_ret" { printf "\t0x%s,\n", $$2 }' $@.nm; \
	   echo '	exports, sizeof exports / sizeof exports[0],'; \
	   echo '};'; } >$@.tmp
	@rm -f $@.nm; mv $@.tmp $@
