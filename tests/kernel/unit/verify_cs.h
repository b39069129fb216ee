/* Capstone as the second opinion on the verifier's decoder: the class
 * (microkernel/verify/x86dec.h) Capstone gives an instruction, and
 * whether it is one the rules forbid.  Shared by the Capstone comparison
 * test and the verifier's fuzz target. */
#ifndef TESTS_VERIFY_CS_H
#define TESTS_VERIFY_CS_H
#include <stdint.h>
#include <capstone/capstone.h>

/* A handle for 32-bit x86 with details on. */
csh vcs_open(void);
/* Decode at p: the length (0: Capstone refuses), and in *cls the class
 * as our decoder names it (XC_PLAIN for what is no control transfer). */
int vcs_decode(csh h, const uint8_t *p, uint32_t avail, uint64_t va, int *cls, int *forbidden);
#endif
