/* Kernel-wide declarations: console, panic, segments, odds and ends that
 * several kernel files share. */
#ifndef KERNEL_KERNEL_H
#define KERNEL_KERNEL_H
#include <stdint.h>

#define SEG_KCODE 0x08
#define SEG_KDATA 0x10
#define SEG_UCODE 0x18
#define SEG_UDATA 0x20
#define SEG_TSS   0x28	/* each CPU's own (its own GDT) */
#define SEG_PERCPU 0x30	/* base = this CPU's struct cpu (percpu.h) */

#define HZ 100			/* timer ticks per second */
#define KEEP_REGS 0x7FFFFFFF	/* syscall result: registers already set */

struct task;

void kprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void panic(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));
void qemu_exit(uint32_t code);		/* isa-debug-exit; returns if absent */

extern volatile uint32_t ticks;
extern int death_notify;

/* console.c */
void console_input_irq(void);
int  console_read(struct task *t, uint32_t buf, uint32_t len, int nonblock);
void console_task_gone(struct task *t);

/* irq.c */
void irq_init(void);
void irq_dispatch(int irq);
void timer_ticks(uint32_t n, int pit);	/* irq.c: this tick and the owed ones */
int  irq_bind(int irq, int notify_index, uint32_t bit, struct task *owner);
void irq_ack(int irq);
void irq_task_gone(struct task *t);
void irq_notify_gone(int notify_index);

/* boot modules (kmain.c) */
int  bootmod_find(const char *name, uint32_t len, const uint8_t **data, uint32_t *size);
const char *boot_cmdline(void);

/* syscall.c */
void syscall_dispatch(struct task *t);

/* uaccess.c: user memory, checked against the task's page tables */
int  user_range(struct task *t, uint32_t va, uint32_t len, int write);
int  copy_from_user(struct task *t, void *dst, uint32_t va, uint32_t len);
int  copy_to_user(struct task *t, uint32_t va, const void *src, uint32_t len);
#endif
