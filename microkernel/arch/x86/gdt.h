/* The x86 descriptor tables and CPU set-up: GDT and TSS (kernel stack,
 * I/O permission bitmap), IDT, paging control. */
#ifndef ARCH_X86_GDT_H
#define ARCH_X86_GDT_H
#include <stdint.h>
void gdt_init(void);
void tss_set_kernel_stack(uint32_t esp0);
void tss_set_iomap(const uint8_t *map);	/* IOMAP_BYTES bytes, 1 = denied */
void idt_init(void);
void paging_enable(uint32_t pdpt, int smep, int smap);
#endif
