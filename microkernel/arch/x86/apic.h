/* The local APIC (apic.c): per-CPU timer, inter-processor interrupts,
 * and the vectors the kernel gives them.  The 8259 PIC keeps vectors
 * 32-47 and reaches the boot CPU only (through its LINT0, virtual wire). */
#ifndef ARCH_X86_APIC_H
#define ARCH_X86_APIC_H
#include <stdint.h>

#define VEC_TIMER    0x40	/* an AP's timer: its scheduler tick */
#define VEC_RESCHED  0x41	/* IPI: call schedule() (under the lock) */
#define VEC_MAILBOX  0x42	/* IPI: answer the mailbox (lock-free, smp.c) */
#define VEC_HALT     0x43	/* IPI: another CPU panicked */
#define VEC_SPURIOUS 0xFF

#define LAPIC_VA     0x3FFFF000u	/* where the kernel maps the local APIC */

void lapic_map(uint32_t pa);		/* map the registers (boot CPU, once) */
uint32_t lapic_id(void);
void lapic_init(int timer);		/* enable; start the timer at HZ if asked */
void lapic_calibrate(void);		/* timer ticks per ms, against the PIT */
void lapic_eoi(void);
void lapic_ipi(uint32_t apic_id, uint32_t vector);
void lapic_ipi_others(uint32_t vector);	/* every CPU but this one */
void lapic_init_ipi(uint32_t apic_id);
void lapic_startup_ipi(uint32_t apic_id, uint32_t page);
void lapic_delay_us(uint32_t us);	/* busy wait with the timer (boot CPU) */
#endif
