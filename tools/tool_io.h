#ifndef BF_TOOL_IO_H
#define BF_TOOL_IO_H
#include <stddef.h>
#include <stdint.h>
/* The whole file in a malloc'd buffer (NULL if it cannot be opened). */
uint8_t *read_file(const char *path, size_t *len);
#endif
