/* Words for the ABI's numbers, shared by the kernel's messages and ring-3
 * programs (lib/include/bareflow/abi.h). */
#include "lib/include/bareflow/abi.h"
#include "lib/abi_names.h"

const char *abi_death_cause(uint32_t cause)
{
	static const char *names[DEATH_CAUSES] = {
		"exited", "killed", "page fault (unmapped)", "wrote a read-only page",
		"executed a no-execute page", "touched kernel memory",
		"stack overflow", "general protection fault", "invalid opcode",
		"divide error", "exceeded its CPU budget", "trap",
		"killed at its deadline", "interrupted (Ctrl-C)",
		"made a syscall outside the runtime's gate",
		"floating-point exception",
	};
	return cause < DEATH_CAUSES ? names[cause] : "unknown";
}
