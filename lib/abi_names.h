/* Names of ABI values for messages (kernel and ring 3 alike). */
#ifndef BF_ABI_NAMES_H
#define BF_ABI_NAMES_H
#include <stdint.h>
const char *abi_death_cause(uint32_t cause);	/* DEATH_* in words */
#endif
