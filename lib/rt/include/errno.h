/* errno.h for modules: errno lives in the module's own memory (struct
 * rt_libc, lib/rt/rt.h); the runtime sets it where C says (ERANGE from
 * strtol & co. and strtod, ENOMEM from malloc & co., EDOM/EINVAL
 * nowhere yet).  The values are Linux's. */
#ifndef BF_RT_ERRNO_H
#define BF_RT_ERRNO_H
int *__bf_errno(void);
#define errno (*__bf_errno())
#define EDOM   33
#define EILSEQ 84
#define ERANGE 34
#define EINVAL 22
#define ENOMEM 12
#endif
