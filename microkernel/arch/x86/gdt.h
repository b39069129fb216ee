/* The x86 descriptor tables and CPU set-up: GDT and TSS (kernel stack,
 * I/O permission bitmap), IDT, paging control. */
#ifndef ARCH_X86_GDT_H
#define ARCH_X86_GDT_H
#include <stdint.h>
void gdt_init(int cpu);		/* this CPU's GDT, TSS and %gs */
void tss_set_kernel_stack(uint32_t esp0);
void tss_set_iomap(const uint8_t *map);	/* IOMAP_BYTES bytes, 1 = denied */
void idt_init(void);
void idt_load(void);		/* an AP: the same IDT */
void paging_enable(uint32_t pdpt, int smep, int smap);
uint32_t paging_cr4(void);	/* what the boot CPU set: the APs copy it */
extern uint32_t kernel_only_pdpt;	/* CR3 when no task's tables may be used */
#endif
