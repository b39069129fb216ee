/* Thin wrappers around the x86 instructions the kernel needs.  Only the
 * arch layer and the kernel's hardware-facing files include this. */
#ifndef ARCH_X86_CPU_H
#define ARCH_X86_CPU_H
#include <stdint.h>

static inline void outb(uint16_t port, uint8_t v) { __asm__ volatile("outb %0, %1" :: "a"(v), "Nd"(port)); }
static inline void outw(uint16_t port, uint16_t v) { __asm__ volatile("outw %0, %1" :: "a"(v), "Nd"(port)); }
static inline void outl(uint16_t port, uint32_t v) { __asm__ volatile("outl %0, %1" :: "a"(v), "Nd"(port)); }
static inline uint8_t inb(uint16_t port) { uint8_t v; __asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port)); return v; }

static inline uint32_t read_cr0(void) { uint32_t v; __asm__ volatile("mov %%cr0, %0" : "=r"(v)); return v; }
static inline uint32_t read_cr2(void) { uint32_t v; __asm__ volatile("mov %%cr2, %0" : "=r"(v)); return v; }
static inline uint32_t read_cr3(void) { uint32_t v; __asm__ volatile("mov %%cr3, %0" : "=r"(v)); return v; }
static inline uint32_t read_cr4(void) { uint32_t v; __asm__ volatile("mov %%cr4, %0" : "=r"(v)); return v; }
static inline void write_cr0(uint32_t v) { __asm__ volatile("mov %0, %%cr0" :: "r"(v) : "memory"); }
static inline void write_cr3(uint32_t v) { __asm__ volatile("mov %0, %%cr3" :: "r"(v) : "memory"); }
static inline void write_cr4(uint32_t v) { __asm__ volatile("mov %0, %%cr4" :: "r"(v) : "memory"); }
static inline void invlpg(uint32_t va) { __asm__ volatile("invlpg (%0)" :: "r"(va) : "memory"); }

static inline uint64_t rdmsr(uint32_t msr)
{
	uint32_t lo, hi;
	__asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return ((uint64_t)hi << 32) | lo;
}
static inline void wrmsr(uint32_t msr, uint64_t v)
{
	__asm__ volatile("wrmsr" :: "c"(msr), "a"((uint32_t)v), "d"((uint32_t)(v >> 32)));
}
static inline void cpuid(uint32_t leaf, uint32_t *a, uint32_t *b, uint32_t *c, uint32_t *d)
{
	__asm__ volatile("cpuid" : "=a"(*a), "=b"(*b), "=c"(*c), "=d"(*d) : "a"(leaf), "c"(0));
}
static inline uint64_t rdtsc(void)
{
	uint32_t lo, hi;
	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}
/* One turn of a loop that waits for another CPU; *turn counts them from 0.
 * PAUSE is the hint a real CPU wants in such a loop.  Under QEMU it also
 * ends the vCPU's run: in -icount's round robin that is what lets the CPU
 * we wait for run at all, but with a host thread per vCPU every PAUSE
 * takes QEMU's global lock, which the CPU we wait for needs to take an
 * interrupt or write its local APIC -- a PAUSE every turn can keep it
 * from answering for milliseconds (issue 18, bench/smp.sh).  So PAUSE at
 * each of the first 64 turns (a wait answered soon costs exactly what it
 * did, -icount's figures included), then at 128, 256, ... 16384 and every
 * 16384th: a long wait leaves QEMU's lock alone. */
static inline void spin_turn(uint32_t *turn)
{
	uint32_t k = ++*turn;
	if (k <= 64 || (k & (k - 1)) == 0 || (k & 0x3FFFu) == 0)
		__asm__ volatile("pause" ::: "memory");
	else
		__asm__ volatile("" ::: "memory");
}
/* SMAP: the kernel touches user memory only between stac and clac. */
static inline void stac(void) { __asm__ volatile(".byte 0x0f,0x01,0xcb" ::: "memory"); }
static inline void clac(void) { __asm__ volatile(".byte 0x0f,0x01,0xca" ::: "memory"); }
static inline __attribute__((noreturn)) void halt_forever(void) { for (;;) __asm__ volatile("cli; hlt"); }

#define CR0_WP     (1u << 16)
#define CR0_PG     (1u << 31)
#define CR4_PAE    (1u << 5)
#define CR4_PGE    (1u << 7)
#define CR4_SMEP   (1u << 20)
#define CR4_SMAP   (1u << 21)
#define MSR_EFER   0xC0000080u
#define EFER_NXE   (1u << 11)
#endif
