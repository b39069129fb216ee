/* The fs server's in-guest self-test and benchmark (fs_selftest.c). */
#ifndef BF_FS_SELFTEST_H
#define BF_FS_SELFTEST_H
#include "servers/fs/ata.h"
#include "servers/fs/fs_serve.h"

/* On the mounted volume of srv, on the disk ata drives: prints TEST lines. */
void fs_selftest(struct fs_server *srv, struct ata_dev *ata);
#endif
