/* What the module runtime's C library (lib/rt/libc/) shares inside
 * itself: its state in the module's memory (struct rt_libc, lib/rt/rt.h),
 * reached through the symbol rt_libc (rt.ld puts it at RT_LIBC_VA; the
 * test harnesses define it where they keep it). */
#ifndef BF_RT_LIBC_H
#define BF_RT_LIBC_H
#include "lib/rt/rt.h"

extern struct rt_libc rt_libc;

/* the module's exit (exit.c): the runtime's gate, SYS_EXIT */
_Noreturn void _Exit(int status);
#endif
