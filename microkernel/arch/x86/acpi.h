/* ACPI at boot: which processors there are (acpi.c). */
#ifndef ARCH_X86_ACPI_H
#define ARCH_X86_ACPI_H
#include <stdint.h>
#define ACPI_MAX_CPUS 16
struct acpi_cpus {
	int n;				/* enabled processors in the MADT */
	uint8_t apic_id[ACPI_MAX_CPUS];
	uint32_t lapic_pa;		/* the local APIC's registers */
};
/* Paging off: 0, or -1 with *why. */
int acpi_find_cpus(struct acpi_cpus *out, const char **why);
#endif
