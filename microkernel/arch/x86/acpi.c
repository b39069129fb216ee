/* The processors, from ACPI's MADT (the "APIC" table): their local APIC
 * ids and the local APIC's address.  Read at boot with paging still off
 * (the tables lie in firmware memory near the top of RAM or in the BIOS
 * area, outside what the kernel maps later).  Every table's checksum is
 * checked; a machine without ACPI, or with a table that does not add up,
 * runs on one CPU and the kernel says why. */
#include <string.h>
#include "microkernel/kernel.h"
#include "microkernel/arch/x86/acpi.h"

static int sum_ok(const uint8_t *p, uint32_t n)
{
	uint8_t s = 0;
	for (uint32_t i = 0; i < n; i++)
		s = (uint8_t)(s + p[i]);
	return s == 0;
}

static const uint8_t *find_rsdp(uint32_t lo, uint32_t hi)
{
	for (uint32_t a = lo; a + 20 <= hi; a += 16) {
		const uint8_t *p = (const uint8_t *)a;
		if (!memcmp(p, "RSD PTR ", 8) && sum_ok(p, 20))
			return p;
	}
	return 0;
}

static const uint8_t *find_table(const uint8_t *rsdt, const char *sig)
{
	uint32_t len = *(const uint32_t *)(rsdt + 4);
	if (len < 36 || len > 0x10000 || !sum_ok(rsdt, len))
		return 0;
	for (uint32_t off = 36; off + 4 <= len; off += 4) {
		const uint8_t *t = (const uint8_t *)*(const uint32_t *)(rsdt + off);
		if (!memcmp(t, sig, 4))
			return t;
	}
	return 0;
}

int acpi_find_cpus(struct acpi_cpus *out, const char **why)
{
	memset(out, 0, sizeof *out);
	uint32_t bda = 0x40E;	/* the BIOS data area's EBDA segment */
	__asm__("" : "+r"(bda));	/* an address, not an object GCC knows */
	uint32_t ebda = (uint32_t)*(const uint16_t *)bda << 4;
	const uint8_t *rsdp = ebda >= 0x80000 && ebda < 0xA0000 ? find_rsdp(ebda, ebda + 1024) : 0;
	if (!rsdp)
		rsdp = find_rsdp(0xE0000, 0x100000);
	if (!rsdp) {
		*why = "no ACPI tables";
		return -1;
	}
	const uint8_t *rsdt = (const uint8_t *)*(const uint32_t *)(rsdp + 16);
	if (!rsdt || memcmp(rsdt, "RSDT", 4)) {
		*why = "no ACPI RSDT";
		return -1;
	}
	const uint8_t *madt = find_table(rsdt, "APIC");
	uint32_t len = madt ? *(const uint32_t *)(madt + 4) : 0;
	if (!madt || len < 44 || len > 0x10000 || !sum_ok(madt, len)) {
		*why = "no valid ACPI MADT";
		return -1;
	}
	out->lapic_pa = *(const uint32_t *)(madt + 36);
	for (uint32_t off = 44; off + 2 <= len;) {
		const uint8_t *e = madt + off;
		if (e[1] < 2 || off + e[1] > len)
			break;
		/* type 0: a processor's local APIC: ACPI id, APIC id, flags
		 * (bit 0: enabled) */
		if (e[0] == 0 && e[1] >= 8 && (*(const uint32_t *)(e + 4) & 1)) {
			if (out->n < ACPI_MAX_CPUS)
				out->apic_id[out->n] = e[3];
			out->n++;
		}
		off += e[1];
	}
	if (!out->n || !out->lapic_pa) {
		*why = "the MADT lists no processor";
		return -1;
	}
	return 0;
}
