/* strerror and errno: errno is the module's (rt_libc.err, zero at the
 * start), not the runtime's, which has no writable data. */
#include <errno.h>
#include <string.h>
#include "lib/rt/libc/libc.h"

int *__bf_errno(void)
{
	return &rt_libc.err;
}

/* The texts of the values <errno.h> defines (glibc's words); any other
 * number is "Unknown error". */
char *strerror(int errnum)
{
	switch (errnum) {
	case 0:      return "Success";
	case EDOM:   return "Numerical argument out of domain";
	case ERANGE: return "Numerical result out of range";
	case EILSEQ: return "Invalid or incomplete multibyte or wide character";
	case EINVAL: return "Invalid argument";
	case ENOMEM: return "Cannot allocate memory";
	default:     return "Unknown error";
	}
}
