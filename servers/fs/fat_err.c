/* Error codes -> names and the volume's detailed last-error message. */
#include <stdarg.h>
#include "servers/fs/fat_int.h"

static const char *const names[FAT_NERR] = {
	[0] = "ok",
	[-FAT_EIO] = "I/O error",
	[-FAT_ENOENT] = "not found",
	[-FAT_EEXIST] = "already exists",
	[-FAT_ENOSPC] = "disk full",
	[-FAT_EROOTFULL] = "root directory full",
	[-FAT_ECORRUPT] = "corrupt file system",
	[-FAT_EBADNAME] = "bad name",
	[-FAT_ENOTDIR] = "not a directory",
	[-FAT_EISDIR] = "is a directory",
	[-FAT_ENOTEMPTY] = "directory not empty",
	[-FAT_EROFS] = "read-only file system",
	[-FAT_EACCES] = "file is read-only",
	[-FAT_EBADFS] = "not a valid FAT volume",
	[-FAT_EFAT12] = "FAT12 volume not supported",
	[-FAT_EFAT32] = "FAT32 volume not supported",
	[-FAT_EINVAL] = "invalid argument",
	[-FAT_EBADF] = "bad file handle",
	[-FAT_EBUSY] = "file is open",
	[-FAT_EMFILE] = "too many open files",
	[-FAT_EFBIG] = "file too large",
	[-FAT_EDIRFULL] = "directory full",
};

const char *fat_strerror(int err)
{
	if (err > 0 || err <= -FAT_NERR)
		return "unknown error";
	return names[-err];
}

const char *fat_errmsg(const struct fat_vol *v)
{
	return v->msg;
}

int fat_fail(struct fat_vol *v, int err, const char *fmt, ...)
{
	va_list ap;
	int n = bf_snprintf(v->msg, sizeof v->msg, "%s: ", fat_strerror(err));
	if (n < 0 || (size_t)n >= sizeof v->msg)
		return err;
	va_start(ap, fmt);
	bf_vsnprintf(v->msg + n, sizeof v->msg - (size_t)n, fmt, ap);
	va_end(ap);
	return err;
}
